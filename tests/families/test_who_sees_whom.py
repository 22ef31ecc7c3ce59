"""Who sees whom, attacked from the paths the access matrix does not walk: the seal check of another
family's PDF, and the signing sessions an assistant started once the family is no longer theirs
(reassigned, assignment ended, account turned off)."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest

from tests.helpers import download
from sqlalchemy import select

from service.accounts import manage
from service.accounts.models import User
from service.archive.models import AccessLog
from service.extensions import db
from service.families.assignments import assign_assistant, end_assignment
from service.families.models import Family
from service.signing.models import SigningSession
from tests.families.files import ORIGIN, PESELS, family_data, issue_consent, register
from tests.signing.conftest import LINK

NAMES_B = ("Barbara Wiśniewska", "Piotr Wiśniewski", "Hanna Wiśniewska")


def status(client, url, **kwargs) -> int:
    """The status of a GET, its response closed (a file response holds the archived file open)."""
    response = client.get(url, **kwargs)
    response.close()
    return response.status_code


@dataclass
class Office:
    users: dict[str, User]
    family_a: int
    family_b: int
    doc_a: str
    doc_b: str
    sign_b: str


@pytest.fixture
def office(app, create_user) -> Office:
    """Families A (assistant1, social_worker1) and B (assistant2, social_worker2), each with a consent
    issued by its assistant; the head, the archivist, the dpo and the admin."""
    users = {name: create_user(role, login=f"{name}_x") for name, role in (
        ("head", "head"), ("assistant1", "assistant"), ("assistant2", "assistant"), ("worker1", "social_worker"),
        ("worker2", "social_worker"), ("archivist", "archivist"), ("dpo", "dpo"), ("admin", "admin"))}
    with app.test_request_context():
        family_a = register(users["head"].id, family_data("Anna Kowalska", "Jan Kowalski", "Zofia Kowalska"),
                            social_worker="worker1_x", assistant_id=users["assistant1"].id)
        family_b = register(users["head"].id, family_data(*NAMES_B, pesels=PESELS[1]), social_worker="worker2_x",
                            assistant_id=users["assistant2"].id)
        doc_a = issue_consent(users["assistant1"].id, family_a)
        doc_b = issue_consent(users["assistant2"].id, family_b)
        sign_b = db.session.get(Family, family_b).case.sign
    return Office(users, family_a, family_b, doc_a, doc_b, sign_b)


def client_of(app, user: User, n: int):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n}"
    response = client.post("/login", data={"login": user.login, "password": "haslo-" + user.login})
    assert response.status_code == 302
    return client


def log_rows(app, user_id: int) -> list[tuple[str, int | None]]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(select(AccessLog.action, AccessLog.family_id)
                                                     .where(AccessLog.user_id == user_id).order_by(AccessLog.id)).all()]


def test_the_seal_check_names_another_familys_document_only_to_those_who_may_read_it(app, office):
    """/verify with family B's PDF: the seal is checked for anyone (the file is theirs to hold), and
    everyone learns that the archive holds the file; its title, case sign and id only the staff who
    may read the document (the head, the archivist, B's assistant), and their check is logged as a
    read of family B. Another family's assistant or social worker, the dpo and the admin learn nothing
    of B's file from the archive, and no log row of theirs names B."""
    head = client_of(app, office.users["head"], 1)
    response, pdf = download(head, f"/archive/{office.doc_b}/pdf")
    for n, name in enumerate(("head", "archivist", "assistant2", "assistant1", "worker1", "dpo", "admin"), start=2):
        user = office.users[name]
        response = client_of(app, user, n).post("/verify", data={"file": (io.BytesIO(pdf), "b.pdf")},
                                                content_type="multipart/form-data")
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "Pieczęć nienaruszona" in text, name
        assert "plik jest w archiwum urzędu" in text or f"sprawa {office.sign_b}" in text, name
        if name in ("head", "archivist", "assistant2"):
            assert f"sprawa {office.sign_b}, id {office.doc_b}" in text, name
            assert ("verify", office.family_b) in log_rows(app, user.id), name
        else:
            found = [v for v in (office.sign_b, office.doc_b, "Zgoda rodziny", *NAMES_B) if v in text]
            assert found == [], (name, found)
            assert "plik jest w archiwum urzędu" in text, name
            assert all(family != office.family_b for _, family in log_rows(app, user.id)), name


def start_here(client, doc_id: str) -> str:
    """Starts signing on this browser (the device locked to the document); returns the session's id."""
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    assert response.status_code == 302 and "/podpis/" in response.location, response.get_data(as_text=True)[:500]
    return response.location.rstrip("/").rsplit("/", 1)[1]


def start_remote(client, doc_id: str) -> str:
    """Starts signing on another device; returns the one-time link's path."""
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "remote"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    match = LINK.search(client.get(response.location).get_data(as_text=True))
    assert match
    return match.group(1).removeprefix("http://localhost")


def reassign_b(app, office) -> None:
    """The head moves family B from assistant2 to assistant1 from today (assistant2's assignment ends)."""
    with app.test_request_context():
        assign_assistant(db.session, db.session.get(User, office.users["head"].id), ORIGIN,
                         db.session.get(Family, office.family_b), db.session.get(User, office.users["assistant1"].id),
                         dt.date.today())


def end_b_next_week(app, office) -> None:
    """The head ends assistant2's assignment to family B a week from now (no one assigned after)."""
    with app.test_request_context():
        end_assignment(db.session, db.session.get(User, office.users["head"].id), ORIGIN,
                       db.session.get(Family, office.family_b), dt.date.today() + dt.timedelta(days=7))


def deactivate_assistant2(app, office) -> None:
    with app.app_context():
        manage.deactivate(db.session.get(User, office.users["assistant2"].id),
                          db.session.get(User, office.users["admin"].id))
        db.session.commit()


@pytest.mark.parametrize("lose_access", [reassign_b, deactivate_assistant2])
def test_signing_sessions_end_when_their_starter_loses_the_family(app, office, lose_access):
    """assistant2 started signing family B's consent on his own browser (locked to the document),
    and a one-time link for a second B document; once B is not his (reassigned, or the account turned off;
    an assignment ending on a later day keeps the family his until that day: families.access) neither shows B's document any more:
    the locked browser's PDF and page images and the link answer the "cancelled" page (410), the
    sessions are cancelled in the trail, and whoever has B now may start signing the document."""
    with app.test_request_context():
        second_b = issue_consent(office.users["assistant2"].id, office.family_b)
    assistant2 = client_of(app, office.users["assistant2"], 2)
    link = start_remote(assistant2, second_b)
    session_id = start_here(assistant2, office.doc_b)
    assert status(assistant2, f"/podpis/{session_id}/dokument.pdf") == 200

    lose_access(app, office)

    for path in (f"/podpis/{session_id}/dokument.pdf", f"/podpis/{session_id}/strona/1.png", f"/podpis/{session_id}"):
        response = assistant2.get(path)
        assert response.status_code == 410, (path, response.status_code)
        assert not any(name in response.get_data(as_text=True) for name in NAMES_B), path
    phone = app.test_client()
    response = phone.get(link, follow_redirects=True)
    assert response.status_code == 410 and not any(name in response.get_data(as_text=True) for name in NAMES_B)
    with app.app_context():
        states = {s.document_id: s.state() for s in db.session.execute(select(SigningSession)).scalars()}
    assert states == {office.doc_b: "cancelled", second_b: "cancelled"}
    head = client_of(app, office.users["head"], 3)
    assert "/podpis/" in head.post(f"/archive/{office.doc_b}/signing", data={"mode": "here"}).location


def test_a_new_assistant_may_start_signing_a_document_the_old_one_left_open(app, office):
    """Nobody touched the old session after the reassignment: the new assistant's start closes it
    (its starter no longer has the family) instead of being refused as "already open"."""
    assistant2 = client_of(app, office.users["assistant2"], 2)
    start_remote(assistant2, office.doc_b)
    reassign_b(app, office)
    assistant1 = client_of(app, office.users["assistant1"], 3)
    response = assistant1.post(f"/archive/{office.doc_b}/signing", data={"mode": "remote"})
    assert response.status_code == 302 and "/signing/" in response.location, response.get_data(as_text=True)[:500]


def test_the_change_forms_log_their_read_of_the_file(app, office):
    """A change form shows the file's current values (the address, a member's PESEL, the basis, the
    staff): opening it, or getting it back with errors, is a read of the family's file, logged with
    the family like the family's page."""
    with app.app_context():
        member = db.session.get(Family, office.family_a).members[0].id
    head = client_of(app, office.users["head"], 2)
    base = f"/families/{office.family_a}"
    pages = ("/address", "/basis", "/social-worker", "/assign", "/members/new", f"/members/{member}",
             f"/members/{member}/left")
    for path in pages:
        before = len(log_rows(app, office.users["head"].id))
        response = head.get(base + path)
        assert response.status_code == 200, path
        assert ("view", office.family_a) in log_rows(app, office.users["head"].id)[before:], path
    before = len(log_rows(app, office.users["head"].id))
    assert head.post(base + "/assign/end", data={"end_date": "zle"}).status_code == 422
    assert ("view", office.family_a) in log_rows(app, office.users["head"].id)[before:]


def test_the_document_forms_case_choice_is_logged_as_a_list_of_families(app, office):
    """The case choice of a document's form names the families the staff member may read (case
    signs and members): logged as the start page's list of families is, and only their families."""
    assistant1 = client_of(app, office.users["assistant1"], 2)
    before = len(log_rows(app, office.users["assistant1"].id))
    text = assistant1.get("/documents/new/family_consent").get_data(as_text=True)
    assert "Anna Kowalska" in text and not any(name in text for name in NAMES_B) and office.sign_b not in text
    assert ("list", None) in log_rows(app, office.users["assistant1"].id)[before:]


def test_after_a_reassignment_the_old_assistant_reads_nothing_of_the_family(app, office, api_token):
    """assistant2 staged a scan of B's consent and holds an API token; B moves to assistant1 from
    today: at once B's page, document, staged scan (its page and preview) and the API answer as if
    they did not exist, and assistant1 reads them; assistant2's token still works for what is his."""
    from service.signing import staged_scans
    from tests.web.test_access_matrix import _preview

    with app.test_request_context():
        token = staged_scans.stage(b"%PDF-1.4 staged", ext="pdf", user_id=office.users["assistant2"].id,
                                   document_id=office.doc_b, chosen_by_hand=True, ok=False, problems=["(test)"],
                                   places=[], previews=[_preview()]).token
    assistant2, bearer = client_of(app, office.users["assistant2"], 2), api_token(office.users["assistant2"])
    assert status(assistant2, f"/scans/{token}") == 200
    reassign_b(app, office)
    for path in (f"/families/{office.family_b}", f"/archive/{office.doc_b}", f"/scans/{token}/strona/1.jpg"):
        assert status(assistant2, path) == 404, path
    response = assistant2.get(f"/scans/{token}")
    assert response.status_code == 302 and response.location.endswith("/scans")
    for path in (f"/api/families/{office.family_b}", f"/api/documents/{office.doc_b}"):
        assert status(assistant2, path, headers=bearer) == 404, path
    listed = assistant2.get("/api/families", headers=bearer).get_json()["families"]
    assert listed == []
    assistant1 = client_of(app, office.users["assistant1"], 3)
    assert status(assistant1, f"/families/{office.family_b}") == 200
