"""In real Chromium, as the staff would: a social worker registers a family (a row added with
„Dodaj osobę”, a child with a date of birth and no PESEL, the court order's own fields appearing when
that basis is chosen), the head assigns an assistant, the assistant finds the family by a surname
typed without Polish letters and issues the family's consent pre-filled from the file.

Set ASYSTA_SHOTS=/some/folder to save screenshots of each step at tablet and desktop width.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# live: the app over HTTP with CSRF on; browser: headless Chromium
from tests.signing.test_browser import browser, live, log_in  # noqa: F401

SHOTS = os.environ.get("ASYSTA_SHOTS")
SHOT_WIDTHS = (820, 1366)  # tablet portrait, desktop

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def staff(browser, live: str, user):
    """A desktop page of its own, logged in as `user`, that collects script errors."""
    page = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=live,
                                locale="pl-PL").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors
    log_in(page, user)
    return page


def shoot(page, name: str) -> None:
    """Full-page screenshots at tablet and desktop width, when ASYSTA_SHOTS names a folder."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in SHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"family-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def fill_member(row, name: str, relation: str, *, pesel: str = "", birth_date: str = "", sex: str = "") -> None:
    row.get_by_label("Imię i nazwisko").fill(name)
    if pesel:
        row.get_by_label("PESEL").fill(pesel)
    if birth_date:
        row.get_by_label("Data urodzenia").fill(birth_date)
    if sex:
        row.get_by_role("radio", name=sex, exact=True).check()
    row.get_by_role("radio", name=relation, exact=True).check()


def test_register_assign_find_and_issue_a_consent_from_the_file(app, live, browser, create_user):  # noqa: F811
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    head = create_user("head", full_name="Ewa Dyrektorska")
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")

    # --- the social worker registers the family ---
    page = staff(browser, live, worker)
    page.get_by_role("link", name="Rodziny", exact=True).click()
    page.get_by_role("link", name="Zarejestruj rodzinę").click()
    page.wait_for_url("**/families/new")
    rows = page.locator("[data-row]")
    assert rows.count() == 3
    fill_member(rows.nth(0), "Łucja Żmijewska", "matka", pesel="88031504580")
    fill_member(rows.nth(1), "Grzegorz Żmijewski", "ojciec", pesel="85072212339")
    fill_member(rows.nth(2), "Antoni Żmijewski", "dziecko", pesel="15250112311")
    page.get_by_role("button", name="Dodaj osobę").click()  # a fourth row, without a reload
    assert rows.count() == 4 and page.evaluate("document.activeElement.id") == "members-3-full_name"
    assert rows.nth(3).locator("> legend").inner_text() == "Osoba 4 (opcjonalnie)"
    fill_member(rows.nth(3), "Zosia Żmijewska", "dziecko", birth_date="2019-05-04", sex="kobieta")
    page.get_by_label(re.compile("^Ulica, numer domu i mieszkania")).fill("ul. Zaborska 17 m. 3")
    page.get_by_label(re.compile("^Kod pocztowy")).fill("32-600")
    page.get_by_label(re.compile("^Miejscowość")).fill("Oświęcim")
    court = page.get_by_label("Sygnatura akt")
    assert court.is_hidden()  # the court's fields wait for their basis
    page.get_by_role("radio", name="postanowienie sądu").check()
    assert court.is_visible() and court.get_attribute("aria-required") == "true"
    assert page.get_by_label("Data wniosku pracownika socjalnego").is_hidden()
    page.get_by_label(re.compile("^Sąd")).fill("Sąd Rejonowy w Oświęcimiu")
    page.get_by_label("Wydział").fill("III Wydział Rodzinny i Nieletnich")
    page.get_by_label("Data postanowienia").fill("2026-11-05")
    # the rows' inputs line up: a member's choices take a line of their own, the postal code sits
    # beside the town at tablet and desktop width
    for width in SHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for pair in (("#members-0-phone", "#members-0-email"), ("#postal_code", "#town")):
            assert len({page.locator(sel).bounding_box()["y"] for sel in pair}) == 1, (width, pair)
    page.set_viewport_size({"width": 1366, "height": 900})
    shoot(page, "registration")
    # the case number forgotten: refused at its field, everything typed kept, rows and basis too
    page.get_by_role("button", name="Zarejestruj rodzinę").click()
    page.wait_for_load_state()
    assert page.title().startswith("Błąd: ")
    assert "To pole jest wymagane." in page.locator("#court_case_number-error").inner_text()
    assert page.locator("[data-row]").count() == 4
    assert page.locator("#members-3-birth_date").input_value() == "2019-05-04"
    assert page.get_by_label("Sygnatura akt").is_visible()
    shoot(page, "registration-errors")
    page.get_by_label("Sygnatura akt").fill("III Nsm 77/26")
    page.get_by_role("button", name="Zarejestruj rodzinę").click()
    page.locator(".flash.success").wait_for()
    sign = re.search(r"Znak sprawy: (\S+)\.", page.locator(".flash.success").inner_text()).group(1)
    assert sign.startswith("MOPS.SPS.4011.")
    family_url = page.url
    members = page.locator("section[aria-labelledby=members-title] tbody").inner_text()
    assert "Zosia Żmijewska" in members and "ur. 4 maja 2019" in members
    assert page.get_by_text("Sygnatura akt").is_visible() and "III Nsm 77/26" in page.locator("dl.meta").inner_text()
    assert page.js_errors == []

    # --- the head assigns the assistant ---
    page = staff(browser, live, head)
    page.goto(family_url)
    page.get_by_role("link", name="Przydziel asystenta rodziny", exact=True).click()  # the next step's button
    page.get_by_role("button", name="Przydziel").click()  # nothing chosen
    page.wait_for_load_state()
    assert "To pole jest wymagane." in page.locator("#assistant-error").inner_text()
    shoot(page, "assign-errors")
    page.get_by_label("Asystent rodziny").select_option(label="Katarzyna Zielińska (0 z 15)")
    page.get_by_label("Data rozpoczęcia pracy z rodziną").fill("2026-11-16")
    shoot(page, "assign")
    page.get_by_role("button", name="Przydziel").click()
    page.locator(".flash.success").wait_for()
    assert "Katarzyna Zielińska od 16 listopada 2026" in page.locator("dl.meta").inner_text()
    assert "r.." not in page.locator("main").inner_text()  # a date's „r.” ends the sentence
    assert page.js_errors == []

    # --- the assistant finds the family without Polish letters and issues the consent ---
    page = staff(browser, live, assistant)
    page.get_by_role("link", name="Rodziny", exact=True).click()
    page.get_by_label("Imię i nazwisko członka rodziny albo numer PESEL").fill("zmijewska")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_url("**/families?q=zmijewska")
    result = page.locator("table.list tbody tr")
    assert result.count() == 1 and sign in result.inner_text()
    shoot(page, "search")
    result.get_by_role("link").click()
    page.wait_for_url(family_url)
    shoot(page, "family")
    page.get_by_role("link", name="Wystaw: Zgoda rodziny na współpracę z asystentem rodziny").click()
    page.wait_for_url("**/documents/new/family_consent")
    assert sign in page.locator(".case-of-family").inner_text()
    # the adults from the file (the children do not consent), the address, the staff
    assert page.locator("#persons-0-full_name").input_value() == "Łucja Żmijewska"
    assert page.locator("#persons-0-pesel").input_value() == "88031504580"
    assert page.locator("#persons-0-role").input_value() == "matka"
    assert page.locator("#persons-1-full_name").input_value() == "Grzegorz Żmijewski"
    assert page.locator("#persons-2-full_name").count() == 0  # no empty row: „Dodaj osobę” adds one
    assert page.get_by_label("Ulica, numer domu i mieszkania").input_value() == "ul. Zaborska 17 m. 3"
    assert page.get_by_label("Kod pocztowy").input_value() == "32-600"
    assert page.get_by_label("Miejscowość").input_value() == "Oświęcim"
    assert page.get_by_label("Asystent rodziny").input_value() == "Katarzyna Zielińska"
    assert page.get_by_label("Pracownik socjalny prowadzący").input_value() == "Tomasz Wójcik"
    assert page.get_by_label("Data wyrażenia zgody").input_value() == ""
    shoot(page, "consent-prefilled")
    page.get_by_label("Data wyrażenia zgody").fill("2026-11-20")
    page.get_by_role("button", name="Wystaw dokument").click()
    page.locator(".flash.success, .error-summary").wait_for(timeout=90000)
    assert "/archive/" in page.url, page.locator("main").inner_text()[:3000]
    assert f"w sprawie {sign}" in page.locator(".flash.success").inner_text()
    assert sign in page.locator("dl").first.inner_text()  # the document's page: its case sign
    page.goto(family_url)
    entry = page.locator("section[aria-labelledby=timeline-title] li")
    assert entry.count() == 1
    assert "Zgoda rodziny na współpracę z asystentem rodziny" in entry.inner_text()
    assert "Katarzyna Zielińska" in entry.inner_text() and "czeka na podpis" in entry.inner_text()
    shoot(page, "family-with-document")
    assert page.js_errors == []
