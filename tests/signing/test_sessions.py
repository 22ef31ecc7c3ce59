"""Signing sessions through the pages: links used once, expiry, cancelling, refused signatures, the locked device."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from service.extensions import db
from service.signing.models import Signature, SigningEvent, SigningSession
from tests.signing.conftest import issue_document, start_remote
from tests.signing.drawing import signature_post, tap_post


def sign_step(tablet, session_id: str, position: int, **extra):
    data = {"position": position, "read_confirmed": "y", **signature_post(), **extra}
    return tablet.post(f"/podpis/{session_id}", data=data)


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_link_opens_the_signing_page_once(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    opened = tablet.get(link)
    assert opened.status_code == 302 and opened.location.endswith(f"/podpis/{session_id}")
    page = tablet.get(opened.location).get_data(as_text=True)
    assert "Potwierdzam zapoznanie się z treścią dokumentu." in page and ">Podpisz</button>" in page
    assert "Anna Kowalska" in page and "Strona 1 z" in page
    # the same device may reload the link; another device is refused with a clear page
    assert tablet.get(link).status_code == 302
    other = app.test_client().get(link)
    assert other.status_code == 410 and "Link został już użyty" in other.get_data(as_text=True)
    stranger = app.test_client().get(f"/podpis/{session_id}")
    assert stranger.status_code == 410


def test_expired_link_is_refused(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    with app.app_context():
        session = db.session.get(SigningSession, session_id)
        session.expires_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
        db.session.commit()
    response = tablet.get(link)
    assert response.status_code == 410 and "Link do podpisu wygasł" in response.get_data(as_text=True)


def test_expired_session_stops_an_opened_page(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    with app.app_context():
        db.session.get(SigningSession, session_id).expires_at = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
        db.session.commit()
    response = sign_step(tablet, session_id, 0)
    assert response.status_code == 410 and "wygasł" in response.get_data(as_text=True)
    assert count(app, Signature) == 0


def test_cancelled_link_is_refused(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    assert staff.post(f"/archive/{doc_id}/signing/{session_id}/cancel").status_code == 302
    response = tablet.get(link)
    assert response.status_code == 410 and "anulowa" in response.get_data(as_text=True)


def test_unknown_code_is_refused(tablet):
    response = tablet.get("/s/ABCD2345")
    assert response.status_code == 410 and "Nie ma takiego linku" in response.get_data(as_text=True)


def test_typed_code_opens_the_link(app, staff, tablet):
    doc_id = issue_document(staff)
    link, _ = start_remote(staff, doc_id)
    code = link.rsplit("/", 1)[1]
    typed = f"{code[:4].lower()}-{code[4:]}"
    response = tablet.post("/s", data={"code": typed})
    assert response.status_code == 302 and response.location.endswith(f"/s/{code}")


def test_tap_and_dot_are_refused(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    response = tablet.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y", **tap_post()})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Podpisz się jeszcze raz" in page
    assert count(app, Signature) == 0
    with app.app_context():
        actions = db.session.execute(select(SigningEvent.action)).scalars().all()
    assert "refused" in actions


def test_reading_must_be_confirmed_and_the_drawing_is_kept(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    response = tablet.post(f"/podpis/{session_id}", data={"position": 0, **signature_post()})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Zaznacz potwierdzenie zapoznania się z treścią dokumentu" in page
    assert "data-restore=" in page  # the signer does not have to draw again
    assert count(app, Signature) == 0


def test_signers_in_order_and_a_step_is_signed_once(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    first = sign_step(tablet, session_id, 0)
    assert first.status_code == 302
    page = tablet.get(first.location).get_data(as_text=True)
    assert "Teraz podpisuje: Jan Kowalski" in page and "Podpis 2 z 2" in page
    again = sign_step(tablet, session_id, 0)  # the first signer presses «Podpisz» twice
    assert again.status_code == 302 and count(app, Signature) == 1
    status = staff.get(f"/archive/{doc_id}/signing/{session_id}/status").get_json()
    assert status["state"] == "partly_signed" and [s["signed"] for s in status["signers"]] == [True, False]


def test_this_device_is_locked_until_the_staff_password(app, staff, tablet, assistant):
    doc_id = issue_document(staff)
    response = staff.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    session_id = response.location.rsplit("/", 1)[1]
    assert f"/podpis/{session_id}" in response.location
    for url in ("/", "/archive", f"/archive/{doc_id}", "/documents/new/family_consent"):
        locked = staff.get(url)
        assert locked.status_code == 302 and locked.location.endswith(f"/podpis/{session_id}"), url
    assert staff.post("/logout").location.endswith(f"/podpis/{session_id}")
    wrong = staff.post(f"/podpis/{session_id}/zakoncz", data={"password": "nie-to-haslo"})
    assert wrong.location.endswith(f"/podpis/{session_id}")
    assert staff.get("/archive").status_code == 302
    right = staff.post(f"/podpis/{session_id}/zakoncz", data={"password": "haslo-" + assistant.login})
    assert right.location.endswith(f"/archive/{doc_id}")
    assert staff.get("/archive").status_code == 200


def test_staff_sign_with_their_password(app, client, create_user, login, tablet):
    head = create_user("head", full_name="Barbara Nowak")
    login(head)
    doc_id = issue_document(client, "assignment_letter")
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    session_id = response.location.rsplit("/", 1)[1]
    page = client.get(f"/podpis/{session_id}").get_data(as_text=True)
    assert "Login pracownika" in page and "Hasło" in page
    wrong = client.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y",
                                                       "login": head.login, "password": "zle"})
    assert wrong.status_code == 422 and "Nieprawidłowy login lub hasło" in wrong.get_data(as_text=True)
    assistant = create_user("assistant")
    not_head = client.post(f"/podpis/{session_id}", data={
        "position": 0, "read_confirmed": "y", "login": assistant.login, "password": "haslo-" + assistant.login})
    # the step named as the document names the head: the test office's „Dyrektor …”
    assert not_head.status_code == 422 and "składa go: Dyrektor Miejskiego" in not_head.get_data(as_text=True)
    done = client.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y",
                                                      "login": head.login, "password": "haslo-" + head.login})
    assert done.status_code == 302
    assert "Dokument został podpisany" in client.get(done.location).get_data(as_text=True)
    assert client.get("/archive").status_code == 200  # the password unlocked the device
    with app.app_context():
        signature = db.session.execute(select(Signature)).scalar_one()
        assert (signature.signer_name, signature.method, signature.image_sha256) == (
            "Barbara Nowak", "staff_password", None)
