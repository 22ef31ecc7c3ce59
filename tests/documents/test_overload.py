"""More documents than the converters take: 503 with Retry-After and a Polish message, the form
keeps what was typed, nothing is stored. Real LibreOffice, frozen with SIGSTOP while it converts.

Runs once, on SQLite: the refusal happens before anything reaches the database.
"""
from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

from service import converter_pool, create_app
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from tests.documents.test_convert import make_docx, soffice_pids, wait_for
from tests.documents.test_failures import logged_in_client, nothing_archived
from tests.helpers import confirm_office, form_data, submitted

DOCTYPE = DOCUMENT_TYPES["family_consent"]
BUSY = "Serwer przygotowuje teraz zbyt wiele dokumentów naraz"


@pytest.fixture
def busy_app(tmp_path, shared_dirs, monkeypatch):
    """An app whose one converter admits no waiting document, and is busy with a frozen one."""
    monkeypatch.setenv("ASYSTA_INSTANCE_DIR", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "ADMIN_PASSWORD": "admin-haslo-testowe",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'busy.sqlite'}",
                      "ARCHIVE_DIR": tmp_path / "archive", "CONVERTERS": 1, "CONVERTER_QUEUE": 0,
                      "CONVERTER_PROFILE_DIR": tmp_path / "lo-busy", "DEV_SEAL_DIR": shared_dirs["DEV_SEAL_DIR"]})
    with app.app_context():
        confirm_office()
    pool = converter_pool(app)
    pool.start(wait=True)
    [soffice] = soffice_pids(pool.profile_root)
    os.kill(soffice, signal.SIGSTOP)
    executor = ThreadPoolExecutor(1)
    try:
        occupying = executor.submit(pool.convert, make_docx(1))
        wait_for(lambda: pool.status()[0]["state"] == "busy")
        yield app, lambda: os.kill(soffice, signal.SIGCONT), occupying
    finally:
        os.kill(soffice, signal.SIGCONT)
        executor.shutdown(wait=True)
        pool.stop()
        with app.app_context():
            db.engine.dispose()


def test_overload_gives_503_with_retry_after_and_keeps_the_form(busy_app):
    app, resume, occupying = busy_app
    client = logged_in_client(app)
    token = app.test_cli_runner().invoke(args=["users", "token", "ar"]).output.strip()

    api = client.post(f"/api/documents/{DOCTYPE.slug}", json=DOCTYPE.sample_data,
                      headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503
    assert api.headers["Retry-After"].isdigit() and int(api.headers["Retry-After"]) >= 1
    assert api.json["error"].startswith(BUSY)
    assert "nic nie zostało zapisane" in api.json["error"]

    typed = form_data(DOCTYPE, DOCTYPE.sample_data)
    web = client.post(f"/documents/new/{DOCTYPE.slug}", data=typed)
    assert web.status_code == 503
    assert int(web.headers["Retry-After"]) >= 1
    html = web.get_data(as_text=True)
    assert BUSY in html
    shown = submitted(html)
    assert {name: shown.get(name) for name in typed} == typed  # everything typed is still there

    assert nothing_archived(app)
    resume()
    assert occupying.result(timeout=60).startswith(b"%PDF")
    again = client.post(f"/api/documents/{DOCTYPE.slug}", json=DOCTYPE.sample_data,
                        headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 201  # once the converter is free, the same request goes through
