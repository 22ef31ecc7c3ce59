"""A registration form sent twice at the same moment (a double click): one family, one case; both
answers lead to that family. The sending that lost may have reserved a number: it is released,
and the next new case takes it (families.cases), so the register keeps no gap."""
from __future__ import annotations

import re

from service.extensions import db
from service.families.models import Family
from tests.concurrency.conftest import browser, burst, register, send
from tests.families.pages import registration


def test_a_double_click_on_register_makes_one_family(app, server, create_user):
    web = browser(server, create_user("social_worker"))
    page = web.get(f"{server}/families/new", timeout=60).text
    token = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    data = registration(submission=token)
    answers = burst([lambda: send(web.post, f"{server}/families/new", data=data) for _ in range(2)])
    assert [a.status for a in answers] == [302, 302], [a.body[:500] for a in answers]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    held = register(app)
    (numbers,) = held["cases"].values()
    assert len(numbers) == 1 and all(token is None for *_, token in held["numbers"])  # nothing still reserved
    (last,) = held["counters"].values()
    assert sorted(numbers + [n for _, _, n, _ in held["numbers"]]) == list(range(1, last + 1))
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Family)).scalar_one() == 1
    # the next family takes a released number first: the register is 1, 2, … without a gap
    assert send(web.post, f"{server}/families/new", data=registration()).status == 302
    assert list(register(app)["cases"].values()) == [[1, 2]]
