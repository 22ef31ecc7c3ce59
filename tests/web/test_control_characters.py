"""A control character in a URL (e.g. %00 in an id) names nothing: 404 or 400, never a 500.

PostgreSQL refuses NUL in text parameters, so before the hook these lookups were 500s there
(the signing page among them, which needs no login); both databases run these tests.
"""
from __future__ import annotations

import pytest

from service.documents.registry import DOCUMENT_TYPES


@pytest.mark.parametrize("path", ["/podpis/ab%00cd", "/podpis/ab%00cd/strona/1.png", "/s/AB%00CD"])
def test_signing_pages_without_login(client, path):
    assert client.get(path).status_code == 404


def test_staff_pages_and_api(client, create_user, login, api_token):
    user = create_user("assistant")
    headers = api_token(user)
    doc = client.post("/api/documents/family_consent", json=DOCUMENT_TYPES["family_consent"].sample_data,
                      headers=headers).get_json()
    for path in ("/api/documents/ab%00cd", "/api/documents/ab%00cd/pdf", f"/api/documents/{doc['id']}%00",
                 "/api/documents/ab%00cd/signed/x%01y.pdf", "/api/document-types/family%00consent"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.is_json, path
    assert client.post("/api/documents/ab%00cd/signing", headers=headers).status_code == 404
    login(user)
    for path in ("/archive/ab%00cd", "/archive/ab%00cd/pdf", "/archive/ab%00cd/print", f"/archive/{doc['id']}%00"):
        assert client.get(path).status_code == 404, path
    assert client.get("/archive?case=%00").status_code == 400
    assert client.get("/archive?type=family%00consent").status_code == 400
    assert client.get(f"/archive/{doc['id']}").status_code == 200  # the hook lets clean URLs through
