"""Every staff page in real Chromium: WCAG 2.1 AA by axe-core (0 violations) and no sideways
scrolling at phone, tablet and desktop widths; the error summary and its focus; issuing a
document with the keyboard alone.

axe-core is the one bundled by axe-playwright-python; it runs the rules tagged wcag2a, wcag2aa,
wcag21a and wcag21aa (axe-core's mapping of WCAG 2.1 level A and AA success criteria). Set
ASYSTA_SHOTS=/some/folder to also save a screenshot of each page at each width.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from service.documents.registry import DOCUMENT_TYPES
from tests.helpers import form_data
from tests.signing.test_browser import live, log_in  # noqa: F401 (live: the app over HTTP, CSRF on)

playwright = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
# Phone, tablet portrait, tablet landscape, desktop: no width may scroll sideways; axe runs at three.
WIDTHS = (390, 820, 1180, 1366)
AXE_WIDTHS = (390, 820, 1366)
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
LONG_WORD = "Ż" * 200  # a 200-character word: it must wrap, not widen the page
LONG_NAME = "Ż" * 100  # names hold at most 120 characters
SHOTS = os.environ.get("ASYSTA_SHOTS")

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for the whole module (each test opens its own context)."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def axe():
    return axe_playwright.Axe()


def new_page(chromium, live):
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, base_url=live, locale="pl-PL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # a style or script that does not load (a page's own 4xx status is expected on error pages)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type not in ("document",) else None)
    page.js_errors = errors
    return page


def check_page(page, axe, name: str, widths=WIDTHS) -> None:
    """At each width: no sideways scrolling, and (at AXE_WIDTHS) no axe-core violation."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)""")
            problems.append(f"{name} at {width} px scrolls sideways ({scroll} > {inner}): {wide}")
        if width in AXE_WIDTHS:
            result = axe.run(page, options=AXE_OPTIONS)
            for v in result.response["violations"]:
                targets = [n["target"] for n in v["nodes"]][:5]
                problems.append(f"{name} at {width} px: {v['id']} ({v['impact']}) {v['help']}: {targets}")
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    assert not problems, "\n".join(problems)
    assert not page.js_errors, page.js_errors


def issue_sample(app, user, slug: str, **changes) -> str:
    """Issues the type's sample (with `changes`) as `user` through the web form; returns the document's path.

    In a thread of its own: sealing runs asyncio.run(), which cannot run inside the event loop that
    Playwright's sync API keeps in this thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_issue_sample, app, user, slug, **changes).result()


def _issue_sample(app, user, slug: str, **changes) -> str:
    doctype = DOCUMENT_TYPES[slug]
    client = app.test_client()
    was = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        assert client.post("/login", data={"login": user.login, "password": "haslo-" + user.login}).status_code == 302
        response = client.post(f"/documents/new/{slug}", data={**form_data(doctype, doctype.sample_data), **changes})
    finally:
        app.config["WTF_CSRF_ENABLED"] = was
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.location


def test_login_and_password_pages(app, live, chromium, axe, create_user):
    user = create_user("assistant", full_name="Katarzyna " + LONG_NAME)
    page = new_page(chromium, live)
    page.goto("/login")
    check_page(page, axe, "login")
    page.get_by_role("button", name="Zaloguj").click()
    page.wait_for_load_state()
    assert page.title().startswith("Błąd: ")
    check_page(page, axe, "login-errors")
    log_in(page, user)
    page.goto("/password")
    check_page(page, axe, "password")
    page.get_by_role("button", name="Zmień hasło").click()
    page.wait_for_load_state()
    check_page(page, axe, "password-errors")


def test_issuer_pages(app, live, chromium, axe, create_user, tmp_path):
    head = create_user("head", full_name="Anna " + LONG_NAME)
    doc_path = issue_sample(app, head, "zz_power_of_attorney", principal_name="Magdalena " + LONG_NAME,
                            matter=LONG_WORD + " " + LONG_WORD)
    page = new_page(chromium, live)
    log_in(page, head)
    page.goto("/")
    check_page(page, axe, "start-head")
    for doctype in DOCUMENT_TYPES:
        page.goto(f"/documents/new/{doctype.slug}")
        check_page(page, axe, f"form-{doctype.slug}")
    page.goto("/documents/new/zz_power_of_attorney")
    page.get_by_label("Ważne od").fill("2026-11-24")
    page.get_by_label("Ważne do").fill("2026-11-01")
    page.get_by_role("button", name="Wystaw dokument").click()
    page.wait_for_load_state()
    check_page(page, axe, "form-errors")
    page.goto(doc_path)
    check_page(page, axe, "document")
    page.goto("/archive")
    assert page.locator("table.list tbody tr").count() == 1
    check_page(page, axe, "archive")
    page.goto("/verify")
    check_page(page, axe, "verify")
    pdf = tmp_path / "dokument.pdf"
    pdf.write_bytes(page.request.get(doc_path + "/pdf").body())
    page.locator("#file").set_input_files(str(pdf))
    page.get_by_role("button", name="Sprawdź").click()
    page.locator(".result").wait_for()
    check_page(page, axe, "verify-result")
    page.goto("/scans")
    check_page(page, axe, "scans")
    # the hand-off page of a signing session on another device (its QR code and one-time code)
    page.goto(doc_path)
    page.get_by_role("button", name="Podpis na innym urządzeniu (kod QR)").click()
    page.wait_for_load_state()
    check_page(page, axe, "handoff")
    page.goto("/no-such-page")
    check_page(page, axe, "error-404")
    page.goto("/office")
    check_page(page, axe, "error-403")


def test_archive_is_a_list_of_cards_on_a_phone(app, live, chromium, create_user):
    archivist, assistant = create_user("archivist"), create_user("assistant")
    issue_sample(app, assistant, "family_consent")
    page = new_page(chromium, live)
    log_in(page, archivist)
    page.goto("/archive")
    row = page.locator("table.list tbody tr").first
    stacked = """r => { const boxes = [...r.cells].map(c => c.getBoundingClientRect());
                        return boxes.every(b => Math.abs(b.left - boxes[0].left) < 1); }"""
    title_first = """r => { const title = r.querySelector('td:has(> a)').getBoundingClientRect();
                            return [...r.cells].every(c => c.getBoundingClientRect().top >= title.top - 1); }"""
    page.set_viewport_size({"width": 390, "height": 900})
    assert row.evaluate(stacked) and row.evaluate(title_first)  # a card, led by the document's title
    assert page.locator("table.list thead").evaluate("t => t.getBoundingClientRect().height") <= 1
    page.set_viewport_size({"width": 1366, "height": 900})
    assert not row.evaluate(stacked)  # a table row again


def test_archivist_and_admin_pages(app, live, chromium, axe, create_user):
    archivist, admin = create_user("archivist"), create_user("admin")
    issue_sample(app, create_user("assistant"), "family_consent")
    page = new_page(chromium, live)
    log_in(page, archivist)
    page.goto("/")
    check_page(page, axe, "start-archivist")
    page.goto("/archive")
    check_page(page, axe, "archive-archivist")
    page.context.clear_cookies()
    log_in(page, admin)
    page.goto("/")
    check_page(page, axe, "start-admin")
    page.goto("/office")
    check_page(page, axe, "office")
    page.get_by_label("NIP").fill("123")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    check_page(page, axe, "office-errors")


@pytest.mark.fresh_office
def test_fresh_office_pages(app, live, chromium, axe, create_user):
    admin, assistant = create_user("admin"), create_user("assistant")
    page = new_page(chromium, live)
    log_in(page, admin)
    page.goto("/")
    check_page(page, axe, "start-admin-fresh")
    page.goto("/office")
    check_page(page, axe, "office-fresh")
    page.context.clear_cookies()
    log_in(page, assistant)
    page.goto("/")
    check_page(page, axe, "start-assistant-fresh")


def test_error_summary_takes_the_focus_and_leads_to_each_field(app, live, chromium, create_user):
    page = new_page(chromium, live)
    log_in(page, create_user("assistant"))
    page.goto("/documents/new/zz_power_of_attorney")
    matter = page.locator("#matter")
    marker = page.locator("[data-required-if=scope] .req")
    # the sample's choice is not preselected: the matter is not required yet
    assert matter.get_attribute("aria-required") is None and marker.is_hidden()
    page.locator("#scope-1").focus()
    page.keyboard.press("Space")  # „Upoważnienie szczególne”: now the matter is required, without a reload
    assert matter.get_attribute("aria-required") == "true" and marker.is_visible()
    page.locator("#principal_name").fill("Magdalena Nowicka")
    page.get_by_label("Ważne od").fill("2026-11-24")
    page.get_by_label("Ważne do").fill("2026-11-01")
    page.get_by_role("button", name="Wystaw dokument").click()
    page.wait_for_load_state()

    assert page.title().startswith("Błąd: ")
    summary = page.locator(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    links = summary.get_by_role("link")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    # all errors in one round: the dates' order together with the missing fields
    assert "#valid_until" in targets and "#matter" in targets and "#principal_pesel" in targets
    assert "Data końca ważności nie może być wcześniejsza niż data początku." in summary.inner_text()
    # what was typed is kept, and the server marks the matter required as the choice stands
    assert page.locator("#principal_name").input_value() == "Magdalena Nowicka"
    assert matter.get_attribute("aria-required") == "true" and marker.is_visible()
    assert matter.get_attribute("aria-invalid") == "true"
    assert "matter-error" in matter.get_attribute("aria-describedby")
    for i, target in enumerate(targets):
        summary.focus()
        for _ in range(i + 1):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == target[1:], target


def test_a_document_issued_with_the_keyboard_alone(app, live, chromium, create_user):
    page = new_page(chromium, live)
    page.goto("/login")
    user = create_user("assistant")

    def tab_to(selector: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#login")
    page.keyboard.type(user.login)
    tab_to("#password")
    page.keyboard.type("haslo-" + user.login)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    tab_to("a[href$='/documents/new/family_consent']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/documents/new/family_consent")
    for selector, text in (("#persons-0-full_name", "Anna Kowalska"), ("#persons-0-role", "matka"),
                           ("#street", "ul. Słowackiego 12 m. 4"), ("#postal_code", "32-600"),
                           ("#town", "Oświęcim")):
        tab_to(selector)
        page.keyboard.type(text)
    tab_to("#consent_date")
    # The date field's segments follow the browser's own UI language, en-US in this Chromium
    # whatever the page's: month, day, year.
    page.keyboard.type("11242026")
    assert page.locator("#consent_date").input_value() == "2026-11-24"
    tab_to("button[type=submit]")
    page.keyboard.press("Enter")
    page.locator(".flash.success, .error-summary").wait_for(timeout=60000)
    assert "/archive/" in page.url, page.locator("main").inner_text()[:3000]
    assert "Dokument wystawiono" in page.locator(".flash.success").inner_text()
