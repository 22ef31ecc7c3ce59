"""In real Chromium: after the last signature the tablet shows the family's QR code; a phone (another
browser context) opens it and gets the signed PDF once, then the page saying the link was used."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from tests.signing.test_browser import POLISH, TABLET, browser, issue_sample_in_page, live, sign_as, staff_page  # noqa: F401 (fixtures)

playwright = pytest.importorskip("playwright.sync_api")
# screenshots for looking at the pages (never in the repository)
SHOTS = Path(os.environ.get("ASYSTA_SHOTS", "")) if os.environ.get("ASYSTA_SHOTS") else None


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_the_family_takes_their_copy_by_qr_code_once(app, live, browser, create_user):
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
    user = create_user("assistant", full_name="Katarzyna Zielińska")
    staff = staff_page(browser, live, user)
    doc_path = issue_sample_in_page(staff, live)
    staff.goto(doc_path)
    staff.get_by_role("button", name="Podpis na innym urządzeniu (kod QR)").click()
    link = staff.locator("#link").get_attribute("href")

    tablet = browser.new_context(viewport=TABLET, locale=POLISH, has_touch=True, is_mobile=True, device_scale_factor=2)
    pad = tablet.new_page()
    errors: list[str] = []
    pad.on("pageerror", lambda e: errors.append(str(e)))
    pad.goto(link)
    sign_as(pad, "Anna Kowalska")
    sign_as(pad, "Jan Kowalski")
    assert pad.get_by_role("heading", name="Dokument został podpisany").is_visible()
    qr = pad.locator(".family-qr svg")
    qr.scroll_into_view_if_needed()
    assert qr.is_visible()
    family_link = pad.locator("#family-link").get_attribute("href")
    assert family_link.startswith(f"{live}/k/") and len(family_link.rsplit("/", 1)[1]) == 10
    assert decode(Image.open(io.BytesIO(qr.screenshot())))[0].data.decode() == family_link
    if SHOTS:
        pad.screenshot(path=str(SHOTS / "tablet-done-820.png"), full_page=True)

    # the family's phone: the PDF once, then the page that says the link was used
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    first = phone.request.get(family_link)
    assert first.status == 200 and first.headers["content-type"] == "application/pdf"
    assert first.body().startswith(b"%PDF")
    page = phone.new_page()
    again = page.goto(family_link)
    assert again.status == 410
    assert page.get_by_role("heading", name="Ten link został już użyty").is_visible()
    assert "%PDF" not in page.content()
    if SHOTS:
        page.screenshot(path=str(SHOTS / "phone-used-390.png"), full_page=True)

    # the staff page now leads with the signed version
    staff.goto(doc_path)
    main = staff.locator("a.button.primary")
    assert main.count() == 1 and main.inner_text() == "Pobierz podpisany dokument (PDF)"
    assert staff.get_by_role("button", name="Anuluj podpisywanie").count() == 0
    for width in (1366, 390):
        staff.set_viewport_size({"width": width, "height": 900})
        if SHOTS:
            staff.screenshot(path=str(SHOTS / f"document-signed-{width}.png"), full_page=True)
        assert staff.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
    # a new link for the family, shown on the staff screen: the old one stops working
    staff.set_viewport_size({"width": 1366, "height": 900})
    staff.get_by_role("button", name="Wydaj nowy link dla rodziny").first.click()
    staff.get_by_role("heading", name="Kopia dla rodziny").wait_for()
    new_link = staff.locator("#family-link").get_attribute("href")
    assert new_link != family_link
    assert decode(Image.open(io.BytesIO(staff.locator(".qr svg").screenshot())))[0].data.decode() == new_link
    for width in (1366, 390):
        staff.set_viewport_size({"width": width, "height": 900})
        if SHOTS:
            staff.screenshot(path=str(SHOTS / f"staff-family-copy-{width}.png"), full_page=True)
    assert phone.request.get(new_link).body().startswith(b"%PDF")
    assert errors == []
