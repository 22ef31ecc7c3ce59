"""The administrator's accounts page: create with a one-time password, change the role and name,
deactivate and reactivate, reset a password; every change in the access log, no password anywhere."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.accounts import manage
from service.accounts.models import ROLES, StaffSession, User
from service.archive.models import AccessLog
from service.extensions import db

NEW_PASSWORD = "zielone-jablko-w-lesie"


def one_time_password(page: str) -> str:
    found = re.findall(r'<code class="secret" translate="no">([^<]+)</code>', page)
    assert len(found) == 1, page
    return found[0]


def log_rows(app, action: str) -> list[AccessLog]:
    with app.app_context():
        return db.session.execute(select(AccessLog).where(AccessLog.action == action)
                                  .order_by(AccessLog.id)).scalars().all()


def no_password_in_the_log(app, password: str) -> None:
    with app.app_context():
        details = db.session.execute(select(AccessLog.detail)).scalars().all()
    assert not any(password in detail for detail in details)


def account(app, login: str) -> User:
    with app.app_context():
        user = db.session.execute(select(User).where(User.login == login)).scalar_one()
        db.session.expunge(user)
    return user


def test_admin_creates_an_account_the_person_must_change_the_password_then_works(app, client, create_user, login):
    login(create_user("admin"))
    assert 'href="/accounts"' in client.get("/").get_data(as_text=True)
    assert client.get("/accounts/new").status_code == 200
    response = client.post("/accounts/new", data={"login": " kzielinska ", "full_name": "Katarzyna  Zielińska",
                                                   "role": "assistant"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    password = one_time_password(page)
    assert "kzielinska" in page and "nie da się go wyświetlić ponownie" in page
    created = account(app, "kzielinska")
    assert created.full_name == "Katarzyna Zielińska" and created.role == "assistant"
    assert created.must_change_password and created.password_hash.startswith("$argon2id$")
    assert password not in created.password_hash
    [entry] = log_rows(app, "account_create")
    assert (entry.object_type, entry.object_id) == ("user", str(created.id)) and "asystent rodziny" in entry.detail
    no_password_in_the_log(app, password)
    listing = client.get("/accounts").get_data(as_text=True)
    assert "Katarzyna Zielińska" in listing and "jednorazowe – do zmiany przy logowaniu" in listing

    person = app.test_client()
    assert person.post("/login", data={"login": "kzielinska", "password": password}).status_code == 302
    assert "/password" in person.get("/").location
    assert person.get("/documents/new/family_consent").status_code == 302  # nothing before the change
    changed = person.post("/password", data={"current": password, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert changed.status_code == 302
    assert person.get("/documents/new/family_consent").status_code == 200
    assert not account(app, "kzielinska").must_change_password
    assert "ustawione przez pracownika" in client.get("/accounts").get_data(as_text=True)


@pytest.mark.parametrize("data, field, message", [
    ({"login": "", "full_name": "Anna Nowak", "role": "head"}, "login", "Login nie może być pusty."),
    ({"login": "\u200b ", "full_name": "Anna Nowak", "role": "head"}, "login", "Login nie może być pusty."),
    ({"login": "x" * 65, "full_name": "Anna Nowak", "role": "head"}, "login", "najwyżej 64 znaki"),
    ({"login": "an\ue000owak", "full_name": "Anna Nowak", "role": "head"}, "login", "U+E000"),
    ({"login": "taken", "full_name": "Anna Nowak", "role": "head"}, "login", "Konto o loginie taken już istnieje"),
    ({"login": "anowak", "full_name": "", "role": "head"}, "full_name", "Podaj imię i nazwisko."),
    ({"login": "anowak", "full_name": "A" * 121, "role": "head"}, "full_name", "najwyżej 120 znaków"),
    ({"login": "anowak", "full_name": "Anna Nowak", "role": ""}, "role", "Wybierz rolę z listy."),
    ({"login": "anowak", "full_name": "Anna Nowak", "role": "root"}, "role", "Wybierz rolę z listy."),
])
def test_a_wrong_new_account_is_refused_at_its_field(app, client, create_user, login, data, field, message):
    create_user("assistant", login="taken")
    login(create_user("admin"))
    response = client.post("/accounts/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert error and message in error.group(1), page
    assert f'href="#{field}"' in page  # the error summary links to the field
    assert 'class="secret"' not in page
    with app.app_context():
        logins = set(db.session.execute(select(User.login)).scalars())
    assert logins == {"admin", "taken", "admin2"}
    if data["full_name"] and field != "full_name":
        assert f'value="{data["full_name"]}"' in page  # what was typed stays


def test_the_role_and_name_change_takes_effect_at_once(app, client, create_user, login):
    person = create_user("assistant")
    login(create_user("admin"))
    other = app.test_client()
    assert other.post("/login", data={"login": person.login, "password": "haslo-" + person.login}).status_code == 302
    assert other.get("/documents/new/family_consent").status_code == 200
    page = client.get(f"/accounts/{person.id}").get_data(as_text=True)
    assert 'value="Jan Testowy assistant1"' in page
    response = client.post(f"/accounts/{person.id}", data={"full_name": "Jan Archiwalny", "role": "archivist"})
    assert response.status_code == 302
    assert other.get("/documents/new/family_consent").status_code == 403
    assert other.get("/archive").status_code == 200
    assert "Jan Archiwalny" in other.get("/").get_data(as_text=True)
    [entry] = log_rows(app, "account_role")
    assert entry.object_id == str(person.id)
    assert "asystent rodziny → archiwista" in entry.detail and "Jan Archiwalny" in entry.detail
    client.post(f"/accounts/{person.id}", data={"full_name": "Jan Archiwista", "role": "archivist"})
    [renamed] = log_rows(app, "account_name")
    assert "Jan Archiwalny → Jan Archiwista" in renamed.detail
    refused = client.post(f"/accounts/{person.id}", data={"full_name": "", "role": "boss"})
    assert refused.status_code == 422
    assert "Podaj imię i nazwisko." in refused.get_data(as_text=True)
    assert account(app, person.login).full_name == "Jan Archiwista"


def test_a_deactivated_person_cannot_log_in_and_their_session_and_token_end(app, client, create_user, login,
                                                                            api_token):
    person = create_user("assistant")
    token = api_token(person)
    other = app.test_client()
    assert other.post("/login", data={"login": person.login, "password": "haslo-" + person.login}).status_code == 302
    assert other.get("/").status_code == 200
    assert other.get("/api/document-types", headers=token).status_code == 200
    login(create_user("admin"))
    response = client.post(f"/accounts/{person.id}/deactivate")
    assert response.status_code == 302
    assert "zostało wyłączone" in client.get(response.location).get_data(as_text=True)
    assert "/login" in other.get("/").location  # the open session ended
    assert other.get("/api/document-types", headers=token).status_code == 401
    again = other.post("/login", data={"login": person.login, "password": "haslo-" + person.login})
    assert "Nieprawidłowy login lub hasło." in again.get_data(as_text=True)
    with app.app_context():
        ended = db.session.execute(select(StaffSession.end_reason).where(StaffSession.user_id == person.id)).scalars()
        assert set(ended) == {"inactive"}
        assert db.session.get(User, person.id).api_token_digest is None
    [entry] = log_rows(app, "account_deactivate")
    assert entry.object_id == str(person.id) and "zakończone sesje: 1" in entry.detail
    assert "wyłączone" in client.get("/accounts").get_data(as_text=True)

    assert client.post(f"/accounts/{person.id}/reactivate").status_code == 302
    assert other.post("/login", data={"login": person.login, "password": "haslo-" + person.login}).status_code == 302
    assert other.get("/").status_code == 200
    assert other.get("/api/document-types", headers=token).status_code == 401  # a new token is needed
    [entry] = log_rows(app, "account_reactivate")
    assert entry.object_id == str(person.id)
    with app.app_context():
        assert db.session.get(User, person.id).full_name == person.full_name  # never deleted


def test_a_password_reset_gives_a_new_one_time_password_and_ends_the_sessions(app, client, create_user, login):
    person = create_user("social_worker")
    other = app.test_client()
    assert other.post("/login", data={"login": person.login, "password": "haslo-" + person.login}).status_code == 302
    login(create_user("admin"))
    response = client.post(f"/accounts/{person.id}/password")
    assert response.status_code == 200
    password = one_time_password(response.get_data(as_text=True))
    assert "/login" in other.get("/").location
    refused = other.post("/login", data={"login": person.login, "password": "haslo-" + person.login})
    assert "Nieprawidłowy login lub hasło." in refused.get_data(as_text=True)
    assert other.post("/login", data={"login": person.login, "password": password}).status_code == 302
    assert "/password" in other.get("/").location
    assert other.post("/password", data={"current": password, "new": NEW_PASSWORD,
                                         "repeat": NEW_PASSWORD}).status_code == 302
    assert other.get("/").status_code == 200
    [entry] = log_rows(app, "account_password_reset")
    assert entry.object_id == str(person.id) and "zakończone sesje: 1" in entry.detail
    no_password_in_the_log(app, password)
    # A second reset gives another password; the one shown before stops working.
    second = one_time_password(client.post(f"/accounts/{person.id}/password").get_data(as_text=True))
    assert second != password


def test_the_administrator_cannot_lock_themselves_or_the_office_out(app, client, create_user, login):
    admin = create_user("admin")
    login(admin)
    refused = client.post(f"/accounts/{admin.id}/deactivate")
    assert refused.status_code == 409 and "Nie możesz wyłączyć własnego konta." in refused.get_data(as_text=True)
    refused = client.post(f"/accounts/{admin.id}", data={"full_name": admin.full_name, "role": "head"})
    assert refused.status_code == 422 and "Nie możesz zmienić własnej roli" in refused.get_data(as_text=True)
    refused = client.post(f"/accounts/{admin.id}/password")
    assert refused.status_code == 409 and "Własne hasło zmienisz" in refused.get_data(as_text=True)
    assert account(app, admin.login).active and account(app, admin.login).role == "admin"
    assert log_rows(app, "account_deactivate") == [] and log_rows(app, "account_role") == []
    # The built-in administrator may be removed while another one remains…
    builtin = account(app, "admin")
    assert client.post(f"/accounts/{builtin.id}", data={"full_name": "Administrator", "role": "head"}).status_code == 302
    # …but two administrators removing each other at once leave one (the second removal is refused).
    other = create_user("admin")
    with app.app_context():
        first, second = db.session.get(User, admin.id), db.session.get(User, other.id)
        manage.deactivate(second, acting=first)
        db.session.commit()
        with pytest.raises(manage.AccountRefused, match="jedyne aktywne konto administratora"):
            manage.deactivate(first, acting=second)
        with pytest.raises(manage.AccountRefused, match="jedyne aktywne konto administratora"):
            manage.change(first, first.full_name, "head", acting=second)
        db.session.rollback()
        assert db.session.get(User, admin.id).active


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"admin"}))
def test_no_other_role_opens_any_accounts_route(app, client, create_user, login, role):
    target = create_user("assistant")
    login(create_user(role))
    routes = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("staff.")]
    assert len(routes) == 6
    for rule in routes:
        url = rule.rule.replace("<int:user_id>", str(target.id))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            data = {"login": "x", "full_name": "X Y", "role": "admin"} if method == "POST" else None
            assert client.open(url, method=method, data=data).status_code == 403, (method, url)
    assert account(app, target.login).active and account(app, target.login).role == "assistant"
    with app.app_context():
        assert db.session.execute(select(User).where(User.login == "x")).first() is None


def test_an_unknown_account_is_404(client, create_user, login):
    login(create_user("admin"))
    assert client.get("/accounts/9999").status_code == 404
    assert client.post("/accounts/9999/deactivate").status_code == 404


def test_the_buttons_need_the_csrf_token(app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True
    person, admin = create_user("assistant"), create_user("admin")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"login": admin.login, "password": "haslo-" + admin.login,
                                       "csrf_token": csrf}).status_code == 302
    assert client.post(f"/accounts/{person.id}/deactivate").status_code == 400
    assert account(app, person.login).active
    page = client.get(f"/accounts/{person.id}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post(f"/accounts/{person.id}/deactivate", data={"csrf_token": csrf}).status_code == 302
    assert not account(app, person.login).active
