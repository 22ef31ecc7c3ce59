"""Checks an uploaded PDF: the office seal, its signers' evidence page, and whether the archive holds it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from .. import uploads
from ..extensions import db
from .models import DocumentRecord


@dataclass
class Verification:
    """The seal report, the evidence page's signers, the file's SHA-256 and what the archive says of it."""

    report: object
    sha256: str
    record: DocumentRecord | None
    evidence: object | None = None  # signatures.evidence.ReadEvidence
    signed: object | None = None  # service.signing.models.SignedDocument

    @property
    def document(self) -> DocumentRecord | None:
        """The archived document this exact file is (its issued PDF or a signed version of it), or None."""
        return self.signed.document if self.signed is not None else self.record

    @property
    def archived_as(self) -> str | None:
        """How the archive holds this exact file, in Polish, or None."""
        if self.signed is not None:
            kind = "skan dokumentu podpisanego na papierze" if self.signed.kind == "paper" else "dokument podpisany"
            return f"{kind}: {self.signed.document.title}, sprawa {self.signed.document.case.sign}, id {self.signed.document.id}"
        if self.record is not None:
            return f"{self.record.title}, sprawa {self.record.case.sign}, id {self.record.id}"
        return None


# What /verify and `flask documents verify` say when a file cannot be checked within the limits
TOO_SLOW = ("Sprawdzanie pliku trwało zbyt długo i zostało przerwane – plik jest zbyt złożony, by go "
            "zweryfikować. Dokumenty wydane przez urząd sprawdza się w kilka sekund.")
TOO_HEAVY = ("Sprawdzanie pliku przerwano, bo wymagało zbyt dużo pamięci – plik jest zbyt złożony, "
             "by go zweryfikować.")
BROKEN = "Nie udało się odczytać pliku – jest uszkodzony albo zbyt złożony, by go zweryfikować."
MESSAGES = uploads.Messages(too_slow=TOO_SLOW, too_heavy=TOO_HEAVY, broken=BROKEN)


def verify_document(pdf: bytes, seal) -> Verification:
    """Verifies the seal of an uploaded PDF against this office's certificate, reads its evidence
    page and looks the file up in the archive; the PDF is parsed in a limited child process
    (service.uploads, signatures.verify.check_pdf) under the UPLOAD_* limits and VERIFY_MAX_PAGES.

    Raises service.uploads.UploadRefused (a Polish message for the file's field) when the file has
    too many pages or cannot be checked within the limits, and service.uploads.UploadsBusy when
    every parsing slot is taken (OWASP ASVS 4.0.3 V12.1.1).
    """
    from signatures.verify import TooManyPages, check_pdf

    from ..signing.models import SignedDocument

    try:
        ((report, evidence),) = uploads.parse(check_pdf, pdf, [seal.certificate.dump()],
                                              int(current_app.config["VERIFY_MAX_PAGES"]), messages=MESSAGES)
    except TooManyPages as exc:
        raise uploads.UploadRefused(str(exc)) from None
    digest = hashlib.sha256(pdf).hexdigest()
    record = db.session.execute(select(DocumentRecord).where(DocumentRecord.pdf_sha256 == digest)).scalar_one_or_none()
    signed = db.session.execute(select(SignedDocument).where(SignedDocument.pdf_sha256 == digest)).scalars().first()
    return Verification(report=report, sha256=digest, record=record, evidence=evidence, signed=signed)
