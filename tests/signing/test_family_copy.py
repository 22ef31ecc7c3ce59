"""After signing: the family's one-time copy (/k/<code>), the document page led by the signed version,
one open session at a time, and the evidence page naming the staff and listing the session's events."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service import pipeline
from service.archive.models import AccessLog
from service.extensions import db
from service.signing.models import FamilyCopy, SignedDocument, SigningEvent, SigningSession
from tests.helpers import download, poppler_text
from tests.signing.conftest import issue_document, start_remote
from tests.signing.drawing import signature_post, tap_post

FAMILY_LINK = re.compile(r'id="family-link"[^>]*>http://localhost(/k/([A-Z2-9]{10}))<')
PDF = b"%PDF"


def complete(app, staff, tablet, *, refuse_first: bool = False) -> tuple[str, str, str]:
    """Issues a consent, has both parents sign on the tablet; returns (document id, session id,
    the tablet's end page)."""
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    assert tablet.get(link).status_code == 302
    if refuse_first:  # a dot is not a signature: refused, with its reason in the trail
        refused = tablet.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y", **tap_post()})
        assert refused.status_code == 422
    for position in (0, 1):
        answer = tablet.post(f"/podpis/{session_id}", data={"position": position, "read_confirmed": "y",
                                                            **signature_post()})
        assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    done = tablet.get(f"/podpis/{session_id}")
    assert done.status_code == 410
    return doc_id, session_id, done.get_data(as_text=True)


def signed_version(app, doc_id: str) -> tuple[str, bytes]:
    with app.app_context():
        version = db.session.execute(select(SignedDocument).where(SignedDocument.document_id == doc_id)).scalar_one()
        data = pipeline(app).store.read(version.pdf_sha256, "pdf")
        db.session.remove()
    return version.id, data


def family_link(page: str) -> str:
    match = FAMILY_LINK.search(page)
    assert match, page
    return match.group(1)


def test_the_end_page_offers_the_family_a_link_that_opens_the_signed_pdf_once(app, staff, tablet):
    doc_id, session_id, page = complete(app, staff, tablet)
    assert "Kopia dla rodziny" in page and "<svg" in page  # the QR code
    link = family_link(page)
    version_id, signed = signed_version(app, doc_id)
    phone = app.test_client()
    # HEAD only looks: the link stays usable (a phone's preview, a download manager)
    for _ in range(2):
        head = phone.head(link)
        assert head.status_code == 200 and head.headers["Content-Type"] == "application/pdf"
        assert int(head.headers["Content-Length"]) == len(signed) and head.get_data() == b""
    # a Range request gets the whole file, and that is the one use
    first, body = download(phone, link, headers={"Range": "bytes=0-99"})
    assert first.status_code == 200 and body == signed
    assert first.headers["Accept-Ranges"] == "none" and "no-store" in first.headers["Cache-Control"]
    for again in (phone, app.test_client()):
        refused, body = download(again, link)
        text = body.decode()
        assert refused.status_code == 410 and not body.startswith(PDF)
        assert "Ten link został już użyty" in text and "Це посилання вже використано" in text
        assert "This link has already been used" in text and "asystent rodziny" in text
        assert "Anna Kowalska" not in text and doc_id not in text  # nothing of the family
    assert phone.head(link).status_code == 410
    # every read is logged; the issue is in the session's trail
    with app.app_context():
        reads = db.session.execute(select(AccessLog).where(
            AccessLog.action == "download", AccessLog.object_id == version_id)).scalars().all()
        assert [r.detail.startswith("kopia dla rodziny") for r in reads] == [True]
        refusals = db.session.execute(select(AccessLog.detail).where(
            AccessLog.action == "family_copy_refused")).scalars().all()
        assert refusals == ["used", "used"]
        actions = db.session.execute(select(SigningEvent.action).where(
            SigningEvent.session_id == session_id)).scalars().all()
        assert actions[-2:] == ["completed", "family_copy_issued"]
        stored = db.session.execute(select(FamilyCopy)).scalar_one()
        assert stored.code_sealed is None and link.rsplit("/", 1)[1] not in (stored.code_sha256 or "")
    # the end page no longer offers the used link
    assert "Kopia dla rodziny" not in tablet.get(f"/podpis/{session_id}").get_data(as_text=True)


def test_the_family_link_expires(app, staff, tablet, clock):
    _, _, page = complete(app, staff, tablet)
    link = family_link(page)
    clock.advance(minutes=59)
    assert app.test_client().head(link).status_code == 200
    clock.advance(minutes=2)  # ASYSTA_FAMILY_COPY_MINUTES: 60 by default
    response, body = download(app.test_client(), link)
    assert response.status_code == 410 and not body.startswith(PDF)
    assert "Ten link już wygasł" in body.decode() and "This link has expired" in body.decode()


def test_a_guessed_link_is_404(app, tablet):
    for code in ("ABCDEFGHJK", "abcde-fghjk", "SHORT", "A" * 40):
        response, body = download(tablet, f"/k/{code}")
        assert response.status_code == 404, code
        assert not body.startswith(PDF) and "Nie ma takiego linku" in body.decode()
    assert tablet.head("/k/ABCDEFGHJK").status_code == 404


def test_the_api_gives_the_family_link_only_when_signing_is_complete(app, staff, tablet, assistant, api_token):
    headers = api_token(assistant)
    doc_id = issue_document(staff)
    assert app.test_client().get(f"/api/documents/{doc_id}", headers=headers).get_json()["family_copy"] is None
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    tablet.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y", **signature_post()})
    assert app.test_client().get(f"/api/documents/{doc_id}", headers=headers).get_json()["family_copy"] is None
    tablet.post(f"/podpis/{session_id}", data={"position": 1, "read_confirmed": "y", **signature_post()})
    page = tablet.get(f"/podpis/{session_id}").get_data(as_text=True)
    body = app.test_client().get(f"/api/documents/{doc_id}", headers=headers).get_json()
    copy = body["family_copy"]
    assert copy["link"] == "http://localhost" + family_link(page)  # the same link as the tablet's
    assert copy["expires_at"].endswith("+00:00") and copy["signed_document"] == body["signing"]["signed_versions"][0]["id"]
    assert copy["code"].replace("-", "") == copy["link"].rsplit("/", 1)[1]
    download(app.test_client(), family_link(page))
    assert app.test_client().get(f"/api/documents/{doc_id}", headers=headers).get_json()["family_copy"] is None


def test_staff_print_a_copy_and_issue_a_new_link(app, staff, tablet):
    doc_id, _, page = complete(app, staff, tablet)
    old = family_link(page)
    version_id, signed = signed_version(app, doc_id)
    printed, body = download(staff, f"/archive/{doc_id}/signed/{version_id}/kopia-dla-rodziny.pdf")
    assert printed.status_code == 200 and body == signed and "attachment" not in printed.headers["Content-Disposition"]
    issued = staff.post(f"/archive/{doc_id}/kopia-dla-rodziny")
    assert issued.status_code == 303
    shown = staff.get(issued.location).get_data(as_text=True)
    new = family_link(shown)
    assert new != old and "<svg" in shown
    response, body = download(app.test_client(), old)  # the old link was revoked
    assert response.status_code == 410 and "Ten link już nie działa" in body.decode()
    response, body = download(app.test_client(), new)
    assert response.status_code == 200 and body == signed
    with app.app_context():
        prints = db.session.execute(select(AccessLog.detail).where(
            AccessLog.action == "print", AccessLog.object_id == version_id)).scalars().all()
        assert prints == ["kopia dla rodziny"]


def test_the_document_page_leads_with_the_signed_version(app, staff, tablet):
    doc_id = issue_document(staff)
    before = staff.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert "Podpisz na tym urządzeniu" in before and "Drukuj kopię dla rodziny" not in before
    link, session_id = start_remote(staff, doc_id)
    during = staff.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert "Anuluj podpisywanie" in during and "Podpisz na tym urządzeniu" not in during
    tablet.get(link)
    for position in (0, 1):
        tablet.post(f"/podpis/{session_id}", data={"position": position, "read_confirmed": "y", **signature_post()})
    version_id, _ = signed_version(app, doc_id)
    page = staff.get(f"/archive/{doc_id}").get_data(as_text=True)
    primary = re.findall(r'<a class="button primary" href="([^"]+)"', page)
    assert primary == [f"/archive/{doc_id}/signed/{version_id}.pdf"]  # the one main button: the signed PDF
    assert page.index(primary[0]) < page.index("<dl")  # at the top, before the metadata
    assert "Drukuj kopię dla rodziny" in page and "Wydaj nowy link dla rodziny" in page
    for gone in ("Anuluj", "Podpisz na tym urządzeniu", "Podpis na innym urządzeniu", "Trwa podpisywanie",
                 f"/signing/{session_id}", 'class="qr"', "Podpisują kolejno"):
        assert gone not in page, gone


def test_a_second_session_is_refused_while_one_is_open(app, staff, tablet, assistant, api_token):
    doc_id = issue_document(staff)
    _, first = start_remote(staff, doc_id)
    web = staff.post(f"/archive/{doc_id}/signing", data={"mode": "here"}, follow_redirects=True)
    text = web.get_data(as_text=True)
    assert "Podpisywanie tego dokumentu już trwa" in text and "Katarzyna Zielińska" in text
    api = app.test_client().post(f"/api/documents/{doc_id}/signing", headers=api_token(assistant))
    assert api.status_code == 409 and "Podpisywanie tego dokumentu już trwa" in api.get_json()["error"]
    with app.app_context():
        assert db.session.execute(select(SigningSession.id)).scalars().all() == [first]
        # the database keeps it too, whatever the code above it does
        row = db.session.get(SigningSession, first)
        twin = SigningSession(id="f" * 32, document_id=doc_id, mode="remote", shown_pdf_sha256=row.shown_pdf_sha256,
                              slots={}, created_by_id=row.created_by_id, expires_at=row.expires_at)
        db.session.add(twin)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # an expired session does not block: it is marked lapsed when the next one starts
        db.session.get(SigningSession, first).expires_at = row.created_at
        db.session.commit()
    _, second = start_remote(staff, doc_id)
    with app.app_context():
        assert db.session.get(SigningSession, first).lapsed_at is not None
        assert db.session.get(SigningSession, first).state() == "expired"
    # after a cancel a new one starts
    assert staff.post(f"/archive/{doc_id}/signing/{second}/cancel").status_code == 302
    start_remote(staff, doc_id)


def test_the_evidence_page_names_the_staff_member_and_lists_the_events(app, staff, tablet):
    doc_id, session_id, _ = complete(app, staff, tablet, refuse_first=True)
    _, signed = signed_version(app, doc_id)
    text = poppler_text(signed)
    evidence = text[text.index("Karta dowodowa podpisów"):]
    squashed = " ".join(evidence.split())
    assert "Rozpoczęcie podpisywania Katarzyna Zielińska, asystent rodziny" in squashed
    assert squashed.index("Rozpoczęcie podpisywania Katarzyna") < squashed.index("Przebieg podpisywania")
    events = squashed[squashed.index("Przebieg podpisywania"):squashed.index("Charakter podpisów")]
    moment = r"\d{1,2} (stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia) \d{4}, \d{2}:\d{2}:\d{2}"
    wanted = ["Rozpoczęcie podpisywania: na innym urządzeniu", "Katarzyna Zielińska (asystent rodziny)",
              "Otwarcie jednorazowego linku", "Podpis nieprzyjęty: Podpis jest zbyt mały",
              "Podpis złożony: 1. Anna Kowalska", "Podpis złożony: 2. Jan Kowalski"]
    missing = [w for w in wanted if w not in events]
    assert not missing, (missing, events)
    positions = [events.index(w) for w in wanted]
    assert positions == sorted(positions), events  # in the order they happened, top to bottom
    assert len(re.findall(moment, events)) == 5, events  # created, opened, refused, two signatures
    with app.app_context():
        db.session.remove()


def test_the_evidence_page_of_a_device_handed_over(app, staff, tablet):
    doc_id = issue_document(staff)
    started = staff.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    session_id = started.location.rsplit("/", 1)[1]
    for position in (0, 1):
        answer = staff.post(f"/podpis/{session_id}", data={"position": position, "read_confirmed": "y",
                                                           **signature_post()})
        assert answer.status_code == 302
    done = staff.get(f"/podpis/{session_id}").get_data(as_text=True)
    assert "Kopia dla rodziny" in done and "Oddaj urządzenie pracownikowi ośrodka" in done
    _, signed = signed_version(app, doc_id)
    squashed = " ".join(poppler_text(signed).split())
    assert ("Rozpoczęcie podpisywania i przekazanie urządzenia Katarzyna Zielińska, asystent rodziny"
            in squashed)


def test_a_paper_signed_document_names_who_attached_the_scan_and_gets_a_family_link_on_request(
        app, staff, assistant, api_token):
    from tests.signing import scans
    from tests.signing.test_paper import confirm_page, paper, print_copy, upload

    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    scan = scans.pdf(paper(printed, 150, ("family_member:0", "family_member:1")), 150)
    path, _ = confirm_page(staff, upload(staff, scan, "skan.pdf"))
    assert staff.post(path, data={"replaces": ""}).status_code == 303
    version_id, signed = signed_version(app, doc_id)
    squashed = " ".join(poppler_text(signed).split())
    assert "Dołączenie i zatwierdzenie skanu Katarzyna Zielińska, asystent rodziny" in squashed
    assert re.search(r"\d{2}:\d{2}:\d{2} Dołączenie i zatwierdzenie skanu – Katarzyna Zielińska "
                     r"\(asystent rodziny\)", squashed)
    # no tablet, so no link until staff issue one; then the API and the staff page carry it
    headers = api_token(assistant)
    assert app.test_client().get(f"/api/documents/{doc_id}", headers=headers).get_json()["family_copy"] is None
    page = staff.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert re.findall(r'<a class="button primary" href="([^"]+)"', page) == [f"/archive/{doc_id}/signed/{version_id}.pdf"]
    issued = staff.post(f"/archive/{doc_id}/kopia-dla-rodziny")
    link = family_link(staff.get(issued.location).get_data(as_text=True))
    copy = app.test_client().get(f"/api/documents/{doc_id}", headers=headers).get_json()["family_copy"]
    assert copy["link"] == "http://localhost" + link and copy["signed_document"] == version_id
    response, body = download(app.test_client(), link)
    assert response.status_code == 200 and body == signed


def test_guessing_family_links_is_held_up_per_address(app, staff, tablet):
    """Wrong family-link codes count like wrong signing codes (OWASP ASVS 4.0.3 V2.2.1): from one
    address the sixth within the hour gets 429 and nothing, not even for a right link, which stays
    unused for the family's phone elsewhere."""
    _, _, page = complete(app, staff, tablet)
    link = family_link(page)
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    for digit in "23456":
        assert guesser.get(f"/k/ZZZZZZZZZ{digit}").status_code == 404
    held, body = download(guesser, link)
    assert held.status_code == 429 and int(held.headers["Retry-After"]) >= 1 and not body.startswith(PDF)
    assert "Zbyt wiele prób" in body.decode() and "Too many attempts" in body.decode()
    phone = app.test_client()
    phone.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    response, body = download(phone, link)
    assert response.status_code == 200 and body.startswith(PDF)
