"""The staff account and its role."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..roles import Role

# Role code -> Polish label, from the one declaration (service/roles.py); the codes are what
# users.role stores.
ROLES = {role.value: role.label for role in Role}
# Roles that see every family's documents; the others see only their own cases.
OFFICE_WIDE_ROLES = frozenset({Role.HEAD, Role.ARCHIVIST})

_hasher = PasswordHasher()


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.timezone.utc)


def now() -> dt.datetime:
    """The current time (aware UTC) as the rules of logins and sessions see it.

    The app's config CLOCK, when set (a callable returning an aware UTC datetime), replaces the
    system clock: tests move time with it instead of sleeping. Not settable from the environment.
    """
    clock = current_app.config.get("CLOCK") if has_app_context() else None
    return clock() if clock else utcnow()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive ones; all are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


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
    # Work contact, printed where a document names this person (an assistant's phone in the
    # assignment letter): the file fills it in (families.facts).
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(120), default="", server_default="")
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
        """Whether the password matches; rehashes when argon2 parameters have changed.

        Callers that take a login typed by someone use accounts.passwords.verify_login instead,
        which also spends the same time on an unknown login (ASVS 2.2.1, 3.x timing).
        """
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


class StaffSession(db.Model):
    """One login of a staff member in one browser, checked on every request (OWASP ASVS V3.3).

    The browser's (signed) session cookie holds a random token; only its SHA-256 is stored here,
    so a database dump opens no session. A session ends at logout, at a password change (the
    others of that user), after IDLE_MINUTES without a request and SESSION_HOURS after the login.
    """

    __tablename__ = "staff_sessions"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # logout, password, idle, lifetime, inactive: why the session ended (for the administrator)
    end_reason: Mapped[str] = mapped_column(String(20), default="")


class LoginFailures(db.Model):
    """Failed password checks of one login typed, or of one client address (OWASP ASVS V2.2.1).

    `key` is "login:<login as typed>" or "address:<IP address, an IPv6 one as its /64>";
    `failures` counts those since `window_started_at` (the first failure of the current window of
    LOGIN_WINDOW_MINUTES); while `blocked_until` is in the future, no password is checked for this
    key (see accounts/throttle.py).
    """

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
