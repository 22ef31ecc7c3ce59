"""Who signs a document, in which order: derived from its type's signer slots and its data."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..documents.spec import HEAD_ROLE_NAME, DocumentType
from ..roles import Role


@dataclass(frozen=True)
class PlannedSigner:
    """One step of signing: the slot on the page, the person's name and role, and who they are."""

    position: int
    slot: str  # "family_member:0": the SIG marker in the template
    name: str  # empty for staff slots: the staff member who confirms is named at signing
    role: str
    staff_role: str | None = None  # the Role's code, as stored; None: a family member signs by hand

    @property
    def is_staff(self) -> bool:
        return self.staff_role is not None


def signer_plan(doctype: DocumentType, data: Mapping[str, Any]) -> list[PlannedSigner]:
    """Family members first, in the order of the form, then staff (e.g. both parents, then the head)."""
    family: list[tuple[str, str, str]] = []
    staff: list[tuple[str, str, Role | None]] = []
    for slot in doctype.signers:
        if not slot.applies(data):
            continue
        if slot.signer == "staff":
            role = slot.label or slot.staff_role.label
            staff.append((f"{slot.key}:0", role, slot.staff_role))
            continue
        rows = (data.get(slot.repeat_over) or []) if slot.repeat_over else [data]
        for index, row in enumerate(rows):
            name = str(row.get(slot.name_field, "")) if slot.name_field else ""
            kin = str(row.get(slot.role_field, "")) if slot.role_field else ""
            role = f"{slot.label} ({kin})" if kin else slot.label
            family.append((f"{slot.key}:{index}", name, role))
    steps = [PlannedSigner(i, key, name, role) for i, (key, name, role) in enumerate(family)]
    steps += [PlannedSigner(len(steps) + i, key, "", role, (staff_role or Role.HEAD).value)
              for i, (key, role, staff_role) in enumerate(staff)]
    return steps


def titled_role(step: PlannedSigner, head_title: str) -> str:
    """The role `step`'s signer signs in, as the evidence page names it: for the head's step, the
    office's title of its head (`head_title`, the office profile's „Dyrektor Miejskiego Ośrodka
    Pomocy Społecznej w …”, as the templates print it under the head's signature) in place of the
    role's name the slot's label starts with („Kierownik ośrodka (zatwierdzenie)” → „Dyrektor …
    (zatwierdzenie)”; spec.SignerSlot checks that start); the label as it is for any other step,
    and when the office gives no title (the role's own name, „Kierownik ośrodka”, then stands).
    An office whose head is a „Dyrektor” has no „Kierownik ośrodka”."""
    title = " ".join(head_title.split())
    if step.staff_role == Role.HEAD.value and title and step.role.startswith(HEAD_ROLE_NAME):
        return title + step.role[len(HEAD_ROLE_NAME):]
    return step.role
