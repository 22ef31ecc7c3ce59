"""Pages the first accessibility test never reached, in real Chromium: the document page while a
session is open, after signing and after the paper choice; the family-copy staff page; the signing
page in each language; the scan confirmation page; the archive with no results; error pages; the
password change forced at first login; the family copy's refusal pages. Each: no sideways scrolling
at 390/820/1180/1366 px and 0 axe-core violations (WCAG 2.1 A/AA)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor

import pytest

from service.accounts.models import User
from service.extensions import db
from tests.signing import scans
from tests.signing.conftest import issue_document, start_remote
from tests.signing.test_browser import POLISH, TABLET, sign_as
from tests.signing.test_paper import paper
from tests.web.test_accessibility import axe, check_page, chromium, live, log_in, new_page  # noqa: F401

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def in_thread(fn, *args):
    """Runs `fn` outside Playwright's event loop (sealing runs asyncio.run())."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


def prepare(app, user, count: int) -> list[tuple[str, str]]:
    """`count` family consents issued by `user`, each with a remote session: (doc id, link path)."""
    client = app.test_client()
    was = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client.post("/login", data={"login": user.login, "password": "haslo-" + user.login})
        out = []
        for _ in range(count):
            doc_id = issue_document(client)
            out.append((doc_id, start_remote(client, doc_id)[0]))
        return out
    finally:
        app.config["WTF_CSRF_ENABLED"] = was


def test_signing_and_after(app, live, chromium, axe, create_user, tmp_path):
    user = create_user("assistant", full_name="Katarzyna Zielińska")
    (signed_id, signed_link), (paper_id, paper_link) = in_thread(prepare, app, user, 2)
    staff = new_page(chromium, live)
    log_in(staff, user)
    staff.goto(f"/archive/{signed_id}")
    check_page(staff, axe, "document-session-open")

    tablet = chromium.new_context(viewport=TABLET, locale=POLISH, has_touch=True, is_mobile=True, base_url=live)
    pad = tablet.new_page()
    pad.js_errors = []
    pad.on("pageerror", lambda e: pad.js_errors.append(str(e)))
    pad.goto(signed_link)
    check_page(pad, axe, "signing-pl")
    for lang in ("uk", "en"):
        pad.goto(re.sub(r"\?.*", "", pad.url) + f"?lang={lang}")
        check_page(pad, axe, f"signing-{lang}")
    pad.goto(re.sub(r"\?.*", "", pad.url) + "?lang=pl")
    sign_as(pad, "Anna Kowalska")
    sign_as(pad, "Jan Kowalski")
    check_page(pad, axe, "signing-done")
    family_link = pad.locator("#family-link").get_attribute("href")

    staff.goto(f"/archive/{signed_id}")
    check_page(staff, axe, "document-signed")
    staff.goto(f"/archive/{signed_id}/kopia-dla-rodziny")
    check_page(staff, axe, "family-copy")

    phone = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    assert phone.request.get(family_link).status == 200
    used = phone.new_page()
    used.js_errors = []
    used.goto(family_link)
    check_page(used, axe, "family-used")
    used.goto(family_link[:-3] + "XYZ")
    check_page(used, axe, "family-unknown")

    pad2 = tablet.new_page()
    pad2.js_errors = []
    pad2.goto(paper_link)
    pad2.get_by_text("Wolę podpisać na papierze").click()
    pad2.locator("#paper-confirm").click()
    pad2.wait_for_load_state()
    check_page(pad2, axe, "signing-paper-chosen")
    staff.goto(f"/archive/{paper_id}")
    check_page(staff, axe, "document-paper-chosen")

    # the scan of the paper copy, then its confirmation page
    printed = staff.request.get(live + f"/archive/{paper_id}/print").body()
    scan = tmp_path / "skan.pdf"
    scan.write_bytes(in_thread(lambda: scans.pdf(paper(printed, 150, ("family_member:0", "family_member:1")), 150)))
    staff.goto("/scans")
    staff.locator("#file").set_input_files(str(scan))
    staff.get_by_role("button", name="Sprawdź skan").click()
    staff.wait_for_url("**/scans/*", timeout=60000)
    check_page(staff, axe, "scan-confirm")


def test_other_pages(app, live, chromium, axe, create_user):
    user = create_user("assistant")
    page = new_page(chromium, live)
    log_in(page, user)
    page.goto("/archive?case=NIE-MA-TAKIEJ-SPRAWY")
    check_page(page, axe, "archive-empty")
    page.goto("/archive?from=2099-01-01")
    check_page(page, axe, "archive-empty-date")
    page.goto("/archive?from=zzz&page=abc&type=nope")
    check_page(page, axe, "archive-bad-filters")
    r = page.goto("/logout")
    assert r.status == 405
    check_page(page, axe, "error-405")
    # a form sent with a stale CSRF token (400), a file over the request limit (413)
    page.goto("/password")
    page.locator("main input[name=csrf_token]").evaluate("e => e.value = 'nieaktualny'")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Zmień hasło").click()
    assert posted.value.status == 400
    page.wait_for_load_state()
    check_page(page, axe, "error-400")
    page.goto("/scans")
    page.locator("#file").set_input_files({"name": "skan.pdf", "mimeType": "application/pdf",
                                           "buffer": b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)})
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Sprawdź skan").click()
    page.wait_for_load_state()
    # a file over the limit is a wrong value in the form: said at the file's field, with the summary
    assert posted.value.status == 413
    assert page.locator("#file").get_attribute("aria-invalid") == "true"
    assert "20 MB" in page.locator("#file-error, .field.has-error .error").first.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    check_page(page, axe, "scan-too-large")
    page.goto("/verify")
    page.locator("#file").set_input_files({"name": "dokument.pdf", "mimeType": "application/pdf",
                                           "buffer": b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)})
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Sprawdź").click()
    page.wait_for_load_state()
    assert posted.value.status == 413
    assert page.locator("#file").get_attribute("aria-invalid") == "true"
    check_page(page, axe, "verify-too-large")
    page.goto("/")
    page.context.clear_cookies()
    fresh = create_user("assistant", login="nowa")
    with app.app_context():
        u = db.session.get(User, fresh.id)
        u.must_change_password = True
        db.session.commit()
    log_in(page, fresh)
    check_page(page, axe, "password-forced")
    page.get_by_role("button", name="Zmień hasło").click()
    page.wait_for_load_state()
    check_page(page, axe, "password-forced-errors")
    page.context.clear_cookies()
    head = create_user("head")
    log_in(page, head)
    r = page.goto("/office")
    check_page(page, axe, "office-head")


LONG = "Ż" * 200


def issue_long(app, user) -> tuple[str, str]:
    """A family consent for four persons with 120-character unbroken names, a remote session on it."""
    from service.documents.registry import DOCUMENT_TYPES
    from service.office.models import get_profile
    from tests.helpers import form_data
    with app.app_context():
        profile = get_profile()
        profile.name = LONG
        profile.head_title = LONG
        profile.department_code = "Ż" * 40
        db.session.commit()
    doctype = DOCUMENT_TYPES.get("family_consent")
    data = dict(doctype.sample_data)
    data["persons"] = [{"full_name": f"Anna {'Ż' * 110}{i}", "role": "Ż" * 60, "sex": "", "pesel": ""} for i in range(4)]
    data["town"] = "Ż" * 80
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client.post("/login", data={"login": user.login, "password": "haslo-" + user.login})
        r = client.post("/documents/new/family_consent", data=form_data(doctype, data))
        assert r.status_code == 302, r.get_data(as_text=True)[:3000]
        doc_id = r.location.rsplit("/", 1)[1]
        return doc_id, start_remote(client, doc_id)[0]
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_long_inputs(app, live, chromium, axe, create_user):
    user = create_user("assistant", full_name="Katarzyna " + "Ż" * 110)
    doc_id, link = in_thread(issue_long, app, user)
    staff = new_page(chromium, live)
    log_in(staff, user)
    for path, name in (("/", "long-start"), (f"/archive/{doc_id}", "long-document"), ("/archive", "long-archive")):
        staff.goto(path)
        check_page(staff, axe, name)
    tablet = chromium.new_context(viewport=TABLET, locale=POLISH, has_touch=True, is_mobile=True, base_url=live)
    pad = tablet.new_page()
    pad.js_errors = []
    pad.goto(link)
    for lang in ("pl", "uk", "en"):
        pad.goto(re.sub(r"\?.*", "", pad.url) + f"?lang={lang}")
        check_page(pad, axe, f"long-signing-{lang}")


INKED = """() => { const c = document.getElementById('pad');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < d.length; i += 4) { if (d[i]) return true; } return false; }"""


def test_switching_the_language_keeps_the_drawing_and_the_tick(app, live, chromium, create_user):
    from tests.signing.test_browser import draw, signature
    user = create_user("assistant")
    [(doc_id, link)] = in_thread(prepare, app, user, 1)
    tablet = chromium.new_context(viewport=TABLET, locale=POLISH, has_touch=True, is_mobile=True, base_url=live)
    pad = tablet.new_page()
    pad.goto(link)
    pad.get_by_label("Potwierdzam zapoznanie się z treścią dokumentu.").check()
    pad.locator("#pad").scroll_into_view_if_needed()
    draw(pad, signature())
    assert pad.evaluate(INKED)
    pad.get_by_role("link", name="English").click()
    pad.wait_for_load_state()
    assert pad.locator("html").get_attribute("lang") == "en"
    assert pad.evaluate(INKED), "the drawing was lost by the language switch"
    assert pad.get_by_label("I confirm that I have read the document.").is_checked()
    if os.environ.get("ASYSTA_SHOTS"):
        for width in (390, 820, 1366):
            pad.set_viewport_size({"width": width, "height": 1000})
            pad.locator("#pad").scroll_into_view_if_needed()
            pad.screenshot(path=str(Path(os.environ["ASYSTA_SHOTS"]) / f"language-switched-{width}.png"))
        pad.set_viewport_size(TABLET)
    pad.get_by_role("button", name="Sign", exact=True).click()
    pad.wait_for_load_state()
    assert pad.locator("p.error:visible").count() == 0
    assert "Jan Kowalski" in pad.locator("#sign-title").inner_text()
    # the next signer starts with an empty pad, in English still
    assert not pad.evaluate(INKED) and pad.locator("html").get_attribute("lang") == "en"
    pad.get_by_role("link", name="Polski").click()
    pad.wait_for_load_state()
    assert not pad.evaluate(INKED)


def test_the_staff_step_with_the_keyboard_alone(app, live, chromium, axe, create_user):
    social, head = create_user("social_worker"), create_user("head")

    def prepare_letter():
        client = app.test_client()
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            client.post("/login", data={"login": social.login, "password": "haslo-" + social.login})
            doc_id = issue_document(client, "assignment_letter")
            return start_remote(client, doc_id)[0]
        finally:
            app.config["WTF_CSRF_ENABLED"] = True

    link = in_thread(prepare_letter)
    page = chromium.new_context(viewport={"width": 1366, "height": 900}, locale=POLISH, base_url=live).new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    page.goto(link)
    check_page(page, axe, "signing-staff-step")

    def tab_to(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    def fill_and_send(password: str) -> None:
        page.locator("body").focus()
        page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
        tab_to("input[name=read_confirmed]")
        if not page.locator("input[name=read_confirmed]").is_checked():
            page.keyboard.press("Space")
        tab_to("input[name=login]")
        page.keyboard.press("Control+A")
        page.keyboard.type(head.login)
        tab_to("input[name=password]")
        page.keyboard.type(password)
        tab_to("#sign-button")
        with page.expect_navigation():
            page.keyboard.press("Enter")

    fill_and_send("zle-haslo")
    assert page.locator("input[name=password]").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.name") == "password", "focus is not at the refused field"
    check_page(page, axe, "signing-staff-step-refused")
    fill_and_send("haslo-" + head.login)
    assert page.get_by_role("heading", name="Dokument został podpisany").is_visible(), page.locator("main").inner_text()[:2000]


def test_the_error_summary_on_the_other_forms(app, live, chromium, create_user, tmp_path):
    """Office profile, password change, scan upload: the summary takes the focus, each link leads
    to its field, and what was typed is kept."""
    def summary_leads_to_fields(page, name):
        summary = page.locator(".error-summary")
        assert summary.count() == 1, f"{name}: no error summary"
        assert page.evaluate("document.activeElement.classList.contains('error-summary')"), f"{name}: focus"
        links = summary.get_by_role("link")
        assert links.count() >= 1, name
        for i in range(links.count()):
            target = links.nth(i).get_attribute("href")
            links.nth(i).click()
            assert page.evaluate("document.activeElement.id") == target[1:], (name, target)

    admin = create_user("admin")
    page = new_page(chromium, live)
    log_in(page, admin)
    page.goto("/office")
    page.get_by_label("NIP").fill("123")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    summary_leads_to_fields(page, "office")
    assert page.get_by_label("NIP").input_value() == "123"

    page.goto("/password")
    page.locator("input[type=password]").nth(1).fill("krótkie")
    page.get_by_role("button", name="Zmień hasło").click()
    page.wait_for_load_state()
    summary_leads_to_fields(page, "password")

    page.context.clear_cookies()
    log_in(page, create_user("assistant"))
    page.goto("/scans")
    bad = tmp_path / "skan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    page.locator("#file").set_input_files(str(bad))
    page.get_by_role("button", name="Sprawdź skan").click()
    page.wait_for_load_state()
    summary_leads_to_fields(page, "scans")
