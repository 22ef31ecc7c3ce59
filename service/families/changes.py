"""Changes to a family's file after registration: the address, the basis of support, the social
worker in charge, the members (a new one, corrected data, one who left).

Each change is one transaction that updates the family and adds a FamilyChange row (who, when,
what, before, after), then an access-log row ("family_change"). Documents already issued keep the data
they were issued with: they hold their own copy (DocumentRecord.data and the sealed PDF), and
nothing here touches them. Who may change what follows the issue's rule: the social worker in
charge, the head and the coordinator everything but the social worker (only the head and the
coordinator appoint one); the assistant assigned to the family the address, a member's contact and
a new member.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User, utcnow
from ..audit import Origin, record
from .access import ALL_FAMILIES
from .models import BASIS_KINDS, Family, FamilyChange, FamilyMember
from .registration import CORRESPONDENCE, DUPLICATE_PESEL, member_values

ADDRESS = ("street", "postal_code", "town")
CONTACT = ("phone", "email")
MEMBER_KEYS = ("full_name", "pesel", "birth_date", "relation", "sex", "phone", "email")
# What the assistant assigned to the family may change; the rest is the social worker's, the
# head's and the coordinator's.
ASSISTANT_MAY = frozenset({"address", "contact", "member_added"})
HEAD_ONLY = frozenset({"social_worker"})
WHAT = ("address", "basis", "social_worker", "member_added", "member_changed", "contact", "member_left")


class ChangeRefused(ValueError):
    """The change cannot be made as given: `errors` maps a field to its Polish messages; `status`
    is the HTTP answer it calls for (403: the actor may not make it; 422: the input)."""

    def __init__(self, errors: dict[str, list[str]], status: int = 422) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors, self.status = errors, status


def is_assigned(user: User, family: Family) -> bool:
    """Whether `user` is an assistant with an assignment to this family not yet ended."""
    return user.role == "assistant" and any(
        a.assistant_id == user.id and a.end_date is None for a in family.assignments)


def may_change(user: User, family: Family, what: str) -> bool:
    """Whether `user` may make this kind of change (one of WHAT) to this family's file."""
    if user.role in ALL_FAMILIES:
        return True
    if what in HEAD_ONLY:
        return False
    if user.role == "social_worker":
        return family.social_worker_id == user.id
    return what in ASSISTANT_MAY and is_assigned(user, family)


def _require(user: User, family: Family, what: str) -> None:
    if not may_change(user, family, what):
        raise ChangeRefused({"": ["Twoja rola nie pozwala na tę zmianę w teczce tej rodziny."]}, status=403)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _commit(session: Session, actor: User, origin: Origin, family: Family, rows: list[FamilyChange]) -> list[FamilyChange]:
    """Adds the change rows (with the same who and when), commits, then logs the change."""
    if not rows:
        return rows
    now, family_id, actor_id = utcnow(), family.id, actor.id
    for row in rows:
        row.family_id, row.at, row.by_id = family_id, now, actor_id
        session.add(row)
    family.updated_at = now
    session.commit()
    record(session, actor, origin, "family_change", "family", family_id,
           detail=", ".join(r.what for r in rows), family_id=family_id)
    return rows


def change_address(session: Session, actor: User, origin: Origin, family: Family,
                   data: Mapping[str, str]) -> list[FamilyChange]:
    """Sets the address and the correspondence address (ADDRESS + CORRESPONDENCE keys; "" in the
    correspondence keys: letters go to the address). Returns the changes recorded: "address",
    "correspondence", both or none (nothing differed). Raises ChangeRefused (403)."""
    _require(actor, family, "address")
    rows = []
    for what, keys in (("address", ADDRESS), ("correspondence", CORRESPONDENCE)):
        before = {k: getattr(family, k) for k in keys}
        after = {k: data.get(k) or "" for k in keys}
        if before != after:
            for key, value in after.items():
                setattr(family, key, value)
            rows.append(FamilyChange(what=what, before=before, after=after))
    return _commit(session, actor, origin, family, rows)


def change_basis(session: Session, actor: User, origin: Origin, family: Family, kind: str,
                 basis: Mapping[str, Any]) -> list[FamilyChange]:
    """Sets the basis of support (a key of BASIS_KINDS and its own data, dates as ISO strings),
    e.g. completing the "unknown" basis of a file made from documents. The family's case stays
    in the JRWA class of its support, so a basis of the other support is refused (422, at
    basis_kind); a file without a support takes the basis's. Raises ChangeRefused."""
    _require(actor, family, "basis")
    support = BASIS_KINDS.get(kind, ("",))[0]
    if not support:
        raise ChangeRefused({"basis_kind": ["Wybierz podstawę objęcia wsparciem."]})
    if family.support and support != family.support:
        raise ChangeRefused({"basis_kind": [
            "Ta podstawa dotyczy innego wsparcia niż sprawa tej rodziny (sprawa jest w innej klasie JRWA). "
            "Dla innego wsparcia zarejestruj rodzinę w nowej sprawie."]})
    before = {"basis_kind": family.basis_kind, "basis": dict(family.basis or {})}
    after = {"basis_kind": kind, "basis": {k: _jsonable(v) for k, v in basis.items()}}
    if before == after:
        return []
    family.basis_kind, family.basis, family.support = kind, after["basis"], support
    return _commit(session, actor, origin, family, [FamilyChange(what="basis", before=before, after=after)])


def change_social_worker(session: Session, actor: User, origin: Origin, family: Family,
                         login: str) -> list[FamilyChange]:
    """Puts the active social worker with this login in charge of the family (the head and the
    coordinator only). Raises ChangeRefused (403; 422 at social_worker for an unknown login)."""
    _require(actor, family, "social_worker")
    worker = session.execute(select(User).where(User.login == login)).scalar_one_or_none()
    if worker is None or worker.role != "social_worker" or not worker.active:
        raise ChangeRefused({"social_worker": ["Wybierz aktywnego pracownika socjalnego z listy."]})
    old = family.social_worker
    if old is not None and old.id == worker.id:
        return []
    before = {"id": old.id, "name": old.full_name} if old else {}
    family.social_worker_id = worker.id
    return _commit(session, actor, origin, family, [FamilyChange(
        what="social_worker", before=before, after={"id": worker.id, "name": worker.full_name})])


def _member_snapshot(member: FamilyMember) -> dict[str, Any]:
    return {k: _jsonable(getattr(member, k)) for k in MEMBER_KEYS}


def _check_pesel(family: Family, pesel: str | None, member: FamilyMember | None = None) -> None:
    others = {m.pesel for m in family.current_members if m.pesel and m is not member}
    if pesel and pesel in others:
        raise ChangeRefused({"pesel": [DUPLICATE_PESEL]})


def add_member(session: Session, actor: User, origin: Origin, family: Family,
               data: Mapping[str, Any]) -> FamilyMember:
    """Adds a member (validated data: registration.member_data) after the others. Raises
    ChangeRefused (403; 422 at pesel when another current member has that PESEL)."""
    _require(actor, family, "member_added")
    _check_pesel(family, data.get("pesel"))
    position = max((m.position for m in family.members), default=-1) + 1
    member = FamilyMember(family_id=family.id, **member_values(data, position))
    session.add(member)
    _commit(session, actor, origin, family, [FamilyChange(what="member_added", before={},
                                                          after=_member_snapshot(member))])
    return member


def change_member(session: Session, actor: User, origin: Origin, family: Family, member: FamilyMember,
                  data: Mapping[str, Any]) -> list[FamilyChange]:
    """Corrects a member's data: all of MEMBER_KEYS (validated: registration.member_data) or, for
    the assigned assistant, only the contact (CONTACT keys). Records "member_changed" (or
    "contact") with the values that differ. Raises ChangeRefused (403; 422 at pesel)."""
    contact_only = set(data) <= set(CONTACT)
    _require(actor, family, "contact" if contact_only else "member_changed")
    if member.family_id != family.id:
        raise ChangeRefused({"": ["Ta osoba nie należy do tej rodziny."]}, status=404)
    if not contact_only:
        _check_pesel(family, data.get("pesel"), member)
    before = _member_snapshot(member)
    values = member_values({**before, **data, "birth_date": data.get("birth_date", member.birth_date)},
                           member.position)
    for key in MEMBER_KEYS + ("name_folded",):
        if not contact_only or key in CONTACT:
            setattr(member, key, values[key])
    after = _member_snapshot(member)
    changed = [k for k in MEMBER_KEYS if before[k] != after[k]]
    if not changed:
        session.rollback()
        return []
    return _commit(session, actor, origin, family, [FamilyChange(
        what="contact" if contact_only else "member_changed",
        before={"name": before["full_name"], **{k: before[k] for k in changed}},
        after={"name": after["full_name"], **{k: after[k] for k in changed}})])


def member_left(session: Session, actor: User, origin: Origin, family: Family, member: FamilyMember,
                left_on: dt.date) -> list[FamilyChange]:
    """Marks a member as no longer in the family from `left_on`; the member stays in the file (and
    in the documents issued), shown apart. Raises ChangeRefused (403; 422 when already marked)."""
    _require(actor, family, "member_left")
    if member.family_id != family.id:
        raise ChangeRefused({"": ["Ta osoba nie należy do tej rodziny."]}, status=404)
    if member.left_on is not None:
        raise ChangeRefused({"left_on": ["Ta osoba już nie należy do rodziny."]})
    member.left_on = left_on
    return _commit(session, actor, origin, family, [FamilyChange(
        what="member_left", before={"name": member.full_name}, after={"left_on": left_on.isoformat()})])
