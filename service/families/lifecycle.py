"""What issuing some documents means for the family's file: what must be there first, what the
service fills in, and what the document changes — in the transaction that stores it.

- `periodic_assessment` assesses the family's current work plan (art. 15 ust. 1 pkt 15 of the
  family-support act): refused without one; its stamp names the plan (`plan_ref`).
- `final_report` ends the work (the current assignment ends on the report's `end_date`, the
  history kept) and opens the monitoring (art. 15 ust. 1 pkt 16) until `monitoring_until` (set
  by its stamp: the end date plus the months on the form). Refused when no assignment is current
  (the work has already ended, or a second sending of the same report), or when it ends before
  the assignment began.
- `monitoring_note` only while the family is monitored; its stamp records the author's role
  (`author_role`), which decides whose password signs it (SignerSlot.only_if).
- the working cycle (`family_consent`, `cooperation_rules`, `work_plan`, `visit_record`) only
  while the work is open (`work_open`: an assignment current, or none yet); after the final
  report a `monthly_family_report` only for a month of the work still without one
  (`report_month`, unreported_months: families.deadlines keeps it due).
- a `resignation` since the assignment began makes the final report the family's next step.

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

from sqlalchemy.orm import Session, object_session

from ..accounts.models import User, utcnow
from ..archive.models import DocumentRecord
from ..audit import Origin, record
from ..documents.catalog.final_report import FINAL_REPORT
from ..documents.catalog.monthly_family_report import MONTHLY_FAMILY_REPORT
from ..documents.context import office_today
from ..documents.spec import NEEDS as NEEDS_DECLARED, DocumentType
from .facts import documents_of
from .months import Month, MonthRefused, parse_month
from .plans import current_plan
from .models import Family, FamilyChange


class IssueRefused(ValueError):
    """The family's file does not allow this document now; str() is the Polish message, `field`
    the input it concerns ("" for the document as a whole). Answered 422."""

    status = 422

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


NO_PLAN = ("Okresowa ocena dotyczy realizacji planu pracy z rodziną, a ta rodzina nie ma jeszcze planu. "
           "Najpierw wystaw plan pracy z rodziną.")
NOT_MONITORED = ("Notatkę z monitorowania sporządza się tylko w okresie monitorowania rodziny, po zakończeniu pracy "
                 "z nią sprawozdaniem asystenta rodziny. Ta rodzina nie jest teraz monitorowana.")
NO_ASSIGNMENT = ("Ta rodzina nie ma teraz przydzielonego asystenta rodziny: praca z nią została już zakończona "
                 "albo jeszcze się nie rozpoczęła.")

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


NEEDS: dict[str, Need] = {
    "assignment": Need(lambda f: f.current_assignment is not None, NO_ASSIGNMENT),
    "work_plan": Need(lambda f: f.case_id is not None and current_plan(object_session(f), f) is not None, NO_PLAN, "goal_attainment",
                      hides=False),
    "monitoring": Need(lambda f: monitoring_until(f) is not None, NOT_MONITORED),
    "work_open": Need(work_open, WORK_ENDED),
    "report_month": Need(report_month_open, NO_REPORT_DUE),
}
assert set(NEEDS) == set(NEEDS_DECLARED), "every key of spec.NEEDS has its check here"


def check_needs(doctype: DocumentType, family: Family) -> None:
    """Refuses (IssueRefused) with the first of the type's `needs` the family's file does not hold."""
    fields = {f.name for f in doctype.fields}
    for key in doctype.needs:
        need = NEEDS[key]
        if not need.met(family):
            raise IssueRefused(need.message, need.field if need.field in fields else "")


def _final_report(session: Session, family: Family, data: dict[str, Any]) -> None:
    """Refuses a report whose work ends before the current assignment began (its `needs` made
    sure there is one)."""
    current = family.current_assignment
    end = dt.date.fromisoformat(str(data["end_date"]))
    if end < current.start_date:
        raise IssueRefused("Data zakończenia nie może być wcześniejsza niż początek przydziału asystenta rodziny "
                           f"({current.start_date.isoformat()}).", "end_date")


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
    transaction that stores the report (nothing committed here). Raises IssueRefused when another
    request ended the assignment meanwhile: the report is then not stored either."""
    family = session.get(Family, family_id)
    session.refresh(family)
    current = family.current_assignment
    if current is None:
        raise IssueRefused(NO_ASSIGNMENT)
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
    MONTHLY_FAMILY_REPORT: Rules(_report_month),
}


def prepare(session: Session, doctype: DocumentType, family: Family | None, data: dict[str, Any]) -> dict[str, Any]:
    """The data to issue `doctype` with for `family`, unchanged (without a family: nothing to
    check); raises IssueRefused when the file lacks one of the type's `needs` or the type's own
    check refuses the data."""
    if family is None:
        return data
    check_needs(doctype, family)
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
