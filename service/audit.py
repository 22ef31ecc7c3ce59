"""The access log, written by the application services: who read, issued, changed or downloaded
which object, from where, and (for family data) which family's file it belongs to.

Services take the acting staff member and an Origin as arguments, so the web pages, the API, the
CLI and a batch job record the same rows without a request context (security.log_access builds the
Origin of the current request for the views). The data-protection section of the catalogue
(../shared/domain/documents.md) asks that every read of a family's file be logged; art. 30 RODO
(records of processing) and ASVS 7.1 (what a log entry holds) say what a row carries.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .accounts.models import User
from .archive.models import AccessLog, DocumentRecord
from .families.models import Family
from .signing.models import SignedDocument, SigningSession


@dataclass(frozen=True)
class Origin:
    """Where an action came from: the client's address and browser, and the channel.

    channel is "web", "api", "cli" or "job"; the CLI and batch jobs have no address.
    """

    ip: str = ""
    user_agent: str = ""
    channel: str = "web"


CLI = Origin(channel="cli")


def record(session: Session, actor: User | None, origin: Origin, action: str, object_type: str = "",
           object_id: object = "", detail: str = "", *, family_id: int | None = None,
           commit: bool = True) -> AccessLog:
    """Adds one access-log row and returns it; commits the session unless commit=False.

    With commit=True the row is committed at once with whatever the session has pending: call it
    after the operation it records has committed, so the log's write is a short transaction of its
    own. `family_id` names the family whose file the object belongs to, so the access-log page
    can show every read of one family's file; when not given it is found from the object
    (family_of_object), so no service can forget it.
    """
    if family_id is None:
        family_id = family_of_object(session, object_type, str(object_id))
    row = AccessLog(user_id=actor.id if actor is not None else None, action=action, object_type=object_type,
                    object_id=str(object_id)[:64], ip=origin.ip[:64], user_agent=origin.user_agent[:300],
                    channel=origin.channel, family_id=family_id, detail=detail[:300])
    session.add(row)
    if commit:
        session.commit()
    return row


def family_of_object(session: Session, object_type: str, object_id: str) -> int | None:
    """The id of the family whose file holds this object (a family, a document, a signed version,
    a signing session), else None (an account, the office profile, a file checked at /verify)."""
    if object_type == "family":
        return int(object_id) if object_id.isdigit() and len(object_id) < 10 else None
    if object_type == "document":
        document_id = select(DocumentRecord.case_id).where(DocumentRecord.id == object_id)
    elif object_type == "signed_document":
        document_id = select(DocumentRecord.case_id).join(
            SignedDocument, SignedDocument.document_id == DocumentRecord.id).where(SignedDocument.id == object_id)
    elif object_type == "signing_session":
        document_id = select(DocumentRecord.case_id).join(
            SigningSession, SigningSession.document_id == DocumentRecord.id).where(SigningSession.id == object_id)
    else:
        return None
    return session.execute(select(Family.id).where(Family.case_id.in_(document_id.scalar_subquery()))).scalar()
