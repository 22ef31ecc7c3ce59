"""The family's signing pages in Chromium (issue 9): in Ukrainian and English, a refused step shown at
the pad with the drawing kept, and axe-core (WCAG 2.1 AA and best practices) finding nothing on any
signing page in any of the three languages. Once, on SQLite."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.signing.test_browser import TABLET, browser, draw, live, signature  # noqa: F401  (fixtures)

playwright = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)
LANGS = ("pl", "uk", "en")
STATEMENT = {"pl": "Potwierdzam zapoznanie się z treścią dokumentu.",
             "uk": "Підтверджую ознайомлення зі змістом документа.",
             "en": "I confirm that I have read the document."}
SIGN = {"pl": "Podpisz", "uk": "Підписати", "en": "Sign"}
# Screenshots for a person to look at, only when asked for (never in the repository).
SHOTS = os.environ.get("ASYSTA_SHOTS")


def shot(page, name: str, full_page: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def remote_link(app, create_user, slug: str = "family_consent") -> tuple[str, str]:
    """A document issued and signing started on another device by the test client; (link, doc id).
    In a thread: issuing converts and seals outside Playwright's asyncio loop."""
    from tests.signing.conftest import issue_document, start_remote

    def prepare() -> tuple[str, str]:
        staff = app.test_client()
        user = create_user("assistant")
        staff.post("/login", data={"login": user.login, "password": "haslo-" + user.login})
        doc_id = issue_document(staff, slug)
        return start_remote(staff, doc_id)[0], doc_id

    csrf = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(prepare).result()
    finally:
        app.config["WTF_CSRF_ENABLED"] = csrf


def tablet(browser, locale: str = "pl-PL"):  # noqa: F811
    """A tablet page whose browser asks for `locale` (Accept-Language)."""
    return browser.new_context(viewport=TABLET, has_touch=True, is_mobile=True, device_scale_factor=2,
                               locale=locale).new_page()


def no_violations(page) -> None:
    results = axe_playwright.Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def in_view(page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")


def ink(page) -> int:
    """How many pixels of the pad are drawn on."""
    return page.locator("#pad").evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
        " for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; }")


def test_ukrainian_from_the_browser_then_english_from_the_switch_for_the_rest_of_the_session(
        app, live, browser, create_user):  # noqa: F811
    link, _ = remote_link(app, create_user)
    page = tablet(browser, locale="uk-UA")  # Chromium sends Accept-Language: uk-UA
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live + link)
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.get_by_role("heading", name="Що це за документ").is_visible()
    page.get_by_label(STATEMENT["uk"]).check()
    page.locator("#pad").scroll_into_view_if_needed()
    draw(page, signature())
    page.get_by_role("button", name=SIGN["uk"], exact=True).click()
    page.wait_for_load_state()
    assert "Тепер підписує: Jan Kowalski" in page.locator(".flash").inner_text()
    assert page.locator("html").get_attribute("lang") == "uk"
    # the switch: English, and the page stays English without ?lang= on later addresses
    page.get_by_role("navigation", name="Мова сторінки").get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(page.url.split("?")[0])
    assert page.get_by_label(STATEMENT["en"]).is_visible()
    assert page.get_by_role("link", name="English").get_attribute("aria-current") == "true"
    assert page.get_by_role("link", name="Українська").get_attribute("lang") == "uk"
    assert errors == []


def test_ukrainian_by_the_address(app, live, browser, create_user):  # noqa: F811
    link, _ = remote_link(app, create_user)
    page = tablet(browser, locale="pl-PL")
    page.goto(f"{live}{link}?lang=uk")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.get_by_role("button", name=SIGN["uk"], exact=True).is_visible()
    assert page.get_by_role("img", name="Поле для підпису пальцем або стилусом").is_visible()


def test_a_refused_signature_is_shown_at_the_pad_and_the_drawing_is_kept(app, live, browser, create_user):  # noqa: F811
    link, _ = remote_link(app, create_user)
    page = tablet(browser)
    page.goto(live + link)
    page.set_viewport_size({"width": 820, "height": 700})
    # the statement not ticked: said at the box, focus there, the drawing still on the pad
    page.locator("#pad").scroll_into_view_if_needed()
    draw(page, signature())
    drawn = ink(page)
    page.get_by_role("button", name="Podpisz", exact=True).click()
    assert "Zaznacz potwierdzenie zapoznania się" in page.locator("#read-error").inner_text()
    assert page.locator("#read-error").get_attribute("role") == "alert"
    assert focused_id(page) == "read_confirmed" and in_view(page, "#read-error")
    assert ink(page) == drawn
    shot(page, "refused-statement", full_page=False)
    page.get_by_label("Potwierdzam zapoznanie się z treścią dokumentu.").check()
    assert page.locator("#read-error").is_hidden()

    # a dot, caught before sending: the message next to the pad, focus on the pad
    page.locator("#pad-clear").click()
    draw(page, [(0.5, 0.5)])
    page.get_by_role("button", name="Podpisz", exact=True).click()
    assert "Podpisz się jeszcze raz" in page.locator("#pad-error").inner_text()
    assert focused_id(page) == "pad" and in_view(page, "#pad-error")
    assert "pad-error" in page.locator("#pad").get_attribute("aria-describedby").split()
    assert page.locator("#pad").get_attribute("aria-invalid") == "true"
    shot(page, "refused-dot", full_page=False)

    # what only the server refuses (here: a dot past the page's own check) comes back at the pad,
    # scrolled to and focused, with the drawing redrawn
    page.locator("#pad-clear").click()
    page.evaluate("f => { f.dataset.minPoints = '0'; f.dataset.minWidth = '0'; f.dataset.minHeight = '0'; }",
                  page.locator("#sign-form").element_handle())
    draw(page, [(0.5, 0.5), (0.51, 0.5)])
    with page.expect_navigation():
        page.get_by_role("button", name="Podpisz", exact=True).click()
    page.wait_for_load_state("load")
    assert "Podpisz się jeszcze raz" in page.locator("#pad-error").inner_text()
    assert page.locator("#pad-error").is_visible()
    assert focused_id(page) == "pad" and in_view(page, "#pad-error")
    assert ink(page) > 0  # the drawing sent is on the pad again
    assert page.evaluate("window.scrollY") > 1000  # not left at the top of a long page
    shot(page, "refused-by-server", full_page=False)


def run_axe_on_signing_pages(page, live: str, link: str, lang: str) -> None:
    page.goto(f"{live}{link}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    page.get_by_label(STATEMENT[lang]).wait_for()
    no_violations(page)
    # with a refused step's messages on the page
    page.get_by_role("button", name=SIGN[lang], exact=True).click()
    assert page.locator("#read-error").is_visible() and page.locator("#pad-error").is_visible()
    no_violations(page)
    page.goto(f"{live}/s?lang={lang}")
    no_violations(page)
    page.goto(f"{live}/s/ABCD2345?lang={lang}")
    no_violations(page)


@pytest.mark.parametrize("width", [820, 390])
def test_axe_finds_nothing_on_the_signing_pages_in_three_languages(app, live, browser, create_user, width):  # noqa: F811
    link, _ = remote_link(app, create_user)
    page = tablet(browser)
    page.set_viewport_size({"width": width, "height": 1180 if width == 820 else 844})
    page.goto(live + link)  # claims the link; then the page itself, in each language
    session_page = page.url.split("?")[0].removeprefix(live)
    for lang in LANGS:
        run_axe_on_signing_pages(page, live, session_page, lang)
        page.goto(f"{live}{session_page}?lang={lang}")
        shot(page, f"signing-{lang}-{width}")
        assert not page.evaluate("document.documentElement.scrollWidth > innerWidth")  # no sideways scroll


def test_the_paper_way_and_the_done_page_pass_axe(app, live, browser, create_user):  # noqa: F811
    link, doc_id = remote_link(app, create_user)
    page = tablet(browser)
    page.goto(f"{live}{link}?lang=uk")
    page.get_by_text("Я хочу підписати на папері").click()
    no_violations(page)
    page.get_by_role("button", name="Так, я підпишу на папері").click()
    assert page.get_by_role("heading", name="Ви підпишете документ на папері").is_visible()
    no_violations(page)
    session_page = page.url.split("?")[0].removesuffix("/papier")
    for lang in LANGS:
        page.goto(f"{session_page}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        no_violations(page)
        shot(page, f"paper-{lang}")

    link, _ = remote_link(app, create_user, "zz_power_of_attorney")
    page.goto(f"{live}{link}?lang=en")
    for _step in range(3):  # the principal signs, and again for the consent on health data
        if page.get_by_role("heading", name="The document has been signed").count():
            break
        page.get_by_label(STATEMENT["en"]).check()
        page.locator("#pad").scroll_into_view_if_needed()
        draw(page, signature())
        page.get_by_role("button", name="Sign", exact=True).click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", name="The document has been signed").is_visible()
    for lang in LANGS:
        page.goto(f"{page.url.split('?')[0]}?lang={lang}")
        no_violations(page)
        shot(page, f"done-{lang}")


def test_the_staff_hand_off_and_scan_pages_pass_axe(app, live, browser, create_user):  # noqa: F811
    user = create_user("assistant", full_name="Katarzyna Zielińska")
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live, locale="pl-PL").new_page()
    desk.goto("/login")
    desk.get_by_label("Login").fill(user.login)
    desk.get_by_label("Hasło").fill("haslo-" + user.login)
    desk.get_by_role("button", name="Zaloguj").click()
    link, doc_id = remote_link(app, lambda role: user)  # started by this staff member: the code is shown
    desk.goto(f"/archive/{doc_id}")
    handoff = desk.get_by_role("link", name="Pokaż stan")
    handoff.click()
    desk.locator("#code").wait_for()
    no_violations(desk)
    desk.goto("/scans")
    no_violations(desk)
