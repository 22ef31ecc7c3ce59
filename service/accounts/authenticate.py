"""The one check of a login and password someone typed: the login page, a staff member's step on a
signing page, the unlock form of a locked tablet.

OWASP ASVS 4.0.3: throttled per login and per address (2.2.1, accounts/throttle.py); one argon2
verification whatever the login, so timing tells nothing about which accounts exist, and one
message for an unknown login, a wrong password, an inactive account and a wrong role (2.2.1,
3.x enumeration); every failure and block logged with the login as typed, never the password
(7.1.1, 7.1.3, 7.2.1).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from flask import request
from flask_login import current_user

from ..extensions import db
from ..security import log_access
from . import sessions, throttle
from .models import User
from .passwords import verify_login

WRONG_LOGIN = "Nieprawidłowy login lub hasło."


class Refused(Exception):
    """The check failed; `message` is what the person sees, `until` (aware UTC) is set when they
    must wait (too many failures) and None for a wrong login or password."""

    def __init__(self, message: str, until: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.until = until


def typed_login(login: str) -> str:
    """The login someone typed, as the access log keeps it: at most 64 characters, quoted."""
    return f"login „{login[:throttle.LOGIN_KEY_LENGTH]}”"


def authenticate(login: str, password: str, *, where: str, roles: Collection[str] | None = None,
                 refusal: str = WRONG_LOGIN, may: Callable[[User], bool] | None = None) -> User:
    """The active account `login` (stripped) if `password` is its own, its role is among `roles` and
    `may(user)` holds (a staff signature step: the account may read the document's family).

    `where` names the place for the access log ("strona logowania", ...). Call with nothing pending
    in db.session (it commits). Raises Refused(refusal) for any wrong login, password, inactive
    account, role or `may` alike, Refused(wait message, until) when the login or the address must wait.
    When the account proven is the one logged in in this browser, its session's idle clock restarts.
    """
    typed = login.strip()
    address = request.remote_addr or ""
    try:
        attempt = throttle.begin(typed, address)
    except throttle.Throttled as exc:
        log_access("login_blocked", "user", "", detail=f"{typed_login(typed)}; {where}")
        raise Refused(exc.message, exc.until) from None
    user = db.session.execute(db.select(User).where(User.login == typed)).scalar_one_or_none()
    valid = verify_login(user, password)
    if valid and roles is not None and user.role not in roles:
        valid, why = False, "rola bez tego uprawnienia"
    elif valid and may is not None and not may(user):
        valid, why = False, "brak dostępu do sprawy"
    elif not valid:
        why = "nieznany login" if user is None else ("konto nieaktywne" if not user.active else "złe hasło")
    if not valid:
        log_access("login_failed", "user", str(user.id) if user else "",
                   detail=f"{typed_login(typed)}; {where}; {why}")
        raise Refused(refusal)
    throttle.succeeded(attempt)  # commits a rehash of the password too, if argon2's parameters changed
    if current_user.is_authenticated and current_user.id == user.id:
        sessions.touch()
    return user
