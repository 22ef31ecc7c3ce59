"""The contract of every document type: its samples, issued through the web form and the API,
come back as a PDF/A-2b with every value in it, every font embedded and an intact office seal."""
from __future__ import annotations

import pytest

from service import office_seal
from service.archive.models import DocumentRecord
from service.extensions import db
from service.documents.grammar import CASES, decline, gender_of
from service.documents.registry import DOCUMENT_TYPES
from signatures.pdfa import pdfa_report
from signatures.verify import verify_seal
from tests.families.visits import sample_setting
from tests.helpers import download, expected_texts, form_data, issuer_role, pdf_text_normalised, squash

TYPES = list(DOCUMENT_TYPES)


def name_forms(doctype, data) -> dict[str, list[str]]:
    """Each person's name (doctype.persons) -> the forms it may be printed in: a sentence may need
    it in another case („upoważniam Panią Katarzynę Zielińską”); tests/documents/test_grammar.py
    checks those forms against hand-written ones."""
    out: dict[str, list[str]] = {}
    for ref in doctype.persons:
        for row in (data.get(ref.group) or [] if ref.group else [data]):
            name = row.get(ref.name)
            gender = gender_of(name, row.get(ref.pesel or ""), row.get(ref.sex or "")) if name else None
            if name and gender:
                out[name] = [name] + [f for c in CASES if (f := decline(name, c, gender))]
    return out


def check_pdf(app, doctype, data, pdf: bytes) -> None:
    text = squash(pdf_text_normalised(pdf))
    names = name_forms(doctype, data)
    for value in expected_texts(doctype, data):
        assert any(squash(form) in text for form in names.get(value, [value])), \
            f"{value!r} missing from the PDF of {doctype.slug}"
    assert squash(doctype.title) in text
    report = pdfa_report(pdf)
    assert report.ok, report.problems
    with app.app_context():
        seal = office_seal(app)
    assert verify_seal(pdf, [seal.certificate]).ok
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x01
    assert not verify_seal(bytes(tampered), [seal.certificate]).ok


@pytest.mark.parametrize("doctype", TYPES, ids=lambda t: t.slug)
def test_sample_through_web_form(app, client, create_user, login, doctype):
    user = create_user(issuer_role(doctype))
    login(user)
    _, url = sample_setting(app, doctype, user)
    data = doctype.sample_data
    response = client.post(url, data=form_data(doctype, data))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.location)
    assert page.status_code == 200
    doc_id = response.location.rsplit("/", 1)[-1]
    response, pdf = download(client, f"/archive/{doc_id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    response, docx = download(client, f"/archive/{doc_id}/docx")
    assert docx[:2] == b"PK"
    with app.app_context():
        stored = db.session.get(DocumentRecord, doc_id).data
    # the service's own values (by_service fields, e.g. a visit record's assistant_login) were not posted
    assert stored and all(data[key] == value for key, value in stored.items() if key in data)
    assert set(stored) - set(data) <= set(doctype.service_sample) | {"plan_ref"} | {f.name for f in doctype.service_fields}
    check_pdf(app, doctype, stored, pdf)


@pytest.mark.parametrize("doctype", TYPES, ids=lambda t: t.slug)
def test_sample_through_api(app, client, create_user, api_token, doctype):
    user = create_user(issuer_role(doctype))
    headers = api_token(user)
    extra, _ = sample_setting(app, doctype, user)
    described = client.get(f"/api/document-types/{doctype.slug}", headers=headers).get_json()
    samples = {f["name"]: f["sample"] for f in described["fields"]} | extra
    response = client.post(f"/api/documents/{doctype.slug}", json=samples, headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["case_sign"].startswith("MOPS.SPS.") and body["case_sign"].split(".")[-2] == "1"
    meta = client.get(body["links"]["self"], headers=headers).get_json()
    assert meta["id"] == body["id"] and meta["template_version"] == doctype.template_version
    response, pdf = download(client, body["links"]["pdf"], headers=headers)
    assert response.status_code == 200
    check_pdf(app, doctype, meta["data"], pdf)
    # What was stored is what was asked for: conditional fields that do not apply are dropped.
    service_set = {f.name for f in doctype.fields} - {f.name for f in doctype.form_fields}
    for key, value in meta["data"].items():
        assert key in service_set or samples[key] == value
