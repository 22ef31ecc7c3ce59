"""The end of the work in the web forms and in who sees the family: a document the family's file
does not allow yet is refused with the Polish message at the input it concerns, the form keeping
what was typed; a new assignment that begins during the monitoring takes the family from the old
assistant at once. On SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from service.accounts.models import User
from service.documents.context import office_today
from service.documents.json_input import json_to_formdata
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.families.access import assigned_family_ids
from service.families.assignments import assign_assistant
from service.families.lifecycle import (NO_PLAN, NOT_MONITORED, WORK_ENDED, IssueRefused, prepare,
                                        unreported_months)
from service.families.models import Family
from tests.families.files import ORIGIN, family_data, register, start_monitoring

ASSESSMENT = DOCUMENT_TYPES["periodic_assessment"]
NOTE = DOCUMENT_TYPES["monitoring_note"]
TYPED = "Pan Jan od września pracuje dorywczo <b>w firmie</b> „Budomex”."


def _family(app, create_user):
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    with app.test_request_context():
        family_id = register(worker.id, family_data("Anna Kowalska", "Jan Kowalski", "Zosia Kowalska"),
                             social_worker=worker.login, assistant_id=assistant.id)
    return family_id, worker, assistant


def _form(doctype, values: dict) -> dict[str, list[str]]:
    """The form fields a browser would send for these JSON values."""
    formdata, errors = json_to_formdata(doctype, values)
    assert not errors
    return {key: formdata.getlist(key) for key in formdata}


def _error_of(page: str, field_id: str) -> str:
    """The text of the error paragraph the form shows at this field (or group), "" when none."""
    marker = f'id="{field_id}-error">'
    if marker not in page:
        return ""
    return html.unescape(page.split(marker, 1)[1].split("</p>", 1)[0])


def test_an_assessment_without_a_plan_is_refused_at_the_goals_keeping_what_was_typed(app, client, create_user,
                                                                                    login):
    family_id, _, assistant = _family(app, create_user)
    values = {"assessment_date": office_today().isoformat(), "period_from": "2026-11-02",
              "period_to": office_today().isoformat(), "situation_changes": TYPED, "cooperation": "good",
              "recommendation": "continue", "family_names": "Anna Kowalska i Jan Kowalski",
              "assistant_name": "Katarzyna Zielińska",
              "street": "ul. Zaborska 17 m. 3", "postal_code": "32-600", "town": "Oświęcim",
              "goal_attainment": [{"goal_no": "1", "goal": "Stały rytm dnia dzieci", "attainment": "partly",
                                   "comment": "w toku"}]}
    login(assistant)
    # offered without a plan: its form says what is missing
    assert "Wystaw: Okresowa ocena sytuacji rodziny" in client.get(f"/families/{family_id}").get_data(as_text=True)
    response = client.post(f"/families/{family_id}/documents/new/periodic_assessment", data=_form(ASSESSMENT, values))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_of(page, "goal_attainment") == NO_PLAN
    assert html.escape(TYPED, quote=False) in page and "<b>w firmie</b>" not in page  # kept, and kept as text
    assert "Stały rytm dnia dzieci" in page and 'value="1"' in page
    with app.app_context():
        assert not db.session.get(Family, family_id).case.documents  # nothing stored


def test_a_monitoring_note_outside_monitoring_is_refused_keeping_what_was_typed(app, client, create_user, login):
    family_id, worker, assistant = _family(app, create_user)
    values = {"note_date": office_today().isoformat(), "contact_form": "phone", "observations": TYPED,
              "family_names": "Anna Kowalska i Jan Kowalski", "street": "ul. Zaborska 17 m. 3",
              "postal_code": "32-600", "town": "Oświęcim"}
    login(worker)
    # from the family's file: the family as a whole is not monitored (no field of the note is wrong)
    response = client.post(f"/families/{family_id}/documents/new/monitoring_note", data=_form(NOTE, values))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.escape(NOT_MONITORED, quote=False) in page
    assert html.escape(TYPED, quote=False) in page
    assert "Wystaw: Notatka z monitorowania" not in client.get(f"/families/{family_id}").get_data(as_text=True)
    # from the documents' list with the family's case chosen: the message is at the case
    with app.app_context():
        case_id = db.session.get(Family, family_id).case_id
    response = client.post("/documents/new/monitoring_note", data={**_form(NOTE, values), "case_id": str(case_id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_of(page, "case_id") == NOT_MONITORED
    assert html.escape(TYPED, quote=False) in page
    with app.app_context():
        assert not db.session.get(Family, family_id).case.documents


def test_a_new_assignment_during_monitoring_takes_the_family_from_the_old_assistant(app, client, create_user,
                                                                                   api_token):
    family_id, _, old = _family(app, create_user)
    new, head = create_user("assistant", full_name="Ewa Nowak"), create_user("head")
    with app.test_request_context():
        start_monitoring(family_id)  # the work has ended, monitored for two months from today
    old_headers = api_token(old)
    response = client.get(f"/api/families/{family_id}", headers=old_headers)
    assert response.status_code == 200  # monitoring the family is the old assistant's task
    response.close()
    with app.test_request_context():
        assign_assistant(db.session, db.session.get(User, head.id), ORIGIN, db.session.get(Family, family_id),
                         db.session.get(User, new.id), office_today())
    response = client.get(f"/api/families/{family_id}", headers=old_headers)
    assert response.status_code == 404
    response.close()
    response = client.get("/api/families", headers=old_headers)
    assert response.status_code == 200 and response.get_json()["families"] == []
    response.close()
    response = client.get(f"/api/families/{family_id}", headers=api_token(new))
    assert response.status_code == 200
    response.close()


def test_a_new_assignment_starting_later_leaves_the_monitoring_until_it_begins(app, create_user):
    family_id, _, old = _family(app, create_user)
    new, head = create_user("assistant", full_name="Ewa Nowak"), create_user("head")
    with app.test_request_context():
        start_monitoring(family_id)
        begins = office_today() + dt.timedelta(days=7)
        assign_assistant(db.session, db.session.get(User, head.id), ORIGIN, db.session.get(Family, family_id),
                         db.session.get(User, new.id), begins)

        def reads(day):
            return family_id in db.session.execute(assigned_family_ids(old.id, on=day)).scalars().all()
        assert reads(office_today()) and reads(begins - dt.timedelta(days=1))
        assert not reads(begins)


def test_during_the_monitoring_only_the_note_and_the_reports_still_due_are_offered(app, client, create_user,
                                                                                   login):
    family_id, worker, assistant = _family(app, create_user)
    with app.test_request_context():
        start_monitoring(family_id)  # the work (from 2 November) ended yesterday
    login(assistant)
    page = client.get(f"/families/{family_id}").get_data(as_text=True)
    offered = set(re.findall(r"Wystaw: ([^<]+)</a>", page))
    assert {NOTE.title, DOCUMENT_TYPES["monthly_family_report"].title} <= offered
    for slug in ("work_plan", "visit_record", "family_consent", "cooperation_rules", "periodic_assessment",
                 "final_report"):
        assert DOCUMENT_TYPES[slug].title not in offered, slug
    # the working cycle's form opened by its address: refused in Polish, on the family's page
    response = client.get(f"/families/{family_id}/documents/new/work_plan", follow_redirects=True)
    assert response.request.path == f"/families/{family_id}"
    assert html.escape(WORK_ENDED, quote=False) in response.get_data(as_text=True)
    # and sent anyway: issuing refuses it with the same message, storing nothing
    response = client.post(f"/families/{family_id}/documents/new/visit_record", data={"visit_date": "2026-11-30"})
    assert response.status_code == 422
    assert html.escape(WORK_ENDED, quote=False) in response.get_data(as_text=True)
    with app.test_request_context():
        family = db.session.get(Family, family_id)
        # the monthly report stays due for November (a month of the work), not for December
        assert [str(m) for m in unreported_months(family)] == ["2026-11"]
        with pytest.raises(IssueRefused) as refused:
            prepare(db.session, DOCUMENT_TYPES["monthly_family_report"], family, {"month": "2026-12"})
        assert refused.value.field == "month" and "listopad 2026" in str(refused.value)
        prepare(db.session, DOCUMENT_TYPES["monthly_family_report"], family, {"month": "2026-11"})
        assert not family.case.documents
