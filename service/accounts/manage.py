"""Creating and changing staff accounts: the rules shared by the administrator's page
(accounts/admin_views.py) and `flask users` (accounts/cli.py), so both refuse the same logins and
names with the same Polish messages and both end sessions the same way.

No function here commits (the caller commits, then writes the access log) or needs a request.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select, update

from ..documents.text import normalize_line, refusal
from ..extensions import db
from . import sessions
from .models import ROLES, User, utcnow
from .passwords import password_problems

LOGIN_MAX = 64  # users.login
NAME_MAX = 120  # users.full_name
# One-time passwords are read aloud or copied from a screen: no 0/O, 1/l/i look-alikes.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class AccountRefused(Exception):
    """A change the rules do not allow; `message` is the Polish sentence the administrator sees."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_login(typed: str) -> str:
    """A login as the login page reads its field: NFC, spaces around it and invisible characters
    removed (service/documents/text.py), so an account created anywhere can be logged in to."""
    return normalize_line(typed or "")


def login_problem(login: str) -> str | None:
    """Why a new account cannot have this (already read_login'ed) login, as a Polish sentence, or None.

    Refused: an empty login, one over LOGIN_MAX characters (the column users.login), one holding a
    character the service refuses everywhere (documents.text.refusal). Does not look at the database.
    """
    if not login:
        return "Login nie może być pusty."
    if len(login) > LOGIN_MAX:
        return f"Login może mieć najwyżej {LOGIN_MAX} znaki."
    problem = refusal(login)
    return f"Login: {problem}" if problem else None


def name_problem(full_name: str, required: bool = False) -> str | None:
    """Why a (normalize_line'd) full name cannot be stored, as a Polish sentence, or None.

    The name is printed on documents and stamps: the rule of every form field (documents.text.refusal)
    and at most NAME_MAX characters (users.full_name). `required`: an empty name is refused too.
    """
    if not full_name:
        return "Podaj imię i nazwisko." if required else None
    if len(full_name) > NAME_MAX:
        return f"Imię i nazwisko może mieć najwyżej {NAME_MAX} znaków."
    return refusal(full_name)


def find(login: str) -> User | None:
    """The account with exactly this login, or None."""
    return db.session.execute(select(User).where(User.login == login)).scalar_one_or_none()


def one_time_password(*words: str) -> str:
    """A new random password to hand over once, e.g. "k7m2-p9xq-4hts-wb3n" (16 letters and digits
    from a 31-character alphabet: about 79 bits), passing the policy of accounts.passwords against
    `words` (the person's login and name). Raises nothing."""
    while True:
        password = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
        if not password_problems(password, words):
            return password


def create_account(login: str, full_name: str, role: str, password: str, must_change: bool = True) -> User:
    """Adds (does not commit) the account `login` with this role, name and password.

    `login` and `full_name` are taken as already read and checked (login_problem, name_problem)
    and the password as checked against the policy. An empty name becomes the login. Raises
    AccountRefused when the login is taken, ValueError for a role outside models.ROLES.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if find(login) is not None:
        raise AccountRefused(f"Konto o loginie {login} już istnieje.")
    user = User(login=login, role=role, full_name=full_name or login, must_change_password=must_change)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()  # its id, for the access log
    return user


def set_password(user: User, password: str, must_change: bool = True) -> int:
    """Gives `user` this (policy-checked) password; every session of the account ends (someone
    else set it: whoever was logged in with the old one is out). Returns how many sessions ended."""
    user.set_password(password)
    user.must_change_password = must_change
    return sessions.end_all(user, "password")


def _other_active_admins(user: User) -> int:
    # Rows locked on PostgreSQL (FOR UPDATE) so that two administrators removing each other at
    # the same moment cannot both pass: the second waits and then counts without the first.
    ids = db.session.execute(select(User.id).where(User.role == "admin", User.active.is_(True),
                                                   User.id != user.id).with_for_update()).scalars().all()
    return len(ids)


def _keep_an_administrator(user: User) -> None:
    if user.role == "admin" and user.active and _other_active_admins(user) == 0:
        raise AccountRefused("To jedyne aktywne konto administratora – najpierw nadaj rolę "
                             "administratora innej osobie.")


def change(user: User, full_name: str, role: str, acting: User) -> list[str]:
    """Sets the account's name and role; returns what changed, in Polish (empty: nothing did).

    Raises AccountRefused when `acting` changes their own role (they would lose this page in the
    middle of the change) or the last active administrator would stop being one; ValueError for
    a role outside models.ROLES.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    changes = []
    if role != user.role:
        if user.id == acting.id:
            raise AccountRefused("Nie możesz zmienić własnej roli – poproś o to innego administratora.")
        if user.role == "admin":
            _keep_an_administrator(user)
        changes.append(f"rola: {user.role_label} → {ROLES[role]}")
        user.role = role
    if full_name != user.full_name:
        changes.append(f"imię i nazwisko: {user.full_name} → {full_name}")
        user.full_name = full_name
    return changes


def deactivate(user: User, acting: User) -> int:
    """Turns the account off (never deleted: documents and the log keep its name): its staff
    sessions end at once, its API token and its calendar link stop working (none comes back when
    the account is turned on again). Returns how many sessions ended.

    Raises AccountRefused for one's own account and for the last active administrator.
    """
    if user.id == acting.id:
        raise AccountRefused("Nie możesz wyłączyć własnego konta.")
    _keep_an_administrator(user)
    user.active = False
    user.api_token_digest = None
    # The calendar link too: an inactive account's link already answers 404
    # (families.calendar_feed.feed_owner), but kept, it opened the calendar again on reactivation.
    from ..families.models import CalendarFeed  # here: families imports accounts
    db.session.execute(update(CalendarFeed).where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))
    return sessions.end_all(user, "inactive")


def reactivate(user: User) -> None:
    """Turns the account on again, with the password it had (no session or token comes back)."""
    user.active = True

