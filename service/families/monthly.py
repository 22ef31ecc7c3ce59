"""Monthly reports built, not typed (issue 11): the visit records (karty pracy) of a month and the
values of the `monthly_family_report` and `monthly_time_report` forms made from them
(service/documents/catalog/DATA_KEYS.md: data keys of `visit_record`, `work_plan` and the two reports).

The staff member reviews and completes the values before issuing; fields that need a person's
judgement (difficulties, the plan for the next month) are not filled here.

The rules, decided here once:

- **Time of a visit.** `visit_date` with `time_from`–`time_to` is wall-clock time in Warsaw; a
  `time_to` earlier than `time_from` means the visit ended on the next day. A duration is the real
  time elapsed between the two moments, computed on zoneinfo-aware datetimes converted to UTC
  (Python compares and subtracts two datetimes of the *same* tzinfo by their wall clocks, so the
  conversion is what makes daylight-saving days right): 29 March 2026 1:30–3:30 lasted 1 hour (the
  clocks went forward), 25 October 2026 1:30–3:30 lasted 3 hours (they went back). A wall time
  that happens twice (25 October 2:00–2:59) is read as its first occurrence, summer time, unless
  an end earlier than the start is its second occurrence after the start (2:30–2:15 that night is
  45 minutes, not a day), and one that never happens (29 March 2:00–2:59, which the visit record's
  form refuses) with the offset before the change: Python's fold=0. The reading is
  documents.catalog.visit_record.span, by which the form checked the hours. Equal times give
  0 minutes; a record without valid times counts as a contact of 0 minutes.
- **Family report:** a contact counts once, in the month of its `visit_date` (the month it
  started), whatever its hours.
- **Time report:** minutes count in the month in which they were worked (Warsaw months,
  months.Month): a visit on 31 October 22:00–1:00 gives 120 minutes to October and 60 to
  November, and is listed in both months' `visit_refs`. Travel (`travel_minutes`) counts in the
  month the visit started. The assistant of a record is its `assistant_login`, else its author.
- **Goals:** a month's goals are those of the work plan current on the month's last day (the
  plan the report is read against when it is accepted after the month ends). A visit's ticked goal
  numbers mean the goals of the plan current on the visit's date; after a revision within the
  month, a goal of the old plan with the same wording as one of the month-end plan is the same
  goal; one the new plan no longer has gets a row of its own, marked as the old plan's.
- **Withdrawn records:** the archive has no cancelled or withdrawn state (archive/models.py:
  rows are never updated), so every issued visit record counts.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..archive.models import DocumentRecord
from ..documents.catalog.monthly_family_report import GOAL_ROWS
from ..documents.catalog.monthly_time_report import FAMILY_LENGTH
from ..documents.catalog.visit_record import clock, span
from ..documents.family_facts import names_within
from ..documents.context import polish_date
from .models import Case, Family
from .months import GENITIVE, WARSAW, Month, as_month, dates_text, hours_text
from .people import fold, is_adult
from .plans import document_day, issued_at, plan_records

VISIT_RECORD = "visit_record"
WORK_PLAN = "work_plan"
# The choices of visit_record.contact_kind (types-contract.md), in the order a report lists them.
CONTACT_KINDS = {
    "visit": "wizyta",
    "phone": "kontakt telefoniczny",
    "accompanying": "towarzyszenie w instytucji",
    "institution_contact": "kontakt z instytucją w sprawie rodziny",
    "other": "inne",
}
UTC = dt.timezone.utc
# How much of a visit's topics a report quotes, and how long one goal's work may get (characters);
# the staff member completes it (a textarea holds 4000: documents.spec).
TOPIC_LENGTH = 200
WORK_LENGTH = 1500
# The work of a goal of the month's plan that no visit record of the month ticked.
NO_WORK = "W kartach pracy z tego miesiąca nie zapisano działań przy tym celu."


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _aware(moment: dt.datetime) -> dt.datetime:
    """A stored timestamp in UTC (SQLite gives it back without a zone; it was stored in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Visit:
    """A visit record read for a report: the record, its date, and its start and end as aware UTC
    datetimes (None when the record has no valid times)."""

    record: DocumentRecord
    day: dt.date
    start: dt.datetime | None
    end: dt.datetime | None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def data(self) -> dict[str, Any]:
        return self.record.data or {}

    @property
    def minutes(self) -> int:
        """Its whole duration in minutes (real time: see the module's rules)."""
        return self.minutes_between(None, None)

    def minutes_between(self, since: dt.datetime | None, until: dt.datetime | None) -> int:
        """Minutes of the visit within [since, until) (aware datetimes; None: unbounded)."""
        if self.start is None or self.end is None:
            return 0
        start = self.start if since is None else max(self.start, since.astimezone(UTC))
        end = self.end if until is None else min(self.end, until.astimezone(UTC))
        return max(0, int((end - start).total_seconds()) // 60)

    def minutes_in(self, month: Month) -> int:
        """Minutes of the visit worked in the month (Warsaw calendar month)."""
        return self.minutes_between(month.start, month.end)


def visit_of(record: DocumentRecord) -> Visit | None:
    """The record read as a Visit; None when it has no valid `visit_date` (it belongs to no month)."""
    data = record.data or {}
    day = _date(data.get("visit_date"))
    if day is None:
        return None
    since, until = clock(data.get("time_from")), clock(data.get("time_to"))
    if since is None or until is None:
        return Visit(record, day, None, None)
    start, end = span(day, since, until)  # the rules the record's form checked its hours by
    return Visit(record, day, start.astimezone(UTC), end.astimezone(UTC))


def _in_date_order(visits: Iterable[Visit]) -> list[Visit]:
    def key(v: Visit):
        start = v.start or dt.datetime.combine(v.day, dt.time(0, 0), tzinfo=WARSAW).astimezone(UTC)
        return start, _aware(v.record.created_at), v.id
    return sorted(visits, key=key)


def _visit_records(session: Session, first: dt.date, last: dt.date, *where) -> list[DocumentRecord]:
    """Visit records whose `visit_date` is within [first, last] (ISO dates compare as text), and
    those of the `where` conditions."""
    visit_date = DocumentRecord.data["visit_date"].as_string()
    return list(session.execute(select(DocumentRecord).where(
        DocumentRecord.slug == VISIT_RECORD, visit_date >= first.isoformat(), visit_date <= last.isoformat(),
        *where)).scalars())


def visits_of_month(session: Session, family: Family, month: Month | str) -> list[Visit]:
    """The family's visit records (in its case) that started in the month („2026-11” or a Month),
    in date order: the contacts of its monthly family report."""
    month = as_month(month)
    records = _visit_records(session, month.first, month.last, DocumentRecord.case_id == family.case_id)
    # The SQL range narrows; the dates read here decide (a text compare under a collation is no date's).
    return _in_date_order(v for v in map(visit_of, records) if v is not None and Month.of(v.day) == month)


def assistant_login_of(record: DocumentRecord) -> str:
    """The login of the assistant a visit record is of: its `assistant_login`, else its author's."""
    return (record.data or {}).get("assistant_login") or record.author.login


def visits_of_assistant_month(session: Session, assistant: User, month: Month | str) -> list[Visit]:
    """The assistant's visit records, of every family, that started in the month or have minutes
    worked in it (one begun on the previous month's last evening), in date order."""
    month = as_month(month)
    records = _visit_records(
        session, month.first - dt.timedelta(days=1), month.last,
        or_(DocumentRecord.author_id == assistant.id,
            DocumentRecord.data["assistant_login"].as_string() == assistant.login))

    def is_mine(record: DocumentRecord) -> bool:  # assistant_login_of without loading the author
        login = (record.data or {}).get("assistant_login")
        return login == assistant.login if login else record.author_id == assistant.id

    mine = (v for v in map(visit_of, records)
            if v is not None and is_mine(v.record) and (Month.of(v.day) == month or v.minutes_in(month) > 0))
    return _in_date_order(mine)


class NoVisits(LookupError):
    """No visit record in the month: nothing to build the report from. str() is the Polish message;
    the caller decides (the API: 422)."""

    def __init__(self, message: str, month: Month):
        super().__init__(message)
        self.month = month


# --- the work plan current on a day -------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """A work plan as a report reads it: id, its date, what it replaces, and its goals
    ({goal_no as a string of digits: goal}, in the plan's order)."""

    id: str
    day: dt.date
    created_at: dt.datetime
    replaces: str | None
    goals: dict[str, str] = field(default_factory=dict)


def plans_of(session: Session, family: Family) -> list[Plan]:
    """The family's work plans, oldest first (by `plan_date`, else the Warsaw date of issue, then
    the time of issue: plans.plan_records, whose last is plans.current_plan)."""
    out = []
    for record in plan_records(session, family):
        data = record.data or {}
        goals = {str(row.get("goal_no")): str(row.get("goal") or "").strip()
                 for row in data.get("goals") or [] if isinstance(row, dict) and row.get("goal_no") is not None}
        out.append(Plan(record.id, document_day(record, "plan_date"), issued_at(record),
                        data.get("replaces") or None, goals))
    return out


def plan_on(plans: list[Plan], day: dt.date) -> Plan | None:
    """The plan current on `day`: the latest dated on or before it that no plan dated on or before
    it replaces; None before the first plan."""
    dated = [p for p in plans if p.day <= day]
    replaced = {p.replaces for p in dated if p.replaces}
    current = [p for p in dated if p.id not in replaced]
    return current[-1] if current else None


# --- the family report --------------------------------------------------------------------------

def shorten(text: str, limit: int) -> str:
    """The text with whitespace collapsed, cut at a word boundary to at most `limit` characters
    with „…” when longer."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut:
        cut = cut[:cut.rfind(" ")]
    return cut.rstrip(" ,;:.-–") + "…"


def _work_entry(visit: Visit) -> str:
    """„3 listopada: rozmowa o budżecie domowym” (the topics shortened), or the date alone."""
    day = f"{visit.day.day} {GENITIVE[visit.day.month - 1]}"  # the year is the report's
    topics = shorten(visit.data.get("topics") or "", TOPIC_LENGTH)
    return f"{day}: {topics}" if topics else day


def goal_work(visits: list[Visit], plans: list[Plan], month: Month) -> tuple[list[dict[str, str]], str]:
    """The work of the month per plan goal: group rows {"goal_no": "1", "goal": text, "work": text}
    for every goal of the plan current at the month's end (work NO_WORK when no visit ticked it), then a
    row for each goal of an earlier plan worked in the month that the current plan no longer has
    (at most GOAL_ROWS rows in all: the earlier plans' goals beyond them go to the other work);
    and the work of visits that ticked no goal, as one text ("" when none). Work is the visits'
    dates and topics, shortened, one visit a line."""
    end_plan = plan_on(plans, month.last)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    by_wording: dict[str, tuple[str, str]] = {}
    if end_plan is not None:
        for no, goal in end_plan.goals.items():
            rows[(end_plan.id, no)] = {"goal_no": no, "goal": goal, "work": []}
            by_wording.setdefault(fold(goal), (end_plan.id, no))
    other: list[str] = []
    for visit in visits:
        entry = _work_entry(visit)
        plan = plan_on(plans, visit.day) or end_plan
        placed = False
        for no in dict.fromkeys(str(n) for n in visit.data.get("goals_worked") or []):
            if plan is None or no not in plan.goals:
                continue
            key = (plan.id, no) if plan is end_plan else by_wording.get(fold(plan.goals[no]), (plan.id, no))
            if key not in rows:
                rows[key] = {"goal_no": no, "work": [],
                             "goal": f"{plan.goals[no]} (cel planu z dnia {polish_date(plan.day)})"}
            rows[key]["work"].append(entry)
            placed = True
        if not placed and visit.data.get("topics"):
            other.append(entry)
    # A goal no visit ticked says so: the report's „Działania w miesiącu” is required, and an
    # empty one made a report built from the month unissuable until someone typed it.
    out = [{**row, "work": _lines(row["work"]) or NO_WORK} for row in rows.values()]
    # More rows than the report's table takes (two plans of eight goals within one month): the
    # earlier plans' goals beyond it are told in the other work, each visit under its goal, rather
    # than a report the builder filled and the form then refused („Najwyżej 12 pozycji.”).
    spilled = list(rows.values())[GOAL_ROWS:]
    other = [f"{row['goal']} – {entry}" for row in spilled for entry in row["work"]] + other
    return out[:GOAL_ROWS], _lines(other)


def _lines(entries: list[str]) -> str:
    """One visit a line (a document prints a line end as a line break: documents.render), at most
    WORK_LENGTH characters: the entries that fit, then „…” for the rest."""
    text = ""
    for entry in entries:
        line = f"{text}\n{entry}" if text else entry
        if len(line) > WORK_LENGTH:
            return f"{text}\n…" if text else shorten(entry, WORK_LENGTH)
        text = line
    return text


def institutions_text(visits: Iterable[Visit]) -> str:
    """The institutions the visits name, each once (compared without case, diacritics and extra
    spaces; the first spelling kept), in order of first mention, joined with „, ”. A visit's
    `institutions` text is split at commas, semicolons and line ends."""
    seen: dict[str, str] = {}
    for visit in visits:
        for name in re.split(r"[,;\n]", str(visit.data.get("institutions") or "")):
            name = " ".join(name.split()).rstrip(".")
            if name:
                seen.setdefault(fold(name), name)
    return ", ".join(seen.values())


def family_report_values(session: Session, family: Family, month: Month | str) -> dict[str, Any]:
    """Values of the `monthly_family_report` form for the family and month, from the month's visits:

    {"month": "2026-11", "contacts_count": int (visit records started in the month),
     "contact_dates": „3, 10 i 24 listopada 2026 r.” (each day once), "goal_work": [{"goal_no",
     "goal", "work"}] (goal_work()), "other_work": text (visits that ticked no goal),
     "institutions": text (institutions_text()), "visit_refs": [visit record ids, date order]}.

    Raises NoVisits („W listopadzie 2026 r. nie ma żadnej karty pracy z tą rodziną.”).
    """
    month = as_month(month)
    visits = visits_of_month(session, family, month)
    if not visits:
        raise NoVisits(f"W {month.locative} nie ma żadnej karty pracy z tą rodziną.", month)
    rows, other = goal_work(visits, plans_of(session, family), month)
    return {"month": str(month), "contacts_count": len(visits),
            "contact_dates": dates_text(v.day for v in visits), "goal_work": rows, "other_work": other,
            "institutions": institutions_text(visits), "visit_refs": [v.id for v in visits]}


# --- the time report ----------------------------------------------------------------------------

def family_label(family: Family | None, month: Month) -> str:
    """How a time report names a family next to its case sign: the full names of the members who
    were in the family in the month and were adults at its end („Anna Kowalska, Jan Kowalski”),
    nominative, without declining a surname into „rodzina Kowalskich” (a wrong declension in an
    official report is worse than none); children are left out, the supervisor needs no more to
    know the family. At most FAMILY_LENGTH characters: the names that fit and how many more
    (family_facts.names_within). The names of its members in the month when it has no adult (as
    Family.name names a family), its case sign when it has none; "" for a case without a family."""
    if family is None:
        return ""
    members = [m for m in family.members if m.left_on is None or m.left_on >= month.first]
    adults = [m.full_name for m in members
              if (is_adult(m.birth_date, month.last) if m.birth_date else m.relation != "child")]
    return (names_within(adults, FAMILY_LENGTH, last=", ")
            or names_within((m.full_name for m in members), FAMILY_LENGTH, last=", ") or family.case.sign)


def time_report_values(session: Session, assistant: User, month: Month | str) -> dict[str, Any]:
    """Values of the `monthly_time_report` form for the assistant and month, from their visits:

    {"month": "2026-11", "assistant_login", "assistant_name",
     "family_hours": [{"case_sign", "family" (family_label), "minutes": int, "hours": „12 h 30 min”}]
        per family, in the order of the register of cases,
     "task_hours": [{"contact_kind", "label" (CONTACT_KINDS), "minutes", "hours"}] per kind of
        contact that occurs (an unknown kind counts as „inne”),
     "work_minutes", "work_hours", "travel_minutes", "travel_hours", "total_minutes" (work and
     travel), "total_hours", "visit_refs": [ids, date order]}.

    Minutes are whole minutes of the month (the module's rules); every total is the exact sum of
    its rows. Raises NoVisits („W listopadzie 2026 r. Anna Nowak nie ma żadnej karty pracy.”).
    """
    month = as_month(month)
    visits = visits_of_assistant_month(session, assistant, month)
    if not visits:
        raise NoVisits(f"W {month.locative} {assistant.full_name} nie ma żadnej karty pracy.", month)
    by_case: dict[int, int] = {}
    by_kind: dict[str, int] = {}
    travel = 0
    for visit in visits:
        minutes = visit.minutes_in(month)
        by_case[visit.record.case_id] = by_case.get(visit.record.case_id, 0) + minutes
        kind = visit.data.get("contact_kind")
        kind = kind if kind in CONTACT_KINDS else "other"
        by_kind[kind] = by_kind.get(kind, 0) + minutes
        given = visit.data.get("travel_minutes")
        if Month.of(visit.day) == month and isinstance(given, int) and not isinstance(given, bool) and given > 0:
            travel += given
    cases = session.execute(select(Case).where(Case.id.in_(by_case))).scalars().all()
    family_rows = [{"case_sign": case.sign, "family": family_label(case.family, month),
                    "minutes": by_case[case.id], "hours": hours_text(by_case[case.id])}
                   for case in sorted(cases, key=lambda c: (c.year, c.symbol, c.number, c.id))]
    task_rows = [{"contact_kind": kind, "label": label, "minutes": by_kind[kind], "hours": hours_text(by_kind[kind])}
                 for kind, label in CONTACT_KINDS.items() if kind in by_kind]
    work = sum(by_case.values())
    return {"month": str(month), "assistant_login": assistant.login, "assistant_name": assistant.full_name,
            "family_hours": family_rows, "task_hours": task_rows,
            "work_minutes": work, "work_hours": hours_text(work),
            "travel_minutes": travel, "travel_hours": hours_text(travel),
            "total_minutes": work + travel, "total_hours": hours_text(work + travel),
            "visit_refs": [v.id for v in visits]}
