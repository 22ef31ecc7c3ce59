"""A staff member's deadlines as an iCalendar feed (RFC 5545) behind a secret, revocable link.

The link (/calendar/<token>.ics) is what a phone's calendar subscribes to: it carries no login, so
the token is the key. It is shown once when made; only its SHA-256 is stored (a database dump
opens no calendar). Making a new link revokes the old one; a revoked or unknown token, or one of a
deactivated account, names nothing (the view answers 404). Every read of the feed is logged.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User, utcnow
from ..audit import Origin, record
from .deadlines import Deadline
from .models import CalendarFeed

# Roles that have deadlines to follow (families.deadlines.deadlines_for).
FEED_ROLES = frozenset({"assistant", "social_worker", "head", "coordinator"})
PRODID = "-//Asysta//Terminy pracy z rodziną//PL"


def token_sha256(token: str) -> str:
    """The stored form of a calendar token: its SHA-256, hexadecimal."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def active_feed(session: Session, user: User) -> CalendarFeed | None:
    """The user's link not revoked (the newest, should a database restored from before the lock
    below hold two), else None."""
    return session.execute(select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                      CalendarFeed.revoked_at.is_(None))
                           .order_by(CalendarFeed.created_at.desc(), CalendarFeed.id.desc())).scalars().first()


def _lock_user(session: Session, user: User) -> None:
    # A no-op UPDATE of the user's row first (as assign_assistant does): a row lock on PostgreSQL,
    # SQLite's write lock. Without it two „Utwórz link” at once (a double click) each revoked
    # nothing and each added a link: both worked, so replacing one left the other open, and the
    # calendar page failed on two active links.
    session.execute(User.__table__.update().where(User.id == user.id).values(id=user.id))


def _revoke_all(session: Session, user: User) -> bool:
    _lock_user(session, user)
    feeds = session.execute(select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                       CalendarFeed.revoked_at.is_(None))).scalars().all()
    for feed in feeds:
        feed.revoked_at = utcnow()
    return bool(feeds)


def create_feed(session: Session, user: User, origin: Origin) -> str:
    """Makes a new calendar link for `user` (revoking the one they had), commits, logs
    "calendar_link" and returns the token (43 URL-safe characters), which is not stored."""
    replaced = _revoke_all(session, user)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, token_sha256=token_sha256(token), created_at=utcnow())
    session.add(feed)
    session.flush()
    record(session, user, origin, "calendar_link", "calendar_feed", feed.id,
           detail="nowy link (poprzedni unieważniony)" if replaced else "nowy link")
    return token


def revoke_feed(session: Session, user: User, origin: Origin) -> bool:
    """Revokes the user's calendar link; commits and logs "calendar_revoke". Returns whether there
    was one."""
    if not _revoke_all(session, user):
        session.commit()  # the lock's transaction
        return False
    record(session, user, origin, "calendar_revoke", "calendar_feed", "", detail="link unieważniony")
    return True


def feed_owner(session: Session, token: str) -> tuple[CalendarFeed, User] | None:
    """The link and its owner for a token as it came in the URL, or None: unknown, revoked, or the
    account deactivated or no longer of a role with deadlines."""
    if not token or len(token) > 100:
        return None
    feed = session.execute(select(CalendarFeed).where(CalendarFeed.token_sha256 == token_sha256(token),
                                                      CalendarFeed.revoked_at.is_(None))).scalar_one_or_none()
    if feed is None or not feed.user.active or feed.user.role not in FEED_ROLES:
        return None
    return feed, feed.user


def calendar_bytes(deadlines: Iterable[Deadline], stamp: dt.datetime, host: str = "asysta",
                   owner_id: int | None = None) -> bytes:
    """The iCalendar text of the open deadlines: one all-day event each (DTSTART;VALUE=DATE and
    DTEND the next day, so no change of summer time can move it to another day), with a UID
    stable across reads (Deadline.uid), so a moved deadline updates its event.

    Data minimisation (RODO art. 5 ust. 1 lit. c): the phone's calendar is kept by its vendor's
    servers, so an event names the case sign and the kind of deadline only, never the family's
    names, address or PESEL; staff open the family's file in Asysta for the rest. A time report
    that is not the feed's owner's (`owner_id`: the head's feed lists every assistant's) names its
    assistant, a staff member, or the head could not tell the reports apart.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Asysta – terminy")
    for deadline in deadlines:
        if not deadline.is_open:
            continue
        event = Event()
        event.add("uid", f"{deadline.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due)  # a date: VALUE=DATE
        event.add("dtend", deadline.due + dt.timedelta(days=1))
        where = f" – sprawa {deadline.case_sign}" if deadline.case_sign else ""
        if not deadline.case_sign and deadline.assistant_id not in (None, owner_id) and deadline.assistant_name:
            where = f" – {deadline.assistant_name}"
        event.add("summary", f"{deadline.label}{where}")
        # The monitoring note: the social worker's by the offices' procedures (Łask pkt 4.12), the
        # assistant's task by art. 15 ust. 1 pkt 16; either may write it, and it meets the deadline.
        who = (" Notatkę sporządza pracownik socjalny lub asystent rodziny."
               if deadline.responsible == "social_worker" else "")
        event.add("description", f"Termin: {deadline.due.isoformat()}. Stan: {deadline.status_label}.{who}")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def log_feed_read(session: Session, user: User, origin: Origin, feed: CalendarFeed, count: int) -> None:
    """Logs one read of the feed ("calendar_read", channel as given: "cal"), committing it."""
    record(session, user, origin, "calendar_read", "calendar_feed", feed.id, detail=f"terminy: {count}")
