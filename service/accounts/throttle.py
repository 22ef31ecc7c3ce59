"""Throttling of password checks: per login typed and per client address (OWASP ASVS 4.0.3 V2.2.1).

Every place that checks a password someone typed (the login page, a staff member's step on a
signing page, the unlock form of a locked tablet) asks begin() first and reports a success with
succeeded(). The counters are rows of `login_failures`, so every gunicorn worker and process sees
the same ones, on SQLite and PostgreSQL alike.

An attempt is counted as a failure *before* its password is checked, in one short transaction
that locks the counters' rows: of many simultaneous attempts each sees the count of the ones
before it, so a burst gets no more tries than attempts one after another. A success then takes
its count back: the login's counter is reset (ASVS 2.2.1), the address's loses this one attempt.

For each key (the login typed, known or not, so a lock tells nothing about which accounts exist;
and the address) with n failures counted:
- n < DELAY_AFTER: nothing;
- DELAY_AFTER <= n < LOCK_AFTER: the next attempt waits LOGIN_DELAY_MINUTES * 2^(n - DELAY_AFTER),
  at most LOGIN_LOCK_MINUTES;
- n >= LOCK_AFTER: the next attempt waits LOGIN_LOCK_MINUTES.
Failures are counted in fixed windows: a counter starts again LOGIN_WINDOW_MINUTES after the
failure that began it (a sliding window would let an office's occasional typos, with successes in
between, add up over a whole day). An address has its own
(higher) thresholds: an office behind one NAT address shares it. A wait ends on a whole minute, so
the message „Spróbuj ponownie po 14:32” (Europe/Warsaw) is exact.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, delete, or_, select, update

from ..extensions import db
from .models import LoginFailures, as_utc, now

WARSAW = ZoneInfo("Europe/Warsaw")
LOGIN_KEY_LENGTH = 64  # as long as a login may be (users.login)


class Throttled(Exception):
    """Too many failures for a login or an address: no password is checked until `until` (aware UTC)."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(until)
        self.until = until

    @property
    def message(self) -> str:
        """„Zbyt wiele nieudanych prób. Spróbuj ponownie po 14:32.” in Europe/Warsaw time
        (with the date when the wait ends on another day)."""
        local = self.until.astimezone(WARSAW)
        today = now().astimezone(WARSAW).date()
        when = local.strftime("%H:%M")
        if local.date() != today:
            when = f"{local.day}.{local.month:02d}.{local.year} {when}"
        return f"Zbyt wiele nieudanych prób. Spróbuj ponownie po {when}."


def retry_after(until: dt.datetime) -> dict[str, str]:
    """The Retry-After header (RFC 9110 10.2.3) of a 429 answer (RFC 6585) for a wait until
    `until` (aware UTC): whole seconds, at least 1."""
    return {"Retry-After": str(max(1, int((until - now()).total_seconds())))}


@dataclass
class Attempt:
    """One password check that begin() let through; hand it to succeeded() if the password was right."""

    login_key: str
    address_key: str
    # the blocked_until this attempt wrote to each key (None: it wrote none)
    blocked_set: dict[str, dt.datetime | None] = field(default_factory=dict)


def login_key(login: str) -> str:
    """The counter of a login as typed (stripped, at most 64 characters)."""
    return "login:" + login.strip()[:LOGIN_KEY_LENGTH]


def address_key(address: str) -> str:
    """The counter of a client address; an IPv6 address counts as its /64 (one subscriber's network)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "address:" + address[:80]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is 192.0.2.1
            return "address:" + str(ip.ipv4_mapped)
        return "address:" + str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return "address:" + str(ip)


def _thresholds(key: str) -> tuple[int, int]:
    config = current_app.config
    if key.startswith("address:"):
        return config["LOGIN_ADDRESS_DELAY_AFTER"], config["LOGIN_ADDRESS_LOCK_AFTER"]
    return config["LOGIN_DELAY_AFTER"], config["LOGIN_LOCK_AFTER"]


def wait_after(key: str, failures: int) -> dt.timedelta | None:
    """How long the next attempt of `key` must wait after its `failures`-th failure (None: not at all)."""
    delay_after, lock_after = _thresholds(key)
    lock = current_app.config["LOGIN_LOCK_MINUTES"]
    if failures >= lock_after:
        return dt.timedelta(minutes=lock)
    if failures >= delay_after:
        minutes = current_app.config["LOGIN_DELAY_MINUTES"] * 2 ** min(failures - delay_after, 30)
        return dt.timedelta(minutes=min(minutes, lock))
    return None


def _whole_minute_after(moment: dt.datetime) -> dt.datetime:
    """The first whole minute at or after `moment` (the message names minutes only)."""
    seconds = math.ceil(moment.timestamp() / 60) * 60
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def _insert_if_absent(**values):
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect (SQLite and PostgreSQL have it)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(LoginFailures).values(**values).on_conflict_do_nothing()


def begin(login: str, address: str) -> Attempt:
    """Counts one password check of `login` from `address` before it is made; commits.

    Call with nothing pending in db.session. Raises Throttled (with the latest end of the waits)
    when either counter is blocked; then nothing is counted and no password may be checked;
    RuntimeError only if the counter's row keeps vanishing under it (pruned by others, 3 times).
    Returns the Attempt to pass to succeeded() if the password proves right.
    """
    return _begin(sorted({login_key(login), address_key(address)}),  # one order: no deadlock
                  Attempt(login_key=login_key(login), address_key=address_key(address)))


def code_key(address: str) -> str:
    """The counter of signing-link codes typed or opened from a client address (login thresholds)."""
    return "code:" + address_key(address).removeprefix("address:")


def code_failed(address: str) -> None:
    """Counts one signing-link code from `address` that named no session; commits.

    Codes are guessed like passwords (OWASP ASVS 4.0.3 V2.2.1): counted per address only — a
    shared counter would let anyone block every family's link — with the login page's thresholds.
    Raises Throttled when the address is already held up (then nothing is counted).
    """
    key = code_key(address)
    _begin([key], Attempt(login_key=key, address_key=key))


def code_blocked(address: str) -> None:
    """Raises Throttled when codes from `address` are held up (see code_failed); counts nothing,
    so that opening a right link (many at once on a shared office network) never adds to it."""
    row = db.session.execute(select(LoginFailures.__table__.c.blocked_until)
                             .where(LoginFailures.__table__.c.key == code_key(address))).first()
    db.session.commit()
    if row is not None and row.blocked_until is not None and as_utc(row.blocked_until) > now():
        raise Throttled(as_utc(row.blocked_until))


def _begin(keys: list[str], attempt: Attempt) -> Attempt:
    moment = now()
    window = dt.timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    table = LoginFailures.__table__
    rows = {}
    for key in keys:
        # The INSERT comes first: a write, it takes SQLite's write lock, so the read after it sees
        # the latest row; on PostgreSQL the row lock (FOR UPDATE) serialises the attempts.
        for _ in range(3):  # another request may have just forgotten the row: make it again
            db.session.execute(_insert_if_absent(key=key, failures=0, window_started_at=moment))
            row = db.session.execute(select(table).where(table.c.key == key).with_for_update()).first()
            if row is not None:
                break
        else:
            raise RuntimeError(f"could not count a login attempt of {key}")
        rows[key] = row
    blocked = [as_utc(row.blocked_until) for row in rows.values()
               if row.blocked_until is not None and as_utc(row.blocked_until) > moment]
    if blocked:
        db.session.commit()
        _forget_stale(moment, window)
        raise Throttled(max(blocked))
    for key, row in rows.items():
        fresh = as_utc(row.window_started_at) <= moment - window or row.failures == 0
        failures = 1 if fresh else row.failures + 1
        wait = wait_after(key, failures)
        until = _whole_minute_after(moment + wait) if wait else None
        attempt.blocked_set[key] = until
        db.session.execute(update(table).where(table.c.key == key).values(
            failures=failures, window_started_at=moment if fresh else row.window_started_at,
            blocked_until=until))
    db.session.commit()
    _forget_stale(moment, window)
    return attempt


def _forget_stale(moment: dt.datetime, window: dt.timedelta) -> None:
    """Removes the counters past their window and not blocked (keeps the table small); commits.

    In a transaction of its own that never waits: a row another attempt holds is skipped (SKIP
    LOCKED on PostgreSQL; SQLite has one writer at a time), so pruning cannot deadlock with it.
    """
    table = LoginFailures.__table__
    stale = (select(table.c.key)
             .where(table.c.window_started_at <= moment - window,
                    or_(table.c.blocked_until.is_(None), table.c.blocked_until <= moment))
             .with_for_update(skip_locked=True))
    db.session.execute(delete(table).where(table.c.key.in_(stale)))
    db.session.commit()


def succeeded(attempt: Attempt) -> None:
    """The password of a begun attempt was right: the login's counter is reset, the address's
    attempt taken back (a wait this attempt set is lifted, unless another attempt set its own
    since). Commits. Raises nothing but database errors.

    The rows are written in begin()'s order (keys sorted): an attempt begun meanwhile holds the
    address's row and waits to insert the login's; deleting the login's row first and then
    waiting for the address's was a deadlock on PostgreSQL (two logins of one person at once)."""
    table = LoginFailures.__table__
    for key in sorted({attempt.login_key, attempt.address_key}):
        if key == attempt.login_key:
            db.session.execute(delete(table).where(table.c.key == key))
            continue
        mine = attempt.blocked_set.get(key)
        still_mine = table.c.blocked_until.is_(None) if mine is None else table.c.blocked_until == mine
        db.session.execute(update(table).where(table.c.key == key).values(
            failures=case((table.c.failures > 0, table.c.failures - 1), else_=0),
            blocked_until=case((still_mine, None), else_=table.c.blocked_until)))
    db.session.commit()
