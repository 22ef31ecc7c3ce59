"""The signing device's access ends with its session (issue 8, finding 3; OWASP ASVS 4.0.3 V3 and V8).

After completion, cancellation or expiry every device address answers 410 and never the PDF or
the page images, also to a copy of the device cookie; the cookie is bound to its session and dies
with it; a tablet locked to one family's document shows nothing of an earlier family's; the
one-time code is never in the staff member's session cookie; a link is claimed by one device only.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import partial
from http.cookies import SimpleCookie

import requests
from sqlalchemy import select

from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.signing.models import SigningEvent, SigningSession
from tests.concurrency.conftest import burst, send, serve
from tests.helpers import download
from tests.signing.conftest import LINK, issue_document, start_remote
from tests.signing.drawing import signature_post

PDF_MAGIC = b"%PDF"
PNG_MAGIC = b"\x89PNG"


def device_cookie(client, session_id: str):
    """The device cookie this test client holds for the session, or None."""
    return client.get_cookie(f"asysta_device_{session_id[:12]}")


def addresses(session_id: str) -> list[str]:
    """Every address of a signing device that shows the family's document."""
    return [f"/podpis/{session_id}", f"/podpis/{session_id}/dokument.pdf", f"/podpis/{session_id}/strona/1.png"]


def copy_of(app, session_id: str, value: str):
    """A fresh client holding a copy of a device cookie (as copied to another browser)."""
    other = app.test_client()
    other.set_cookie(f"asysta_device_{session_id[:12]}", value)
    return other


def assert_gone(client, session_id: str, heading: str) -> None:
    """Every device address answers the clear 410 page, never the PDF or a page image."""
    for url in addresses(session_id):
        response = client.get(url, buffered=True)
        body = response.get_data()
        assert response.status_code == 410, (url, response.status_code)
        assert not body.startswith(PDF_MAGIC) and not body.startswith(PNG_MAGIC), url
        assert heading in response.get_data(as_text=True), url
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def claimed(app, staff, tablet, slug: str = "family_consent") -> tuple[str, str, str]:
    """A document whose link the tablet has opened: (document id, session id, device cookie value)."""
    doc_id = issue_document(staff, slug)
    link, session_id = start_remote(staff, doc_id)
    assert tablet.get(link).status_code == 302
    cookie = device_cookie(tablet, session_id)
    assert cookie is not None
    # while the session is open, the device sees the document, and nothing of it is stored
    for url in addresses(session_id):
        response = tablet.get(url, buffered=True)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store" and response.headers["Pragma"] == "no-cache", url
        assert "ETag" not in response.headers, url
    return doc_id, session_id, cookie.value


def sign(tablet, session_id: str, position: int):
    return tablet.post(f"/podpis/{session_id}", data={"position": position, "read_confirmed": "y",
                                                      **signature_post()})


def test_device_cookie_after_completion(app, staff, tablet):
    _, session_id, value = claimed(app, staff, tablet)
    assert sign(tablet, session_id, 0).status_code == 302
    last = sign(tablet, session_id, 1)
    assert last.status_code == 302
    # the session has ended: every address answers its end page, which offers this device (and no
    # other) the family's copy; the cookie opens nothing else and is kept only while it is offered
    done = tablet.get(f"/podpis/{session_id}")
    page = done.get_data(as_text=True)
    assert done.status_code == 410 and "Dokument został podpisany" in page and "Kopia dla rodziny" in page
    assert "Anna Kowalska" not in page  # nothing of the family on a page anyone may reload
    assert_gone(tablet, session_id, "Dokument został podpisany")
    assert_gone(copy_of(app, session_id, value), session_id, "Dokument został podpisany")
    stranger = app.test_client().get(f"/podpis/{session_id}").get_data(as_text=True)
    assert "Dokument został podpisany" in stranger and "Kopia dla rodziny" not in stranger
    link = re.search(r'id="family-link"[^>]*>http://localhost(/k/[A-Z2-9]{10})<', page).group(1)
    taken, pdf = download(app.test_client(), link)
    assert taken.status_code == 200 and pdf.startswith(PDF_MAGIC)  # the family has taken their copy
    after = tablet.get(f"/podpis/{session_id}")
    assert "Kopia dla rodziny" not in after.get_data(as_text=True)
    assert device_cookie(tablet, session_id) is None  # deleted once the copy is no longer offered


def test_device_cookie_after_cancellation(app, staff, tablet):
    doc_id, session_id, value = claimed(app, staff, tablet)
    assert sign(tablet, session_id, 0).status_code == 302
    assert staff.post(f"/archive/{doc_id}/signing/{session_id}/cancel").status_code == 302
    copy = copy_of(app, session_id, value)
    assert_gone(tablet, session_id, "Podpisywanie anulowane")
    assert device_cookie(tablet, session_id) is None  # deleted by the first answer after the end
    assert_gone(copy, session_id, "Podpisywanie anulowane")


def test_device_cookie_after_expiry(app, staff, tablet):
    _, session_id, value = claimed(app, staff, tablet)
    with app.app_context():
        db.session.get(SigningSession, session_id).expires_at = (
            dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1))
        db.session.commit()
    assert_gone(copy_of(app, session_id, value), session_id, "Link do podpisu wygasł")
    assert_gone(tablet, session_id, "Link do podpisu wygasł")
    assert device_cookie(tablet, session_id) is None


def test_device_cookie_lives_no_longer_than_its_session(app, staff):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    opened = app.test_client().get(link)
    cookie = SimpleCookie(opened.headers["Set-Cookie"])[f"asysta_device_{session_id[:12]}"]
    with app.app_context():
        session = db.session.get(SigningSession, session_id)
        left = (session.expires_at.replace(tzinfo=dt.timezone.utc)
                - dt.datetime.now(dt.timezone.utc)).total_seconds()
    assert 0 < int(cookie["max-age"]) <= left + 1
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    # started on this device: the lock's cookie ends with the session as well
    here = staff.post(f"/archive/{issue_document(staff)}/signing", data={"mode": "here"})
    here_id = here.location.rsplit("/", 1)[1]
    max_age = int(SimpleCookie(here.headers["Set-Cookie"])[f"asysta_device_{here_id[:12]}"]["max-age"])
    assert max_age <= app.config["SIGNING_HERE_MINUTES"] * 60


def test_a_cookie_of_one_session_never_opens_another(app, staff, tablet):
    _, a_id, a_value = claimed(app, staff, tablet)
    b_link, b_id = start_remote(staff, issue_document(staff))
    app.test_client().get(b_link)  # B is held by another tablet
    # A's secret under B's name, and A's cookie as it is: neither opens B
    forged = copy_of(app, b_id, a_value)
    for url in addresses(b_id):
        response = forged.get(url, buffered=True)
        assert response.status_code == 410 and "Link został już użyty" in response.get_data(as_text=True), url
        response = tablet.get(url, buffered=True)
        assert response.status_code == 410 and not response.get_data().startswith(PDF_MAGIC), url
    with app.app_context():
        stored = db.session.get(SigningSession, a_id).device_sha256
    assert a_value not in stored  # kept only hashed


def test_a_locked_tablet_shows_nothing_of_an_earlier_family(app, staff, assistant):
    """One tablet, logged in as the staff member: family A opened their link on it and did not
    finish; then the tablet is locked to family B's document. B cannot open A's document."""
    a_link, a_id = start_remote(staff, issue_document(staff))
    assert staff.get(a_link).status_code == 302
    a_value = device_cookie(staff, a_id).value
    b_doc = issue_document(staff)
    locked = staff.post(f"/archive/{b_doc}/signing", data={"mode": "here"})
    b_id = locked.location.rsplit("/", 1)[1]
    # binding the tablet to B removed A's cookie
    assert device_cookie(staff, a_id) is None and device_cookie(staff, b_id) is not None
    # even with A's cookie put back, the tablet shows only B's session
    staff.set_cookie(f"asysta_device_{a_id[:12]}", a_value)
    for url in addresses(a_id) + [a_link, "/s"]:
        response = staff.get(url, buffered=True)
        assert response.status_code in (302, 410), (url, response.status_code)
        assert not response.get_data().startswith(PDF_MAGIC) and not response.get_data().startswith(PNG_MAGIC)
        if response.status_code == 302:
            assert response.location.endswith(f"/podpis/{b_id}"), url
    assert staff.get(f"/podpis/{b_id}/dokument.pdf", buffered=True).get_data().startswith(PDF_MAGIC)
    # A's session is untouched by this: its own tablet would still go on
    assert copy_of(app, a_id, a_value).get(f"/podpis/{a_id}").status_code == 200
    # unlocked by the staff member's password, the device is theirs again
    right = staff.post(f"/podpis/{b_id}/zakoncz", data={"password": "haslo-" + assistant.login})
    assert right.location.endswith(f"/archive/{b_doc}")


def test_zakoncz_of_an_ended_session_answers_410(app, staff, tablet):
    doc_id, session_id, value = claimed(app, staff, tablet)
    assert staff.post(f"/archive/{doc_id}/signing/{session_id}/cancel").status_code == 302
    response = copy_of(app, session_id, value).post(f"/podpis/{session_id}/zakoncz", data={"password": "x"})
    assert response.status_code == 410 and "anulowa" in response.get_data(as_text=True)


def session_cookie_data(app, client) -> dict:
    """What the staff member's Flask session cookie carries, decoded as the app reads it."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_the_code_is_not_in_the_session_cookie(app, staff, create_user, login):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)  # the handoff page shows the link and its code
    code = link.rsplit("/", 1)[1]
    data = session_cookie_data(app, staff)
    assert "signing_codes" not in data
    assert code not in repr(data) and f"{code[:4]}-{code[4:]}" not in repr(data)
    with app.app_context():
        row = db.session.execute(select(SigningSession.__table__).where(
            SigningSession.id == session_id)).mappings().one()
    assert all(code not in str(value) for value in row.values())  # neither in clear in the database
    # shown again to the staff member who started it, as long as the link is unclaimed
    page = staff.get(f"/archive/{doc_id}/signing/{session_id}").get_data(as_text=True)
    assert LINK.search(page).group(1).endswith(code) and f"{code[:4]}-{code[4:]}" in page
    # not to another staff member who may see the document
    head = app.test_client()
    user = create_user("head")
    assert head.post("/login", data={"login": user.login, "password": "haslo-" + user.login}).status_code == 302
    other = head.get(f"/archive/{doc_id}/signing/{session_id}").get_data(as_text=True)
    assert code not in other and "Link i kod widzi tylko osoba, która rozpoczęła podpisywanie" in other
    # claimed: gone from the page and from the database
    assert app.test_client().get(link).status_code == 302
    page = staff.get(f"/archive/{doc_id}/signing/{session_id}").get_data(as_text=True)
    assert code not in page and "Link został otwarty" in page
    with app.app_context():
        assert db.session.get(SigningSession, session_id).code_sealed is None


def test_twenty_first_openings_of_one_link_at_once(app, staff):
    """20 devices open the same link at the same moment over real HTTP: one gets the session."""
    link, session_id = start_remote(staff, issue_document(staff))
    httpd, base = serve(app)
    try:
        devices = [requests.Session() for _ in range(20)]
        answers = burst([partial(send, device.get, base + link) for device in devices])
        winners = [i for i, a in enumerate(answers) if a.status == 302]
        assert len(winners) == 1, [a.status for a in answers]
        assert answers[winners[0]].headers["Location"].endswith(f"/podpis/{session_id}")
        assert f"asysta_device_{session_id[:12]}" in answers[winners[0]].headers["Set-Cookie"]
        for i, answer in enumerate(answers):
            if i != winners[0]:
                assert answer.status == 410, answer.body[:300]
                assert "Link został już użyty" in answer.body.decode(), answer.body[:300]
                assert "Set-Cookie" not in answer.headers or "asysta_device_" not in answer.headers["Set-Cookie"]
        # the winner's cookie opens the page; another device's does not
        winner = devices[winners[0]]
        assert winner.get(f"{base}/podpis/{session_id}", timeout=60).status_code == 200
        assert devices[winners[0] - 1].get(f"{base}/podpis/{session_id}", timeout=60).status_code == 410
    finally:
        httpd.shutdown()
    with app.app_context():
        actions = db.session.execute(select(SigningEvent.action).where(
            SigningEvent.session_id == session_id)).scalars().all()
        db.session.remove()
    assert actions.count("link_opened") == 1 and actions.count("link_reused") == 19


def test_closed_answers_are_not_stored(tablet):
    response = tablet.get("/s/ABCD2345")
    assert response.status_code == 410 and "Nie ma takiego linku" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Pragma"] == "no-cache"


def test_the_api_qr_of_a_claimed_link_is_gone(app, client, create_user, api_token, tablet):
    headers = api_token(create_user("assistant"))
    doc = client.post("/api/documents/family_consent", json=DOCUMENT_TYPES["family_consent"].sample_data,
                      headers=headers)
    assert doc.status_code == 201, doc.get_json()
    started = client.post(f"/api/documents/{doc.get_json()['id']}/signing", headers=headers)
    assert started.status_code == 201 and started.headers["Cache-Control"] == "no-store"
    qr = started.get_json()["qr"].removeprefix("http://localhost")
    first = client.get(qr, headers=headers, buffered=True)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    assert tablet.get(started.get_json()["link"].removeprefix("http://localhost")).status_code == 302
    assert client.get(qr, headers=headers, buffered=True).status_code == 404


def test_guessing_link_codes_is_throttled_per_address(app, staff, tablet):
    """Signing-link codes are checked like passwords (OWASP ASVS 4.0.3 V2.2.1): from one address the
    sixth wrong code within the hour is answered 429 with the time to come back, and nothing is
    given — not even for a right code; another address is not held up. Right codes are not counted
    (twenty devices behind one office address may open links at once)."""
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    for digit in "23456":
        answer = guesser.get(f"/s/ZZZZZZZ{digit}")
        assert answer.status_code == 410 and "Nie ma takiego linku" in answer.get_data(as_text=True)
    answer = guesser.get(link)
    assert answer.status_code == 429, answer.status_code
    assert "Zbyt wiele nieudanych prób. Spróbuj ponownie po " in answer.get_data(as_text=True)
    assert int(answer.headers["Retry-After"]) >= 1
    assert device_cookie(guesser, session_id) is None

    tablet.environ_base["REMOTE_ADDR"] = "203.0.113.9"  # the family's tablet, elsewhere
    answer = tablet.get(link)
    assert answer.status_code == 302 and device_cookie(tablet, session_id) is not None
