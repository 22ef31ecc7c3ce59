"""The deadlines of the work with a family, computed from its file and the documents of its case.

Pure computation: `family_deadlines` takes a family (its assignments and case), the documents of
its case, the office's rules (families.settings.DeadlineRules) and the day („today” in
Europe/Warsaw: documents.context.office_today), and returns Deadline values; nothing is stored, so
issuing a document or revising a plan moves the deadlines the next time they are computed. The
loaders below (deadlines_for, assistant_deadlines, office_overview) read the rows for one staff
member or the whole office and call it.

The rules (../types-contract.md; the defaults and their sources: families.settings.DEADLINE_SETTINGS):
- the first visit, with the social worker, within first_visit_days of the assignment's start (the
  offices' procedure, Łask pkt 3.2), met by the first visit record on or after the start;
- the cooperation rules at the first visit (Łask pkt 3.3): due the same day, met by `cooperation_rules`;
- the work plan within plan_months calendar months of the start (Łask pkt 4.5; art. 15 ust. 3 sets
  its contents), met by `work_plan`;
- a visit at least every visit_interval_days while an assignment lasts (Łask pkt 4.2): due the last
  visit's date + the interval (before any visit: the first visit's deadline); an ended assignment
  stops it after its end date;
- the family's monthly report for every month in which an assignment was in effect, once the month
  has ended, by report_day of the next month (Łask pkt 1.4), met by `monthly_family_report` for it;
- the periodic assessment at least every assessment_months („nie rzadziej niż co pół roku”: art. 15
  ust. 1 pkt 15 of the family-support act) from the latest of the start, the current plan's date
  and the last assessment's date: a revised plan moves it;
- after the final report, monitoring for monitoring_months (art. 15 ust. 1 pkt 16; Łask pkt 4.12:
  by the social worker), met by a `monitoring_note` by `monitoring_until`;
- the assistant's own monthly time report (Łask pkt 1.6) for every month in which they had a
  family, by report_day of the next month, met by their `monthly_time_report` for it.

Support given again after a final report or a resignation (a new assignment starting after it) is
new work: the rules above count from its start and only its documents meet them; of the earlier
work only the monthly reports of its months stay due, and its monitoring when that was due before the
new support began (sooner, the new support cut it short).

A deadline belongs to the assistant in effect on its due date (or today, when it is already
overdue): a reassignment keeps the family's deadlines and hands them to the new assistant. After
the work ends without a successor, what is left of it stays with its last assistant.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..archive.models import DocumentRecord
from ..documents.context import WARSAW
from ..documents.periods import add_months
from .models import Assignment, Family
from .settings import DeadlineRules, deadline_rules, family_limit

SOON_DAYS = 7  # „due soon”: within a week, as the start pages show them

LABELS = {
    "first_visit": "Pierwsza wizyta (z pracownikiem socjalnym)",
    "cooperation_rules": "Zasady współpracy z rodziną",
    "work_plan": "Plan pracy z rodziną",
    "visit": "Kolejna wizyta u rodziny",
    "monthly_family_report": "Sprawozdanie miesięczne z pracy z rodziną",
    "periodic_assessment": "Okresowa ocena sytuacji rodziny",
    "monitoring": "Monitorowanie po zakończeniu pracy (notatka)",
    "monthly_time_report": "Miesięczne sprawozdanie z czasu pracy",
}
STATUS_LABELS = {"overdue": "zaległe", "soon": "w ciągu 7 dni", "later": "później", "met": "spełnione"}
# Each slug's own date field (../types-contract.md); a document without it counts from its issue day.
DATE_FIELDS = {
    "assistant_request": "request_date", "cooperation_rules": "agreed_on", "work_plan": "plan_date",
    "visit_record": "visit_date", "periodic_assessment": "assessment_date", "final_report": "end_date",
    "monitoring_note": "note_date", "resignation": "resignation_date",
}
# Contacts that are a visit: a phone call or a contact with an institution about the family is
# recorded on the same card but does not see the family (Łask pkt 4.3: meetings where the family
# lives or where it chooses). A record without the field (an older one) counts as a visit.
VISIT_KINDS = frozenset({"visit", "accompanying", None})
_MONTHS_PL = ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień",
              "październik", "listopad", "grudzień")


@dataclass(frozen=True)
class Deadline:
    """One deadline: what (kind key and Polish label), whose (family and case sign; empty for an
    assistant's own time report), when (due), who answers for it (the assistant; for the first
    visit and monitoring also the social worker), its status on the day it was computed for
    (overdue, soon: within SOON_DAYS, later, met) and, when met, the document and its date.
    `period` is the month ("YYYY-MM") of a monthly report, else ""."""

    kind: str
    label: str
    family_id: int | None
    case_sign: str
    due: dt.date
    status: str
    assistant_id: int | None = None
    assistant_name: str = ""
    social_worker_id: int | None = None
    social_worker_name: str = ""
    responsible: str = "assistant"  # "assistant" or "social_worker": who does it
    met_by: str | None = None
    met_on: dt.date | None = None
    period: str = ""
    overdue_days: int = 0

    @property
    def uid(self) -> str:
        """A stable identifier (the calendar's UID): kind, family or assistant, and month, not the
        due date, so a moved deadline updates its event instead of adding one."""
        owner = f"f{self.family_id}" if self.family_id is not None else f"a{self.assistant_id}"
        return "-".join(part for part in (self.kind, owner, self.period) if part)

    @property
    def is_open(self) -> bool:
        """Not met yet."""
        return self.status != "met"

    @property
    def status_label(self) -> str:
        """The status in Polish."""
        return STATUS_LABELS[self.status]


def month_key(day: dt.date) -> str:
    """'2026-11' for any day of November 2026 (the documents' `month`)."""
    return f"{day.year:04d}-{day.month:02d}"


def month_label(key: str) -> str:
    """'listopad 2026' for '2026-11'."""
    year, month = key.split("-")
    return f"{_MONTHS_PL[int(month) - 1]} {year}"


def document_date(document: DocumentRecord) -> dt.date:
    """The document's own date (DATE_FIELDS) or, without one, its issue day in Europe/Warsaw."""
    value = (document.data or {}).get(DATE_FIELDS.get(document.slug, ""))
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    created = document.created_at
    if created.tzinfo is None:  # SQLite hands stored UTC times back naive
        created = created.replace(tzinfo=dt.timezone.utc)
    return created.astimezone(WARSAW).date()


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def status_of(due: dt.date, today: dt.date, met: bool) -> str:
    """met; overdue (due before today); soon (due today or within SOON_DAYS); later."""
    if met:
        return "met"
    if due < today:
        return "overdue"
    return "soon" if (due - today).days <= SOON_DAYS else "later"


def _effective(assignments: Iterable[Assignment]) -> list[Assignment]:
    return sorted((a for a in assignments if a.took_effect), key=lambda a: a.start_date)


def _in_effect(assignments: Sequence[Assignment], day: dt.date) -> Assignment | None:
    """The assignment in effect on `day` (the latest started), else the next one to start, else the
    last one that ended before `day` (None only without assignments).

    The last: after the work ends without a successor, what is left of it (the last month's
    report, an overdue plan, the monitoring) stays with the assistant who did it, who still reads
    the file while the family is monitored (access.assigned_family_ids); with no holder these
    items fell off every start page and calendar.
    """
    current = [a for a in assignments if a.start_date <= day and (a.end_date is None or a.end_date >= day)]
    if current:
        return current[-1]
    later = next((a for a in assignments if a.start_date > day), None)
    return later or (assignments[-1] if assignments else None)


def _follows(assignment: Assignment, day: dt.date) -> bool:
    """Whether the assignment is work after `day` (the day a final report or a resignation ended
    the work): it starts later, or starts that day and does not end on it."""
    return assignment.start_date > day or (assignment.start_date == day and
                                          (assignment.end_date is None or assignment.end_date > day))


def _months(first: dt.date, last: dt.date) -> list[str]:
    keys, day = [], first.replace(day=1)
    while day <= last:
        keys.append(month_key(day))
        day = add_months(day, 1)
    return keys


def _active_months(assignments: Iterable[Assignment], today: dt.date) -> set[str]:
    """The months ("YYYY-MM") in which any of the assignments was in effect, up to `today`."""
    months: set[str] = set()
    for a in assignments:
        months.update(_months(a.start_date, min(a.end_date, today) if a.end_date else today))
    return months


def _month_due(key: str, report_day: int) -> dt.date:
    year, month = map(int, key.split("-"))
    return add_months(dt.date(year, month, 1), 1).replace(day=report_day)


def _month_ended(key: str, today: dt.date) -> bool:
    year, month = map(int, key.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1]) < today


def family_deadlines(family: Family, documents: Iterable[DocumentRecord], today: dt.date,
                     rules: DeadlineRules = DeadlineRules()) -> list[Deadline]:
    """The deadlines of one family on `today` (a date in Europe/Warsaw), sorted by due date.

    `documents` are the documents of the family's case (any slugs; those of ../types-contract.md
    are read). A family without an assignment that took effect has none. Returns met ones too
    (status "met"); only the next visit and the next assessment are listed (each is one rolling
    deadline). Raises nothing for missing or malformed dates in a document's data: such a
    document counts from its issue day.
    """
    assignments = _effective(family.assignments)
    if not assignments:
        return []
    by_slug: dict[str, list[tuple[dt.date, DocumentRecord]]] = {}
    for doc in documents:
        by_slug.setdefault(doc.slug, []).append((document_date(doc), doc))
    for rows in by_slug.values():
        rows.sort(key=lambda row: (row[0], row[1].created_at))
    # Support given again after a final report or a resignation (assign_assistant allows it and
    # ends the monitoring) is new work: its first visit, rules, plan, visits and assessments count
    # from its own start and only its documents meet them; of the earlier work only the monthly
    # reports of its months stay due, and its monitoring if due before the new start (below).
    endings = [row[0] for slug in ("final_report", "resignation") for row in by_slug.get(slug, [])]
    restart = max((day for day in endings if any(_follows(a, day) for a in assignments)), default=None)
    current = assignments if restart is None else [a for a in assignments if _follows(a, restart)]
    start = current[0].start_date

    def of_work(slug: str, ending: bool = False) -> list[tuple[dt.date, DocumentRecord]]:
        rows = by_slug.get(slug, [])
        if restart is None:
            return rows
        return [row for row in rows if (row[0] > restart if ending else row[0] >= start)]

    worker = family.social_worker
    out: list[Deadline] = []

    def add(kind: str, due: dt.date, met: tuple[dt.date, DocumentRecord] | None = None, *, period: str = "",
            responsible: str = "assistant", label: str | None = None) -> None:
        holder = _in_effect(assignments, max(due, today))
        status = status_of(due, today, met is not None)
        out.append(Deadline(
            kind=kind, label=label or LABELS[kind], family_id=family.id, case_sign=family.case.sign, due=due,
            status=status, assistant_id=holder.assistant_id if holder else None,
            assistant_name=holder.assistant.full_name if holder else "",
            social_worker_id=worker.id if worker else None, social_worker_name=worker.full_name if worker else "",
            responsible=responsible, met_by=met[1].id if met else None, met_on=met[0] if met else None,
            period=period, overdue_days=(today - due).days if status == "overdue" else 0))

    visits = [row for row in of_work("visit_record")
              if row[0] >= start and (row[1].data or {}).get("contact_kind") in VISIT_KINDS]
    # The work ends with the final report (or the family's resignation), or when the last
    # assignment ends without a successor: nothing after it is due but the reports and monitoring.
    final = (of_work("final_report", ending=True) or [None])[-1]
    resignation = (of_work("resignation", ending=True) or [None])[-1]
    ends = [row[0] for row in (final, resignation) if row]
    if current[-1].end_date is not None:
        ends.append(max(a.end_date for a in current))
    work_end = min(ends) if ends else None

    def add_once(kind: str, due: dt.date, met: tuple[dt.date, DocumentRecord] | None) -> None:
        # A work that ended before the deadline owes nothing for it (a family that resigned in its
        # second week has no plan due a fortnight later); met, it stays listed as met.
        if met is not None or work_end is None or due <= work_end:
            add(kind, due, met)

    first_due = start + dt.timedelta(days=rules.first_visit_days)
    add_once("first_visit", first_due, visits[0] if visits else None)
    add_once("cooperation_rules", first_due, (of_work("cooperation_rules") or [None])[0])
    plans = of_work("work_plan")
    add_once("work_plan", add_months(start, rules.plan_months), plans[0] if plans else None)

    if visits:  # before any visit, the first visit's deadline is the next visit's (not listed twice)
        next_visit = visits[-1][0] + dt.timedelta(days=rules.visit_interval_days)
        if work_end is None or next_visit <= work_end:
            add("visit", next_visit)

    months = {key for key in _active_months(current, today) if not work_end or key <= month_key(work_end)}
    if restart is not None:  # the earlier work's months, up to its end
        months |= {key for key in _active_months([a for a in assignments if a not in current], today)
                   if key <= month_key(restart)}
    for key in sorted(months):
        if not _month_ended(key, today):
            continue
        report = next((row for row in by_slug.get("monthly_family_report", [])
                       if str((row[1].data or {}).get("month", "")) == key), None)
        add("monthly_family_report", _month_due(key, rules.report_day), report, period=key,
            label=f"{LABELS['monthly_family_report']} – {month_label(key)}")

    assessments = of_work("periodic_assessment")
    # the current plan is the latest by its date (a revision names the one it replaces, and is later)
    anchor = max([start] + [rows[-1][0] for rows in (plans, assessments) if rows])
    assessment_due = add_months(anchor, rules.assessment_months)
    if work_end is None or assessment_due <= work_end:
        add("periodic_assessment", assessment_due)

    def monitoring_due(report: tuple[dt.date, DocumentRecord]) -> dt.date:
        until = _date((report[1].data or {}).get("monitoring_until"))
        if until is None:
            months = (report[1].data or {}).get("monitoring_months")
            until = add_months(report[0], int(months) if str(months).isdigit() else rules.monitoring_months)
        return until

    if final:
        note = next((row for row in of_work("monitoring_note") if row[0] >= final[0]), None)
        add("monitoring", monitoring_due(final), note, responsible="social_worker")
    elif restart is not None:
        # The earlier work's monitoring, when it was due before the new support began (support
        # given sooner cut it short: assign_assistant); one monitoring item at most (its UID).
        earlier = ([row for row in by_slug.get("final_report", []) if row[0] <= restart] or [None])[-1]
        if earlier and monitoring_due(earlier) < start:
            note = next((row for row in by_slug.get("monitoring_note", []) if earlier[0] <= row[0] < start), None)
            add("monitoring", monitoring_due(earlier), note, responsible="social_worker")
    return sorted(out, key=lambda d: (d.due, d.kind))


def time_report_deadlines(assistant: User, assignments: Iterable[Assignment], reports: Iterable[DocumentRecord],
                          today: dt.date, rules: DeadlineRules = DeadlineRules()) -> list[Deadline]:
    """The assistant's own monthly time reports: one for every ended month in which any of
    `assignments` (theirs) was in effect, due on rules.report_day of the next month, met by a
    `monthly_time_report` in `reports` whose month and assistant_login are theirs."""
    months = _active_months(_effective(assignments), today)
    done = {}
    for doc in reports:
        data = doc.data or {}
        if doc.slug == "monthly_time_report" and data.get("assistant_login") == assistant.login:
            done.setdefault(str(data.get("month", "")), (document_date(doc), doc))
    out = []
    for key in sorted(k for k in months if _month_ended(k, today)):
        due, met = _month_due(key, rules.report_day), done.get(key)
        status = status_of(due, today, met is not None)
        out.append(Deadline(
            kind="monthly_time_report", label=f"{LABELS['monthly_time_report']} – {month_label(key)}",
            family_id=None, case_sign="", due=due, status=status, assistant_id=assistant.id,
            assistant_name=assistant.full_name, met_by=met[1].id if met else None,
            met_on=met[0] if met else None, period=key, overdue_days=(today - due).days if status == "overdue" else 0))
    return out


# --- loaders: the rows for one staff member or the office -------------------------------------------

def deadlines_of_family(session: Session, family: Family, today: dt.date,
                        rules: DeadlineRules | None = None) -> list[Deadline]:
    """family_deadlines with the documents of the family's case and the office's rules."""
    documents = session.execute(select(DocumentRecord).where(DocumentRecord.case_id == family.case_id)).scalars()
    return family_deadlines(family, documents, today, rules or deadline_rules(session))


def _families_deadlines(session: Session, families: Sequence[Family], today: dt.date,
                        rules: DeadlineRules) -> dict[int, list[Deadline]]:
    cases = {f.case_id: f for f in families}
    docs: dict[int, list[DocumentRecord]] = {case_id: [] for case_id in cases}
    if cases:
        for doc in session.execute(select(DocumentRecord).where(DocumentRecord.case_id.in_(list(cases)))).scalars():
            docs[doc.case_id].append(doc)
    return {f.id: family_deadlines(f, docs[f.case_id], today, rules) for f in families}


def _time_reports(session: Session, assistant: User, today: dt.date, rules: DeadlineRules) -> list[Deadline]:
    assignments = session.execute(select(Assignment).where(Assignment.assistant_id == assistant.id)).scalars().all()
    reports = session.execute(select(DocumentRecord).where(DocumentRecord.slug == "monthly_time_report")).scalars()
    return time_report_deadlines(assistant, assignments, reports, today, rules)


def assistant_deadlines(session: Session, assistant: User, today: dt.date,
                        rules: DeadlineRules | None = None) -> list[Deadline]:
    """An assistant's deadlines on `today`: those of the families they may read
    (families.access.assigned_family_ids) that fall to them, and their own monthly time reports."""
    from .access import assigned_family_ids

    rules = rules or deadline_rules(session)
    mine = Family.id.in_(assigned_family_ids(assistant.id, today))
    families = session.execute(select(Family).where(mine)).scalars().all()
    found = [d for items in _families_deadlines(session, families, today, rules).values() for d in items
             if d.assistant_id == assistant.id]
    return sorted(found + _time_reports(session, assistant, today, rules), key=lambda d: (d.due, d.kind))


def deadlines_for(session: Session, user: User, today: dt.date, rules: DeadlineRules | None = None) -> list[Deadline]:
    """The deadlines a staff member answers for or oversees, on `today`: an assistant's
    (assistant_deadlines); a social worker's families' (those in their charge); the head's and
    the coordinator's: every family's and every assistant's time reports; other roles none."""
    rules = rules or deadline_rules(session)
    if user.role == "assistant":
        return assistant_deadlines(session, user, today, rules)
    if user.role == "social_worker":
        families = session.execute(select(Family).where(Family.social_worker_id == user.id)).scalars().all()
    elif user.role in ("head", "coordinator"):
        families = session.execute(select(Family)).scalars().all()
    else:
        return []
    found = [d for items in _families_deadlines(session, families, today, rules).values() for d in items]
    if user.role in ("head", "coordinator"):
        for assistant in _assistants(session):
            found += _time_reports(session, assistant, today, rules)
    return sorted(found, key=lambda d: (d.due, d.kind))


@dataclass(frozen=True)
class AssistantLoad:
    """One assistant on the head's page: families in their care now, the office's limit, and their
    overdue deadlines (families' and their own time reports)."""

    assistant: User
    families: int
    limit: int
    overdue: list[Deadline]


def _assistants(session: Session) -> list[User]:
    return session.execute(select(User).where(User.role == "assistant", User.active.is_(True))
                           .order_by(User.full_name, User.login)).scalars().all()


def office_overview(session: Session, today: dt.date, rules: DeadlineRules | None = None) -> list[AssistantLoad]:
    """Every active assistant's load, then every deactivated one's who still has a family
    (families on `today` as the limit counts them:
    assignments.current_count, art. 15 ust. 4; a family only monitored after the work does not
    count) against the office's limit, and their overdue items, by name: those of the families
    they read (access.assigned_family_ids: in their care, starting later, or monitored after the
    work they did) and their own time reports. Overdue family deadlines of a family no assistant
    reads any more are not listed here (the family's page shows them)."""
    from .access import assigned_family_ids
    from .assignments import current_count

    rules = rules or deadline_rules(session)
    limit = family_limit(session)
    out = []
    # An account turned off keeps its assignments (deactivation ends none): its families would be
    # nobody's on this page, so such an assistant is listed while they still have one
    # (AssistantLoad.assistant.active tells the page).
    inactive = session.execute(select(User).where(
        User.role == "assistant", User.active.is_(False),
        User.id.in_(select(Assignment.assistant_id).where(or_(
            Assignment.end_date.is_(None), Assignment.end_date >= today, Assignment.monitoring_until >= today))))
        .order_by(User.full_name, User.login)).scalars().all()
    for assistant in [*_assistants(session), *inactive]:
        families = session.execute(select(Family).where(Family.id.in_(assigned_family_ids(assistant.id, today))))
        computed = _families_deadlines(session, families.scalars().all(), today, rules)
        mine = [d for items in computed.values() for d in items
                if d.status == "overdue" and d.assistant_id == assistant.id]
        own = [d for d in _time_reports(session, assistant, today, rules) if d.status == "overdue"]
        items = sorted(mine + own, key=lambda d: (d.due, d.kind))
        out.append(AssistantLoad(assistant, current_count(session, assistant.id, on=today), limit, items))
    return out
