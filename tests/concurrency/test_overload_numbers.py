"""A burst of new cases beyond what the converters admit: those refused (503 "busy") are refused
before a case number is reserved, so the register keeps no gap and stays in time order.

Real LibreOffice (one converter, one document allowed to wait), frozen with SIGSTOP while it
converts, so the refusals are certain; real HTTP; SQLite and PostgreSQL.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import requests
from sqlalchemy import select

from service import pipeline
from service.families.models import Case
from service.documents.converter import profile_processes
from service.extensions import db
from tests.concurrency.conftest import Answer, archived_files, burst, register, serve, staff_token
from tests.concurrency.test_issuing import DOCTYPE, SAMPLE, YEAR, api_issue, symbol
from tests.documents.test_convert import make_docx, wait_for

BUSY = "Serwer przygotowuje teraz zbyt wiele dokumentów naraz"
BURST = 8


def cases_in_time_order(app) -> list[int]:
    """The case numbers of the register, ordered by when each case was opened."""
    with app.app_context():
        numbers = list(db.session.execute(select(Case.number).order_by(Case.created_at, Case.id)).scalars())
        db.session.remove()
    return numbers


def test_refused_requests_take_no_number(narrow_app):
    app = narrow_app
    headers = staff_token(app, "burst")
    pool = pipeline(app).converter
    pool.start(wait=True)
    httpd, base = serve(app)
    frozen = profile_processes(app.config["CONVERTER_PROFILE_DIR"] / "0")
    assert frozen, "no soffice.bin found for converter 0"
    executor = ThreadPoolExecutor(1)
    answered: list[int] = []

    def resume() -> None:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)

    def api_once() -> Answer:  # no retry: the first answer is what this test is about
        r = requests.post(f"{base}/api/documents/{DOCTYPE.slug}", json=SAMPLE, headers=headers, timeout=180)
        answered.append(r.status_code)
        return Answer(r.status_code, r.content, dict(r.headers), [])

    def resume_when_refused() -> None:
        # All but the one admitted to the queue are answered while LibreOffice is frozen; only
        # then may it go on (else a late request could find the converter free).
        deadline = time.monotonic() + 120
        while len(answered) < BURST - 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        resume()

    try:
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        # The converter is busy with a document outside the app (e.g. another staff member's).
        occupying = executor.submit(pool.convert, make_docx(1))
        wait_for(lambda: pool.status()[0]["state"] == "busy")
        threading.Thread(target=resume_when_refused, daemon=True).start()
        answers = burst([api_once] * BURST)

        statuses = sorted(a.status for a in answers)
        assert statuses == [201] + [503] * (BURST - 1), statuses  # one waited, the rest refused
        refused = [a for a in answers if a.status == 503]
        assert all(a.json()["error"].startswith(BUSY) and int(a.headers["Retry-After"]) >= 1
                   for a in refused), [a.body[:300] for a in refused]
        assert occupying.result(timeout=120).startswith(b"%PDF")
        # The one document issued has case number 1; no number was reserved and released.
        [issued] = [a for a in answers if a.status == 201]
        state = register(app)
        key = (symbol(app), YEAR)
        assert state["cases"] == {key: [1]}, state
        assert state["numbers"] == [], "numbers reserved or released by refused requests"
        assert state["counters"] == {key: 1} and state["documents"] == 1
        assert _signs(app) == {issued.json()["case_sign"]}

        # The refused send again (repeating on 503 as told): numbers 2.. in the order of opening.
        again = burst([partial(api_issue, base, headers, SAMPLE) for _ in refused])
        assert [a.status for a in again] == [201] * len(refused), [a.body[:300] for a in again]
        state = register(app)
        assert state["cases"] == {key: list(range(1, BURST + 1))}, state
        assert state["numbers"] == [] and state["counters"] == {key: BURST}
        assert state["documents"] == BURST and archived_files(app) == state["files"]
        assert cases_in_time_order(app) == list(range(1, BURST + 1))
    finally:
        resume()
        executor.shutdown(wait=True)
        httpd.shutdown()


def _signs(app) -> set[str]:
    with app.app_context():
        signs = set(db.session.execute(select(Case.sign)).scalars())
        db.session.remove()
    return signs
