"""The evidence page names the head's signature by the office's title of its head (the office
profile's „Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu”, as the document prints it
under the signature), not by the role's name „Kierownik ośrodka”, which an office headed by a
„Dyrektor” has not; the role's name stands when the office gives no title (signing.plan.titled_role).
On the tablet (the head's password) and on paper (a scan) alike."""
from __future__ import annotations

import io

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
from signatures.evidence import read_evidence
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
    head = create_user("head", full_name="Anna Nowak")
    login(head)
    doc_id = issue_document(client, "assignment_letter")
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    session_id = response.location.rsplit("/", 1)[1]
    assert staff_step(client, session_id, 0, head).status_code == 302
    signed = signed_pdf(app, client, doc_id)
    assert [(s.name, s.role) for s in read_evidence(signed).signers] == [("Anna Nowak", role)]
    page = evidence_text(signed)
    # the signer's row and the trail's line of the signature
    assert page.count(squash(role)) == 2, page
    assert squash("1. Anna Nowak – " + role) in page, page
    if title:
        assert squash("Kierownik ośrodka") not in page, page
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
    assert squash("Kierownik ośrodka") not in evidence_text(signed)
