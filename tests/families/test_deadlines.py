"""The deadline engine (families.deadlines) on families and documents built in memory: month ends,
leap years, the change to and from summer time, plan revisions, ended assignments, reassignments,
met deadlines. The documents use the slugs of ../types-contract.md, which need not be registered."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from service.accounts.models import User
from service.archive.models import DocumentRecord
from service.documents.context import WARSAW
from service.documents.periods import add_months
from service.families.deadlines import document_date, family_deadlines, time_report_deadlines
from service.families.models import Assignment, Case, Family
from service.families.settings import DeadlineRules

D = dt.date
_ids = itertools.count(1)
ANNA = User(id=501, login="asystentka", full_name="Anna Asystentka", role="assistant")
BEATA = User(id=502, login="asystentka2", full_name="Beata Nowa", role="assistant")
WORKER = User(id=601, login="socjalny", full_name="Piotr Socjalny", role="social_worker")


def family(*assignments: tuple[User, dt.date, dt.date | None]) -> Family:
    """A family (id 7, case MOPS.SPS.4011.7.2026) with the assignments (assistant, start, end)."""
    fam = Family(id=7, case=Case(id=70, sign="MOPS.SPS.4011.7.2026"), social_worker=WORKER)
    fam.social_worker_id = WORKER.id
    fam.assignments = [Assignment(assistant=a, assistant_id=a.id, start_date=s, end_date=e) for a, s, e in assignments]
    return fam


def doc(slug: str, created: dt.date | None = None, **data) -> DocumentRecord:
    """A document of the family's case with `data` (dates as ISO text), issued on `created` (noon, Warsaw)."""
    data = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}
    created = created or D(2026, 1, 1)
    return DocumentRecord(id=f"{next(_ids):032x}", slug=slug, data=data, case_id=70,
                          created_at=dt.datetime.combine(created, dt.time(12), WARSAW))


def by_kind(deadlines, kind: str, period: str = ""):
    found = [d for d in deadlines if d.kind == kind and d.period == period]
    assert len(found) <= 1, found
    return found[0] if found else None


def test_calendar_months_end_on_the_last_day_of_a_shorter_month():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)  # a leap year
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert add_months(D(2028, 2, 29), 12) == D(2029, 2, 28)


@pytest.mark.parametrize("start, plan_due", [(D(2026, 1, 31), D(2026, 2, 28)), (D(2028, 1, 31), D(2028, 2, 29)),
                                             (D(2026, 1, 30), D(2026, 2, 28)), (D(2026, 2, 28), D(2026, 3, 28))])
def test_an_assignment_at_a_month_end_has_its_plan_due_at_the_next_month_end(start, plan_due):
    found = family_deadlines(family((ANNA, start, None)), [], start)
    assert by_kind(found, "work_plan").due == plan_due
    assert by_kind(found, "first_visit").due == start + dt.timedelta(days=14)
    assert by_kind(found, "cooperation_rules").due == start + dt.timedelta(days=14)
    assert by_kind(found, "periodic_assessment").due == add_months(start, 6)
    assert by_kind(found, "visit") is None  # before any visit, the first visit is the visit deadline


def test_monthly_reports_are_due_on_the_fifth_including_december_into_the_next_year():
    found = family_deadlines(family((ANNA, D(2026, 11, 20), None)), [], D(2027, 2, 10))
    reports = [d for d in found if d.kind == "monthly_family_report"]
    assert [(d.period, d.due) for d in reports] == [("2026-11", D(2026, 12, 5)), ("2026-12", D(2027, 1, 5)),
                                                    ("2027-01", D(2027, 2, 5))]  # February has not ended
    assert reports[1].label == "Sprawozdanie miesięczne z pracy z rodziną – grudzień 2026"
    assert {d.status for d in reports} == {"overdue"}


def test_met_deadlines_name_their_document_and_date():
    start = D(2026, 11, 2)
    visit = doc("visit_record", visit_date=D(2026, 11, 10), contact_kind="visit", with_social_worker=True)
    rules = doc("cooperation_rules", agreed_on=D(2026, 11, 10))
    plan = doc("work_plan", plan_date=D(2026, 11, 30))
    report = doc("monthly_family_report", D(2026, 12, 3), month="2026-11")
    found = family_deadlines(family((ANNA, start, None)), [visit, rules, plan, report], D(2026, 12, 20))
    assert (by_kind(found, "first_visit").status, by_kind(found, "first_visit").met_by) == ("met", visit.id)
    assert by_kind(found, "first_visit").met_on == D(2026, 11, 10)
    assert by_kind(found, "cooperation_rules").met_by == rules.id
    assert by_kind(found, "work_plan").met_by == plan.id and by_kind(found, "work_plan").met_on == D(2026, 11, 30)
    assert by_kind(found, "monthly_family_report", "2026-11").met_by == report.id
    visit_due = by_kind(found, "visit")
    assert visit_due.due == D(2026, 11, 24) and visit_due.status == "overdue" and visit_due.overdue_days == 26
    # the assessment counts from the plan's date, the latest of start, plan and assessment
    assert by_kind(found, "periodic_assessment").due == D(2027, 5, 30)


def test_a_phone_call_is_no_visit_and_a_visit_before_the_start_does_not_count():
    start = D(2026, 11, 2)
    docs = [doc("visit_record", visit_date=D(2026, 11, 5), contact_kind="phone"),
            doc("visit_record", visit_date=D(2026, 10, 30), contact_kind="visit")]
    first = by_kind(family_deadlines(family((ANNA, start, None)), docs, D(2026, 11, 10)), "first_visit")
    assert first.status == "soon" and first.met_by is None and first.due == D(2026, 11, 16)


def test_a_plan_revision_moves_the_assessment_date():
    start = D(2026, 1, 15)
    plan = doc("work_plan", plan_date=D(2026, 2, 10))
    fam = family((ANNA, start, None))
    assert by_kind(family_deadlines(fam, [plan], D(2026, 3, 1)), "periodic_assessment").due == D(2026, 8, 10)
    revised = doc("work_plan", plan_date=D(2026, 5, 31), replaces=plan.id)
    found = family_deadlines(fam, [plan, revised], D(2026, 6, 1))
    assert by_kind(found, "periodic_assessment").due == D(2026, 11, 30)
    assert by_kind(found, "work_plan").met_by == plan.id  # the first plan met the plan's deadline
    assessment = doc("periodic_assessment", assessment_date=D(2026, 11, 20))
    assert by_kind(family_deadlines(fam, [plan, revised, assessment], D(2026, 11, 21)),
                   "periodic_assessment").due == D(2027, 5, 20)


def test_an_ended_assignment_stops_visit_deadlines_after_its_end():
    fam = family((ANNA, D(2026, 11, 2), D(2026, 12, 10)))
    visit = doc("visit_record", visit_date=D(2026, 11, 20), contact_kind="visit")
    assert by_kind(family_deadlines(fam, [visit], D(2026, 11, 21)), "visit").due == D(2026, 12, 4)
    late = doc("visit_record", visit_date=D(2026, 12, 1), contact_kind="visit")
    found = family_deadlines(fam, [visit, late], D(2026, 12, 20))
    assert by_kind(found, "visit") is None  # 15 December is after the end
    assert by_kind(found, "periodic_assessment") is None
    # the months it was in effect still want their reports
    assert [d.period for d in found if d.kind == "monthly_family_report"] == ["2026-11"]
    assert [d.period for d in family_deadlines(fam, [visit, late], D(2027, 1, 2))
            if d.kind == "monthly_family_report"] == ["2026-11", "2026-12"]


def test_a_reassignment_keeps_the_deadlines_and_hands_them_to_the_new_assistant():
    fam = family((ANNA, D(2026, 11, 2), D(2026, 11, 9)), (BEATA, D(2026, 11, 10), None))
    found = family_deadlines(fam, [], D(2026, 11, 12))
    first = by_kind(found, "first_visit")
    assert first.due == D(2026, 11, 16)  # counted from the family's first assignment, not the new one
    assert {d.assistant_id for d in found} == {BEATA.id} and first.assistant_name == "Beata Nowa"
    # a handover dated later: the old assistant answers until the end of their assignment
    fam = family((ANNA, D(2026, 11, 2), D(2026, 11, 20)), (BEATA, D(2026, 11, 21), None))
    found = family_deadlines(fam, [], D(2026, 11, 12))
    assert by_kind(found, "first_visit").assistant_id == ANNA.id
    assert by_kind(found, "work_plan").assistant_id == BEATA.id  # due 2 December, after the handover


def test_no_monthly_report_is_due_for_a_month_without_an_assignment():
    fam = family((ANNA, D(2026, 9, 10), D(2026, 9, 30)), (BEATA, D(2026, 11, 3), None))
    found = family_deadlines(fam, [], D(2027, 1, 1))
    assert [d.period for d in found if d.kind == "monthly_family_report"] == ["2026-09", "2026-11", "2026-12"]


def test_a_replaced_assignment_that_never_took_effect_is_ignored():
    fam = family((ANNA, D(2026, 11, 10), D(2026, 11, 9)), (BEATA, D(2026, 11, 10), None))
    found = family_deadlines(fam, [], D(2026, 11, 10))
    first = by_kind(found, "first_visit")
    assert first.due == D(2026, 11, 24) and first.assistant_id == BEATA.id


def test_the_final_report_opens_monitoring_for_the_social_worker():
    fam = family((ANNA, D(2026, 6, 1), None))  # the assessment would be due on 1 December, after the end
    final = doc("final_report", end_date=D(2026, 10, 31), end_reason="goals_achieved", monitoring_months=2)
    found = family_deadlines(fam, [final], D(2026, 11, 15))
    monitoring = by_kind(found, "monitoring")
    assert monitoring.due == D(2026, 12, 31) and monitoring.responsible == "social_worker"
    assert monitoring.social_worker_id == WORKER.id and monitoring.status == "later"
    assert by_kind(found, "visit") is None and by_kind(found, "periodic_assessment") is None
    # a deadline that fell within the work stays, overdue, after it
    assert by_kind(family_deadlines(family((ANNA, D(2026, 3, 2), None)), [final], D(2026, 11, 15)),
                   "periodic_assessment").due == D(2026, 9, 2)
    assert [d.period for d in found if d.kind == "monthly_family_report"][-1] == "2026-10"
    note = doc("monitoring_note", note_date=D(2026, 12, 1))
    assert by_kind(family_deadlines(fam, [final, note], D(2026, 12, 2)), "monitoring").met_by == note.id
    explicit = doc("final_report", end_date=D(2026, 10, 31), monitoring_until=D(2027, 1, 15))
    assert by_kind(family_deadlines(fam, [explicit], D(2026, 11, 15)), "monitoring").due == D(2027, 1, 15)


def test_the_office_rules_change_the_deadlines():
    rules = DeadlineRules(first_visit_days=7, plan_months=2, assessment_months=3, report_day=10)
    found = family_deadlines(family((ANNA, D(2026, 10, 31), None)), [], D(2026, 12, 1), rules)
    assert by_kind(found, "first_visit").due == D(2026, 11, 7)
    assert by_kind(found, "work_plan").due == D(2026, 12, 31)
    assert by_kind(found, "periodic_assessment").due == D(2027, 1, 31)
    assert by_kind(found, "monthly_family_report", "2026-11").due == D(2026, 12, 10)


# Summer time in Poland: 29 March 2026 02:00 CET → 03:00 CEST; 25 October 2026 03:00 CEST → 02:00 CET.
@pytest.mark.parametrize("day", [D(2026, 3, 29), D(2026, 10, 25)])
def test_the_day_of_the_time_change_is_one_day_late_at_night_and_early_in_the_morning(day):
    start = day - dt.timedelta(days=14)  # the first visit is due on the day of the change
    fam = family((ANNA, start, None))
    for hour, minute, expected_day, status in ((23, 30, day - dt.timedelta(days=1), "soon"),
                                               (0, 30, day, "soon"), (23, 30, day, "soon")):
        moment = dt.datetime.combine(expected_day, dt.time(hour, minute), WARSAW)
        today = moment.astimezone(dt.timezone.utc).astimezone(WARSAW).date()  # as office_today() computes it
        assert today == expected_day
        first = by_kind(family_deadlines(fam, [], today), "first_visit")
        assert first.due == day and first.status == status
    after = (dt.datetime.combine(day, dt.time(23, 30), WARSAW) + dt.timedelta(hours=1)).astimezone(WARSAW).date()
    assert by_kind(family_deadlines(fam, [], after), "first_visit").overdue_days == 1


def test_a_document_without_its_date_counts_from_its_issue_day_in_warsaw():
    # 23:30 UTC on 28 March 2026 is 00:30 in Warsaw on 29 March (winter time, UTC+1)
    record = DocumentRecord(slug="cooperation_rules", data={},
                            created_at=dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.timezone.utc))
    assert document_date(record) == D(2026, 3, 29)
    # 22:30 UTC on 25 October 2026 is 23:30 in Warsaw (winter time again)
    record.created_at = dt.datetime(2026, 10, 25, 22, 30)  # naive, as SQLite hands it back: UTC
    assert document_date(record) == D(2026, 10, 25)


def test_the_assistants_time_reports():
    assignments = [Assignment(assistant_id=ANNA.id, start_date=D(2026, 11, 20), end_date=None),
                   Assignment(assistant_id=ANNA.id, start_date=D(2026, 9, 1), end_date=D(2026, 9, 30))]
    done = doc("monthly_time_report", month="2026-11", assistant_login=ANNA.login)
    other = doc("monthly_time_report", month="2026-12", assistant_login="ktos-inny")
    found = time_report_deadlines(ANNA, assignments, [done, other], D(2027, 1, 6))
    assert [(d.period, d.due, d.status) for d in found] == [
        ("2026-09", D(2026, 10, 5), "overdue"), ("2026-11", D(2026, 12, 5), "met"),
        ("2026-12", D(2027, 1, 5), "overdue")]
    assert found[1].met_by == done.id and found[0].family_id is None
    assert found[0].uid == "monthly_time_report-a501-2026-09"


def test_what_is_left_after_the_work_ends_stays_with_its_last_assistant():
    # Found by testing: with no assignment in effect any more, every deadline had no assistant, so
    # the last month's report and the overdue items vanished from the assistant's start page and
    # calendar (and from the head's page) although she still reads the file while monitoring.
    fam = family((ANNA, D(2026, 6, 1), D(2026, 10, 20)))
    final = doc("final_report", end_date=D(2026, 10, 20), monitoring_months=2)
    found = family_deadlines(fam, [final], D(2026, 11, 3))
    october = by_kind(found, "monthly_family_report", "2026-10")
    assert october.due == D(2026, 11, 5) and october.status == "soon"
    assert {d.assistant_id for d in found} == {ANNA.id}
    assert by_kind(found, "monitoring").assistant_name == "Anna Asystentka"
    assert by_kind(found, "monitoring").responsible == "social_worker"


def test_support_given_again_after_the_final_report_is_new_work():
    # Found by testing: the old final report ended everything after it, so the new assignment had
    # no visits, plan, assessment or monthly reports, and the new assistant inherited the earlier
    # work's stale visit and its monitoring (ended by the new support) as overdue.
    fam = family((ANNA, D(2026, 1, 5), D(2026, 3, 31)), (BEATA, D(2026, 9, 1), None))
    old = [doc("final_report", end_date=D(2026, 3, 31), monitoring_months=2),
           doc("visit_record", visit_date=D(2026, 1, 10), contact_kind="visit"),
           doc("work_plan", plan_date=D(2026, 1, 20)), doc("cooperation_rules", agreed_on=D(2026, 1, 10)),
           doc("monthly_family_report", month="2026-01"), doc("monthly_family_report", month="2026-02"),
           doc("monthly_family_report", month="2026-03")]
    found = family_deadlines(fam, old, D(2026, 9, 10))
    assert by_kind(found, "visit") is None
    # the earlier work's monitoring was due on 31 May, before the new support: it stays, with its note
    monitoring = by_kind(found, "monitoring")
    assert (monitoring.due, monitoring.status) == (D(2026, 5, 31), "overdue")
    note = doc("monitoring_note", note_date=D(2026, 5, 20))
    assert by_kind(family_deadlines(fam, old + [note], D(2026, 9, 10)), "monitoring").met_by == note.id
    # support given again before the monitoring was due cut it short: none is listed
    sooner = family((ANNA, D(2026, 1, 5), D(2026, 3, 31)), (BEATA, D(2026, 5, 4), None))
    assert by_kind(family_deadlines(sooner, old, D(2026, 9, 10)), "monitoring") is None
    for kind, due in (("first_visit", D(2026, 9, 15)), ("cooperation_rules", D(2026, 9, 15)),
                      ("work_plan", D(2026, 10, 1)), ("periodic_assessment", D(2027, 3, 1))):
        item = by_kind(found, kind)
        assert (item.due, item.status, item.assistant_id) == (due, "soon" if due.month == 9 else "later", BEATA.id)
    # the earlier work's months keep their (met) reports; the new work's months are due again
    later = family_deadlines(fam, old + [doc("visit_record", visit_date=D(2026, 9, 3), contact_kind="visit")],
                             D(2026, 11, 10))
    assert [(d.period, d.status) for d in later if d.kind == "monthly_family_report"] == [
        ("2026-01", "met"), ("2026-02", "met"), ("2026-03", "met"), ("2026-09", "overdue"), ("2026-10", "overdue")]
    assert by_kind(later, "first_visit").met_on == D(2026, 9, 3)
    assert by_kind(later, "visit").due == D(2026, 9, 17)
    # a work_plan of the earlier work does not meet the new work's plan
    assert by_kind(later, "work_plan").status == "overdue"


def test_a_work_that_ended_before_a_deadline_owes_nothing_for_it():
    # Found by testing: the plan (and the first visit and the rules) stayed due after the family
    # resigned in its first week, overdue for ever while the family was monitored.
    fam = family((ANNA, D(2026, 11, 2), D(2026, 11, 9)))
    found = family_deadlines(fam, [doc("resignation", resignation_date=D(2026, 11, 6)),
                                   doc("final_report", end_date=D(2026, 11, 9))], D(2026, 12, 20))
    assert [d.kind for d in found] == ["monthly_family_report", "monitoring"]
    # met before the end, they stay listed as met
    visit = doc("visit_record", visit_date=D(2026, 11, 4), contact_kind="visit")
    assert by_kind(family_deadlines(fam, [visit], D(2026, 12, 20)), "first_visit").status == "met"
