"""A staff step signed from the staff member's own logged-in session (signing.staff_views.own_step):
the assistant signs the monthly family report on her device, the head accepts it at her own desk
with her password, and the head's start page lists what waits for her signature."""
from __future__ import annotations

from sqlalchemy import select

from service.accounts.models import User
from service.archive.models import AccessLog, DocumentRecord
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.signing.models import Signature, SignedDocument, SigningSession
from tests.families.visits import make_office, visit
from tests.helpers import form_data

REPORT = DOCUMENT_TYPES["monthly_family_report"]
WAITING = "Czekają na Twój podpis"


def logged_in(app, user_id: int):
    """A browser of its own logged in as this staff member."""
    with app.app_context():
        login = db.session.get(User, user_id).login
    web = app.test_client()
    assert web.post("/login", data={"login": login, "password": "haslo-" + login}).status_code == 302
    return web


def issued_report_signed_by_the_assistant(app, create_user):
    """Anna issues the November report of the Kowalscy, starts signing on her device and signs her
    own step there with her password. Returns (office, head, her device, document id, session id)."""
    office = make_office(app, create_user)
    head = create_user("head", login="bnowak", full_name="Barbara Nowak")
    with app.app_context():
        visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30")
    device = logged_in(app, office.anna)
    values = {"month": "2026-11", "family_name": "Anna Kowalska, Jan Kowalski", "assistant_name": "Anna Nowak",
              "contacts_count": 1, "contact_dates": "4 listopada 2026 r.", "next_month_plan": "Dalsza praca."}
    issued = device.post(f"/families/{office.kowalscy}/documents/new/monthly_family_report",
                         data=form_data(REPORT, values))
    assert issued.status_code == 302, issued.get_data(as_text=True)[:2000]
    doc_id = issued.location.rsplit("/", 1)[1]
    started = device.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    session_id = started.location.rsplit("/", 1)[1]
    own = device.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y",
                                                    "login": "anowak", "password": "haslo-anowak"})
    assert own.status_code == 302
    return office, head, device, doc_id, session_id


def signatures(app, session_id: str) -> list[tuple[str, int | None, str]]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(Signature.slot, Signature.staff_user_id, Signature.method)
            .where(Signature.session_id == session_id).order_by(Signature.position))]


def test_the_head_accepts_the_report_from_her_own_session(app, create_user):
    office, head, device, doc_id, session_id = issued_report_signed_by_the_assistant(app, create_user)
    desk = logged_in(app, head.id)
    start = desk.get("/").get_data(as_text=True)
    step_url = f"/archive/{doc_id}/signing/{session_id}/moj-podpis"
    assert WAITING in start and step_url in start and REPORT.title in start
    with app.app_context():
        sign = db.session.get(DocumentRecord, doc_id).case.sign
        assert db.session.execute(select(AccessLog).where(
            AccessLog.user_id == head.id, AccessLog.detail == "start: czekają na Twój podpis (1)")).scalar_one()
    assert sign in start
    page = desk.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert "Podpisywanie czeka na Twój podpis" in page and step_url in page
    assert desk.get(step_url).status_code == 200
    wrong = desk.post(step_url, data={"position": "1", "read_confirmed": "y", "password": "zle-haslo"})
    assert wrong.status_code == 422 and "Nieprawidłowe hasło – podpis nie został złożony." in wrong.get_data(as_text=True)
    unread = desk.post(step_url, data={"position": "1", "password": "haslo-bnowak"})
    assert unread.status_code == 422 and "Zaznacz potwierdzenie" in unread.get_data(as_text=True)
    assert len(signatures(app, session_id)) == 1
    done = desk.post(step_url, data={"position": "1", "read_confirmed": "y", "password": "haslo-bnowak"})
    assert done.status_code == 303 and done.location.endswith(f"/archive/{doc_id}")
    assert "opatrzona pieczęcią i zarchiwizowana" in desk.get(done.location).get_data(as_text=True)
    assert signatures(app, session_id) == [("assistant:0", office.anna, "staff_password"),
                                           ("head_acceptance:0", head.id, "staff_password")]
    with app.app_context():
        version = db.session.execute(select(SignedDocument).where(SignedDocument.document_id == doc_id)).scalar_one()
        assert version.kind == "tablet" and [s["name"] for s in version.signers] == ["Anna Nowak", "Barbara Nowak"]
        assert db.session.get(SigningSession, session_id).state() == "complete"
    pdf = desk.get(f"/archive/{doc_id}/signed/{version.id}.pdf")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
    pdf.close()
    again = desk.get("/").get_data(as_text=True)
    assert WAITING in again and step_url not in again and "Żaden dokument nie czeka teraz na Twój podpis." in again
    # the step signed already: a second press is told so, nothing is signed twice
    twice = desk.post(step_url, data={"position": "1", "read_confirmed": "y", "password": "haslo-bnowak"})
    assert twice.status_code == 303 and len(signatures(app, session_id)) == 2
    assert device.get(f"/podpis/{session_id}").status_code == 410  # the device's page: signed


def test_only_the_head_signs_the_heads_step_from_her_session(app, create_user):
    office, head, device, doc_id, session_id = issued_report_signed_by_the_assistant(app, create_user)
    step_url = f"/archive/{doc_id}/signing/{session_id}/moj-podpis"
    post = {"position": "1", "read_confirmed": "y"}
    anna = logged_in(app, office.anna)  # the family's own assistant: not her step
    assert anna.get(step_url).status_code == 403
    assert anna.post(step_url, data=post | {"password": "haslo-anowak"}).status_code == 403
    assert WAITING not in anna.get("/").get_data(as_text=True) or step_url not in anna.get("/").get_data(as_text=True)
    ewa = logged_in(app, office.ewa)  # another family's assistant: the document does not exist for her
    assert ewa.post(step_url, data=post | {"password": "haslo-elis"}).status_code == 404
    coordinator = logged_in(app, office.coordinator)  # reads every family, signs no step
    assert coordinator.post(step_url, data=post | {"password": "haslo-koord"}).status_code == 403
    assert "Podpisywanie czeka na Twój podpis" not in anna.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert len(signatures(app, session_id)) == 1
    # a head (the only role reading every family that signs this step) still can
    desk = logged_in(app, head.id)
    assert desk.post(step_url, data=post | {"password": "haslo-bnowak"}).status_code == 303
    assert len(signatures(app, session_id)) == 2
