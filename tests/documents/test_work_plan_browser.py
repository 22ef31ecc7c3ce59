"""The work plan's form in Chromium at tablet width (820 px), as the assistant fills it in a family's
home: goals and actions added and removed with the page's script, three growing groups on one page
(goals, actions, participants) each changing only its own rows, then issued; the archived data and
the PDF hold exactly the goals and actions left on the page. Once, on SQLite.

The goals are numbered by their place (no number to choose); each action chooses its goal among the
goals typed, by their words („Cel 2: Regularne uczęszczanie…”), the choices following the goals as
they are typed, added and taken out: with the script at 820 and 390 px, and without it (the buttons
post the form and the server renumbers). The server's side: tests/documents/test_work_plan.py.
ASYSTA_SHOTS=/some/folder saves screenshots of the goals and actions at each width."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from service import pipeline
from service.archive.models import DocumentRecord
from service.documents.context import office_today
from service.extensions import db
from tests.documents.test_work_plan import _family
from tests.helpers import pdf_text_normalised, squash
# live: the app over HTTP with CSRF on; browser: headless Chromium
from tests.signing.test_browser import TABLET, browser, live, log_in  # noqa: F401

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("ASYSTA_SHOTS")
GOALS = ("Uregulowanie zaległości czynszowych.", "Regularne uczęszczanie syna do szkoły.")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def offered(action) -> list[str]:
    """The goals an action row offers, as its radios are named."""
    return [" ".join(t.split()) for t in action.locator("[data-rows-of=goals] label.check").all_inner_texts()]


def chosen(action) -> str | None:
    """The goal an action row serves: its ticked radio's text, or None."""
    ticked = action.locator("[data-rows-of=goals] label.check:has(input:checked)")
    return " ".join(ticked.inner_text().split()) if ticked.count() else None


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for group in ("goals", "actions"):
            page.locator(f"[data-repeat={group}]").screenshot(path=str(Path(SHOTS) / f"{name}-{group}.png"))


def _open_form(browser, live, assistant, family_id, viewport, scripts=True):  # noqa: F811
    page = browser.new_context(viewport=viewport, base_url=live, locale="pl-PL", java_script_enabled=scripts,
                               has_touch=viewport == PHONE, is_mobile=viewport == PHONE).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, assistant)
    page.goto(f"/families/{family_id}")
    page.get_by_role("link", name="Wystaw: Plan pracy z rodziną").click()
    page.wait_for_url("**/documents/new/work_plan")
    return page, errors


def test_goals_and_actions_added_removed_and_issued_at_tablet_width(app, live, browser, create_user):  # noqa: F811
    with app.test_request_context():
        family_id, assistant = _family(app, create_user)
    page, errors = _open_form(browser, live, assistant, family_id, TABLET)
    goals = page.locator("[data-repeat=goals] [data-row]")
    actions = page.locator("[data-repeat=actions] [data-row]")
    people = page.locator("[data-repeat=participants] [data-row]")
    assert (goals.count(), actions.count(), people.count()) == (1, 1, 2)  # the file's two adults

    page.get_by_role("button", name="Dodaj cel").click()
    assert goals.count() == 2 and focused_id(page) == "goals-1-goal"  # a goal's row is its text alone
    assert goals.nth(1).locator("> legend").inner_text() == "Cel 2 (opcjonalnie)"  # its number: its place
    assert page.locator("[name$='-goal_no'][name^='goals-']").count() == 0
    page.get_by_role("button", name="Dodaj działanie").click()
    page.get_by_role("button", name="Dodaj działanie").click()
    assert actions.count() == 3 and focused_id(page) == "actions-2-goal_no-0"
    assert (goals.count(), people.count()) == (2, 2)  # each button changes its own group only

    # the second action taken out: the third becomes the second, names and labels renumbered
    actions.nth(2).get_by_label("Zakres działania").fill("Trzecie wpisane, drugie po usunięciu")
    page.get_by_role("button", name="Usuń: działanie 2").click()
    assert actions.count() == 2 and focused_id(page) == "actions-1-goal_no-0"
    assert actions.nth(1).locator("> legend").inner_text() == "Działanie 2 (opcjonalnie)"
    assert page.locator("#actions-1-scope").input_value() == "Trzecie wpisane, drugie po usunięciu"
    assert page.get_by_role("button", name="Usuń: działanie 2").count() == 1
    assert page.locator("[name^='actions-2-']").count() == 0
    assert (goals.count(), people.count()) == (2, 2)
    assert page.locator("#participants-1-full_name").input_value() == "Grzegorz Żmijewski"

    today = office_today()
    deadline = (today + dt.timedelta(days=30)).isoformat()
    page.get_by_label("Data sporządzenia planu").fill(today.isoformat())
    page.get_by_label("Diagnoza sytuacji rodziny").fill("Zaległości w opłatach za mieszkanie.")
    page.get_by_label("Zasoby i mocne strony rodziny").fill("Wsparcie babci.")
    page.get_by_label(re.compile("^Termin przeglądu planu")).fill((today + dt.timedelta(days=180)).isoformat())
    for row, goal in zip((goals.nth(0), goals.nth(1)), GOALS):
        row.get_by_label("Treść celu").fill(goal)
    # each action offers the two goals, by their words, as they were typed
    assert offered(actions.nth(1)) == [f"Cel 1: {GOALS[0]}", f"Cel 2: {GOALS[1]}"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "work-plan-820")
    for row, (number, scope) in zip((actions.nth(0), actions.nth(1)),
                                    (("1", "Wniosek o rozłożenie zaległości na raty."),
                                     ("2", "Spotkanie z wychowawcą i pedagogiem szkolnym."))):
        row.get_by_role("radio", name=f"Cel {number}: {GOALS[int(number) - 1]}", exact=True).check()
        row.get_by_label("Zakres działania").fill(scope)
        row.get_by_label("Termin realizacji").fill(deadline)
        row.get_by_label("Przewidywany efekt").fill(f"Efekt celu {number}.")
        row.get_by_label("Osoba odpowiedzialna").fill("Łucja Żmijewska")
    page.get_by_role("button", name="Wystaw dokument").click()
    page.locator(".flash.success, .error-summary").wait_for(timeout=90000)
    assert "/archive/" in page.url, page.locator("main").inner_text()[:3000]
    assert errors == []
    doc_id = page.url.rstrip("/").rsplit("/", 1)[1]

    with app.app_context():
        record = db.session.get(DocumentRecord, doc_id)
        data = record.data
        pdf = pipeline(app).store.path(record.pdf_sha256, "pdf").read_bytes()
    assert data["goals"] == [{"goal_no": "1", "goal": "Uregulowanie zaległości czynszowych."},
                             {"goal_no": "2", "goal": "Regularne uczęszczanie syna do szkoły."}]
    assert [(a["goal_no"], a["scope"], a["deadline"]) for a in data["actions"]] == [
        ("1", "Wniosek o rozłożenie zaległości na raty.", deadline),
        ("2", "Spotkanie z wychowawcą i pedagogiem szkolnym.", deadline)]
    assert [p["full_name"] for p in data["participants"]] == ["Łucja Żmijewska", "Grzegorz Żmijewski"]
    text = squash(pdf_text_normalised(pdf))
    for value in ("Cel 1: Uregulowanie zaległości czynszowych.", "Cel 2: Regularne uczęszczanie syna do szkoły.",
                  "1.1", "Wniosek o rozłożenie zaległości na raty.", "2.1",
                  "Spotkanie z wychowawcą i pedagogiem szkolnym."):
        assert squash(value) in text, value
    assert squash("Trzecie wpisane") not in text


def test_an_actions_goal_follows_the_goals_typed_added_and_taken_out_on_a_phone(app, live, browser,  # noqa: F811
                                                                                create_user):
    """At 390 px with the script: an action offers the goals on the page, by their words as they are
    typed; a goal added is offered at once; a goal taken out takes its choice with it (its action
    chooses again) and the goals after it move up, the actions that serve them following."""
    with app.test_request_context():
        family_id, assistant = _family(app, create_user)
    page, errors = _open_form(browser, live, assistant, family_id, PHONE)
    goals = page.locator("[data-repeat=goals] [data-row]")
    actions = page.locator("[data-repeat=actions] [data-row]")
    assert offered(actions.nth(0)) == ["Cel 1"]  # a goal without text yet: its number alone
    goals.nth(0).get_by_label("Treść celu").fill(GOALS[0])
    assert offered(actions.nth(0)) == [f"Cel 1: {GOALS[0]}"]
    page.get_by_role("button", name="Dodaj cel").click()
    assert offered(actions.nth(0)) == [f"Cel 1: {GOALS[0]}", "Cel 2"]
    goals.nth(1).get_by_label("Treść celu").fill(GOALS[1])
    page.get_by_role("button", name="Dodaj cel").click()
    goals.nth(2).get_by_label("Treść celu").fill("Podjęcie pracy przez ojca.")
    page.get_by_role("button", name="Dodaj działanie").click()
    page.get_by_role("button", name="Dodaj działanie").click()
    three = [f"Cel 1: {GOALS[0]}", f"Cel 2: {GOALS[1]}", "Cel 3: Podjęcie pracy przez ojca."]
    assert [offered(actions.nth(i)) for i in range(3)] == [three] * 3
    for i in range(3):
        actions.nth(i).get_by_role("radio", name=three[i], exact=True).check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "work-plan-390")

    page.get_by_role("button", name="Usuń: cel 2").click()
    two = [f"Cel 1: {GOALS[0]}", "Cel 2: Podjęcie pracy przez ojca."]
    assert [offered(actions.nth(i)) for i in range(3)] == [two] * 3
    assert [chosen(actions.nth(i)) for i in range(3)] == [two[0], None, two[1]]
    assert page.locator("#actions-2-goal_no-1").is_checked()  # ids follow the choices: one id once
    assert page.locator("[name='actions-2-goal_no']").evaluate_all("els => els.map(e => e.value)") == ["1", "2"]
    page.get_by_role("button", name="Dodaj działanie").click()
    assert offered(actions.nth(3)) == two and chosen(actions.nth(3)) is None
    assert errors == []


def test_without_scripts_the_goals_are_numbered_by_the_server(app, live, browser, create_user):  # noqa: F811
    """Without scripts (820 and 390 px): „Dodaj cel” and „Usuń: cel 2” post the form; the page shown
    again offers each action the goals typed, by their words, and an action that served the goal
    taken out chooses again while the others follow their goals; the plan issued numbers the goals
    left 1 and 2."""
    with app.test_request_context():
        family_id, assistant = _family(app, create_user)
    for viewport in (TABLET, PHONE):
        page, errors = _open_form(browser, live, assistant, family_id, viewport, scripts=False)
        goals = page.locator("[data-repeat=goals] [data-row]")
        actions = page.locator("[data-repeat=actions] [data-row]")
        assert page.locator("[name^='goals-'][name$='-goal_no']").count() == 0
        goals.nth(0).get_by_label("Treść celu").fill("Praca ojca.")
        page.get_by_role("button", name="Dodaj cel").click()
        page.wait_for_load_state()
        assert offered(actions.nth(0)) == ["Cel 1: Praca ojca.", "Cel 2"]
        for i, goal in enumerate(GOALS, 1):
            goals.nth(i).get_by_label("Treść celu").fill(goal)
            page.get_by_role("button", name="Dodaj cel" if i == 1 else "Dodaj działanie").click()
            page.wait_for_load_state()
        assert offered(actions.nth(1)) == ["Cel 1: Praca ojca.", f"Cel 2: {GOALS[0]}", f"Cel 3: {GOALS[1]}"]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        _shot(page, f"work-plan-{viewport['width']}-no-script")
        assert errors == []
    today = office_today()
    deadline = (today + dt.timedelta(days=30)).isoformat()
    for i, goal in enumerate(("Praca ojca.", *GOALS)):
        row = actions.nth(i) if i < 2 else None
        if row is None:
            page.get_by_role("button", name="Dodaj działanie").click()
            page.wait_for_load_state()
            row = actions.nth(i)
        row.get_by_role("radio", name=f"Cel {i + 1}: {goal}", exact=True).check()
        row.get_by_label("Zakres działania").fill(f"Działanie przy celu: {goal}")
        row.get_by_label("Termin realizacji").fill(deadline)
        row.get_by_label("Przewidywany efekt").fill("Efekt.")
        row.get_by_label("Osoba odpowiedzialna").fill("Łucja Żmijewska")
    page.get_by_role("button", name="Usuń: cel 2").click()
    page.wait_for_load_state()
    two = ["Cel 1: Praca ojca.", f"Cel 2: {GOALS[1]}"]
    assert [offered(actions.nth(i)) for i in range(3)] == [two] * 3
    assert [chosen(actions.nth(i)) for i in range(3)] == [two[0], None, two[1]]
    actions.nth(1).get_by_role("radio", name=two[0], exact=True).check()
    page.get_by_label("Data sporządzenia planu").fill(today.isoformat())
    page.get_by_label("Diagnoza sytuacji rodziny").fill("Zaległości w opłatach za mieszkanie.")
    page.get_by_label("Zasoby i mocne strony rodziny").fill("Wsparcie babci.")
    page.get_by_label(re.compile("^Termin przeglądu planu")).fill((today + dt.timedelta(days=180)).isoformat())
    page.get_by_role("button", name="Wystaw dokument").last.click()
    page.locator(".flash.success, .error-summary").wait_for(timeout=90000)
    assert "/archive/" in page.url, page.locator("main").inner_text()[:3000]
    with app.app_context():
        data = db.session.get(DocumentRecord, page.url.rstrip("/").rsplit("/", 1)[1]).data
    assert data["goals"] == [{"goal_no": "1", "goal": "Praca ojca."}, {"goal_no": "2", "goal": GOALS[1]}]
    assert [(a["goal_no"], a["scope"]) for a in data["actions"]] == [
        ("1", "Działanie przy celu: Praca ojca."), ("1", f"Działanie przy celu: {GOALS[0]}"),
        ("2", f"Działanie przy celu: {GOALS[1]}")]
