"""The family pages in real Chromium for each role that sees them: WCAG 2.1 AA by axe-core
(0 violations) at phone, tablet and desktop width and no sideways scrolling (the checks of
tests/web/test_accessibility.py); registering a family with the keyboard alone, a member row added
with the keyboard. ASYSTA_SHOTS=/some/folder also saves a screenshot of each page at each width.
"""
from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from service.extensions import db
from service.families.models import FamilyMember
from tests.families.files import issue_work_plan
from tests.families.pages import register
from tests.web.test_accessibility import LONG_NAME, check_page, chromium, new_page  # noqa: F401 (fixture)
from tests.signing.test_browser import live, log_in  # noqa: F401 (live: the app over HTTP, CSRF on)

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


@pytest.fixture
def axe():
    return axe_playwright.Axe()


def _as(app, user, action):
    """Runs action(client) with a test client logged in as `user`, CSRF off, in a thread of its own
    (sealing runs asyncio.run(), which cannot run inside Playwright's event loop)."""
    def run():
        client = app.test_client()
        was = app.config["WTF_CSRF_ENABLED"]
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            assert client.post("/login", data={"login": user.login, "password": "haslo-" + user.login}).status_code == 302
            return action(client)
        finally:
            app.config["WTF_CSRF_ENABLED"] = was

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def file(app, create_user):
    """A registered family (court order, a long name) with an assistant and one consent issued:
    (family id, its first member's id, the social worker, the head, the assistant)."""
    worker = create_user("social_worker", full_name="Tomasz " + LONG_NAME)
    head, assistant = create_user("head"), create_user("assistant", full_name="Katarzyna Zielińska")
    members = [{"full_name": "Łucja " + LONG_NAME, "pesel": "88031504580", "relation": "mother"},
               {"full_name": "Zosia Żmijewska", "birth_date": "2019-05-04", "relation": "child", "sex": "woman"}]
    family_id = _as(app, worker, lambda c: register(c, members=members, kind="court"))

    def assign(client):
        response = client.post(f"/families/{family_id}/assign", data={"assistant": str(assistant.id),
                                                                     "start_date": "2026-11-16"})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    _as(app, head, assign)

    def issue(client):
        response = client.post(f"/families/{family_id}/documents/new/family_consent",
                               data={**_prefilled(client, family_id), "consent_date": "2026-11-20"})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    _as(app, assistant, issue)
    with app.app_context():
        member = db.session.execute(db.select(FamilyMember).where(FamilyMember.family_id == family_id)
                                    .order_by(FamilyMember.position)).scalars().first()
        return family_id, member.id, worker, head, assistant


def _prefilled(client, family_id: int) -> dict[str, str]:
    """The values the pre-filled consent form shows (inputs with a value, checked radios)."""
    page = client.get(f"/families/{family_id}/documents/new/family_consent").get_data(as_text=True)
    data = {}
    for tag in re.findall(r"<input [^>]*>", page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and ('type="radio"' not in tag or "checked" in tag):
            data[name.group(1)] = html.unescape(value.group(1))
    return data


def test_family_pages_of_the_social_worker(app, live, chromium, axe, file):  # noqa: F811
    family_id, member_id, worker, _, _ = file
    page = new_page(chromium, live)
    log_in(page, worker)
    page.goto("/families")
    assert page.locator("table.list tbody tr").count() == 1
    check_page(page, axe, "families-social-worker")
    page.goto("/families?q=zmijewska")
    assert page.locator("table.list tbody tr").count() == 1
    check_page(page, axe, "families-search")
    page.goto("/families?q=nikogo+takiego")
    check_page(page, axe, "families-search-none")
    page.goto("/families/new")
    check_page(page, axe, "family-new")
    page.get_by_role("radio", name="postanowienie sądu").check()  # its own fields shown
    page.locator("#members-0-pesel").fill("12345678901")
    page.get_by_role("button", name="Zarejestruj rodzinę").click()
    page.wait_for_load_state()
    assert page.title().startswith("Błąd: ")
    check_page(page, axe, "family-new-errors")
    page.get_by_role("button", name="Dodaj osobę").click()
    check_page(page, axe, "family-new-row-added")
    page.goto(f"/families/{family_id}")
    check_page(page, axe, "family-social-worker")
    for path, name in ((f"/families/{family_id}/address", "family-address"),
                       (f"/families/{family_id}/basis", "family-basis"),
                       (f"/families/{family_id}/members/new", "family-member-new"),
                       (f"/families/{family_id}/members/{member_id}", "family-member"),
                       (f"/families/{family_id}/members/{member_id}/left", "family-member-left")):
        page.goto(path)
        check_page(page, axe, name)
    page.goto(f"/families/{family_id}/address")
    page.get_by_label(re.compile("^Kod pocztowy")).fill("32600")
    page.get_by_role("button", name="Zapisz zmiany").click()
    page.wait_for_load_state()
    assert page.title().startswith("Błąd: ")
    check_page(page, axe, "family-address-errors")
    page.goto(f"/families/{family_id}/basis")
    page.get_by_role("radio", name="zgłoszenie instytucji").check()
    page.get_by_role("button", name="Zapisz zmiany").click()
    page.wait_for_load_state()
    check_page(page, axe, "family-basis-errors")
    page.goto(f"/families/{family_id}/documents/new/family_consent")
    check_page(page, axe, "family-consent-social-worker")


def test_family_pages_of_the_head(app, live, chromium, axe, file):  # noqa: F811
    family_id, _, _, head, _ = file
    page = new_page(chromium, live)
    log_in(page, head)
    page.goto("/families")
    check_page(page, axe, "families-head")
    page.goto(f"/families/{family_id}")
    check_page(page, axe, "family-head")
    page.goto(f"/families/{family_id}/assign")
    check_page(page, axe, "family-assign")
    page.get_by_role("button", name="Przydziel").click()
    page.wait_for_load_state()
    assert page.title().startswith("Błąd: ")
    # nothing typed is a missing date, not a wrongly written one
    assert page.locator("#start_date-error").inner_text() == "To pole jest wymagane."
    check_page(page, axe, "family-assign-errors")
    page.get_by_label("Data zakończenia przydziału").fill("2026-11-01")  # before the assignment began
    page.get_by_role("button", name="Zakończ przydział").click()
    page.wait_for_load_state()
    assert page.locator("#end_date-error").is_visible()
    check_page(page, axe, "family-assign-end-errors")
    page.goto(f"/families/{family_id}/social-worker")
    check_page(page, axe, "family-social-worker-change")


def test_family_pages_of_the_assistant(app, live, chromium, axe, file):  # noqa: F811
    family_id, member_id, _, _, assistant = file
    page = new_page(chromium, live)
    log_in(page, assistant)
    page.goto("/families?q=ZMIJEWSKA")
    assert page.locator("table.list tbody tr").count() == 1
    check_page(page, axe, "families-assistant")
    page.goto(f"/families/{family_id}")
    assert page.locator("section[aria-labelledby=timeline-title] li").count() == 1
    check_page(page, axe, "family-assistant")
    page.goto(f"/families/{family_id}/members/{member_id}")
    check_page(page, axe, "family-contact")
    page.goto(f"/families/{family_id}/documents/new/family_consent")
    assert page.locator("#persons-0-full_name").input_value() == "Łucja " + LONG_NAME
    check_page(page, axe, "family-consent")
    page.get_by_role("button", name="Wystaw dokument").click()
    page.wait_for_load_state()
    assert page.title().startswith("Błąd: ")  # the consent's date is the one thing left to type
    assert page.locator("#consent_date-error").inner_text() == "To pole jest wymagane."
    assert page.locator(".error-summary li").count() == 1
    check_page(page, axe, "family-consent-errors")


def test_a_family_registered_with_the_keyboard_alone(app, live, chromium, create_user):  # noqa: F811
    worker = create_user("social_worker")
    page = new_page(chromium, live)
    log_in(page, worker)
    page.goto("/families/new")

    def tab_to(selector: str, limit: int = 120) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    def type_into(selector: str, text: str) -> None:
        tab_to(selector)
        page.keyboard.type(text)

    def choose(name: str, steps: int) -> None:
        """Tabs into a radio group (its first option takes the focus), then arrows to an option."""
        tab_to(f"input[name='{name}']")
        page.keyboard.press("Space")
        for _ in range(steps):
            page.keyboard.press("ArrowDown")

    type_into("#members-0-full_name", "Łucja Żmijewska")
    type_into("#members-0-pesel", "88031504580")
    choose("members-0-relation", 0)  # matka
    for _ in range(2):  # rows 2 and 3 are there already: add a fourth, then a fifth
        tab_to("[data-add-row]")
        page.keyboard.press("Enter")
    assert page.locator("[data-row]").count() == 5
    assert page.evaluate("document.activeElement.id") == "members-4-full_name"  # the new row's first field
    page.keyboard.type("Zosia Żmijewska")
    # the child has no PESEL: a date of birth (Chromium's date segments follow its en-US UI: m, d, y)
    type_into("#members-4-birth_date", "05042019")
    assert page.locator("#members-4-birth_date").input_value() == "2019-05-04"
    choose("members-4-relation", 3)  # dziecko
    choose("members-4-sex", 0)  # kobieta
    # a row added by mistake goes with the keyboard too
    tab_to("button[data-remove-row][value='3']")
    page.keyboard.press("Enter")
    assert page.locator("[data-row]").count() == 4
    assert page.locator("#members-3-full_name").input_value() == "Zosia Żmijewska"
    type_into("#street", "ul. Zaborska 17 m. 3")
    type_into("#postal_code", "32-600")
    type_into("#town", "Oświęcim")
    choose("basis_kind", 0)  # the social worker's request: its date appears
    type_into("#request_date", "11102026")
    tab_to("button.primary[type=submit]")
    page.keyboard.press("Enter")
    page.locator(".flash.success, .error-summary").wait_for()
    assert "Zarejestrowano rodzinę" in page.locator("main").inner_text(), page.locator("main").inner_text()[:2000]
    members = page.locator("section[aria-labelledby=members-title] tbody").inner_text()
    assert "Zosia Żmijewska" in members and "ur. 4 maja 2019" in members and "dziecko" in members
    assert "wniosek pracownika socjalnego" in page.locator("dl.meta").inner_text()
    assert page.js_errors == []


# A finger's target (WCAG 2.1 SC 2.5.5, Apple's and Google's 44 px): a tick box or option with its label.
TAP_TARGET = 44


def test_visit_record_form_of_the_assistant(app, live, chromium, axe, file):  # noqa: F811
    """The visit record (karta pracy) as the assistant fills it in the family's home: the current
    plan's goals to tick (one of them a long word), the family's members with „obecna lub obecny”,
    the place and kind of contact; then sent without its times and topics. At a tablet's width every
    option, with its label, is a target a finger hits."""
    family_id, _, _, _, assistant = file

    def plan():
        with app.test_request_context():
            issue_work_plan(assistant.id, family_id, ["Uregulowanie zaległości czynszowych.", "Cel " + LONG_NAME,
                                                      "Regularne uczęszczanie Zosi do szkoły."], "2026-11-17")

    with ThreadPoolExecutor(1) as pool:  # sealing runs asyncio.run(), not inside Playwright's loop
        pool.submit(plan).result()
    page = new_page(chromium, live)
    log_in(page, assistant)
    page.goto(f"/families/{family_id}/documents/new/visit_record")
    goals = page.get_by_role("group", name="Cele planu pracy, nad którymi pracowano")
    assert goals.get_by_role("checkbox").count() == 3
    check_page(page, axe, "family-visit-record")
    page.set_viewport_size({"width": 820, "height": 1180})
    small = page.evaluate("""(least) => [...document.querySelectorAll('form.docform label.check')]
        .map(l => [l.innerText.trim().slice(0, 40), Math.round(l.getBoundingClientRect().height)])
        .filter(([, height]) => height < least)""", TAP_TARGET)
    assert small == [], small
    page.locator("#visit_date").fill("")
    page.get_by_role("button", name="Wystaw dokument").last.click()
    page.wait_for_load_state()
    assert page.title().startswith("Błąd: ")
    assert page.locator("#time_from-error").inner_text() == "To pole jest wymagane."
    check_page(page, axe, "family-visit-record-errors")
