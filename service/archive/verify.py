"""Checks an uploaded PDF: the office seal, its signers' evidence page, and whether the archive holds it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

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
    def archived_as(self) -> str | None:
        """How the archive holds this exact file, in Polish, or None."""
        if self.signed is not None:
            kind = "skan dokumentu podpisanego na papierze" if self.signed.kind == "paper" else "dokument podpisany"
            return f"{kind}: {self.signed.document.title}, sprawa {self.signed.document.case.sign}, id {self.signed.document.id}"
        if self.record is not None:
            return f"{self.record.title}, sprawa {self.record.case.sign}, id {self.record.id}"
        return None


def verify_document(pdf: bytes, seal) -> Verification:
    """Verifies the seal against this office's certificate, reads the evidence page, looks the file up."""
    from signatures.evidence import read_evidence
    from signatures.verify import verify_seal

    from ..signing.models import SignedDocument

    report = verify_seal(pdf, [seal.certificate])
    digest = hashlib.sha256(pdf).hexdigest()
    record = db.session.execute(select(DocumentRecord).where(DocumentRecord.pdf_sha256 == digest)).scalar_one_or_none()
    signed = db.session.execute(select(SignedDocument).where(SignedDocument.pdf_sha256 == digest)).scalars().first()
    evidence = read_evidence(pdf) if report.is_pdf else None
    return Verification(report=report, sha256=digest, record=record, evidence=evidence, signed=signed)
