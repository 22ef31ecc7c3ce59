"""Staff signature steps are signed by the staff of the family (issue 11): the social worker in charge
signs the request and the head approves it („Zatwierdzam”); the assistant assigned to the family signs
the cooperation rules after the family. A staff member of the step's role who may not read the family
(another social worker, another family's assistant) is refused with the one message of the step."""
from __future__ import annotations

import copy

from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.signing.models import Signature, SigningSession
from service.signing.plan import signer_plan
from tests.signing.conftest import issue_document
from tests.signing.drawing import signature_post

REFUSED = "to konto nie składa tego podpisu"


def start_here(client, doc_id: str) -> str:
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return response.location.rsplit("/", 1)[1]


def staff_step(client, session_id: str, position: int, user):
    return client.post(f"/podpis/{session_id}", data={"position": position, "read_confirmed": "y",
                                                      "login": user.login, "password": "haslo-" + user.login})


def signatures(app, session_id: str) -> list[tuple[int, int | None, str]]:
    with app.app_context():
        rows = db.session.execute(db.select(Signature).where(Signature.session_id == session_id)
                                  .order_by(Signature.position)).scalars()
        return [(s.position, s.staff_user_id, s.signer_role) for s in rows]


def test_the_request_is_signed_by_the_social_worker_in_charge_and_approved_by_the_head(
        app, client, create_user, login):
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    other_worker = create_user("social_worker", full_name="Ewa Nowak")
    head = create_user("head", full_name="Anna Nowak")
    doctype = DOCUMENT_TYPES["assistant_request"]
    plan = signer_plan(doctype, doctype.sample_data)
    assert [(s.staff_role, s.role) for s in plan] == [
        ("social_worker", "Pracownik socjalny"), ("head", "Kierownik ośrodka – zatwierdzenie wniosku")]

    login(worker)  # issued without a family: its file is opened with this social worker in charge
    session_id = start_here(client, issue_document(client, "assistant_request"))
    refused = staff_step(client, session_id, 0, other_worker)  # the right role, another family's worker
    assert refused.status_code == 422 and REFUSED in refused.get_data(as_text=True)
    assert staff_step(client, session_id, 0, head).status_code == 422  # the head's step comes second
    assert staff_step(client, session_id, 0, worker).status_code == 302
    assert staff_step(client, session_id, 1, worker).status_code == 422  # the approval is the head's
    assert staff_step(client, session_id, 1, head).status_code == 302
    assert signatures(app, session_id) == [(0, worker.id, "Pracownik socjalny"),
                                           (1, head.id, "Kierownik ośrodka – zatwierdzenie wniosku")]
    with app.app_context():
        assert db.session.get(SigningSession, session_id).state() == "complete"


def test_the_rules_are_signed_by_the_family_then_by_its_own_assistant(app, client, create_user, login):
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    other = create_user("assistant", full_name="Marta Lis")
    doctype = DOCUMENT_TYPES["cooperation_rules"]
    data = copy.deepcopy(doctype.sample_data)
    data["persons"] = data["persons"][:1]
    assert [(s.staff_role, s.name) for s in signer_plan(doctype, data)] == [(None, "Anna Kowalska"),
                                                                             ("assistant", "")]
    login(assistant)  # issued without a family: the family is assigned to this assistant from today
    session_id = start_here(client, issue_document(client, "cooperation_rules", data))
    family = client.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y", **signature_post()})
    assert family.status_code == 302
    refused = staff_step(client, session_id, 1, other)
    assert refused.status_code == 422 and REFUSED in refused.get_data(as_text=True)
    assert staff_step(client, session_id, 1, assistant).status_code == 302
    assert [(p, who) for p, who, _ in signatures(app, session_id)] == [(0, None), (1, assistant.id)]
