"""The forms of the changes to a family's file and of the assignments, built from the same field
declarations as the registration (registration.py), so each value is checked in the same words;
and the form-data helpers of the pages' repeating member rows.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from ..accounts.models import User
from ..documents.spec import FieldSpec
from ..forms_base import FlaskTextForm
from ..forms_builder import REQUIRED, make_field, without_row  # noqa: F401 (without_row re-exported)
from ..forms_kinds import choices
from .assignments import current_count, family_limit
from .registration import (ADDRESS_FIELDS, BASIS_SPECS, MEMBER_FIELDS, SOCIAL_WORKER, check_basis,
                           check_correspondence, check_distinct_pesels, check_member, social_worker_choices)


def _with_fields(name: str, specs, base=FlaskTextForm, required: tuple[str, ...] = ()) -> type:
    attrs = {}
    for spec in specs:
        enforce = spec.name in required or (spec.required and not spec.required_if)
        if spec.name in required:
            spec = replace(spec, required=True)
        attrs[spec.name] = make_field(spec, enforce_required=enforce)
    return type(name, (base,), attrs)


class _AddressBase(FlaskTextForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        check_correspondence(self)
        return valid and not any(f.errors for f in self)


AddressForm = _with_fields("AddressForm", ADDRESS_FIELDS, _AddressBase)


class _BasisBase(FlaskTextForm):
    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        check_basis(self)
        return not any(f.errors for f in self)


BasisForm = _with_fields("BasisForm", BASIS_SPECS, _BasisBase)


class _MemberBase(FlaskTextForm):
    # the PESELs of the family's other current members, set by the page before validation
    other_pesels: tuple[str, ...] = ()

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        check_member(self)
        check_distinct_pesels([self], self.other_pesels)
        return not any(f.errors for f in self)


MemberForm = _with_fields("MemberForm", MEMBER_FIELDS, _MemberBase, required=("full_name", "relation"))
ContactForm = _with_fields("ContactForm", [s for s in MEMBER_FIELDS if s.name in ("phone", "email")])
LeftForm = _with_fields("LeftForm", [FieldSpec("left_on", "Od kiedy ta osoba nie należy do rodziny", "date",
                                               not_future=True)])


class SocialWorkerForm(FlaskTextForm):
    """The social worker in charge (the head and the coordinator change it)."""

    social_worker = SelectField(SOCIAL_WORKER.label, validate_choice=False)

    def bind(self, session: Session) -> None:
        """Gives the select the active social workers."""
        self.social_worker.choices = choices([("", "— wybierz —")] + social_worker_choices(session))
        self.social_worker.flags.required = True  # checked in validate(): the page marks it required

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if not self.social_worker.data:
            self.social_worker.errors.append(REQUIRED)
        return not self.social_worker.errors


class AssignForm(FlaskTextForm):
    """An assistant and the first day of the work with the family (art. 15 ust. 4: the limit)."""

    assistant = SelectField("Asystent rodziny", validate_choice=False,
                            description="w nawiasie: ile rodzin asystent prowadzi teraz i ile może najwyżej")
    start_date = make_field(FieldSpec("start_date", "Data rozpoczęcia pracy z rodziną", "date"))

    def bind(self, session: Session) -> None:
        """Gives the select the active assistants, each with its current count: „(12 z 15)”."""
        limit = family_limit(session)
        rows = session.execute(select(User).where(User.role == "assistant", User.active.is_(True))
                               .order_by(User.full_name)).scalars()
        self.assistant.choices = choices([("", "— wybierz —")] + [
            (str(u.id), f"{u.full_name} ({current_count(session, u.id)} z {limit})") for u in rows])
        self.assistant.flags.required = True  # checked in validate(): the page marks it required

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if not self.assistant.data:
            self.assistant.errors.append(REQUIRED)
        return not any(f.errors for f in self)


EndAssignmentForm = _with_fields("EndAssignmentForm", [FieldSpec("end_date", "Data zakończenia przydziału", "date")])


def row_indices(formdata: MultiDict, group: str) -> set[int]:
    """The row numbers of a repeating group the form data holds (group-<i>-field, i in ASCII digits)."""
    pattern = re.compile(rf"{re.escape(group)}-([0-9]+)-")
    return {int(m.group(1)) for m in map(pattern.match, formdata.keys()) if m}


def rows_in(formdata: MultiDict, group: str) -> int:
    """How many rows of a repeating group the form data holds (its highest index + 1)."""
    indices = row_indices(formdata, group)
    return max(indices) + 1 if indices else 0


def member_initial(member: Any) -> dict[str, Any]:
    """A FamilyMember's values as MemberForm's initial data. With a PESEL the date of birth and the
    sex are left empty, as when they were registered: they follow from the number (stored from it),
    so correcting a digit of the PESEL is not refused for the old date still in its field."""
    values = {name: getattr(member, name) for name in ("full_name", "pesel", "birth_date", "relation", "sex",
                                                        "phone", "email")}
    if member.pesel:
        values.update(birth_date=None, sex="")
    return values
