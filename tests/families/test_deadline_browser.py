"""The deadlines on a phone (390 px wide, real Chromium): the assistant's start page, the calendar
link's page (the new link shown) and the family's page (its deadlines and the history of
assignments) fit the width, and no word in them is broken across lines.

Set ASYSTA_SHOTS=/some/folder to save the screenshots.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.families.test_deadline_pages import office  # noqa: F401 (the fixture)
from tests.signing.test_browser import browser, live, log_in  # noqa: F401

SHOTS = os.environ.get("ASYSTA_SHOTS")
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)

# The words of the elements matched by `selector` that the browser laid out on more than one line.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.bottom)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def check(page, name: str, selector: str) -> None:
    """No sideways scrolling and no broken word in `selector`; a screenshot when ASYSTA_SHOTS is set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"deadlines-{name}-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    assert page.locator(selector).count(), (name, selector)
    assert page.evaluate(BROKEN_WORDS, selector) == [], name


def test_the_deadlines_fit_a_phone(app, live, browser, office):  # noqa: F811
    page = browser.new_context(viewport=PHONE, base_url=live, locale="pl-PL").new_page()
    log_in(page, office["mine"])
    check(page, "start", "#my-deadlines ~ h3, ul.deadlines li")
    page.goto("/calendar")
    page.get_by_role("button", name="Utwórz link do kalendarza").click()
    page.wait_for_load_state()
    assert page.locator("code.token-link").inner_text().endswith(".ics")
    check(page, "calendar", "main h1, main h2, main p, main button")
    page.goto(f"/families/{office['ids']['A']}")
    # Found by testing: „nadal” in the history of assignments broke into „nad” / „al” at 390 px
    # (the cells' overflow-wrap: anywhere let the table squeeze its last column under a word).
    check(page, "family", "table.list td")
