"""Hostile input in every field: no 500s, no broken files, and what is accepted is printed literally."""
from __future__ import annotations

import io

import pytest
from docx import Document

from service.documents.grammar import gender_from_pesel
from service.documents.registry import DOCUMENT_TYPES
from service.documents.spec import GroupSpec
from service.forms_base import BLOCK as clean_block, LINE as clean_line
from tests.families.visits import sample_setting
from tests.helpers import download, issuer_role, pdf_text, poppler_text, squash

HOSTILE = {
    "markup": "Kowalska & Syn <b>\"bold\"</b> 'x' </w:t><w:p>",
    "jinja": "{{ 7*7 }} {% if true %}X{% endif %} {{ config }} {%p if x %}",
    "newlines": "Linia pierwsza\nLinia druga\r\nLinia trzecia",
    "emoji": "Zofia 😀 Żółć 👍",
    "rtl": "שלום עולם مرحبا",
    "control": "A\x00B\x07C\x1bD\x0bE\u202eF",
    # Pasted from Word and web pages: Shift+Enter, paragraph and line separators, invisible characters.
    "pasted": "Anna\x0bKowalska\u2029ul.\u00a0Długa\u200b 5\u00ad\ufeff\u2028Nowak\u2060\u3000Żak",
}
TEXT_KINDS = {"text", "textarea"}


def text_fields(doctype):
    """(path, spec) of every free-text field a person fills in (not those the service sets), group
    fields as (group, index, name)."""
    for spec in doctype.form_fields:
        if isinstance(spec, GroupSpec):
            for sub in spec.fields:
                if sub.kind in TEXT_KINDS:
                    yield (spec.name, 0, sub.name), sub
        elif spec.kind in TEXT_KINDS:
            yield (spec.name,), spec


def with_value(doctype, make_value):
    """The sample with every free-text field set to make_value(spec); the persons' „Płeć” chosen,
    as the form requires when a name (here, hostile text) tells no gender."""
    data = doctype.sample_data
    for ref in doctype.persons:
        if ref.sex:
            for row in (data[ref.group] if ref.group else [data]):
                row[ref.sex] = gender_from_pesel(row.get(ref.pesel or "")) or "f"
    for path, spec in text_fields(doctype):
        value = make_value(spec)
        if len(path) == 3:
            data[path[0]][path[1]][path[2]] = value
        else:
            data[path[0]] = value
    return data


@pytest.fixture
def issuer(app, client, create_user, api_token):
    """issuer(doctype) -> (Bearer headers of a new user who may issue it, the extra keys of a body
    its sample needs: a monthly report's family with visit records, tests.families.visits)."""
    def headers(doctype):
        user = create_user(issuer_role(doctype))
        extra, _ = sample_setting(app, doctype, user)
        return api_token(user), extra
    return headers


@pytest.mark.parametrize("doctype", list(DOCUMENT_TYPES), ids=lambda t: t.slug)
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_text_is_printed_literally(app, client, issuer, doctype, kind):
    headers, extra = issuer(doctype)
    data = with_value(doctype, lambda spec: HOSTILE[kind])
    if doctype.slug == "assignment_letter" and kind in ("emoji", "rtl", "control"):
        data["basis"] = "court"  # so the court's fields are printed too
    response = client.post(f"/api/documents/{doctype.slug}", json=data | extra, headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    _, pdf = download(client, body["links"]["pdf"], headers=headers)
    _, docx = download(client, body["links"]["docx"], headers=headers)
    Document(io.BytesIO(docx))  # the DOCX still opens
    # Values in fallback fonts (emoji, Hebrew, Arabic) are read in page order by poppler.
    text = squash(poppler_text(pdf) if kind in ("emoji", "rtl") else pdf_text(pdf))
    for path, spec in text_fields(doctype):
        cleaned = (clean_block if spec.kind == "textarea" else clean_line)(HOSTILE[kind])
        if path[0] not in body["data"]:
            assert spec.required_if  # only a field that does not apply may be left out
            continue
        stored = body["data"][path[0]][path[1]][path[2]] if len(path) == 3 else body["data"][path[0]]
        assert stored == cleaned
        if kind == "rtl":  # extracted right-to-left words may come in visual order
            assert all(w in text or w[::-1] in text for w in cleaned.split()), (path, cleaned)
        else:
            assert squash(cleaned) in text, (path, cleaned)
    page = client.get(f"/archive/{body['id']}", headers=headers)
    assert page.status_code in (200, 302)


@pytest.mark.parametrize("doctype", list(DOCUMENT_TYPES), ids=lambda t: t.slug)
def test_long_text_up_to_the_limit(app, client, issuer, doctype):
    headers, extra = issuer(doctype)
    words = "Zażółć gęślą jaźń – pomoc rodzinie. "
    data = with_value(doctype, lambda spec: (words * (spec.length_limit // len(words) + 1))[:spec.length_limit].strip())
    response = client.post(f"/api/documents/{doctype.slug}", json=data | extra, headers=headers)
    assert response.status_code == 201, response.get_json()
    _, pdf = download(client, response.get_json()["links"]["pdf"], headers=headers)
    assert squash(words * 3) in squash(pdf_text(pdf))


@pytest.mark.parametrize("doctype", list(DOCUMENT_TYPES), ids=lambda t: t.slug)
def test_ten_thousand_characters_are_refused_politely(app, client, issuer, doctype):
    headers, extra = issuer(doctype)
    data = with_value(doctype, lambda spec: "ż" * 10_000)
    response = client.post(f"/api/documents/{doctype.slug}", json=data | extra, headers=headers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    for path, spec in text_fields(doctype):
        if spec.required_if and data.get(spec.required_if[0]) != spec.required_if[1]:
            continue  # a field that does not apply is not checked
        key = f"{path[0]}[{path[1]}].{path[2]}" if len(path) == 3 else path[0]
        assert errors[key] == [f"Najwyżej {spec.length_limit} znaków."]


@pytest.mark.parametrize("doctype", list(DOCUMENT_TYPES), ids=lambda t: t.slug)
@pytest.mark.parametrize("value", list(HOSTILE.values()) + ["ż" * 10_000, 12345, None, ["a"], {"a": 1}, True])
def test_hostile_values_in_every_field_never_break(app, client, issuer, doctype, value):
    """Every field at once, strict formats included: an answer in Polish, never a 500."""
    headers, extra = issuer(doctype)
    data = {}
    for spec in doctype.form_fields:
        if isinstance(spec, GroupSpec):
            data[spec.name] = [{sub.name: value for sub in spec.fields}]
        else:
            data[spec.name] = value
    response = client.post(f"/api/documents/{doctype.slug}", json=data | extra, headers=headers)
    assert response.status_code in (201, 422), response.get_data(as_text=True)[:500]
    if response.status_code == 422:
        assert all(isinstance(m, str) and m for msgs in response.get_json()["errors"].values() for m in msgs)


def test_hostile_web_form_is_escaped(app, client, create_user, login):
    doctype = DOCUMENT_TYPES["family_consent"]
    login(create_user(issuer_role(doctype)))
    html = client.post(f"/documents/new/{doctype.slug}", data={
        "persons-0-full_name": HOSTILE["markup"], "postal_code": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in html
