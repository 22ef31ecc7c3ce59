"""Guesses sent at the same moment (issue 8, OWASP ASVS 4.0.3 V2.2.1): each attempt is counted before
its password is checked, in one locked transaction, so a burst gets exactly as many password checks
as attempts one after another would, on SQLite and PostgreSQL, through a real threaded server."""
from __future__ import annotations

import requests

from tests.concurrency.conftest import burst, send


def test_a_burst_of_guesses_gets_no_more_password_checks_than_guesses_in_a_row(app, server, create_user):
    user = create_user("assistant")

    def guess():
        return send(requests.post, f"{server}/login", data={"login": user.login, "password": "zle-haslo"})

    answers = burst([guess] * 16)
    checked = [a for a in answers if "Nieprawidłowy login lub hasło.".encode() in a.body]
    waiting = [a for a in answers if "Zbyt wiele nieudanych prób".encode() in a.body]
    assert (len(checked), len(waiting)) == (5, 11)
    assert {a.status for a in checked} == {200} and {a.status for a in waiting} == {429}
    right = requests.post(f"{server}/login", data={"login": user.login, "password": "haslo-" + user.login},
                          allow_redirects=False, timeout=60)
    assert right.status_code == 429


def test_a_right_password_taken_back_while_another_attempt_begins_is_no_deadlock(app, create_user):
    """One person's two logins at once (the head's step on the device and at her desk): the first
    attempt's success writes its counters while the second attempt begins. The success is held
    after its first statement until the second has locked what it locks first; on PostgreSQL the
    old order (the login's row deleted, then the address's updated) was a deadlock every time."""
    import threading

    from sqlalchemy import event

    from service.accounts import throttle
    from service.extensions import db

    user = create_user("head")
    address = "192.0.2.10"
    held, release = threading.Event(), threading.Event()
    succeeding = threading.local()
    errors: list[BaseException] = []

    def hold_after_first_statement(*_args):
        if getattr(succeeding, "now", False) and not held.is_set():
            held.set()
            release.wait(10)

    def first():
        try:
            with app.app_context():
                attempt = throttle.begin(user.login, address)
                succeeding.now = True
                throttle.succeeded(attempt)
        except BaseException as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
            held.set()

    def second():
        try:
            with app.app_context():
                throttle.begin(user.login, address)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", hold_after_first_statement)
    try:
        one = threading.Thread(target=first)
        one.start()
        assert held.wait(10)
        two = threading.Thread(target=second)
        two.start()
        two.join(1.5)  # it now waits for the first attempt's transaction
        release.set()
        one.join(30)
        two.join(30)
    finally:
        release.set()
        event.remove(engine, "after_cursor_execute", hold_after_first_statement)
    assert errors == []
