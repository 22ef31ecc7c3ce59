"""Case signs (znak sprawy): the next number per JRWA class and year, in the office's pattern.

The register of cases (spis spraw, per the instrukcja kancelaryjna of the Prime Minister's
regulation of 18 January 2011) numbers the cases of one JRWA class in one year 1, 2, 3, ... with
neither duplicates nor gaps. The number is printed in the case's first document, so it must be
known before rendering, which takes a second or more; the lock of a counter must not be held that
long. So a new case's number goes through three short transactions of its own:

1. reserve_number(): take the lowest released number of the class and year, else the counter's
   next one (an atomic UPDATE ... RETURNING on SQLite >= 3.35 and PostgreSQL); either way a
   `case_numbers` row with a fresh token marks it as reserved. Commits.
2. (no transaction) the document is rendered, converted and sealed.
3. open_case(): inside the transaction that stores the document, the reservation row is deleted
   (only if its token is still ours) and the case enters `cases`. Or, if issuing failed,
   release_number(): the newest number goes back to the counter; any other is marked released and
   is given to the next new case of the same class and year.

So at any moment each number 1..last_number of a class and year is exactly one of: a case in the
register, reserved (in flight), or released (waiting for the next new case). A reservation whose
request died without releasing it (process killed) is taken over after STALE_AFTER.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from ..accounts.models import utcnow
from .models import Case, CaseCounter, CaseNumber

log = logging.getLogger(__name__)

# A reservation lives for one issue (render, conversion within its timeout, seal): seconds. One this
# old belongs to a request that died; its number is given to the next new case.
STALE_AFTER = dt.timedelta(minutes=15)

TOKENS = ("dept", "symbol", "number", "year", "initials")
_TOKEN = re.compile(r"\{(" + "|".join(TOKENS) + r")\}")


def pattern_problems(pattern: str) -> list[str]:
    """What is wrong with a case-sign pattern, in Polish (empty when it is usable)."""
    problems = []
    for needed in ("symbol", "number", "year"):
        if "{" + needed + "}" not in pattern:
            problems.append(f"Wzór musi zawierać {{{needed}}}.")
    leftover = _TOKEN.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        problems.append("Dozwolone znaczniki: " + ", ".join("{" + t + "}" for t in TOKENS) + ".")
    return problems


def format_case_sign(pattern: str, **values: object) -> str:
    """Fills the pattern's known tokens only (never str.format: the pattern is user-editable)."""
    sign = _TOKEN.sub(lambda m: str(values.get(m.group(1), "")), pattern)
    return re.sub(r"\.{2,}", ".", sign).strip(".")  # an empty {initials} leaves no double dot


@dataclass(frozen=True)
class Reservation:
    """A case number held for one new case while its first document is made."""

    symbol: str
    year: int
    number: int
    token: str  # uuid4 hex: only its holder may turn it into a case or release it


class ReservationLost(RuntimeError):
    """The reservation was taken over (held longer than STALE_AFTER): the document is not stored."""


def reserve_number(session: Session, *, symbol: str, year: int, now: dt.datetime | None = None) -> Reservation:
    """Reserves the next case number of a class and year in a short transaction of its own (commits).

    Call with nothing pending in `session`. Returns the Reservation; raises RuntimeError only if
    the database keeps changing under it (many conflicting attempts in a row).
    """
    now = now or utcnow()
    token = uuid.uuid4().hex
    numbers, counters = CaseNumber.__table__, CaseCounter.__table__
    of_class = and_(numbers.c.symbol == symbol, numbers.c.year == year)
    reusable = and_(of_class, or_(numbers.c.token.is_(None), numbers.c.reserved_at < now - STALE_AFTER))
    for _ in range(20):
        # A released number first, the lowest: the register must not keep its gap.
        lowest = session.execute(select(numbers.c.number).where(reusable)
                                 .order_by(numbers.c.number).limit(1)).scalar()
        if lowest is not None:
            taken = session.execute(update(numbers).where(reusable, numbers.c.number == lowest)
                                    .values(token=token, reserved_at=now)).rowcount
            if taken == 1:
                session.commit()
                return Reservation(symbol, year, lowest, token)
            session.rollback()  # another request took it first: look again
            continue
        session.execute(_insert_if_absent(session, counters, symbol=symbol, year=year, last_number=0))
        number = session.execute(update(counters)
                                 .where(counters.c.symbol == symbol, counters.c.year == year)
                                 .values(last_number=counters.c.last_number + 1)
                                 .returning(counters.c.last_number)).scalar()
        if number is None:  # the counter was released back to zero and removed in between
            session.rollback()
            continue
        session.execute(insert(numbers).values(symbol=symbol, year=year, number=number, token=token,
                                               reserved_at=now))
        session.commit()
        return Reservation(symbol, year, number, token)
    raise RuntimeError(f"could not reserve a case number of {symbol}/{year}")


def release_number(session: Session, reservation: Reservation) -> None:
    """Gives back the number of a case whose first document failed (rolls back, then commits).

    The newest number of its class goes back to the counter (a counter back at zero is removed, as
    if nothing had happened); any other is marked released, for the next new case of the class.
    Never raises: a number it could not release is taken over after STALE_AFTER.
    """
    numbers, counters = CaseNumber.__table__, CaseCounter.__table__
    r = reservation
    this = and_(numbers.c.symbol == r.symbol, numbers.c.year == r.year, numbers.c.number == r.number)
    counter = and_(counters.c.symbol == r.symbol, counters.c.year == r.year)
    try:
        session.rollback()
        mine = session.execute(update(numbers).where(this, numbers.c.token == r.token)
                               .values(token=None, reserved_at=None)).rowcount
        if mine and session.execute(update(counters).where(counter, counters.c.last_number == r.number)
                                    .values(last_number=counters.c.last_number - 1)).rowcount:
            session.execute(delete(numbers).where(this))
            session.execute(delete(counters).where(counter, counters.c.last_number == 0))
        session.commit()
    except Exception:  # the original failure matters more; the number comes back after STALE_AFTER
        log.exception("case number %s/%s/%s not released", r.symbol, r.number, r.year)
        session.rollback()


def open_case(session: Session, reservation: Reservation, *, pattern: str, dept: str, jrwa_key: str,
              category: str, title: str, assignee_id: int, initials: str = "",
              created_at: dt.datetime | None = None) -> Case:
    """Turns a reservation into a case of the register, within the caller's (short) transaction.

    Returns the new Case (flushed, so it has its id). Raises ReservationLost if the reservation is
    no longer this caller's; the caller rolls back.
    """
    r = reservation
    numbers = CaseNumber.__table__
    claimed = session.execute(delete(numbers).where(
        numbers.c.symbol == r.symbol, numbers.c.year == r.year, numbers.c.number == r.number,
        numbers.c.token == r.token)).rowcount
    if claimed != 1:
        raise ReservationLost(f"case number {r.symbol}/{r.number}/{r.year} was taken over")
    case = Case(sign=case_sign(pattern, dept, r, initials), symbol=r.symbol, year=r.year, number=r.number,
                jrwa_key=jrwa_key, category=category, title=title[:300], assignee_id=assignee_id,
                created_at=created_at or utcnow())
    session.add(case)
    session.flush()
    return case


def case_sign(pattern: str, dept: str, reservation: Reservation, initials: str = "") -> str:
    """The sign a reserved number will have, e.g. 'MOPS.SPS.4011.12.2026'."""
    r = reservation
    return format_case_sign(pattern, dept=dept, symbol=r.symbol, number=r.number, year=r.year, initials=initials)


def _insert_if_absent(session: Session, table, **values):
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect (SQLite and PostgreSQL have it)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).values(**values).on_conflict_do_nothing()
