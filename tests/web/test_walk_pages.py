"""What a new office's staff met walking issue 11's cycle through the pages (request, plan and its
revision, monthly reports, the time report, signing with staff passwords), and its fixes: the
document's page names the documents it refers to and leads back to its family's file, a group's
rows are shown field by field, the time report's form offers no family's case, the forms show no
API notes and only the rows in use, the signing page's staff step and unlock form have inputs of
their own, and the family's page leads the head to the assignment."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.accounts.models import User
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.signing.models import FamilyCopy, SigningSession
from tests.families.files import family_data, register
from tests.families.visits import Office, _record, make_office, plan, visit
from tests.signing.conftest import issue_document
from tests.signing.test_password_checks import staff_step, staff_step_here


@pytest.fixture
def office(app, create_user) -> Office:
    return make_office(app, create_user)


def _as(app, login, user_id):
    with app.app_context():
        login(db.session.get(User, user_id))


def _text(html: str) -> str:
    """The page's text without tags, spaces folded: what a reader sees."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ").split())


def test_a_document_page_names_the_documents_it_refers_to(app, client, login, office):
    with app.app_context():
        first = plan(office.kowalscy, office.anna, "2026-11-02", ["Poprawa organizacji dnia"])
        second = plan(office.kowalscy, office.anna, "2026-11-20", ["Poprawa organizacji dnia"], replaces=first)
        visits = [visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30"),
                  visit(office.kowalscy, office.anna, "2026-11-18", "12:00", "13:00")]
        report = _record("monthly_family_report", office.kowalscy, office.anna,
                         {"month": "2026-11", "next_month_plan": "Dalsza praca.", "visit_refs": visits})
    _as(app, login, office.anna)
    page = client.get(f"/archive/{second}").get_data(as_text=True)
    # the plan replaced: a link with its date, not its 32-digit identifier as the value
    assert f'href="/archive/{first}"' in page and "z 2 listopada 2026 r." in _text(page)
    assert f"<td>{first}</td>" not in page and "Plan zastępowany (identyfikator)" not in page
    # a group's row field by field, not „Numer celu: 1, Treść celu: …” run together
    assert '<span class="pair-label">Treść celu:</span> Poprawa organizacji dnia' in page
    # the family's file it belongs to, and the case's documents
    assert f'href="/families/{office.kowalscy}"' in page and "« Teczka rodziny" in page
    assert "/archive?case=" in page
    # the template's version in words, not the type's programme name
    assert "Wzór dokumentu" in page and "wersja v1" in page and "work_plan v1" not in page
    # the older plan says what replaced it
    older = client.get(f"/archive/{first}").get_data(as_text=True)
    assert "Ten dokument został zastąpiony" in older and f'href="/archive/{second}"' in older
    assert "zastąpiony" not in client.get(f"/archive/{second}").get_data(as_text=True).split("<h2")[0]
    # the monthly report's visit records, each a link with its visit's date
    shown = client.get(f"/archive/{report}").get_data(as_text=True)
    assert all(f'href="/archive/{v}"' in shown for v in visits)
    assert "4 listopada 2026" in _text(shown) and "18 listopada 2026" in _text(shown)
    assert not any(f"{v}</" in shown or f"{v}," in shown for v in visits)


def test_a_reference_the_reader_may_not_open_stays_as_stored(app, client, login, office, create_user):
    with app.app_context():
        worker = create_user("social_worker", login="inny", full_name="Inny Pracownik")
        other_family = register(worker.id, family_data("Ewa Nowak", "Adam Nowak", "Ola Nowak"))
        foreign = plan(other_family, worker.id, "2026-11-02", ["Cel"])
        mine = plan(office.kowalscy, office.anna, "2026-11-20", ["Cel"], replaces=foreign)
    _as(app, login, office.anna)
    page = client.get(f"/archive/{mine}").get_data(as_text=True)
    assert f'href="/archive/{foreign}"' not in page and foreign in page


def test_a_document_page_names_the_assistant_not_their_login(app, client, login, office):
    with app.app_context():
        # stored as the service stores them: the assistant's login (the key stays assistant_login)
        report = _record("monthly_time_report", office.kowalscy, office.anna,
                         {"month": "2026-11", "total_hours": "1 h 30 min", "assistant_login": "anowak"})
        card = visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30")
    _as(app, login, office.anna)
    for doc_id in (report, card):
        page = _text(client.get(f"/archive/{doc_id}").get_data(as_text=True))
        assert "Asystent rodziny Anna Nowak" in page, doc_id
        assert "Login asystenta" not in page and "anowak" not in page


def test_the_time_report_form_offers_no_familys_case_nor_empty_rows(app, client, login, office):
    with app.app_context():
        visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30")
    _as(app, login, office.anna)
    page = client.get("/documents/new/monthly_time_report?month=2026-11").get_data(as_text=True)
    assert 'name="case_id"' not in page and "nowa sprawa" not in page
    assert "Sprawozdanie trafi do Twojej sprawy ewidencji czasu pracy" in page
    # the rows the month fills, and „Dodaj rodzinę” for more: not 30 rows of which 29 empty
    assert 'id="family_hours-0-case_sign"' in page and 'id="family_hours-1-case_sign"' not in page
    assert "Dodaj rodzinę" in page
    # no note for API clients on a page for staff; the API still gives it
    assert "W API" not in page
    time_report = DOCUMENT_TYPES["monthly_time_report"]
    assert "W API" in time_report.api_description and "W API" not in time_report.description


def test_the_family_report_form_shows_the_goals_in_use(app, client, login, office):
    with app.app_context():
        plan(office.kowalscy, office.anna, "2026-11-02", ["Poprawa organizacji dnia", "Regularna nauka"])
        visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30", goals_worked=["1"], topics="Plan dnia")
    _as(app, login, office.anna)
    page = client.get(f"/families/{office.kowalscy}/documents/new/monthly_family_report?month=2026-11"
                      ).get_data(as_text=True)
    assert "W API" not in page
    shown = set(re.findall(r'id="goal_work-(\d+)-goal"', page))
    assert shown == {"0", "1"} and "Dodaj cel" in page


def test_a_revised_plans_form_says_what_it_replaces(app, client, login, office):
    _as(app, login, office.anna)
    url = f"/families/{office.kowalscy}/documents/new/work_plan"
    assert "Nowy plan zastąpi obowiązujący" not in client.get(url).get_data(as_text=True)
    with app.app_context():
        plan(office.kowalscy, office.anna, "2026-11-02", ["Poprawa organizacji dnia"])
    page = _text(client.get(url).get_data(as_text=True))
    assert "Nowy plan zastąpi obowiązujący: work_plan z 2 listopada 2026 r." in page


def test_the_signing_page_of_a_staff_step_has_one_input_per_id_and_no_double_brackets(
        app, client, login, create_user):
    worker = create_user("social_worker", full_name="Magdalena Kowalczyk")
    head = create_user("head", full_name="Barbara Wiśniewska")
    login(worker)
    doc_id = issue_document(client, "assistant_request")
    session_id = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"}).location.rsplit("/", 1)[1]
    page = client.get(f"/podpis/{session_id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []  # the unlock form's password too
    assert 'for="unlock-password"' in page and 'for="password"' in page
    assert "pracownik ośrodka – " in _text(page) and "))" not in page
    # the head at her own computer: where the signing goes on, not „na tym urządzeniu”
    assert staff_step(client, session_id, worker.login, "haslo-" + worker.login).status_code == 302
    after = client.get(f"/podpis/{session_id}").get_data(as_text=True)
    assert "Teraz podpisuje: pracownik ośrodka – Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu" in after and "))" not in after
    other = app.test_client()
    other.post("/login", data={"login": head.login, "password": "haslo-" + head.login})
    seen = _text(other.get(f"/archive/{doc_id}").get_data(as_text=True))
    assert "na urządzeniu przekazanym przez: Magdalena Kowalczyk" in seen and "na tym urządzeniu," not in seen


def test_a_staff_password_signature_is_not_called_a_tablets(app, client, login, create_user):
    head = create_user("head", full_name="Barbara Wiśniewska")
    session_id = staff_step_here(client, login, head)
    assert staff_step(client, session_id, head.login, "haslo-" + head.login).status_code == 302
    with app.app_context():
        doc_id = db.session.get(SigningSession, session_id).document_id
    page = _text(client.get(f"/archive/{doc_id}").get_data(as_text=True))
    assert "(hasłem pracownika)" in page and "Podpisany hasłem pracownika" in page
    assert "na tablecie" not in page.replace("Podpis odręczny złożony na tablecie", "")


def test_an_internal_document_offers_no_copy_for_the_family(app, client, login, create_user):
    head = create_user("head", full_name="Barbara Wiśniewska")
    session_id = staff_step_here(client, login, head)  # the assignment letter: the head alone signs it
    assert staff_step(client, session_id, head.login, "haslo-" + head.login).status_code == 302
    with app.app_context():
        doc_id = db.session.get(SigningSession, session_id).document_id
        assert db.session.execute(select(FamilyCopy)).scalars().all() == []  # no link made at the end
    page = client.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert "Kopia dla rodziny" not in page and "kopia-dla-rodziny" not in page
    # asked for by its address: refused with the reason, on the document's page
    for response in (client.get(f"/archive/{doc_id}/kopia-dla-rodziny", follow_redirects=True),
                     client.post(f"/archive/{doc_id}/kopia-dla-rodziny", follow_redirects=True)):
        assert response.request.path == f"/archive/{doc_id}"
        assert "nie podpisuje nikt z rodziny" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(FamilyCopy)).scalars().all() == []


def test_who_signs_is_listed_without_double_brackets(app, client, login, create_user):
    assistant = create_user("assistant", full_name="Agnieszka Zielińska")
    login(assistant)
    doc_id = issue_document(client, "family_consent")
    page = _text(client.get(f"/archive/{doc_id}").get_data(as_text=True))
    assert "Podpisują kolejno: Anna Kowalska – osoba wyrażająca zgodę" in page
    assert "))" not in page


def test_the_family_page_leads_the_head_to_the_assignment(app, client, login, create_user, office):
    head = create_user("head", full_name="Barbara Wiśniewska")
    with app.app_context():
        worker = create_user("social_worker", login="sw2", full_name="Magdalena Kowalczyk")
        new = register(worker.id, family_data("Ewa Nowak", "Adam Nowak", "Ola Nowak"))
    login(head)
    page = client.get(f"/families/{new}").get_data(as_text=True)
    assert "Następny krok" in page and "Przydziel asystenta rodziny</a>" in page
    assigned = client.get(f"/families/{office.kowalscy}").get_data(as_text=True)
    assert "Przydziel asystenta rodziny</a>" not in assigned
    # the history of assignments is a list of cards on a phone: each cell says what it is
    assert 'data-label="Do" class="keep-words">nadal</td>' in assigned


def test_the_office_pages_error_summary_names_the_jrwa_class(app, client, login, create_user):
    admin = create_user("admin", full_name="Administrator")
    login(admin)
    page = client.get("/office").get_data(as_text=True)
    data = {name: value for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)}
    data = {k: v for k, v in data.items() if k != "csrf_token"} | {"classes-0-symbol": ""}
    text = _text(client.post("/office", data=data).get_data(as_text=True))
    assert "Popraw następujące błędy" in text
    assert "Asysta rodzinna – wspieranie rodziny (ustawa o wspieraniu rodziny) – Symbol: To pole jest wymagane." in text
    assert "Pozycja 1" not in text
