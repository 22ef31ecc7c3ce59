"""The JSON API: tokens, the OpenAPI document, type descriptions, per-field errors."""
from __future__ import annotations

from service.documents.registry import DOCUMENT_TYPES


def test_openapi_is_served_and_lists_every_type(client, create_user, api_token):
    headers = api_token(create_user("assistant"))
    doc = client.get("/api/openapi.json", headers=headers).get_json()
    assert doc["openapi"].startswith("3.")
    for doctype in DOCUMENT_TYPES:
        assert f"/api/documents/{doctype.slug}" in doc["paths"]
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_token_is_required_and_checked(client):
    assert client.get("/api/document-types").status_code == 401
    assert client.get("/api/document-types", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_new_token_replaces_the_old(client, create_user, api_token):
    user = create_user("assistant")
    old = api_token(user)
    new = api_token(user)
    assert client.get("/api/document-types", headers=old).status_code == 401
    assert client.get("/api/document-types", headers=new).status_code == 200


def test_document_types_describe_fields_with_samples(client, create_user, api_token):
    headers = api_token(create_user("assistant"))
    listing = client.get("/api/document-types", headers=headers).get_json()["document_types"]
    assert [t["slug"] for t in listing] == [t.slug for t in DOCUMENT_TYPES]
    described = client.get("/api/document-types/zz_power_of_attorney", headers=headers).get_json()
    fields = {f["name"]: f for f in described["fields"]}
    assert all("sample" in f and f["label"] for f in described["fields"])
    assert fields["principal_pesel"]["kind"] == "pesel"
    assert fields["institutions"]["kind"] == "group" and fields["institutions"]["fields"][0]["name"] == "name"
    assert fields["matter"]["required_if"] == {"field": "scope", "equals": "specific"}
    assert "art. 8 ust. 3 pkt 2" in described["legal_basis"]
    assert described["signers"][0]["key"] == "principal"
    assert client.get("/api/document-types/nope", headers=headers).status_code == 404


def test_errors_per_field_in_polish(client, create_user, api_token):
    headers = api_token(create_user("assistant"))
    sample = DOCUMENT_TYPES["family_consent"].sample_data
    sample["persons"][1]["pesel"] = "85072212330"
    sample["postal_code"] = "32600"
    sample["color"] = "red"
    del sample["town"]
    response = client.post("/api/documents/family_consent", json=sample, headers=headers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["persons[1].pesel"] == ["Nieprawidłowy numer PESEL: błędna cyfra kontrolna."]
    assert errors["postal_code"] == ["Kod pocztowy w formacie 00-000, np. 32-600."]
    assert errors["town"] == ["To pole jest wymagane."]
    assert errors["color"] == ["Nieznane pole."]


def test_too_many_rows_are_counted_in_polish(client, create_user, api_token):
    """A consent of six persons (the form has four rows): „Najwyżej 4 pozycje.”, not „4 pozycji”."""
    headers = api_token(create_user("assistant"))
    sample = DOCUMENT_TYPES["family_consent"].sample_data
    sample["persons"] = sample["persons"] * 3
    response = client.post("/api/documents/family_consent", json=sample, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"persons": ["Najwyżej 4 pozycje."]}


def test_not_json_and_wrong_role(client, create_user, api_token):
    headers = api_token(create_user("assistant"))
    assert client.post("/api/documents/family_consent", data="x", headers=headers).status_code == 422
    response = client.post("/api/documents/assignment_letter", json={}, headers=headers)
    assert response.status_code == 403 and "rola" in response.get_json()["error"]


def test_existing_case_by_sign(client, create_user, api_token):
    headers = api_token(create_user("assistant"))
    sample = DOCUMENT_TYPES["family_consent"].sample_data
    first = client.post("/api/documents/family_consent", json=sample, headers=headers).get_json()
    second = client.post("/api/documents/family_consent", json={**sample, "case_sign": first["case_sign"]},
                         headers=headers)
    assert second.status_code == 201 and second.get_json()["case_sign"] == first["case_sign"]
    # pasted with full-width digits and a zero-width space: read like every identifier
    pasted = first["case_sign"].translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}) + "\u200b"
    third = client.post("/api/documents/family_consent", json={**sample, "case_sign": pasted}, headers=headers)
    assert third.status_code == 201 and third.get_json()["case_sign"] == first["case_sign"]
    arabic = client.post("/api/documents/family_consent", json={**sample, "case_sign": "X.\u0661.2026"},
                         headers=headers)
    assert arabic.get_json()["errors"]["case_sign"] == [
        "Znak „\u0661” (U+0661) to cyfra innego pisma – wpisz numer cyframi 0–9."]
    wrong = client.post("/api/documents/family_consent", json={**sample, "case_sign": "X.1.2026"}, headers=headers)
    assert wrong.status_code == 422 and "case_sign" in wrong.get_json()["errors"]


def test_api_ignores_the_session_cookie(client, create_user, login):
    """The API is exempt from CSRF, so a logged-in browser's cookie must not work there."""
    login(create_user("assistant"))
    assert client.get("/").status_code == 200
    assert client.get("/api/document-types").status_code == 401
    sample = DOCUMENT_TYPES["family_consent"].sample_data
    assert client.post("/api/documents/family_consent", json=sample).status_code == 401
