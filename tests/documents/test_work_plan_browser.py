"""The work plan's form in Chromium at tablet width (820 px), as the assistant fills it in a family's
home: goals and actions added and removed with the page's script, three growing groups on one page
(goals, actions, participants) each changing only its own rows, then issued; the archived data and
the PDF hold exactly the goals and actions left on the page. Once, on SQLite.

The same without scripts (the buttons post the form): tests/documents/test_work_plan.py."""
from __future__ import annotations

import datetime as dt
import re

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


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_goals_and_actions_added_removed_and_issued_at_tablet_width(app, live, browser, create_user):  # noqa: F811
    with app.test_request_context():
        family_id, assistant = _family(app, create_user)
    page = browser.new_context(viewport=TABLET, base_url=live, locale="pl-PL").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, assistant)
    page.goto(f"/families/{family_id}")
    page.get_by_role("link", name="Wystaw: Plan pracy z rodziną").click()
    page.wait_for_url("**/documents/new/work_plan")
    goals = page.locator("[data-repeat=goals] [data-row]")
    actions = page.locator("[data-repeat=actions] [data-row]")
    people = page.locator("[data-repeat=participants] [data-row]")
    assert (goals.count(), actions.count(), people.count()) == (1, 1, 2)  # the file's two adults

    page.get_by_role("button", name="Dodaj cel").click()
    assert goals.count() == 2 and focused_id(page) == "goals-1-goal_no-0"  # a goal's row starts with a choice
    assert goals.nth(1).locator("> legend").inner_text() == "Cel 2 (opcjonalnie)"
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
    for row, (number, goal) in zip((goals.nth(0), goals.nth(1)), (("1", "Uregulowanie zaległości czynszowych."),
                                                                   ("2", "Regularne uczęszczanie syna do szkoły."))):
        row.get_by_role("radio", name=f"Cel {number}", exact=True).check()
        row.get_by_label(re.compile("^Cel")).fill(goal)
    for row, (number, scope) in zip((actions.nth(0), actions.nth(1)),
                                    (("1", "Wniosek o rozłożenie zaległości na raty."),
                                     ("2", "Spotkanie z wychowawcą i pedagogiem szkolnym."))):
        row.get_by_role("radio", name=f"Cel {number}", exact=True).check()
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
