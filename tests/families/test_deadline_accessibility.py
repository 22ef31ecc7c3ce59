"""The deadline pages in real Chromium: the assistant's and the head's start pages with deadlines,
the family's deadlines and the calendar link's page, WCAG 2.1 AA by axe-core and no sideways
scrolling at 390, 820 and 1366 px (the checks of tests/web/test_accessibility.py)."""
from __future__ import annotations

import pytest

from tests.families.test_deadline_pages import office  # noqa: F401 (fixture)
from tests.families.test_family_accessibility import axe  # noqa: F401 (fixture)
from tests.signing.test_browser import live, log_in  # noqa: F401 (live: the app over HTTP, CSRF on)
from tests.web.test_accessibility import check_page, chromium, new_page  # noqa: F401 (fixture)

pytest.importorskip("axe_playwright_python.sync_playwright")
pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def test_deadline_pages_in_the_browser(app, live, chromium, axe, office):  # noqa: F811
    page = new_page(chromium, live)
    log_in(page, office["mine"])
    page.goto("/")
    assert page.locator("section[aria-labelledby=my-deadlines] .due-overdue").count() >= 1
    check_page(page, axe, "start-assistant-deadlines")
    page.goto(f"/families/{office['ids']['A']}")
    assert page.locator("section[aria-labelledby=deadlines-title] tbody tr").count() >= 5
    check_page(page, axe, "family-deadlines")
    page.goto("/calendar")
    page.get_by_role("button", name="Utwórz link do kalendarza").click()
    page.wait_for_load_state()
    assert page.locator("code.token-link").inner_text().endswith(".ics")
    check_page(page, axe, "calendar-link")
    page.context.clear_cookies()
    log_in(page, office["head"])
    page.goto("/")
    assert page.locator("section[aria-labelledby=loads-title] tbody tr").count() == 2
    check_page(page, axe, "start-head-deadlines")
