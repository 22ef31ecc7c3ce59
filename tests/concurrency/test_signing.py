"""Signing at the same moment over real HTTP: two documents' steps at once, and the same step twice."""
from __future__ import annotations

import datetime as dt
import hashlib
from functools import partial

import requests
from sqlalchemy import func, select

from service import pipeline
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.signing.models import Signature, SignedDocument, SigningSession
from tests.concurrency.conftest import archived_files, browser, burst, send
from tests.helpers import form_data
from tests.signing import scans
from tests.signing.conftest import assistant, issue_document, staff, start_remote, tablet  # noqa: F401
from tests.signing.drawing import signature_post
from tests.signing.test_paper import confirm_page, paper, print_copy, upload

DOCTYPE = DOCUMENT_TYPES["family_consent"]


def step(tablet: requests.Session, base: str, session_id: str, position: int):
    data = {"position": position, "read_confirmed": "y", **signature_post()}
    return send(partial(tablet.post, data=data), f"{base}/podpis/{session_id}")


def first_of_two_signed(app, staff, tablet, doc_id: str):
    """Starts a tablet session for the document and signs its first step: returns the session id,
    the app's pipeline and the sealer's own seal method (for a test to wrap around the last step)."""
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    assert tablet.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y",
                                                      **signature_post()}).status_code == 302
    with app.app_context():
        pipe = pipeline(app)
    return session_id, pipe, pipe.sealer.__class__.seal


def counts(app, session_id: str) -> tuple[list[int], int]:
    with app.app_context():
        positions = sorted(db.session.execute(select(Signature.position).where(
            Signature.session_id == session_id)).scalars())
        signed = db.session.execute(select(func.count()).select_from(SignedDocument).where(
            SignedDocument.session_id == session_id)).scalar_one()
        db.session.remove()
    return positions, signed


def test_two_documents_signed_at_once_and_a_step_sent_twice(app, server, create_user, api_token):
    headers = api_token(create_user("assistant"))
    sessions, tablets = [], []
    for _ in range(2):
        doc = requests.post(f"{server}/api/documents/{DOCTYPE.slug}", json=DOCTYPE.sample_data,
                            headers=headers, timeout=180)
        assert doc.status_code == 201, doc.text[:500]
        started = requests.post(f"{server}/api/documents/{doc.json()['id']}/signing", headers=headers, timeout=60)
        assert started.status_code == 201, started.text[:500]
        tablet = requests.Session()
        opened = tablet.get(started.json()["link"], allow_redirects=False, timeout=60)
        assert opened.status_code == 302
        sessions.append(started.json()["id"])
        tablets.append(tablet)
    a, b = sessions
    for position in (0, 1):  # the second round is the last signer's: assembly and seal
        answers = burst([partial(step, tablets[0], server, a, position),
                         partial(step, tablets[0], server, a, position),  # «Podpisz» pressed twice
                         partial(step, tablets[1], server, b, position)])
        statuses = [x.status for x in answers]
        assert all(s in (200, 302, 409) for s in statuses), [x.body[:300] for x in answers]
        assert statuses[2] == 302  # the other document's signer is not disturbed
        for x in answers:
            if x.status == 409:
                assert "właśnie zapisywany" in x.body.decode()
    for tablet, session_id in zip(tablets, sessions):
        assert counts(app, session_id) == ([0, 1], 1)  # one row per step, one signed version
        done = tablet.get(f"{server}/podpis/{session_id}", timeout=60)  # ended: 410, the clear page
        assert done.status_code == 410 and "Dokument został podpisany" in done.text


def test_a_failed_seal_takes_the_last_signature_back(app, staff, tablet, monkeypatch):
    """The last signature is committed before the seal (so no transaction waits on it): when the seal
    fails, that signature and its files are withdrawn and the signer can simply sign again."""

    app.config["PROPAGATE_EXCEPTIONS"] = False  # the error page a user would see
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    first = {"position": 0, "read_confirmed": "y", **signature_post()}
    assert tablet.post(f"/podpis/{session_id}", data=first).status_code == 302
    files_before = archived_files(app)
    with app.app_context():
        pipe = pipeline(app)
    monkeypatch.setattr(pipe.sealer.__class__, "seal", lambda *a, **k: (_ for _ in ()).throw(OSError("HSM offline")))
    last = {"position": 1, "read_confirmed": "y",
            **signature_post([(100.0 + 5 * i, 120.0 + (i % 7) * 6) for i in range(80)])}
    failed = tablet.post(f"/podpis/{session_id}", data=last)
    assert failed.status_code == 500 and "Nic nie zostało zapisane" in failed.get_data(as_text=True)
    assert counts(app, session_id) == ([0], 0)
    assert archived_files(app) == files_before  # the last signer's image and strokes are gone again
    monkeypatch.undo()
    page = tablet.get(f"/podpis/{session_id}").get_data(as_text=True)
    assert "Podpis 2 z 2" in page
    assert tablet.post(f"/podpis/{session_id}", data=last).status_code == 302
    assert counts(app, session_id) == ([0, 1], 1)


def test_cancelled_while_sealing_stores_no_signed_version(app, staff, tablet, monkeypatch):
    """Staff cancel the session while the last signer's document is being sealed: the cancel wins
    (it does not wait), the signature stays as history like any cancelled session's, and no signed
    version or sealed file is stored."""

    doc_id = issue_document(staff)
    session_id, pipe, real_seal = first_of_two_signed(app, staff, tablet, doc_id)
    sealed = []

    def seal_while_cancelled(self, pdf, **kwargs):
        table = SigningSession.__table__
        with db.engine.begin() as other:  # another staff member's request, on its own connection
            other.execute(table.update().where(table.c.id == session_id)
                          .values(cancelled_at=dt.datetime.now(dt.timezone.utc)))
        sealed.append(real_seal(self, pdf, **kwargs))
        return sealed[-1]

    monkeypatch.setattr(pipe.sealer.__class__, "seal", seal_while_cancelled)
    response = tablet.post(f"/podpis/{session_id}", data={"position": 1, "read_confirmed": "y",
                                                          **signature_post()})
    assert response.status_code == 410 and "anulowa" in response.get_data(as_text=True)
    assert counts(app, session_id) == ([0, 1], 0)
    assert not pipe.store.path(hashlib.sha256(sealed[0]).hexdigest(), "pdf").exists()


def open_sessions_of(app, doc_id: str) -> int:
    with app.app_context():
        still_open = db.session.execute(select(func.count()).select_from(SigningSession).where(
            SigningSession.document_id == doc_id, SigningSession.cancelled_at.is_(None))).scalar_one()
        db.session.remove()
    return still_open


def test_two_starts_of_one_document_leave_one_open_session(app, server, create_user, api_token):
    """Staff start signing the same document at the same moment over the API: exactly one session
    starts (201), every other start is refused with 409 and a Polish message, as when they come one
    after the other; the database's unique index holds it whatever the timing."""
    headers = api_token(create_user("assistant"))
    doc = requests.post(f"{server}/api/documents/{DOCTYPE.slug}", json=DOCTYPE.sample_data,
                        headers=headers, timeout=180)
    assert doc.status_code == 201, doc.text[:500]
    url = f"{server}/api/documents/{doc.json()['id']}/signing"
    answers = burst([partial(send, partial(requests.post, headers=headers), url) for _ in range(4)])
    assert sorted(a.status for a in answers) == [201, 409, 409, 409], [a.body[:300] for a in answers]
    for refused in (a for a in answers if a.status == 409):
        assert "Podpisywanie tego dokumentu" in refused.json()["error"]
    assert open_sessions_of(app, doc.json()["id"]) == 1


def test_two_staff_start_signing_one_document_on_the_web_at_once(app, server, staff, assistant):
    """Two logged-in browsers press «Podpis na innym urządzeniu» for the same document at the same
    moment: one is taken to the QR code, the other back to the document with the Polish message."""
    doc_id = issue_document(staff)
    webs = [browser(server, assistant) for _ in range(2)]
    url = f"{server}/archive/{doc_id}/signing"
    answers = burst([partial(send, partial(web.post, data={"mode": "remote"}, allow_redirects=False), url)
                     for web in webs])
    places = sorted(a.headers["Location"].rstrip("/").rsplit("/", 2)[-2] for a in answers)
    assert [a.status for a in answers] == [302, 302] and places == ["archive", "signing"], places
    refused = next(web for web, a in zip(webs, answers) if a.headers["Location"].endswith(f"/archive/{doc_id}"))
    assert "Podpisywanie tego dokumentu" in refused.get(f"{server}/archive/{doc_id}", timeout=60).text
    assert open_sessions_of(app, doc_id) == 1


def test_paper_scan_confirmed_while_the_last_tablet_signature_is_sealed(app, server, staff, assistant, tablet,
                                                                       monkeypatch):
    """The last signer signs on the tablet; while that document is sealed the session expires and the
    staff member confirms a signed paper scan of the same document over HTTP (the paper way leaves an
    expired session as it is). The paper version came first: the tablet's must not become a second,
    unlinked version in force beside it; the signer is told the session has ended."""
    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    both = ("family_member:0", "family_member:1")
    path, _ = confirm_page(staff, upload(staff, scans.pdf(paper(printed, 150, both), 150), "skan.pdf"))
    session_id, pipe, real_seal = first_of_two_signed(app, staff, tablet, doc_id)
    web, confirmed = browser(server, assistant), []

    def seal_while_paper_confirmed(self, pdf, **kwargs):
        sealed = real_seal(self, pdf, **kwargs)
        if not confirmed:  # the tablet's seal: time passes, then the paper scan is confirmed
            confirmed.append(None)
            table = SigningSession.__table__
            with db.engine.begin() as other:
                other.execute(table.update().where(table.c.id == session_id)
                              .values(expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
            answer = web.post(f"{server}{path}", data={"replaces": ""}, allow_redirects=False, timeout=180)
            confirmed[0] = answer.status_code
        return sealed

    monkeypatch.setattr(pipe.sealer.__class__, "seal", seal_while_paper_confirmed)
    response = tablet.post(f"/podpis/{session_id}", data={"position": 1, "read_confirmed": "y",
                                                          **signature_post()})
    assert confirmed == [303]
    assert response.status_code == 410, response.get_data(as_text=True)[:2000]
    with app.app_context():
        versions = db.session.execute(select(SignedDocument).where(SignedDocument.document_id == doc_id)).scalars().all()
        assert [v.kind for v in versions] == ["paper"]
        db.session.remove()


def test_confirm_pressed_twice_at_once_stores_one_signed_version(app, server, staff, assistant):
    """«Zatwierdź i opatrz pieczęcią» sent three times at the same moment (double clicks, two tabs) over
    HTTP: one signed version, never more; the other clicks are answered without a 500."""
    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    scan = scans.pdf(paper(printed, 150, ("family_member:0", "family_member:1")), 150)
    path, _ = confirm_page(staff, upload(staff, scan, "skan.pdf"))
    webs = [browser(server, assistant) for _ in range(3)]
    answers = burst([partial(send, partial(web.post, data={"replaces": ""}), f"{server}{path}") for web in webs])
    statuses = sorted(a.status for a in answers)
    with app.app_context():
        versions = db.session.execute(select(SignedDocument).where(SignedDocument.document_id == doc_id)).scalars().all()
        db.session.remove()
    assert len(versions) == 1 and statuses[0] == 303, statuses
    # late clicks: told the scan is attached (the document page), or the staged scan is gone; never
    # invited to replace the version with the very same scan
    assert all(s in (302, 303) for s in statuses), [(a.status, a.body[:300]) for a in answers]
    assert not any("W międzyczasie".encode() in a.body for a in answers)


def test_the_family_link_opened_by_several_phones_at_once_gives_one_copy(app, server, staff, tablet):
    """Several phones open the family's one-time link at the same moment over HTTP: exactly one gets
    the signed PDF; the others get the page saying it was used (410), never a second copy or a 500."""
    from tests.signing.test_family_copy import complete, family_link

    _, _, page = complete(app, staff, tablet)
    link = f"{server}{family_link(page)}"
    answers = burst([partial(send, requests.get, link) for _ in range(4)])
    assert sorted(a.status for a in answers) == [200, 410, 410, 410], [a.status for a in answers]
    assert sum(a.body.startswith(b"%PDF") for a in answers) == 1


def test_the_heads_step_signed_on_the_device_and_at_her_desk_at_once(app, server, create_user):
    """The head's acceptance of an assignment letter (its only step) is signed at the same moment on
    the device the social worker handed over and from the head's own session at her desk: one
    signature, one signed version; the other place is told the step is signed (or being sealed)."""
    worker, head = create_user("social_worker"), create_user("head", login="bnowak2", full_name="Barbara Nowak")
    device = browser(server, worker)
    doctype = DOCUMENT_TYPES["assignment_letter"]
    issued = device.post(f"{server}/documents/new/{doctype.slug}", data=form_data(doctype, doctype.sample_data),
                         allow_redirects=False, timeout=180)
    assert issued.status_code == 302, issued.text[:500]
    doc_id = issued.headers["Location"].rsplit("/", 1)[1]
    started = device.post(f"{server}/archive/{doc_id}/signing", data={"mode": "here"}, allow_redirects=False,
                          timeout=60)
    session_id = started.headers["Location"].rsplit("/", 1)[1]
    desk = browser(server, head)
    at_device = {"position": 0, "read_confirmed": "y", "login": head.login, "password": "haslo-" + head.login}
    at_desk = {"position": "0", "read_confirmed": "y", "password": "haslo-" + head.login}
    answers = burst([partial(send, partial(device.post, data=at_device), f"{server}/podpis/{session_id}"),
                     partial(send, partial(desk.post, data=at_desk),
                             f"{server}/archive/{doc_id}/signing/{session_id}/moj-podpis")])
    assert all(a.status in (302, 303, 409, 410) for a in answers), [(a.status, a.body[:300]) for a in answers]
    assert counts(app, session_id) == ([0], 1)
