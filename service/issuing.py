"""Issuing a document on behalf of a staff member: the one application service the web form, the
API, the CLI and a batch job call. It takes the acting staff member and the request's origin, so it
needs no request context."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from . import pipeline
from .accounts.models import User, utcnow
from .audit import Origin, record
from .documents.context import office_today
from .documents.issue import Issued
from .documents.registry import DOCUMENT_TYPES
from .documents.spec import DocumentType, Issuer
from .extensions import db
from .families.access import family_filter, row_id, visible_document, visible_documents  # noqa: F401 (re-exported)
from .families.assignments import AssignmentRefused, current_count, family_limit, families_word
from .families.facts import facts_of
from .families.from_documents import file_from_documents
from .families.monthly_issue import REPORTS, ReportRefused, built_service_values, one_staff_case, staff_case
from .documents.filing import STAFF_TIME
from .families.lifecycle import IssueRefused, prepare, stored_hook  # noqa: F401 (IssueRefused re-exported)
from .families.models import Assignment, Case, Family, FamilyChange, FamilyMember
from .families.registration import member_values
from .office.models import filing_row, get_profile, issuing_paused
from .roles import Role

# Every role that may issue at least one document type.
ISSUERS = frozenset().union(*(t.issued_by for t in DOCUMENT_TYPES))
MIMETYPES = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def find_family(user: User, *, family_id: object = None, case_id: object = None, case_sign: str | None = None) -> Family | None:
    """A family this user may read, by its id, its case's id or its case sign; None otherwise."""
    query = db.select(Family).join(Case, Family.case_id == Case.id).where(family_filter(user))
    if family_id is not None or case_id is not None:
        number = row_id(family_id if family_id is not None else case_id)
        if number is None:
            return None
        query = query.where((Family.id if family_id is not None else Case.id) == number)
    elif case_sign:
        query = query.where(Case.sign == case_sign)
    else:
        return None
    return db.session.execute(query).scalar_one_or_none()


class IssuingPaused(Exception):
    """No document may be issued now; str() is the Polish message saying who must do what."""


class NotForThisFamily(ValueError):
    """The document type does not apply to the family's support (e.g. a „Za życiem” authorisation
    for a family supported under the family-support act); str() is the Polish message, `field`
    the key of the request it belongs to."""

    field = "family_id"


class ReportNotIssued(NotForThisFamily):
    """A monthly report asked for a month without visit records, a future month, or without its
    family (families.monthly_issue.ReportRefused); `field` is "month" or "family_id"."""

    def __init__(self, refused: ReportRefused):
        super().__init__(str(refused))
        self.field = refused.field


def applies_to(doctype: DocumentType, family: Family) -> bool:
    """Whether a document type is issued for families of this support (its JRWA class)."""
    return doctype.jrwa_key == family.support or family.support == ""


def issue(actor: User, origin: Origin, doctype: DocumentType, data: Mapping[str, Any], *,
          family: Family | None = None, session: Session | None = None, assistant: User | None = None) -> Issued:
    """Issues, seals and archives one document, files it in the family's case, and logs it.

    With `family`, the document is filed in the family's case (the caller checked the actor may
    read it, and filled `data` from the file where the form left fields out); the values the
    service sets (DocumentType.stamp: a visit's assistant login, the plan a revised work plan
    replaces) are added to `data` first (stamped). Without one, a new case is opened and a family's file made from what the document says (families.from_documents):
    a social worker issuing it is in charge of the family, an assistant is assigned to it from
    today (art. 15 ust. 4: refused when the assistant already has the office's limit of families).

    The transaction phases are those of documents.issue.Pipeline.issue (a short one for the case,
    none while rendering, converting and sealing, a short one to store the document, the new case
    and its family); the access-log row is committed after them, on its own. Raises IssuingPaused
    (the office profile is not confirmed: office.models.issuing_paused), NotForThisFamily,
    AssignmentRefused (status 409: the assistant's limit), ConversionError, OSError. A filing class
    the office's table lacks is added first (office.models.filing_row).

    Monthly reports (families.monthly_issue): their fields set by the service (visit_refs, assistant_login)
    are built again from the archive, whatever `data` holds; the time report is of `assistant`
    (default: the actor; the caller checked the actor may report for them) and is filed in the
    assistant's own case of class STAFF_TIME, opening none of a family. Raises ReportNotIssued.
    AssignmentRefused (status 409: the assistant's limit), ConversionError, OSError, IssueRefused
    (status 422: the family's file does not allow the document now, families.lifecycle: an
    assessment without a plan, a monitoring note outside the monitoring, a final report with no
    current assignment, a type with `needs` without a family), FileChanged (status 409: another
    request changed the file while this document was made: a second revision of the same plan, a
    second final report, a second time report opening the assistant's case of the year). A filing
    class the office's table lacks is added first (office.models.filing_row). A final report's
    effects (the assignment ended, the monitoring opened) are stored in the document's own
    transaction.
    """
    session = session or db.session
    paused = issuing_paused()
    if paused:
        raise IssuingPaused(paused)
    if family is not None and not applies_to(doctype, family):
        raise NotForThisFamily("Ten dokument nie dotyczy wsparcia, którym objęto tę rodzinę.")
    profile = get_profile()
    jrwa = filing_row(session, doctype.filing_class)
    data = stamped(doctype, prepare(session, doctype, family, dict(data)), family, actor)
    on_stored = stored_hook(doctype, family, actor, origin)
    on_new_case, case, assignee_id = None, family.case if family is not None else None, None
    if doctype.slug in REPORTS:
        assistant = assistant or actor
        try:
            data = {**data, **service_values(doctype, built_service_values(session, doctype, data, family=family,
                                                                     assistant=assistant))}
        except ReportRefused as refused:
            raise ReportNotIssued(refused) from None
    if doctype.filing_class == STAFF_TIME:
        # the register's year of the issue, as the pipeline numbers a new case
        case, assignee_id = staff_case(session, assistant, office_today().year), assistant.id
        if case is None:  # this report opens the case: unless another one at the same moment did
            on_stored = one_staff_case(assistant.id)
    elif family is None:
        if actor.role == "assistant":
            limit, count = family_limit(session), current_count(session, actor.id)
            if count >= limit:
                raise AssignmentRefused(
                    f"Masz już {families_word(count)}, a asystent rodziny może prowadzić najwyżej {limit} "
                    "jednocześnie (art. 15 ust. 4 ustawy o wspieraniu rodziny i systemie pieczy zastępczej). "
                    "Wystaw dokument dla rodziny z Twojej listy.", status=409)
        on_new_case = _file_from_document(doctype, dict(data), actor)
    issued = pipeline(current_app).issue(session, doctype, data, author_id=actor.id, office=profile.letterhead(),
                                         jrwa=jrwa, case=case, on_new_case=on_new_case,
                                         assignee_id=assignee_id, on_stored=on_stored)
    family_id = session.execute(db.select(Family.id).where(Family.case_id == issued.record.case_id)).scalar()
    record(session, actor, origin, "issue", "document", issued.record.id, detail=doctype.slug, family_id=family_id)
    return issued


def stamped(doctype: DocumentType, data: Mapping[str, Any], family: Family | None, actor: User) -> dict[str, Any]:
    """The validated data with the values the service sets (DocumentType.stamp: the type's
    by_service fields, e.g. a visit record's assistant_login), from the family's file and the actor;
    the data unchanged for a type without a stamp. Raises ValueError for a stamp that returns a
    field not declared by_service (a defect of the declaration)."""
    if doctype.stamp is None:
        return dict(data)
    values = doctype.stamp(data, facts_of(family) if family is not None else None,
                           Issuer(login=actor.login, role=Role(actor.role), full_name=actor.full_name))
    return {**data, **{k: v for k, v in service_values(doctype, values).items() if v not in (None, "", [])}}


def service_values(doctype: DocumentType, values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` (field name -> value) checked to be the type's fields the service sets
    (FieldSpec.by_service), whichever part of the service made them (a stamp, the monthly
    reports' builder). Raises ValueError for any other name: a defect of the declaration."""
    allowed = {f.name for f in doctype.service_fields}
    if set(values) - allowed:
        raise ValueError(f"{doctype.slug}: the service sets fields not declared by_service: "
                         f"{sorted(set(values) - allowed)}")
    return dict(values)


def _file_from_document(doctype: DocumentType, data: dict[str, Any], actor: User):
    """The hook that makes a new case's family's file, inside the transaction storing the document."""
    found = file_from_documents([(doctype.slug, data)])
    actor_id, role = actor.id, actor.role

    def make(session: Session, case: Case) -> None:
        now = utcnow()
        family = Family(case_id=case.id, support=doctype.jrwa_key, basis_kind=found["basis_kind"],
                        basis=found["basis"], **found["address"], corr_street="", corr_postal_code="", corr_town="",
                        social_worker_id=actor_id if role == "social_worker" else None, origin="document",
                        created_at=now, created_by_id=actor_id)
        session.add(family)
        session.flush()
        for position, member in enumerate(found["members"]):
            session.add(FamilyMember(family_id=family.id, **member_values(
                {**member, "phone": "", "email": ""}, position)))
        if role == "assistant":
            session.add(Assignment(family_id=family.id, assistant_id=actor_id, start_date=office_today(),
                                   created_at=now, created_by_id=actor_id))
        session.add(FamilyChange(family_id=family.id, at=now, by_id=actor_id, what="registered", before={},
                                 after={"origin": "document", "document": doctype.slug}))

    return make
