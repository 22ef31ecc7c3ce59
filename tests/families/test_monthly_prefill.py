"""The integration points of the monthly reports (service/families/monthly_prefill.py): the body's
month and assistant checked with Polish messages per field, the values built, and merged with what
the staff member sent (explicit fields override; the visit records a report rests on do not)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from service.accounts.models import User
from service.documents.spec import FieldSpec, GroupSpec
from service.extensions import db
from service.families.models import Family
from service.families.monthly_prefill import (family_report_prefill, for_form, issue_values, report_assistant,
                                              requested_month, time_report_prefill)
from tests.families.visits import Office, make_office, visit

TODAY = dt.date(2026, 12, 1)
# A stand-in of the family report's declaration (built elsewhere): some of the built keys, a group
# with fewer columns than the builder's rows, a field of the file and one the staff member writes.
_TYPED = (FieldSpec("month", "Miesiąc"), FieldSpec("contacts_count", "Liczba kontaktów"),
          FieldSpec("contact_dates", "Daty kontaktów"), FieldSpec("street", "Ulica"),
          FieldSpec("difficulties", "Trudności", kind="textarea", required=False),
          GroupSpec("goal_work", "Praca nad celami", (FieldSpec("goal", "Cel"), FieldSpec("work", "Działania"))))
DECLARED = SimpleNamespace(persons=(), form_fields=_TYPED,
                           fields=(*_TYPED, FieldSpec("visit_refs", "Karty pracy", by_service=True, required=False)))


@pytest.fixture
def office(app, create_user) -> Office:
    return make_office(app, create_user)


@pytest.mark.parametrize("payload, message", [
    ({}, "Podaj miesiąc sprawozdania w postaci RRRR-MM, np. 2026-11."),
    ({"month": ""}, "Podaj miesiąc sprawozdania w postaci RRRR-MM, np. 2026-11."),
    ({"month": 202611}, "Podaj miesiąc w postaci RRRR-MM, np. 2026-11."),
    ({"month": "11.2026"}, "Podaj miesiąc w postaci RRRR-MM, np. 2026-11."),
    ({"month": "2027-01"}, "Miesiąc styczeń 2027\u00a0r. jeszcze się nie zaczął: sprawozdanie można sporządzić "
                           "najwcześniej za bieżący miesiąc (grudzień 2026\u00a0r.)."),
])
def test_the_requested_month_is_checked(payload, message):
    assert requested_month(payload, TODAY) == (None, {"month": [message]})


def test_the_family_report_is_built_or_refused(app, office):
    with app.app_context():
        first = visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30")
        family = db.session.get(Family, office.kowalscy)
        values, errors = family_report_prefill(db.session, family, {"month": "2026-11"}, today=TODAY)
        assert not errors and (values["contacts_count"], values["visit_refs"]) == (1, [first])
        assert family_report_prefill(db.session, family, {"month": "2026-10"}, today=TODAY) == (
            {}, {"month": ["W październiku 2026\u00a0r. nie ma żadnej karty pracy z tą rodziną."]})


def test_whose_time_report(app, office, create_user):
    """An assistant builds their own; the head and the coordinator anyone's."""
    head = create_user("head", login="szefowa", full_name="Ewa Dyrektorska")
    with app.app_context():
        anna, ewa = db.session.get(User, office.anna), db.session.get(User, office.ewa)
        coordinator, head = db.session.get(User, office.coordinator), db.session.get(User, head.id)
        assert report_assistant(db.session, anna, {}) == (anna, {})
        assert report_assistant(db.session, anna, {"assistant": " anowak "}) == (anna, {})
        own_only = {"assistant": ["Możesz sporządzić tylko własne sprawozdanie z czasu pracy."]}
        assert report_assistant(db.session, anna, {"assistant": "elis"}) == (None, own_only)
        assert report_assistant(db.session, anna, {"assistant": "nikt"}) == (None, own_only)
        assert report_assistant(db.session, head, {"assistant": "elis"}) == (ewa, {})
        assert report_assistant(db.session, coordinator, {"assistant": "anowak"}) == (anna, {})
        assert report_assistant(db.session, head, {"assistant": "nikt"}) == (
            None, {"assistant": ["Nie ma konta o loginie „nikt”."]})
        assert report_assistant(db.session, head, {"assistant": ["elis"]}) == (
            None, {"assistant": ["Oczekiwano loginu (tekstu w cudzysłowie)."]})


def test_the_time_report_is_built_or_refused(app, office):
    with app.app_context():
        doc = visit(office.wisniewscy, office.ewa, "2026-11-10", "12:00", "13:30", travel_minutes=15)
        anna, coordinator = db.session.get(User, office.anna), db.session.get(User, office.coordinator)
        values, errors = time_report_prefill(db.session, coordinator, {"assistant": "elis", "month": "2026-11"},
                                             today=TODAY)
        assert not errors
        assert (values["assistant_login"], values["total_minutes"], values["visit_refs"]) == ("elis", 105, [doc])
        assert time_report_prefill(db.session, anna, {"month": "2026-11"}, today=TODAY) == (
            {}, {"month": ["W listopadzie 2026\u00a0r. Anna Nowak nie ma żadnej karty pracy."]})
        assert time_report_prefill(db.session, anna, {"assistant": "elis", "month": "2026-13"}, today=TODAY) == (
            {}, {"assistant": ["Możesz sporządzić tylko własne sprawozdanie z czasu pracy."],
                 "month": ["Podaj miesiąc w postaci RRRR-MM, np. 2026-11."]})


def test_what_is_sent_overrides_what_is_built_and_the_visits_are_left_to_the_service():
    built = {"month": "2026-11", "contacts_count": 4, "contact_dates": "3, 10, 17 i 24 listopada 2026\u00a0r.",
             "goal_work": [{"goal_no": "1", "goal": "Cel", "work": "3 listopada: rozmowa"}], "other_work": "",
             "institutions": "", "visit_refs": ["a1", "b2"]}
    assert for_form(DECLARED, built) == {
        "month": "2026-11", "contacts_count": 4, "contact_dates": "3, 10, 17 i 24 listopada 2026\u00a0r.",
        "goal_work": [{"goal": "Cel", "work": "3 listopada: rozmowa"}]}  # visit_refs: issue() builds them
    sent = {"family_id": 7, "month": "2026-11", "contact_dates": "3, 10 i 17 listopada 2026 r.",
            "difficulties": "Brak"}
    values = issue_values(DECLARED, {"street": "ul. Zaborska 17 m. 3"}, built, sent)
    assert values == {"street": "ul. Zaborska 17 m. 3", "month": "2026-11", "contacts_count": 4,
                      "contact_dates": "3, 10 i 17 listopada 2026 r.", "difficulties": "Brak", "family_id": 7,
                      "goal_work": [{"goal": "Cel", "work": "3 listopada: rozmowa"}]}
