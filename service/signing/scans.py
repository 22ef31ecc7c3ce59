"""The scan of a paper-signed document, for the web pages or any other channel: check an upload and
keep it for confirmation, confirm it (archive and seal), drop it.

Each function takes the acting staff member and the request's origin (audit.Origin) and reads no
request; what is staged belongs to the staff member who uploaded it (staged_scans.load).
"""
from __future__ import annotations

from flask import current_app

from signatures.qr import ScanError

from .. import audit, pipeline
from ..accounts.models import User
from ..archive.models import DocumentRecord
from ..audit import Origin
from ..extensions import db
from ..issuing import visible_document
from ..office.models import get_profile
from . import paper, staged_scans
from .models import SignedDocument
from .sessions import Client


class UploadProblem(Exception):
    """An upload that cannot be checked; `field` is where the form shows the Polish message:
    "file" (the scan itself) or "document_id" (the document it names or was chosen for)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_upload(data: bytes, chosen: str, actor: User,
                 origin: Origin) -> tuple[DocumentRecord, staged_scans.StagedScan]:
    """Reads an uploaded scan, finds its document (its QR codes, or `chosen`: an identifier typed by
    hand, "" for none) and checks its signature places; keeps it for the actor's confirmation and
    logs the check. Nothing is archived. Returns the document and the staged scan, whose `ok` says
    whether it may be confirmed (else its `problems` say why, in Polish).

    Raises UploadProblem (unreadable, no or several documents, one the actor may not see, a
    document that cannot be checked) and service.uploads.UploadsBusy (every reading slot taken)."""
    try:
        scan = paper.read_scan(data)
    except ScanError as exc:
        raise UploadProblem("file", str(exc)) from None
    if chosen and scan.found_ids and chosen not in scan.found_ids:
        raise UploadProblem("document_id", "Kod QR na skanie wskazuje inny dokument niż wybrany – sprawdź skan.")
    candidates = [chosen] if chosen else scan.found_ids
    if not candidates:
        raise UploadProblem("document_id", "Na skanie nie znaleziono czytelnego kodu QR – wpisz identyfikator "
                                           "dokumentu.")
    if len(set(candidates)) > 1:
        raise UploadProblem("file", "Skan zawiera kody QR kilku różnych dokumentów – zeskanuj każdy dokument "
                                    "osobno.")
    doc = visible_document(actor, candidates[0])
    if doc is None:
        raise UploadProblem("document_id", "Nie ma takiego dokumentu albo nie masz do niego dostępu.")
    try:
        result = paper.check(doc, scan, pipeline(current_app).store)
    except paper.ScanRefused as exc:
        raise UploadProblem("file", str(exc)) from None
    staged = staged_scans.stage(scan.data, ext=scan.ext, user_id=actor.id, document_id=doc.id,
                                chosen_by_hand=bool(chosen), ok=result.ok, problems=result.problems,
                                places=[place.to_json() for place in result.places],
                                previews=paper.previews(scan, result),
                                blank=[index + 1 for index in result.blank])
    audit.record(db.session, actor, origin, "scan_check", "document", doc.id,
                 detail=f"{'sprawdzony' if result.ok else 'odrzucony'} {'ręcznie' if chosen else 'QR'} "
                        f"{staged.token[:8]}")
    return doc, staged


def confirm(staged: staged_scans.StagedScan, doc: DocumentRecord, actor: User, origin: Origin, *,
            replaces: SignedDocument | None, reason: str | None) -> SignedDocument:
    """Archives and seals a staged scan as `doc`'s signed version (replacing `replaces`, the version
    in force, with `reason`), drops the staged copy and logs it. The scan is read and checked again
    from the same bytes first: what is sealed is what was checked. Returns the new version.

    Raises ScanError, paper.ScanRefused (a problem now, the reason missing, the version in force
    changed meanwhile), UploadsBusy, OSError (the staged files are gone: another confirmation of
    the same scan may have won)."""
    scan = paper.read_scan(staged.scan_bytes())
    result = paper.check(doc, scan, pipeline(current_app).store)
    profile = get_profile()
    signed = paper.attach_scan(doc, scan, actor, pipe=pipeline(current_app), office_name=profile.name,
                               location=profile.town, client=Client.of(actor, origin), result=result,
                               replaces=replaces, reason=reason, head_title=profile.head_title)
    staged_scans.discard(staged)
    audit.record(db.session, actor, origin, "scan_attach", "document", doc.id,
                 detail=f"{signed.id} {'ręcznie' if staged.chosen_by_hand else 'QR'}"
                        + (f" zastępuje {replaces.id}" if replaces else ""))
    return signed


def drop(staged: staged_scans.StagedScan, actor: User, origin: Origin) -> None:
    """Drops a staged scan without archiving anything, and logs it.

    A scan staged for a document the actor may no longer read (the family was reassigned since)
    is left alone, unlogged, like an unknown one: it expires with the others (staged_scans)."""
    if visible_document(actor, staged.document_id) is None:
        return
    staged_scans.discard(staged)
    audit.record(db.session, actor, origin, "scan_drop", "document", staged.document_id, detail=staged.token[:8])
