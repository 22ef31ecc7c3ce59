"""The life of a signing session: start, hand over (device or one-time link), sign step by step, cancel."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, url_for
from babel.dates import format_datetime
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from signatures.assemble import find_slots, unsealed_revision

from .. import pipeline
from ..accounts.models import User, utcnow
from ..audit import Origin
from ..archive.models import DocumentRecord
from ..documents.registry import DOCUMENT_TYPES
from ..extensions import db
from ..families.access import visible_document, visible_documents
from ..i18n import N_
from .models import SigningEvent, SigningSession, as_utc
from .plan import PlannedSigner, signer_plan

# Letters and digits that cannot be mistaken for each other when typed from a screen (no 0/O, 1/I).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 40 bits: with a 30-minute life and one use, guessing is hopeless

# Polish, marked for pybabel: the device pages translate them into the family's language.
CLOSED_MESSAGES = {
    "complete": (N_("Dokument jest już podpisany"),
                 N_("Wszystkie podpisy zostały złożone. Ten link nie jest już ważny.")),
    "expired": (N_("Link do podpisu wygasł"),
                N_("Czas na złożenie podpisu minął. Poproś pracownika ośrodka o nowy link.")),
    "cancelled": (N_("Podpisywanie anulowane"),
                  N_("Pracownik ośrodka anulował podpisywanie tego dokumentu.")),
    "paper": (N_("Podpiszesz dokument na papierze"),
              N_("Podpisywanie na tym urządzeniu zostało zakończone. Pracownik ośrodka wydrukuje dokument "
                 "do podpisu na papierze.")),
    "used": (N_("Link został już użyty"),
             N_("Link do podpisu działa tylko raz i został już otwarty na innym urządzeniu. "
                "Poproś pracownika ośrodka o nowy link.")),
    "unknown": (N_("Nie ma takiego linku"),
                N_("Sprawdź, czy kod został przepisany dokładnie, albo poproś pracownika ośrodka o nowy link.")),
}


class SigningError(Exception):
    """A signing operation the service refuses; str(exc) is a Polish message."""


class SessionAlreadyOpen(SigningError):
    """A session of the document is still open: a second one is not started (the API answers 409)."""


def already_open_message(running: SigningSession | None) -> str:
    """The Polish refusal of a second start, naming when the open session began and by whom."""
    if running is None:
        return ("Podpisywanie tego dokumentu właśnie rozpoczęto na innym urządzeniu. Dokończ je albo "
                "anuluj, zanim zaczniesz nowe.")
    started = format_datetime(as_utc(running.created_at), "d MMMM, HH:mm", tzinfo="Europe/Warsaw", locale="pl_PL")
    who = running.created_by.full_name if running.created_by else ""
    return (f"Podpisywanie tego dokumentu już trwa – rozpoczęto je {started}"
            + (f" ({who})" if who else "") + ". Dokończ je albo anuluj, zanim zaczniesz nowe.")


class SessionClosed(SigningError):
    """The link or session can no longer be used: complete, expired, cancelled, used or unknown."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.title, message = CLOSED_MESSAGES[reason]
        super().__init__(message)


@dataclass(frozen=True)
class Client:
    """Who acted and from where, as the event trail and the evidence page record it: the origin's
    address and browser (at most 500 characters) and the staff member's id (None: the family on the
    device, or no one logged in). Built from an audit.Origin and the actor by Client.of."""

    ip: str = ""
    user_agent: str = ""
    user_id: int | None = None

    @classmethod
    def of(cls, actor: User | None, origin: Origin) -> Client:
        """The trail's view of an actor (a staff member or None) acting from `origin`."""
        # the id is taken now: the actor's row may be expired by a commit before it is recorded
        return cls(ip=origin.ip, user_agent=origin.user_agent[:500], user_id=actor.id if actor is not None else None)


def sha256_text(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalize_code(text: str) -> str:
    """'abcd-2345 ' -> 'ABCD2345': people type codes in any case, with or without the dash."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """'ABCD2345' -> 'ABCD-2345', easier to read aloud and type."""
    return f"{code[:4]}-{code[4:]}"


def link_for(code: str) -> str:
    """The short link of a code: what the QR code carries and what can be typed on the tablet
    (absolute, built from ASYSTA_PUBLIC_URL when set, as every external link)."""
    return url_for("device.open_link", code=code, _external=True)


def _code_box(purpose: bytes = b"asysta: signing link codes") -> Fernet:
    """Fernet (AES-128-CBC with HMAC-SHA256) under a key derived from SECRET_KEY by HKDF-SHA256 for
    one purpose only (`purpose` is HKDF's info), so the link codes kept for staff are unreadable
    without the app's secret and a code of one kind never opens as another."""
    secret = current_app.config["SECRET_KEY"]
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=purpose).derive(
        secret.encode("utf-8") if isinstance(secret, str) else secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal_code(code: str) -> str:
    """The link code encrypted for the session row (a Fernet token, ASCII)."""
    return _code_box().encrypt(code.encode("ascii")).decode("ascii")


def link_code(session: SigningSession, user: User) -> str | None:
    """The code of a session's one-time link ('ABCD2345'), shown again on the staff page.

    Only to the staff member who started the session, and only while the link is unclaimed and
    the session open; None otherwise, also when the app's secret key has changed since. The code
    is kept encrypted in the session row, never in the staff member's session cookie, which is
    signed but readable by anyone holding it (OWASP ASVS 4.0.3, 8.2.2: no sensitive data in
    browser storage)."""
    if (session.code_sealed is None or session.claimed_at is not None or session.created_by_id != user.id
            or session.state() not in ("waiting", "partly_signed")):
        return None
    try:
        return _code_box().decrypt(session.code_sealed.encode("ascii")).decode("ascii")
    except InvalidToken:
        return None


def seconds_left(session: SigningSession, now: dt.datetime | None = None) -> int:
    """Whole seconds until the session expires (0 when it has): the device cookie's Max-Age."""
    return max(0, int((as_utc(session.expires_at) - (now or utcnow())).total_seconds()))


def plan_for(doc: DocumentRecord) -> list[PlannedSigner]:
    """The signers of an issued document, in order."""
    doctype = DOCUMENT_TYPES.get(doc.slug)
    return signer_plan(doctype, doc.data) if doctype else []


def record(session: SigningSession, action: str, client: Client, detail: str = "") -> SigningEvent:
    """Adds one event to the session's trail (committed with the operation it belongs to); returns it."""
    event = SigningEvent(session_id=session.id, action=action, user_id=client.user_id,
                         ip=client.ip[:64], user_agent=client.user_agent[:500], detail=detail)
    db.session.add(event)
    return event


def open_sessions(doc: DocumentRecord, now: dt.datetime | None = None) -> list[SigningSession]:
    """The document's sessions that still accept signatures."""
    sessions = db.session.execute(select(SigningSession).where(
        SigningSession.document_id == doc.id, SigningSession.completed_at.is_(None),
        SigningSession.cancelled_at.is_(None))).scalars()
    # one whose starter left is ended in the caller's transaction (a paper scan's attach is one)
    return [s for s in sessions
            if s.state(now) in ("waiting", "partly_signed") and not end_if_starter_left(s, commit=False)]


def start(doc: DocumentRecord, user: User, mode: str, *, minutes: float,
          client: Client) -> tuple[SigningSession, str]:
    """Starts a session; returns it with its secret: the device cookie ("here") or the link code ("remote")."""
    plan = plan_for(doc)
    if not plan:
        raise SigningError("Ten dokument nie ma miejsc na podpisy.")
    if doc.signed_versions:
        raise SigningError("Ten dokument jest już podpisany: pobierz jego podpisaną wersję zamiast podpisywać go ponownie.")
    # Found once here, so the last signature does not search the pages again.
    shown_pdf = pipeline(current_app).store.read(doc.pdf_sha256, "pdf")
    slots = find_slots(unsealed_revision(shown_pdf))
    missing = [p.slot for p in plan if p.slot not in slots]
    if missing:  # a template without its signature places: say so now, not after the signing
        raise SigningError(f"Szablon dokumentu nie ma miejsca na podpis ({', '.join(missing)}). "
                           "Zgłoś to administratorowi; do tego czasu podpisz dokument na papierze.")
    now = utcnow()
    session = SigningSession(id=uuid.uuid4().hex, document_id=doc.id, mode=mode,
                             shown_pdf_sha256=doc.pdf_sha256, created_by_id=user.id, created_at=now,
                             slots={p.slot: slots[p.slot].to_json() for p in plan},
                             expires_at=now + dt.timedelta(minutes=minutes))
    if mode == "here":
        secret = secrets.token_urlsafe(32)
        session.device_sha256, session.claimed_at = sha256_text(secret), now
    else:
        secret = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        session.code_sha256, session.code_sealed = sha256_text(secret), seal_code(secret)
    # One open session per document: a start while another is open is refused (the staff member
    # finishes or cancels that one first). The partial unique index uq_signing_sessions_open_document
    # makes this hold for two starts at the same moment, whatever the timing. PostgreSQL: the
    # document's row lock makes them take turns first, so the later one gets the plain message.
    # SQLite: the UPDATE below takes the database's write lock, so the check after it sees every
    # start committed before it.
    db.session.execute(select(DocumentRecord.id).where(DocumentRecord.id == doc.id).with_for_update())
    table = SigningSession.__table__
    lapsed = db.session.execute(
        update(table).where(table.c.document_id == doc.id, table.c.completed_at.is_(None),
                            table.c.cancelled_at.is_(None), table.c.lapsed_at.is_(None),
                            table.c.expires_at <= now)
        .values(lapsed_at=now, code_sealed=None).returning(table.c.id)).scalars().all()
    for old_id in lapsed:
        db.session.add(SigningEvent(session_id=old_id, action="lapsed", user_id=client.user_id,
                                    ip=client.ip[:64], user_agent=client.user_agent[:500],
                                    detail="wygasło; zamknięte przy rozpoczęciu nowego podpisywania"))
    running = db.session.execute(select(SigningSession).where(
        SigningSession.document_id == doc.id, SigningSession.completed_at.is_(None),
        SigningSession.cancelled_at.is_(None), SigningSession.lapsed_at.is_(None))).scalars().first()
    if running is not None and end_if_starter_left(running, commit=False):
        db.session.flush()  # the partial unique index sees it ended before the new one is added
        running = None
    if running is not None:
        message = already_open_message(running)
        db.session.rollback()
        raise SessionAlreadyOpen(message)
    db.session.add(session)
    try:
        db.session.flush()
    except IntegrityError:  # another start of this document won the same instant (SQLite or PostgreSQL)
        db.session.rollback()
        raise SessionAlreadyOpen(already_open_message(None)) from None
    record(session, "created", client, session.mode_label)
    db.session.commit()
    return session, secret


def by_code(code: str) -> SigningSession:
    """The session of a link code, if it can still be opened; raises SessionClosed otherwise."""
    code = normalize_code(code)
    if len(code) != CODE_LENGTH:
        raise SessionClosed("unknown")
    session = db.session.execute(select(SigningSession).where(
        SigningSession.code_sha256 == sha256_text(code))).scalar_one_or_none()
    if session is None:
        raise SessionClosed("unknown")
    return session


def ensure_open(session: SigningSession) -> None:
    """Raises SessionClosed unless the session still accepts signatures (one whose starter lost
    the family is cancelled first: end_if_starter_left)."""
    end_if_starter_left(session)
    state = session.state()
    if state not in ("waiting", "partly_signed"):
        raise SessionClosed(state)


def starter_left(session: SigningSession) -> bool:
    """Whether the staff member who started the session may no longer read its document: the
    account turned off, or the family no longer theirs (reassigned, assignment ended, another
    social worker in charge). Who sees whom (families.access) holds for the devices and links a
    staff member handed out, not only for their own pages."""
    starter = session.created_by
    return starter is None or not starter.active or visible_document(starter, session.document_id) is None


def may_sign_staff_step(user: User, session: SigningSession) -> bool:
    """Whether `user` may give a staff signature in `session` (its role is the step's, checked by
    the caller): only a staff member who may read the document (families.access), i.e. the social
    worker in charge of the family, an assistant assigned to it, or a role that reads every family
    (the head). A staff step is never signed by any holder of the role: an assistant of another
    family cannot sign the cooperation rules of this one."""
    return visible_document(user, session.document_id) is not None


def staff_step_for(user: User, session: SigningSession,
                   plan: list[PlannedSigner] | None = None) -> PlannedSigner | None:
    """The step `session` waits at if `user` may sign it from their own logged-in session: the
    session is open, its next step is a staff step of the user's role, and the user may read the
    document (may_sign_staff_step: the same rule as a staff step signed on the device). None
    otherwise. `plan` is plan_for(session.document) when the caller has it already."""
    if session.state() not in ("waiting", "partly_signed"):
        return None
    step = next_step(session, plan if plan is not None else plan_for(session.document))
    if step is None or not step.is_staff or step.staff_role != user.role:
        return None
    return step if may_sign_staff_step(user, session) else None


def waiting_for(user: User, now: dt.datetime | None = None) -> list[tuple[SigningSession, PlannedSigner]]:
    """The open sessions, among the documents `user` may read, that wait at a step they may sign
    from their own session (staff_step_for), with that step; newest document first. Reading them
    is the caller's to log (a start page's list)."""
    now = now or utcnow()
    found = db.session.execute(
        select(SigningSession).join(DocumentRecord, DocumentRecord.id == SigningSession.document_id)
        .where(SigningSession.completed_at.is_(None), SigningSession.cancelled_at.is_(None),
               SigningSession.lapsed_at.is_(None), SigningSession.expires_at > now,
               SigningSession.document_id.in_(visible_documents(user).with_only_columns(DocumentRecord.id)))
        .order_by(DocumentRecord.created_at.desc(), SigningSession.created_at.desc())).scalars().all()
    waiting = []
    for session in found:
        if end_if_starter_left(session):  # its starter left: closed now, as its pages would close it
            continue
        step = staff_step_for(user, session)
        if step is not None:
            waiting.append((session, step))
    return waiting


STARTER_LEFT = "zamknięte: osoba, która rozpoczęła podpisywanie, nie ma już dostępu do dokumentu"


def end_if_starter_left(session: SigningSession, *, commit: bool = True) -> bool:
    """Cancels an open session whose starter left (starter_left): its device and one-time link
    stop at once, as after a cancel, and the trail says why. Returns whether it did; commits
    unless `commit` is False (the caller's transaction then holds the change)."""
    if session.state() not in ("waiting", "partly_signed") or not starter_left(session):
        return False
    session.cancelled_at, session.code_sealed = utcnow(), None
    record(session, "cancelled", Client(), STARTER_LEFT)
    if commit:
        db.session.commit()
    return True


def claim(session: SigningSession, client: Client) -> str:
    """Binds a link's session to the device that opened it first; returns the device secret.

    Raises SessionClosed: the session's state when it no longer accepts signatures, "used" when
    another device has claimed it. Of any number of devices opening the link at the same moment
    exactly one gets it (OWASP ASVS 4.0.3, 11.1.6 and 2.7.3: the claim is one conditional UPDATE,
    atomic on SQLite and PostgreSQL; tests/signing/test_device_access.py sends 20 at once).
    The code kept for the staff page is cleared with the claim."""
    ensure_open(session)
    secret = secrets.token_urlsafe(32)
    table = SigningSession.__table__
    claimed = session.claimed_at is None and db.session.execute(
        update(table).where(table.c.id == session.id, table.c.claimed_at.is_(None))
        .values(device_sha256=sha256_text(secret), claimed_at=utcnow(), code_sealed=None)).rowcount == 1
    if not claimed:
        db.session.rollback()
        record(session, "link_reused", client)
        db.session.commit()
        raise SessionClosed("used")
    record(session, "link_opened", client)
    db.session.commit()
    return secret


def holds(session: SigningSession, device_secret: str | None) -> bool:
    """Whether this browser is the device the session is bound to: the SHA-256 of its cookie's
    secret equals the one stored in this session's row (compared in constant time), so a cookie of
    one session never opens another."""
    return bool(device_secret and session.device_sha256) and hmac.compare_digest(
        sha256_text(device_secret), session.device_sha256)


def next_step(session: SigningSession, plan: list[PlannedSigner]) -> PlannedSigner | None:
    """The signer whose turn it is, or None when everyone has signed."""
    done = len(session.signatures)
    return plan[done] if done < len(plan) else None


def cancel(session: SigningSession, user: User, client: Client) -> None:
    """Cancels an open session: its link and device stop working; signatures given are kept as history."""
    ensure_open(session)
    session.cancelled_at, session.cancelled_by_id, session.code_sealed = utcnow(), user.id, None
    record(session, "cancelled", client)
    db.session.commit()


def choose_paper(session: SigningSession, client: Client) -> None:
    """The family asks on the device to sign on paper instead: the session ends like a cancel (its
    link and device stop working, signatures given stay as history), marked with the family's
    reason, so the document's page tells staff to print the copy for signing (paper.py).
    Raises SessionClosed when the session is no longer open."""
    ensure_open(session)
    now = utcnow()
    session.cancelled_at, session.paper_requested_at, session.code_sealed = now, now, None
    record(session, "paper_requested", client)
    db.session.commit()


def paper_requested(doc: DocumentRecord) -> SigningSession | None:
    """The latest session of the document that the family ended by choosing paper, while that is
    still the document's last word: not signed since, and no session started after it."""
    latest = db.session.scalars(select(SigningSession).where(SigningSession.document_id == doc.id)
                                .order_by(SigningSession.created_at.desc()).limit(1)).first()
    if latest is None or latest.paper_requested_at is None or doc.signed_versions:
        return None
    return latest


def find_session(session_id: str) -> SigningSession | None:
    return db.session.get(SigningSession, session_id)
