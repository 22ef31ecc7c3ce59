"""Uploaded scans are untrusted: read within limits, rebuilt from pixels, the original only downloaded."""
from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from service import pipeline
from service.extensions import db
from service.signing.models import SignedDocument
from signatures.qr import TOO_HEAVY, TOO_LARGE, too_many_pages
from tests.helpers import download
from tests.hostile_uploads import JAVASCRIPT, active_content, speckled_tiff
from tests.signing import scans
from tests.signing.conftest import issue_document
from tests.signing.test_paper import paper, upload


def post_scan(client, data: bytes, name: str, document_id: str = ""):
    return client.post("/scans", data={"file": (io.BytesIO(data), name), "document_id": document_id},
                       content_type="multipart/form-data")


def signed_scan(staff, doc_id: str) -> bytes:
    """A scan of the document's print copy, signed at both places (family_consent): it passes the ink check."""
    _, printed = download(staff, f"/archive/{doc_id}/print")
    return scans.pdf(paper(printed, 150, ("family_member:0", "family_member:1")), 150)


def with_javascript(pdf: bytes) -> bytes:
    """The PDF with JavaScript run on opening (OpenAction, the Names tree, a document action) and an
    embedded file: what must never come back to a browser as a PDF."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment("x.txt", b"hello world")
    action = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject(JAVASCRIPT.decode())}))
    names = writer._root_object["/Names"]
    names[NameObject("/JavaScript")] = DictionaryObject({NameObject("/Names"): ArrayObject(
        [TextStringObject("a"), action])})
    writer._root_object[NameObject("/OpenAction")] = action
    writer._root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): action})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def field_error(response) -> str:
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page, page[:3000]
    return page


def test_pdf_with_javascript_is_rebuilt_from_pixels_and_its_original_only_downloaded(app, staff):
    doc_id = issue_document(staff)
    hostile = with_javascript(signed_scan(staff, doc_id))  # signed, so that it passes the ink check
    assert active_content(hostile) >= {"/JavaScript", "/OpenAction", "/EmbeddedFiles", "/AA"}
    checked = post_scan(staff, hostile, "skan.pdf", doc_id)
    checked.request.environ["wsgi.input"].close()
    assert checked.status_code == 303, checked.get_data(as_text=True)[:3000]
    attached = staff.post(checked.location, data={"replaces": ""})
    assert attached.status_code == 303, attached.get_data(as_text=True)[:3000]
    with app.app_context():
        version = db.session.execute(select(SignedDocument)).scalar_one()
        sealed = pipeline(app).store.read(version.pdf_sha256, "pdf")
        assert pipeline(app).store.read(version.scan_sha256, "pdf") == hostile  # kept as uploaded
    assert active_content(sealed) == set()  # what is shown: page images, evidence, seal
    shown, data = download(staff, f"/archive/{doc_id}/signed/{version.id}.pdf")
    assert shown.mimetype == "application/pdf" and data == sealed

    original, data = download(staff, f"/archive/{doc_id}/signed/{version.id}/scan")
    assert original.status_code == 200 and data == hostile
    assert original.headers["Content-Type"] == "application/octet-stream"
    assert original.headers["Content-Disposition"].startswith("attachment;")
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in original.headers["Content-Security-Policy"].split("; ")
    assert "sandbox" not in shown.headers["Content-Security-Policy"]


def test_scan_limits_come_from_the_configuration_and_are_checked_before_decoding(app, staff):
    doc_id = issue_document(staff)
    # (the finding's 0.75 MB TIFF bomb, through the real server: tests/concurrency/test_uploads.py)
    bomb = speckled_tiff(4, (7000, 8500), specks=50)  # 4 × 60 megapixels in a few KB
    response = post_scan(staff, bomb, "skan.tif", doc_id)
    page = field_error(response)
    assert response.status_code == 422 and TOO_LARGE in page
    assert f'value="{doc_id}"' in page  # the form keeps what was typed
    assert too_many_pages(20) in field_error(post_scan(staff, speckled_tiff(21, (200, 280), 10), "skan.tif"))
    app.config.update(SCAN_MAX_PAGES=5)
    assert too_many_pages(5) in field_error(post_scan(staff, speckled_tiff(6, (200, 280), 10), "skan.tif"))
    app.config.update(SCAN_MAX_DPI=100)  # A4 at 100 dpi: 827 × 1169 pixels a page
    assert TOO_LARGE in field_error(post_scan(staff, speckled_tiff(1, (900, 1200), 10), "skan.tif"))
    with app.app_context():
        assert db.session.execute(select(SignedDocument)).first() is None


def test_a_16_bit_grey_scan_keeps_its_signatures(app, staff):
    """Some scanners save grey pages with 16 bits a pixel: read as such, not clipped to 8 bits
    (which turned all but the blackest ink white and refused a signed scan as unsigned)."""
    doc_id = issue_document(staff)
    _, printed = download(staff, f"/archive/{doc_id}/print")
    frames = []
    for page in paper(printed, 150, ("family_member:0", "family_member:1")):
        grey = page.convert("L").tobytes()
        frames.append(Image.frombytes("I;16", page.size, bytes(b for v in grey for b in (v, v))))
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(150, 150))
    response = upload(staff, out.getvalue(), "skan.tif", document_id=doc_id)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]


def test_a_scan_needing_more_memory_than_allowed_gets_a_message_at_its_field(app, staff):
    doc_id = issue_document(staff)
    app.config.update(UPLOAD_MEMORY_MB=160)  # a 35-megapixel colour page alone needs 104 MB in RGB
    page = speckled_tiff(1, (5800, 5999), specks=10, mode="RGB")
    response = post_scan(staff, page, "skan.tif", doc_id)
    assert response.status_code == 422 and TOO_HEAVY in field_error(response)


def test_no_transaction_is_open_while_an_upload_is_read(app, staff, monkeypatch):
    from service import uploads
    from tests.concurrency.test_transactions import open_elsewhere

    seen = []
    real_run = uploads.run

    def watched(job, *args, **kwargs):
        seen.append((job.__name__, db.session().in_transaction(), open_elsewhere(app)))
        return real_run(job, *args, **kwargs)

    monkeypatch.setattr(uploads, "run", watched)
    doc_id = issue_document(staff)
    checked = post_scan(staff, signed_scan(staff, doc_id), "skan.pdf")
    checked.request.environ["wsgi.input"].close()
    assert checked.status_code == 303
    _, pdf = download(staff, f"/archive/{doc_id}/pdf")
    assert staff.post("/verify", data={"file": (io.BytesIO(pdf), "pismo.pdf")},
                      content_type="multipart/form-data").status_code == 200
    assert seen == [("read_pages", False, False), ("check_pdf", False, False)]
