"""Documents that change a family's file, sent at the same moment (issue 11), over real HTTP, on
SQLite and PostgreSQL, with LibreOffice: two revisions naming the same plan leave one current plan
(the second: 409); two final reports end the assignment once; two time reports of an assistant's
first month of the year open one case of theirs (the second: 409, and sent again it is filed there).

The moment is made, not hoped for: each request waits at a barrier once it has read the file (the
plan it replaces, the assignment it ends, the assistant's case it files in: after
issuing.stamped), so both have read it before either stores. On PostgreSQL they wait again inside
their storing transactions, before the file is checked again there, so both transactions are open
at once; SQLite has one writer, which already stores them one after the other."""
from __future__ import annotations

import threading

import pytest
import requests
from sqlalchemy import func, select

from service import issuing
from service.archive.models import DocumentRecord
from service.documents.filing import STAFF_TIME
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.families import lifecycle
from service.families.models import Case, FamilyChange
from service.families.plans import current_plan, revisions
from tests.api.test_monthly_reports_api import _november, headers, office  # noqa: F401
from tests.concurrency.conftest import archived_files, burst, register, send
from tests.families.test_ending import family, report_body  # noqa: F401
from tests.families.test_file_rules_breaks import TODAY, plan_body

PLAN = DOCUMENT_TYPES["work_plan"]


@pytest.fixture
def together(app, monkeypatch):
    """together(n) -> hold: the next n issues each wait for the others after reading the file;
    hold(stored) wraps a function of the storing transaction ((session, record…), e.g.
    lifecycle._end_work) to wait for the others again there, on PostgreSQL."""
    def make(n: int):
        read, store = threading.Barrier(n, timeout=120), threading.Barrier(n, timeout=120)
        original = issuing.stamped

        def stamped(*args, **kwargs):
            values = original(*args, **kwargs)
            read.wait()
            return values
        monkeypatch.setattr(issuing, "stamped", stamped)

        def hold(stored):
            def waiting(session, *args):
                if session.get_bind().dialect.name == "postgresql":
                    store.wait()
                return stored(session, *args)
            return waiting
        return hold
    return make


def _post(server, slug, body, headers):
    return lambda: send(requests.post, f"{server}/api/documents/{slug}", json=body, headers=headers)


def test_two_revisions_of_one_plan_leave_one_current_plan(app, server, family, together, monkeypatch):
    first = send(requests.post, f"{server}/api/documents/work_plan", json=plan_body(family["id"], TODAY.isoformat()),
                 headers=family["assistant"])
    assert first.status == 201, first.json()
    rules = lifecycle.RULES[PLAN]
    monkeypatch.setitem(lifecycle.RULES, PLAN, lifecycle.Rules(rules.check, together(2)(rules.after_issue)))
    answers = burst([_post(server, "work_plan", plan_body(family["id"], TODAY.isoformat(), diagnosis=f"Rewizja {n}."),
                           family["assistant"]) for n in (1, 2)])
    assert sorted(a.status for a in answers) == [201, 409], [a.json() for a in answers]
    refused = next(a for a in answers if a.status == 409)
    assert refused.json() == {"error": "Przed chwilą zapisano inny plan pracy z tą rodziną: ten plan nie został "
                                       "zapisany. Otwórz formularz ponownie, aby zmienić obowiązujący plan."}
    issued = next(a for a in answers if a.status == 201).json()
    assert issued["data"]["replaces"] == first.json()["id"]
    with app.app_context():
        plans = db.session.execute(select(DocumentRecord).where(DocumentRecord.slug == "work_plan")).scalars().all()
        assert len(plans) == 2  # nothing of the refused one: no document, no file
        family_row = db.session.get(lifecycle.Family, family["id"])
        assert current_plan(db.session, family_row).id == issued["id"]
        assert [doc_id for doc_id, r in revisions(plans, {"work_plan": PLAN}).items() if r.current] == [issued["id"]]
    assert archived_files(app) == register(app)["files"]  # the refused plan's files were removed


def test_two_final_reports_end_the_assignment_once(app, server, family, together, monkeypatch):
    rules = lifecycle.RULES[DOCUMENT_TYPES["final_report"]]
    monkeypatch.setitem(lifecycle.RULES, DOCUMENT_TYPES["final_report"],
                        lifecycle.Rules(rules.check, together(2)(rules.after_issue)))
    body = report_body(family["id"], end_date=TODAY.isoformat(), goal_attainment=[])  # a family without a plan
    answers = burst([_post(server, "final_report", body, family["assistant"]) for _ in range(2)])
    assert sorted(a.status for a in answers) == [201, 409], [a.json() for a in answers]
    assert next(a for a in answers if a.status == 409).json() == {"error": (
        "Praca z tą rodziną została przed chwilą zakończona innym sprawozdaniem: tego sprawozdania nie zapisano. "
        "Sprawdź teczkę rodziny.")}
    with app.app_context():
        count = lambda query: db.session.execute(query).scalar_one()  # noqa: E731
        assert count(select(func.count()).select_from(DocumentRecord).where(DocumentRecord.slug == "final_report")) == 1
        assert count(select(func.count()).select_from(FamilyChange).where(FamilyChange.what == "assignment_ended")) == 1
        assert count(select(func.count()).select_from(FamilyChange).where(FamilyChange.what == "monitoring")) == 1


def test_two_time_reports_open_one_case_of_the_assistant(app, server, office, headers, together, monkeypatch):
    _november(app, office)
    original, hold = issuing.one_staff_case, together(2)
    monkeypatch.setattr(issuing, "one_staff_case", lambda assistant_id: hold(original(assistant_id)))
    answers = burst([_post(server, "monthly_time_report", {"month": "2026-11"}, headers["anna"]) for _ in range(2)])
    assert sorted(a.status for a in answers) == [201, 409], [a.json() for a in answers]
    assert next(a for a in answers if a.status == 409).json()["error"].startswith(
        "Przed chwilą inne sprawozdanie założyło sprawę sprawozdań z czasu pracy tego asystenta na ")
    monkeypatch.undo()  # the barriers too: the report sent again goes its own way
    again = send(requests.post, f"{server}/api/documents/monthly_time_report", json={"month": "2026-11"},
                 headers=headers["anna"])
    assert again.status == 201
    with app.app_context():
        signs = db.session.execute(select(Case.sign).where(Case.jrwa_key == STAFF_TIME.key)).scalars().all()
    issued = next(a for a in answers if a.status == 201).json()
    assert signs == [issued["case_sign"]] and again.json()["case_sign"] == issued["case_sign"]
    # the refused report's number was released (for the next new case), not kept reserved
    assert all(token is None for *_, token in register(app)["numbers"])


def test_a_resignation_sent_twice_at_once_is_stored_once(app, server, family, together, monkeypatch):
    """A double click on „Wystaw” of a resignation: the second names the persons the first has
    just recorded as resigning, and is refused (409)."""
    rules = lifecycle.RULES[DOCUMENT_TYPES["resignation"]]
    monkeypatch.setitem(lifecycle.RULES, DOCUMENT_TYPES["resignation"],
                        lifecycle.Rules(rules.check, together(2)(rules.after_issue)))
    body = {"family_id": family["id"], "persons": [{"full_name": "Anna Kowalska", "sex": "f", "role": "matka"}]}
    answers = burst([_post(server, "resignation", body, family["assistant"]) for _ in range(2)])
    assert sorted(a.status for a in answers) == [201, 409], [a.json() for a in answers]
    assert "obejmuje już: Anna Kowalska" in next(a for a in answers if a.status == 409).json()["error"]
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(DocumentRecord).where(
            DocumentRecord.slug == "resignation")).scalar_one() == 1
