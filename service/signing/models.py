"""Signing sessions, the signatures given in them, their event trail and the signed results."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..accounts.models import User, utcnow
from ..archive.models import DocumentRecord
from ..extensions import db

STATES = {
    "waiting": "oczekuje na podpisy",
    "partly_signed": "częściowo podpisany",
    "complete": "podpisany",
    "expired": "wygasł",
    "cancelled": "anulowany",
}
MODES = {"here": "na tym urządzeniu", "remote": "na innym urządzeniu (link jednorazowy / kod QR)"}


OPEN_CONDITION = "completed_at IS NULL AND cancelled_at IS NULL AND lapsed_at IS NULL"


def as_utc(moment: dt.datetime) -> dt.datetime:
    """The stored time as an aware UTC datetime (SQLite hands back naive ones; all are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


class SigningSession(db.Model):
    """One round of signing one document, on this device or through a one-time link."""

    __tablename__ = "signing_sessions"
    # One open session per document, kept by the database itself: two starts at the same moment
    # cannot both insert one (a partial unique index, on SQLite and PostgreSQL alike). A session
    # stays "open" for the index until it is completed, cancelled or marked lapsed; sessions.start
    # marks the document's expired ones lapsed before it inserts a new one.
    __table_args__ = (Index("uq_signing_sessions_open_document", "document_id", unique=True,
                            sqlite_where=text(OPEN_CONDITION), postgresql_where=text(OPEN_CONDITION)),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    mode: Mapped[str] = mapped_column(String(10))
    # The short code of the link is shown once; only its SHA-256 is kept.
    code_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The same code encrypted with a key derived from the app's secret (sessions.seal_code), so the
    # staff member who started the session sees it again until a device claims the link; then, and
    # at a cancel or replacement, it is cleared. Never in the staff member's session cookie.
    code_sealed: Mapped[str | None] = mapped_column(Text)
    # The browser that holds the session proves it with a cookie; only its SHA-256 is kept.
    device_sha256: Mapped[str | None] = mapped_column(String(64))
    shown_pdf_sha256: Mapped[str] = mapped_column(String(64))
    # Where each signer signs ("family_member:0" -> page and box), found once in the shown PDF.
    slots: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Set (with cancelled_at) when the family chose on the tablet to sign on paper instead.
    paper_requested_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # When a new start found this session expired and closed it for the one-open-session index.
    lapsed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    document: Mapped[DocumentRecord] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    signatures: Mapped[list["Signature"]] = relationship(
        back_populates="session", order_by="Signature.position")
    events: Mapped[list["SigningEvent"]] = relationship(order_by="SigningEvent.id")

    def state(self, now: dt.datetime | None = None) -> str:
        """waiting, partly_signed, complete, expired or cancelled."""
        now = now or utcnow()
        if self.completed_at:
            return "complete"
        if self.cancelled_at:
            return "cancelled"
        if as_utc(self.expires_at) <= now:
            return "expired"
        return "partly_signed" if self.signatures else "waiting"

    @property
    def mode_label(self) -> str:
        return MODES[self.mode]

    @property
    def state_label(self) -> str:
        """The state in Polish for staff; a session the family ended by choosing paper says so."""
        state = self.state()
        if state == "cancelled" and self.paper_requested_at is not None:
            return "zakończony – rodzina wybrała podpis na papierze"
        return STATES[state]


class Signature(db.Model):
    """One signer's signature in a session: who, how, when, from where, and the image's hashes."""

    __tablename__ = "signatures"
    # One signature per place in the order: a second submit of the same step fails here.
    __table_args__ = (UniqueConstraint("session_id", "position", name="uq_signatures_step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("signing_sessions.id"), index=True)
    position: Mapped[int]
    slot: Mapped[str] = mapped_column(String(80))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_role: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(20))  # a key of signatures.evidence.METHODS
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(500), default="")
    image_sha256: Mapped[str | None] = mapped_column(String(64))  # the flattened PNG in the archive
    strokes_sha256: Mapped[str | None] = mapped_column(String(64))  # signature_pad's toData() JSON
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The signing page's language when it was given (a key of signing.language.LANGUAGES); NULL
    # for signatures from before the page could be switched (it was Polish then).
    language: Mapped[str | None] = mapped_column(String(5))
    session: Mapped[SigningSession] = relationship(back_populates="signatures")
    staff_user: Mapped[User | None] = relationship()


class SigningEvent(db.Model):
    """Everything that happened in a session, in order: created, opened, refused, signed, cancelled..."""

    __tablename__ = "signing_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("signing_sessions.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(500), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class SignedDocument(db.Model):
    """A signed, sealed version of an issued document: from the tablet or from a paper scan."""

    __tablename__ = "signed_documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    session_id: Mapped[str | None] = mapped_column(ForeignKey("signing_sessions.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # "tablet" or "paper"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shown_pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    pdf_size: Mapped[int]
    scan_sha256: Mapped[str | None] = mapped_column(String(64))
    scan_ext: Mapped[str | None] = mapped_column(String(10))
    seal_certificate_sha256: Mapped[str] = mapped_column(String(64))
    # Who signed, as printed on the evidence page (name, role, method, time): for lists and the API.
    signers: Mapped[list] = mapped_column(JSON, default=list)
    # A later signed version names the one it replaces and why; the older row and its PDF never
    # change (the archive is write-once). Unique: a version is replaced once, the versions form a chain.
    replaces_id: Mapped[str | None] = mapped_column(ForeignKey("signed_documents.id"), unique=True)
    replace_reason: Mapped[str | None] = mapped_column(Text)
    # Paper: what the scan showed at each signature place when staff confirmed it (signatures.ink)
    scan_check: Mapped[list | None] = mapped_column(JSON)
    document: Mapped[DocumentRecord] = relationship(
        backref=backref("signed_versions", order_by="SignedDocument.created_at"))
    created_by: Mapped[User | None] = relationship()
    replaces: Mapped["SignedDocument | None"] = relationship(
        remote_side=[id], backref=backref("replaced_by", uselist=False))


class FamilyCopy(db.Model):
    """A one-time link to a signed version for the family's own phone (/k/<code>, service.signing.family).

    Only the SHA-256 of the code is kept for finding it; the code itself is kept encrypted
    (sessions.seal_code's scheme, its own key) so the tablet's end page, the staff page and the API
    can show it again while it may still be used, and is cleared at its use or revocation."""

    __tablename__ = "family_copies"
    id: Mapped[int] = mapped_column(primary_key=True)
    signed_document_id: Mapped[str] = mapped_column(ForeignKey("signed_documents.id"), index=True)
    code_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    code_sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # None: issued by the tablet when the last person signed
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    used_ip: Mapped[str] = mapped_column(String(64), default="")
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    signed_document: Mapped[SignedDocument] = relationship()
    created_by: Mapped[User | None] = relationship()
