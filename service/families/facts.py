"""What a family's file tells a document: the values a form is pre-filled with.

The documents package declares, per type, how a DB-free description of the file
(documents.family_facts.FamilyFacts) becomes the document's input; this module builds that
description from a Family (members of age on the day of issue, the current assistant, the social
worker in charge, the basis) and asks the type for its values.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import object_session

from ..accounts.models import User
from ..archive.models import DocumentRecord
from ..documents.context import WARSAW, office_today
from ..documents.family_facts import DocumentFacts, FamilyFacts, PersonFacts, StaffFacts, left_out, prefill
from ..documents.spec import DocumentType
from ..extensions import db
from ..signing.models import SignedDocument
from .models import Family
from .people import is_adult
from .settings import DeadlineRules, deadline_rules
from .plans import current_plan, plan_facts


def _staff(user: User | None) -> StaffFacts | None:
    return None if user is None else StaffFacts(full_name=user.full_name, phone=user.phone or "",
                                                email=user.email or "")


def _adult(member, today: dt.date) -> bool:
    """Of age on `today` by the date of birth; when the file has none (a person a document named
    without a PESEL: from_documents), an adult unless recorded as a child, for they signed or were
    addressed as one."""
    known = is_adult(member.birth_date, today)
    return member.relation != "child" if known is None else known


def consent_date(family: Family) -> dt.date | None:
    """The date of the family's written consent: `consent_date` of the latest family_consent of the
    family's case that has a signed version (tablet or paper scan); an issued consent nobody signed
    is no consent. None when there is none (a court-ordered family may have none)."""
    signed = select(SignedDocument.document_id)
    doc = db.session.execute(
        select(DocumentRecord).where(DocumentRecord.case_id == family.case_id, DocumentRecord.slug == "family_consent",
                                     DocumentRecord.id.in_(signed))
        .order_by(DocumentRecord.created_at.desc()).limit(1)).scalar_one_or_none()
    value = (doc.data or {}).get("consent_date") if doc is not None else None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def facts_of(family: Family, today: dt.date | None = None) -> FamilyFacts:
    """The family's file as a document sees it on `today` (default: the office's today, Warsaw),
    with its current work plan (current_plan) and the office's interval between visits (its deadline
    settings)."""
    today = today or office_today()
    session = object_session(family)
    plan = current_plan(session, family) if session is not None and family.case_id is not None else None
    rules = _rules(family)
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
                       plan=plan_facts(plan) if plan is not None else None,
                       consent_date=consent_date(family),
                       visit_interval_days=rules.visit_interval_days,
                       documents=documents_of(family), monitoring_months=rules.monitoring_months,
                       today=today)


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
