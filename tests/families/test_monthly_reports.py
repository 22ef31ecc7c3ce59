"""Monthly reports built from visit records (service/families/monthly.py), on SQLite and PostgreSQL:
which visits a month has, their minutes across midnight, month and year ends and the changes of
summer time, two assistants with one family, a month without visits, and a revised work plan.

Visit records and work plans are inserted as stored data (tests/families/visits.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from service.accounts.models import User
from service.archive.models import DocumentRecord
from service.extensions import db
from service.families.models import Family
from service.families.monthly import (NoVisits, family_report_values, time_report_values, visit_of,
                                      visits_of_assistant_month, visits_of_month)
from service.families.months import Month
from tests.families.visits import Office, make_office, plan, visit


@pytest.fixture
def office(app, create_user) -> Office:
    return make_office(app, create_user)


def get(model, row_id):
    return db.session.get(model, row_id)


def test_visits_inside_and_outside_the_month(app, office):
    with app.app_context():
        k, a = office.kowalscy, office.anna
        october = visit(k, a, "2026-10-31", "10:00", "11:00")
        first = visit(k, a, "2026-11-02", "10:00", "11:30")
        last = visit(k, a, "2026-11-30", "09:00", "10:00")
        visit(k, a, "2026-12-01", "10:00", "11:00")
        visit(office.wisniewscy, a, "2026-11-10", "12:00", "13:00")  # another family
        second = visit(k, a, "2026-11-02", "16:00", "16:15", contact_kind="phone")  # the same day again
        family = get(Family, k)
        assert [v.id for v in visits_of_month(db.session, family, "2026-11")] == [first, second, last]
        values = family_report_values(db.session, family, Month(2026, 11))
        assert values["month"] == "2026-11"
        assert values["contacts_count"] == 3
        assert values["contact_dates"] == "2 i 30 listopada 2026\u00a0r."
        assert values["visit_refs"] == [first, second, last]
        assert family_report_values(db.session, family, "2026-10")["visit_refs"] == [october]


def test_a_visit_across_midnight_at_a_month_end(app, office):
    """31 October 22:00–1:00: a contact of October; 2 hours of October's time and 1 of November's."""
    with app.app_context():
        late = visit(office.kowalscy, office.anna, "2026-10-31", "22:00", "01:00")
        visit(office.kowalscy, office.anna, "2026-11-03", "10:00", "12:00")
        family, anna = get(Family, office.kowalscy), get(User, office.anna)
        assert family_report_values(db.session, family, "2026-10")["contacts_count"] == 1
        november = family_report_values(db.session, family, "2026-11")
        assert november["contacts_count"] == 1 and late not in november["visit_refs"]
        assert november["contact_dates"] == "3 listopada 2026\u00a0r."
        oct_time, nov_time = (time_report_values(db.session, anna, m) for m in ("2026-10", "2026-11"))
        assert oct_time["total_minutes"] == 120 and oct_time["family_hours"][0]["hours"] == "2 h"
        assert nov_time["total_minutes"] == 60 + 120 and nov_time["family_hours"][0]["hours"] == "3 h"
        assert late in oct_time["visit_refs"] and nov_time["visit_refs"][0] == late


def test_a_visit_across_the_year_end(app, office):
    """31 December 2026 23:00 – 1 January 2027 1:30: 60 minutes of December, 90 of January."""
    with app.app_context():
        doc = visit(office.kowalscy, office.anna, "2026-12-31", "23:00", "01:30")
        family, anna = get(Family, office.kowalscy), get(User, office.anna)
        assert family_report_values(db.session, family, "2026-12")["contact_dates"] == "31 grudnia 2026\u00a0r."
        with pytest.raises(NoVisits) as refused:
            family_report_values(db.session, family, "2027-01")
        assert str(refused.value) == "W styczniu 2027\u00a0r. nie ma żadnej karty pracy z tą rodziną."
        assert time_report_values(db.session, anna, "2026-12")["total_minutes"] == 60
        january = time_report_values(db.session, anna, "2027-01")
        assert (january["total_minutes"], january["total_hours"], january["visit_refs"]) == (90, "1 h 30 min", [doc])
        assert [v.id for v in visits_of_assistant_month(db.session, anna, Month(2027, 1))] == [doc]


def test_two_assistants_with_one_family(app, office):
    """Each time report has only its assistant's visits; the family report has both. A record that
    names its assistant (assistant_login) counts for that assistant whoever wrote it."""
    with app.app_context():
        k = office.kowalscy
        anna_1 = visit(k, office.anna, "2026-11-04", "09:00", "11:00")
        ewa_1 = visit(k, office.ewa, "2026-11-12", "13:00", "14:45", contact_kind="accompanying", travel_minutes=30)
        anna_2 = visit(k, office.anna, "2026-11-19", "09:00", "10:00", travel_minutes=20)
        # Entered by the coordinator for Ewa (on paper first), and one without assistant_login: the author's.
        ewa_2 = visit(k, office.coordinator, "2026-11-26", "08:00", "08:20", assistant_login="elis",
                      contact_kind="phone")
        anna_3 = visit(office.wisniewscy, office.anna, "2026-11-20", "17:00", "18:10", assistant_login=None)
        family = get(Family, k)
        assert family_report_values(db.session, family, "2026-11")["visit_refs"] == [anna_1, ewa_1, anna_2, ewa_2]
        anna = time_report_values(db.session, get(User, office.anna), "2026-11")
        ewa = time_report_values(db.session, get(User, office.ewa), "2026-11")
        assert anna["visit_refs"] == [anna_1, anna_2, anna_3]
        assert ewa["visit_refs"] == [ewa_1, ewa_2]
        assert (ewa["assistant_login"], ewa["assistant_name"]) == ("elis", "Ewa Lis")
        assert [(r["minutes"], r["hours"]) for r in ewa["family_hours"]] == [(125, "2 h 5 min")]
        assert ewa["task_hours"] == [
            {"contact_kind": "phone", "label": "kontakt telefoniczny", "minutes": 20, "hours": "20 min"},
            {"contact_kind": "accompanying", "label": "towarzyszenie w instytucji", "minutes": 105,
             "hours": "1 h 45 min"}]
        assert (ewa["work_minutes"], ewa["travel_minutes"], ewa["total_minutes"]) == (125, 30, 155)
        assert ewa["total_hours"] == "2 h 35 min"
        kowalscy, wisniewscy = get(Family, k).case.sign, get(Family, office.wisniewscy).case.sign
        assert anna["family_hours"] == [
            {"case_sign": kowalscy, "family": "Anna Kowalska, Jan Kowalski", "minutes": 180, "hours": "3 h"},
            {"case_sign": wisniewscy, "family": "Barbara Wiśniewska, Piotr Wiśniewski", "minutes": 70,
             "hours": "1 h 10 min"}]
        assert anna["task_hours"] == [{"contact_kind": "visit", "label": "wizyta", "minutes": 250,
                                       "hours": "4 h 10 min"}]
        assert (anna["work_minutes"], anna["travel_minutes"], anna["total_minutes"]) == (250, 20, 270)
        with pytest.raises(NoVisits) as refused:
            time_report_values(db.session, get(User, office.coordinator), "2026-11")
        assert str(refused.value) == "W listopadzie 2026\u00a0r. Maria Koordynator nie ma żadnej karty pracy."


def test_the_changes_of_summer_time(app, office):
    """Wall-clock times in Warsaw, real durations: 29 March 2026 1:30–3:30 lasted 1 hour (the clocks
    went forward), 25 October 2026 1:30–3:30 lasted 3 hours (they went back); a night visit over
    the change and one across the end of March in summer time."""
    with app.app_context():
        k, a = office.kowalscy, office.anna
        visit(k, a, "2026-03-29", "01:30", "03:30")
        visit(k, a, "2026-03-28", "23:00", "04:00")  # 23:00 CET to 4:00 CEST: 4 hours
        visit(k, a, "2026-03-31", "23:30", "00:30")  # 30 minutes in March, 30 in April
        visit(k, a, "2026-10-25", "01:30", "03:30")
        visit(k, a, "2026-10-24", "22:00", "04:00")  # 22:00 CEST to 4:00 CET: 7 hours
        anna = get(User, a)
        minutes = {v.data["visit_date"] + " " + v.data["time_from"]: v.minutes
                   for v in visits_of_assistant_month(db.session, anna, "2026-03")
                   + visits_of_assistant_month(db.session, anna, "2026-10")}
        assert minutes == {"2026-03-28 23:00": 240, "2026-03-29 01:30": 60, "2026-03-31 23:30": 60,
                           "2026-10-24 22:00": 420, "2026-10-25 01:30": 180}
        assert time_report_values(db.session, anna, "2026-03")["total_minutes"] == 240 + 60 + 30
        assert time_report_values(db.session, anna, "2026-04")["total_minutes"] == 30
        october = time_report_values(db.session, anna, "2026-10")
        assert (october["total_minutes"], october["total_hours"]) == (600, "10 h")
        march = family_report_values(db.session, get(Family, k), "2026-03")
        assert (march["contacts_count"], march["contact_dates"]) == (3, "28, 29 i 31 marca 2026\u00a0r.")


def test_a_month_without_visits(app, office):
    with app.app_context():
        visit(office.kowalscy, office.anna, "2026-10-15", "10:00", "11:00")
        with pytest.raises(NoVisits) as refused:
            family_report_values(db.session, get(Family, office.kowalscy), "2026-11")
        assert str(refused.value) == "W listopadzie 2026\u00a0r. nie ma żadnej karty pracy z tą rodziną."
        assert refused.value.month == Month(2026, 11)
        with pytest.raises(NoVisits):
            family_report_values(db.session, get(Family, office.wisniewscy), "2026-10")
        with pytest.raises(NoVisits) as refused:
            time_report_values(db.session, get(User, office.ewa), "2026-10")
        assert str(refused.value) == "W październiku 2026\u00a0r. Ewa Lis nie ma żadnej karty pracy."


def test_the_work_per_goal_of_a_revised_plan(app, office):
    """The month's goals are the plan's current at the month's end (revised on 16 November); a
    visit's ticked numbers mean the goals of the plan current on its day: goal 2 of the first plan
    is goal 1 of the revised one (the same wording), goal 1 of the first plan is no longer in it
    and keeps a row of its own."""
    with app.app_context():
        k, a = office.kowalscy, office.anna
        first = plan(k, a, "2026-11-02", ["Poprawa organizacji dnia", "Regularne uczęszczanie Zosi do szkoły"])
        visit(k, a, "2026-11-05", "10:00", "11:00", goals_worked=["1", "2"],
              topics="Ustalenie planu dnia; rozmowa z wychowawczynią.", institutions="Szkoła Podstawowa nr 3")
        plan(k, a, "2026-11-16", ["Regularne  uczęszczanie Zosi do szkoły", "Znalezienie pracy przez ojca"],
             replaces=first)
        visit(k, a, "2026-11-20", "10:00", "11:00", goals_worked=[1], topics="Sprawdzenie frekwencji.",
              institutions="szkoła podstawowa nr 3; Powiatowy Urząd Pracy w Oświęcimiu")
        visit(k, a, "2026-11-24", "10:00", "11:00", goals_worked=["2"], topics="Przegląd ofert pracy " + "z PUP " * 60)
        visit(k, a, "2026-11-26", "10:00", "10:10", contact_kind="phone", topics="Przypomnienie o wizycie.")
        values = family_report_values(db.session, get(Family, k), "2026-11")
        rows = values["goal_work"]
        assert [(r["goal_no"], r["goal"]) for r in rows] == [
            ("1", "Regularne  uczęszczanie Zosi do szkoły"), ("2", "Znalezienie pracy przez ojca"),
            ("1", "Poprawa organizacji dnia (cel planu z dnia 2 listopada 2026\u00a0r.)")]
        assert rows[0]["work"] == ("5 listopada: Ustalenie planu dnia; rozmowa z wychowawczynią.\n"
                                   "20 listopada: Sprawdzenie frekwencji.")
        assert rows[1]["work"].startswith("24 listopada: Przegląd ofert pracy z PUP z PUP")
        quoted = rows[1]["work"].removeprefix("24 listopada: ")
        assert quoted.endswith(" z…") and len(quoted) == 197  # cut at the last word boundary within 200 characters
        assert rows[2]["work"] == "5 listopada: Ustalenie planu dnia; rozmowa z wychowawczynią."
        assert values["other_work"] == "26 listopada: Przypomnienie o wizycie."
        assert values["institutions"] == "Szkoła Podstawowa nr 3, Powiatowy Urząd Pracy w Oświęcimiu"
        assert values["contact_dates"] == "5, 20, 24 i 26 listopada 2026\u00a0r."


def test_goals_before_any_plan_and_the_plan_of_a_later_month(app, office):
    """A month before the first plan has no goal rows: its work is the other work. A plan dated
    after the month is not the month's."""
    with app.app_context():
        k, a = office.kowalscy, office.anna
        visit(k, a, "2026-11-05", "10:00", "11:00", topics="Pierwsze spotkanie, zawarcie zasad współpracy.")
        plan(k, a, "2026-12-01", ["Poprawa organizacji dnia"])
        values = family_report_values(db.session, get(Family, k), "2026-11")
        assert values["goal_work"] == []
        assert values["other_work"] == "5 listopada: Pierwsze spotkanie, zawarcie zasad współpracy."
        visit(k, a, "2026-12-03", "10:00", "11:00", goals_worked=["1"], topics="Plan dnia.")
        december = family_report_values(db.session, get(Family, k), "2026-12")
        assert december["goal_work"] == [{"goal_no": "1", "goal": "Poprawa organizacji dnia",
                                          "work": "3 grudnia: Plan dnia."}]
        assert december["other_work"] == "" and december["institutions"] == ""


def test_the_family_named_in_a_time_report(app, office):
    """The adults who were in the family in the month, nominative; a father who left in October is
    named in October's report, not in November's; the child never."""
    with app.app_context():
        visit(office.kowalscy, office.anna, "2026-10-14", "10:00", "11:00")
        visit(office.kowalscy, office.anna, "2026-11-14", "10:00", "11:00")
        family = get(Family, office.kowalscy)
        father = next(m for m in family.members if m.full_name == "Jan Kowalski")
        father.left_on = dt.date(2026, 10, 20)
        db.session.commit()
        anna = get(User, office.anna)
        assert [r["family"] for r in time_report_values(db.session, anna, "2026-10")["family_hours"]] == [
            "Anna Kowalska, Jan Kowalski"]
        assert [r["family"] for r in time_report_values(db.session, anna, "2026-11")["family_hours"]] == [
            "Anna Kowalska"]


@pytest.mark.parametrize("day, time_from, time_to, minutes", [
    ("2026-10-25", "01:30", "02:30", 60),  # 2:30 happened twice: its first occurrence, summer time
    ("2026-10-25", "02:15", "02:45", 30),
    ("2026-03-29", "01:00", "02:30", 90),  # 2:30 never happened: read with the winter offset (= 3:30)
    ("2026-03-29", "01:00", "03:00", 60),
    ("2026-11-05", "10:00", "10:00", 0),
    ("2026-11-05", "10:00", "", 0),
    ("2026-11-05", "25:00", "10:00", 0),
])
def test_wall_clock_times_that_summer_time_makes_odd(day, time_from, time_to, minutes):
    """Python's fold=0 for wall times that happen twice or never; no valid times, no minutes."""
    record = DocumentRecord(id="x" * 32, data={"visit_date": day, "time_from": time_from, "time_to": time_to})
    assert visit_of(record).minutes == minutes


def test_a_record_without_a_date_belongs_to_no_month():
    assert visit_of(DocumentRecord(id="y" * 32, data={"visit_date": "5 listopada", "time_from": "10:00"})) is None
