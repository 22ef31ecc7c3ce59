"""Who sees whom: which families, cases and documents a staff member may read.

The data-protection section of the catalogue (../shared/domain/documents.md) and the issue: an
assistant sees the families currently assigned to them; a social worker the families in their
charge; the head and the coordinator every family; the archivist the archive (every document, no
family's file); the data-protection officer and the administrator no family data. Everything else
is answered as if it did not exist (404), so these functions return None or narrow a select().
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, and_, false, or_, select

from ..accounts.models import User
from ..archive.models import DocumentRecord
from ..documents.context import office_today
from ..documents.filing import STAFF_TIME
from ..extensions import db
from .models import Assignment, Case, Family

# Roles that read every family's file (and its documents).
ALL_FAMILIES = frozenset({"head", "coordinator"})
# Roles that read every document of the archive, without the family's file.
WHOLE_ARCHIVE = frozenset({"archivist"})
# Roles that read families' files at all (which ones: family_filter), register a family, and assign
# an assistant to one (the head and the coordinator manage the assistants' work).
FAMILY_READERS = frozenset({"assistant", "social_worker", "head", "coordinator"})
REGISTRARS = frozenset({"social_worker", "head", "coordinator"})
ASSIGNERS = frozenset({"head", "coordinator"})


def assigned_family_ids(assistant_id: int, on: dt.date | None = None):
    """A select() of the ids of the families an assistant is assigned to on `on` (default: the
    office's today): assignments not ended (end_date empty) or ending on or after that day (a
    reassignment or an end dated later leaves the assistant the family until then). An assignment
    starting later is included: the assistant prepares the first visit; not one replaced before it
    began (it ends before its start: Assignment.took_effect), whose assistant never works with the
    family (assign_assistant: „no access from today on”). An assignment ended by a
    final report counts until its monitoring ends (monitoring_until): monitoring the family after
    the work is the assistant's task (art. 15 ust. 1 pkt 16 of the family-support act), done in
    monitoring notes from the family's file."""
    on = on or office_today()
    ended_before = or_(Assignment.end_date.is_(None),
                       and_(Assignment.end_date >= on, Assignment.end_date >= Assignment.start_date),
                       Assignment.monitoring_until >= on)
    return select(Assignment.family_id).where(Assignment.assistant_id == assistant_id, ended_before)


def family_filter(user: User):
    """A SQL condition on Family for the families this user may read (false() for none)."""
    if user.role in ALL_FAMILIES:
        return Family.id.is_not(None)
    if user.role == "assistant":
        return Family.id.in_(assigned_family_ids(user.id))
    if user.role == "social_worker":
        return Family.social_worker_id == user.id
    return false()


def visible_families(user: User) -> Select:
    """A select() of the families this user may read, newest first."""
    return select(Family).where(family_filter(user)).order_by(Family.created_at.desc())


def row_id(value: object) -> int | None:
    """An integer id as typed in a URL, form or JSON, or None when no row can have it (not an
    integer, or outside PostgreSQL's integer range)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if -2**31 <= number < 2**31 else None


def visible_family(user: User, family_id: object) -> Family | None:
    """The family if this user may read it, else None (its existence is not revealed)."""
    family_id = row_id(family_id)
    if family_id is None:
        return None
    return db.session.execute(select(Family).where(Family.id == family_id, family_filter(user))).scalar_one_or_none()


def visible_documents(user: User) -> Select:
    """A select() of the documents this user may read: the archivist and the roles of
    ALL_FAMILIES every one; assistants and social workers those filed in the cases of their
    families, and an assistant also their own time reports (the case of class filing.STAFF_TIME
    assigned to them: families.monthly_issue); others none."""
    query = select(DocumentRecord).join(Case, DocumentRecord.case_id == Case.id)
    if user.role in WHOLE_ARCHIVE or user.role in ALL_FAMILIES:
        return query
    if user.role == "assistant":
        own_time = and_(Case.jrwa_key == STAFF_TIME.key, Case.assignee_id == user.id)
        return query.outerjoin(Family, Family.case_id == Case.id).where(or_(family_filter(user), own_time))
    return query.join(Family, Family.case_id == Case.id).where(family_filter(user))


def visible_document(user: User, doc_id: str) -> DocumentRecord | None:
    """The document if this user may read it, else None (its existence is not revealed)."""
    return db.session.execute(visible_documents(user).where(DocumentRecord.id == doc_id)).scalar_one_or_none()


def family_of_case(case_id: int) -> int | None:
    """The id of the family whose case this is (every case has one since migration 0010)."""
    return db.session.execute(select(Family.id).where(Family.case_id == case_id)).scalar()
