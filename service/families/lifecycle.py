"""What issuing some documents means for the family's file: what must be there first, what the
service fills in, and what the document changes — in the transaction that stores it.

- `periodic_assessment` assesses the family's current work plan (art. 15 ust. 1 pkt 15 of the
  family-support act): refused without one; its stamp names the plan (`plan_ref`).
- `final_report` ends the work (the current assignment ends on the report's `end_date`, the
  history kept) and opens the monitoring (art. 15 ust. 1 pkt 16) until `monitoring_until` (set
  by its stamp: the end date plus the months on the form). Refused when no assignment is current
  (the work has already ended, or a second sending of the same report), or when it ends before
  the assignment began. It judges the goals of the family's plan, at least one; a family without
  a plan (the work ended before one was drawn up) has none judged, and the report says so.
- `monitoring_note` only while the family is monitored, dated not before the work ended; its
  stamp records the author's role
  (`author_role`), which decides whose password signs it (SignerSlot.only_if).
- the working cycle (`family_consent`, `cooperation_rules`, `work_plan`, `visit_record`) only
  while the work is open (`work_open`: an assignment current, or none yet); after the final
  report a `monthly_family_report` only for a month of the work still without one
  (`report_month`, unreported_months: families.deadlines keeps it due).
- `visit_record` is dated within the work: not before the family's first assignment began, not
  after the work ended.
- `work_plan` is drawn up during the assignment (art. 15 ust. 1 pkt 1); a revision names the plan
  it replaces (its stamp: the current plan) and is not dated before it. The revision is stored
  only if that plan is still the current one when it is stored (another revision sent at the same
  moment named the same plan: the second is refused, 409, and the family keeps one current plan).
- a `resignation` is made while an assistant works with the family, once per person: a person
  who resigned since the assignment began is not named again (a double sending). It makes the
  final report the family's next step.
- a document whose type `needs` something of the family's file is issued for a family: it never
  opens a new case (a final report of no assignment, an assessment of no plan).

Rules that must hold when the document is stored (one current plan, one end of the work) are
checked again in the storing transaction with the family's row locked (`lock_family`), so two
requests at the same moment are stored one after the other, and the second sees the first.

What the service sets in a document (plan_ref, monitoring_until, author_role) is declared on the
type (FieldSpec.by_service, DocumentType.stamp); this module checks the file and changes it.

What the file must hold first is declared on the type (`DocumentType.needs`, keys of
spec.NEEDS) and checked here for every type (`check_needs`, NEEDS), so a later type gets the
checks, the refusals and the family page's offer by declaring them. The rules are keyed by the
document types' declarations (objects, so a wrong one fails at
import); issuing.issue calls `prepare` before rendering and runs `after_issue` inside
documents.issue.Pipeline.issue's storing transaction, so the document and its effects are
committed together or not at all. Documents issued without a family (a new case made from the
document) have no file to check or change: these rules apply to documents of a family's file.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from ..accounts.models import User, utcnow
from ..archive.models import DocumentRecord
from ..audit import Origin, record
from ..documents.catalog.final_report import FINAL_REPORT
from ..documents.catalog.monitoring_note import MONITORING_NOTE
from ..documents.catalog.monthly_family_report import MONTHLY_FAMILY_REPORT
from ..documents.catalog.resignation import RESIGNATION
from ..documents.catalog.visit_record import VISIT_RECORD
from ..documents.catalog.work_plan import WORK_PLAN
from ..documents.context import office_today, polish_date
from ..documents.spec import NEEDS as NEEDS_DECLARED, DocumentType
from .facts import documents_of
from .people import fold
from .months import WARSAW, Month, MonthRefused, parse_month
from .plans import current_plan, issued_at, newest, plan_records
from .models import Family, FamilyChange


class IssueRefused(ValueError):
    """The family's file does not allow this document now; str() is the Polish message, `field`
    the input it concerns ("" for the document as a whole). Answered 422."""

    status = 422

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class FileChanged(IssueRefused):
    """Another request changed the family's file while this document was being made (a second
    revision of the same plan, a second final report): nothing is stored; answered 409."""

    status = 409


NO_PLAN = ("Okresowa ocena dotyczy realizacji planu pracy z rodziną, a ta rodzina nie ma jeszcze planu. "
           "Najpierw wystaw plan pracy z rodziną.")
NOT_MONITORED = ("Notatkę z monitorowania sporządza się tylko w okresie monitorowania rodziny, po zakończeniu pracy "
                 "z nią sprawozdaniem asystenta rodziny. Ta rodzina nie jest teraz monitorowana.")
NO_ASSIGNMENT = ("Ta rodzina nie ma teraz przydzielonego asystenta rodziny: praca z nią została już zakończona "
                 "albo jeszcze się nie rozpoczęła.")
NEEDS_A_FAMILY = ("Ten dokument wystawia się w sprawie rodziny, z którą pracuje asystent rodziny: wybierz jej "
                  "sprawę. Nie zakłada się dla niego nowej sprawy.")

WORK_ENDED = ("Praca asystenta rodziny z tą rodziną została zakończona. Po jej zakończeniu sporządza się już tylko "
              "notatki z monitorowania i brakujące sprawozdania miesięczne za miesiące pracy z rodziną.")
NO_REPORT_DUE = ("Praca asystenta rodziny z tą rodziną została zakończona, a sprawozdania miesięczne za wszystkie "
                 "miesiące pracy z nią już sporządzono.")


def work_open(family: Family) -> bool:
    """Whether the assistant's working cycle (consent, rules, plan, visits) is open for the
    family: an assignment is current, or none has taken effect yet (the work has not begun).
    After the work ended (the final report, the monitoring, an assignment ended without a
    successor) only the monitoring note and the monthly reports still due are written."""
    if family.current_assignment is not None:
        return True
    return not any(a.took_effect for a in family.assignments)


def unreported_months(family: Family, today: dt.date | None = None) -> list[Month]:
    """The months, oldest first, in which an assignment of the family was in effect (up to
    `today`, the office's day) and which have no monthly family report in its case: the reports
    that stay due after the work ended (families.deadlines, Łask pkt 1.4)."""
    today = today or office_today()
    reported = {str(d.data.get("month", "")) for d in documents_of(family) if d.slug == "monthly_family_report"}
    months: set[Month] = set()
    for a in family.assignments:
        if not a.took_effect or a.start_date > today:
            continue
        month, last = Month.of(a.start_date), Month.of(min(a.end_date or today, today))
        while month <= last:
            months.add(month)
            month = month.next
    return sorted(m for m in months if str(m) not in reported)


def report_month_open(family: Family) -> bool:
    """Whether a monthly family report may be written: while an assignment is current (its own
    checks say which month), or for a month of ended work still without its report."""
    return family.current_assignment is not None or bool(unreported_months(family))


def monitoring_until(family: Family, today: dt.date | None = None) -> dt.date | None:
    """The last day the family is monitored after its work ended (a final report's
    monitoring_until on its last assignment), or None: no monitoring, over, or a new assignment."""
    today = today or office_today()
    if family.current_assignment is not None or not family.assignments:
        return None
    last = max(family.assignments, key=lambda a: (a.start_date, a.id))
    until = last.monitoring_until
    return until if until is not None and until >= today else None


@dataclass(frozen=True)
class Need:
    """One key of spec.NEEDS: whether the family's file holds it (`met(family)`), and the Polish
    refusal when not, at the input it concerns (`field`: a field of the type's form, or "" for the
    document as a whole; a field the type lacks falls back to the whole). `hides`: whether the
    family's page leaves the type out while the need is not met (False: it is offered, and its
    form says what is missing)."""

    met: Callable[[Family], bool]
    message: str
    field: str = ""
    hides: bool = True
    # Whether a document issued without a family (opening a new case and its file) meets it: a
    # new file's work has not begun, so its working cycle is open (work_open); nothing else is.
    new_file_meets: bool = False


NEEDS: dict[str, Need] = {
    "assignment": Need(lambda f: f.current_assignment is not None, NO_ASSIGNMENT),
    "work_plan": Need(lambda f: f.case_id is not None and current_plan(object_session(f), f) is not None, NO_PLAN, "goal_attainment",
                      hides=False),
    "monitoring": Need(lambda f: monitoring_until(f) is not None, NOT_MONITORED),
    "work_open": Need(work_open, WORK_ENDED, new_file_meets=True),
    "report_month": Need(report_month_open, NO_REPORT_DUE),
}
assert set(NEEDS) == set(NEEDS_DECLARED), "every key of spec.NEEDS has its check here"


def check_needs(doctype: DocumentType, family: Family | None) -> None:
    """Refuses (IssueRefused) with the first of the type's `needs` the family's file does not hold;
    without a family (a new case), a type with any `needs` a new file does not meet
    (Need.new_file_meets) at "family_id" (NEEDS_A_FAMILY): its rules are the file's, and a case
    opened from it would hold, say, a final report of an assignment that goes on. Called before a form is judged, too (the API, the family's form), so
    the refusal is not hidden behind the fields a file without an assignment leaves empty."""
    if family is None:
        if any(not NEEDS[key].new_file_meets for key in doctype.needs):
            raise IssueRefused(NEEDS_A_FAMILY, "family_id")
        return
    fields = {f.name for f in doctype.fields}
    for key in doctype.needs:
        need = NEEDS[key]
        if not need.met(family):
            raise IssueRefused(need.message, need.field if need.field in fields else "")


PLAN_GOALS_TO_JUDGE = ("Oceń realizację celów planu pracy z rodziną: wpisz co najmniej jeden cel obowiązującego "
                       "planu.")
NO_PLAN_NO_GOALS = ("Ta rodzina nie ma planu pracy z rodziną, więc sprawozdanie nie ocenia realizacji jego celów: "
                    "usuń wiersze tej tabeli. Sprawozdanie poda, że planu nie sporządzono.")


def _final_report(session: Session, family: Family, data: dict[str, Any]) -> None:
    """Refuses a report whose work ends before the current assignment began (its `needs` made
    sure there is one), and judges the goals of the plan: a family with a plan has its goals
    judged (at least one row), one without a plan none (the work ended before a plan was drawn
    up: the family withdrew in its first weeks; rows there would be goals of no plan)."""
    current = family.current_assignment
    end = dt.date.fromisoformat(str(data["end_date"]))
    if end < current.start_date:
        raise IssueRefused("Data zakończenia nie może być wcześniejsza niż początek przydziału asystenta rodziny "
                           f"({polish_date(current.start_date)}).", "end_date")
    has_plan = current_plan(session, family) is not None
    if has_plan and not data.get("goal_attainment"):
        raise IssueRefused(PLAN_GOALS_TO_JUDGE, "goal_attainment")
    if not has_plan and data.get("goal_attainment"):
        raise IssueRefused(NO_PLAN_NO_GOALS, "goal_attainment")


def lock_family(session: Session, family_id: int) -> Family:
    """The family, its row locked for the rest of the transaction (FOR UPDATE on PostgreSQL; on
    SQLite the storing transaction already holds the database's one write lock), read afresh:
    what another transaction committed before the lock was granted is seen."""
    # FOR NO KEY UPDATE: it waits for another holder of this lock, not for rows merely referring to the
    # family (a KEY SHARE of their foreign keys), which could wait for us in turn
    session.execute(select(Family.id).where(Family.id == family_id).with_for_update(key_share=True))
    family = session.get(Family, family_id)
    session.refresh(family)
    return family


def _report_month(session: Session, family: Family, data: dict[str, Any]) -> None:
    """After the work ended, refuses a monthly family report for a month that is not one of the
    work's months still without a report (unreported_months), at the month. While an assignment
    is current the month is checked by the report itself (families.monthly_issue)."""
    if family.current_assignment is not None:
        return
    due = unreported_months(family)
    try:
        month = parse_month(data.get("month"))
    except MonthRefused:
        return  # an unreadable month is answered by the report's own check, at the month
    if month not in due:
        listed = ", ".join(m.nominative for m in due)
        raise IssueRefused("Praca asystenta rodziny z tą rodziną została zakończona: sprawozdanie miesięczne "
                           f"sporządza się teraz tylko za miesiąc pracy z rodziną, za który go jeszcze nie ma "
                           f"(brakuje za: {listed}).", "month")


def _end_work(session: Session, family_id: int, document: DocumentRecord, actor_id: int, origin: Origin) -> None:
    """Ends the current assignment on the report's end date and opens the monitoring, in the
    transaction that stores the report (nothing committed here). Raises FileChanged when another
    request ended the assignment meanwhile: the report is then not stored either."""
    family = lock_family(session, family_id)
    current = family.current_assignment
    if current is None:
        raise FileChanged("Praca z tą rodziną została przed chwilą zakończona innym sprawozdaniem: tego "
                          "sprawozdania nie zapisano. Sprawdź teczkę rodziny.")
    end = dt.date.fromisoformat(document.data["end_date"])
    until = dt.date.fromisoformat(document.data["monitoring_until"])
    current.end_date, current.ended_by_id, current.monitoring_until = end, actor_id, until
    now = utcnow()
    session.add(FamilyChange(family_id=family_id, at=now, by_id=actor_id, what="assignment_ended",
                             before={"assistant_id": current.assistant_id},
                             after={"end_date": end.isoformat(), "document": document.id}))
    session.add(FamilyChange(family_id=family_id, at=now, by_id=actor_id, what="monitoring", before={},
                             after={"monitoring_until": until.isoformat(), "document": document.id}))
    record(session, session.get(User, actor_id), origin, "assignment_end", "family", family_id,
           detail=f"{end.isoformat()}, sprawozdanie {document.id}", family_id=family_id, commit=False)


def _plan_check(session: Session, family: Family, data: dict[str, Any]) -> None:
    """A revision is not dated before the plan it replaces (the current plan): the plans' order is
    their dates (plans.revision_order), and an earlier date would make it the plan of months the
    replaced plan was in force (monthly.plan_on)."""
    current = current_plan(session, family)
    replaced_on = str((current.data or {}).get("plan_date") or "") if current is not None else ""
    if replaced_on and str(data.get("plan_date") or "") < replaced_on:  # ISO dates compare as text
        raise IssueRefused(f"Ten plan zastępuje obowiązujący plan z dnia {polish_date(replaced_on)}: jego data "
                           "nie może być wcześniejsza.", "plan_date")


def _plan_still_current(session: Session, family_id: int, document: DocumentRecord, actor_id: int,
                        origin: Origin) -> None:
    """The plan the revision names (its stamp's `replaces`; none for a first plan) is still the
    family's current plan now that it is stored; else another plan was stored meanwhile and this
    one would fork the chain (two plans replacing one, or two first plans): FileChanged."""
    family = lock_family(session, family_id)
    others = [r for r in plan_records(session, family) if r.id != document.id]
    current = newest(others)
    if (current.id if current is not None else None) != ((document.data or {}).get("replaces") or None):
        raise FileChanged("Przed chwilą zapisano inny plan pracy z tą rodziną: ten plan nie został zapisany. "
                          "Otwórz formularz ponownie, aby zmienić obowiązujący plan.")


def _resigned_already(session: Session, family: Family, data: dict[str, Any], exclude: str | None = None) -> None:
    """Refuses a resignation naming a person who has resigned since the current assignment began
    (compared as names are searched: people.fold)."""
    current = family.current_assignment
    if current is None:
        return
    records = session.execute(select(DocumentRecord).where(
        DocumentRecord.case_id == family.case_id, DocumentRecord.slug == RESIGNATION.slug)).scalars()
    for doc in records:
        issued_on = issued_at(doc).astimezone(WARSAW).date()  # as next_step dates it
        if doc.id == exclude or issued_on < current.start_date:
            continue
        named = {fold(str(p.get("full_name") or "")) for p in (doc.data or {}).get("persons") or []}
        again = [str(p.get("full_name")) for p in data.get("persons") or [] if fold(str(p.get("full_name") or "")) in named]
        if again:
            who = ", ".join(again)
            # no verb of a person: „złożyła” would guess the sex
            raise IssueRefused(f"Rezygnacja ze wsparcia z dnia {polish_date(issued_on)} obejmuje już: {who}. "
                               "Następnym krokiem jest sprawozdanie z pracy asystenta rodziny z rodziną.", "persons")


def _resignation_once(session: Session, family_id: int, document: DocumentRecord, actor_id: int,
                      origin: Origin) -> None:
    """_resigned_already again under the family's lock (a double click): FileChanged."""
    family = lock_family(session, family_id)
    try:
        _resigned_already(session, family, document.data or {}, exclude=document.id)
    except IssueRefused as refused:
        raise FileChanged(str(refused), refused.field) from None


def _visit_in_the_work(session: Session, family: Family, data: dict[str, Any]) -> None:
    """A visit record's date falls within the work with the family: not before its first
    assistant's assignment began (1990-01-01 was accepted, and counted in that month's reports),
    and not after the work ended (a contact during the monitoring is a monitoring note's)."""
    try:
        day = dt.date.fromisoformat(str(data.get("visit_date")))
    except ValueError:
        return  # the form refused it already
    if not family.assignments:
        raise IssueRefused(NO_ASSIGNMENT)
    first = min(a.start_date for a in family.assignments)
    if day < first:
        raise IssueRefused("Data spotkania jest wcześniejsza niż przydzielenie rodzinie asystenta rodziny "
                           f"({polish_date(first)}).", "visit_date")
    ends = [a.end_date for a in family.assignments]
    if family.current_assignment is None and day > max(e for e in ends if e is not None):
        raise IssueRefused(f"Data spotkania jest późniejsza niż zakończenie pracy z rodziną "
                           f"({polish_date(max(e for e in ends if e is not None))}). Kontakt z rodziną w okresie "
                           "monitorowania zapisz w notatce z monitorowania.", "visit_date")


def _note_in_the_monitoring(session: Session, family: Family, data: dict[str, Any]) -> None:
    """A monitoring note's contact is dated within the monitoring: not before the work ended (a
    note of 5 November after work ending on 10 November was accepted). Its `needs` made sure the
    family is monitored now; the note's date is not after today, so not after the monitoring."""
    last = max(family.assignments, key=lambda a: (a.start_date, a.id))
    try:
        day = dt.date.fromisoformat(str(data.get("note_date")))
    except ValueError:
        return  # the form refused it already
    if last.end_date is not None and day < last.end_date:
        raise IssueRefused(f"Data kontaktu jest wcześniejsza niż zakończenie pracy z rodziną "
                           f"({polish_date(last.end_date)}): notatka z monitorowania dotyczy okresu po nim.",
                           "note_date")


@dataclass(frozen=True)
class Rules:
    """What one document type checks in the family's file and does to it, beyond its `needs`.

    check(session, family, data) raises IssueRefused when the data do not fit the file.
    after_issue(session, family_id, document, actor_id, origin) runs in the storing transaction
    and commits nothing."""

    check: Callable[[Session, Family, dict[str, Any]], None] | None = None
    after_issue: Callable[[Session, int, DocumentRecord, int, Origin], None] | None = None


RULES: dict[DocumentType, Rules] = {
    FINAL_REPORT: Rules(_final_report, after_issue=_end_work),
    WORK_PLAN: Rules(_plan_check, after_issue=_plan_still_current),
    RESIGNATION: Rules(_resigned_already, after_issue=_resignation_once),
    VISIT_RECORD: Rules(_visit_in_the_work),
    MONITORING_NOTE: Rules(_note_in_the_monitoring),
    MONTHLY_FAMILY_REPORT: Rules(_report_month),
}


def prepare(session: Session, doctype: DocumentType, family: Family | None, data: dict[str, Any]) -> dict[str, Any]:
    """The data to issue `doctype` with for `family`, unchanged; raises IssueRefused when the file
    lacks one of the type's `needs` (without a family: when the type has any) or the type's own
    check refuses the data."""
    check_needs(doctype, family)
    if family is None:
        return data
    rules = RULES.get(doctype)
    if rules is not None and rules.check is not None:
        rules.check(session, family, data)
    return data


def stored_hook(doctype: DocumentType, family: Family | None, actor: User,
                origin: Origin) -> Callable[[Session, DocumentRecord], None] | None:
    """The effect to run in the transaction storing the document (Pipeline.issue's on_stored),
    or None. Plain ids are captured: the pipeline's commits expire the ORM objects."""
    rules = RULES.get(doctype)
    if rules is None or rules.after_issue is None or family is None:
        return None
    family_id, actor_id, effect = family.id, actor.id, rules.after_issue
    return lambda session, document: effect(session, family_id, document, actor_id, origin)


def not_offered(doctype: DocumentType, family: Family) -> str:
    """The Polish message why the family's page does not offer this type now (the first of its
    `needs` that hides it and is not met), or "" when it is offered. The form opened by its
    address says the same: the page and issuing (check_needs) read one rule."""
    return next((NEEDS[key].message for key in doctype.needs if NEEDS[key].hides and not NEEDS[key].met(family)), "")


def offered(doctype: DocumentType, family: Family) -> bool:
    """Whether the family's page offers this type now: each of its `needs` that hides it is met
    (a monitoring note only while monitored; during the monitoring nothing of the working cycle
    but the monthly reports still due; an assessment without a plan is offered, its form says the
    plan is missing)."""
    return not not_offered(doctype, family)


def next_step(family: Family) -> DocumentType | None:
    """The document the family's file waits for: the final report after the family's resignation
    (a `resignation` issued since the current assignment began, and no final report after it)."""
    current = family.current_assignment
    if current is None:
        return None
    documents = documents_of(family)
    resigned = next((d for d in documents if d.slug == "resignation" and d.issued_on >= current.start_date), None)
    if resigned is None:
        return None
    reported = next((d for d in documents if d.slug == "final_report"), None)
    if reported is not None and documents.index(reported) < documents.index(resigned):
        return None
    return FINAL_REPORT
