"""Every role lands on a start page that lists what it can do, with links."""
from __future__ import annotations

import pytest

from service.documents.registry import DOCUMENT_TYPES
from tests.helpers import form_data

ISSUE_LINKS = {slug: f'href="/documents/new/{slug}"' for slug in (t.slug for t in DOCUMENT_TYPES)}


@pytest.mark.parametrize("role", ["assistant", "social_worker", "head"])
def test_an_issuer_sees_the_documents_it_may_issue_and_its_recent_ones(app, client, create_user, login, role):
    login(create_user(role))
    page = client.get("/").get_data(as_text=True)
    for doctype in DOCUMENT_TYPES:
        assert (ISSUE_LINKS[doctype.slug] in page) == (role in doctype.issued_by), doctype.slug
    assert "Nie wystawiono jeszcze żadnego dokumentu." in page and "nie wystawia" not in page
    doctype = next(t for t in DOCUMENT_TYPES if role in t.issued_by)
    issued = client.post(f"/documents/new/{doctype.slug}", data=form_data(doctype, doctype.sample_data))
    assert issued.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert f'href="{issued.location}"' in page and "Twoje ostatnie dokumenty" in page


def test_the_archivist_sees_the_archive_and_the_seal_check(client, create_user, login):
    login(create_user("archivist"))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/archive"' in page and 'href="/verify"' in page and "wszystkie dokumenty ośrodka" in page
    assert not any(link in page for link in ISSUE_LINKS.values()) and "nie wystawia" not in page


def test_the_administrator_sees_the_office_profile_accounts_and_settings(client, create_user, login):
    admin = create_user("admin")
    create_user("assistant", login="kzielinska", full_name="Katarzyna Zielińska")
    login(admin)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/office"' in page and "Zatwierdzony" in page
    assert "Katarzyna Zielińska" in page and "kzielinska" in page and "asystent rodziny" in page
    assert "users create" in page and "Pieczęć: <strong>testowa</strong>" in page
    assert 'href="/archive"' not in page  # the administrator reads no family's documents
