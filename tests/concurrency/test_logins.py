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
