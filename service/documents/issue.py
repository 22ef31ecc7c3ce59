"""Issuing a document: render -> convert to PDF/A -> seal -> archive, as one transaction."""
from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..archive.cases import open_case
from ..archive.models import Case, DocumentRecord
from ..archive.store import ArchiveStore, archiving
from .context import build_context
from .render import render_docx
from .spec import DocumentType

WARSAW = ZoneInfo("Europe/Warsaw")


class Converter(Protocol):
    def convert(self, docx: bytes) -> bytes: ...


class Sealer(Protocol):
    fingerprint: str

    def seal(self, pdf: bytes, *, reason: str = ..., location: str | None = ...) -> bytes: ...


@dataclass
class Issued:
    """The archived document and how long each stage took (seconds)."""

    record: DocumentRecord
    timings: dict[str, float] = field(default_factory=dict)


class _Templates:
    """Template bytes and their SHA-256, read once per file version."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[float, bytes, str]] = {}

    def get(self, path: Path) -> tuple[bytes, str]:
        mtime = path.stat().st_mtime
        hit = self._cache.get(path)
        if hit is None or hit[0] != mtime:
            data = path.read_bytes()
            hit = (mtime, data, hashlib.sha256(data).hexdigest())
            self._cache[path] = hit
        return hit[1], hit[2]


@dataclass
class Pipeline:
    """The long-lived parts of issuing: the converter pool, the office seal and the archive store."""

    converter: Converter
    sealer: Sealer
    store: ArchiveStore
    templates: _Templates = field(default_factory=_Templates)

    def issue(self, session: Session, doctype: DocumentType, data: Mapping[str, Any], *,
              author_id: int, office: Mapping[str, str], jrwa: Any, case: Case | None = None,
              now: dt.datetime | None = None) -> Issued:
        """Issues one document from validated data; on any failure nothing is archived or numbered."""
        start = time.perf_counter()
        timings: dict[str, float] = {}
        now = now or dt.datetime.now(dt.timezone.utc)
        today = now.astimezone(WARSAW).date()
        with archiving(self.store, session) as staged:
            if case is None:
                case = open_case(
                    session, pattern=office["case_sign_pattern"], dept=office["department_code"],
                    symbol=jrwa.symbol, year=today.year, jrwa_key=jrwa.key, category=jrwa.category,
                    title=doctype.case_title(data) or doctype.title, assignee_id=author_id)
            doc_id = uuid.uuid4().hex
            record = DocumentRecord(id=doc_id, slug=doctype.slug, title=doctype.title,
                                    template_version=doctype.template_version, data=dict(data),
                                    case_id=case.id, author_id=author_id, created_at=now)
            template, template_sha = self.templates.get(doctype.template_path)
            context = build_context(doctype, data, office=office, case_sign=case.sign,
                                    doc_ref=record.doc_ref, issued_on=today)
            t = time.perf_counter()
            docx = render_docx(template, context, properties={
                "title": doctype.title, "author": office["name"], "subject": case.sign,
                "identifier": doc_id, "language": "pl-PL"})
            timings["render"] = time.perf_counter() - t

            t = time.perf_counter()
            pdf = self.converter.convert(docx)
            timings["convert"] = time.perf_counter() - t

            t = time.perf_counter()
            sealed = self.sealer.seal(pdf, location=office.get("town"))
            timings["seal"] = time.perf_counter() - t

            t = time.perf_counter()
            staged.put(docx, "docx")
            staged.put(sealed, "pdf")
            record.template_sha256 = template_sha
            record.docx_sha256, record.docx_size = hashlib.sha256(docx).hexdigest(), len(docx)
            record.pdf_sha256, record.pdf_size = hashlib.sha256(sealed).hexdigest(), len(sealed)
            record.seal_certificate_sha256 = self.sealer.fingerprint
            session.add(record)
            session.commit()
            timings["archive"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - start
        return Issued(record=record, timings=timings)
