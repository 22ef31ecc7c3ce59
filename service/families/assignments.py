"""Assigning an assistant to a family: the limit of families per assistant and the history.

Art. 15 ust. 4 of the family-support act: an assistant works with at most 15 families at a time;
the office may set fewer (office settings, families.settings). A change of assistant ends the old
assignment the day before the new one starts, so the family's file keeps who worked with it when.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..accounts.models import User, utcnow
from ..audit import Origin, record
from ..documents.context import office_today
from .models import Assignment, Family, FamilyChange
from .people import count_pl
from .settings import STATUTORY_LIMIT, family_limit  # noqa: F401 (re-exported: issuing, views)


def current_count(session: Session, assistant_id: int, *, except_family: int | None = None,
                  on: dt.date | None = None) -> int:
    """How many families the assistant has on `on` (default: the office's today): assignments not
    ended, or ending that day or later (a family reassigned from a later date is still theirs until
    then; art. 15 ust. 4 counts the families at the same time). One starting later counts too: its
    place is taken; one replaced before it began (Assignment.took_effect) does not: it never will."""
    on = on or office_today()
    query = select(func.count()).select_from(Assignment).where(
        Assignment.assistant_id == assistant_id,
        or_(Assignment.end_date.is_(None),
            and_(Assignment.end_date >= on, Assignment.end_date >= Assignment.start_date)))
    if except_family is not None:
        query = query.where(Assignment.family_id != except_family)
    return session.execute(query).scalar_one()


def families_word(n: int) -> str:
    """'1 rodzinę', '3 rodziny', '15 rodzin': the accusative after „ma” / „prowadzi”."""
    return count_pl(n, "rodzinę", "rodziny", "rodzin")


class AssignmentRefused(ValueError):
    """The assignment cannot be made; str() is the Polish message, `field` the input it concerns,
    `status` the HTTP answer it calls for (409 for the limit, 422 for input)."""

    def __init__(self, message: str, field: str = "assistant", status: int = 422) -> None:
        super().__init__(message)
        self.field, self.status = field, status


def assign_assistant(session: Session, actor: User, origin: Origin, family: Family, assistant: User,
                     start_date: dt.date) -> Assignment:
    """Assigns `assistant` to `family` from `start_date`; ends the current assignment, if any, the
    day before (or on start_date, when it began that day). Commits and logs "assign".

    Raises AssignmentRefused: not an active assistant; the same assistant is already assigned; the
    start date is before the current assignment began, or, with none current, before the last one
    ended; the assistant already has family_limit
    families (status 409, the message names the current count: art. 15 ust. 4). The check and the
    insert are one transaction holding the assistant's row (a no-op UPDATE: a row lock on
    PostgreSQL, the write lock on SQLite), so two heads assigning at once cannot make a sixteenth.
    """
    if assistant.role != "assistant" or not assistant.active:
        raise AssignmentRefused("Wybierz aktywne konto asystenta rodziny.")
    family_id, assistant_id, actor_id = family.id, assistant.id, actor.id
    session.commit()
    # A no-op UPDATE of the assistant's row first: it locks the row on PostgreSQL and takes
    # SQLite's write lock, so a second assignment of the same assistant waits for this one's count.
    session.execute(User.__table__.update().where(User.id == assistant_id).values(id=assistant_id))
    current = session.execute(select(Assignment).where(Assignment.family_id == family_id,
                                                       Assignment.end_date.is_(None))).scalar_one_or_none()
    if current is not None and current.assistant_id == assistant_id:
        session.rollback()
        raise AssignmentRefused("Ten asystent rodziny jest już przydzielony tej rodzinie.")
    if current is not None and start_date < current.start_date:
        session.rollback()
        raise AssignmentRefused("Data rozpoczęcia nie może być wcześniejsza niż początek obecnego przydziału "
                                f"({current.start_date.isoformat()}).", field="start_date")
    last_end = None if current is not None else session.execute(
        select(func.max(Assignment.end_date)).where(Assignment.family_id == family_id)).scalar()
    if last_end is not None and start_date < last_end:
        # after an ended assignment: a start before its end would put two assistants on the same days
        session.rollback()
        raise AssignmentRefused("Data rozpoczęcia nie może być wcześniejsza niż koniec poprzedniego przydziału "
                                f"({last_end.isoformat()}).", field="start_date")
    limit = family_limit(session)
    count = current_count(session, assistant_id, except_family=family_id)
    if count >= limit:
        session.rollback()
        raise AssignmentRefused(
            f"Asystent rodziny {assistant.full_name} prowadzi już {families_word(count)}, a może najwyżej "
            f"{limit} jednocześnie (art. 15 ust. 4 ustawy o wspieraniu rodziny i systemie pieczy zastępczej). "
            "Zakończ inny przydział albo wybierz innego asystenta.", status=409)
    now = utcnow()
    before = {}
    if current is not None:
        # The old assignment lasts until the day before the new one starts. Replaced on or before
        # the day it was to begin, it ends before its start: it never took effect
        # (Assignment.took_effect), and its assistant has no access from today on.
        current.end_date = start_date - dt.timedelta(days=1)
        current.ended_by_id = actor_id
        before = {"assistant_id": current.assistant_id, "start_date": current.start_date.isoformat()}
    # Support given again ends the monitoring of the work before (its assistant's reading too).
    for monitored in session.execute(select(Assignment).where(
            Assignment.family_id == family_id, Assignment.monitoring_until >= start_date)).scalars():
        monitored.monitoring_until = start_date - dt.timedelta(days=1)
    assignment = Assignment(family_id=family_id, assistant_id=assistant_id, start_date=start_date,
                            created_at=now, created_by_id=actor_id)
    session.add(assignment)
    session.add(FamilyChange(family_id=family_id, at=now, by_id=actor_id, what="assignment", before=before,
                             after={"assistant_id": assistant_id, "start_date": start_date.isoformat()}))
    session.commit()
    record(session, actor, origin, "assign", "family", family_id,
           detail=f"asystent {assistant.login} od {start_date.isoformat()}", family_id=family_id)
    return assignment


def end_assignment(session: Session, actor: User, origin: Origin, family: Family, end_date: dt.date) -> Assignment | None:
    """Ends the family's current assignment on `end_date` (not before it began); commits, logs
    "assignment_end" and returns it, or None when there is none."""
    current = family.current_assignment
    if current is None:
        return None
    if end_date < current.start_date:
        raise AssignmentRefused("Data zakończenia nie może być wcześniejsza niż początek przydziału.", field="end_date")
    current.end_date, current.ended_by_id = end_date, actor.id
    session.add(FamilyChange(family_id=family.id, at=utcnow(), by_id=actor.id, what="assignment_ended",
                             before={"assistant_id": current.assistant_id}, after={"end_date": end_date.isoformat()}))
    session.commit()
    record(session, actor, origin, "assignment_end", "family", family.id, detail=end_date.isoformat(),
           family_id=family.id)
    return current
