"""The paper way: a print copy with a QR code; the scan of the signed paper attaches to its document."""
from __future__ import annotations

import io
import subprocess

from PIL import Image, ImageFilter
from sqlalchemy import select

from service import office_seal, pipeline
from service.extensions import db
from service.signing.models import SignedDocument
from signatures.evidence import read_evidence
from signatures.pdfa import pdfa_report
from signatures.verify import verify_seal
from tests.helpers import download
from tests.signing.conftest import issue_document


def scanned(print_pdf: bytes) -> bytes:
    """The first printed page 'scanned' at 200 dpi: slightly rotated and blurred, as a JPEG."""
    png = subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-singlefile", "-png", "-"],
                         input=print_pdf, capture_output=True, check=True).stdout
    page = Image.open(io.BytesIO(png)).convert("RGB").rotate(1.5, fillcolor="white")
    out = io.BytesIO()
    page.filter(ImageFilter.GaussianBlur(0.6)).save(out, "JPEG", quality=80)
    return out.getvalue()


def test_scan_with_the_printed_qr_attaches_to_its_document(app, staff):
    other_id = issue_document(staff)
    doc_id = issue_document(staff, "zz_power_of_attorney")
    response, printed = download(staff, f"/archive/{doc_id}/print")
    assert response.status_code == 200 and printed.startswith(b"%PDF")
    scan = scanned(printed)
    uploaded = staff.post("/scans", data={"file": (io.BytesIO(scan), "skan.jpg")},
                          content_type="multipart/form-data")
    assert uploaded.status_code == 302 and uploaded.location.endswith(f"/archive/{doc_id}")
    with app.app_context():
        version = db.session.execute(select(SignedDocument)).scalar_one()
        assert (version.document_id, version.kind) == (doc_id, "paper")
        assert pipeline(app).store.read(version.scan_sha256, "jpg") == scan
        signed = pipeline(app).store.read(version.pdf_sha256, "pdf")
        assert verify_seal(signed, [office_seal(app).certificate]).ok
        assert pdfa_report(signed).ok
        evidence = read_evidence(signed)
        assert evidence.document_id == doc_id and evidence.signers[0].name == "Magdalena Nowicka"
    page = staff.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert "Podpisany na papierze" in page
    assert "Podpisany na papierze" not in staff.get(f"/archive/{other_id}").get_data(as_text=True)


def test_scan_without_a_code_needs_the_document_chosen_by_hand(app, staff):
    doc_id = issue_document(staff)
    blank = io.BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(blank, "PNG")
    response = staff.post("/scans", data={"file": (io.BytesIO(blank.getvalue()), "skan.png")},
                          content_type="multipart/form-data")
    assert response.status_code == 422
    assert "nie znaleziono czytelnego kodu QR" in response.get_data(as_text=True)
    chosen = staff.post("/scans", data={"file": (io.BytesIO(blank.getvalue()), "skan.png"), "document_id": doc_id},
                        content_type="multipart/form-data")
    assert chosen.status_code == 302 and chosen.location.endswith(f"/archive/{doc_id}")


def test_not_a_scan_is_refused_next_to_the_field(staff):
    response = staff.post("/scans", data={"file": (io.BytesIO(b"hello"), "skan.txt")},
                          content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'role="alert"' in page and "nie jest" in page.lower()
