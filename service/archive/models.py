"""Registry rows of the archive: cases, issued documents and the access log. Rows are never updated
(only the counter and the case numbers in flight, which are not part of the register)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User, utcnow
from ..extensions import db


class CaseCounter(db.Model):
    """The last case number used per JRWA class and year (the spis spraw's running number)."""

    __tablename__ = "case_counters"
    symbol: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class CaseNumber(db.Model):
    """A case number taken from its counter but not (yet) in the register of cases.

    While the first document of a new case is being made, its number is reserved here (`token` set,
    `reserved_at` when). When it is issued, the row is deleted and the case enters `cases`; when
    issuing fails, the number is released (`token` empty) and given to the next new case of the same
    class and year, so the register keeps no gap (see archive/cases.py).
    """

    __tablename__ = "case_numbers"
    symbol: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token: Mapped[str | None] = mapped_column(String(32))
    reserved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Case(db.Model):
    """A case (sprawa) with its sign, e.g. MOPS.SPS.4011.12.2026; documents are filed under it."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("symbol", "year", "number", name="uq_cases_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sign: Mapped[str] = mapped_column(String(80), unique=True)
    symbol: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    number: Mapped[int]
    jrwa_key: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    documents: Mapped[list["DocumentRecord"]] = relationship(back_populates="case", order_by="DocumentRecord.created_at")


class DocumentRecord(db.Model):
    """One issued document: its inputs, its template and the SHA-256 of every file it produced."""

    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex
    slug: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(200))
    template_version: Mapped[str] = mapped_column(String(20))
    template_sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    docx_sha256: Mapped[str] = mapped_column(String(64))
    docx_size: Mapped[int]
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_size: Mapped[int]
    seal_certificate_sha256: Mapped[str] = mapped_column(String(64))
    case: Mapped[Case] = relationship(back_populates="documents")
    author: Mapped[User] = relationship()

    @property
    def doc_ref(self) -> str:
        """The short identifier printed in the footer of every page."""
        return f"Asysta {self.id[:8]}"


class AccessLog(db.Model):
    """Who read, downloaded, issued or verified what, and when: every access to family data."""

    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
    user: Mapped[User | None] = relationship()
