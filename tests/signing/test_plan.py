"""Who signs, in which order: from the declaration's signer slots and the document's data."""
from __future__ import annotations

from service.documents.registry import DOCUMENT_TYPES
from service.signing.plan import signer_plan


def test_each_consenting_person_signs_in_the_order_of_the_form():
    doctype = DOCUMENT_TYPES.get("family_consent")
    plan = signer_plan(doctype, doctype.sample_data)
    assert [(p.slot, p.name, p.role, p.is_staff) for p in plan] == [
        ("family_member:0", "Anna Kowalska", "Osoba wyrażająca zgodę (matka)", False),
        ("family_member:1", "Jan Kowalski", "Osoba wyrażająca zgodę (ojciec)", False)]


def test_health_consent_is_signed_only_when_given():
    doctype = DOCUMENT_TYPES.get("zz_power_of_attorney")
    without = signer_plan(doctype, {**doctype.sample_data, "health_data_consent": False})
    with_consent = signer_plan(doctype, {**doctype.sample_data, "health_data_consent": True})
    assert [p.slot for p in without] == ["principal:0"]
    assert [p.slot for p in with_consent] == ["principal:0", "principal_health_consent:0"]
    assert {p.name for p in with_consent} == {doctype.sample_data["principal_name"]}


def test_staff_slots_come_last_and_name_the_role():
    doctype = DOCUMENT_TYPES.get("assignment_letter")
    (step,) = signer_plan(doctype, doctype.sample_data)
    assert (step.slot, step.staff_role, step.is_staff, step.name) == ("head_of_office:0", "head", True, "")
