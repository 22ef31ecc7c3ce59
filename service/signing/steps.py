"""Giving one signature in a session, and, after the last one, the sealed signed document."""
from __future__ import annotations

import datetime as dt
import logging
import re
import textwrap
import time
import uuid
from dataclasses import dataclass, field

from babel.dates import format_datetime
from sqlalchemy import delete, select, update

from signatures.assemble import Mark, SlotBox, build_signed_pdf
from signatures.capture import CapturedSignature
from signatures.evidence import Evidence, EvidenceSigner, evidence_pdf
from signatures.multiscript import isolate

from ..accounts.models import User, utcnow
from ..archive.models import DocumentRecord
from ..archive.store import Staged, archiving
from ..extensions import db
from .models import Signature, SignedDocument, SigningEvent, SigningSession, as_utc
from . import family, trail
from .language import polish_name
from .plan import PlannedSigner, titled_role
from .sessions import Client, SessionClosed, ensure_open, record

log = logging.getLogger(__name__)
STAFF_STAMP = "Podpisano elektronicznie – potwierdzenie hasłem"
# the longest role a password stamp prints after the name on its line (stamp_lines): the longest
# of the roles' names, „Kierownik ośrodka – zatwierdzenie wniosku”, and a little more
STAMP_ROLE_CHARS = 45


@dataclass
class Signed:
    """The signature just given and, if it was the last, the signed document; with stage timings (s)."""

    signature: Signature
    result: SignedDocument | None = None
    timings: dict[str, float] = field(default_factory=dict)


def method_of(session: SigningSession, staff: User | None) -> str:
    """How a signature was given, as a key of signatures.evidence.METHODS."""
    if staff is not None:
        return "staff_password"
    return "tablet_here" if session.mode == "here" else "tablet_remote"


def sign(session: SigningSession, step: PlannedSigner, plan: list[PlannedSigner], *, pipe,
         office_name: str, location: str | None, client: Client,
         captured: CapturedSignature | None = None, staff: User | None = None,
         language: str | None = None, head_title: str = "") -> Signed:
    """Records one signature; after the last signer builds, seals and archives the signed PDF.

    Three short transactions, none open while the PDF is assembled and sealed:
      1. the signature row and its event are inserted and committed: the unique (session,
         position) makes a second submit of the same step fail here with IntegrityError, at once;
      2. (last signer only, no transaction) the images are placed, the evidence page is appended,
         the seal is applied;
      3. the sealed file is written and the signed version stored, and the session completed only
         if it is still open and the document has no signed version yet (a cancel or a paper
         scan may have closed it, or a paper scan been attached after it expired, meanwhile:
         SessionClosed("cancelled"), the signature kept as history like any cancel keeps it); the
         document's row lock orders this against paper.attach_scan (OWASP ASVS 4.0.3, 11.1.6).
    If stage 2 or 3 fails otherwise, the signature of stage 1 is withdrawn and its files removed,
    so the last signer simply signs again: all or nothing, as before.
    `language` is the signing page's language (a key of language.LANGUAGES), kept with the
    signature and printed on the evidence page. `head_title` is the office profile's title of its
    head: the evidence page names the head's step by it (plan.titled_role), in the signer's rows
    and in the trail's line of the signature.
    Raises SessionClosed, IntegrityError (the step was already signed) or what the stages raise.
    """
    ensure_open(session)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    session_id = session.id
    with archiving(pipe.store, db.session) as staged:
        if captured is not None:
            staged.put(captured.png, "png")
            staged.put(captured.strokes, "json")
        signature = Signature(
            session_id=session_id, position=step.position, slot=step.slot,
            signer_name=staff.full_name if staff else step.name, signer_role=step.role,
            method=method_of(session, staff), signed_at=utcnow(), ip=client.ip[:64],
            user_agent=client.user_agent[:500],
            image_sha256=captured.sha256 if captured else None,
            strokes_sha256=captured.strokes_sha256 if captured else None,
            staff_user_id=staff.id if staff else None, language=language)
        db.session.add(signature)
        db.session.flush()  # a second submit of the same step fails here, on the unique step
        event = record(session, "signed", client,
                       f"{step.position + 1}. {signature.signer_name} – {titled_role(step, head_title)}")
        db.session.flush()
        given = (signature.id, event.id)
        db.session.commit()
    timings["record"] = time.perf_counter() - start
    result = None
    if len(session.signatures) == len(plan):
        try:
            result = _finish(session, pipe, office_name, location, client, timings,
                             fresh={captured.sha256: captured.png} if captured else {},
                             plan=plan, head_title=head_title)
        except SessionClosed:
            raise
        except BaseException:
            _withdraw(pipe.store, staged, *given)
            raise
    timings["total"] = time.perf_counter() - start
    return Signed(signature=signature, result=result, timings=timings)


def _withdraw(store, staged: Staged, signature_id: int, event_id: int) -> None:
    """Takes back a last signature whose signed document could not be made (short transaction)."""
    try:
        db.session.rollback()
        db.session.execute(delete(Signature.__table__).where(Signature.__table__.c.id == signature_id))
        db.session.execute(delete(SigningEvent.__table__).where(SigningEvent.__table__.c.id == event_id))
        db.session.commit()
    except Exception:  # the failure being raised matters more; the signature stays, files with it
        log.exception("signature %s not withdrawn after a failed finish", signature_id)
        db.session.rollback()
        return
    for digest, ext in staged.created:
        store.discard(digest, ext)


def stamp_lines(name: str, role: str, signed_at: dt.datetime) -> tuple[str, ...]:
    """The lines of a staff member's password stamp over the signature's dotted line: STAFF_STAMP,
    „name, role”, the time (`signed_at`). A role too long to share a line with the name (over
    STAMP_ROLE_CHARS characters: the office's title of its head, „Dyrektor Miejskiego Ośrodka Pomocy
    Społecznej w Kędzierzynie-Koźlu”, plan.titled_role) comes under the name, broken at spaces into
    lines of at most STAMP_ROLE_CHARS as the template's caption under the signature breaks it: no
    line ends in a one-letter word or starts with a dash, none breaks at a hyphen. On one line the
    stamp's letters shrank to the smallest size and a longer title ran over the slot's edge.
    Each value is isolated (UAX #9, FSI … PDI): a right-to-left name keeps the role out of it."""
    when = isolate(_stamp_time(signed_at))
    if len(role) <= STAMP_ROLE_CHARS:
        return STAFF_STAMP, f"{isolate(name)}, {isolate(role)}", when
    # a one-letter word („w”, „i”) glued to the word after it, a dash to the word before it
    glued = re.sub(r" (?=–)", "\0", re.sub(r"(?<!\S)(\w) ", "\\1\0", role))
    lines = textwrap.wrap(glued, STAMP_ROLE_CHARS, break_long_words=False, break_on_hyphens=False)
    return STAFF_STAMP, isolate(name), *(isolate(line.replace("\0", " ")) for line in lines), when


def _finish(session: SigningSession, pipe, office_name: str, location: str | None, client: Client,
            timings: dict[str, float], fresh: dict[str | None, bytes],
            plan: list[PlannedSigner] = (), head_title: str = "") -> SignedDocument:
    """Signature images into their slots, the evidence page after the document, the seal last.
    `head_title`: the office's title of its head; the evidence page and a staff member's stamp
    name each step of `plan` by it (plan.titled_role; a signature's own recorded role for a step
    the plan lacks), and a head who started the session or acted in its trail (trail.role_of)."""
    roles = {p.position: titled_role(p, head_title) for p in plan}
    store, doc, now = pipe.store, session.document, utcnow()
    t = time.perf_counter()
    marks = []
    for sig in session.signatures:
        png = None
        if sig.image_sha256:
            png = fresh.get(sig.image_sha256) or store.read(sig.image_sha256, "png")
        lines = stamp_lines(sig.signer_name, roles.get(sig.position, sig.signer_role),
                            sig.signed_at) if sig.staff_user_id else ()
        # the image's alternative text in the tagged PDF (signatures.tagging)
        marks.append(Mark(slot=sig.slot, png=png, lines=lines, alt=f"Podpis: {sig.signer_name}"))
    evidence = Evidence(
        title=doc.title, document_id=doc.id, case_sign=doc.case.sign, office_name=office_name,
        shown_pdf_sha256=session.shown_pdf_sha256, created_at=now,
        signers=tuple(EvidenceSigner(
            name=s.signer_name, role=roles.get(s.position, s.signer_role), method=s.method,
            signed_at=as_utc(s.signed_at),
            ip=s.ip, user_agent=s.user_agent, image_sha256=s.image_sha256,
            strokes_sha256=s.strokes_sha256, language=polish_name(s.language) if s.language else "")
            for s in session.signatures),
        staff=trail.staff_of(session, head_title), events=trail.events_of(session, head_title))
    slots = {key: SlotBox.from_json(box) for key, box in session.slots.items()}
    session_id, doc_id, shown_sha256, result_slug = session.id, doc.id, session.shown_pdf_sha256, doc.slug
    created_by_id = session.created_by_id
    db.session.rollback()  # only reads so far: no transaction stays open while the PDF is made
    shown = store.read(shown_sha256, "pdf")
    timings["load"] = time.perf_counter() - t
    t = time.perf_counter()
    evidence_bytes = evidence_pdf(evidence)
    timings["evidence"] = time.perf_counter() - t
    t = time.perf_counter()
    unsealed = build_signed_pdf(shown, marks, evidence_bytes, slots=slots)
    timings["place"] = time.perf_counter() - t
    t = time.perf_counter()
    sealed = pipe.sealer.seal(unsealed, reason="Pieczęć elektroniczna urzędu – dokument podpisany",
                              location=location)
    timings["seal"] = time.perf_counter() - t
    t = time.perf_counter()
    with archiving(store, db.session) as staged:
        digest = staged.put(sealed, "pdf")
        # PostgreSQL: the document's row lock makes this and a paper scan's attachment
        # (paper.attach_scan) take turns. SQLite: the UPDATE below takes the database's write lock,
        # so the check after it sees every version stored before it.
        db.session.execute(select(DocumentRecord.id).where(DocumentRecord.id == doc_id).with_for_update())
        sessions_table = SigningSession.__table__
        completed = db.session.execute(update(sessions_table).where(
            sessions_table.c.id == session_id, sessions_table.c.completed_at.is_(None),
            sessions_table.c.cancelled_at.is_(None)).values(completed_at=now)).rowcount
        if completed != 1:  # cancelled, or signed on paper, while the seal was being applied
            raise SessionClosed("cancelled")
        if _has_signed_version(doc_id):  # signed on paper meanwhile, the session not cancelled by it
            # (it had expired while the seal was applied, or was completed in the same instant):
            # the tablet never adds a second version in force beside it (replacing is the paper way's)
            raise SessionClosed("cancelled")
        result = SignedDocument(
            id=uuid.uuid4().hex, document_id=doc_id, session_id=session_id, kind="tablet", created_at=now,
            created_by_id=created_by_id, shown_pdf_sha256=shown_sha256,
            pdf_sha256=digest, pdf_size=len(sealed), seal_certificate_sha256=pipe.sealer.fingerprint,
            signers=[signer_summary(s) for s in evidence.signers])
        db.session.add(result)
        db.session.add(SigningEvent(session_id=session_id, action="completed", user_id=client.user_id,
                                    ip=client.ip[:64], user_agent=client.user_agent[:500],
                                    detail=f"podpisany dokument {result.id}"))
        # the family's copy: a one-time link the tablet's end page shows as a QR code (only of a
        # document a family member signs: an internal one stays in the office)
        if family.for_family(result_slug):
            family.issue(result, user=None, client=client)
        db.session.commit()
    timings["archive"] = time.perf_counter() - t
    return result


def _has_signed_version(doc_id: str) -> bool:
    """Whether the document has any signed version (in the open transaction)."""
    table = SignedDocument.__table__
    return db.session.execute(select(table.c.id).where(table.c.document_id == doc_id).limit(1)).first() is not None


def signer_summary(signer: EvidenceSigner) -> dict[str, str]:
    """What lists and the API show of a signer."""
    return {"name": signer.name, "role": signer.role, "method": signer.method,
            "signed_at": signer.signed_at.astimezone(dt.timezone.utc).isoformat()}


def _stamp_time(moment: dt.datetime) -> str:
    return format_datetime(as_utc(moment), "dd.MM.y, HH:mm", tzinfo="Europe/Warsaw", locale="pl_PL")
