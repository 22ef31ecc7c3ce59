"""The ten document types of issue 11 attacked through the JSON API and the web forms, as a new
office and a hostile client would: impossible months, visit hours that cannot be, a file that does
not allow the document, bodies of the wrong shape. Each answer is a Polish message at the field
it concerns, never a 500, and nothing is stored half-way."""
from __future__ import annotations

import pytest

from service.archive.models import DocumentRecord
from service.extensions import db
from tests.api.test_monthly_reports_api import COMPLETED, FAMILY, TIME, _november, headers, office  # noqa: F401

YEAR_ZERO = "Podaj miesiąc od roku 1900, np. 2026-11."


def _reports(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(DocumentRecord).where(
            DocumentRecord.slug.in_(("monthly_family_report", "monthly_time_report")))).scalar_one()


@pytest.mark.parametrize("month", ["0000-01", "0000-13", "0999-05"])
def test_a_month_of_year_zero_is_refused_at_the_month(app, client, office, headers, login, month):
    """„0000-01” has no calendar month at all: it was a 500 (Month(0, 1) raised ValueError)."""
    _november(app, office)
    family = client.post(FAMILY, json={"family_id": office.kowalscy, "month": month, **COMPLETED},
                         headers=headers["anna"])
    time = client.post(TIME, json={"month": month}, headers=headers["anna"])
    expected = YEAR_ZERO if month != "0000-13" else "Podaj miesiąc w postaci RRRR-MM, np. 2026-11."
    for answer in (family, time):
        assert answer.status_code == 422
        assert answer.get_json() == {"errors": {"month": [expected]}}
    # the web form's „Wypełnij z kart pracy” reads the same month from the address
    with app.app_context():
        from service.accounts.models import User
        login(db.session.get(User, office.anna))
    for url in (f"/families/{office.kowalscy}/documents/new/monthly_family_report?month={month}",
                f"/documents/new/monthly_time_report?month={month}"):
        page = client.get(url)
        assert page.status_code == 200 and expected in page.get_data(as_text=True)
    assert _reports(app) == 0


# ------------------------------------------------------------------------- bodies of the wrong shape

def test_a_wrong_type_in_a_row_is_reported_at_the_rows_path_alone(app, client, office, headers):
    """A goal number sent as a number: one message, at goal_work[0].goal_no as every other error
    of a row is named (it was under the form's name „goal_work-0-goal_no”, beside a second
    „To pole jest wymagane.” for the same value)."""
    _november(app, office)
    rows = [{"goal_no": 1, "goal": "Budżet domowy", "work": "Plan wydatków."}]
    response = client.post(FAMILY, json={"family_id": office.kowalscy, "month": "2026-11", "goal_work": rows,
                                         **COMPLETED}, headers=headers["anna"])
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"goal_work[0].goal_no": ["Oczekiwano tekstu (wartość w cudzysłowie)."]}}


def test_a_refused_group_does_not_make_the_cross_field_checks_blame_the_others(app, client, office, headers):
    """A plan with 1000 actions: the actions are refused („Najwyżej 30 pozycji.”) and nothing else;
    the check that every goal has an action used to blame each goal, which was right."""
    from tests.families.files import family_data, register
    from service.accounts.models import User
    with app.test_request_context():
        worker = db.session.execute(db.select(User).where(User.role == "social_worker")).scalars().first()
        family_id = register(worker.id, family_data("Ewa Mazur", "Marek Mazur", "Ola Mazur"), assistant_id=office.anna)
    goals = [{"goal_no": str(n), "goal": f"Cel {n}"} for n in range(1, 9)]
    actions = [{"goal_no": str(n % 8 + 1), "scope": "Rozmowa.", "deadline": "2027-01-31", "expected_effect": "Efekt.",
                "responsible": "Ewa Mazur"} for n in range(1000)]
    response = client.post("/api/documents/work_plan", headers=headers["anna"], json={
        "family_id": family_id, "plan_date": "2026-11-20", "review_date": "2027-05-20", "diagnosis": "Diagnoza.",
        "resources": "Zasoby.", "goals": goals, "actions": actions})
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"actions": ["Najwyżej 30 pozycji."]}}


@pytest.mark.parametrize("body, key, message", [
    ({"family_id": 10**6}, "family_id", "Nie ma takiej rodziny (albo nie masz do niej dostępu)."),
    ({"family_id": "7"}, "family_id", "Oczekiwano liczby całkowitej (identyfikatora rodziny)."),
    ({"case_sign": "MOPS.XX.1.2026"}, "case_sign",
     "Nie ma takiej sprawy w klasie JRWA tego dokumentu (albo nie masz do niej dostępu)."),
])
def test_a_family_report_for_a_family_not_found_says_only_that(app, client, office, headers, body, key, message):
    """Nothing is built for a family the caller may not read: the answer names the family alone,
    not the fields the builder would have filled („Liczba kontaktów: To pole jest wymagane.”)."""
    _november(app, office)
    response = client.post(FAMILY, json={"month": "2026-11", **COMPLETED, **body}, headers=headers["anna"])
    assert response.status_code == 422
    assert response.get_json() == {"errors": {key: [message]}}
    # another assistant's family: the same answer as a family that does not exist
    other = client.post(FAMILY, json={"month": "2026-11", "family_id": office.kowalscy, **COMPLETED},
                        headers=headers["ewa"])
    assert other.get_json() == {"errors": {"family_id": ["Nie ma takiej rodziny (albo nie masz do niej dostępu)."]}}
    assert _reports(app) == 0


@pytest.mark.parametrize("body", [{"case_sign": "MOPS.XX.1.2026"}, {"family_id": "x"}, {"family_id": 10**6}])
def test_a_time_report_naming_a_family_says_it_belongs_to_none(app, client, office, headers, body):
    _november(app, office)
    response = client.post(TIME, json={"month": "2026-11", **body}, headers=headers["anna"])
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"family_id": [
        "Sprawozdanie z czasu pracy nie należy do sprawy rodziny: pomiń family_id i case_sign."]}}
    assert _reports(app) == 0


def test_a_month_in_which_no_visit_ticked_a_goal_is_issued_as_built(app, client, office, headers):
    """Visits that ticked none of the plan's goals: the report built from them is issued as it is,
    each goal saying that the month's records hold no work at it (the rows' required „Działania
    w miesiącu” were empty, and the report came back 422 at fields the caller never sent)."""
    from tests.families.visits import plan, visit
    with app.app_context():
        plan(office.kowalscy, office.anna, "2026-11-02", ["Budżet domowy", "Frekwencja Zosi w szkole"])
        visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30", topics="Zapoznanie się z rodziną.")
    response = client.post(FAMILY, json={"family_id": office.kowalscy, "month": "2026-11", **COMPLETED},
                           headers=headers["anna"])
    assert response.status_code == 201, response.get_json()
    rows = response.get_json()["data"]["goal_work"]
    assert [row["work"] for row in rows] == ["W kartach pracy z tego miesiąca nie zapisano działań przy tym celu."] * 2


def test_two_plans_of_eight_goals_in_one_month_fit_the_report(app, client, office, headers):
    """A plan of eight goals worked on, then revised mid-month into eight new goals: sixteen goal
    rows were built for a table of twelve, and the report came back „Najwyżej 12 pozycji.”."""
    from tests.families.visits import plan, visit
    with app.app_context():
        old = plan(office.kowalscy, office.anna, "2026-11-02", [f"Dawny cel {n}" for n in range(1, 9)])
        for n in range(1, 9):
            visit(office.kowalscy, office.anna, f"2026-11-{n + 2:02d}", "10:00", "11:00", goals_worked=[str(n)],
                  topics=f"Spotkanie {n}.")
        plan(office.kowalscy, office.anna, "2026-11-15", [f"Nowy cel {n}" for n in range(1, 9)], replaces=old)
    response = client.post(FAMILY, json={"family_id": office.kowalscy, "month": "2026-11", **COMPLETED},
                           headers=headers["anna"])
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert [row["goal"] for row in data["goal_work"]][:8] == [f"Nowy cel {n}" for n in range(1, 9)]
    assert len(data["goal_work"]) == 12 and data["goal_work"][8]["goal"].startswith("Dawny cel 1 (cel planu z dnia")
    assert data["other_work"].splitlines() == [
        f"Dawny cel {n} (cel planu z dnia 2 listopada 2026\u00a0r.) – {n + 2} listopada: Spotkanie {n}."
        for n in range(5, 9)]


def test_a_family_of_twelve_adults_is_named_within_the_fields(app, client, office, headers):
    """Twelve adults of long names: the builders joined every name, a value longer than the
    reports' „Rodzina” fields take, and the reports came back „too long” at fields never sent."""
    import datetime as dt
    from service.accounts.models import User
    from tests.families.files import register
    from tests.families.visits import visit
    names = [f"Małgorzata Konstantynopolitańczykiewicz-Wielkopolska {n}" for n in range(1, 13)]
    data = {"members": [{"full_name": name, "birth_date": dt.date(1970, 1, n), "relation": "other", "sex": "woman"}
                        for n, name in enumerate(names, 1)],
            "street": "ul. Długa 1", "postal_code": "32-600", "town": "Oświęcim", "basis_kind": "request",
            "basis": {"request_date": "2026-11-02"}}
    with app.test_request_context():
        worker = db.session.execute(db.select(User).where(User.role == "social_worker")).scalars().first()
        family_id = register(worker.id, data, assistant_id=office.anna)
        visit(family_id, office.anna, "2026-11-10", "10:00", "11:00", topics="Rozmowa.")
    family = client.post(FAMILY, json={"family_id": family_id, "month": "2026-11", **COMPLETED}, headers=headers["anna"])
    assert family.status_code == 201, family.get_json()
    assert family.get_json()["data"]["family_name"].endswith(" i 7 innych osób")
    time = client.post(TIME, json={"month": "2026-11"}, headers=headers["anna"])
    assert time.status_code == 201, time.get_json()
    assert time.get_json()["data"]["family_hours"][0]["family"].endswith(" i 7 innych osób")
    # the assessment, the final report and the monitoring note name the family the same way
    from service.documents.registry import DOCUMENT_TYPES
    from service.families.facts import prefill_for
    from service.families.models import Family
    with app.test_request_context():
        named = prefill_for(DOCUMENT_TYPES["final_report"], db.session.get(Family, family_id))["family_names"]
    assert len(named) <= 300 and named.endswith(" i 7 innych osób")


@pytest.mark.parametrize("sent, message", [
    ([1, 2], 'Oczekiwano listy tekstów: każda wartość w cudzysłowie, np. ["1", "2"].'),
    ("1", "Oczekiwano listy (wartości w nawiasach [ ])."),
])
def test_goal_numbers_sent_as_numbers_are_told_how_to_send_them(app, client, office, headers, sent, message):
    """[1, 2] was refused with „Oczekiwano listy wartości.”, which it is (DATA_KEYS.md even said the
    goal numbers were ints)."""
    body = {"family_id": office.kowalscy, "visit_date": "2026-11-20", "time_from": "10:00", "time_to": "11:00",
            "topics": "Rozmowa.", "goals_worked": sent}
    response = client.post("/api/documents/visit_record", json=body, headers=headers["anna"])
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"goals_worked": [message]}}


def test_an_assistant_named_for_a_family_report_is_an_unknown_field(app, client, office, headers):
    """„assistant” chooses whose time report is built; sent with a family report (or any other
    type) it was silently dropped, as if it had chosen something."""
    _november(app, office)
    response = client.post(FAMILY, json={"family_id": office.kowalscy, "month": "2026-11", "assistant": "elis",
                                         **COMPLETED}, headers=headers["anna"])
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"assistant": ["Nieznane pole."]}}
