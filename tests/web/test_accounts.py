"""Accounts: the first administrator, the CLI, argon2 hashes, the forced password change."""
from __future__ import annotations


from sqlalchemy import select

from service import create_app
from service.accounts.models import User
from service.extensions import db


def test_users_create_and_login(app, client, runner):
    result = runner.invoke(args=["users", "create", "kzielinska", "--role", "assistant", "--no-require-change",
                                 "--password", "bardzo-tajne-haslo", "--name", "Katarzyna Zielińska"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "kzielinska"))
        assert user.password_hash.startswith("$argon2id$")
    response = client.post("/login", data={"login": "kzielinska", "password": "bardzo-tajne-haslo"})
    assert response.status_code == 302
    assert "Katarzyna Zielińska" in client.get("/").get_data(as_text=True)
    again = runner.invoke(args=["users", "create", "kzielinska", "--role", "assistant", "--password", "bardzo-tajne-haslo"])
    assert again.exit_code != 0 and "już istnieje" in again.output


def test_wrong_password(client, create_user):
    user = create_user("assistant")
    html = client.post("/login", data={"login": user.login, "password": "zle"}).get_data(as_text=True)
    assert "Nieprawidłowy login lub hasło." in html


def test_first_start_prints_one_time_password(tmp_path, capfd, monkeypatch, shared_dirs):
    monkeypatch.setenv("ASYSTA_INSTANCE_DIR", str(tmp_path))
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "ADMIN_PASSWORD": None, **shared_dirs,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'first.sqlite'}"})
    err = capfd.readouterr().err
    assert "jednorazowe hasło" in err
    password = err.split("jednorazowe hasło: ")[1].split()[0]
    client = app.test_client()
    assert client.post("/login", data={"login": "admin", "password": password}).status_code == 302
    assert "/password" in client.get("/").location  # must change the one-time password first
    response = client.post("/password", data={"current": password, "new": "nowe-dlugie-haslo", "repeat": "nowe-dlugie-haslo"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_login_redirect_stays_local(client, create_user):
    user = create_user("assistant")
    response = client.post("/login?next=https://evil.example/x", data={"login": user.login, "password": "haslo-" + user.login})
    assert response.location == "/"


def test_users_create_normalises_the_name_printed_on_documents(app, runner):
    # Word's Shift+Enter and an invisible space, as pasted into a terminal; then a private-use
    # character, which no font draws: refused with the field's message, no account created.
    result = runner.invoke(args=["users", "create", "anowak", "--role", "head", "--password", "zielone-jablko-w-lesie",
                                 "--name", "Anna\u000bNo\u200bwak"])
    assert result.exit_code == 0, result.output
    refused = runner.invoke(args=["users", "create", "bnowak", "--role", "head", "--password", "zielone-jablko-w-lesie",
                                  "--name", "Beata \ue000 Nowak"])
    assert refused.exit_code != 0 and "Imię i nazwisko" in refused.output and "U+E000" in refused.output
    with app.app_context():
        assert db.session.scalar(select(User.full_name).where(User.login == "anowak")) == "Anna Nowak"
        assert db.session.scalar(select(User).where(User.login == "bnowak")) is None
