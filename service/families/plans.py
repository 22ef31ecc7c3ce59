"""The family's work plan (plan pracy z rodziną, art. 15 ust. 1 pkt 1 and ust. 3 of the
family-support act): which plan is current, which ones it replaced.

A plan is never changed once issued: a revision is a new `work_plan` document in the family's case
that names the one it replaces (`replaces`, set by the issuing service: issuing.issue). The current
plan is the newest `work_plan` of the case. Visit records, assessments and deadlines read it
through `current_plan` or, in a document's declaration, through FamilyFacts.plan.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..archive.models import DocumentRecord
from ..documents.family_facts import PlanFacts
from ..documents.spec import DocumentType
from .models import Family

PLAN_SLUG = "work_plan"


def current_document(session: Session, family: Family, slug: str) -> DocumentRecord | None:
    """The newest document of type `slug` filed in the family's case (by creation time, then id),
    or None when there is none."""
    return session.execute(
        select(DocumentRecord).where(DocumentRecord.case_id == family.case_id, DocumentRecord.slug == slug)
        .order_by(DocumentRecord.created_at.desc(), DocumentRecord.id.desc()).limit(1)
    ).scalar_one_or_none()


def current_plan(session: Session, family: Family) -> DocumentRecord | None:
    """The family's current work plan: the newest `work_plan` of its case; None before the first."""
    return current_document(session, family, PLAN_SLUG)


def _goal_key(value: Any) -> str:
    # goal numbers are stored as strings of digits; older readers may have written ints
    return str(value).strip()


def plan_facts(record: DocumentRecord) -> PlanFacts:
    """A stored work plan as documents.family_facts.PlanFacts (goal numbers as strings)."""
    data: Mapping[str, Any] = record.data or {}
    goals = tuple((_goal_key(g.get("goal_no", "")), str(g.get("goal", ""))) for g in data.get("goals") or [])
    actions = tuple({**{k: str(v) for k, v in a.items()}, "goal_no": _goal_key(a.get("goal_no", ""))}
                    for a in data.get("actions") or [])
    return PlanFacts(document_id=record.id, doc_ref=record.doc_ref, plan_date=str(data.get("plan_date", "")),
                     review_date=str(data.get("review_date", "")), goals=goals, actions=actions,
                     diagnosis=str(data.get("diagnosis", "")), resources=str(data.get("resources", "")),
                     child_plan=str(data.get("child_plan", "")))


def revision_values(session: Session, family: Family, doctype: DocumentType) -> dict[str, str]:
    """What a new document of a revising type (DocumentType.revises) stores about the one it
    replaces: {"replaces": its id, "replaces_date": its date field's ISO value (or its creation
    date), "replaces_ref": its printed reference}; {} for the family's first one or another type."""
    if not doctype.revises:
        return {}
    previous = current_document(session, family, doctype.slug)
    if previous is None:
        return {}
    day = (previous.data or {}).get(doctype.date_field or "") or previous.created_at.date().isoformat()
    return {"replaces": previous.id, "replaces_date": str(day), "replaces_ref": previous.doc_ref}


@dataclass(frozen=True)
class Revision:
    """A revising document's place in its chain: current, or replaced by the document `by`."""

    current: bool
    by: DocumentRecord | None = None


def revisions(documents: list[DocumentRecord], types: Mapping[str, DocumentType]) -> dict[str, Revision]:
    """For the documents of a case whose type revises (DocumentType.revises): {id: Revision}; the
    newest of each type is current, each older one replaced by the next newer of its type."""
    out: dict[str, Revision] = {}
    newer: dict[str, DocumentRecord] = {}
    for doc in sorted(documents, key=lambda d: (d.created_at, d.id), reverse=True):
        doctype = types.get(doc.slug)
        if doctype is None or not doctype.revises:
            continue
        later = newer.get(doc.slug)
        out[doc.id] = Revision(current=later is None, by=later)
        newer[doc.slug] = doc
    return out
