"""The family's work plan (plan pracy z rodziną, art. 15 ust. 1 pkt 1 and ust. 3 of the
family-support act): which plan is current, which ones it replaced.

A plan is never changed once issued: a revision is a new `work_plan` document in the family's case
that names the one it replaces (`replaces`, set by the issuing service through the type's stamp
from FamilyFacts.plan). The current plan is the newest `work_plan` of the case by its date, then
by the time it was issued. Visit records, assessments and deadlines read it
through `current_plan` or, in a document's declaration, through FamilyFacts.plan.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..archive.models import DocumentRecord
from ..documents.family_facts import PlanFacts
from ..documents.spec import DocumentType
from .models import Family
from .months import WARSAW

PLAN_SLUG = "work_plan"
UTC = dt.timezone.utc


def issued_at(record: DocumentRecord) -> dt.datetime:
    """The record's creation time in UTC (SQLite gives it back without a zone; it was stored in UTC)."""
    moment = record.created_at
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def document_day(record: DocumentRecord, date_field: str | None) -> dt.date:
    """The day that dates a document: its `date_field` value (an ISO date), else the Warsaw date
    of its creation."""
    value = (record.data or {}).get(date_field or "")
    try:
        if isinstance(value, str) and value:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    return issued_at(record).astimezone(WARSAW).date()


def revision_order(record: DocumentRecord, date_field: str | None) -> tuple[dt.date, dt.datetime, str]:
    """The sort key of the documents of a revising type: by their date, then creation time, then id
    (the last of a case is its current one)."""
    return document_day(record, date_field), issued_at(record), record.id


def plan_records(session: Session, family: Family) -> list[DocumentRecord]:
    """The family's work plans, oldest first (revision_order by `plan_date`): what
    monthly.plans_of and current_plan read."""
    records = session.execute(select(DocumentRecord).where(
        DocumentRecord.case_id == family.case_id, DocumentRecord.slug == PLAN_SLUG)).scalars()
    return sorted(records, key=lambda r: revision_order(r, "plan_date"))


def newest(records: list[DocumentRecord]) -> DocumentRecord | None:
    """The current one of a type's documents given oldest first (revision_order): the last that no
    other names in `replaces` (a revision dated before the plan it replaced still replaces it, as
    monthly.plan_on reads the chain); None for none."""
    replaced = {(r.data or {}).get("replaces") for r in records}
    current = [r for r in records if r.id not in replaced]
    return current[-1] if current else (records[-1] if records else None)


def current_plan(session: Session, family: Family) -> DocumentRecord | None:
    """The family's current work plan: the newest `work_plan` of its case by `plan_date`, then by
    creation time, that no later plan replaces (newest); None before the first plan. The same plan
    as monthly.plan_on(monthly.plans_of(...), today), plan dates never being in the future."""
    return newest(plan_records(session, family))


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


@dataclass(frozen=True)
class Revision:
    """A revising document's place in its chain: current, or replaced by the document `by`."""

    current: bool
    by: DocumentRecord | None = None


def revisions(documents: list[DocumentRecord], types: Mapping[str, DocumentType]) -> dict[str, Revision]:
    """For the documents of a case whose type revises (DocumentType.revises): {id: Revision}; per
    type the current one is `newest` of them in revision_order by the type's date_field (the order
    of current_plan), each other one replaced by the document naming it in `replaces`, else by the
    next one in that order."""
    out: dict[str, Revision] = {}
    by_slug: dict[str, list[DocumentRecord]] = {}
    for doc in documents:
        doctype = types.get(doc.slug)
        if doctype is not None and doctype.revises:
            by_slug.setdefault(doc.slug, []).append(doc)
    for slug, docs in by_slug.items():
        date_field = types.get(slug).date_field
        docs.sort(key=lambda d: revision_order(d, date_field))
        current = newest(docs)
        naming = {(d.data or {}).get("replaces"): d for d in docs if (d.data or {}).get("replaces")}
        for i, doc in enumerate(docs):
            if doc is current:
                out[doc.id] = Revision(current=True)
            else:
                later = docs[i + 1] if i + 1 < len(docs) else current
                out[doc.id] = Revision(current=False, by=naming.get(doc.id) or later)
    return out
