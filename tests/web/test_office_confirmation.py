"""A fresh instance's office profile is empty; nothing is issued, on the web or by the API, until
the administrator has filled and confirmed it (who and when are recorded)."""
from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from service.archive.models import DocumentRecord
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.office.models import DEFAULT_CLASSES, PAUSED_MESSAGE, PROFILE_FIELDS, OfficeProfile, get_profile
from tests.helpers import TEST_CLASSES, TEST_OFFICE, form_data

CONSENT = DOCUMENT_TYPES["family_consent"]


def office_post(**changes) -> dict[str, str]:
    """The office page's form filled with tests.helpers.TEST_OFFICE, confirmed."""
    data = dict(TEST_OFFICE)
    titles = {key: title for key, _, title, _ in DEFAULT_CLASSES}
    for i, (key, (symbol, category)) in enumerate(sorted(TEST_CLASSES.items())):
        data |= {f"classes-{i}-key": key, f"classes-{i}-symbol": symbol, f"classes-{i}-title": titles[key],
                 f"classes-{i}-category": category}
    data["confirm"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def documents(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(DocumentRecord))


@pytest.mark.fresh_office
def test_a_fresh_instance_has_an_empty_unconfirmed_profile(app):
    with app.app_context():
        profile = get_profile()
        assert not profile.confirmed and profile.confirmed_by_id is None
        assert all(getattr(profile, name) == "" for name in PROFILE_FIELDS if name != "case_sign_pattern")


@pytest.mark.fresh_office
def test_issuing_waits_for_the_confirmed_profile(app, client, create_user, login, api_token):
    admin, assistant = create_user("admin", full_name="Ewa Administratorka"), create_user("assistant")
    token = api_token(assistant)

    login(assistant)
    start = client.get("/").get_data(as_text=True)
    assert PAUSED_MESSAGE in start
    form = client.get(f"/documents/new/{CONSENT.slug}").get_data(as_text=True)
    assert PAUSED_MESSAGE in form
    typed = form_data(CONSENT, CONSENT.sample_data)
    refused = client.post(f"/documents/new/{CONSENT.slug}", data=typed)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and PAUSED_MESSAGE in page
    assert 'value="Anna Kowalska"' in page  # what was typed is kept
    api = client.post(f"/api/documents/{CONSENT.slug}", json=CONSENT.sample_data, headers=token)
    assert api.status_code == 409 and api.get_json() == {"error": PAUSED_MESSAGE}
    assert documents(app) == 0

    client.post("/logout")
    login(admin)
    start = client.get("/").get_data(as_text=True)
    assert 'href="/office"' in start and "Niezatwierdzony" in start
    # saved without the tick: the data is kept, issuing stays paused
    assert client.post("/office", data=office_post(confirm=None)).status_code == 302
    assert client.post(f"/api/documents/{CONSENT.slug}", json=CONSENT.sample_data, headers=token).status_code == 409
    assert client.post("/office", data=office_post()).status_code == 302
    with app.app_context():
        profile = get_profile()
        assert profile.confirmed and profile.confirmed_by.full_name == "Ewa Administratorka"
        assert profile.name == TEST_OFFICE["name"]
    assert "Zatwierdzony przez <bdi>Ewa Administratorka</bdi>" in client.get("/").get_data(as_text=True)

    created = client.post(f"/api/documents/{CONSENT.slug}", json=CONSENT.sample_data, headers=token)
    assert created.status_code == 201, created.get_json()
    client.post("/logout")
    login(assistant)
    issued = client.post(f"/documents/new/{CONSENT.slug}", data=typed)
    assert issued.status_code == 302
    assert documents(app) == 2


def test_a_change_saved_without_confirming_pauses_issuing(app, client, create_user, login):
    admin = create_user("admin")
    login(admin)
    with app.app_context():
        confirmed_at = get_profile().confirmed_at
    # unchanged and confirmed again: the earlier confirmation stands
    assert client.post("/office", data=office_post()).status_code == 302
    with app.app_context():
        assert get_profile().confirmed_at == confirmed_at
    saved = client.post("/office", data=office_post(head_name="Maria Wiśniewska", confirm=None),
                        follow_redirects=True).get_data(as_text=True)
    assert "wystawianie dokumentów jest wstrzymane" in saved
    with app.app_context():
        profile = get_profile()
        assert profile.head_name == "Maria Wiśniewska" and not profile.confirmed


def test_the_office_page_asks_for_the_confirmation(app, client, create_user, login):
    login(create_user("admin"))
    page = client.get("/office").get_data(as_text=True)
    assert "Zatwierdzam dane urzędu" in page and 'id="confirm"' in page


def before_confirmation_migration(app) -> str:
    """The revision before the migration that adds office_profile.confirmed_at (found by its
    content: revision ids are renumbered when branches are merged)."""
    from pathlib import Path

    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    for revision in script.walk_revisions():
        if "'confirmed_at'" in Path(revision.path).read_text(encoding="utf-8"):
            return revision.down_revision
    raise AssertionError("no migration adds office_profile.confirmed_at")


def test_an_existing_profile_is_kept_but_must_be_confirmed_again(app):
    """Migration 0007_office_confirmed: an install from before keeps its values and is paused until confirmed."""
    with app.app_context():
        downgrade(revision=before_confirmation_migration(app))
        db.session.execute(text("UPDATE office_profile SET name = 'GOPS w Jastrzębi' WHERE id = 1"))
        db.session.commit()
        upgrade()
        profile = db.session.get(OfficeProfile, 1)
        db.session.refresh(profile)
        assert profile.name == "GOPS w Jastrzębi" and profile.nip == TEST_OFFICE["nip"]
        assert not profile.confirmed
