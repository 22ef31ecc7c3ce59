"""The staff account and its role."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask_login import UserMixin
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

ROLES = {
    "assistant": "asystent rodziny",
    "social_worker": "pracownik socjalny",
    "head": "kierownik ośrodka",
    "archivist": "archiwista",
    "admin": "administrator",
}
# Roles that see every family's documents; the others see only their own cases.
OFFICE_WIDE_ROLES = frozenset({"head", "archivist"})

_hasher = PasswordHasher()


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.timezone.utc)


def token_digest(token: str) -> str:
    """Only a digest of an API token is stored, so a database dump reveals no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(UserMixin, db.Model):
    """A member of staff who logs in to the service."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    api_token_digest: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def role_label(self) -> str:
        """The role in Polish."""
        return ROLES.get(self.role, self.role)

    @property
    def sees_all_cases(self) -> bool:
        """Whether this role may read every family's documents."""
        return self.role in OFFICE_WIDE_ROLES

    def set_password(self, password: str) -> None:
        """Stores an argon2 hash of the password."""
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        """Whether the password matches; rehashes when argon2 parameters have changed."""
        try:
            _hasher.verify(self.password_hash, password)
        except (VerifyMismatchError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return True

    def new_api_token(self) -> str:
        """Issues a new API token (the old one stops working) and returns it once."""
        token = secrets.token_urlsafe(32)
        self.api_token_digest = token_digest(token)
        return token
