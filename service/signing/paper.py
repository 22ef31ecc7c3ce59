"""The paper way: a print copy with a QR code, and the scan of the signed paper attached and sealed."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from flask import current_app

from signatures.assemble import build_print_copy, build_scan_pdf
from signatures.evidence import Evidence, EvidenceSigner, evidence_pdf
from signatures.multiscript import isolate
from signatures.qr import (TOO_HEAVY, TOO_SLOW, UNREADABLE, ScanError, ScanLimits, qr_png, read_pages,
                           scan_kind)

from .. import uploads
from ..accounts.models import User, utcnow
from ..archive.models import DocumentRecord
from ..archive.store import archiving
from ..extensions import db
from .models import SignedDocument
from .sessions import Client, open_sessions, plan_for, record
from .steps import signer_summary

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


def print_copy(doc: DocumentRecord, shown_pdf: bytes) -> bytes:
    """The document to print and sign on paper, with a QR code on every page identifying it."""
    label = f"{isolate(doc.doc_ref)} · {isolate(doc.case.sign)}"  # each value isolated (UAX #9, FSI … PDI)
    return build_print_copy(shown_pdf, qr_png(qr_payload(doc), scale=6), label)


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


def attach_scan(doc: DocumentRecord, scan: Scan, user: User, *, pipe, office_name: str,
                location: str | None, client: Client) -> SignedDocument:
    """Archives the scan as the document's signed version: scan pages, evidence page, seal. All or nothing.

    The PDF is made and sealed with no transaction open; the files and rows are then stored in one
    short transaction, which also closes the document's open tablet sessions.
    """
    store, now = pipe.store, utcnow()
    scan_sha256 = hashlib.sha256(scan.data).hexdigest()
    shown = store.read(doc.pdf_sha256, "pdf")
    signers = tuple(EvidenceSigner(name=step.name or step.role, role=step.role, method="paper_scan",
                                   signed_at=now, ip=client.ip, user_agent=client.user_agent)
                    for step in plan_for(doc))
    evidence = Evidence(title=doc.title, document_id=doc.id, case_sign=doc.case.sign,
                        office_name=office_name, shown_pdf_sha256=doc.pdf_sha256, signers=signers,
                        created_at=now, scan_sha256=scan_sha256)
    db.session.commit()  # ends the request's reads: nothing is held while the PDF is built and sealed
    sealed = pipe.sealer.seal(build_scan_pdf(shown, scan.pages, evidence_pdf(evidence)),
                              reason="Pieczęć elektroniczna urzędu – skan dokumentu podpisanego na papierze",
                              location=location)
    with archiving(store, db.session) as staged:
        staged.put(scan.data, scan.ext)
        result = SignedDocument(
            id=uuid.uuid4().hex, document_id=doc.id, kind="paper", created_at=now, created_by_id=user.id,
            shown_pdf_sha256=doc.pdf_sha256, pdf_sha256=staged.put(sealed, "pdf"), pdf_size=len(sealed),
            scan_sha256=scan_sha256, scan_ext=scan.ext,
            seal_certificate_sha256=pipe.sealer.fingerprint,
            signers=[signer_summary(s) for s in signers])
        db.session.add(result)
        for session in open_sessions(doc, now):  # signed on paper: the tablet round is over
            session.cancelled_at, session.cancelled_by_id = now, user.id
            record(session, "replaced", client, "dokument podpisany na papierze, skan dołączony")
        db.session.commit()
    return result
