"""The JSON shapes of a family's file in the API: the file, a search hit, an assignment, a document.

Shapes only (no queries beyond the family's own relationships, no access checks: the routes in
service/api/families.py find the family through families.access first). Dates are ISO strings,
times ISO 8601 in UTC; links are absolute.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import url_for

from ..accounts.models import User
from ..archive.models import DocumentRecord
from ..families.models import BASIS_KINDS, SUPPORTS, Assignment, Family, FamilyChange, FamilyMember
from ..families.people import is_adult
from ..signing.models import as_utc
from .signing import signing_json


def staff_json(user: User | None) -> dict[str, str] | None:
    """{"login", "name"} of a staff member, or None."""
    return None if user is None else {"login": user.login, "name": user.full_name}


def _address(street: str, postal_code: str, town: str) -> dict[str, str]:
    return {"street": street, "postal_code": postal_code, "town": town}


def member_json(member: FamilyMember, today: dt.date) -> dict[str, Any]:
    """A member; `adult` says whether they are of age on `today` (null when no date of birth is known)."""
    return {"id": member.id, "full_name": member.full_name, "pesel": member.pesel,
            "birth_date": member.birth_date.isoformat() if member.birth_date else None,
            "adult": is_adult(member.birth_date, today), "relation": member.relation,
            "relation_label": member.relation_label, "sex": member.sex, "phone": member.phone,
            "email": member.email, "left_on": member.left_on.isoformat() if member.left_on else None}


def assignment_json(assignment: Assignment) -> dict[str, Any]:
    """An assignment: the assistant (login, name), start_date, end_date (null while it lasts)."""
    return {"id": assignment.id, "assistant": staff_json(assignment.assistant),
            "start_date": assignment.start_date.isoformat(),
            "end_date": assignment.end_date.isoformat() if assignment.end_date else None,
            "current": assignment.end_date is None,
            # false for one replaced on or before its first day (its end_date precedes start_date)
            "took_effect": assignment.took_effect}


def family_document_json(doc: DocumentRecord) -> dict[str, Any]:
    """A document of the family's case as the file lists it: what it is, when, its signing state."""
    signing = signing_json(doc)
    return {"id": doc.id, "type": doc.slug, "title": doc.title,
            "created_at": as_utc(doc.created_at).isoformat(), "author": doc.author.full_name,
            "signed": signing["signed_pdf"] is not None, "signing": signing,
            "links": {"self": url_for("api.get_document", doc_id=doc.id, _external=True),
                      "pdf": url_for("api.document_file", doc_id=doc.id, kind="pdf", _external=True)}}


def change_json(change: FamilyChange) -> dict[str, Any]:
    """One change of the file: when, by whom, what, from what to what."""
    return {"at": as_utc(change.at).isoformat(), "by": staff_json(change.by), "what": change.what,
            "before": change.before or {}, "after": change.after or {}}


def family_links(family: Family) -> dict[str, str]:
    """The family's own API addresses: the file, its documents, its assignments."""
    return {"self": url_for("api.get_family", family_id=family.id, _external=True),
            "documents": url_for("api.family_documents", family_id=family.id, _external=True),
            "assignments": url_for("api.family_assignments", family_id=family.id, _external=True)}


def family_summary_json(family: Family) -> dict[str, Any]:
    """A family as a search lists it: its name (the current members), case, support, who works with it."""
    current = family.current_assignment
    return {"id": family.id, "case_sign": family.case.sign, "name": family.name, "support": family.support,
            "basis_kind": family.basis_kind, "town": family.town,
            "assistant": staff_json(current.assistant if current else None),
            "social_worker": staff_json(family.social_worker), "links": family_links(family)}


def family_json(family: Family, today: dt.date) -> dict[str, Any]:
    """The whole file: members (of age or not on `today`), address, basis, staff, assignments (oldest
    first), the documents of its case (oldest first) and the history of changes."""
    correspondence = None
    if family.corr_street or family.corr_postal_code or family.corr_town:
        correspondence = _address(family.corr_street, family.corr_postal_code, family.corr_town)
    return {
        "id": family.id, "case_sign": family.case.sign, "case_title": family.case.title, "name": family.name,
        "support": family.support, "support_label": SUPPORTS.get(family.support, ""),
        "origin": family.origin, "created_at": as_utc(family.created_at).isoformat(),
        "members": [member_json(m, today) for m in family.members],
        "address": _address(family.street, family.postal_code, family.town),
        "correspondence_address": correspondence,
        "basis": {"kind": family.basis_kind, "label": BASIS_KINDS.get(family.basis_kind, ("", family.basis_kind))[1],
                  "data": family.basis or {}},
        "social_worker": staff_json(family.social_worker),
        "assistant": staff_json(family.current_assignment.assistant if family.current_assignment else None),
        "assignments": [assignment_json(a) for a in family.assignments],
        "documents": [family_document_json(d) for d in family.case.documents],
        "changes": [change_json(c) for c in family.changes],
        "links": family_links(family),
    }
