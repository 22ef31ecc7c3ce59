"""Legal bases, roles and filing classes are objects: a declaration naming one wrongly fails at
import, and a declared filing class missing from the office's table never makes issuing fail."""
from __future__ import annotations

import dataclasses

import pytest

from service.accounts.models import ROLES
from service.documents.filing import FILING_CLASSES, ZA_ZYCIEM
from service.documents.legal import ALL_BASES, WR_ASSIGNMENT, WR_CONSENT
from service.documents.registry import DOCUMENT_TYPES
from service.documents.spec import SignerSlot
from service.roles import Role

CONSENT = DOCUMENT_TYPES["family_consent"]


@pytest.mark.parametrize("change", [
    {"legal_basis": "wr_consent"},  # the old string key
    {"filing_class": "family_support"},
    {"issued_by": frozenset({"assistant"})},
    {"issued_by": frozenset({Role.HEAD, "sociall_worker"})},
    {"issued_by": frozenset()},
])
def test_a_declaration_naming_a_string_fails(change):
    with pytest.raises(TypeError):
        dataclasses.replace(CONSENT, **change)


def test_a_staff_slot_names_a_role_object():
    with pytest.raises(TypeError):
        SignerSlot("head_of_office", "Kierownik ośrodka", signer="staff", staff_role="head")
    with pytest.raises(ValueError):
        SignerSlot("head_of_office", "Kierownik ośrodka", signer="staff")
    assert SignerSlot("head_of_office", "Kierownik ośrodka", signer="staff", staff_role=Role.HEAD).staff_role == "head"


def test_roles_keep_their_stored_codes_and_labels():
    """users.role stores the codes: the declaration must not change them."""
    assert ROLES == {"assistant": "asystent rodziny", "social_worker": "pracownik socjalny",
                     "coordinator": "koordynator asystentów rodziny", "head": "kierownik ośrodka",
                     "archivist": "archiwista", "dpo": "inspektor ochrony danych", "admin": "administrator"}
    assert all(type(code) is str for code in ROLES)
    assert "head" in frozenset({Role.HEAD}) and Role("head") is Role.HEAD


def test_legal_bases_and_filing_classes_are_declared_once():
    assert len({b.key for b in ALL_BASES}) == len(ALL_BASES)
    assert len({b.citation for b in ALL_BASES}) == len(ALL_BASES)
    assert len({c.key for c in FILING_CLASSES}) == len(FILING_CLASSES)
    for doctype in DOCUMENT_TYPES:
        assert doctype.legal_basis in ALL_BASES and doctype.filing_class in FILING_CLASSES
        assert doctype.jrwa_key == doctype.filing_class.key
    # one Dz. U. reference per act, shared by every basis citing it
    assert WR_CONSENT.act is WR_ASSIGNMENT.act
    assert WR_ASSIGNMENT.citation == ("art. 11 ust. 3 pkt 1 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny "
                                      "i systemie pieczy zastępczej (Dz. U. z 2025 r. poz. 49)")


def test_a_filing_class_missing_from_the_office_is_added_when_first_needed(app, client, create_user, api_token):
    """An office whose table lacks a declared class (declared after its profile was made) issues
    the type anyway: the class is added with its suggested heading, and no 500."""
    from service.extensions import db
    from service.office.models import JrwaClass

    with app.app_context():
        db.session.delete(db.session.get(JrwaClass, ZA_ZYCIEM.key))
        db.session.commit()
    headers = api_token(create_user("assistant"))
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    response = client.post(f"/api/documents/{doctype.slug}", json=doctype.sample_data, headers=headers)
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        row = db.session.get(JrwaClass, ZA_ZYCIEM.key)
        assert (row.title, row.symbol, row.category) == (ZA_ZYCIEM.heading, "", "")


def test_the_office_attributes_declared_are_the_profile():
    """template_vars.OFFICE_ATTRS declares what `office.<x>` holds: the office profile's fields."""
    from service.documents.template_vars import OFFICE_ATTRS
    from service.office.models import PROFILE_FIELDS

    assert tuple(a.name for a in OFFICE_ATTRS) == PROFILE_FIELDS


def test_every_declared_template_variable_is_in_the_context():
    from service.documents.context import sample_context
    from service.documents.template_vars import TEMPLATE_VARS

    for doctype in DOCUMENT_TYPES:
        ctx = sample_context(doctype)
        assert all(var.name in ctx for var in TEMPLATE_VARS)
        assert ctx["legal_basis"].replace("\u00a0", " ").replace("\u2011", "-") == doctype.legal_basis.citation
