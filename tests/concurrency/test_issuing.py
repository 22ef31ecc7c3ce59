"""Many staff issuing at the same moment, over real HTTP, on SQLite and PostgreSQL, with LibreOffice.

The case register must come out with neither duplicates nor gaps; every request gets its document
(or, when the converters are full, a 503 with Retry-After that the client repeats); nothing half-stored.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time
from functools import partial
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import requests

from service import pipeline
from service.families.models import Case
from service.extensions import db
from service.documents.converter import profile_processes
from service.documents.registry import DOCUMENT_TYPES
from tests.concurrency.conftest import Answer, archived_files, browser, burst, register, send, serve, staff_token
from tests.helpers import form_data

DOCTYPE = DOCUMENT_TYPES["family_consent"]
SAMPLE = DOCTYPE.sample_data
YEAR = dt.datetime.now(ZoneInfo("Europe/Warsaw")).year


def api_issue(base: str, headers: dict, payload: dict):
    return send(partial(requests.post, headers=headers, json=payload),
                f"{base}/api/documents/{DOCTYPE.slug}")


def web_issue(web, base: str, case_id: str = ""):
    return send(partial(web.post, data={**form_data(DOCTYPE, SAMPLE), "case_id": case_id}),
                f"{base}/documents/new/{DOCTYPE.slug}")


def symbol(app) -> str:
    from service.office.models import JrwaClass
    with app.app_context():
        value = db.session.get(JrwaClass, DOCTYPE.jrwa_key).symbol
        db.session.remove()
    return value


def assert_whole(app, expected_documents: int) -> dict:
    """Numbers 1..n once each, no reservation left, every file referenced and every reference a file."""
    state = register(app)
    key = (symbol(app), YEAR)
    numbers = state["cases"].get(key, [])
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    assert state["numbers"] == [], state["numbers"]
    assert state["counters"].get(key, 0) == len(numbers)
    assert state["documents"] == expected_documents
    assert archived_files(app) == state["files"]
    return state


def test_simultaneous_new_cases(app, server, create_user, api_token):
    """8 API requests and 4 web forms open 12 new cases at the same moment: 12 consecutive numbers."""
    staff = [create_user("assistant") for _ in range(3)]
    headers = [api_token(u) for u in staff]
    webs = [browser(server, u) for u in staff[:2]]
    jobs = [partial(api_issue, server, headers[i % 3], SAMPLE) for i in range(8)]
    jobs += [partial(web_issue, webs[i % 2], server) for i in range(4)]
    answers = burst(jobs)
    assert [a.status for a in answers[:8]] == [201] * 8, [a.body[:300] for a in answers]
    assert [a.status for a in answers[8:]] == [302] * 4, [a.body[:300] for a in answers]
    signs = [a.json()["case_sign"] for a in answers[:8]]
    assert len(set(signs)) == 8
    state = assert_whole(app, 12)
    assert state["cases"][(symbol(app), YEAR)] == list(range(1, 13))


def test_simultaneous_issues_into_one_case(app, server, create_user, api_token):
    """8 API requests and 4 web forms file into one existing case at once: all stored, no new case."""
    user = create_user("assistant")
    headers = api_token(user)
    first = api_issue(server, headers, SAMPLE)
    assert first.status == 201
    sign = first.json()["case_sign"]
    web = browser(server, user)
    with app.app_context():
        case_id = str(db.session.execute(db.select(Case.id).where(Case.sign == sign)).scalar_one())
        db.session.remove()
    jobs = [partial(api_issue, server, headers, {**SAMPLE, "case_sign": sign}) for _ in range(8)]
    jobs += [partial(web_issue, web, server, case_id) for _ in range(4)]
    answers = burst(jobs)
    assert [a.status for a in answers] == [201] * 8 + [302] * 4, [a.body[:300] for a in answers]
    assert {a.json()["case_sign"] for a in answers[:8]} == {sign}
    state = assert_whole(app, 13)
    assert state["cases"][(symbol(app), YEAR)] == [1]


def test_converter_killed_in_a_burst_leaves_no_gap(solo_app):
    """A LibreOffice process killed while a burst of new cases converts: the requests it held get a
    Polish 503, their numbers go to the next new cases, and the register ends 1..n with no gap."""
    app = solo_app
    headers = staff_token(app, "burst")
    pool = pipeline(app).converter
    pool.start(wait=True)
    httpd, base = serve(app)
    try:
        webs = [browser(base, SimpleNamespace(login="burst")) for _ in range(2)]
        victim = profile_processes(app.config["CONVERTER_PROFILE_DIR"] / "0")
        assert victim, "no soffice.bin found for converter 0"
        for pid in victim:
            os.kill(pid, signal.SIGSTOP)  # frozen: what is sent to it surely waits inside LibreOffice

        def kill_later():
            # Not after a fixed time: on a busy machine the burst may reach the pool later than
            # that. Kill once a document is held by the frozen converter (and surely sent to it).
            deadline = time.monotonic() + 120
            while pool.status()[0]["state"] != "busy" and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(1)
            for pid in victim:
                os.kill(pid, signal.SIGKILL)

        def api_once() -> Answer:  # no retry: the first answer is what this test is about
            r = requests.post(f"{base}/api/documents/{DOCTYPE.slug}", json=SAMPLE, headers=headers, timeout=180)
            return Answer(r.status_code, r.content, dict(r.headers), [])

        def web_once(web) -> Answer:  # no retry either: a repeated form would hide the failure
            r = web.post(f"{base}/documents/new/{DOCTYPE.slug}", data={**form_data(DOCTYPE, SAMPLE), "case_id": ""},
                         allow_redirects=False, timeout=180)
            return Answer(r.status_code, r.content, dict(r.headers), [])

        threading.Thread(target=kill_later, daemon=True).start()
        answers = burst([api_once] * 6 + [partial(web_once, web) for web in webs])
        statuses = [a.status for a in answers]
        assert set(statuses[:6]) <= {201, 503} and set(statuses[6:]) <= {302, 503}, statuses
        failed = [a for a in answers if a.status == 503]
        assert failed, f"no conversion failed: the test proved nothing ({statuses})"
        # Each failure is told in Polish (the web form also keeps what was typed); at least one is
        # the killed conversion (others may be "busy" answers of a full pool).
        told = [a.json()["error"] if i < 6 else a.body.decode()
                for i, a in enumerate(answers) if a.status == 503]
        assert any("Nie udało się" in t for t in told), told
        assert all('value="Anna Kowalska"' in t for t in told if t.startswith("<!doctype")), told
        # No row, no file, no number held by the failures: each number is in the register or released.
        state = register(app)
        key = (symbol(app), YEAR)
        assert all(token is None for (*_, token) in state["numbers"]), "a reservation was left held"
        taken = state["cases"].get(key, []) + [n for (_, _, n, _) in state["numbers"]]
        assert sorted(taken) == list(range(1, state["counters"].get(key, 0) + 1)), state
        assert state["documents"] == 8 - len(failed) and archived_files(app) == state["files"]
        # Those whose request failed send it again: their cases fill the released numbers.
        again = burst([partial(api_issue, base, headers, SAMPLE) for _ in failed])
        assert [a.status for a in again] == [201] * len(failed), [a.body[:300] for a in again]
        assert_whole(app, 8)
    finally:
        httpd.shutdown()
