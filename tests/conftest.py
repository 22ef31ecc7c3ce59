"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
its client, and factories for staff accounts. LibreOffice and the development seal are real."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from service import create_app
from service.config import database_url
from service.accounts.models import User
from service.extensions import db as _db

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session")
def shared_dirs(tmp_path_factory):
    """Directories kept for the whole run: the LibreOffice profiles and the development seal."""
    root = tmp_path_factory.mktemp("asysta-shared")
    return {"CONVERTER_PROFILE_DIR": root / "libreoffice", "DEV_SEAL_DIR": root / "seal"}


def _reset_postgresql(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def pytest_configure(config):
    config.addinivalue_line("markers", "fresh_office: the app keeps a fresh instance's empty, unconfirmed "
                                       "office profile (by default tests get tests.helpers.TEST_OFFICE, confirmed)")


@pytest.fixture(params=DATABASES)
def app(request, tmp_path, shared_dirs, monkeypatch):
    """A fresh application with a migrated database and its own archive folder.

    The office profile is filled and confirmed (tests.helpers.confirm_office), so documents can be
    issued; a test marked `fresh_office` gets the empty, unconfirmed profile of a new instance.
    """
    monkeypatch.setenv("ASYSTA_INSTANCE_DIR", str(tmp_path / "instance"))
    if request.param == "postgresql":
        url = database_url(os.environ["TEST_DATABASE_URL"])
        _reset_postgresql(url)
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "ARCHIVE_DIR": tmp_path / "archive",
        "WTF_CSRF_ENABLED": False,
        "ADMIN_PASSWORD": "admin-haslo-testowe",
        "CONVERTERS": 2,
        **shared_dirs,
    })
    if request.node.get_closest_marker("fresh_office") is None:
        from tests.helpers import confirm_office
        with app.app_context():
            confirm_office()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def create_user(app):
    """create_user(role, login=None) -> User (password 'haslo-' + login)."""
    counter = {"n": 0}

    def make(role: str, login: str | None = None, full_name: str | None = None) -> User:
        counter["n"] += 1
        login = login or f"{role}{counter['n']}"
        with app.app_context():
            user = User(login=login, role=role, full_name=full_name or f"Jan Testowy {login}")
            user.set_password("haslo-" + login)
            _db.session.add(user)
            _db.session.commit()
            _db.session.refresh(user)
            _db.session.expunge(user)
        return user

    return make


@pytest.fixture
def login(client):
    """login(user): logs the test client in as this user."""

    def do(user: User):
        response = client.post("/login", data={"login": user.login, "password": "haslo-" + user.login})
        assert response.status_code == 302, response.data
        return client

    return do


@pytest.fixture
def clock(app):
    """The app's clock for logins and sessions (config CLOCK), set by the test: clock.now is an aware
    UTC datetime (starts at 2026-03-02 13:17:05 UTC, 14:17:05 in Warsaw); clock.advance(**timedelta)."""
    import datetime as dt

    class Clock:
        now = dt.datetime(2026, 3, 2, 13, 17, 5, tzinfo=dt.timezone.utc)

        def advance(self, **delta) -> None:
            self.now += dt.timedelta(**delta)

    clock = Clock()
    app.config["CLOCK"] = lambda: clock.now
    return clock


@pytest.fixture
def api_token(app, runner):
    """api_token(user) -> a Bearer header for that user, issued by `flask users token`."""

    def make(user: User) -> dict[str, str]:
        result = runner.invoke(args=["users", "token", user.login])
        assert result.exit_code == 0, result.output
        return {"Authorization": f"Bearer {result.output.strip()}"}

    return make



# --- issue 7 (multi-script): every PDF the service archives is checked (PDF/A-2b, no .notdef) ---
@pytest.fixture(autouse=True)
def _archived_pdfs_are_pdfa(monkeypatch):
    """Wraps ArchiveStore.put: a PDF the service produced and archives must pass pdfa_report
    (tests/pdf_checks.py says which are checked); the test fails at teardown otherwise."""
    from service.archive.store import ArchiveStore
    from tests.pdf_checks import check_archived_pdf, produced_by_the_service

    original = ArchiveStore.put
    failures: list[str] = []

    def put(self, data, ext):
        if ext == "pdf" and produced_by_the_service(data):
            failures.extend(check_archived_pdf(bytes(data)))
        return original(self, data, ext)

    monkeypatch.setattr(ArchiveStore, "put", put)
    yield
    assert not failures, "Archived PDF is not PDF/A-2b: " + " ".join(failures)
# --- end of issue 7 (multi-script) block ---
