"""Issuing a document: converter -> case number -> render -> convert to PDF/A -> seal -> archive,
all or nothing.

No database transaction is open while LibreOffice converts or pyHanko seals (a second or more, and
many staff issue at once): the case is looked up or its number reserved in a short transaction, the
document is made with none open, and its files and rows are stored in a second short one.

A converter is obtained before a new case's number is reserved: a request refused because too many
documents wait (503 "busy", the usual answer to a burst) has taken no number, so the register gets
neither a gap nor, when the gap is later filled, a case out of time order. Only a LibreOffice
failure or timeout in the middle of the conversion releases a number (given to the next new case).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from signatures.markers import hide_markers

from ..families.cases import case_sign, open_case, release_number, reserve_number
from ..archive.models import DocumentRecord
from ..families.models import Case
from ..archive.store import ArchiveStore, archiving
from .context import WARSAW, build_context
from .render import render_docx
from .spec import DocumentType



class Converters(Protocol):
    """A converter pool (convert.ConverterPool): slot() waits for a converter and holds it for the
    block, or refuses at once (ConverterBusy); it yields convert(docx) -> PDF/A-2b bytes."""

    def slot(self) -> AbstractContextManager[Callable[[bytes], bytes]]: ...


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

    converter: Converters
    sealer: Sealer
    store: ArchiveStore
    templates: _Templates = field(default_factory=_Templates)

    def issue(self, session: Session, doctype: DocumentType, data: Mapping[str, Any], *,
              author_id: int, office: Mapping[str, str], jrwa: Any, case: Case | None = None,
              now: dt.datetime | None = None,
              on_new_case: Callable[[Session, Case], None] | None = None,
              assignee_id: int | None = None,
              on_stored: Callable[[Session, DocumentRecord], None] | None = None) -> Issued:
        """Issues one document from validated data into `case`, or into a new case of `jrwa`'s class.

        Commits the caller's transaction first (the caller must have no pending changes it may
        want rolled back), then:
          1. waits for a converter of the pool and holds it (ConverterBusy if too many wait);
          2. a new case's number is reserved (archive.cases.reserve_number, own short transaction);
          3. render and convert, give the converter back, seal, all with no transaction open;
          4. the files are written, then the case (for a new one) and the document row are inserted
             in one short transaction.
        `on_new_case(session, case)` runs in that transaction for a new case (the families package
        makes the case's family's file there), so the case never exists without it.
        `on_stored(session, record)` runs in it too, after the record is added (a final report
        ends the family's assignment there: families.lifecycle); what it raises undoes all.
        On any failure the files written are removed, that transaction is rolled back and a
        reserved number is released for the next new case: nothing is archived, no number is lost.
        A new case is assigned to `assignee_id` (default: the author; a time report the head
        issues for an assistant opens the assistant's case).
        `now` (default: when a converter was obtained) dates the case, the document and its text.
        Raises what the stages raise (ConversionError for LibreOffice, OSError for the store...).
        Returns the record with timings in seconds: wait (for a converter), case, render, convert,
        markers (signatures.markers.hide_markers), seal, archive, total.
        """
        start = time.perf_counter()
        timings: dict[str, float] = {}
        # Plain values read before any commit: committing expires ORM objects, and reading them
        # again would open a transaction during the long stages.
        if case is not None:
            case_id, sign = case.id, case.sign
        symbol, jrwa_key, category = jrwa.symbol, jrwa.key, jrwa.category
        session.commit()

        reservation = None
        try:
            with self.converter.slot() as convert:
                timings["wait"] = time.perf_counter() - start
                # Dated once it may go on, so the register's numbers follow the cases' dates.
                now = now or dt.datetime.now(dt.timezone.utc)
                today = now.astimezone(WARSAW).date()
                t = time.perf_counter()
                if case is None:
                    case_id = None
                    reservation = reserve_number(session, symbol=symbol, year=today.year, now=now)
                    sign = case_sign(office["case_sign_pattern"], office["department_code"], reservation)
                timings["case"] = time.perf_counter() - t

                doc_id = uuid.uuid4().hex
                record = DocumentRecord(id=doc_id, slug=doctype.slug, title=doctype.title,
                                        template_version=doctype.template_version, data=dict(data),
                                        case_id=case_id, author_id=author_id, created_at=now)
                template, template_sha = self.templates.get(doctype.template_path)
                context = build_context(doctype, data, office=office, case_sign=sign,
                                        doc_ref=record.doc_ref, issued_on=today)
                t = time.perf_counter()
                docx = render_docx(template, context, properties={
                    "title": doctype.title, "author": office["name"], "subject": sign,
                    "identifier": doc_id, "language": "pl-PL"})
                timings["render"] = time.perf_counter() - t

                t = time.perf_counter()
                pdf = convert(docx)
                timings["convert"] = time.perf_counter() - t

            # The templates' SIG markers out of the text people and screen readers get, their
            # places recorded in the file (signatures.markers), before the seal fixes the bytes.
            t = time.perf_counter()
            pdf = hide_markers(pdf, now=now)
            timings["markers"] = time.perf_counter() - t

            t = time.perf_counter()
            sealed = self.sealer.seal(pdf, location=office.get("town"))
            timings["seal"] = time.perf_counter() - t

            t = time.perf_counter()
            with archiving(self.store, session) as staged:
                # Files first, outside the transaction; archiving() removes them if it fails.
                staged.put(docx, "docx")
                staged.put(sealed, "pdf")
                if reservation is not None:
                    new_case = open_case(
                        session, reservation, pattern=office["case_sign_pattern"],
                        dept=office["department_code"], jrwa_key=jrwa_key, category=category,
                        title=doctype.case_title(data) or doctype.title, assignee_id=assignee_id or author_id,
                        created_at=now)
                    record.case_id = new_case.id
                    if on_new_case is not None:
                        on_new_case(session, new_case)
                record.template_sha256 = template_sha
                record.docx_sha256, record.docx_size = hashlib.sha256(docx).hexdigest(), len(docx)
                record.pdf_sha256, record.pdf_size = hashlib.sha256(sealed).hexdigest(), len(sealed)
                record.seal_certificate_sha256 = self.sealer.fingerprint
                session.add(record)
                if on_stored is not None:
                    session.flush()
                    on_stored(session, record)
                session.commit()
            timings["archive"] = time.perf_counter() - t
        except BaseException:
            if reservation is not None:
                release_number(session, reservation)
            raise
        timings["total"] = time.perf_counter() - start
        return Issued(record=record, timings=timings)
