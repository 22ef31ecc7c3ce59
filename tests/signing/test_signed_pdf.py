"""The signed result: images in their slots, the evidence page, the seal last; the API; verification."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode
from sqlalchemy import select

from service import office_seal, pipeline
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.signing.models import Signature, SignedDocument
from signatures.assemble import find_slots, unsealed_revision
from signatures.evidence import read_evidence
from signatures.pdfa import pdfa_report
from signatures.verify import verify_seal
from tests.helpers import download
from tests.signing.conftest import issue_document, start_remote
from tests.signing.drawing import signature_post


def sign_all(tablet, session_id: str, steps: int) -> None:
    for position in range(steps):
        response = tablet.post(f"/podpis/{session_id}", data={
            "position": position, "read_confirmed": "y", **signature_post()})
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def image_pixels(png: bytes) -> bytes:
    return Image.open(io.BytesIO(png)).convert("L").tobytes()


def check_signed_pdf(app, signed: bytes, shown: bytes, doc_id: str, names: list[str]) -> None:
    """Each signature image on its slot's page, the evidence page with the right hashes, the seal valid."""
    with app.app_context():
        signatures = db.session.execute(select(Signature).order_by(Signature.position)).scalars().all()
        store = pipeline(app).store
        slots = find_slots(unsealed_revision(shown))
        reader = PdfReader(io.BytesIO(signed))
        for signature in signatures:
            page = reader.pages[slots[signature.slot].page]
            wanted = image_pixels(store.read(signature.image_sha256, "png"))
            found = [image_pixels(_png(img.image)) for img in page.images]
            assert wanted in found, f"{signature.slot}: image not on page {slots[signature.slot].page + 1}"
        evidence = read_evidence(signed)
        assert evidence is not None and evidence.document_id == doc_id
        assert evidence.shown_pdf_sha256 == hashlib.sha256(shown).hexdigest()
        assert [s.name for s in evidence.signers] == names
        assert [s.image_sha256 for s in evidence.signers] == [s.image_sha256 for s in signatures]
        seal = office_seal(app)
        assert verify_seal(signed, [seal.certificate]).ok
        report = pdfa_report(signed)
        assert report.ok, report.problems


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_two_signers_on_another_device(app, staff, tablet, runner, tmp_path):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    _, shown = download(tablet, f"/podpis/{session_id}/dokument.pdf")
    sign_all(tablet, session_id, 2)
    assert "Dokument został podpisany" in tablet.get(f"/podpis/{session_id}").get_data(as_text=True)
    with app.app_context():
        version = db.session.execute(select(SignedDocument)).scalar_one()
        version_id, kind = version.id, version.kind
    assert kind == "tablet"
    response, signed = download(staff, f"/archive/{doc_id}/signed/{version_id}.pdf")
    assert response.status_code == 200
    check_signed_pdf(app, signed, shown, doc_id, ["Anna Kowalska", "Jan Kowalski"])
    # the link is used up: a finished session shows its clear page to anyone else
    assert app.test_client().get(link).status_code == 410
    page = staff.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert "Podpisany odręcznie na tablecie" in page and "Anna Kowalska" in page
    # the verification (page and CLI) reports the signers from the evidence page
    result = staff.post("/verify", data={"file": (io.BytesIO(signed), "podpisany.pdf")},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "Pieczęć nienaruszona" in result and "Jan Kowalski" in result and "dokument podpisany" in result
    path = Path(tmp_path) / "podpisany.pdf"
    path.write_bytes(signed)
    cli = runner.invoke(args=["documents", "verify", str(path)])
    assert cli.exit_code == 0 and "Podpis 2: Jan Kowalski" in cli.output, cli.output


def test_api_starts_signing_and_reports_the_signed_pdf(app, client, create_user, api_token, tablet):
    user = create_user("assistant")
    headers = api_token(user)
    data = {**DOCUMENT_TYPES.get("zz_power_of_attorney").sample_data, "principal_name": "Magdalena Nowicka",
            "health_data_consent": True}
    created = client.post("/api/documents/zz_power_of_attorney", json=data, headers=headers)
    assert created.status_code == 201, created.get_json()
    doc_id = created.get_json()["id"]
    assert created.get_json()["signing"]["session"] is None
    started = client.post(f"/api/documents/{doc_id}/signing", headers=headers)
    assert started.status_code == 201, started.get_json()
    body = started.get_json()
    assert body["state"] == "waiting" and len(body["signers"]) == 2
    assert body["link"].endswith("/s/" + body["code"].replace("-", ""))
    qr_response, qr = download(client, body["qr"].removeprefix("http://localhost"), headers=headers)
    assert qr_response.mimetype == "image/png"
    assert decode(Image.open(io.BytesIO(qr)))[0].data.decode() == body["link"]
    tablet.get(body["link"].removeprefix("http://localhost"))
    _, shown = download(tablet, f"/podpis/{body['id']}/dokument.pdf")
    state = client.get(f"/api/documents/{doc_id}", headers=headers).get_json()["signing"]
    assert state["session"]["state"] == "waiting" and state["signed_pdf"] is None
    sign_all(tablet, body["id"], 2)
    state = client.get(f"/api/documents/{doc_id}", headers=headers).get_json()["signing"]
    assert state["session"]["state"] == "complete"
    response, signed = download(client, state["signed_pdf"].removeprefix("http://localhost"), headers=headers)
    assert response.status_code == 200
    check_signed_pdf(app, signed, shown, doc_id, ["Magdalena Nowicka", "Magdalena Nowicka"])
    again = client.post(f"/api/documents/{doc_id}/signing", headers=headers)
    assert again.status_code == 409
