"""Checks an uploaded PDF: the office seal, and whether the archive holds this exact file."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from .models import DocumentRecord


@dataclass
class Verification:
    """The seal report, the file's SHA-256 and the archived document it is, if any."""

    report: object
    sha256: str
    record: DocumentRecord | None


def verify_document(pdf: bytes, seal) -> Verification:
    """Verifies the seal against this office's certificate and looks the file up in the archive."""
    from signatures.verify import verify_seal

    report = verify_seal(pdf, [seal.certificate])
    digest = hashlib.sha256(pdf).hexdigest()
    record = db.session.execute(select(DocumentRecord).where(DocumentRecord.pdf_sha256 == digest)).scalar_one_or_none()
    return Verification(report=report, sha256=digest, record=record)
