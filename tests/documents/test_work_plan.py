"""The work plan (plan pracy z rodziną): goals and actions validated together, a revision names
the plan it replaces and is pre-filled from it, the family's page shows which plan is current,
and a plan of 8 goals × 4 actions runs over pages with the actions table's header repeated."""
from __future__ import annotations

import dataclasses
import datetime as dt
from io import BytesIO

import pytest
from flask import Flask
from pypdf import PdfReader

from service import pipeline
from service.accounts.models import User
from service.documents.context import build_context, office_today, polish_date
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.families.assignments import assign_assistant
from service.families.facts import facts_of, prefill_for
from service.families.models import Family
from service.families.plans import current_plan
from service.families.registration import register_family
from service.documents.family_facts import PlanFacts
from service.documents.json_input import json_to_formdata
from service.forms_builder import errors_by_path, form_class, row_edit
from service.issuing import issue
from service.office.models import JrwaClass, get_profile
from tests.documents.test_family_prefill import ANNA, EXTRAS, form_errors
from tests.documents.test_family_prefill import family as prefill_family
from tests.families.test_issue_for_family import FAMILIES, ORIGIN
from tests.helpers import squash
from werkzeug.datastructures import MultiDict

PLAN = DOCUMENT_TYPES["work_plan"]
TODAY = office_today()


@pytest.fixture
def app_context():
    with Flask(__name__).app_context():
        yield


def plan_values(goals: int = 1, per_goal: int = 1) -> dict:
    deadline = (TODAY + dt.timedelta(days=60)).isoformat()
    return {**EXTRAS["work_plan"], "participants": [{"full_name": "Anna Kowalska", "role": "matka"}],
            "assistant_name": "Katarzyna Zielińska",
            "goals": [{"goal_no": str(g), "goal": f"Cel rodziny numer {g} – poprawa w obszarze {g}"}
                      for g in range(1, goals + 1)],
            "actions": [{"goal_no": str(g), "scope": f"Działanie {g}-{a} w sprawie celu {g}", "deadline": deadline,
                         "expected_effect": f"Efekt {g}-{a} widoczny w rodzinie", "responsible": "Anna Kowalska"}
                        for g in range(1, goals + 1) for a in range(1, per_goal + 1)]}


# ---------------------------------------------------------------------------- validation

def test_the_sample_and_a_plan_of_eight_goals_are_valid(app_context):
    assert form_errors(PLAN, PLAN.sample_data) == {}
    assert form_errors(PLAN, plan_values(8, 3)) == {}


def test_an_action_of_a_goal_the_plan_has_not(app_context):
    values = plan_values(2)
    values["actions"][1]["goal_no"] = "5"
    values["actions"].append({**values["actions"][0]})  # goal 1 keeps an action, goal 2 has none now
    errors = form_errors(PLAN, values)
    assert errors["actions[1].goal_no"] == ["W planie nie ma celu 5. Wybierz jeden z celów wpisanych w tabeli "
                                            "celów albo dopisz ten cel."]
    assert errors["goals[1].goal"] == ["Do celu 2 nie przypisano żadnego działania. Dodaj działanie, które "
                                       "służy temu celowi, albo usuń cel."]


def test_a_goal_number_twice_and_an_action_due_before_the_plan(app_context):
    values = plan_values(2)
    values["goals"][1]["goal_no"] = "1"
    values["actions"][0]["deadline"] = (TODAY - dt.timedelta(days=1)).isoformat()
    errors = form_errors(PLAN, values)
    assert errors["goals[1].goal_no"] == ["Cel 1 jest już wpisany wyżej. Nadaj temu celowi inny numer."]
    assert errors["actions[0].deadline"] == ["Termin realizacji nie może być wcześniejszy niż data planu."]


def test_no_goals_and_no_actions(app_context):
    values = {**plan_values(), "goals": [], "actions": []}
    errors = form_errors(PLAN, values)
    assert errors["goals"] == ["Uzupełnij co najmniej 1 pozycję."]
    assert errors["actions"] == ["Uzupełnij co najmniej 1 pozycję."]


def test_rows_added_and_removed_without_scripts():
    posted = MultiDict([("goals-0-goal_no", "1"), ("goals-0-goal", "A"), ("goals-1-goal_no", "2"),
                        ("goals-1-goal", "B"), ("goals-2-goal_no", "3"), ("goals-2-goal", "C"),
                        ("remove_row", "goals:1")])
    edit = row_edit(PLAN, posted)
    assert edit.grow is None and edit.formdata.get("goals-1-goal") == "C" and "goals-2-goal" not in edit.formdata
    assert row_edit(PLAN, MultiDict([("add_row", "actions")])).grow == "actions"
    assert row_edit(PLAN, MultiDict([("add_row", "nonsense")])) is None
    assert row_edit(PLAN, MultiDict([("remove_row", "goals:²")])) is None


# ---------------------------------------------------------------------------- goals numbered by their place

def _form(posted: MultiDict):
    form = form_class(PLAN)(formdata=posted, meta={"csrf": False})
    form.validate()
    return form


def _posted(goals: list[str], actions: list[str], **more) -> MultiDict:
    """What the page posts: goal rows with their text only (no number), actions naming a goal row."""
    deadline = (TODAY + dt.timedelta(days=30)).isoformat()
    formdata, _ = json_to_formdata(PLAN, {**plan_values(), "goals": [], "actions": []})
    for i, goal in enumerate(goals):
        formdata.add(f"goals-{i}-goal", goal)
    for i, number in enumerate(actions):
        for key, value in (("goal_no", number), ("scope", f"Działanie {i + 1}"), ("deadline", deadline),
                           ("expected_effect", "Efekt"), ("responsible", "Anna Kowalska")):
            formdata.add(f"actions-{i}-{key}", value)
    for key, value in more.items():
        formdata.add(key, value)
    return formdata


def test_the_page_numbers_the_goals_by_their_place(app_context):
    form = _form(_posted(["Budżet domowy.", "Szkoła syna."], ["2", "1"]))
    assert form.errors == {}
    data = form.cleaned_data()
    assert data["goals"] == [{"goal_no": "1", "goal": "Budżet domowy."}, {"goal_no": "2", "goal": "Szkoła syna."}]
    assert [a["goal_no"] for a in data["actions"]] == ["2", "1"]


def test_a_goal_left_empty_between_others_is_taken_out_and_the_actions_follow(app_context):
    # typed in goal rows 1 and 3, row 2 left empty: goals 1 and 2, the action of „Cel 3” serves goal 2
    form = _form(_posted(["Budżet domowy.", "", "Szkoła syna."], ["3", "1"]))
    assert form.errors == {}
    data = form.cleaned_data()
    assert data["goals"] == [{"goal_no": "1", "goal": "Budżet domowy."}, {"goal_no": "2", "goal": "Szkoła syna."}]
    assert [a["goal_no"] for a in data["actions"]] == ["2", "1"]
    # an action that served the empty row chooses again, at its field
    form = _form(_posted(["Budżet domowy.", "", "Szkoła syna."], ["2", "1", "3"]))
    assert errors_by_path(form)["actions[0].goal_no"] == ["To pole jest wymagane."]


def test_an_action_of_a_goal_row_not_filled_is_told_at_its_field(app_context):
    form = _form(_posted(["Budżet domowy."], ["1", "2"]))
    assert errors_by_path(form) == {"actions[1].goal_no": [
        "W planie nie ma celu 2. Wybierz jeden z celów wpisanych w tabeli celów albo dopisz ten cel."]}


def test_a_goal_taken_out_without_scripts_takes_its_actions_choice_with_it():
    posted = _posted(["Budżet domowy.", "Szkoła syna.", "Praca ojca."], ["1", "2", "3", "3"],
                     remove_row="goals:1")
    edit = row_edit(PLAN, posted)
    assert edit.formdata.getlist("goals-1-goal") == ["Praca ojca."]
    # the action of goal 2 chooses again; those of goal 3 follow it to 2
    assert [edit.formdata.get(f"actions-{i}-goal_no") for i in range(4)] == ["1", None, "2", "2"]
    # an action row taken out leaves the goals' numbers alone
    edit = row_edit(PLAN, _posted(["A.", "B."], ["1", "2"], remove_row="actions:0"))
    assert edit.formdata.get("actions-0-goal_no") == "2" and edit.formdata.get("goals-1-goal") == "B."


def test_an_action_offers_the_goals_typed_by_their_words(app_context):
    form = _form(_posted(["Uregulowanie zaległości\nczynszowych.", "Szkoła syna."], ["2"]))
    form.grow("goals")  # a third goal row shown, still empty
    form.offer_rows()
    assert [(c.value, c.label) for c in form.actions[0].form.goal_no.choices] == [
        ("1", "Cel 1: Uregulowanie zaległości czynszowych."), ("2", "Cel 2: Szkoła syna."), ("3", "Cel 3")]
    assert form.actions[0].form.goal_no.data == "2"


def test_a_body_with_the_goals_numbers_keeps_them_and_one_without_gets_their_places(app_context):
    # the API's bodies as before the rule: numbers as sent, in any order, a gap allowed
    values = plan_values(2)
    values["goals"] = [{"goal_no": "3", "goal": "Trzeci."}, {"goal_no": "1", "goal": "Pierwszy."}]
    values["actions"][0]["goal_no"], values["actions"][1]["goal_no"] = "3", "1"
    assert form_errors(PLAN, values) == {}
    # without the numbers: by their place
    values = plan_values(2)
    for goal in values["goals"]:
        del goal["goal_no"]
    formdata, _ = json_to_formdata(PLAN, values)
    form = _form(formdata)
    assert form.errors == {} and [g["goal_no"] for g in form.cleaned_data()["goals"]] == ["1", "2"]


def test_a_revision_numbers_the_goals_of_a_plan_sent_out_of_order_by_their_place(app_context):
    facts = dataclasses.replace(prefill_family(ANNA), plan=PlanFacts(
        "plan-1", TODAY.isoformat(), (("3", "Trzeci."), ("1", "Pierwszy.")),
        actions=({"goal_no": "3", "scope": "Do trzeciego."}, {"goal_no": "1", "scope": "Do pierwszego."})))
    values = PLAN.from_family(facts)
    assert values["goals"] == [{"goal_no": "1", "goal": "Pierwszy."}, {"goal_no": "2", "goal": "Trzeci."}]
    assert [(a["goal_no"], a["scope"]) for a in values["actions"]] == [("2", "Do trzeciego."), ("1", "Do pierwszego.")]


def test_the_context_nests_actions_under_their_goals():
    values = plan_values(3, 2)
    values["actions"].reverse()  # typed in any order: printed under their goals, in order
    ctx = build_context(PLAN, values, office={}, case_sign="X", doc_ref="Asysta 1", issued_on=TODAY)
    assert [g["number"] for g in ctx["plan_goals"]] == ["1", "2", "3"]
    assert [a["number"] for a in ctx["plan_goals"][0]["actions"]] == ["1.1", "1.2"]
    assert ctx["plan_goals"][2]["actions"][0]["scope"].startswith("Działanie 3\u20112")  # typeset: no break
    assert ctx["replaces_line"] == ""
    assert [s["marker"] for s in ctx["signature_slots"]] == ["SIG:family_member:0", "SIG:assistant:0"]


# ---------------------------------------------------------------------------- through the real pipeline

def _family(app, create_user):
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    head = create_user("head")
    actor = db.session.get(User, head.id)
    family = register_family(db.session, actor, ORIGIN, {**FAMILIES["family_support"], "social_worker": worker.login},
                             office=get_profile().letterhead(), jrwa=db.session.get(JrwaClass, "family_support"))
    assign_assistant(db.session, actor, ORIGIN, db.session.get(Family, family.id), db.session.get(User, assistant.id),
                     dt.date(2026, 11, 2))
    return family.id, assistant


def test_a_revision_names_the_plan_it_replaces_and_is_prefilled_from_it(app, create_user, login):
    with app.test_request_context():
        family_id, assistant = _family(app, create_user)
        family = db.session.get(Family, family_id)
        assert current_plan(db.session, family) is None and facts_of(family).plan is None
        first_values = {**prefill_for(PLAN, family), **plan_values(2, 2)}
        first = issue(db.session.get(User, assistant.id), ORIGIN, PLAN, first_values, family=family).record
        assert "replaces" not in first.data
        family = db.session.get(Family, family_id)
        assert current_plan(db.session, family).id == first.id
        assert facts_of(family).plan.goals == (("1", "Cel rodziny numer 1 – poprawa w obszarze 1"),
                                               ("2", "Cel rodziny numer 2 – poprawa w obszarze 2"))
        again = prefill_for(PLAN, family)  # the revision starts from the current plan
        assert again["goals"] == first_values["goals"] and again["actions"] == first_values["actions"]
        assert again["diagnosis"] == first_values["diagnosis"]
        assert [p["full_name"] for p in again["participants"]] == ["Łucja Żmijewska", "Grzegorz Żmijewski"]
        again["goals"][1]["goal"] = "Cel zmieniony po ocenie okresowej"
        second = issue(db.session.get(User, assistant.id), ORIGIN, PLAN, {**again, "plan_date": TODAY.isoformat()},
                       family=db.session.get(Family, family_id)).record
        assert second.data["replaces"] == first.id
        assert second.data["replaces_ref"] == first.doc_ref and second.data["replaces_date"] == TODAY.isoformat()
        assert current_plan(db.session, db.session.get(Family, family_id)).id == second.id
        pdf = pipeline(app).store.path(second.pdf_sha256, "pdf").read_bytes()
    text = squash(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))
    day = build_context(PLAN, {"plan_date": TODAY.isoformat()}, office={}, case_sign="", doc_ref="",
                        issued_on=TODAY)["plan_date"]
    assert squash(f"Plan zastępuje plan z dnia {day} (nr {first.doc_ref}).") in text
    page = login(assistant).get(f"/families/{family_id}").get_data(as_text=True)
    assert page.count("obowiązujący") == 1 and page.count(f"zastąpiony planem z {polish_date(TODAY)}") == 1
    assert page.index("obowiązujący") < page.index("zastąpiony planem z")  # newest first


def test_eight_goals_of_four_actions_run_over_pages_with_the_header(app, create_user):
    with app.test_request_context():
        family_id, assistant = _family(app, create_user)
        family = db.session.get(Family, family_id)
        values = {**prefill_for(PLAN, family), **plan_values(8, 4)}
        record = issue(db.session.get(User, assistant.id), ORIGIN, PLAN, values, family=family).record
        pdf = pipeline(app).store.path(record.pdf_sha256, "pdf").read_bytes()
    pages = [squash(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]
    whole = " ".join(pages)
    for goal in values["goals"]:
        assert squash(goal["goal"]) in whole
    for action in values["actions"]:
        assert squash(action["scope"]) in whole and squash(action["expected_effect"]) in whole
    header = squash("Zakres działania")
    assert len(pages) >= 3
    with_actions = [p for p in pages if squash("w sprawie celu") in p]
    assert len(with_actions) >= 2 and all(header in p for p in with_actions)  # the header row repeats
