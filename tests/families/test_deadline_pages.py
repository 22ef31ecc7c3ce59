"""Deadlines where staff see them: the assistant's and the head's start pages, the family's page,
the calendar feed (a secret, revocable link; icalendar parses it; no member's name in it), the
API, and the office's deadline settings. Documents of the types of ../types-contract.md are
inserted as rows (their types may not be registered yet); dates are counted from the office's
today, so the tests hold on any day."""
from __future__ import annotations

import datetime as dt
import html
import re
import uuid

import icalendar
import pytest
from sqlalchemy import select

from service.accounts.models import User
from service.archive.models import AccessLog, DocumentRecord
from service.documents.context import office_today, polish_date
from service.extensions import db
from service.families.assignments import assign_assistant
from service.families.deadlines import deadlines_of_family
from service.families.models import Family, OfficeSettings
from service.families.settings import deadline_rules
from tests.families.files import ORIGIN, PESELS, family_data, register
from tests.web.test_office_confirmation import office_post

NAMES_A = ("Anna Kowalska", "Jan Kowalski", "Zofia Kowalska")
NAMES_B = ("Barbara Wiśniewska", "Piotr Wiśniewski", "Hanna Wiśniewska")


def add_document(family_id: int, author_id: int, slug: str, **data) -> str:
    """Inserts a document row of `slug` with `data` (dates as ISO text) into the family's case; its id."""
    family = db.session.get(Family, family_id)
    row = DocumentRecord(id=uuid.uuid4().hex, slug=slug, title=slug, template_version="test",
                         template_sha256="0" * 64, case_id=family.case_id, author_id=author_id,
                         data={k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()},
                         docx_sha256="0" * 64, docx_size=0, pdf_sha256="0" * 64, pdf_size=0,
                         seal_certificate_sha256="0" * 64)
    db.session.add(row)
    db.session.commit()
    return row.id


@pytest.fixture
def office(app, create_user):
    """Family A (assistant Katarzyna Zielińska from 20 days ago, a visit 10 days ago, no cooperation
    rules: overdue by 6 days; the next visit due in 4 days) and family B (another assistant)."""
    today = office_today()
    head = create_user("head", full_name="Halina Kierownik")
    mine = create_user("assistant", full_name="Katarzyna Zielińska")
    other = create_user("assistant", full_name="Ewa Nowak")
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    ids = {}
    with app.test_request_context():
        for key, names, pesels, assistant in (("A", NAMES_A, PESELS[0], mine), ("B", NAMES_B, PESELS[1], other)):
            family_id = register(head.id, family_data(*names, pesels=pesels), social_worker=worker.login)
            assign_assistant(db.session, db.session.get(User, head.id), ORIGIN, db.session.get(Family, family_id),
                             db.session.get(User, assistant.id), today - dt.timedelta(days=20))
            ids[key] = family_id
        ids["visit"] = add_document(ids["A"], mine.id, "visit_record", visit_date=today - dt.timedelta(days=10),
                                    contact_kind="visit", with_social_worker=True, assistant_login=mine.login)
        signs = {key: db.session.get(Family, ids[key]).case.sign for key in "AB"}
    return {"today": today, "head": head, "mine": mine, "other": other, "worker": worker, "ids": ids, "signs": signs}


def text(response) -> str:
    body = response.get_data(as_text=True)
    response.close()
    return html.unescape(body).replace("\u00a0", " ")


def plain(page: str) -> str:
    """The page's words without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace(" – ", " – ")


def test_the_assistant_sees_overdue_and_soon_items_of_their_families(app, client, login, office):
    today = office["today"]
    login(office["mine"])
    page = plain(text(client.get("/")))
    assert "Terminy: zaległe i na najbliższe 7 dni" in page
    assert "Zasady współpracy z rodziną – zaległe od 6 dni" in page
    visit_due = polish_date(today + dt.timedelta(days=4)).replace("\u00a0", " ")
    assert f"Kolejna wizyta u rodziny – do {visit_due} (za 4 dni)" in page
    assert office["signs"]["A"] in page and office["signs"]["B"] not in page
    assert "Pierwsza wizyta" not in page  # met by the visit 10 days ago
    assert not any(name in page for name in NAMES_B)


def test_the_head_sees_each_assistants_load_and_overdue_items(app, client, login, office):
    login(office["head"])
    page = text(client.get("/"))
    assert "Asystenci rodziny: obciążenie i zaległe terminy" in page
    assert re.search(r"Katarzyna Zielińska</bdi></td>\s*<td[^>]*>1 z 15 rodzin</td>", page)
    assert re.search(r"Ewa Nowak</bdi></td>\s*<td[^>]*>1 z 15 rodzin</td>", page)
    section = page.split("Zaległe: <bdi>Katarzyna Zielińska</bdi>")[1].split("</ul>")[0]
    assert office["signs"]["A"] in section and "Zasady współpracy z rodziną – zaległe od 6 dni" in plain(section)
    other = page.split("Zaległe: <bdi>Ewa Nowak</bdi>")[1].split("</ul>")[0]
    assert office["signs"]["B"] in other
    assert "Pierwsza wizyta (z pracownikiem socjalnym) – zaległe od 6 dni" in plain(other)
    with app.app_context():
        assert db.session.execute(select(AccessLog).where(AccessLog.user_id == office["head"].id,
                                                          AccessLog.detail == "start: terminy asystentów")).first()


def test_the_familys_page_lists_its_deadlines_met_ones_too(app, client, login, office):
    login(office["mine"])
    page = text(client.get(f"/families/{office['ids']['A']}"))
    table = page.split('<h2 id="deadlines-title">Terminy</h2>')[1].split("</table>")[0]
    assert '<th scope="col">Termin</th>' in table
    table = plain(table)
    visit_day = polish_date(office["today"] - dt.timedelta(days=10)).replace("\u00a0", " ")
    assert f"spełnione {visit_day}" in table and "Plan pracy z rodziną" in table
    assert "zaległe od 6 dni" in table and "Katarzyna Zielińska" in table


def _feed_link(client) -> str:
    page = text(client.post("/calendar", data={"action": "create"}))
    match = re.search(r'<code class="token-link">(http[^<]+)</code>', page)
    assert match, page[:3000]
    return match.group(1).replace("http://localhost", "")


def test_the_calendar_feed_has_all_day_events_without_names_and_can_be_revoked(app, client, login, office):
    login(office["mine"])
    path = _feed_link(client)
    anonymous = app.test_client()
    response = anonymous.get(path, headers={"User-Agent": "Kalendarz telefonu"})
    body = response.get_data()
    response.close()
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(body)
    events = list(cal.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any(s.startswith("Zasady współpracy z rodziną – sprawa " + office["signs"]["A"]) for s in summaries)
    assert any(s.startswith("Kolejna wizyta u rodziny") for s in summaries)
    assert not any("Pierwsza wizyta" in s for s in summaries)  # met: not in the calendar
    for event in events:
        assert type(event.decoded("DTSTART")) is dt.date and b"DTSTART;VALUE=DATE:" in body
        assert event.decoded("DTEND") == event.decoded("DTSTART") + dt.timedelta(days=1)
    text_of = body.decode()
    for secret in (*NAMES_A, *PESELS[0], "Zaborska", office["signs"]["B"]):
        assert secret not in text_of
    # stable UIDs: the same on the next read
    again = anonymous.get(path)
    assert {str(e["UID"]) for e in icalendar.Calendar.from_ical(again.get_data()).walk("VEVENT")} == \
        {str(e["UID"]) for e in events}
    again.close()
    with app.app_context():
        row = db.session.execute(select(AccessLog).where(AccessLog.action == "calendar_read")).scalars().first()
        assert row.user_id == office["mine"].id and row.channel == "cal" and row.user_agent == "Kalendarz telefonu"
    # replaced: the old link answers 404, the new one works; revoked: 404
    new_path = _feed_link(client)
    assert anonymous.get(path).status_code == 404 and anonymous.get(new_path).status_code == 200
    page = text(client.get("/calendar"))
    assert "Link aktywny" in page and new_path.split("/")[-1] not in page  # shown once only
    assert client.post("/calendar", data={"action": "revoke"}).status_code == 302
    assert anonymous.get(new_path).status_code == 404
    assert anonymous.get("/calendar/nieznany-token.ics").status_code == 404
    with app.app_context():  # only the hash is stored
        from service.families.models import CalendarFeed
        stored = {f.token_sha256 for f in db.session.execute(select(CalendarFeed)).scalars()}
        assert new_path.split("/")[-1].removesuffix(".ics") not in stored and len(stored) == 2


def test_a_deactivated_accounts_calendar_answers_404(app, client, login, office):
    login(office["mine"])
    path = _feed_link(client)
    with app.app_context():
        db.session.get(User, office["mine"].id).active = False
        db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 404
    response.close()


def test_the_api_answers_the_deadlines_of_ones_own_family_and_404_for_anothers(app, client, api_token, office):
    headers = api_token(office["mine"])
    own = client.get(f"/api/families/{office['ids']['A']}/deadlines", headers=headers)
    body = own.get_json()
    assert own.status_code == 200 and body["today"] == office["today"].isoformat()
    first = next(d for d in body["deadlines"] if d["kind"] == "first_visit")
    assert first["status"] == "met" and first["met_by"] == office["ids"]["visit"]
    rules = next(d for d in body["deadlines"] if d["kind"] == "cooperation_rules")
    assert rules["status"] == "overdue" and rules["when"] == "zaległe od 6 dni"
    assert rules["assistant"]["name"] == "Katarzyna Zielińska"
    assert client.get(f"/api/families/{office['ids']['B']}/deadlines", headers=headers).status_code == 404
    assert client.get("/api/families/999999/deadlines", headers=headers).status_code == 404
    mine = client.get("/api/deadlines", headers=headers).get_json()["deadlines"]
    assert {d["family_id"] for d in mine} - {None} == {office["ids"]["A"]}
    worker = client.get("/api/deadlines", headers=api_token(office["worker"])).get_json()["deadlines"]
    assert {d["family_id"] for d in worker} == {office["ids"]["A"], office["ids"]["B"]}
    with app.app_context():
        assert db.session.execute(select(AccessLog).where(AccessLog.family_id == office["ids"]["A"],
                                                          AccessLog.detail == "api deadlines")).first()


def test_the_office_sets_the_deadlines_with_polish_messages_for_bad_values(app, client, create_user, login, office):
    admin = create_user("admin")
    login(admin)
    refused = client.post("/office", data=office_post(assessment_months="7", first_visit_days="abc"))
    page = text(refused)
    assert "Okresowa ocena sytuacji rodziny co – miesięcy: podaj liczbę całkowitą od 1 do 6." in page
    assert "podaj liczbę całkowitą od 1 do 60" in page and 'value="abc"' in page
    with app.app_context():
        assert deadline_rules(db.session).assessment_months == 6
    saved = client.post("/office", data=office_post(first_visit_days="7", report_day="10"))
    assert saved.status_code == 302
    with app.test_request_context():
        rules = deadline_rules(db.session)
        assert (rules.first_visit_days, rules.report_day, rules.plan_months) == (7, 10, 1)
        log = db.session.execute(select(AccessLog).where(AccessLog.object_type == "office_settings")).scalars().all()
        assert any("first_visit_days 14 → 7" in r.detail and "report_day 5 → 10" in r.detail for r in log)
        family = db.session.get(Family, office["ids"]["B"])
        first = next(d for d in deadlines_of_family(db.session, family, office["today"]) if d.kind == "first_visit")
        assert first.due == office["today"] - dt.timedelta(days=13)
    page = text(client.get("/office"))
    assert 'name="first_visit_days"' in page and 'value="7"' in page


def _end_with_final_report(app, office, days_ago: int = 2) -> None:
    """Family A's work ended `days_ago` days ago by a final report (as lifecycle._end_work records
    it: the assignment's end and the monitoring for 2 months), the report filed in its case."""
    from service.families.models import Assignment
    today = office["today"]
    with app.app_context():
        current = db.session.execute(select(Assignment).where(Assignment.family_id == office["ids"]["A"])).scalar_one()
        current.end_date = today - dt.timedelta(days=days_ago)
        current.monitoring_until = today + dt.timedelta(days=60)
        db.session.commit()
        add_document(office["ids"]["A"], office["mine"].id, "final_report", end_date=current.end_date,
                     monitoring_until=current.monitoring_until)


def test_a_monitored_family_is_no_load_but_its_overdue_items_stay_with_its_assistant(app, client, login, office):
    # Found by testing: the head's page counted a family only monitored after the work as one of
    # the assistant's (1 z 15) while the limit does not (assigning a fifteenth was allowed), and its
    # overdue items vanished from both start pages the day the final report ended the work.
    _end_with_final_report(app, office)
    login(office["head"])
    page = text(client.get("/"))
    assert re.search(r"Katarzyna Zielińska</bdi></td>\s*<td[^>]*>0 z 15 rodzin</td>", page)
    section = page.split("Zaległe: <bdi>Katarzyna Zielińska</bdi>")[1].split("</ul>")[0]
    assert "Zasady współpracy z rodziną – zaległe od 6 dni" in plain(section)
    mine = app.test_client()
    mine.post("/login", data={"login": office["mine"].login, "password": "haslo-" + office["mine"].login})
    page = plain(text(mine.get("/")))
    assert office["signs"]["A"] in page and "Zasady współpracy z rodziną – zaległe od 6 dni" in page


def test_an_assignment_replaced_before_it_began_gives_no_access_no_deadlines_and_no_load(
        app, client, login, office, create_user):
    # Found by testing: assigned from a later day and replaced by another assistant from that same
    # day, the first assistant kept reading the family's file (and it counted against her limit)
    # until the day before, although assign_assistant says she has no access from today on.
    third = create_user("assistant", full_name="Irena Trzecia")
    later = office["today"] + dt.timedelta(days=10)
    with app.test_request_context():
        head = db.session.get(User, office["head"].id)
        for assistant in (office["mine"], third):
            assign_assistant(db.session, head, ORIGIN, db.session.get(Family, office["ids"]["B"]),
                             db.session.get(User, assistant.id), later)
        from service.families.assignments import current_count
        assert current_count(db.session, office["mine"].id) == 1  # family A only
    login(office["mine"])
    assert client.get(f"/families/{office['ids']['B']}").status_code == 404
    assert office["signs"]["B"] not in text(client.get("/"))
    path = _feed_link(client)
    assert office["signs"]["B"] not in app.test_client().get(path).get_data(as_text=True)


def test_a_deactivated_accounts_calendar_link_does_not_come_back_with_the_account(
        app, client, login, office, create_user):
    # Found by testing: deactivation ended the sessions and the API token but left the calendar
    # link, which opened the calendar again the moment the account was turned on again.
    login(office["mine"])
    path = _feed_link(client)
    admin = app.test_client()
    person = create_user("admin")
    admin.post("/login", data={"login": person.login, "password": "haslo-" + person.login})
    assert admin.post(f"/accounts/{office['mine'].id}/deactivate").status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert admin.post(f"/accounts/{office['mine'].id}/reactivate").status_code == 302
    assert app.test_client().get(path).status_code == 404
    login(office["mine"])
    assert "Nie masz aktywnego linku do kalendarza." in text(client.get("/calendar"))


def test_the_calendars_uids_do_not_depend_on_how_the_host_was_written(app, client, login, office):
    # Found by testing: the UID's domain was the Host header cut at its first colon, so „[::1]:8000”
    # gave „…@[” and „LOCALHOST” another UID than „localhost”: a calendar showed every deadline twice.
    login(office["mine"])
    path = _feed_link(client)
    uids = {}
    for host in ("localhost", "LOCALHOST:80", "[::1]:8000"):
        response = app.test_client().get(path, headers={"Host": host})
        assert response.status_code == 200
        uids[host] = sorted(str(e["UID"]) for e in icalendar.Calendar.from_ical(response.get_data()).walk("VEVENT"))
    assert uids["localhost"] == uids["LOCALHOST:80"] and uids["localhost"][0].endswith("@localhost")
    assert all(uid.endswith("@::1") for uid in uids["[::1]:8000"])


def test_the_social_workers_start_page_shows_the_deadlines_of_families_beyond_the_listed_ones(
        app, client, login, office, monkeypatch):
    # Found by testing: the deadlines were grouped under the families the start page lists (the 50
    # newest), and those of any family beyond them were dropped without a word.
    from service.web import views
    monkeypatch.setattr(views, "FAMILIES_ON_START", 1)  # family B, the newer, is listed; A is not
    login(office["worker"])
    page = text(client.get("/"))
    section = plain(page.split('id="my-deadlines"')[1].split("</section>")[0])
    assert office["signs"]["A"] in section and "Zasady współpracy z rodziną – zaległe od 6 dni" in section
    assert office["signs"]["B"] in section
    with app.app_context():
        details = set(db.session.execute(select(AccessLog.detail).where(AccessLog.user_id == office["worker"].id))
                      .scalars())
    assert "start: rodziny (1)" in details and "start: terminy innych rodzin (1)" in details


def test_the_heads_page_marks_an_assistant_above_a_lowered_limit(app, client, login, office):
    # Found by testing: after the office lowered its limit (assignments already made stay), the
    # head's page said „2 z 1 rodzin” like any other load, with nothing to draw the eye.
    from service.families.settings import set_family_limit
    with app.test_request_context():
        head = db.session.get(User, office["head"].id)
        assign_assistant(db.session, head, ORIGIN, db.session.get(Family, office["ids"]["B"]),
                         db.session.get(User, office["mine"].id), office["today"])
        set_family_limit(db.session, head, ORIGIN, 1)
    login(office["head"])
    page = plain(text(client.get("/")))
    assert "Katarzyna Zielińska 2 z 1 rodzin – ponad limit" in page
    assert "Ewa Nowak 0 z 1 rodzin" in page and "0 z 1 rodzin – ponad limit" not in page  # B went to Katarzyna


def test_the_heads_page_lists_a_deactivated_assistant_who_still_has_families(app, client, login, office,
                                                                            create_user):
    # Found by testing: deactivation ends no assignment, and the head's page listed active
    # assistants only, so the families of one who left (and their overdue items) were nobody's.
    admin = app.test_client()
    person = create_user("admin")
    admin.post("/login", data={"login": person.login, "password": "haslo-" + person.login})
    assert admin.post(f"/accounts/{office['other'].id}/deactivate").status_code == 302
    login(office["head"])
    page = text(client.get("/"))
    assert re.search(r"Ewa Nowak</bdi> <strong[^>]*>\(konto wyłączone\)</strong></td>\s*<td[^>]*>1 z 15 rodzin</td>",
                     page)
    section = page.split("Zaległe: <bdi>Ewa Nowak</bdi>")[1].split("</ul>")[0]
    assert office["signs"]["B"] in section
    assert "(konto wyłączone)" not in page.split("Katarzyna Zielińska</bdi>")[1].split("</td>")[0]


def test_a_new_calendar_link_is_offered_as_a_subscription_for_the_phone(app, client, login, office):
    """The phone subscribes to a webcal:// address (the https:// one only imports the events once):
    the page gives it as a link and as a QR code to scan from the desk, with the same token."""
    from signatures.qr import qr_svg

    login(office["mine"])
    page = text(client.post("/calendar", data={"action": "create"}))
    link = re.search(r'<code class="token-link">(http[^<]+)</code>', page).group(1)
    subscribe = re.search(r'<a href="(webcal://[^"]+)" id="subscribe">', page).group(1)
    assert subscribe == "webcal://" + link.split("://", 1)[1] and subscribe.endswith(".ics")
    box = page.split('<div class="calendar-qr">')[1]
    svg = box[box.index("<svg"):box.index("</svg>") + len("</svg>")]
    assert svg == qr_svg(subscribe, scale=4)  # the symbol segno draws of the subscription address
    assert "webcal://" not in text(client.get("/calendar"))  # shown once, like the link itself
