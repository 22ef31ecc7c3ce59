"""Fixtures of signing: staff, an issued document, and a second browser acting as the tablet."""
from __future__ import annotations

import re

import pytest

from service.documents.registry import DOCUMENT_TYPES
from tests.helpers import form_data

LINK = re.compile(r'href="(http://localhost/s/([A-Z0-9]{8}))"')


@pytest.fixture
def assistant(create_user):
    return create_user("assistant", full_name="Katarzyna Zielińska")


@pytest.fixture
def staff(client, login, assistant):
    """The test client, logged in as the family's assistant."""
    return login(assistant)


def issue_document(client, slug: str = "family_consent", data: dict | None = None) -> str:
    """Issues a document through the web form; returns its identifier."""
    doctype = DOCUMENT_TYPES.get(slug)
    response = client.post(f"/documents/new/{slug}", data=form_data(doctype, data or doctype.sample_data))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.location.rsplit("/", 1)[1]


def start_remote(client, doc_id: str) -> tuple[str, str]:
    """Starts signing on another device; returns (link path, session id) as the handoff page shows them."""
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "remote"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    session_id = response.location.rstrip("/").rsplit("/", 1)[1]
    page = client.get(response.location).get_data(as_text=True)
    match = LINK.search(page)
    assert match, page
    return match.group(1).removeprefix("http://localhost"), session_id


@pytest.fixture
def tablet(app):
    """A second browser without any staff login: the office tablet."""
    return app.test_client()
