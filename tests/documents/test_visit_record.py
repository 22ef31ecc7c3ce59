"""The visit record (karta pracy): its form's rules, the plan's goals as the family's own choices, the
values the service sets, and issuing for a registered family through the real pipeline (LibreOffice),
read back by the monthly family report."""
from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace

import pytest
from flask import Flask

from service.archive.models import DocumentRecord
from service.documents.catalog.visit_record import VISIT_RECORD, plan_goals
from service.documents.family_facts import FamilyFacts, PersonFacts, PlanFacts
from service.documents.json_input import json_to_formdata
from service.documents.spec import Issuer
from service.extensions import db
from service.families import monthly
from service.families.facts import facts_of
from service.families.models import Family
from service.forms_builder import errors_by_path, fit_to_family, form_class
from service.roles import Role
from tests.families.visits import make_office, plan
from tests.helpers import download, pdf_text_normalised, squash, submitted

GOALS = ("Uporządkowanie budżetu domowego", "Regularne uczęszczanie Zosi do szkoły")
FACTS = FamilyFacts(case_sign="MOPS.SPS.4011.7.2026", support="family_support",
                    members=(PersonFacts("Anna Kowalska", "mother", "matka"),), street="ul. Słowackiego 12",
                    postal_code="32-600", town="Oświęcim",
                    plan=PlanFacts("p1", "2026-11-10", (("1", GOALS[0]), ("2", GOALS[1]))))


@pytest.fixture
def app_context():
    with Flask(__name__).app_context():
        yield


def errors(data, facts=None) -> dict[str, list[str]]:
    formdata, input_errors = json_to_formdata(VISIT_RECORD, data)
    form = form_class(VISIT_RECORD)(formdata=formdata, meta={"csrf": False})
    fit_to_family(form, facts)
    form.validate()
    return {**errors_by_path(form), **input_errors}


def test_sample_is_valid(app_context):
    assert errors(VISIT_RECORD.sample_data) == {}


def test_equal_times_refused_a_visit_across_midnight_accepted(app_context):
    same = errors({**VISIT_RECORD.sample_data, "time_from": "16:00", "time_to": "16:00"})
    assert "musi być inna" in same["time_to"][0]
    assert errors({**VISIT_RECORD.sample_data, "time_from": "22:00", "time_to": "1:30"}) == {}
    assert "GG:MM" in errors({**VISIT_RECORD.sample_data, "time_to": "25:00"})["time_to"][0]


def test_signer_took_part_and_next_meeting_not_earlier(app_context):
    data = {**VISIT_RECORD.sample_data, "signer_name": "Ewa Nowak", "next_meeting": "2026-11-01"}
    found = errors(data)
    assert "obecny na spotkaniu" in found["signer_name"][0]
    assert "Następne spotkanie" in found["next_meeting"][0]
    nobody = [{**row, "present": False} for row in VISIT_RECORD.sample_data["participants"]]
    assert "Zaznacz" in errors({**VISIT_RECORD.sample_data, "participants": nobody})["participants"][0]


def test_goals_are_the_current_plans_and_only_those(app_context):
    assert plan_goals(FACTS) == (("1", f"1. {GOALS[0]}"), ("2", f"2. {GOALS[1]}"))
    assert plan_goals(None) == () and plan_goals(FamilyFacts("x", "family_support", (), "", "", "")) == ()
    assert errors({**VISIT_RECORD.sample_data, "goals_worked": ["2"]}, FACTS) == {}
    assert errors({**VISIT_RECORD.sample_data, "goals_worked": ["3"]}, FACTS)["goals_worked"] == ["Wybrano nieznaną opcję."]
    # Without a plan (the first visits) nothing can be ticked, and nothing need be.
    assert errors({**VISIT_RECORD.sample_data, "goals_worked": ["1"]})["goals_worked"] == ["Wybrano nieznaną opcję."]


def test_the_service_values_cannot_be_sent(app_context):
    found = errors({**VISIT_RECORD.sample_data, "assistant_login": "someone"})
    assert "ustala system" in found["assistant_login"][0]


def test_stamp_names_the_author_the_goals_and_whether_a_plan_was_in_force():
    issuer = Issuer("kzielinska", Role.ASSISTANT)
    values = VISIT_RECORD.stamp({"goals_worked": ["2", 1]}, FACTS, issuer)
    assert values == {"assistant_login": "kzielinska", "goals_text": f"2. {GOALS[1]}\n1. {GOALS[0]}", "plan_ref": "p1",
                      "plan_status": "current"}
    # a plan in force, no goal worked on; no plan yet; no family's file: nothing known of a plan
    assert VISIT_RECORD.stamp({}, FACTS, issuer)["plan_status"] == "current"
    assert VISIT_RECORD.stamp({}, replace(FACTS, plan=None), issuer)["plan_status"] == "none"
    assert VISIT_RECORD.stamp({}, None, issuer) == {"assistant_login": "kzielinska", "goals_text": ""}


def test_issued_for_the_family_through_the_pipeline(app, client, create_user, login):
    """The assistant issues a visit across midnight from the family's file with a goal of its plan
    ticked: the stored data follow the contract, the PDF prints the hours and the goal, and the
    monthly family report counts the visit under that goal."""
    office = make_office(app, create_user)
    with app.test_request_context():
        plan(office.kowalscy, office.anna, "2026-11-03", list(GOALS))
        family = db.session.get(Family, office.kowalscy)
        facts = facts_of(family)
        assert facts.plan is not None and facts.plan.goals[1] == ("2", GOALS[1])
    anna_login = "anowak"
    login(SimpleNamespace(login=anna_login))
    page = client.get(f"/families/{office.kowalscy}/documents/new/visit_record")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and GOALS[1] in html and 'name="assistant_login"' not in html
    url = f"/families/{office.kowalscy}/documents/new/visit_record"
    # what the browser sends with „Wystaw dokument”: no „Dodaj osobę” or „Usuń” (not clicked)
    form = submitted(html, url)
    assert form.getlist("participants-0-present") == ["y"] and "participants-2-present" not in form
    for name, value in {"visit_date": "2026-11-20", "time_from": "22:00", "time_to": "1,30", "goals_worked": "2",
                        "topics": "Rozmowa o frekwencji Zosi."}.items():
        form[name] = value  # replaces (MultiDict.update would add a second value)
    for name in [k for k in form if k.endswith("-present") and k != "participants-0-present"]:
        del form[name]  # only Anna was there
    response = client.post(url, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        record = db.session.execute(db.select(DocumentRecord).where(
            DocumentRecord.slug == "visit_record")).scalar_one()
        assert record.data["assistant_login"] == anna_login and record.data["goals_worked"] == ["2"]
        assert record.data["time_from"] == "22:00" and record.data["time_to"] == "01:30"
        doc_id = record.id
        values = monthly.family_report_values(db.session, db.session.get(Family, office.kowalscy), "2026-11")
    assert values["visit_refs"] == [doc_id] and values["contacts_count"] == 1
    assert [row["work"] for row in values["goal_work"]] == [monthly.NO_WORK, "20 listopada: Rozmowa o frekwencji Zosi."]
    response, pdf = download(client, f"/archive/{doc_id}/pdf")
    text = squash(pdf_text_normalised(pdf))
    assert squash("22.00–1.30 (do następnego dnia)") in text and squash(f"2. {GOALS[1]}") in text


@pytest.mark.parametrize("day, since, until, field, message", [
    # reversed hours that are no visit across midnight: were a 23-hour visit in the time report
    ("2026-11-10", "10:00", "9:00", "time_to",
     "Tak wpisane spotkanie trwałoby 23 h: od 10.00 do 9.00 następnego dnia. Godzinę zakończenia wcześniejszą "
     "niż godzina rozpoczęcia wpisuje się tylko dla spotkania, które skończyło się po północy (np. 22:00–1:30): "
     "sprawdź godziny."),
    ("2026-11-10", "0:00", "23:59", "time_to",
     "Tak wpisane spotkanie trwałoby 23 h 59 min (od 0.00 do 23.59), a karta pracy zapisuje jedno spotkanie, "
     "najwyżej 12 godzin: sprawdź godziny."),
    # hours the clocks skipped (29 March 2026, 2.00 → 3.00): were accepted as a visit of 0 minutes
    ("2026-03-29", "2:30", "3:30", "time_from",
     "Godziny 2.30 nie było 29 marca 2026\u00a0r.: tej nocy zegary przestawiono o godzinę do przodu (czas "
     "letni). Wpisz godzinę według zegara, np. 3.30."),
    ("2026-03-28", "23:30", "2:15", "time_to",
     "Godziny 2.15 nie było 29 marca 2026\u00a0r.: tej nocy zegary przestawiono o godzinę do przodu (czas "
     "letni). Wpisz godzinę według zegara, np. 3.15."),
])
def test_hours_no_visit_can_have_had_are_refused(app_context, day, since, until, field, message):
    found = errors({**VISIT_RECORD.sample_data, "visit_date": day, "time_from": since, "time_to": until})
    assert found == {field: [message]}


@pytest.mark.parametrize("day, since, until, minutes", [
    ("2026-11-10", "23:30", "0:30", 60),  # across midnight
    ("2026-03-29", "1:30", "3:30", 60),  # the clocks went forward at 2.00
    ("2026-10-25", "1:30", "3:30", 180),  # the clocks went back at 3.00
    ("2026-10-25", "2:30", "2:15", 45),  # 2.30 summer time to 2.15 winter time: was 24 h 45 min
    ("2026-10-25", "2:30", "2:30", 60),  # the same wall time, an hour apart
    ("2026-11-10", "8:00", "20:00", 720),  # the longest a record takes
])
def test_hours_of_the_odd_nights_are_accepted_and_counted_as_they_were(app_context, day, since, until, minutes):
    from service.archive.models import DocumentRecord
    from service.families.monthly import visit_of
    data = {**VISIT_RECORD.sample_data, "visit_date": day, "time_from": since, "time_to": until}
    assert errors(data) == {}
    formdata, _ = json_to_formdata(VISIT_RECORD, data)
    form = form_class(VISIT_RECORD)(formdata=formdata, meta={"csrf": False})
    form.validate()
    record = DocumentRecord(id="z" * 32, data=form.cleaned_data())
    assert visit_of(record).minutes == minutes  # the time report reads the hours as the form did


def _participants(html: str, url: str) -> list[str]:
    """The names in the participants' rows of the page's form, in order."""
    form = submitted(html, url)
    return [form[f"participants-{i}-full_name"] for i in range(10) if f"participants-{i}-full_name" in form]


def test_participants_are_the_files_members_rows_added_and_removed_without_scripts(app, client, create_user, login):
    """A growing group (GroupSpec.growing): the page shows the family's members from the file, not
    all 8 rows (6 of them empty on a tablet), with „Dodaj osobę”; without scripts „Dodaj osobę” and
    „Usuń” post the form and the page comes back with a row more or less, what was ticked kept and
    nothing issued. With scripts: static/forms.js, tests/documents/test_visit_record_browser.py."""
    office = make_office(app, create_user)
    login(SimpleNamespace(login="anowak"))
    url = f"/families/{office.kowalscy}/documents/new/visit_record"
    html = client.get(url).get_data(as_text=True)
    assert _participants(html, url) == ["Anna Kowalska", "Jan Kowalski", "Zosia Kowalska"]
    assert 'name="participants-3-full_name"' not in html
    assert re.search(r'<button type="submit" name="add_row" value="participants" data-add-row>Dodaj osobę</button>', html)

    form = submitted(html, url)
    form["participants-2-present"] = "y"  # Zosia was there too
    form["add_row"] = "participants"  # the button clicked, as a browser sends it
    added = client.post(url, data=form)
    assert added.status_code == 200
    html = added.get_data(as_text=True)
    assert _participants(html, url) == ["Anna Kowalska", "Jan Kowalski", "Zosia Kowalska", ""]
    assert 'class="error"' not in html  # a row edit checks nothing

    form = submitted(html, url)
    assert form.getlist("participants-2-present") == ["y"]
    form["remove_row"] = "participants:1"  # „Usuń: osoba 2”: Jan
    removed = client.post(url, data=form)
    html = removed.get_data(as_text=True)
    assert removed.status_code == 200 and _participants(html, url) == ["Anna Kowalska", "Zosia Kowalska"]
    form = submitted(html, url)
    assert form.getlist("participants-0-present") == ["y"] and form.getlist("participants-1-present") == ["y"]
    with app.app_context():
        assert db.session.execute(db.select(DocumentRecord)).first() is None


def test_the_place_text_belongs_to_other_and_shows_without_scripts(app, client, create_user, login):
    """„Jakie miejsce” is marked for static/forms.js to show only while „inne” is chosen
    (data-conditional); the page as sent hides nothing, so without scripts it can be filled, and it
    is required only with „inne” (required_if)."""
    office = make_office(app, create_user)
    login(SimpleNamespace(login="anowak"))
    url = f"/families/{office.kowalscy}/documents/new/visit_record"

    def box(html: str) -> str:
        return re.search(r'<div class="field[^"]*"[^>]*>\s*<label for="place_other">', html).group(0)

    html = client.get(url).get_data(as_text=True)
    assert 'data-required-if="place" data-required-value="other" data-conditional' in box(html)
    assert "hidden" not in box(html) and 'name="place_other"' in html
    form = submitted(html, url)
    form["place"] = "other"
    html = client.post(url, data=form).get_data(as_text=True)
    assert '<p class="error" id="place_other-error">To pole jest wymagane.</p>' in html
    assert 'aria-required="true"' in re.search(r'<input[^>]*id="place_other"[^>]*>', html).group(0)
    assert "hidden" not in box(html)
