"""Fixtures of the concurrency tests: the real application served by a real threaded WSGI server,
staff who talk to it over HTTP (API token or logged-in browser session), and a burst helper."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import select
from werkzeug.serving import make_server

from service import create_app
from service.accounts.models import User
from service.archive.models import DocumentRecord
from service.families.models import Case, CaseCounter, CaseNumber
from service.documents.convert import shared_pool
from service.extensions import db
from tests.conftest import DATABASES, fresh_database_url
from tests.helpers import confirm_office

# A client that is told "busy" (503 with Retry-After, when more work arrives than the converters
# take) tries again, as the API's users are told to; anything else is the answer.
MAX_TRIES = 30


@pytest.fixture
def server(app):
    """The app behind werkzeug's threaded server on a free port of 127.0.0.1; yields its base URL."""
    httpd, base = serve(app)
    yield base
    httpd.shutdown()


def serve(app):
    """Starts werkzeug's threaded server for `app` on a free port of 127.0.0.1; (server, base URL)."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}"


def own_pool_app(request, tmp_path, shared_dirs, monkeypatch, fresh_databases, converters: int, **config):
    """Like `app` (same databases), with a pool of its own on `converters` LibreOffice processes,
    which a test may kill, freeze or narrow (config: CONVERTER_QUEUE, CONVERTER_WAIT, ...)."""
    url = fresh_database_url(fresh_databases, request.param, tmp_path, "own.sqlite")
    monkeypatch.setenv("ASYSTA_INSTANCE_DIR", str(tmp_path / "instance"))
    profile = tmp_path / "lo-own"
    timeout = config.pop("CONVERSION_TIMEOUT", 20)
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "ADMIN_PASSWORD": "admin-haslo-testowe",
                      "SQLALCHEMY_DATABASE_URI": url, "ARCHIVE_DIR": tmp_path / "archive",
                      "CONVERTERS": converters, "CONVERSION_TIMEOUT": timeout, "CONVERTER_PROFILE_DIR": profile,
                      "DEV_SEAL_DIR": shared_dirs["DEV_SEAL_DIR"], **config})
    with app.app_context():
        confirm_office()
    yield app
    shared_pool(converters, profile, timeout=timeout).stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def solo_app(request, tmp_path, shared_dirs, monkeypatch, fresh_databases):
    """The app with two converters of its own that a test may kill."""
    yield from own_pool_app(request, tmp_path, shared_dirs, monkeypatch, fresh_databases, 2)


@pytest.fixture
def narrow_app(request, tmp_path, shared_dirs, monkeypatch, fresh_databases):
    """The app with one converter of its own that admits one waiting document (QUEUE=1)."""
    yield from own_pool_app(request, tmp_path, shared_dirs, monkeypatch, fresh_databases, 1, CONVERTER_QUEUE=1,
                            CONVERTER_WAIT=120, CONVERSION_TIMEOUT=60)


def pytest_generate_tests(metafunc):
    for name in ("solo_app", "narrow_app"):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, DATABASES, indirect=True)


def staff_token(app, login: str) -> dict[str, str]:
    """A new assistant `login` (through the models, like the CLI) and the headers of its API token."""
    with app.app_context():
        user = User(login=login, full_name="Katarzyna Zielińska", role="assistant")
        user.set_password("haslo-" + login)
        db.session.add(user)
        db.session.commit()
        db.session.remove()
    token = app.test_cli_runner().invoke(args=["users", "token", login]).output.strip()
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Answer:
    """The final answer to one request of a burst, and the answers before it (503 busy)."""

    status: int
    body: bytes
    headers: dict
    earlier: list[int]

    def json(self):
        import json
        return json.loads(self.body)


def send(method: Callable[..., requests.Response], url: str, **kwargs) -> Answer:
    """One request, repeated while the service answers 503 with Retry-After (at most MAX_TRIES)."""
    earlier: list[int] = []
    for _ in range(MAX_TRIES):
        response = method(url, allow_redirects=False, timeout=180, **kwargs)
        if response.status_code == 503 and "Retry-After" in response.headers:
            earlier.append(503)
            time.sleep(min(float(response.headers["Retry-After"]), 2.0))
            continue
        return Answer(response.status_code, response.content, dict(response.headers), earlier)
    raise AssertionError(f"still busy after {MAX_TRIES} tries: {url}")


def burst(jobs: list[Callable[[], Answer]]) -> list[Answer]:
    """Runs the jobs at the same moment (one thread each, released together); returns their answers."""
    gate = threading.Barrier(len(jobs))
    answers: list = [None] * len(jobs)

    def run(i: int) -> None:
        gate.wait()
        try:
            answers[i] = jobs[i]()
        except BaseException as exc:  # reported by the test, not lost in a thread
            answers[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    for a in answers:
        if isinstance(a, BaseException):
            raise a
    return answers


def browser(base: str, user) -> requests.Session:
    """A browser session logged in as this staff member (password 'haslo-' + login)."""
    web = requests.Session()
    response = web.post(f"{base}/login", data={"login": user.login, "password": "haslo-" + user.login},
                        allow_redirects=False, timeout=60)
    assert response.status_code == 302, response.text[:500]
    return web


def register(app) -> dict:
    """What the database holds: cases by (symbol, year) -> sorted numbers, reservations, counters, documents."""
    with app.app_context():
        cases: dict = {}
        for symbol, year, number in db.session.execute(select(Case.symbol, Case.year, Case.number)):
            cases.setdefault((symbol, year), []).append(number)
        numbers = db.session.execute(select(CaseNumber.symbol, CaseNumber.year, CaseNumber.number,
                                            CaseNumber.token)).all()
        counters = {(c.symbol, c.year): c.last_number for c in db.session.execute(select(CaseCounter)).scalars()}
        documents = db.session.execute(select(DocumentRecord)).scalars().all()
        files = {(d.docx_sha256, "docx") for d in documents} | {(d.pdf_sha256, "pdf") for d in documents}
        db.session.remove()
    return {"cases": {k: sorted(v) for k, v in cases.items()}, "numbers": numbers, "counters": counters,
            "documents": len(documents), "files": files}


def archived_files(app) -> set[tuple[str, str]]:
    """Every file in the archive folder, as (sha256, extension)."""
    root = app.config["ARCHIVE_DIR"]
    found = set()
    for path in root.rglob("*") if root.exists() else []:
        if path.is_file():
            stem, _, ext = path.name.partition(".")
            found.add((stem, ext))
    return found
