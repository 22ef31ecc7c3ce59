"""Issuing a document on behalf of a staff member: shared by the web form, the API and the CLI."""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import or_, select

from . import pipeline
from .accounts.models import User
from .archive.models import DocumentRecord
from .families.models import Case
from .documents.issue import Issued
from .documents.registry import DOCUMENT_TYPES
from .documents.spec import DocumentType
from .extensions import db
from .office.models import JrwaClass, get_profile, issuing_paused
from .security import log_access


def visible_documents(user: User):
    """A select() of the documents this user may see: all for head and archivist, else own cases."""
    query = select(DocumentRecord).join(Case)
    if not user.sees_all_cases:
        query = query.where(or_(Case.assignee_id == user.id, DocumentRecord.author_id == user.id))
    return query


# Every role that may issue at least one document type.
ISSUERS = frozenset().union(*(t.issued_by for t in DOCUMENT_TYPES))
MIMETYPES = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def visible_document(user: User, doc_id: str) -> DocumentRecord | None:
    """The document if this user may see it, else None (its existence is not revealed)."""
    return db.session.execute(visible_documents(user).where(DocumentRecord.id == doc_id)).scalar_one_or_none()


def visible_cases(user: User, jrwa_key: str | None = None):
    """A select() of the cases this user may file documents under.

    Only cases in the register: a number reserved for a case whose first document is still being
    made lives in case_numbers, not in cases, so it is never listed or choosable here.
    """
    query = select(Case).order_by(Case.created_at.desc())
    if jrwa_key:
        query = query.where(Case.jrwa_key == jrwa_key)
    if not user.sees_all_cases:
        query = query.where(Case.assignee_id == user.id)
    return query


def find_case(user: User, jrwa_key: str, *, case_id: int | None = None, sign: str | None = None) -> Case | None:
    """A case of this class that the user may use, by id or sign; None if there is none."""
    query = visible_cases(user, jrwa_key)
    query = query.where(Case.id == case_id) if case_id is not None else query.where(Case.sign == sign)
    return db.session.execute(query).scalar_one_or_none()


class IssuingPaused(Exception):
    """No document may be issued now; str() is the Polish message saying who must do what."""


def issue(user: User, doctype: DocumentType, data: dict[str, Any], case: Case | None = None) -> Issued:
    """Issues, seals and archives one document, and logs it; returns the Issued record and timings.

    The transaction phases are those of documents.issue.Pipeline.issue (a short one for the case,
    none while rendering, converting and sealing, a short one to store); the access-log row is
    committed after them, on its own. Raises IssuingPaused (the office profile is not confirmed:
    office.models.issuing_paused), LookupError (no JRWA class), ConversionError, OSError.
    """
    paused = issuing_paused()
    if paused:
        raise IssuingPaused(paused)
    profile = get_profile()
    jrwa = db.session.get(JrwaClass, doctype.jrwa_key)
    if jrwa is None:
        raise LookupError(f"Brak klasy JRWA {doctype.jrwa_key!r} w profilu urzędu.")
    issued = pipeline(current_app).issue(db.session, doctype, data, author_id=user.id,
                                         office=profile.letterhead(), jrwa=jrwa, case=case)
    log_access("issue", "document", issued.record.id, detail=doctype.slug)
    return issued
