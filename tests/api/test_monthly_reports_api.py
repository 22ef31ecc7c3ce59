"""The monthly reports through the API (issue 11): built from the month's visit records, explicit
fields win, the issued report records the visit records it rests on (rebuilt on the server, never
taken from the body), and the time report is the assistant's own, filed in their own case."""
from __future__ import annotations

import pytest

from service.accounts.models import User
from service.archive.models import DocumentRecord
from service.documents.filing import STAFF_TIME
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.families.models import Case, Family
from tests.families.visits import Office, make_office, plan, visit

FAMILY = "/api/documents/monthly_family_report"
TIME = "/api/documents/monthly_time_report"
COMPLETED = {"next_month_plan": "Dalsza praca nad budżetem domowym."}


@pytest.fixture
def office(app, create_user) -> Office:
    return make_office(app, create_user)


@pytest.fixture
def headers(app, office, create_user, api_token):
    with app.app_context():
        users = {u.login: u for u in db.session.execute(db.select(User)).scalars()}
    head = create_user("head", login="szefowa", full_name="Ewa Dyrektorska")
    return {"anna": api_token(users["anowak"]), "ewa": api_token(users["elis"]),
            "coordinator": api_token(users["koord"]), "head": api_token(head)}


def _november(app, office) -> dict[str, list[str]]:
    """Anna's November: three visits with the Kowalscy (a plan of two goals), one with the
    Wiśniewscy; Ewa's one visit elsewhere is none of theirs."""
    with app.app_context():
        plan(office.kowalscy, office.anna, "2026-11-02", ["Budżet domowy", "Frekwencja Zosi w szkole"])
        kowalscy = [visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30", goals_worked=["1"],
                          topics="Plan wydatków", institutions="Szkoła Podstawowa nr 1", travel_minutes=20),
                    visit(office.kowalscy, office.anna, "2026-11-12", "12:00", "13:00", contact_kind="phone",
                          goals_worked=["2"], topics="Rozmowa o frekwencji"),
                    visit(office.kowalscy, office.anna, "2026-11-26", "16:00", "18:15", topics="Wniosek o dodatek")]
        wisniewscy = [visit(office.wisniewscy, office.anna, "2026-11-05", "10:00", "11:00")]
    return {"kowalscy": kowalscy, "wisniewscy": wisniewscy}


def test_the_family_report_is_built_from_the_month(app, client, office, headers):
    ids = _november(app, office)
    sent = {"family_id": office.kowalscy, "month": "2026-11", "difficulties": "Odwołane spotkanie.", **COMPLETED}
    # a list of ids sent by a client is refused at the field (the service sets it), and nothing is stored
    refused = client.post(FAMILY, json={**sent, "visit_refs": ids["wisniewscy"]}, headers=headers["anna"])
    assert refused.status_code == 422 and "ustala system" in refused.get_json()["errors"]["visit_refs"][0]
    with app.app_context():
        assert db.session.query(DocumentRecord).filter(DocumentRecord.slug == "monthly_family_report").count() == 0
    response = client.post(FAMILY, json=sent, headers=headers["anna"])
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["month"] == "2026-11" and data["contacts_count"] == 3
    assert data["visit_refs"] == ids["kowalscy"]  # never another family's records
    assert [row["goal"] for row in data["goal_work"]] == ["Budżet domowy", "Frekwencja Zosi w szkole"]
    assert "Szkoła Podstawowa nr 1" in data["institutions"]
    assert data["family_name"] == "Anna Kowalska, Jan Kowalski"
    assert data["difficulties"] == "Odwołane spotkanie."
    with app.app_context():
        record = db.session.get(DocumentRecord, response.get_json()["id"])
        family = db.session.get(Family, office.kowalscy)
        assert record.case_id == family.case_id and record.data["visit_refs"] == ids["kowalscy"]


def test_explicit_fields_override_the_built_ones(app, client, office, headers):
    _november(app, office)
    response = client.post(FAMILY, json={"family_id": office.kowalscy, "month": "2026-11", "contacts_count": 4,
                                         "contact_dates": "4, 12, 20 i 26 listopada 2026 r.", **COMPLETED},
                           headers=headers["anna"])
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["contacts_count"], data["contact_dates"]) == (4, "4, 12, 20 i 26 listopada 2026 r.")
    assert len(data["visit_refs"]) == 3  # what the report rests on stays as built


@pytest.mark.parametrize("month, message", [
    ("2026-10", "W październiku 2026\u00a0r. nie ma żadnej karty pracy z tą rodziną."),
    ("2027-02", "jeszcze się nie zaczął"),
    (None, "Podaj miesiąc sprawozdania"),
])
def test_a_month_without_visit_records_or_in_the_future_is_refused(app, client, office, headers, month, message):
    _november(app, office)
    sent = {"family_id": office.kowalscy, **COMPLETED, **({"month": month} if month else {})}
    response = client.post(FAMILY, json=sent, headers=headers["anna"])
    assert response.status_code == 422
    assert message in response.get_json()["errors"]["month"][0]
    with app.app_context():
        assert db.session.execute(db.select(DocumentRecord).where(
            DocumentRecord.slug == "monthly_family_report")).first() is None


def test_a_family_the_assistant_does_not_see_is_not_found(app, client, office, headers):
    _november(app, office)
    response = client.post(FAMILY, json={"family_id": office.kowalscy, "month": "2026-11", **COMPLETED},
                           headers=headers["ewa"])
    assert response.status_code == 422
    assert response.get_json()["errors"]["family_id"] == ["Nie ma takiej rodziny (albo nie masz do niej dostępu)."]


def test_the_family_report_needs_a_family(app, client, office, headers):
    response = client.post(FAMILY, json={"month": "2026-11", **COMPLETED}, headers=headers["anna"])
    assert response.status_code == 422 and "family_id" in response.get_json()["errors"]


def test_the_time_report_is_the_callers_own_in_their_own_case(app, client, office, headers):
    ids = _november(app, office)
    response = client.post(TIME, json={"month": "2026-11"}, headers=headers["anna"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    data = body["data"]
    assert data["assistant_login"] == "anowak" and data["assistant_name"] == "Anna Nowak"
    assert sorted(data["visit_refs"]) == sorted(ids["kowalscy"] + ids["wisniewscy"])
    assert [row["hours"] for row in data["family_hours"]] == ["4 h 45 min", "1 h"]
    assert (data["work_hours"], data["travel_hours"], data["total_hours"]) == ("5 h 45 min", "20 min", "6 h 5 min")
    with app.app_context():
        case = db.session.get(Case, db.session.get(DocumentRecord, body["id"]).case_id)
        assert (case.jrwa_key, case.assignee_id, case.family) == (STAFF_TIME.key, office.anna, None)
    # the assistant reads it; another assistant does not; the head does
    assert client.get(f"/api/documents/{body['id']}", headers=headers["anna"]).status_code == 200
    assert client.get(f"/api/documents/{body['id']}", headers=headers["ewa"]).status_code == 404
    assert client.get(f"/api/documents/{body['id']}", headers=headers["head"]).status_code == 200
    # the next report of the year goes to the same case
    again = client.post(TIME, json={"month": "2026-11", "remarks": "Korekta."}, headers=headers["anna"])
    assert again.status_code == 201 and again.get_json()["case_sign"] == body["case_sign"]


def test_another_assistants_time_report(app, client, office, headers):
    _november(app, office)
    refused = client.post(TIME, json={"month": "2026-11", "assistant": "anowak"}, headers=headers["ewa"])
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "Możesz sporządzić tylko własne sprawozdanie z czasu pracy."
    allowed = client.post(TIME, json={"month": "2026-11", "assistant": "anowak"}, headers=headers["head"])
    assert allowed.status_code == 201, allowed.get_json()
    assert allowed.get_json()["data"]["assistant_login"] == "anowak"
    with app.app_context():
        case = db.session.get(Case, db.session.get(DocumentRecord, allowed.get_json()["id"]).case_id)
        assert case.assignee_id == office.anna  # the assistant's case, though the head issued it
    unknown = client.post(TIME, json={"month": "2026-11", "assistant": "nikt"}, headers=headers["head"])
    assert unknown.status_code == 422 and "assistant" in unknown.get_json()["errors"]
    none = client.post(TIME, json={"month": "2026-11"}, headers=headers["ewa"])
    assert none.status_code == 422 and "nie ma żadnej karty pracy" in none.get_json()["errors"]["month"][0]


def test_the_time_report_is_not_filed_in_a_familys_case(app, client, office, headers):
    _november(app, office)
    response = client.post(TIME, json={"month": "2026-11", "family_id": office.kowalscy}, headers=headers["anna"])
    assert response.status_code == 422 and "family_id" in response.get_json()["errors"]


@pytest.mark.parametrize("slug", ["monthly_family_report", "monthly_time_report"])
def test_the_samples_post_for_a_family_with_visit_records(app, client, office, headers, slug):
    """The described sample posts successfully (the samples' month is November 2026)."""
    _november(app, office)
    described = client.get(f"/api/document-types/{slug}", headers=headers["anna"]).get_json()
    assert "2026-11" in described["description"]
    assert {f.name for f in DOCUMENT_TYPES[slug].service_fields} <= set(described["set_by_service"])
    assert not {f["name"] for f in described["fields"]} & set(described["set_by_service"])
    sample = dict(described["sample"])
    if slug == "monthly_family_report":
        sample["family_id"] = office.kowalscy
    response = client.post(f"/api/documents/{slug}", json=sample, headers=headers["anna"])
    assert response.status_code == 201, response.get_json()
