"""The paper way: a print copy with marks and a QR code; the scan of the signed paper checked for
signatures, confirmed by staff, then archived and sealed (a signed document only by replacement)."""
from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass

from babel.dates import format_datetime
from flask import current_app
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from signatures.assemble import AssembleError, build_print_copy, build_scan_pdf, find_slots, unsealed_revision
from signatures.evidence import Evidence, EvidenceEvent, EvidenceSigner, EvidenceStaff, evidence_pdf
from signatures.ink import Place, ScanCheck, check_scan
from signatures.multiscript import isolate
from signatures.qr import (TOO_HEAVY, TOO_SLOW, UNREADABLE, ScanError, ScanLimits, qr_png, read_pages,
                           scan_kind)

from .. import uploads
from ..accounts.models import User, utcnow
from ..archive.models import DocumentRecord
from ..archive.store import archiving
from ..extensions import db
from .models import SignedDocument, as_utc
from . import family, trail
from .plan import titled_role
from .sessions import Client, open_sessions, plan_for, record
from .steps import signer_summary

PREVIEW_WIDTH = 1000  # pixels: the page images of the confirmation page
SIGNED_COLOUR, EMPTY_COLOUR = (30, 122, 60), (179, 38, 30)  # the page's --ok and --bad
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CHANGED = ("W międzyczasie dołączono inną podpisaną wersję tego dokumentu. Sprawdź dokument; jeśli ten skan "
           "ma ją zastąpić, wgraj go ponownie i podaj powód zastąpienia.")

SCAN_EXTENSIONS = {"PDF": "pdf", "PNG": "png", "JPEG": "jpg", "TIFF": "tif"}
SCAN_MESSAGES = uploads.Messages(too_slow=TOO_SLOW, too_heavy=TOO_HEAVY, broken=UNREADABLE)


@dataclass
class Scan:
    """An uploaded scan: its pages and the document identifiers found in its QR codes."""

    data: bytes
    ext: str
    pages: list
    found_ids: list[str]


def qr_payload(doc: DocumentRecord) -> str:
    """What the printed QR code carries: the identifier in capitals, so QR's alphanumeric mode keeps
    the code small enough (about 1.5 cm in the margin) to survive a 150-dpi scan."""
    return f"ASYSTA:{doc.id.upper()}"


def document_tag(doc: DocumentRecord) -> int:
    """The document's tag (0–255) coded on each printed page: a page of another document is told apart
    even when the QR code cannot be read and the document was chosen by hand."""
    return int(doc.id[:2], 16)


def print_copy(doc: DocumentRecord, shown_pdf: bytes) -> bytes:
    """The document to print and sign on paper: on every page a QR code identifying it, registration
    marks and the page's code (signatures.ink), by which the scan's signature places are found."""
    label = f"{isolate(doc.doc_ref)} · {isolate(doc.case.sign)}"  # each value isolated (UAX #9, FSI … PDI)
    return build_print_copy(shown_pdf, qr_png(qr_payload(doc), scale=6), label, tag=document_tag(doc))


def read_scan(data: bytes) -> Scan:
    """Reads an uploaded scan (PDF, JPEG, PNG or TIFF) in a limited child process (service.uploads).

    Returns its pages as RGB images of at most A4 at 200 dpi and the document identifiers of its QR
    codes (read at the pages' full resolution). The kind of file is checked first, in this process;
    the limits are SCAN_MAX_PAGES, SCAN_MAX_DPI and the UPLOAD_* ones. Raises
    signatures.qr.ScanError with a Polish message (not a scan, too large, too slow or too heavy to
    read) and service.uploads.UploadsBusy when every parsing slot is taken (OWASP ASVS 4.0.3 V12.1.1).
    """
    kind = scan_kind(data)  # an empty or unknown file needs no process to be refused
    config = current_app.config
    limits = ScanLimits.for_dpi(int(config["SCAN_MAX_PAGES"]), int(config["SCAN_MAX_DPI"]))
    try:
        items = uploads.parse(read_pages, data, limits, messages=SCAN_MESSAGES)
    except uploads.UploadRefused as exc:
        raise ScanError(str(exc)) from None
    pages = [value for what, value in items if what == "page"]
    found_ids = next(value for what, value in items if what == "ids")
    return Scan(data=data, ext=SCAN_EXTENSIONS[kind], pages=pages, found_ids=found_ids)


class ScanRefused(Exception):
    """A scan that cannot be archived for this document now; str(exc) is a Polish message for the clerk."""


def place_label(role: str, name: str) -> str:
    """How a signature place is named to staff: 'Osoba wyrażająca zgodę (matka) – Anna Kowalska'."""
    return f"{role} – {name}" if name else role


def signature_places(doc: DocumentRecord, shown_pdf: bytes) -> list[Place]:
    """Where each signer of the document signs: its SIG markers (the same places as on the tablet).

    Raises ScanRefused when the template lacks a place for a planned signer.
    """
    try:
        slots = find_slots(unsealed_revision(shown_pdf))
    except AssembleError:
        slots = {}
    places = []
    for step in plan_for(doc):
        slot = slots.get(step.slot)
        if slot is None:
            raise ScanRefused("Szablon dokumentu nie ma oznaczonego miejsca na podpis, więc skanu nie można "
                              "sprawdzić. Zgłoś to administratorowi.")
        places.append(Place(key=step.slot, page=slot.page, box=(slot.x, slot.y, slot.width, slot.height),
                            label=place_label(step.role, step.name)))
    return places


def check(doc: DocumentRecord, scan: Scan, store) -> ScanCheck:
    """Checks a read scan against the document's print copy (signatures.ink.check_scan): every page
    found once, ink at every signature place. Raises ScanRefused when the document cannot be checked."""
    shown = unsealed_revision(store.read(doc.pdf_sha256, "pdf"))
    places = signature_places(doc, shown)
    if not places:
        raise ScanRefused("Ten dokument nie ma miejsc na podpisy – nie dołącza się do niego skanu.")
    boxes = [tuple(float(v) for v in page.mediabox) for page in PdfReader(io.BytesIO(shown)).pages]
    return check_scan(scan.pages, shown, places, document_tag(doc), boxes, qr_found=doc.id in scan.found_ids)


def previews(scan: Scan, result: ScanCheck) -> list[bytes]:
    """Each scanned page as a JPEG about 1000 px wide, each checked place outlined (green: signed, red:
    empty) and numbered as in the list beside the pages."""
    font_size = 22
    try:
        font = ImageFont.truetype(_FONT, font_size)
    except OSError:
        font = ImageFont.load_default()
    out = []
    for index, page in enumerate(scan.pages):
        scale = min(1.0, PREVIEW_WIDTH / page.width)
        image = page.convert("RGB")
        if scale < 1.0:
            image = image.resize((round(page.width * scale), round(page.height * scale)), Image.Resampling.LANCZOS)
        draw = ImageDraw.Draw(image)
        for number, place in enumerate(result.places, 1):
            if place.scan_page != index:
                continue
            colour = SIGNED_COLOUR if place.state == "signed" else EMPTY_COLOUR
            polygon = [(u * scale, v * scale) for u, v in place.polygon]
            draw.polygon(polygon, outline=colour, width=4)
            x, y = min(u for u, _ in polygon), min(v for _, v in polygon)
            mark = f"{number} {'✓' if place.state == 'signed' else '✗'}"
            box = draw.textbbox((x, y), mark, font=font)
            tag = (box[0] - 4, box[1] - font_size - 12, box[2] + 8, box[1] - 4)
            draw.rectangle(tag, fill=colour)
            draw.text((tag[0] + 6, tag[1] + 2), mark, font=font, fill=(255, 255, 255))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        out.append(buffer.getvalue())
    return out


def current_version(doc: DocumentRecord) -> SignedDocument | None:
    """The document's signed version in force: the latest one no other version replaces."""
    replaced = {v.replaces_id for v in doc.signed_versions if v.replaces_id}
    heads = [v for v in doc.signed_versions if v.id not in replaced]
    return heads[-1] if heads else None


def version_of(doc: DocumentRecord, signed_id: str) -> SignedDocument | None:
    """The document's signed version with this identifier (in force or replaced), or None."""
    return next((v for v in doc.signed_versions if v.id == signed_id), None)


def signed_how(version: SignedDocument) -> str:
    """How a signed version was signed, after „podpisany” / „podpisana”: „na papierze”; on the
    service by the signers' methods (steps.method_of, kept in `signers`): „hasłem pracownika”
    („hasłami pracowników” for several) when only staff passwords signed it, „odręcznie na
    tablecie” when only hands did, both joined when both did. A staff member's password is not a
    hand signature on a tablet, and the page must not say it is."""
    if version.kind == "paper":
        return "na papierze"
    methods = [str(s.get("method", "")) for s in version.signers or [] if isinstance(s, dict)]
    staff = sum(1 for m in methods if m == "staff_password")
    by_hand = "odręcznie na tablecie" if staff < len(methods) or not methods else ""
    by_password = ("hasłem pracownika" if staff == 1 else "hasłami pracowników") if staff else ""
    return " i ".join(part for part in (by_hand, by_password) if part)


def describe_version(version: SignedDocument) -> str:
    """A signed version as the evidence page names it: kind, time (Warsaw) and identifier."""
    kind = "podpisana na papierze (skan)" if version.kind == "paper" else f"podpisana {signed_how(version)}"
    moment = format_datetime(as_utc(version.created_at), "d MMMM y, HH:mm", tzinfo="Europe/Warsaw", locale="pl_PL")
    return f"wersja {kind} z {moment}, identyfikator {version.id}"


def attach_scan(doc: DocumentRecord, scan: Scan, user: User, *, pipe, office_name: str,
                location: str | None, client: Client, result: ScanCheck,
                replaces: SignedDocument | None = None, reason: str | None = None,
                head_title: str = "") -> SignedDocument:
    """Archives a checked and confirmed scan as the document's signed version: scan pages, evidence
    page, seal. All or nothing.

    result must be the scan's check with no problems. A document that already has a signed version
    gets another only as a replacement of the version in force (`replaces`), with a reason; the
    evidence page names both. The PDF is made and sealed with no transaction open; the files and
    rows are then stored in one short transaction, which also closes the document's open tablet
    sessions and, for a replacement, revokes the family's unused link (it would open the replaced
    version; staff issue a new one). Raises ScanRefused when the check failed, a reason is missing,
    or the version in force changed meanwhile (another scan or a tablet was quicker).
    `head_title` is the office profile's title of its head: the evidence page names the head's
    step by it (plan.titled_role), and a head who confirms the scan (trail.role_of).
    """
    if not result.ok:
        raise ScanRefused(" ".join(result.problems))
    if replaces is not None and not (reason or "").strip():
        raise ScanRefused("Podaj powód zastąpienia podpisanej wersji.")
    store, now = pipe.store, utcnow()
    scan_sha256 = hashlib.sha256(scan.data).hexdigest()
    shown = store.read(doc.pdf_sha256, "pdf")
    steps = [(step, titled_role(step, head_title)) for step in plan_for(doc)]
    signers = tuple(EvidenceSigner(name=step.name or role, role=role, method="paper_scan", signed_at=now,
                                   ip=client.ip, user_agent=client.user_agent) for step, role in steps)
    confirmed = f"{result.summary()} Skan zatwierdzony przez: {user.full_name}."
    evidence = Evidence(title=doc.title, document_id=doc.id, case_sign=doc.case.sign,
                        office_name=office_name, shown_pdf_sha256=doc.pdf_sha256, signers=signers,
                        created_at=now, scan_sha256=scan_sha256, scan_check=confirmed,
                        replaces=describe_version(replaces) if replaces else None,
                        replace_reason=reason.strip() if replaces is not None and reason else None,
                        staff=(EvidenceStaff("Dołączenie i zatwierdzenie skanu", user.full_name,
                                             trail.role_of(user, head_title)),),
                        events=(EvidenceEvent(now, "Dołączenie i zatwierdzenie skanu – "
                                                   + trail.person(user, head_title)),))
    doc_id, replaces_id = doc.id, replaces.id if replaces is not None else None
    db.session.commit()  # ends the request's reads: nothing is held while the PDF is built and sealed
    sealed = pipe.sealer.seal(build_scan_pdf(shown, scan.pages, evidence_pdf(evidence)),
                              reason="Pieczęć elektroniczna urzędu – skan dokumentu podpisanego na papierze",
                              location=location)
    with archiving(store, db.session) as staged:
        # PostgreSQL: the document's row lock makes two attachments take turns. SQLite: the INSERT
        # below takes the database's write lock, so the check after it sees every version before it.
        db.session.execute(select(DocumentRecord.id).where(DocumentRecord.id == doc_id).with_for_update())
        staged.put(scan.data, scan.ext)
        signed = SignedDocument(
            id=uuid.uuid4().hex, document_id=doc_id, kind="paper", created_at=now, created_by_id=user.id,
            shown_pdf_sha256=doc.pdf_sha256, pdf_sha256=staged.put(sealed, "pdf"), pdf_size=len(sealed),
            scan_sha256=scan_sha256, scan_ext=scan.ext,
            seal_certificate_sha256=pipe.sealer.fingerprint,
            signers=[signer_summary(s) for s in signers],
            replaces_id=replaces_id, replace_reason=evidence.replace_reason,
            scan_check=[place.to_json() for place in result.places])
        db.session.add(signed)
        try:
            db.session.flush()
        except IntegrityError:  # the same version replaced by another scan at the same moment
            raise ScanRefused(CHANGED) from None
        _ensure_in_force(doc_id, signed.id)
        for session in open_sessions(doc, now):  # signed on paper: the tablet round is over
            session.cancelled_at, session.cancelled_by_id = now, user.id
            record(session, "replaced", client, "dokument podpisany na papierze, skan dołączony")
        if replaces_id is not None:  # the family's unused link opens the replaced version: no longer
            family.revoke(doc_id, now)
        db.session.commit()
    return signed


def _ensure_in_force(doc_id: str, new_id: str) -> None:
    """Raises ScanRefused unless the new version is now the only one in force (in the open transaction)."""
    table = SignedDocument.__table__
    rows = db.session.execute(select(table.c.id, table.c.replaces_id).where(table.c.document_id == doc_id)).all()
    replaced = {row.replaces_id for row in rows if row.replaces_id}
    in_force = {row.id for row in rows if row.id not in replaced}
    if in_force != {new_id}:
        raise ScanRefused(CHANGED)
