"""The evidence page names the head's signature by the office's title of its head (the office
profile's „Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu”, as the document prints it
under the signature), not by the role's name „Kierownik ośrodka”, which an office headed by a
„Dyrektor” has not; the role's name stands when the office gives no title (signing.plan.titled_role).
On the tablet (the head's password) and on paper (a scan) alike."""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from service import pipeline
from service.documents.registry import DOCUMENT_TYPES
from service.documents.spec import SignerSlot
from service.extensions import db
from service.office.models import get_profile
from service.roles import Role
from service.signing.models import Signature, SignedDocument
from service.signing.plan import signer_plan, titled_role
from service.signing.models import SigningSession
from service.signing.steps import STAMP_ROLE_CHARS, stamp_lines
from signatures.evidence import read_evidence
from signatures.slots import SlotBox
from tests.helpers import TEST_OFFICE, download, squash
from tests.signing import scans
from tests.signing.conftest import issue_document
from tests.signing.test_paper import confirm_page, paper, print_copy, upload
from tests.signing.test_staff_steps_of_the_family import staff_step

DIRECTOR = TEST_OFFICE["head_title"]  # „Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu”


def evidence_text(signed: bytes) -> str:
    """The squashed text of the signed PDF's evidence page (its last page)."""
    return squash(PdfReader(io.BytesIO(signed)).pages[-1].extract_text())


def signed_pdf(app, client, doc_id: str) -> bytes:
    with app.app_context():
        version_id = db.session.execute(select(SignedDocument.id)).scalar_one()
    return download(client, f"/archive/{doc_id}/signed/{version_id}.pdf")[1]


def set_head_title(app, title: str) -> None:
    with app.app_context():
        get_profile().head_title = title
        db.session.commit()


def head_signs_here(app, client, create_user, login, full_name: str) -> tuple[str, str, bytes]:
    """A head `full_name` issues an assignment letter and signs it on this device with her
    password: (document id, session id, the signed PDF)."""
    head = create_user("head", full_name=full_name)
    login(head)
    doc_id = issue_document(client, "assignment_letter")
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    session_id = response.location.rsplit("/", 1)[1]
    assert staff_step(client, session_id, 0, head).status_code == 302
    return doc_id, session_id, signed_pdf(app, client, doc_id)


def test_the_head_is_named_by_the_office_title_in_every_head_step():
    """Every head's slot of the registry: its label's role name replaced by the title, what
    follows it kept („(zatwierdzenie)”); other steps and an office without a title as declared."""
    for doctype in DOCUMENT_TYPES:
        for step in signer_plan(doctype, doctype.sample_data):
            named = titled_role(step, f"  {DIRECTOR} ")
            if step.staff_role == Role.HEAD.value:
                assert step.role.startswith("Kierownik ośrodka"), doctype.slug
                assert named == DIRECTOR + step.role.removeprefix("Kierownik ośrodka"), doctype.slug
            else:
                assert named == step.role, doctype.slug
            assert titled_role(step, " ") == step.role
    request = DOCUMENT_TYPES["assistant_request"]
    assert titled_role(signer_plan(request, request.sample_data)[-1], DIRECTOR) == f"{DIRECTOR} – zatwierdzenie wniosku"


def test_a_head_slot_is_labelled_by_the_role_name_first():
    with pytest.raises(ValueError, match="Kierownik ośrodka"):
        SignerSlot("head_approval", "Zatwierdzenie kierownika", signer="staff", staff_role=Role.HEAD)


@pytest.mark.parametrize(("title", "role"), [(DIRECTOR, DIRECTOR), ("", "Kierownik ośrodka")],
                         ids=["office-title", "no-title"])
def test_the_tablet_evidence_page_names_the_head_by_the_office_title(app, client, create_user, login, title, role):
    set_head_title(app, title)
    _, _, signed = head_signs_here(app, client, create_user, login, "Anna Nowak")
    assert [(s.name, s.role) for s in read_evidence(signed).signers] == [("Anna Nowak", role)]
    page = evidence_text(signed)
    # the signer's row and the trail's line of the signature; with a title also the head who
    # started the session (its row and the trail's line of the start)
    assert page.count(squash(role)) == (4 if title else 2), page
    assert squash("1. Anna Nowak – " + role) in page, page
    if title:  # the head who started the session and handed the tablet over is named by it too
        assert "kierownikośrodka" not in page.lower(), page
        assert squash(f"przekazanie urządzenia Anna Nowak, {role}") in page, page
    with app.app_context():  # what the signature recorded stays the slot's role
        assert db.session.execute(select(Signature.signer_role)).scalar_one() == "Kierownik ośrodka"


def test_the_paper_evidence_page_names_the_head_by_the_office_title(app, client, create_user, login):
    head = login(create_user("head", full_name="Anna Nowak"))
    doc_id = issue_document(head, "assignment_letter")
    printed = print_copy(head, doc_id)
    scan = scans.pdf(paper(printed, 150, ("head_of_office:0",)), 150)
    path, _ = confirm_page(head, upload(head, scan, "skan.pdf"))
    assert head.post(path, data={"replaces": ""}).status_code == 303
    with app.app_context():
        version = db.session.execute(select(SignedDocument)).scalar_one()
        signed = pipeline(app).store.read(version.pdf_sha256, "pdf")
    # on paper the staff member who signed is not known by name: the title stands for both
    assert [(s.name, s.role) for s in read_evidence(signed).signers] == [(DIRECTOR, DIRECTOR)]
    # nor the head who confirmed the scan („Anna Nowak, kierownik ośrodka” before)
    page = evidence_text(signed)
    assert "kierownikośrodka" not in page.lower(), page
    assert squash(f"Dołączenie i zatwierdzenie skanu Anna Nowak, {DIRECTOR}") in page, page


# The first check by eye (issue: a long title in the stamp): an office in Kędzierzyn-Koźle
KK_HEAD = "Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Kędzierzynie-Koźlu"


def _words(pdf: bytes, page: int) -> list[tuple[float, float, float, str]]:
    """(left, right, top, word) of the words poppler finds on `page` (from 1), top from the page's top."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    return [(float(x0), float(x1), float(y0), unescape(w)) for x0, y0, x1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', html)]


@pytest.mark.parametrize("title", [KK_HEAD, "Dyrektorka Miejskiego Ośrodka Pomocy Społecznej im. Jana Pawła II "
                                             "w Kędzierzynie-Koźlu – Pełnomocniczka Prezydenta Miasta ds. Rodziny"],
                         ids=["long", "very-long"])
def test_the_head_s_stamp_on_the_document_names_the_office_title_inside_the_slot(app, client, create_user,
                                                                                  login, title):
    """The password stamp over the head's dotted line said „Kierownik ośrodka” right above the
    template's caption „Dyrektor Miejskiego Ośrodka …”: it names the title too, under the name and
    broken into lines, every word inside the signing slot."""
    set_head_title(app, title)
    _, session_id, signed = head_signs_here(app, client, create_user, login,
                                                 "Małgorzata Grzegorzewska-Brzęczyszczykiewicz")
    with app.app_context():
        box = SlotBox.from_json(db.session.get(SigningSession, session_id).slots["head_of_office:0"])
    document = squash(PdfReader(io.BytesIO(signed)).pages[box.page].extract_text())
    assert "Kierownikośrodka" not in document, document
    assert squash(f"potwierdzenie hasłem Małgorzata Grzegorzewska-Brzęczyszczykiewicz {title}") in document, document
    height = float(PdfReader(io.BytesIO(signed)).pages[box.page].mediabox.height)
    stamp = [w for w in _words(signed, box.page + 1) if box.y <= height - w[2] <= box.y + box.height]
    assert len(stamp) > 10, stamp
    assert all(box.x - 0.5 <= left and right <= box.x + box.width + 0.5 for left, right, _, _ in stamp), (box, stamp)


def test_a_stamp_breaks_a_long_role_as_polish_typesetting_wants():
    at = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone.utc)
    plain = [re.sub("[\u2066-\u2069]", "", line) for line in stamp_lines("Anna Nowak", KK_HEAD, at)]
    assert plain[1:4] == ["Anna Nowak", "Dyrektor Miejskiego Ośrodka Pomocy Społecznej", "w Kędzierzynie-Koźlu"]
    role = "Kierownik Gminnego Ośrodka Pomocy Społecznej i Centrum Usług Społecznych w Brzeszczach – zatwierdzenie"
    lines = [re.sub("[\u2066-\u2069]", "", line) for line in stamp_lines("Anna Nowak", role, at)[2:-1]]
    assert " ".join(lines) == role and all(len(line) <= STAMP_ROLE_CHARS for line in lines), lines
    assert not any(re.search(r"(^|\s)\w$", line) or line.startswith("–") for line in lines), lines
    # a role as the slots name them shares the name's line, as before
    assert stamp_lines("Anna Nowak", "Kierownik ośrodka – zatwierdzenie wniosku", at)[1].count("Anna Nowak") == 1
    assert len(stamp_lines("Anna Nowak", "Kierownik ośrodka – zatwierdzenie wniosku", at)) == 3


def test_the_signing_pages_name_the_heads_step_by_the_office_title(app, client, create_user, login):
    """The tablet's staff step („Podpis pracownika w roli: …”) and the head's own step at her desk
    say whose signature it is as the document does: the office's title; without a title the
    role's name („kierownik ośrodka”)."""
    head = create_user("head", full_name="Barbara Nowak")
    login(head)
    doc_id = issue_document(client, "assignment_letter")
    session_id = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"}).location.rsplit("/", 1)[1]
    page = " ".join(unescape(client.get(f"/podpis/{session_id}").get_data(as_text=True)).split())
    assert f"Podpis pracownika w roli: {DIRECTOR}." in page
    assert f"Podpis 1 z 1: pracownik ośrodka – <span lang=\"pl\">{DIRECTOR}</span></h2>" in page
    assert "Kierownik ośrodka" not in page  # nor in the order of signatures
    set_head_title(app, "")
    page = " ".join(unescape(client.get(f"/podpis/{session_id}").get_data(as_text=True)).split())
    assert "Podpis pracownika w roli: kierownik ośrodka." in page
