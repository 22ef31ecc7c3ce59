"""Which work plan is current: families.plans (the family's file, the documents' FamilyFacts.plan,
the timeline) and families.monthly (the monthly reports) answer alike, a backdated revision too."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from service.documents.registry import DOCUMENT_TYPES
from service.families.monthly import Plan, plan_on
from service.families.plans import document_day, issued_at, newest, revision_order, revisions

UTC = dt.timezone.utc


def plan(id_: str, plan_date: str, created: dt.datetime, replaces: str | None = None):
    data = {"plan_date": plan_date, **({"replaces": replaces} if replaces else {})}
    return SimpleNamespace(id=id_, slug="work_plan", data=data, created_at=created)


def as_monthly(records) -> list[Plan]:
    return [Plan(r.id, document_day(r, "plan_date"), issued_at(r), r.data.get("replaces"), {}) for r in records]


def ordered(records):
    return sorted(records, key=lambda r: revision_order(r, "plan_date"))


def test_the_newest_by_plan_date_then_issue_time_is_current():
    a = plan("a", "2026-01-10", dt.datetime(2026, 1, 10, 9, tzinfo=UTC))
    b = plan("b", "2026-03-01", dt.datetime(2026, 3, 1, 9, tzinfo=UTC), replaces="a")
    same_day = plan("c", "2026-03-01", dt.datetime(2026, 3, 1, 15), replaces="b")  # naive: SQLite's UTC
    records = ordered([same_day, a, b])
    assert [r.id for r in records] == ["a", "b", "c"]
    assert newest(records).id == "c" == plan_on(as_monthly(records), dt.date(2026, 12, 1)).id
    chain = revisions(records, DOCUMENT_TYPES)
    assert chain["c"].current and chain["b"].by.id == "c" and chain["a"].by.id == "b"


def test_a_backdated_revision_replaces_the_plan_it_names():
    """A revision dated before the plan it replaced (a date typed late) is still the current plan:
    the family's file and the monthly reports agree."""
    a = plan("a", "2026-01-10", dt.datetime(2026, 1, 10, 9, tzinfo=UTC))
    b = plan("b", "2026-03-01", dt.datetime(2026, 3, 1, 9, tzinfo=UTC), replaces="a")
    c = plan("c", "2026-02-15", dt.datetime(2026, 3, 5, 9, tzinfo=UTC), replaces="b")
    records = ordered([a, b, c])
    assert [r.id for r in records] == ["a", "c", "b"]
    assert newest(records).id == "c" == plan_on(as_monthly(records), dt.date(2026, 12, 1)).id
    chain = revisions(records, DOCUMENT_TYPES)
    assert chain["c"].current and not chain["b"].current and chain["b"].by.id == "c" and chain["a"].by.id == "b"


def test_no_plan_is_none():
    assert newest([]) is None and plan_on([], dt.date(2026, 12, 1)) is None
