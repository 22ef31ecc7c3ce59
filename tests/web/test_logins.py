"""Logging in (issue 8, OWASP ASVS 4.0.3 V2.1, V2.2, V3.2, V3.3, V7): throttling and lock-out per
login and per address, the log of every login, idle timeout and absolute lifetime, sessions ended
at logout and password change, the CSRF token renewed at login, and the password policy.
Time is moved with the `clock` fixture (config CLOCK), never by sleeping."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service import create_app
from service.accounts import passwords
from service.accounts.models import LoginFailures, User
from service.archive.models import AccessLog
from service.config import ConfigurationError
from service.extensions import db

WRONG = "Nieprawidłowy login lub hasło."


def attempt(client, login: str, password: str, **kwargs):
    return client.post("/login", data={"login": login, "password": password}, **kwargs)


def wait_message(response) -> str:
    match = re.search(r"Zbyt wiele nieudanych prób\. Spróbuj ponownie po [0-9:.\s]+\.", response.get_data(as_text=True))
    return match.group(0) if match else ""


def log_rows(app, action: str | None = None) -> list[AccessLog]:
    with app.app_context():
        query = select(AccessLog).order_by(AccessLog.id)
        if action:
            query = query.where(AccessLog.action == action)
        rows = db.session.execute(query).scalars().all()
        db.session.expunge_all()
        return rows


# --- throttling and lock-out --------------------------------------------------------------------

def test_failures_slow_down_then_lock_the_login_saying_until_when(app, client, create_user, clock):
    user = create_user("assistant")
    right = "haslo-" + user.login
    for _ in range(4):
        response = attempt(client, user.login, "zle-haslo")
        assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
    assert WRONG in attempt(client, user.login, "zle-haslo").get_data(as_text=True)  # 5th: still checked
    # From the 5th failure on the next attempt waits (1 minute, to the whole minute: 13:19 UTC is
    # 14:19 in Warsaw); even the right password is not checked meanwhile.
    blocked = attempt(client, user.login, right)
    assert blocked.status_code == 429 and blocked.headers["Retry-After"] == "115"
    assert wait_message(blocked) == "Zbyt wiele nieudanych prób. Spróbuj ponownie po 14:19."
    assert WRONG not in blocked.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in
    # Each further failure doubles the wait (2, 4, 8, then at most 15 minutes); the 10th locks the
    # login for 15 minutes.
    def at(hour: int, minute: int) -> None:
        clock.now = clock.now.replace(hour=hour, minute=minute, second=0)

    for (hour, minute), until in (((13, 19), "14:21"), ((13, 21), "14:25"), ((13, 25), "14:33"),
                                  ((13, 33), "14:48"), ((13, 48), "15:03")):
        at(hour, minute)
        assert WRONG in attempt(client, user.login, "zle-haslo").get_data(as_text=True)
        assert wait_message(attempt(client, user.login, right)).endswith(f"po {until}."), until
    at(14, 2)
    assert attempt(client, user.login, right).status_code == 429  # 15:02 in Warsaw: still locked
    at(14, 3)
    assert attempt(client, user.login, right).status_code == 302
    # A successful login resets the login's counter: one failure is again only a failure.
    client.post("/logout")
    assert WRONG in attempt(client, user.login, "zle-haslo").get_data(as_text=True)
    assert attempt(client, user.login, right).status_code == 302
    with app.app_context():
        row = db.session.get(LoginFailures, "login:" + user.login)
        assert row is None or row.failures == 0


def test_failures_are_counted_within_an_hour_from_the_first(client, create_user, clock):
    user = create_user("assistant")
    for _ in range(4):
        assert attempt(client, user.login, "zle-haslo").status_code == 200
    clock.advance(minutes=60)  # a new window: the four are forgotten
    for _ in range(5):
        assert attempt(client, user.login, "zle-haslo").status_code == 200
    assert attempt(client, user.login, "haslo-" + user.login).status_code == 429


def test_an_unknown_login_is_throttled_like_a_known_one(client, create_user, clock):
    create_user("assistant", login="istnieje")
    answers = {}
    for login in ("istnieje", "nie-istnieje"):
        pages = [attempt(client, login, "zle-haslo") for _ in range(6)]
        answers[login] = [(p.status_code, WRONG in p.get_data(as_text=True), wait_message(p)) for p in pages]
    assert answers["istnieje"] == answers["nie-istnieje"]
    assert answers["istnieje"][-1] == (429, False, "Zbyt wiele nieudanych prób. Spróbuj ponownie po 14:19.")


def test_an_address_is_locked_after_many_failures_on_any_logins(app, create_user, clock):
    user = create_user("assistant")
    here, there = app.test_client(), app.test_client()
    elsewhere = {"environ_base": {"REMOTE_ADDR": "192.0.2.7"}}
    # An address has thresholds of its own, higher than a login's (20 and 50 by default; 6 and 8
    # here, to keep the test short): each failure on another login, so no login's own counter
    # grows; the clock moves past each wait, within the 60 minutes in which failures are counted.
    assert (app.config["LOGIN_ADDRESS_DELAY_AFTER"], app.config["LOGIN_ADDRESS_LOCK_AFTER"]) == (20, 50)
    app.config.update(LOGIN_ADDRESS_DELAY_AFTER=6, LOGIN_ADDRESS_LOCK_AFTER=8)
    for n in range(8):
        clock.advance(minutes=3 if n >= 6 else 0)
        response = attempt(here, f"ktos{n}", "zle-haslo")
        assert response.status_code == 200, n
    blocked = attempt(here, user.login, "haslo-" + user.login)
    assert blocked.status_code == 429 and wait_message(blocked)
    # The same account from another address logs in: the lock is the address's.
    assert attempt(there, user.login, "haslo-" + user.login, **elsewhere).status_code == 302
    clock.advance(minutes=16)
    assert attempt(here, user.login, "haslo-" + user.login).status_code == 302
    # A success does not reset the address's counter (an attacker's own account would otherwise
    # let them guess on): the next failure from it locks again.
    here.post("/logout")
    assert WRONG in attempt(here, "ktos-jeszcze", "zle-haslo").get_data(as_text=True)
    assert attempt(here, user.login, "haslo-" + user.login).status_code == 429


def test_an_ipv6_client_is_counted_by_its_64_network(app, client, clock):
    app.config["LOGIN_ADDRESS_DELAY_AFTER"] = 3
    for n in range(3):
        attempt(client, f"ktos{n}", "zle-haslo", environ_base={"REMOTE_ADDR": f"2001:db8:1:2::{n + 1}"})
    other_host = attempt(client, "ktos9", "zle-haslo", environ_base={"REMOTE_ADDR": "2001:db8:1:2:ffff::9"})
    assert other_host.status_code == 429
    other_network = attempt(client, "ktos9", "zle-haslo", environ_base={"REMOTE_ADDR": "2001:db8:1:3::1"})
    assert other_network.status_code == 200


# --- the log of logins --------------------------------------------------------------------------

def test_every_failed_and_successful_login_is_logged_without_the_password(app, client, create_user):
    user = create_user("assistant")
    attempt(client, "nikt-taki", "tajne-haslo-nieznanego")
    attempt(client, user.login, "tajne-zle-haslo")
    attempt(client, "x" * 200, "tajne-dlugie")
    assert attempt(client, user.login, "haslo-" + user.login).status_code == 302
    failed = log_rows(app, "login_failed")
    assert [(r.object_id, r.user_id, r.ip) for r in failed] == [
        ("", None, "127.0.0.1"), (str(user.id), None, "127.0.0.1"), ("", None, "127.0.0.1")]
    assert failed[0].detail == "login „nikt-taki”; strona logowania; nieznany login"
    assert failed[1].detail == f"login „{user.login}”; strona logowania; złe hasło"
    assert failed[2].detail.startswith("login „" + "x" * 64 + "”;")  # the login typed, truncated
    [ok] = log_rows(app, "login")
    assert (ok.user_id, ok.object_id) == (user.id, str(user.id))
    every_value = " ".join(f"{r.action} {r.object_id} {r.detail}" for r in log_rows(app))
    assert "tajne" not in every_value and "haslo-" + user.login not in every_value


def test_a_blocked_attempt_is_logged(app, client, clock):
    for _ in range(6):
        attempt(client, "ktos", "zle-haslo")
    [blocked] = log_rows(app, "login_blocked")
    assert blocked.detail == "login „ktos”; strona logowania"


def test_an_unknown_login_costs_an_argon2_verification(client):
    passwords._dummy_hash = None  # the dummy hash is made by the first verification that needs it
    attempt(client, "nikt-taki", "jakies-haslo")
    assert passwords._dummy_hash is not None and passwords._dummy_hash.startswith("$argon2id$")


def test_an_inactive_account_gets_the_same_answer(app, client, create_user):
    user = create_user("assistant")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = attempt(client, user.login, "haslo-" + user.login)
    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
    assert log_rows(app, "login_failed")[-1].detail.endswith("konto nieaktywne")


# --- sessions -----------------------------------------------------------------------------------

def test_an_idle_session_ends_after_30_minutes(client, create_user, login, clock):
    login(create_user("assistant"))
    for _ in range(3):  # activity keeps it alive
        clock.advance(minutes=29)
        assert client.get("/").status_code == 200
    clock.advance(minutes=30)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location
    clock.advance(seconds=1)
    assert client.get("/").status_code == 302  # and it stays ended


def test_a_session_ends_12_hours_after_the_login_however_active(app, client, create_user, login, clock):
    login(create_user("assistant"))
    for _ in range(35):  # every 20 minutes for 11 h 40 min
        clock.advance(minutes=20)
        assert client.get("/").status_code == 200
    clock.advance(minutes=20)
    assert client.get("/").status_code == 302


def test_a_cookie_copied_before_logout_no_longer_works(app, client, create_user, login):
    login(create_user("assistant"))
    cookie = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_a_password_change_ends_the_other_sessions(app, create_user):
    user = create_user("assistant")
    office, home = app.test_client(), app.test_client()
    for browser in (office, home):
        assert attempt(browser, user.login, "haslo-" + user.login).status_code == 302
    before = office.get_cookie("session").value
    changed = office.post("/password", data={"current": "haslo-" + user.login, "new": "zielone-jablko-w-lesie",
                                             "repeat": "zielone-jablko-w-lesie"})
    assert changed.status_code == 302
    assert office.get("/").status_code == 200  # this browser goes on, with a fresh session token
    assert home.get("/").status_code == 302  # the other browser is logged out
    old = app.test_client()
    old.set_cookie("session", before)
    assert old.get("/").status_code == 302  # the token from before the change is ended too
    assert attempt(home, user.login, "zielone-jablko-w-lesie").status_code == 302


def test_the_csrf_token_is_renewed_at_login(app, client, create_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = create_user("assistant")

    def token(page: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    before = token(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"login": user.login, "password": "haslo-" + user.login,
                                       "csrf_token": before}).status_code == 302
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400  # the old token is dead
    after = token(client.get("/password").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302



def test_an_api_token_opens_the_api_only_never_the_pages(app, create_user, api_token):
    # A token is a static secret for the JSON API (ASVS 4.0.3 3.5.2): on the pages it would be a
    # session with no idle timeout, lifetime, logout or required password change.
    user = create_user("assistant")
    token = api_token(user)
    browser = app.test_client()
    for page in ("/", "/archive", "/password", "/scans", "/verify"):
        response = browser.get(page, headers=token)
        assert response.status_code == 302 and "/login" in response.location, page
    assert browser.get("/api/document-types", headers=token).status_code == 200

# --- the password policy ------------------------------------------------------------------------

@pytest.mark.parametrize("weak, message", [
    ("aaaaaaaaaaaa", "powtarza te same znaki"),
    ("password", "co najmniej 12 znaków"),
    ("qwertyuiop12", "najczęściej używanych haseł"),
    ("abcdefghijkl", "ciąg kolejnych znaków"),
])
def test_weak_passwords_are_refused_on_the_page(app, client, create_user, login, weak, message):
    user = create_user("assistant")
    login(user)
    response = client.post("/password", data={"current": "haslo-" + user.login, "new": weak, "repeat": weak})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert re.search(r'id="new"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="new"', page)
    client.post("/logout")
    assert attempt(client, user.login, weak).status_code == 200  # unchanged
    assert attempt(client, user.login, "haslo-" + user.login).status_code == 302


def test_a_password_built_on_ones_own_name_is_refused(client, create_user, login):
    user = create_user("assistant", login="kzielinska", full_name="Katarzyna Zielińska")
    login(user)
    page = client.post("/password", data={"current": "haslo-kzielinska", "new": "kzielinska-2024",
                                          "repeat": "kzielinska-2024"}).get_data(as_text=True)
    assert "zawiera login, imię lub nazwisko" in page


@pytest.mark.parametrize("weak", ["password", "aaaaaaaaaaaa", "qwertyuiop12"])
def test_weak_passwords_are_refused_in_the_cli(app, runner, create_user, weak):
    created = runner.invoke(args=["users", "create", "jkowal", "--role", "assistant", "--password", weak])
    assert created.exit_code != 0
    assert "Hasło musi mieć co najmniej 12 znaków" in created.output or "To hasło łatwo odgadnąć" in created.output
    user = create_user("assistant")
    reset = runner.invoke(args=["users", "password", user.login, "--password", weak])
    assert reset.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(User).where(User.login == "jkowal")) is None
        assert db.session.get(User, user.id).check_password("haslo-" + user.login)


def test_cli_accounts_change_the_password_at_first_login_unless_told_otherwise(app, runner):
    for login, flag in (("anowak", []), ("bnowak", ["--no-require-change"])):
        result = runner.invoke(args=["users", "create", login, "--role", "assistant", *flag,
                                     "--password", "zielone-jablko-w-lesie"])
        assert result.exit_code == 0, result.output
    first, second = app.test_client(), app.test_client()
    assert attempt(first, "anowak", "zielone-jablko-w-lesie").status_code == 302
    assert "/password" in first.get("/").location
    assert attempt(second, "bnowak", "zielone-jablko-w-lesie").status_code == 302
    assert second.get("/").status_code == 200



def test_cli_logins_are_read_like_the_login_pages_field(app, runner):
    # The login page normalises what is typed (NFC, spaces around it and invisible characters
    # gone): an account created with them could never log in; over 64 characters it did not fit.
    decomposed = "zo\u0301sia"  # "zósia" as some keyboards and terminals send it
    for typed in (" anowak ", decomposed):
        result = runner.invoke(args=["users", "create", typed, "--role", "assistant", "--no-require-change",
                                     "--password", "zielone-jablko-w-lesie"])
        assert result.exit_code == 0, result.output
    assert attempt(app.test_client(), "anowak", "zielone-jablko-w-lesie").status_code == 302
    assert attempt(app.test_client(), "z\u00f3sia", "zielone-jablko-w-lesie").status_code == 302
    for typed in ("x" * 65, " ", "\u200b"):
        result = runner.invoke(args=["users", "create", typed, "--role", "assistant",
                                     "--password", "zielone-jablko-w-lesie"])
        assert result.exit_code == 1 and "Login" in result.output, (typed, result.output)
    assert runner.invoke(args=["users", "token", " anowak"]).exit_code == 0
    with app.app_context():
        assert sorted(db.session.scalars(select(User.login))) == ["admin", "anowak", "z\u00f3sia"]

def test_cli_password_reset_ends_the_accounts_sessions(app, runner, client, create_user, login):
    user = create_user("assistant")
    login(user)
    result = runner.invoke(args=["users", "password", user.login, "--password", "zielone-jablko-w-lesie"])
    assert result.exit_code == 0, result.output
    assert client.get("/").status_code == 302
    assert attempt(client, user.login, "zielone-jablko-w-lesie").status_code == 302
    assert "/password" in client.get("/").location  # a password set by the administrator is changed at once


def test_a_weak_admin_password_refuses_to_start(tmp_path, monkeypatch, shared_dirs):
    monkeypatch.setenv("ASYSTA_INSTANCE_DIR", str(tmp_path))
    with pytest.raises(ConfigurationError, match="ASYSTA_ADMIN_PASSWORD jest za słabe: Hasło musi mieć co najmniej 12"):
        create_app({"TESTING": True, "ADMIN_PASSWORD": "a", **shared_dirs,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'weak.sqlite'}"})
    with pytest.raises(ConfigurationError, match="łatwo odgadnąć"):
        create_app({"TESTING": True, "ADMIN_PASSWORD": "admin1234567", **shared_dirs,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'weak.sqlite'}"})
