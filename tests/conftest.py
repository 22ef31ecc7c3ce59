"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
its client, and factories for staff accounts. LibreOffice and the development seal are real."""
from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

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


# --- speed: the argon2 cost and the migrations are paid once per run, not once per test ---
# The production hasher's parameters, as the service module made them (tests/test_password_cost.py
# checks they are argon2's RFC 9106 defaults); tests hash with the same code at the cheapest cost.
PRODUCTION_ARGON2 = None


def _cheap_argon2() -> None:
    """Swaps the service's argon2 hasher for one with the lowest cost (argon2id all the same): a hash
    at the production cost takes ~0.25 s of a core, and every user, login and app paid it."""
    global PRODUCTION_ARGON2
    from service.accounts import models, passwords
    if PRODUCTION_ARGON2 is None:
        PRODUCTION_ARGON2 = models._hasher
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    models._hasher = passwords._hasher = cheap
    passwords._dummy_hash = None


def _test_config(url: str, tmp_path, shared_dirs, **config) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "ARCHIVE_DIR": tmp_path / "archive",
            "WTF_CSRF_ENABLED": False, "ADMIN_PASSWORD": "admin-haslo-testowe", "CONVERTERS": 2,
            **shared_dirs, **config}


def _migrated(url: str, tmp_path, shared_dirs) -> None:
    """Runs the app's first start (migrations, office profile, administrator) on `url`."""
    before = os.environ.get("ASYSTA_INSTANCE_DIR")
    os.environ["ASYSTA_INSTANCE_DIR"] = str(tmp_path / "instance")
    try:
        app = create_app(_test_config(url, tmp_path, shared_dirs))
    finally:
        if before is None:
            del os.environ["ASYSTA_INSTANCE_DIR"]
        else:
            os.environ["ASYSTA_INSTANCE_DIR"] = before
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _pg_schema(conn) -> str:
    """A fingerprint of the public schema (columns, indexes, constraints, migration head)."""
    rows = [conn.execute(sa.text(q)).all() for q in (
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns"
        " WHERE table_schema = 'public' ORDER BY 1, 2",
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
        " ORDER BY 1, 2",
        "SELECT version_num FROM alembic_version")]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class FreshDatabases:
    """A clean, migrated database per test at the cost of a copy (SQLite) or a TRUNCATE (PostgreSQL).

    The migrations run once per run and database: SQLite's migrated file (with the first start's
    administrator and empty office profile) is copied for each test; PostgreSQL's tables are emptied
    (identities restarted) and the app's first start fills them again. A test that changed the
    PostgreSQL schema (a downgrade) is noticed by the schema's fingerprint: the next test gets the
    schema dropped and migrated anew, as every test did before.
    """

    def __init__(self, tmp_path_factory, shared_dirs):
        self.tmp_path_factory, self.shared_dirs = tmp_path_factory, shared_dirs
        self.sqlite_template = None
        self.pg_fingerprint = None

    def sqlite(self, path) -> str:
        if self.sqlite_template is None:
            work = self.tmp_path_factory.mktemp("migrated-sqlite")
            template = work / "template.sqlite"
            _migrated(f"sqlite:///{template}", work, self.shared_dirs)
            self.sqlite_template = template
        source, target = sqlite3.connect(self.sqlite_template), sqlite3.connect(path)
        try:
            source.backup(target)  # the pages of the WAL too
        finally:
            target.close()
            source.close()
        return f"sqlite:///{path}"

    def postgresql(self) -> str:
        url = database_url(os.environ["TEST_DATABASE_URL"])
        engine = sa.create_engine(url)
        try:
            if self.pg_fingerprint is not None:
                with engine.begin() as conn:
                    if _pg_schema(conn) == self.pg_fingerprint:
                        tables = [t for t in sa.inspect(conn).get_table_names() if t != "alembic_version"]
                        if tables:
                            conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                                                 + " RESTART IDENTITY CASCADE"))
                        return url
            _reset_postgresql(url)
            _migrated(url, self.tmp_path_factory.mktemp("migrated-pg"), self.shared_dirs)
            with engine.begin() as conn:
                self.pg_fingerprint = _pg_schema(conn)
            return self.postgresql()
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def fresh_databases(tmp_path_factory, shared_dirs):
    return FreshDatabases(tmp_path_factory, shared_dirs)


def fresh_database_url(fresh_databases, kind: str, tmp_path, name: str = "test.sqlite") -> str:
    """The URL of a clean database migrated to the head, of `kind` "sqlite" or "postgresql"."""
    if kind == "postgresql":
        return fresh_databases.postgresql()
    return fresh_databases.sqlite(tmp_path / name)


def pytest_configure(config):
    _cheap_argon2()
    config.addinivalue_line("markers", "fresh_office: the app keeps a fresh instance's empty, unconfirmed "
                                       "office profile (by default tests get tests.helpers.TEST_OFFICE, confirmed)")


@pytest.fixture(params=DATABASES)
def app(request, tmp_path, shared_dirs, monkeypatch, fresh_databases):
    """A fresh application with a clean migrated database (FreshDatabases) and its own archive folder.

    The office profile is filled and confirmed (tests.helpers.confirm_office), so documents can be
    issued; a test marked `fresh_office` gets the empty, unconfirmed profile of a new instance.
    """
    url = fresh_database_url(fresh_databases, request.param, tmp_path)
    monkeypatch.setenv("ASYSTA_INSTANCE_DIR", str(tmp_path / "instance"))
    app = create_app(_test_config(url, tmp_path, shared_dirs))
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
