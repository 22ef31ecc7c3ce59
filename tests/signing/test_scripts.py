"""Names in any script on the pages the service draws itself: evidence page, staff stamp, verify report.

Issue 7, item 5: a Georgian name came out blank on the evidence page, as NUL bytes in
`flask documents verify`, and the page used .notdef (forbidden in PDF/A-2, ISO 19005-2, 6.2.11.8).
"""
from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from service import office_seal
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.signing.models import SignedDocument
from signatures.evidence import read_evidence
from signatures.pdfa import pdfa_report
from signatures.verify import verify_seal
from tests.helpers import download
from tests.signing.conftest import issue_document, start_remote
from tests.signing.test_signed_pdf import sign_all

GEORGIAN = "ნინო ბერიძე"
ARABIC = "محمد الأحمد"
UKRAINIAN = "Олена Шевченко-Ґалаїєва"  # ґ, ї and є: letters Russian does not have
# the head of office signs with a password: her name on the stamp mixes Armenian, Hebrew
# (right to left inside a left-to-right line), Greek and an emoji
HEAD = "Սոնա כהן-Παπαδοπούλου 🌻"


def _evidence_text(signed: bytes) -> str:
    reader = PdfReader(io.BytesIO(signed))
    start = next(i for i, page in enumerate(reader.pages) if "Karta dowodowa podpisów" in page.extract_text())
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages[start:])


def test_georgian_arabic_and_ukrainian_signers(app, staff, tablet, runner, tmp_path):
    data = {**DOCUMENT_TYPES.get("family_consent").sample_data, "persons": [
        {"full_name": GEORGIAN, "role": "matka"}, {"full_name": ARABIC, "role": "ojciec"},
        {"full_name": UKRAINIAN, "role": "babcia"}]}
    doc_id = issue_document(staff, data=data)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    sign_all(tablet, session_id, 3)
    with app.app_context():
        version_id = db.session.execute(select(SignedDocument.id)).scalar_one()
    _, signed = download(staff, f"/archive/{doc_id}/signed/{version_id}.pdf")

    names = [GEORGIAN, ARABIC, UKRAINIAN]
    evidence = read_evidence(signed)
    assert evidence is not None and [s.name for s in evidence.signers] == names
    text = _evidence_text(signed)
    for name in names:  # logical order, as typed: right-to-left included
        assert name in text, text
    report = pdfa_report(signed)
    assert report.ok and not report.glyph_problems, report.problems
    with app.app_context():
        assert verify_seal(signed, [office_seal(app).certificate]).ok

    page = staff.post("/verify", data={"file": (io.BytesIO(signed), "podpisany.pdf")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "Pieczęć nienaruszona" in page
    for name in names:
        assert f"<bdi>{name}</bdi>" in page
    path = Path(tmp_path) / "podpisany.pdf"
    path.write_bytes(signed)
    cli = runner.invoke(args=["documents", "verify", str(path)])
    assert cli.exit_code == 0, cli.output
    for number, name in enumerate(names, 1):
        assert f"Podpis {number}: {name} – " in cli.output
    assert "\x00" not in cli.output and "\ufffd" not in cli.output


def test_staff_stamp_in_armenian_hebrew_greek_and_emoji(app, client, create_user, login):
    head = create_user("head", full_name=HEAD)
    login(head)
    doc_id = issue_document(client, "assignment_letter")
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    session_id = response.location.rsplit("/", 1)[1]
    done = client.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y",
                                                      "login": head.login, "password": "haslo-" + head.login})
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    with app.app_context():
        version_id = db.session.execute(select(SignedDocument.id)).scalar_one()
    _, signed = download(client, f"/archive/{doc_id}/signed/{version_id}.pdf")
    report = pdfa_report(signed)
    assert report.ok and not report.glyph_problems, report.problems
    reader = PdfReader(io.BytesIO(signed))
    stamped = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"{HEAD}, " in stamped, stamped  # the stamp's second line: name, role
    assert [s.name for s in read_evidence(signed).signers] == [HEAD]
