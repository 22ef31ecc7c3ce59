"""What the family's file allows, attacked through the API and the web forms (issue 11): the
refusal says what the file lacks before any field the missing thing leaves empty, a type whose
rules are the file's never opens a new case, a resignation is given once per person while the
work lasts, and a plan revision is not dated before the plan it replaces. On SQLite and
PostgreSQL."""
from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import func, select

from service.archive.models import DocumentRecord
from service.documents.context import office_today, polish_date
from service.extensions import db
from service.families.lifecycle import NEEDS_A_FAMILY, NO_ASSIGNMENT, NO_PLAN, WORK_ENDED
from service.families.models import Case, Family
from tests.families import files
from tests.families.test_ending import add_plan, assessment_body, family, report_body  # noqa: F401

TODAY = office_today()


def _count(app, model=DocumentRecord, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.session.execute(query).scalar_one()


def plan_body(family_id: int, plan_date: str, **over) -> dict:
    deadline = (TODAY + dt.timedelta(days=30)).isoformat()
    return {"family_id": family_id, "plan_date": plan_date, "review_date": (TODAY + dt.timedelta(days=90)).isoformat(),
            "diagnosis": "Zaległości czynszowe.", "resources": "Wsparcie babci.",
            "goals": [{"goal_no": "1", "goal": "Spłata zaległości czynszu"}],
            "actions": [{"goal_no": "1", "scope": "Wniosek o raty.", "deadline": deadline,
                         "expected_effect": "Ugoda ze spółdzielnią.", "responsible": "Anna Kowalska"}], **over}


def _end_work(app, client, family) -> None:
    """A final report ends the work (the family has a plan, whose goals it judges)."""
    add_plan(app, family)
    ended = client.post("/api/documents/final_report", json=report_body(family["id"], end_date=TODAY.isoformat()),
                        headers=family["assistant"])
    assert ended.status_code == 201, ended.get_json()


def test_after_the_work_ended_the_refusal_is_the_reason_not_the_empty_fields(app, client, family):
    """A second final report, an assessment, a plan and a resignation after the work ended: each is
    refused with „no assistant now”, alone (they were refused with „Asystent rodziny: To pole jest
    wymagane.”, the file having no assistant to fill it with; a resignation was even issued)."""
    _end_work(app, client, family)
    bodies = {"final_report": report_body(family["id"], end_date=TODAY.isoformat()),
              "periodic_assessment": assessment_body(family["id"]),
              "work_plan": plan_body(family["id"], TODAY.isoformat()),
              "resignation": {"family_id": family["id"]}}
    for slug, body in bodies.items():
        response = client.post(f"/api/documents/{slug}", json=body, headers=family["assistant"])
        assert response.status_code == 422, slug
        # the plan is of the working cycle: its reason is that the work has ended (work_open)
        reason = WORK_ENDED if slug == "work_plan" else NO_ASSIGNMENT
        assert response.get_json() == {"errors": {"family_id": [reason]}}, slug
    assert _count(app, slug="final_report") == 1
    assert _count(app, slug="resignation") == _count(app, slug="work_plan") - 1 == 0


def test_an_assessment_without_a_plan_says_so_when_the_goals_are_left_to_the_file(app, client, family):
    """The body leaves the goals to the file, which has no plan: the answer is the missing plan, not
    „Uzupełnij co najmniej 1 pozycję.”."""
    body = {k: v for k, v in assessment_body(family["id"]).items() if k != "goal_attainment"}
    response = client.post("/api/documents/periodic_assessment", json=body, headers=family["assistant"])
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"goal_attainment": [NO_PLAN]}}


@pytest.mark.parametrize("slug", ["final_report", "periodic_assessment", "monitoring_note", "work_plan", "resignation"])
def test_a_type_whose_rules_are_the_files_opens_no_case(app, client, family, slug):
    """Without a family the document used to open a new case and a family's file (with no members),
    skipping every rule: an assessment of no plan, a final report after which the phantom family
    stayed assigned to the assistant, a monitoring note of a family never monitored."""
    from service.documents.registry import DOCUMENT_TYPES
    body = dict(DOCUMENT_TYPES[slug].sample_data)
    cases = _count(app, Case)
    response = client.post(f"/api/documents/{slug}", json=body, headers=family["assistant"])
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"family_id": [NEEDS_A_FAMILY]}}
    assert _count(app, Case) == cases and _count(app, Family) == 1 and _count(app) == 0


def test_the_web_form_without_a_case_says_it_needs_one(app, client, create_user, login):
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    login(assistant)
    from tests.helpers import form_data
    from service.documents.registry import DOCUMENT_TYPES
    report = DOCUMENT_TYPES["final_report"]
    response = client.post("/documents/new/final_report", data=form_data(report, report.sample_data))
    assert response.status_code == 422
    assert html.escape(NEEDS_A_FAMILY, quote=False) in response.get_data(as_text=True)
    assert _count(app, Case) == 0


def test_the_family_form_says_what_the_file_lacks_as_it_opens(app, client, family, login):
    """The final report's form after the work ended: the reason on the page as it opens and as the
    only answer to sending it (it answered with the fields the ended assignment leaves empty)."""
    _end_work(app, client, family)
    with app.app_context():
        from service.accounts.models import User
        login(db.session.get(User, family["assistant_id"]))
    url = f"/families/{family['id']}/documents/new/final_report"
    reason = html.escape(NO_ASSIGNMENT, quote=False)
    opened = client.get(url, follow_redirects=True)  # not offered: the reason on the family's page
    assert opened.request.path == f"/families/{family['id']}" and reason in opened.get_data(as_text=True)
    sent = client.post(url, data={"end_reason": "goals_achieved"})
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422 and reason in page and "To pole jest wymagane." not in page
    assert _count(app, slug="final_report") == 1


def test_a_resignation_is_given_once_per_person(app, client, family):
    """The same persons again (a double sending) are refused at the persons; the other parent
    resigning later is not."""
    mother = [{"full_name": "Anna Kowalska", "sex": "f", "role": "matka"}]
    father = [{"full_name": "Jan  Kowalski", "sex": "m", "role": "ojciec"}]
    first = client.post("/api/documents/resignation", json={"family_id": family["id"], "persons": mother},
                        headers=family["assistant"])
    assert first.status_code == 201, first.get_json()
    again = client.post("/api/documents/resignation", json={"family_id": family["id"], "persons": mother + father},
                        headers=family["assistant"])
    assert again.status_code == 422
    assert again.get_json() == {"errors": {"persons": [
        f"Rezygnacja ze wsparcia z dnia {polish_date(TODAY)} obejmuje już: Anna Kowalska. Następnym krokiem jest "
        "sprawozdanie z pracy asystenta rodziny z rodziną."]}}
    later = client.post("/api/documents/resignation", json={"family_id": family["id"], "persons": father},
                        headers=family["assistant"])
    assert later.status_code == 201, later.get_json()
    assert _count(app, slug="resignation") == 2


def test_a_revision_is_not_dated_before_the_plan_it_replaces(app, client, family):
    """Dated before the current plan, a revision became the plan of months its predecessor was in
    force (the monthly reports read the plan of a day by its date)."""
    first = client.post("/api/documents/work_plan", json=plan_body(family["id"], "2026-11-20"),
                        headers=family["assistant"])
    assert first.status_code == 201, first.get_json()
    earlier = client.post("/api/documents/work_plan", json=plan_body(family["id"], "2026-11-10"),
                          headers=family["assistant"])
    assert earlier.status_code == 422
    assert earlier.get_json() == {"errors": {"plan_date": [
        "Ten plan zastępuje obowiązujący plan z dnia 20 listopada 2026\u00a0r.: jego data nie może być wcześniejsza."]}}
    same_day = client.post("/api/documents/work_plan", json=plan_body(family["id"], "2026-11-20"),
                           headers=family["assistant"])
    assert same_day.status_code == 201 and same_day.get_json()["data"]["replaces"] == first.get_json()["id"]


def _visit(family_id: int, day: str) -> dict:
    return {"family_id": family_id, "visit_date": day, "time_from": "10:00", "time_to": "11:00",
            "topics": "Rozmowa o budżecie domowym."}


def test_a_visit_is_dated_within_the_work(app, client, family):
    """A visit of 1990 (or of October, before the assistant was assigned on 2 November 2026) was
    issued and counted in that month's reports; one after the work ended too."""
    before = client.post("/api/documents/visit_record", json=_visit(family["id"], "2026-10-30"),
                         headers=family["assistant"])
    assert before.status_code == 422
    assert before.get_json() == {"errors": {"visit_date": [
        "Data spotkania jest wcześniejsza niż przydzielenie rodzinie asystenta rodziny (2 listopada 2026\u00a0r.)."]}}
    in_time = client.post("/api/documents/visit_record", json=_visit(family["id"], "2026-11-02"),
                          headers=family["assistant"])
    assert in_time.status_code == 201, in_time.get_json()
    ended = client.post("/api/documents/final_report", headers=family["assistant"],  # no plan: no goals judged
                        json=report_body(family["id"], end_date="2026-11-20", goal_attainment=[]))
    assert ended.status_code == 201, ended.get_json()
    # after the final report the working cycle is closed (lifecycle.work_open): a record of the work,
    # late or after the end, is refused with the reason; contact now goes into a monitoring note
    for day in ("2026-11-19", "2026-11-21"):
        refused = client.post("/api/documents/visit_record", json={**_visit(family["id"], day),
                                                                   "assistant_name": "Katarzyna Zielińska"},
                              headers=family["assistant"])
        assert refused.status_code == 422
        assert refused.get_json() == {"errors": {"family_id": [WORK_ENDED]}}


def test_a_final_report_without_a_plan_judges_no_goals(app, client, family):
    """The family withdrew before a plan was drawn up: the report was refused until the assistant
    invented goals („Uzupełnij co najmniej 1 pozycję.”), and goals sent were judged as the goals of
    a plan that never was. Now it takes none, and says there was no plan."""
    from tests.helpers import download, pdf_text_normalised, squash
    invented = client.post("/api/documents/final_report", headers=family["assistant"],
                           json=report_body(family["id"], end_date=TODAY.isoformat(), end_reason="family_withdrew"))
    assert invented.status_code == 422
    assert invented.get_json() == {"errors": {"goal_attainment": [
        "Ta rodzina nie ma planu pracy z rodziną, więc sprawozdanie nie ocenia realizacji jego celów: usuń wiersze "
        "tej tabeli. Sprawozdanie poda, że planu nie sporządzono."]}}
    body = {k: v for k, v in report_body(family["id"], end_date=TODAY.isoformat(), end_reason="family_withdrew").items()
            if k != "goal_attainment"}
    issued = client.post("/api/documents/final_report", json=body, headers=family["assistant"])
    assert issued.status_code == 201, issued.get_json()
    assert issued.get_json()["template_version"] == "v3" and issued.get_json()["data"]["goal_attainment"] == []
    _, pdf = download(client, issued.get_json()["links"]["pdf"], headers=family["assistant"])
    text = squash(pdf_text_normalised(pdf))
    assert squash("Planu pracy z rodziną nie sporządzono: praca z rodziną zakończyła się przed jego opracowaniem.") in text
    assert squash("Stopień realizacji") not in text


def test_a_final_report_of_a_family_with_a_plan_judges_its_goals(app, client, family):
    add_plan(app, family)
    body = report_body(family["id"], end_date=TODAY.isoformat(), goal_attainment=[])
    response = client.post("/api/documents/final_report", json=body, headers=family["assistant"])
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"goal_attainment": [
        "Oceń realizację celów planu pracy z rodziną: wpisz co najmniej jeden cel obowiązującego planu."]}}
    issued = client.post("/api/documents/final_report", json=report_body(family["id"], end_date=TODAY.isoformat()),
                         headers=family["assistant"])
    assert issued.status_code == 201, issued.get_json()


def test_a_monitoring_note_is_dated_within_the_monitoring(app, client, family):
    """A note of a contact before the work ended was accepted as a note of the monitoring."""
    ended = client.post("/api/documents/final_report", headers=family["assistant"],
                        json=report_body(family["id"], end_date="2026-11-20", goal_attainment=[]))
    assert ended.status_code == 201, ended.get_json()
    note = {"family_id": family["id"], "contact_form": "phone", "observations": "Rozmowa z matką."}
    early = client.post("/api/documents/monitoring_note", json={**note, "note_date": "2026-11-19"},
                        headers=family["assistant"])
    assert early.status_code == 422
    assert early.get_json() == {"errors": {"note_date": [
        "Data kontaktu jest wcześniejsza niż zakończenie pracy z rodziną (20 listopada 2026\u00a0r.): notatka "
        "z monitorowania dotyczy okresu po nim."]}}
    on_time = client.post("/api/documents/monitoring_note", json={**note, "note_date": "2026-11-20"},
                          headers=family["assistant"])
    assert on_time.status_code == 201, on_time.get_json()
