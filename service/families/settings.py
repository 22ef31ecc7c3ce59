"""The office's settings for the work with families (one row, id 1), created on first use.

Today one setting: how many families one assistant may work with at a time. Art. 15 ust. 4 of the
family-support act (ustawa z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy
zastępczej) allows at most 15; an office may set fewer, never more.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import Origin, record
from ..documents.family_facts import DEFAULT_MONITORING_MONTHS
from .models import OfficeSettings

STATUTORY_LIMIT = 15  # art. 15 ust. 4 ustawy o wspieraniu rodziny i systemie pieczy zastępczej
LIMIT_MESSAGE = (f"Podaj liczbę od 1 do {STATUTORY_LIMIT}: asystent rodziny może prowadzić najwyżej "
                 f"{STATUTORY_LIMIT} rodzin jednocześnie (art. 15 ust. 4 ustawy o wspieraniu rodziny "
                 "i systemie pieczy zastępczej).")


def office_settings(session: Session) -> OfficeSettings:
    """The settings row, added with its legal defaults (and flushed, not committed) on first use."""
    settings = session.get(OfficeSettings, 1)
    if settings is None:
        settings = OfficeSettings(id=1, family_limit=STATUTORY_LIMIT)
        session.add(settings)
        session.flush()
    return settings


def monitoring_months(session: Session) -> int:
    """How many months a family is monitored after the work ends (art. 15 ust. 1 pkt 16 of the
    family-support act sets no length; the issue's default is 2). The one place the setting is
    read: w-deadlines' OfficeSettings.monitoring_months when it is there, else the default."""
    settings = session.get(OfficeSettings, 1)
    value = getattr(settings, "monitoring_months", None) if settings is not None else None
    return int(value) if value else DEFAULT_MONITORING_MONTHS


def family_limit(session: Session) -> int:
    """The office's limit of families per assistant at a time (default and maximum: STATUTORY_LIMIT)."""
    settings = session.get(OfficeSettings, 1)
    return settings.family_limit if settings else STATUTORY_LIMIT


def limit_problem(value: object) -> str | None:
    """Why `value` (an int, or text as typed) cannot be the limit, in Polish; None when it can."""
    text = str(value).strip() if value is not None else ""
    if isinstance(value, bool) or not text.isascii() or not text.isdigit():
        return LIMIT_MESSAGE
    return None if 1 <= int(text) <= STATUTORY_LIMIT else LIMIT_MESSAGE


def set_family_limit(session: Session, actor: User, origin: Origin, value: int, *, commit: bool = True) -> int:
    """Sets the limit of families per assistant (1..STATUTORY_LIMIT) and logs "edit" of
    office_settings with the old and new values. Assignments already made stay (lowering the limit
    refuses only new ones). Returns the limit; raises ValueError with the Polish message for any
    other value. With commit=False the change and its log row join the caller's transaction."""
    problem = limit_problem(value)
    if problem:
        raise ValueError(problem)
    settings = office_settings(session)
    old, settings.family_limit = settings.family_limit, int(value)
    if old != settings.family_limit:
        record(session, actor, origin, "edit", "office_settings", 1,
               detail=f"family_limit {old} → {settings.family_limit}", commit=commit)
    elif commit:
        session.commit()
    return settings.family_limit
