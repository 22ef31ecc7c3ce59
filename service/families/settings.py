"""The office's settings for the work with families (one row, id 1), created on first use.

How many families one assistant may work with at a time: art. 15 ust. 4 of the family-support act
(ustawa z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej) allows at most
15; an office may set fewer, never more. And the deadlines of the work with a family
(DEADLINE_SETTINGS, read by families.deadlines), each default with its source.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import Origin, record
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


@dataclass(frozen=True)
class DeadlineSetting:
    """One setting of the deadlines: its column, Polish label, unit, bounds and where the default comes from."""

    name: str
    label: str
    unit: str  # "days", "months" or "day_of_month"
    default: int
    low: int
    high: int
    source: str

    def problem(self, value: object) -> str | None:
        """Why `value` (an int, or text as typed) cannot be this setting, in Polish; None when it can."""
        text = str(value).strip() if value is not None else ""
        ok = not isinstance(value, bool) and text.isascii() and text.isdigit() and self.low <= int(text) <= self.high
        return None if ok else f"{self.label}: podaj liczbę całkowitą od {self.low} do {self.high}."


# Each default with its source. The family-support act (art. 15 ust. 1 pkt 15) sets only the
# periodic assessment, „nie rzadziej niż co pół roku”: an office may assess more often, never less
# (high = 6). The rest are the offices' own procedures (../shared/seeds: MGOPS Łask's „Procedury
# wspierania rodziny”, pkt 3.2, 4.2, 4.5, 4.12; MOPR Poznań in ../shared/domain/law-and-practice.md).
DEADLINE_SETTINGS: tuple[DeadlineSetting, ...] = (
    # Łask pkt 3.2: the first visit with the social worker „w ciągu 14 dni od momentu zakwalifikowania”.
    DeadlineSetting("first_visit_days", "Pierwsza wizyta (z pracownikiem socjalnym) – dni od przydziału",
                    "days", 14, 1, 60, "procedura MGOPS w Łasku, pkt 3.2"),
    # Łask pkt 4.2, MOPR Poznań: visits „nie rzadziej niż raz na 2 tygodnie”.
    DeadlineSetting("visit_interval_days", "Wizyty nie rzadziej niż co – dni", "days", 14, 1, 60,
                    "procedura MGOPS w Łasku, pkt 4.2"),
    # Łask pkt 4.5: the plan „nie później niż do 1 miesiąca od rozpoczęcia współpracy”.
    DeadlineSetting("plan_months", "Plan pracy z rodziną – miesięcy od przydziału", "months", 1, 1, 6,
                    "procedura MGOPS w Łasku, pkt 4.5"),
    # Monthly reports (Łask pkt 1.4 and 1.6; Łazy): the day of the month is the office's choice,
    # none of the procedures found names one; 28 at most, so every month has that day.
    DeadlineSetting("report_day", "Sprawozdania miesięczne do dnia następnego miesiąca", "day_of_month", 5, 1, 28,
                    "praktyka ośrodka"),
    # Art. 15 ust. 1 pkt 15 ustawy o wspieraniu rodziny: „nie rzadziej niż co pół roku”.
    DeadlineSetting("assessment_months", "Okresowa ocena sytuacji rodziny co – miesięcy", "months", 6, 1, 6,
                    "art. 15 ust. 1 pkt 15 ustawy o wspieraniu rodziny i systemie pieczy zastępczej"),
    # Art. 15 ust. 1 pkt 16 sets the monitoring, not its length; Łask pkt 4.12: „nie dłuższym niż 2 miesiące”.
    DeadlineSetting("monitoring_months", "Monitorowanie po zakończeniu pracy – miesięcy", "months", 2, 1, 12,
                    "procedura MGOPS w Łasku, pkt 4.12"),
)
DEADLINE_SETTING = {s.name: s for s in DEADLINE_SETTINGS}


@dataclass(frozen=True)
class DeadlineRules:
    """The office's deadline settings as the engine (families.deadlines) reads them; the defaults
    of DEADLINE_SETTINGS when built without arguments."""

    first_visit_days: int = 14
    visit_interval_days: int = 14
    plan_months: int = 1
    report_day: int = 5
    assessment_months: int = 6
    monitoring_months: int = 2


def deadline_rules(session: Session) -> DeadlineRules:
    """The office's deadline settings (the defaults until the settings row exists)."""
    settings = session.get(OfficeSettings, 1)
    if settings is None:
        return DeadlineRules()
    return DeadlineRules(**{s.name: getattr(settings, s.name) for s in DEADLINE_SETTINGS})


def set_deadline_settings(session: Session, actor: User, origin: Origin, values: dict[str, object], *,
                          commit: bool = True) -> DeadlineRules:
    """Sets the deadline settings named in `values` (setting name -> int or text as typed) and logs
    "edit" of office_settings with each old and new value, as set_family_limit does. Raises
    ValueError({name: Polish message}) naming every bad value, changing nothing; KeyError for a
    name that is not a setting. With commit=False the change joins the caller's transaction."""
    problems = {name: DEADLINE_SETTING[name].problem(value) for name, value in values.items()}
    problems = {name: message for name, message in problems.items() if message}
    if problems:
        raise ValueError(problems)
    settings = office_settings(session)
    changed = []
    for name, value in values.items():
        old = getattr(settings, name)
        if old != int(str(value).strip()):
            setattr(settings, name, int(str(value).strip()))
            changed.append(f"{name} {old} → {getattr(settings, name)}")
    if changed:
        record(session, actor, origin, "edit", "office_settings", 1, detail="; ".join(changed), commit=commit)
    elif commit:
        session.commit()
    return deadline_rules(session)
