"""Registry rows of the archive: issued documents and the access log. Rows are never updated.

Cases (sprawy) and their numbering belong to the family's file: service/families/models.py."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User, utcnow
from ..extensions import db
from ..families.models import Case


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
    user_agent: Mapped[str] = mapped_column(String(300), default="", server_default="")
    channel: Mapped[str] = mapped_column(String(10), default="web", server_default="web")  # web, api, cli, job
    # The family whose file the object belongs to (a family, its document), for the access-log page.
    family_id: Mapped[int | None] = mapped_column(index=True, default=None)
    detail: Mapped[str] = mapped_column(String(300), default="")
    user: Mapped[User | None] = relationship()
