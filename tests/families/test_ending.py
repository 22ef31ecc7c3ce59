"""The end of the work with a family (issue 11): the periodic assessment needs a plan, the final
report ends the assignment and opens the monitoring in the document's own transaction, monitoring
notes only while monitored, a resignation makes the final report the next step. Through the real
pipeline (LibreOffice, seal, archive), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from service.archive.models import DocumentRecord
from service.documents.context import office_today
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.families import lifecycle
from service.families.facts import prefill_for
from service.families.models import Assignment, Family, FamilyChange
from service.families.settings import set_deadline_settings
from service.documents.periods import add_months
from tests.families import files
from tests.families.files import family_data, register

GOALS = files.PLAN_GOALS


@pytest.fixture
def family(app, create_user, api_token):
    """A registered family with an assistant from 2 November 2026; the assistant's API headers."""
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    with app.test_request_context():
        family_id = register(worker.id, family_data("Anna Kowalska", "Jan Kowalski", "Zosia Kowalska"),
                             social_worker=worker.login, assistant_id=assistant.id)
    return {"id": family_id, "assistant": api_token(assistant), "worker": api_token(worker),
            "worker_id": worker.id, "assistant_id": assistant.id}


def add_plan(app, family) -> str:
    """A work plan in the family's case (tests/families/files.add_plan)."""
    with app.test_request_context():
        return files.add_plan(family["worker_id"], family["id"])


def assessment_body(family_id: int) -> dict:
    return {"family_id": family_id, "situation_changes": "Pan Jan pracuje dorywczo.", "cooperation": "good",
            "recommendation": "continue",
            "goal_attainment": [{**g, "attainment": "partly", "comment": "w toku"} for g in GOALS]}


def report_body(family_id: int, **over) -> dict:
    return {"family_id": family_id, "end_reason": "goals_achieved", "results_summary": "Cele osiągnięte.",
            "goal_attainment": [{**g, "attainment": "achieved", "comment": "tak"} for g in GOALS], **over}


def assignment_of(app, family_id: int) -> Assignment:
    with app.app_context():
        return db.session.execute(select(Assignment).where(Assignment.family_id == family_id)).scalar_one()


def test_an_assessment_needs_a_work_plan_and_names_it(app, client, family):
    refused = client.post("/api/documents/periodic_assessment", json=assessment_body(family["id"]),
                          headers=family["assistant"])
    assert refused.status_code == 422
    assert "nie ma jeszcze planu" in refused.get_json()["errors"]["goal_attainment"][0]
    plan_id = add_plan(app, family)
    with app.test_request_context():
        prefilled = prefill_for(DOCUMENT_TYPES["periodic_assessment"], db.session.get(Family, family["id"]))
    assert prefilled["goal_attainment"] == GOALS
    # the period runs from the assignment's start (2 November), not from the plan's date
    assert prefilled["period_from"] == "2026-11-02" and prefilled["period_to"] == office_today().isoformat()
    issued = client.post("/api/documents/periodic_assessment", json=assessment_body(family["id"]),
                         headers=family["assistant"])
    assert issued.status_code == 201, issued.get_json()
    assert issued.get_json()["data"]["plan_ref"] == plan_id


def test_the_next_assessment_runs_from_the_last_ones_end_whatever_plan_was_revised(app, client, family):
    add_plan(app, family)
    issued = client.post("/api/documents/periodic_assessment",
                         json={**assessment_body(family["id"]), "period_from": "2026-11-02", "period_to": "2026-11-20"},
                         headers=family["assistant"])
    assert issued.status_code == 201, issued.get_json()
    add_plan(app, family)  # the plan revised after the assessment
    with app.test_request_context():
        prefilled = prefill_for(DOCUMENT_TYPES["periodic_assessment"], db.session.get(Family, family["id"]))
    assert prefilled["period_from"] == "2026-11-21" and prefilled["period_to"] == office_today().isoformat()


def test_the_final_report_ends_the_assignment_and_opens_monitoring(app, client, family, login, create_user):
    early = client.post("/api/documents/monitoring_note", json={"family_id": family["id"], "contact_form": "phone",
                        "observations": "Rozmowa z matką."}, headers=family["assistant"])
    assert early.status_code == 422 and "nie jest teraz monitorowana" in early.get_json()["errors"]["family_id"][0]
    add_plan(app, family)  # the report judges the goals of the family's plan
    end = office_today() - dt.timedelta(days=1)
    response = client.post("/api/documents/final_report", json=report_body(family["id"], end_date=end.isoformat()),
                           headers=family["assistant"])
    assert response.status_code == 201, response.get_json()
    until = add_months(end, 2)
    assert response.get_json()["data"]["monitoring_until"] == until.isoformat()
    assignment = assignment_of(app, family["id"])
    assert (assignment.end_date, assignment.monitoring_until) == (end, until)
    with app.app_context():
        family_row = db.session.get(Family, family["id"])
        assert lifecycle.monitoring_until(family_row) == until
        assert {c.what for c in family_row.changes} >= {"assignment_ended", "monitoring"}
    # a second report (a double sending): the work has already ended
    again = client.post("/api/documents/final_report", json=report_body(family["id"], end_date=end.isoformat()),
                        headers=family["assistant"])
    assert again.status_code == 422
    # the assistant still reads the file (monitoring is the assistant's task) and writes notes; so does the worker
    for who in ("assistant", "worker"):
        note = client.post("/api/documents/monitoring_note", json={
            "family_id": family["id"], "contact_form": "visit", "observations": "Rodzina radzi sobie dobrze."},
            headers=family[who])
        assert note.status_code == 201, note.get_json()
        assert note.get_json()["data"]["author_role"] == ("assistant" if who == "assistant" else "social_worker")
        assert note.get_json()["signing"] is not None
    with app.app_context():
        assistant = db.session.get(lifecycle.User, family["assistant_id"])
    page = login(assistant).get(f"/families/{family['id']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Monitorowanie do" in text
    assert "Wystaw: Notatka z monitorowania" in text and "Wystaw: Sprawozdanie z pracy" not in text


def test_a_failing_effect_leaves_nothing_half_done(app, client, family, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the access log is down")
    monkeypatch.setattr(lifecycle, "record", broken)
    add_plan(app, family)
    with pytest.raises(RuntimeError):
        client.post("/api/documents/final_report", json=report_body(family["id"], end_date=office_today().isoformat()),
                    headers=family["assistant"])
    assignment = assignment_of(app, family["id"])
    assert assignment.end_date is None and assignment.monitoring_until is None
    with app.app_context():
        assert db.session.execute(select(DocumentRecord).where(DocumentRecord.slug == "final_report")).first() is None
        assert not db.session.execute(select(FamilyChange).where(FamilyChange.what == "monitoring")).first()


def test_a_report_ending_before_the_assignment_is_refused_at_the_date(client, family):
    body = report_body(family["id"], end_date="2026-10-01", period_from="2026-09-01")
    response = client.post("/api/documents/final_report", json=body,
                           headers=family["assistant"])
    assert response.status_code == 422
    assert "początek przydziału" in response.get_json()["errors"]["end_date"][0]


def test_a_resignation_makes_the_final_report_the_next_step(app, client, family, login, create_user):
    signed = client.post("/api/documents/resignation", json={"family_id": family["id"], "reason": ""},
                         headers=family["assistant"])
    assert signed.status_code == 201, signed.get_json()
    with app.test_request_context():
        family_row = db.session.get(Family, family["id"])
        assert lifecycle.next_step(family_row) is DOCUMENT_TYPES["final_report"]
        prefilled = prefill_for(DOCUMENT_TYPES["final_report"], family_row)
        assistant = db.session.get(lifecycle.User, family["assistant_id"])
    assert prefilled["end_reason"] == "family_withdrew"
    assert [p["full_name"] for p in signed.get_json()["data"]["persons"]] == ["Anna Kowalska", "Jan Kowalski"]
    text = login(assistant).get(f"/families/{family['id']}").get_data(as_text=True)
    assert "Następny krok" in text and "Rodzina zrezygnowała ze wsparcia" in text


def test_the_offices_monitoring_months_are_the_reports_default(app, client, family):
    """The office's setting (families.settings, monitoring_months) fills the report's months, and
    the service counts the end of the monitoring from them (final_report.stamp), which the deadline
    engine reads (families.deadlines)."""
    with app.test_request_context():
        actor = db.session.get(lifecycle.User, family["worker_id"])
        set_deadline_settings(db.session, actor, files.ORIGIN, {"monitoring_months": 3})
        prefilled = prefill_for(DOCUMENT_TYPES["final_report"], db.session.get(Family, family["id"]))
    assert prefilled["monitoring_months"] == 3
    add_plan(app, family)
    end = office_today() - dt.timedelta(days=1)
    # what the service sets is never sent
    sent = client.post("/api/documents/final_report", headers=family["assistant"],
                       json=report_body(family["id"], end_date=end.isoformat(), monitoring_until="2030-01-01"))
    assert sent.status_code == 422 and "monitoring_until" in sent.get_json()["errors"]
    response = client.post("/api/documents/final_report", json=report_body(family["id"], end_date=end.isoformat()),
                           headers=family["assistant"])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["monitoring_until"] == add_months(end, 3).isoformat()
