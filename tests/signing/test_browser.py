"""In real Chromium at a tablet viewport with touch: open the link, read, tick, draw with touches, sign."""
from __future__ import annotations

import io
import math
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from pyzbar.pyzbar import decode
from werkzeug.serving import make_server

from service.documents.registry import DOCUMENT_TYPES
from tests.helpers import form_data
from tests.signing.test_signed_pdf import check_signed_pdf

playwright = pytest.importorskip("playwright.sync_api")

# Browser tests run once, on SQLite (the signing flow's database work runs on both in test_sessions.py)
pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
TABLET = {"width": 820, "height": 1180}
# The language the tablet asks for (Accept-Language): the signing page follows it, so Polish here;
# tests/signing/test_family_browser.py tries the others
POLISH = "pl-PL"


@pytest.fixture
def live(app):
    """The app served over HTTP on a free port, with CSRF protection on as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def draw(page, points: list[tuple[float, float]]) -> None:
    """Touches on the canvas through the DevTools protocol: real pointerType=touch events."""
    box = page.locator("#pad").bounding_box()
    cdp = page.context.new_cdp_session(page)
    absolute = [{"x": box["x"] + x * box["width"], "y": box["y"] + y * box["height"]} for x, y in points]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [absolute[0]]})
    for point in absolute[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def signature(n: int = 24) -> list[tuple[float, float]]:
    return [(0.15 + 0.7 * i / (n - 1), 0.5 + 0.2 * math.sin(i / 2.5)) for i in range(n)]


def sign_as(page, name: str) -> None:
    """One signer's step on the tablet: their name shown, tick, draw, «Podpisz»."""
    assert name in page.locator("#sign-title").inner_text()
    page.get_by_label("Potwierdzam zapoznanie się z treścią dokumentu.").check()
    page.locator("#pad").scroll_into_view_if_needed()
    draw(page, signature())
    page.get_by_role("button", name="Podpisz", exact=True).click()
    page.wait_for_load_state()
    errors = page.locator("p.error:visible").all_inner_texts()
    assert not errors, errors


def staff_page(browser, live: str, user, width: int = 1366):
    """A desktop page (its own context) of `live`, logged in as `user` (password 'haslo-' + login)."""
    staff = browser.new_context(viewport={"width": width, "height": 900}, base_url=live).new_page()
    log_in(staff, user)
    return staff


def log_in(page, user) -> None:
    """Logs `page` in through the login form as `user` (password 'haslo-' + login)."""
    page.goto("/login")
    page.get_by_label("Login").fill(user.login)
    page.get_by_label("Hasło").fill("haslo-" + user.login)
    page.get_by_role("button", name="Zaloguj").click()
    page.wait_for_url(lambda url: "/login" not in url)


def issue_sample_in_page(staff, live: str, slug: str = "family_consent") -> str:
    """Issues the type's sample through its form (with the page's CSRF token); returns the document's path."""
    staff.goto(f"/documents/new/{slug}")
    doctype = DOCUMENT_TYPES.get(slug)
    response = staff.request.post(live + f"/documents/new/{slug}", form={
        **{k: str(v) for k, v in form_data(doctype, doctype.sample_data).items()},
        "csrf_token": staff.locator("input[name=csrf_token]").first.get_attribute("value")}, max_redirects=0)
    assert response.status == 302, response.text()[:2000]
    return response.headers["location"]


def test_two_signers_on_a_tablet_with_touch(app, live, browser, create_user, tmp_path):
    user = create_user("assistant", full_name="Katarzyna Zielińska")
    staff = staff_page(browser, live, user, width=1280)
    doc_path = issue_sample_in_page(staff, live)
    doc_id = doc_path.rstrip("/").rsplit("/", 1)[1]
    staff.goto(doc_path)
    staff.get_by_role("button", name="Podpis na innym urządzeniu (kod QR)").click()
    link = staff.locator("#link").get_attribute("href")
    # the QR code on the staff screen carries the same link
    qr = Image.open(io.BytesIO(staff.locator(".qr svg").screenshot()))
    assert decode(qr)[0].data.decode() == link

    tablet = browser.new_context(viewport=TABLET, locale=POLISH, has_touch=True, is_mobile=True, device_scale_factor=2)
    pad = tablet.new_page()
    errors: list[str] = []
    pad.on("pageerror", lambda e: errors.append(str(e)))
    pad.goto(link)
    assert pad.url.startswith(f"{live}/podpis/")
    # the staff page sees the link claimed: the spent code leaves the screen
    staff.get_by_text("Link został otwarty na urządzeniu do podpisu.").wait_for(timeout=15000)
    assert staff.locator(".qr").count() == 0 and staff.locator("#code").count() == 0
    session_id = pad.url.rstrip("/").rsplit("/", 1)[1]
    first_page = pad.get_by_role("img", name=re.compile(r"^Strona 1 z \d+"))
    first_page.wait_for()
    assert first_page.evaluate("img => img.complete && img.naturalWidth") > 1200  # 150 dpi
    assert pad.locator("#warn-canvas").is_hidden() and pad.locator("#warn-script").is_hidden()
    shown = pad.request.get(f"{live}/podpis/{session_id}/dokument.pdf").body()
    pad.screenshot(path=str(tmp_path / "tablet-portrait.png"), full_page=True)

    # a tap is not a signature
    pad.get_by_label("Potwierdzam zapoznanie się z treścią dokumentu.").check()
    draw(pad, [(0.5, 0.5)])
    pad.get_by_role("button", name="Podpisz", exact=True).click()
    pad.wait_for_load_state()
    assert "Podpisz się jeszcze raz" in pad.locator("#pad-error").inner_text()

    sign_as(pad, "Anna Kowalska")
    assert "Teraz podpisuje: Jan Kowalski" in pad.locator(".flash").inner_text()
    pad.set_viewport_size({"width": 1180, "height": 820})  # turned to landscape
    sign_as(pad, "Jan Kowalski")
    assert pad.get_by_role("heading", name="Dokument został podpisany").is_visible()

    # the staff member's page follows the signing and leads to the signed PDF
    staff.get_by_role("link", name="Zobacz podpisany dokument").wait_for(timeout=15000)
    staff.get_by_role("link", name="Zobacz podpisany dokument").click()
    href = staff.get_by_role("link", name="Pobierz podpisany PDF (z kartą dowodową i pieczęcią)").get_attribute("href")
    signed = staff.request.get(live + href).body()
    # pyHanko's validation runs its own asyncio loop: not inside Playwright's, so in a thread
    with ThreadPoolExecutor(1) as pool:
        pool.submit(check_signed_pdf, app, signed, shown, doc_id, ["Anna Kowalska", "Jan Kowalski"]).result()
    # the used link is refused on another device with a clear page
    other = browser.new_context(viewport=TABLET, locale=POLISH, has_touch=True, is_mobile=True).new_page()
    other.goto(link)
    assert other.get_by_role("heading", name="Dokument jest już podpisany").is_visible()
    assert errors == []


IPAD_UA = ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
           "Version/17.5 Mobile/15E148 Safari/604.1")
# What anti-fingerprinting does to a canvas: reading it back gives blank pixels.
BLANK_CANVAS = "CanvasRenderingContext2D.prototype.getImageData = function (x, y, w, h) { return new ImageData(w, h); };"


def test_warnings_for_a_blocked_canvas_and_ipad_scribble(app, live, browser, create_user):
    from tests.signing.conftest import issue_document, start_remote

    def prepare() -> str:
        # the staff side is the test client here; sealing runs its own asyncio loop, so not in
        # the thread where Playwright's loop runs
        staff = app.test_client()
        user = create_user("assistant")
        staff.post("/login", data={"login": user.login, "password": "haslo-" + user.login})
        return start_remote(staff, issue_document(staff))[0]

    app.config["WTF_CSRF_ENABLED"] = False
    with ThreadPoolExecutor(1) as pool:
        link = pool.submit(prepare).result()
    app.config["WTF_CSRF_ENABLED"] = True
    ipad = browser.new_context(viewport={"width": 1024, "height": 1366}, locale=POLISH, has_touch=True, is_mobile=True,
                               user_agent=IPAD_UA)
    ipad.add_init_script(BLANK_CANVAS)
    page = ipad.new_page()
    page.goto(live + link)
    assert "blokuje odczyt rysunku" in page.locator("#warn-canvas").inner_text()
    assert page.locator("#warn-canvas").is_visible()
    assert page.locator("#warn-scribble").is_visible() and "Scribble" in page.locator("#warn-scribble").inner_text()
    normal = browser.new_context(viewport=TABLET, locale=POLISH, has_touch=True, is_mobile=True).new_page()
    assert normal.goto(live + "/s/ABCD2345").status == 410
