"""Issue 11 in real Chromium on a tablet (820 × 1180, touch, Polish): the assistant fills a visit
record (karta pracy) in the family's home with taps, the family member signs it on the same tablet
handed over to them, and the record is what the month's family report is filled from and rests on
(`visit_refs`, service/documents/catalog/DATA_KEYS.md). Once, on SQLite.

The dates are fixed and in the past (a visit on 20 November 2026, its month 2026-11): the forms
refuse a visit in the future and a report of a month not yet begun, nothing else reads the day."""
from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from service import pipeline
from service.accounts.models import User
from service.archive.models import DocumentRecord
from service.extensions import db
from service.families.models import Family
from service.signing.models import SignedDocument
from tests.documents.test_work_plan import _family
from tests.families.files import issue_work_plan
from tests.signing.test_browser import POLISH, TABLET, browser, draw, live, log_in, signature  # noqa: F401
from tests.signing.test_signed_pdf import check_signed_pdf

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)

GOALS = ("Uregulowanie zaległości czynszowych.", "Regularne uczęszczanie Zosi do szkoły.",
         "Podjęcie pracy przez Grzegorza Żmijewskiego.")
VISIT_DAY, MONTH = "2026-11-20", "2026-11"
TOPICS = "Rozmowa o frekwencji Zosi i o umowie ratalnej ze spółdzielnią."
MEMBERS = ["Łucja Żmijewska", "Grzegorz Żmijewski", "Zosia Żmijewska"]  # the file's (test_issue_for_family)
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("ASYSTA_SHOTS")  # a folder: screenshots of the form at each width


def _with_plan(app, create_user) -> tuple[int, User, str]:
    """A registered family, its assistant (assigned from 2 November 2026) and a work plan of three
    goals dated 10 November 2026, issued through the pipeline: (family id, assistant, plan id)."""
    with app.test_request_context():
        family_id, assistant = _family(app, create_user)
        return family_id, assistant, issue_work_plan(assistant.id, family_id, list(GOALS), "2026-11-10")


def tap_sign(page, *, login: str | None = None) -> None:
    """One signer's step on the signing page, by touch: the reading confirmed, a signature drawn,
    the staff member's login and password when the step is theirs, «Podpisz»."""
    # one id once: a label's `for` names one input (a locked tablet's unlock form is on the page too)
    assert page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]:not([type=hidden])')].map(e => e.id);
                                    return ids.filter((id, i) => ids.indexOf(id) !== i); }""") == []
    page.get_by_text("Potwierdzam zapoznanie się z treścią dokumentu.").tap()
    assert page.get_by_label("Potwierdzam zapoznanie się z treścią dokumentu.").is_checked()
    page.locator("#pad").scroll_into_view_if_needed()
    draw(page, signature())
    if login:
        page.get_by_label("Login pracownika").fill(login)
        page.get_by_label("Hasło", exact=True).fill("haslo-" + login)
    with page.expect_navigation():  # signing.js posts the form once it has read the pad
        page.get_by_role("button", name="Podpisz", exact=True).tap()
    errors = page.locator("p.error:visible").all_inner_texts()
    assert not errors, errors


def test_a_visit_filled_by_touch_signed_by_the_family_and_reported(app, live, browser, create_user):  # noqa: F811
    # the plan is issued in a thread of its own: sealing runs asyncio.run(), which cannot run inside
    # the event loop Playwright's sync API keeps in this thread
    with ThreadPoolExecutor(1) as pool:
        family_id, assistant, plan_id = pool.submit(_with_plan, app, create_user).result()
    tablet = browser.new_context(viewport=TABLET, base_url=live, locale=POLISH, has_touch=True, is_mobile=True,
                                 device_scale_factor=2)
    page = tablet.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, assistant)

    # --- the visit record, filled by touch from the family's file
    page.goto(f"/families/{family_id}")
    page.get_by_role("link", name="Wystaw: Karta pracy z rodziną").tap()
    page.wait_for_url(f"**/families/{family_id}/documents/new/visit_record")
    goals = page.get_by_role("group", name="Cele planu pracy, nad którymi pracowano")
    assert goals.get_by_role("checkbox").count() == len(GOALS)  # the current plan's goals, nothing else
    for n, goal in enumerate(GOALS, 1):
        assert goals.get_by_role("checkbox", name=f"{n}. {goal}").is_visible()
    # from the file: the adults present, the first of them signing, today at the family's home
    assert page.get_by_role("checkbox", name="Obecna lub obecny na spotkaniu").nth(0).is_checked()
    assert page.locator("#signer_name").input_value() == "Łucja Żmijewska"
    assert page.get_by_role("radio", name="w miejscu zamieszkania rodziny").is_checked()

    page.get_by_label("Data spotkania").fill(VISIT_DAY)
    page.get_by_label("Godzina rozpoczęcia").fill("16:00")
    page.get_by_label("Godzina zakończenia").fill("17:45")
    page.get_by_text("w ośrodku", exact=True).tap()  # the label, as a finger does: a big target
    page.get_by_text("kontakt telefoniczny", exact=True).tap()
    page.get_by_role("radio", name="wizyta", exact=True).tap()  # changed back: a visit at home after all
    page.get_by_role("radio", name="w miejscu zamieszkania rodziny").tap()
    page.get_by_text("Pracownik socjalny brał udział w spotkaniu").tap()
    # Zosia (a child) was there too; Grzegorz was not
    zosia = page.locator("fieldset.row", has=page.locator("input[value='Zosia Żmijewska']"))
    zosia.get_by_text("Obecna lub obecny na spotkaniu").tap()
    grzegorz = page.locator("fieldset.row", has=page.locator("input[value='Grzegorz Żmijewski']"))
    grzegorz.get_by_role("checkbox", name="Obecna lub obecny na spotkaniu").tap()
    goals.get_by_text(f"2. {GOALS[1]}").tap()
    goals.get_by_role("checkbox", name=f"1. {GOALS[0]}").tap()
    goals.get_by_role("checkbox", name=f"3. {GOALS[2]}").tap()
    goals.get_by_role("checkbox", name=f"3. {GOALS[2]}").tap()  # ticked by mistake, untapped
    page.get_by_label("Co robiono na spotkaniu").fill(TOPICS)
    page.get_by_label("Instytucje, z którymi się kontaktowano").fill("Szkoła Podstawowa nr 1 w Oświęcimiu")
    page.get_by_label("Ustalenia dla rodziny").fill("Łucja Żmijewska zadzwoni do spółdzielni do piątku.")
    page.get_by_label("Następne spotkanie").fill("2026-11-27")
    page.get_by_label("Czas dojazdu (minuty)").fill("20")
    page.get_by_role("button", name="Wystaw dokument").last.tap()
    page.locator(".flash.success, .error-summary").wait_for(timeout=90000)
    assert "/archive/" in page.url, page.locator("main").inner_text()[:3000]
    visit_id = page.url.rstrip("/").rsplit("/", 1)[1]
    with app.app_context():
        visit = db.session.get(DocumentRecord, visit_id)
        data, case_id = visit.data, visit.case_id
        assert case_id == db.session.get(Family, family_id).case_id
    assert (data["visit_date"], data["time_from"], data["time_to"]) == (VISIT_DAY, "16:00", "17:45")
    assert (data["place"], data["contact_kind"], data["with_social_worker"]) == ("home", "visit", True)
    assert sorted(data["goals_worked"]) == ["1", "2"] and data["plan_ref"] == plan_id
    assert data["goals_text"].splitlines() == [f"1. {GOALS[0]}", f"2. {GOALS[1]}"]
    assert [(p["full_name"], p.get("present", False)) for p in data["participants"]] == [
        ("Łucja Żmijewska", True), ("Grzegorz Żmijewski", False), ("Zosia Żmijewska", True)]
    assert data["topics"] == TOPICS and data["travel_minutes"] == 20 and data["next_meeting"] == "2026-11-27"
    assert data["assistant_login"] == assistant.login and data["signer_name"] == "Łucja Żmijewska"

    # --- signed on this tablet, handed to Łucja first, then the assistant's step (login and password)
    page.get_by_role("button", name="Podpisz na tym urządzeniu").tap()
    page.wait_for_url(re.compile(r"/podpis/[0-9a-f]+$"))
    session_id = page.url.rsplit("/", 1)[1]
    shown = page.request.get(f"{live}/podpis/{session_id}/dokument.pdf").body()
    assert page.locator("#sign-title").inner_text() == "Podpis 1 z 2: Łucja Żmijewska"
    tap_sign(page)
    assert "Podpis 2 z 2: pracownik ośrodka" in page.locator("#sign-title").inner_text()
    tap_sign(page, login=assistant.login)
    assert page.get_by_role("heading", name="Dokument został podpisany").is_visible()
    # the assistant's password in the last step gave the tablet back to them: no lock any more
    assert page.locator("details.unlock").count() == 0
    page.goto(f"/archive/{visit_id}")
    assert page.get_by_role("heading", name=re.compile("^Podpisany odręcznie na tablecie i hasłem pracownika")).is_visible()
    with app.app_context():
        version = db.session.execute(select(SignedDocument).where(SignedDocument.document_id == visit_id)).scalar_one()
        assert version.kind == "tablet" and [s["name"] for s in version.signers] == ["Łucja Żmijewska",
                                                                                     "Katarzyna Zielińska"]
        signed = pipeline(app).store.path(version.pdf_sha256, "pdf").read_bytes()
    with ThreadPoolExecutor(1) as pool:  # pyHanko's validation runs its own asyncio loop
        pool.submit(check_signed_pdf, app, signed, shown, visit_id, ["Łucja Żmijewska", "Katarzyna Zielińska"]).result()

    # --- the month's family report, filled from the visit records
    page.goto(f"/families/{family_id}")
    page.get_by_role("link", name="Wystaw: Miesięczne sprawozdanie z pracy z rodziną").tap()
    page.wait_for_url(f"**/families/{family_id}/documents/new/monthly_family_report*")
    page.get_by_label("Miesiąc (RRRR-MM)").fill(MONTH)
    page.get_by_role("button", name="Wypełnij z kart pracy").tap()
    page.wait_for_url(f"**/monthly_family_report?month={MONTH}")
    assert page.locator("#month").input_value() == MONTH
    assert page.get_by_label("Liczba kontaktów z rodziną").input_value() == "1"
    assert page.get_by_label("Daty kontaktów").input_value() == "20 listopada 2026\u00a0r."
    work = {}
    for i in range(page.locator("[id^='goal_work-'][id$='-goal_no']").count()):
        row = [page.locator(f"#goal_work-{i}-{key}").input_value() for key in ("goal_no", "goal", "work")]
        if any(row):  # an empty row to add a goal by hand may follow
            work[row[0]] = tuple(row[1:])
    assert work == {"1": (GOALS[0], f"20 listopada: {TOPICS}"), "2": (GOALS[1], f"20 listopada: {TOPICS}"),
                    "3": (GOALS[2], "W kartach pracy z tego miesiąca nie zapisano działań przy tym celu.")}
    assert page.get_by_label("Współpraca z instytucjami").input_value() == "Szkoła Podstawowa nr 1 w Oświęcimiu"
    # the visit's time is the time report's: 1 h 45 min for this family in November
    time_report = tablet.new_page()
    time_report.on("pageerror", lambda e: errors.append(str(e)))
    time_report.goto(f"/documents/new/monthly_time_report?month={MONTH}")
    assert time_report.locator("#family_hours-0-hours").input_value() == "1 h 45 min"
    assert time_report.locator("#travel_hours").input_value() == "20 min"
    time_report.close()

    # a goal no visit ticked says so; the assistant may write what was done instead
    page.locator("#goal_work-2-work").fill("W listopadzie bez działań; rozmowa o ofertach pracy w grudniu.")
    page.get_by_label("Plan pracy na następny miesiąc").fill("Dalsza praca nad budżetem i frekwencją Zosi.")
    page.get_by_role("button", name="Wystaw dokument").last.tap()
    page.locator(".flash.success, .error-summary").wait_for(timeout=90000)
    assert "/archive/" in page.url, page.locator("main").inner_text()[:3000]
    report_id = page.url.rstrip("/").rsplit("/", 1)[1]
    with app.app_context():
        report = db.session.get(DocumentRecord, report_id)
        assert report.slug == "monthly_family_report" and report.case_id == case_id
        data = report.data
    assert data["month"] == MONTH and data["visit_refs"] == [visit_id]
    assert data["contacts_count"] == 1 and data["contact_dates"] == "20 listopada 2026\u00a0r."
    assert [(r["goal_no"], r["work"]) for r in data["goal_work"]] == [
        ("1", f"20 listopada: {TOPICS}"), ("2", f"20 listopada: {TOPICS}"),
        ("3", "W listopadzie bez działań; rozmowa o ofertach pracy w grudniu.")]
    assert errors == []


def _names(rows) -> list[str]:
    return [rows.nth(i).locator("input[id$='-full_name']").input_value() for i in range(rows.count())]


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_the_form_is_short_on_a_tablet_and_a_phone(app, live, browser, create_user):  # noqa: F811
    """What a tester found on the tablet: the participants are the file's members with „Dodaj osobę”
    (not 8 rows, 6 of them empty), „Jakie miejsce” shows only while the place „inne” is chosen, and
    the hours open the digit keypad with a separator (inputmode "decimal"; „16,00” from a Polish
    iOS keypad is read). By touch at 820 px, then at a phone's 390 px; without scripts the place
    text shows and „Dodaj osobę” posts the form."""
    with app.test_request_context():
        family_id, assistant = _family(app, create_user)
    url = f"/families/{family_id}/documents/new/visit_record"
    tablet = browser.new_context(viewport=TABLET, base_url=live, locale=POLISH, has_touch=True, is_mobile=True)
    page = tablet.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, assistant)
    page.goto(url)
    rows = page.locator("[data-repeat=participants] [data-row]")
    assert _names(rows) == MEMBERS
    for label in ("Godzina rozpoczęcia", "Godzina zakończenia"):
        hours = page.get_by_label(label)
        assert (hours.get_attribute("inputmode"), hours.get_attribute("autocomplete")) == ("decimal", "off")
    place_text = page.get_by_label("Jakie miejsce")
    assert place_text.is_hidden()  # at the family's home, from the file
    _shot(page, "visit-record-820")

    # a grandmother who was there too: a row added by touch, with nothing ticked, then one taken out
    page.get_by_role("button", name="Dodaj osobę").tap()
    assert rows.count() == 4 and page.evaluate("document.activeElement.id") == "participants-3-full_name"
    assert rows.nth(3).locator("> legend").inner_text() == "Osoba 4 (opcjonalnie)"
    assert not rows.nth(3).get_by_role("checkbox").is_checked()
    page.locator("#participants-3-full_name").fill("Helena Żmijewska")
    page.locator("#participants-3-relation").fill("babcia")
    rows.nth(3).get_by_text("Obecna lub obecny na spotkaniu").tap()
    page.get_by_role("button", name="Dodaj osobę").tap()
    page.get_by_role("button", name="Usuń: osoba 5").tap()
    assert _names(rows) == MEMBERS + ["Helena Żmijewska"]

    place = page.get_by_role("group", name="Miejsce")
    place.get_by_text("inne", exact=True).tap()
    assert place_text.is_visible() and place_text.get_attribute("aria-required") == "true"
    _shot(page, "visit-record-820-other")
    place.get_by_text("w ośrodku", exact=True).tap()
    assert place_text.is_hidden()
    place.get_by_text("inne", exact=True).tap()
    place_text.fill("Park Miejski w Oświęcimiu")
    page.get_by_label("Data spotkania").fill(VISIT_DAY)
    page.get_by_label("Godzina rozpoczęcia").fill("16,00")
    page.get_by_label("Godzina zakończenia").fill("17.15")
    page.get_by_label("Co robiono na spotkaniu").fill(TOPICS)
    page.get_by_role("button", name="Wystaw dokument").last.tap()
    page.locator(".flash.success, .error-summary").wait_for(timeout=90000)
    assert "/archive/" in page.url, page.locator("main").inner_text()[:3000]
    with app.app_context():
        data = db.session.get(DocumentRecord, page.url.rstrip("/").rsplit("/", 1)[1]).data
    assert (data["place"], data["place_other"]) == ("other", "Park Miejski w Oświęcimiu")
    assert (data["time_from"], data["time_to"]) == ("16:00", "17:15")
    assert [(p["full_name"], p.get("present", False)) for p in data["participants"]] == [
        ("Łucja Żmijewska", True), ("Grzegorz Żmijewski", True), ("Zosia Żmijewska", False),
        ("Helena Żmijewska", True)]

    # a phone: the same short form, nothing wider than the screen
    phone = browser.new_context(viewport=PHONE, base_url=live, locale=POLISH, has_touch=True, is_mobile=True)
    small = phone.new_page()
    small.on("pageerror", lambda e: errors.append(str(e)))
    log_in(small, assistant)
    small.goto(url)
    assert _names(small.locator("[data-repeat=participants] [data-row]")) == MEMBERS
    assert small.get_by_label("Jakie miejsce").is_hidden()
    assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(small, "visit-record-390")

    # without scripts: the place text is there to fill, the button posts the form for a row more
    bare = browser.new_context(viewport=TABLET, base_url=live, locale=POLISH, java_script_enabled=False).new_page()
    log_in(bare, assistant)
    bare.goto(url)
    assert bare.get_by_label("Jakie miejsce").is_visible()
    bare.get_by_role("button", name="Dodaj osobę").click()
    bare.wait_for_load_state()
    assert _names(bare.locator("[data-repeat=participants] [data-row]")) == MEMBERS + [""]
    assert errors == []
