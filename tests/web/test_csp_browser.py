"""In real Chromium: the strict Content-Security-Policy is sent and nothing of the staff pages or
the signing page breaks it (the QR code, the signature pad, «Podpisz»). Once, on SQLite."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from service.documents.registry import DOCUMENT_TYPES
from tests.helpers import form_data
from tests.signing.test_browser import POLISH, TABLET, browser, draw, live, signature  # noqa: F401 (fixtures)

playwright = pytest.importorskip("playwright.sync_api")

# Every violation the page sees, reported to the test as it happens (across navigations).
REPORT = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolation(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "")
                      + ":" + e.lineNumber);
});
"""


def watch(context, seen: list[str]) -> None:
    """Collects the context's CSP violations (the event) and Chromium's console reports of them."""
    context.expose_function("cspViolation", lambda text: seen.append(text))
    context.add_init_script(REPORT)
    context.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.ok, (url, response.status)
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy, (url, policy)
    page.wait_for_load_state("networkidle")


def rendered(png: bytes) -> bool:
    """Whether a screenshot shows Chromium's PDF viewer with a page: paper-white on its dark
    background (a blocked or empty viewer is one colour)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram, area = image.histogram(), image.width * image.height
    return sum(histogram[250:]) > 0.15 * area and sum(histogram[:80]) > 0.15 * area


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_no_page_breaks_the_content_security_policy(app, live, browser, create_user):  # noqa: F811
    user = create_user("assistant", full_name="Katarzyna Zielińska")
    seen: list[str] = []
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live)
    watch(desk, seen)
    staff = desk.new_page()
    visit(staff, "/login")
    staff.get_by_label("Login").fill(user.login)
    staff.get_by_label("Hasło").fill("haslo-" + user.login)
    staff.get_by_role("button", name="Zaloguj").click()
    for path in ("/", "/archive", "/verify", "/password", "/documents/new/family_consent"):
        visit(staff, path)
    doctype = DOCUMENT_TYPES.get("family_consent")
    response = staff.request.post(live + "/documents/new/family_consent", form={
        **{k: str(v) for k, v in form_data(doctype, doctype.sample_data).items()},
        "csrf_token": staff.locator("input[name=csrf_token]").first.get_attribute("value")}, max_redirects=0)
    assert response.status == 302, response.text()[:2000]
    visit(staff, response.headers["location"])
    staff.get_by_role("button", name="Podpis na innym urządzeniu (kod QR)").click()
    staff.wait_for_load_state("networkidle")
    assert staff.locator(".qr svg").is_visible()  # the inline SVG QR code: no style, no script
    link = staff.locator("#link").get_attribute("href")

    tablet = browser.new_context(viewport=TABLET, locale=POLISH, has_touch=True, is_mobile=True, device_scale_factor=2)
    watch(tablet, seen)
    pad = tablet.new_page()
    errors: list[str] = []
    pad.on("pageerror", lambda e: errors.append(str(e)))
    visit(pad, link)
    pad.get_by_role("img", name="Strona 1 z", exact=False).first.wait_for()
    # the page's scripts ran (the warning that JavaScript is needed is hidden by signing.js)
    assert pad.locator("#warn-script").is_hidden()
    pad.get_by_label("Potwierdzam zapoznanie się z treścią dokumentu.").check()
    draw(pad, signature())
    pad.get_by_role("button", name="Podpisz", exact=True).click()
    pad.wait_for_load_state("networkidle")
    assert "Teraz podpisuje" in pad.locator(".flash").inner_text()  # the drawn signature arrived
    assert pad.locator("#warn-script").is_hidden()
    # the staff page follows the signing (handoff.js polls and updates the list)
    staff.locator("#signers .state.done").first.wait_for(timeout=15000)
    assert errors == []
    assert seen == [], seen

    # the PDF shown to the signers opens in Chromium's own viewer under the same headers (an
    # object-src 'none' on the PDF blocked that viewer in older Chromium, crbug.com/271452)
    pdf = pad.url.rstrip("/") + "/dokument.pdf"
    sent = tablet.request.get(pdf)
    assert sent.ok and "object-src 'none'" in sent.headers["content-security-policy"]
    assert sent.headers["cache-control"] == "no-store"
    viewer = tablet.new_page()
    assert viewer.goto(pdf).ok
    for _ in range(40):
        if rendered(viewer.screenshot()):
            break
        viewer.wait_for_timeout(500)
    assert rendered(viewer.screenshot()), "the PDF viewer shows no page"
    assert seen == [], seen

    # the watch itself works: an inline style is refused and reported
    pad.evaluate("() => { const s = document.createElement('style'); s.textContent = 'body{}'; "
                 "document.head.appendChild(s); }")
    pad.wait_for_timeout(300)
    assert any("style-src" in v for v in seen), seen
