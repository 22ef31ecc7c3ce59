"""Passwords typed on the signing pages (issue 8, OWASP ASVS 4.0.3 V2.2.1): a staff member's step and
the unlock form of a locked tablet answer alike for an unknown login, a wrong password and a wrong
role, and are throttled with the login page's counters."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from service.archive.models import AccessLog
from service.extensions import db
from service.signing.models import Signature
from tests.signing.conftest import issue_document

WAIT = "Zbyt wiele nieudanych prób. Spróbuj ponownie po 14:19."


def errors(response) -> list[str]:
    return re.findall(r'<p class="error" id="(?:login|password)-error"[^>]*>([^<]+)</p>', response.get_data(as_text=True))


def staff_step_here(client, login, head) -> str:
    """An assignment letter issued by `head`, signing started on this browser; the session id."""
    login(head)
    doc_id = issue_document(client, "assignment_letter")
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    return response.location.rsplit("/", 1)[1]


def staff_step(client, session_id: str, login: str, password: str):
    return client.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y",
                                                      "login": login, "password": password})


def test_the_staff_step_answers_alike_for_unknown_login_wrong_password_and_wrong_role(
        app, client, create_user, login, clock):
    head = create_user("head", full_name="Barbara Nowak")
    assistant = create_user("assistant")
    session_id = staff_step_here(client, login, head)
    answers = [staff_step(client, session_id, "nikt-taki", "jakies-haslo"),
               staff_step(client, session_id, head.login, "zle-haslo"),
               staff_step(client, session_id, assistant.login, "haslo-" + assistant.login)]
    assert {r.status_code for r in answers} == {422}
    # the head named by the office's title, as the document's signature names her (signing.trail.role_name)
    assert errors(answers[0]) == errors(answers[1]) == errors(answers[2]) == [
        "Nieprawidłowy login lub hasło albo to konto nie składa tego podpisu (składa go: "
        "Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu)."]
    with app.app_context():
        details = db.session.execute(select(AccessLog.detail).where(AccessLog.action == "login_failed")
                                     .order_by(AccessLog.id)).scalars().all()
    assert [d.rsplit("; ", 1)[1] for d in details] == ["nieznany login", "złe hasło", "rola bez tego uprawnienia"]
    assert all("podpis pracownika" in d for d in details)


def test_the_staff_step_is_throttled_with_the_login_pages_counter(app, client, create_user, login, clock):
    head = create_user("head", full_name="Barbara Nowak")
    session_id = staff_step_here(client, login, head)
    for _ in range(5):
        assert staff_step(client, session_id, head.login, "zle-haslo").status_code == 422
    blocked = staff_step(client, session_id, head.login, "haslo-" + head.login)
    assert blocked.status_code == 422 and errors(blocked) == [WAIT]
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Signature)).scalar_one() == 0
    # The same counter as the login page: guessing here locks the login there too.
    other = app.test_client()
    page = other.post("/login", data={"login": head.login, "password": "haslo-" + head.login})
    assert page.status_code == 429 and WAIT in page.get_data(as_text=True)
    clock.advance(minutes=2)
    assert staff_step(client, session_id, head.login, "haslo-" + head.login).status_code == 302
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Signature)).scalar_one() == 1


def test_the_unlock_form_is_throttled(app, staff, assistant, clock):
    doc_id = issue_document(staff)
    session_id = staff.post(f"/archive/{doc_id}/signing", data={"mode": "here"}).location.rsplit("/", 1)[1]
    for _ in range(5):
        wrong = staff.post(f"/podpis/{session_id}/zakoncz", data={"password": "zle-haslo"})
        assert wrong.location.endswith(f"/podpis/{session_id}")
        assert "Nieprawidłowe hasło – urządzenie pozostaje zablokowane" in staff.get(wrong.location).get_data(as_text=True)
    blocked = staff.post(f"/podpis/{session_id}/zakoncz", data={"password": "haslo-" + assistant.login})
    assert blocked.location.endswith(f"/podpis/{session_id}")
    assert WAIT in staff.get(blocked.location).get_data(as_text=True)
    assert staff.get("/archive").location.endswith(f"/podpis/{session_id}")  # still locked
    with app.app_context():
        failed = db.session.execute(select(AccessLog).where(AccessLog.action == "login_failed")).scalars().all()
        assert len(failed) == 5 and all("odblokowanie urządzenia; złe hasło" in r.detail for r in failed)
    # The tablet stayed with the family longer than the idle time: being locked, its staff session
    # did not end, and the right password after the wait unlocks it and restarts the idle clock.
    clock.advance(minutes=45)
    right = staff.post(f"/podpis/{session_id}/zakoncz", data={"password": "haslo-" + assistant.login})
    assert right.location.endswith(f"/archive/{doc_id}")
    assert staff.get("/archive").status_code == 200


def test_the_staff_sessions_know_the_locked_devices_key():
    # accounts/sessions.py spares a browser locked to a signing session the idle timeout by this key.
    from service.accounts.sessions import KIOSK_KEY
    from service.signing.device_views import KIOSK

    assert KIOSK_KEY == KIOSK
