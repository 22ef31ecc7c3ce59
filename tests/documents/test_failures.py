"""Failures anywhere in the pipeline leave nothing behind: no file, no row, no case number."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from sqlalchemy import func, select

from service import create_app, pipeline
from service.accounts.models import User
from service.archive.models import DocumentRecord
from service.families.models import Case, CaseCounter
from service.documents.convert import shared_pool
from service.documents.converter import profile_processes
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from tests.helpers import confirm_office, form_data

DOCTYPE = DOCUMENT_TYPES["family_consent"]


def nothing_archived(app) -> bool:
    with app.app_context():
        counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (DocumentRecord, Case, CaseCounter)]
    root = app.config["ARCHIVE_DIR"]
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return counts == [0, 0, 0] and files == []


def logged_in_client(app):
    with app.app_context():
        user = User(login="ar", full_name="Katarzyna Zielińska", role="assistant")
        user.set_password("haslo-ar")
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"login": "ar", "password": "haslo-ar"}).status_code == 302
    return client


@pytest.fixture
def solo_app(tmp_path, shared_dirs, monkeypatch):
    """An app with a one-converter pool of its own, so killing it cannot disturb other tests."""
    monkeypatch.setenv("ASYSTA_INSTANCE_DIR", str(tmp_path / "instance"))
    profile = tmp_path / "lo-solo"
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "ADMIN_PASSWORD": "admin-haslo-testowe",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'solo.sqlite'}",
                      "ARCHIVE_DIR": tmp_path / "archive", "CONVERTERS": 1, "CONVERSION_TIMEOUT": 20,
                      "CONVERTER_PROFILE_DIR": profile, "DEV_SEAL_DIR": shared_dirs["DEV_SEAL_DIR"]})
    with app.app_context():
        confirm_office()
    yield app
    shared_pool(1, profile, timeout=20).stop()
    with app.app_context():
        db.engine.dispose()


def soffice_pids(profile) -> list[int]:
    return profile_processes(profile / "0")


def test_libreoffice_killed_in_the_middle_of_work(solo_app):
    app = solo_app
    client = logged_in_client(app)
    with app.app_context():
        pool = pipeline(app).converter
    pool.start(wait=True)
    profile = app.config["CONVERTER_PROFILE_DIR"]
    pids = soffice_pids(profile)
    assert pids, "no soffice.bin found for the pool"
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)  # freeze it, so the request is surely inside LibreOffice...
    result = {}
    worker = threading.Thread(target=lambda: result.update(
        response=client.post(f"/documents/new/{DOCTYPE.slug}", data=form_data(DOCTYPE, DOCTYPE.sample_data))))
    worker.start()
    time.sleep(1.5)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)  # ...then kill it mid-work
    worker.join(60)
    response = result["response"]
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Nie udało się" in html and 'value="Anna Kowalska"' in html  # clear message, form kept
    assert nothing_archived(app)
    # The pool restarts the converter; the next document goes through.
    again = client.post(f"/documents/new/{DOCTYPE.slug}", data=form_data(DOCTYPE, DOCTYPE.sample_data))
    assert again.status_code == 302
    assert any(s["restarts"] >= 1 for s in pool.status())
    assert set(soffice_pids(profile)).isdisjoint(pids)


def test_hung_conversion_times_out(solo_app):
    app = solo_app
    app.config["CONVERSION_TIMEOUT"] = 20
    client = logged_in_client(app)
    with app.app_context():
        pool = pipeline(app).converter
    pool.start(wait=True)
    pool.timeout = 3
    pids = soffice_pids(app.config["CONVERTER_PROFILE_DIR"])
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    response = client.post(f"/documents/new/{DOCTYPE.slug}", data=form_data(DOCTYPE, DOCTYPE.sample_data))
    assert response.status_code == 503
    assert "czas" in response.get_data(as_text=True)
    assert nothing_archived(app)
    pool.timeout = 20
    assert client.post(f"/documents/new/{DOCTYPE.slug}",
                       data=form_data(DOCTYPE, DOCTYPE.sample_data)).status_code == 302


@pytest.mark.parametrize("stage", ["seal", "store"])
def test_failure_after_conversion_leaves_nothing(app, client, create_user, login, monkeypatch, stage):
    login(create_user("assistant"))
    app.config["PROPAGATE_EXCEPTIONS"] = False  # show the error page a user would see
    with app.app_context():
        pipe = pipeline(app)
    if stage == "seal":
        monkeypatch.setattr(pipe.sealer.__class__, "seal", lambda *a, **k: (_ for _ in ()).throw(OSError("HSM offline")))
    else:
        real_put, calls = pipe.store.put, []

        def put(data, ext):
            calls.append(ext)
            if len(calls) == 2:  # the DOCX is already on disk when the PDF fails
                raise OSError("disk full")
            return real_put(data, ext)

        monkeypatch.setattr(pipe.store, "put", put)
    response = client.post(f"/documents/new/{DOCTYPE.slug}", data=form_data(DOCTYPE, DOCTYPE.sample_data))
    assert response.status_code == 500
    assert "Nic nie zostało zapisane" in response.get_data(as_text=True)
    assert nothing_archived(app)
