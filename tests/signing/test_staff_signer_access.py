"""A staff member's signing step is signed only by staff who may read the document
(signing/device_views._staff_signer, families/access.visible_document): the work plan's
assistant step by the family's assistant, never by another assistant of the office; the head's
acceptance of an assignment letter by the head, who reads every family."""
from __future__ import annotations

from sqlalchemy import select

from service.extensions import db
from service.signing.models import Signature
from service.documents.registry import DOCUMENT_TYPES
from tests.families.visits import family_for
from tests.helpers import form_data
from tests.signing.conftest import issue_document
from tests.signing.drawing import signature_post
from tests.signing.test_password_checks import errors

REFUSED = ("Nieprawidłowy login lub hasło albo to konto nie składa tego podpisu (składa go: asystent rodziny).")


def signed(app, session_id: str) -> list[tuple[str, int | None]]:
    """(slot, staff user id) of the session's signatures, in the order signed."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Signature.slot, Signature.staff_user_id).where(Signature.session_id == session_id)
            .order_by(Signature.id))]


def staff_step(client, session_id: str, user, position: int):
    return client.post(f"/podpis/{session_id}", data={"position": position, "read_confirmed": "y",
                                                      "login": user.login, "password": "haslo-" + user.login})


def test_only_the_familys_assistant_signs_the_work_plans_assistant_step(app, client, create_user, login):
    ours = create_user("assistant", full_name="Katarzyna Zielińska")
    other = create_user("assistant", full_name="Marta Inna")
    login(ours)
    plan = DOCUMENT_TYPES["work_plan"]
    family_id = family_for(app, plan, ours)  # a family assigned to `ours` (a plan never opens a new case)
    response = client.post(f"/families/{family_id}/documents/new/work_plan", data=form_data(plan, plan.sample_data))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    doc_id = response.location.rsplit("/", 1)[1]
    session_id = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"}).location.rsplit("/", 1)[1]
    for position in (0, 1):  # the sample's two participants sign on the tablet
        data = {"position": position, "read_confirmed": "y", **signature_post()}
        assert client.post(f"/podpis/{session_id}", data=data).status_code == 302
    refused = staff_step(client, session_id, other, 2)
    assert refused.status_code == 422
    assert errors(refused) == [REFUSED]  # the same words as a wrong password: nothing said of the family
    assert [slot for slot, _ in signed(app, session_id)] == ["family_member:0", "family_member:1"]
    assert staff_step(client, session_id, ours, 2).status_code == 302
    assert signed(app, session_id)[2] == ("assistant:0", ours.id)


def test_the_head_signs_an_assignment_letter_of_any_family(app, client, create_user, login):
    head = create_user("head", full_name="Barbara Nowak")
    worker = create_user("social_worker")
    login(worker)  # the social worker in charge issues it; the head accepts it
    doc_id = issue_document(client, "assignment_letter")
    session_id = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"}).location.rsplit("/", 1)[1]
    assert staff_step(client, session_id, head, 0).status_code == 302
    assert signed(app, session_id) == [("head_of_office:0", head.id)]
