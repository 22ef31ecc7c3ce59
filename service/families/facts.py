"""What a family's file tells a document: the values a form is pre-filled with.

The documents package declares, per type, how a DB-free description of the file
(documents.family_facts.FamilyFacts) becomes the document's input; this module builds that
description from a Family (members of age on the day of issue, the current assistant, the social
worker in charge, the basis) and asks the type for its values.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import object_session

from ..accounts.models import User
from ..documents.context import WARSAW, office_today
from ..documents.family_facts import (DocumentFacts, FamilyFacts, PersonFacts, PlanFacts, StaffFacts, left_out,
                                      prefill)
from ..documents.spec import DocumentType
from .models import Family
from .monthly import plan_on, plans_of
from .people import is_adult
from .settings import DeadlineRules, deadline_rules


def _staff(user: User | None) -> StaffFacts | None:
    return None if user is None else StaffFacts(full_name=user.full_name, phone=user.phone or "",
                                                email=user.email or "")


def _adult(member, today: dt.date) -> bool:
    """Of age on `today` by the date of birth; when the file has none (a person a document named
    without a PESEL: from_documents), an adult unless recorded as a child, for they signed or were
    addressed as one."""
    known = is_adult(member.birth_date, today)
    return member.relation != "child" if known is None else known


def current_plan(family: Family, today: dt.date) -> PlanFacts | None:
    """The family's work plan current on `today` (monthly.plan_on: the latest dated on or before
    it that no other replaces), read in the family's own session; None before the first plan or for
    a family not in a session."""
    session = object_session(family)
    if session is None or family.case_id is None:
        return None
    plan = plan_on(plans_of(session, family), today)
    if plan is None:
        return None
    return PlanFacts(document_id=plan.id, plan_date=plan.day.isoformat(),
                     goals=tuple((no, goal) for no, goal in plan.goals.items() if goal))


def facts_of(family: Family, today: dt.date | None = None) -> FamilyFacts:
    """The family's file as a document sees it on `today` (default: the office's today, Warsaw),
    with its current work plan (current_plan)."""
    today = today or office_today()
    current = family.current_assignment
    members = tuple(PersonFacts(full_name=m.full_name, relation=m.relation, relation_label=m.relation_label,
                                pesel=m.pesel or "", birth_date=m.birth_date, sex=m.sex, phone=m.phone,
                                email=m.email, adult=_adult(m, today))
                    for m in family.current_members)
    return FamilyFacts(case_sign=family.case.sign, support=family.support, members=members,
                       street=family.street, postal_code=family.postal_code, town=family.town,
                       corr_street=family.corr_street, corr_postal_code=family.corr_postal_code,
                       corr_town=family.corr_town, assistant=_staff(current.assistant if current else None),
                       assignment_start=current.start_date if current else None,
                       social_worker=_staff(family.social_worker), basis_kind=family.basis_kind,
                       basis={k: str(v) for k, v in (family.basis or {}).items()},
                       plan=current_plan(family, today), documents=documents_of(family),
                       monitoring_months=_rules(family).monitoring_months, today=today)


def _rules(family: Family) -> DeadlineRules:
    """The office's deadline settings, read in the family's session (the defaults outside one)."""
    session = object_session(family)
    return deadline_rules(session) if session is not None else DeadlineRules()


def documents_of(family: Family) -> tuple[DocumentFacts, ...]:
    """The documents of the family's case, newest first, as DocumentFacts."""
    docs = sorted(family.case.documents, key=lambda d: d.created_at, reverse=True)
    return tuple(DocumentFacts(id=d.id, slug=d.slug, data=d.data or {},
                               issued_on=_warsaw(d.created_at)) for d in docs)


def _warsaw(moment: dt.datetime) -> dt.date:
    # SQLite gives naive datetimes back (stored as UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(WARSAW).date()


def prefill_for(doctype: DocumentType, family: Family) -> dict[str, Any]:
    """The document's input values the family's file knows, in the API's JSON shape (groups as
    lists of dicts, choices as keys, dates as ISO strings); empty values left out."""
    return prefill(doctype, facts_of(family))


def left_out_for(doctype: DocumentType, family: Family) -> list[str]:
    """The adult members the type's prefilled persons have no room for (family_facts.left_out)."""
    facts = facts_of(family)
    return left_out(doctype, facts, prefill(doctype, facts))
