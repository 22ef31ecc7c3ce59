"""What staff do with signing, for the web pages, the API, the CLI or a job alike: start a session,
cancel it, give the family a new copy link.

Each function takes the acting staff member and the request's origin (audit.Origin) as arguments
and reads no request: the event trail gets them through sessions.Client.of, the access log through
audit.record. Who may see the document is the caller's check (issuing.visible_document).
"""
from __future__ import annotations

from flask import current_app

from .. import audit
from ..accounts.models import User
from ..archive.models import DocumentRecord
from ..audit import Origin
from ..extensions import db
from . import family, sessions
from .models import FamilyCopy, SignedDocument, SigningSession
from .sessions import Client

# Who starts signing: the staff who prepare documents with families (the archivist files them).
SIGNING_STAFF = frozenset({"assistant", "social_worker", "head"})
MODES = ("here", "remote")


def staff_step_roles() -> frozenset[str]:
    """The role codes that sign some document type's staff step (the head's acceptance, the
    assistant's and the social worker's own signatures): the start pages of these roles list what
    waits for their signature (sessions.waiting_for). An unnamed staff slot is the head's, as in
    plan.signer_plan."""
    from ..documents.registry import DOCUMENT_TYPES
    from ..roles import Role
    return frozenset((slot.staff_role or Role.HEAD).value for doctype in DOCUMENT_TYPES
                     for slot in doctype.signers if slot.signer == "staff")


def start_signing(doc: DocumentRecord, actor: User, origin: Origin, mode: str) -> tuple[SigningSession, str]:
    """Starts signing `doc` on this device (mode "here") or on another one ("remote"), for as long as
    SIGNING_HERE_MINUTES or SIGNING_LINK_MINUTES say; logs it. Returns the session and its secret:
    the device cookie ("here") or the one-time link's code ("remote").

    Raises SigningError (SessionAlreadyOpen among them) with a Polish message when the document
    cannot be signed now, ValueError for another mode."""
    if mode not in MODES:
        raise ValueError(f"unknown signing mode {mode!r}")
    minutes = current_app.config["SIGNING_HERE_MINUTES" if mode == "here" else "SIGNING_LINK_MINUTES"]
    session, secret = sessions.start(doc, actor, mode, minutes=minutes, client=Client.of(actor, origin))
    # the pages log the mode alone, other channels name themselves ("api remote")
    audit.record(db.session, actor, origin, "signing_start", "document", doc.id,
                 detail=mode if origin.channel == "web" else f"{origin.channel} {mode}")
    return session, secret


def cancel_signing(session: SigningSession, actor: User, origin: Origin) -> None:
    """Cancels an open session (its link and device stop working at once; signatures given stay as
    history) and logs it. Raises SessionClosed when it is no longer open."""
    sessions.cancel(session, actor, Client.of(actor, origin))
    audit.record(db.session, actor, origin, "signing_cancel", "signing_session", session.id)


def new_family_link(version: SignedDocument, actor: User, origin: Origin) -> FamilyCopy:
    """A new one-time link for the family to `version` (or the version replacing it), committed and
    logged; the document's earlier links stop working at once (family.issue). Returns the link's row."""
    copy = family.issue(version, user=actor, client=Client.of(actor, origin))
    db.session.commit()
    audit.record(db.session, actor, origin, "family_copy_issue", "signed_document", version.id,
                 detail=f"link {copy.id}")
    return copy
