"""Giving one signature in a session, and, after the last one, the sealed signed document."""
from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field

from babel.dates import format_datetime

from signatures.assemble import Mark, SlotBox, build_signed_pdf
from signatures.capture import CapturedSignature
from signatures.evidence import Evidence, EvidenceSigner, evidence_pdf

from ..accounts.models import User, utcnow
from ..archive.store import Staged, archiving
from ..extensions import db
from .models import Signature, SignedDocument, SigningSession, as_utc
from .plan import PlannedSigner
from .sessions import Client, ensure_open, record

STAFF_STAMP = "Podpisano elektronicznie – potwierdzenie hasłem"


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
         captured: CapturedSignature | None = None, staff: User | None = None) -> Signed:
    """Records one signature; after the last signer builds, seals and archives the signed PDF. All or nothing."""
    ensure_open(session)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with archiving(pipe.store, db.session) as staged:
        if captured is not None:
            staged.put(captured.png, "png")
            staged.put(captured.strokes, "json")
        signature = Signature(
            session_id=session.id, position=step.position, slot=step.slot,
            signer_name=staff.full_name if staff else step.name, signer_role=step.role,
            method=method_of(session, staff), signed_at=utcnow(), ip=client.ip[:64],
            user_agent=client.user_agent[:500],
            image_sha256=captured.sha256 if captured else None,
            strokes_sha256=captured.strokes_sha256 if captured else None,
            staff_user_id=staff.id if staff else None)
        session.signatures.append(signature)
        db.session.flush()  # a second submit of the same step fails here, on the unique step
        record(session, "signed", client, f"{step.position + 1}. {signature.signer_name} – {step.role}")
        timings["record"] = time.perf_counter() - start
        result = None
        if len(session.signatures) == len(plan):
            result = _finish(session, pipe, office_name, location, client, staged, timings,
                             fresh={signature.image_sha256: captured.png} if captured else {})
        db.session.commit()
    timings["total"] = time.perf_counter() - start
    return Signed(signature=signature, result=result, timings=timings)


def _finish(session: SigningSession, pipe, office_name: str, location: str | None, client: Client,
            staged: Staged, timings: dict[str, float],
            fresh: dict[str | None, bytes]) -> SignedDocument:
    """Signature images into their slots, the evidence page after the document, the seal last."""
    store, doc, now = pipe.store, session.document, utcnow()
    t = time.perf_counter()
    shown = store.read(session.shown_pdf_sha256, "pdf")
    marks = []
    for sig in session.signatures:
        png = None
        if sig.image_sha256:
            png = fresh.get(sig.image_sha256) or store.read(sig.image_sha256, "png")
        lines = (STAFF_STAMP, f"{sig.signer_name}, {sig.signer_role}", _stamp_time(sig.signed_at)) \
            if sig.staff_user_id else ()
        marks.append(Mark(slot=sig.slot, png=png, lines=lines))
    evidence = Evidence(
        title=doc.title, document_id=doc.id, case_sign=doc.case.sign, office_name=office_name,
        shown_pdf_sha256=session.shown_pdf_sha256, created_at=now,
        signers=tuple(EvidenceSigner(
            name=s.signer_name, role=s.signer_role, method=s.method, signed_at=as_utc(s.signed_at),
            ip=s.ip, user_agent=s.user_agent, image_sha256=s.image_sha256,
            strokes_sha256=s.strokes_sha256) for s in session.signatures))
    timings["load"] = time.perf_counter() - t
    t = time.perf_counter()
    evidence_bytes = evidence_pdf(evidence)
    timings["evidence"] = time.perf_counter() - t
    t = time.perf_counter()
    slots = {key: SlotBox.from_json(box) for key, box in session.slots.items()}
    unsealed = build_signed_pdf(shown, marks, evidence_bytes, slots=slots)
    timings["place"] = time.perf_counter() - t
    t = time.perf_counter()
    sealed = pipe.sealer.seal(unsealed, reason="Pieczęć elektroniczna urzędu – dokument podpisany",
                              location=location)
    timings["seal"] = time.perf_counter() - t
    t = time.perf_counter()
    digest = staged.put(sealed, "pdf")
    result = SignedDocument(
        id=uuid.uuid4().hex, document_id=doc.id, session_id=session.id, kind="tablet", created_at=now,
        created_by_id=session.created_by_id, shown_pdf_sha256=session.shown_pdf_sha256,
        pdf_sha256=digest, pdf_size=len(sealed), seal_certificate_sha256=pipe.sealer.fingerprint,
        signers=[signer_summary(s) for s in evidence.signers])
    db.session.add(result)
    session.completed_at = now
    record(session, "completed", client, f"podpisany dokument {result.id}")
    timings["archive"] = time.perf_counter() - t
    return result


def signer_summary(signer: EvidenceSigner) -> dict[str, str]:
    """What lists and the API show of a signer."""
    return {"name": signer.name, "role": signer.role, "method": signer.method,
            "signed_at": signer.signed_at.astimezone(dt.timezone.utc).isoformat()}


def _stamp_time(moment: dt.datetime) -> str:
    return format_datetime(as_utc(moment), "dd.MM.y, HH:mm", tzinfo="Europe/Warsaw", locale="pl_PL")
