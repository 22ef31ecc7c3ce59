"""Staff sessions kept on the server: idle timeout, absolute lifetime, ended at logout and password change.

OWASP ASVS 4.0.3 V3.2.1 (a new session token at login), V3.3.1 (logout invalidates the session),
V3.3.2 (an idle timeout and an absolute lifetime: L2 asks for re-authentication within 12 hours or
30 minutes of inactivity), V3.3.3 (after a password change the user's other sessions end).

The browser's Flask session cookie is signed but client-side: on its own it can be neither ended
nor expired by the server. So a login also makes a `staff_sessions` row, and the cookie carries its
random token (SESSION_KEY); Flask-Login's user loader admits the cookie only while that row is
alive. The session is renewed at login: the whole Flask session (with Flask-WTF's CSRF token,
kept there) is cleared first, so nothing from before the login survives it.

A browser locked to a signing session (the tablet handed to a family member, signing.device_views)
has no idle timeout: it shows only the signing page, and unlocking it needs the staff member's
password, which renews the session (touch()). Its lifetime still ends it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app, session as web_session
from sqlalchemy import delete, update

from ..extensions import db
from .models import StaffSession, User, as_utc, now

SESSION_KEY = "staff_session"
# The Flask session key of a browser locked to a signing session: signing.device_views.KIOSK.
KIOSK_KEY = "kiosk"
# The idle clock is written at most this often (one short write per minute of activity, not per request).
TOUCH_EVERY = dt.timedelta(seconds=60)
# Rows of sessions this far past their lifetime are removed at the next login.
KEEP_ENDED = dt.timedelta(days=1)
CSRF_KEY = "csrf_token"  # where Flask-WTF keeps the raw CSRF token in the session


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit() -> dt.timedelta:
    """ASYSTA_IDLE_MINUTES as a timedelta."""
    return dt.timedelta(minutes=current_app.config["IDLE_MINUTES"])


def lifetime() -> dt.timedelta:
    """ASYSTA_SESSION_HOURS as a timedelta."""
    return dt.timedelta(hours=current_app.config["SESSION_HOURS"])


def start(user: User) -> None:
    """Begins a new staff session for `user` in this browser (call before flask_login.login_user).

    Clears the Flask session first (a new session at login, ASVS 3.2.1; the CSRF token rotates),
    adds the `staff_sessions` row and puts its token in the session. The caller commits.
    """
    moment = now()
    web_session.clear()
    token = secrets.token_urlsafe(32)
    table = StaffSession.__table__
    db.session.execute(delete(table).where(table.c.created_at < moment - lifetime() - KEEP_ENDED))
    db.session.add(StaffSession(token_sha256=_digest(token), user_id=user.id, created_at=moment,
                                last_seen_at=moment))
    web_session[SESSION_KEY] = token


def _current() -> StaffSession | None:
    token = web_session.get(SESSION_KEY)
    return db.session.get(StaffSession, _digest(token)) if isinstance(token, str) else None


def _end(row: StaffSession, reason: str, moment: dt.datetime) -> None:
    if row.ended_at is None:
        row.ended_at = moment
        row.end_reason = reason


def user_for_request(user_id: str) -> User | None:
    """Flask-Login's user loader for the session cookie: the user while their staff session lives.

    Takes the `_user_id` Flask-Login stored. Returns None (anonymous) when the cookie carries no
    live session of that user: ended at logout or password change, idle past IDLE_MINUTES (not
    while the browser is locked to a signing session), older than SESSION_HOURS, or its account
    deactivated; then the session's row is ended and the Flask session cleared. Records activity
    at most once per TOUCH_EVERY (commits then).
    """
    row = _current()
    if row is None or row.ended_at is not None or str(row.user_id) != str(user_id):
        web_session.clear()
        return None
    moment = now()
    reason = ""
    user = db.session.get(User, row.user_id)
    if moment - as_utc(row.created_at) >= lifetime():
        reason = "lifetime"
    elif not web_session.get(KIOSK_KEY) and moment - as_utc(row.last_seen_at) >= idle_limit():
        reason = "idle"
    elif user is None or not user.active:
        reason = "inactive"
    if reason:
        _end(row, reason, moment)
        db.session.commit()
        web_session.clear()
        return None
    if not web_session.get(KIOSK_KEY) and moment - as_utc(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = moment
        db.session.commit()
    return user


def touch() -> None:
    """Restarts the idle clock of this browser's session (after its password was checked again). Commits."""
    row = _current()
    if row is not None and row.ended_at is None:
        row.last_seen_at = now()
        db.session.commit()


def end_current(reason: str = "logout") -> None:
    """Ends this browser's staff session on the server (logout, ASVS 3.3.1); the caller clears the
    Flask session and commits."""
    row = _current()
    if row is not None:
        _end(row, reason, now())


def end_others(user: User, reason: str = "password") -> int:
    """Ends every live session of `user` but this browser's (ASVS 3.3.3); returns how many. The
    caller commits."""
    current = web_session.get(SESSION_KEY)
    return _end_all(user, reason, _digest(current) if isinstance(current, str) else None)


def end_all(user: User, reason: str = "password") -> int:
    """Ends every live session of `user` (a password set by the administrator, outside any
    request); returns how many. The caller commits."""
    return _end_all(user, reason, None)


def _end_all(user: User, reason: str, keep: str | None) -> int:
    table = StaffSession.__table__
    query = update(table).where(table.c.user_id == user.id, table.c.ended_at.is_(None))
    if keep is not None:
        query = query.where(table.c.token_sha256 != keep)
    return db.session.execute(query.values(ended_at=now(), end_reason=reason)).rowcount


def renew(user: User) -> None:
    """Gives this browser a fresh session token for `user` (after a password change): the old token
    ends, the new one keeps the old one's login time (the lifetime still counts from the login); the
    CSRF token rotates. The caller commits."""
    old = _current()
    moment = now()
    created = as_utc(old.created_at) if old is not None else moment
    if old is not None:
        _end(old, "renewed", moment)
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token_sha256=_digest(token), user_id=user.id, created_at=created,
                                last_seen_at=moment))
    web_session[SESSION_KEY] = token
    web_session.pop(CSRF_KEY, None)
