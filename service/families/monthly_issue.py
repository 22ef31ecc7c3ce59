"""What the issuing service adds to a monthly report (issue 11): the values no person types,
derived again from the archive when the report is issued, and the time report's case.

A monthly report records which visit records it was built from (`visit_refs`, and the time report
whose time it is: `assistant_login`; service/documents/catalog/DATA_KEYS.md). Those are FieldSpec.by_service fields:
forms never show them and the API refuses them, so a list of ids edited in a browser (another family's records)
cannot reach the archive. They are rebuilt here from the report's `month` and family (or assistant)
with families.monthly, the same builder that filled the form.

The time report is about an assistant's working time, not a family: it is filed in a case of the
assistant's own in the filing class documents.filing.STAFF_TIME, one case per assistant and year of
the register (staff_case), never in a family's case and never opening a family's file; two
reports opening that case at once leave one (one_staff_case).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..archive.models import DocumentRecord
from ..documents.filing import STAFF_TIME
from ..documents.spec import DocumentType
from .lifecycle import FileChanged
from .models import Case, Family
from .monthly import NoVisits, family_report_values, time_report_values
from .monthly_prefill import FAMILY_REPORT, TIME_REPORT
from .months import MonthRefused, parse_month

REPORTS = frozenset({FAMILY_REPORT, TIME_REPORT})


class ReportRefused(ValueError):
    """A monthly report cannot be issued as asked; `field` is the key the Polish message (str())
    belongs to ("month", "family_id")."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def built_service_values(session: Session, doctype: DocumentType, data: Mapping[str, Any], *,
                   family: Family | None, assistant: User) -> dict[str, Any]:
    """The fields the service sets in a monthly report (FieldSpec.by_service), built from the archive for `data["month"]`:
    {"visit_refs": [visit record ids, date order]} for the family report (of `family`), plus
    {"assistant_login": login} for the time report (of `assistant`). Raises ReportRefused: a family
    report without a family, a time report in a family's case, a month unreadable or without visit
    records (families.monthly.NoVisits, „W listopadzie 2026 r. nie ma żadnej karty pracy…”)."""
    try:
        month = parse_month(data.get("month"))  # not after the current month in Warsaw
    except MonthRefused as exc:
        raise ReportRefused("month", str(exc)) from None
    try:
        if doctype.slug == FAMILY_REPORT:
            if family is None:
                raise ReportRefused("family_id", "Sprawozdanie z pracy z rodziną sporządza się w sprawie rodziny: "
                                                 "wybierz rodzinę.")
            built = family_report_values(session, family, month)
            return {"visit_refs": built["visit_refs"]}
        if family is not None:
            raise ReportRefused("family_id", "Sprawozdanie z czasu pracy nie należy do sprawy rodziny: "
                                             "jest w sprawie asystenta.")
        built = time_report_values(session, assistant, month)
        return {"visit_refs": built["visit_refs"], "assistant_login": built["assistant_login"]}
    except NoVisits as exc:
        raise ReportRefused("month", str(exc)) from None


def one_staff_case(assistant_id: int) -> Callable[[Session, DocumentRecord], None]:
    """The check run in the transaction storing a time report that opened the assistant's case of
    the year (documents.issue.Pipeline.issue's on_stored): with the assistant's row locked (FOR
    UPDATE on PostgreSQL; SQLite's one writer), the case just opened must be the assistant's only
    one of that year. Two time reports sent at the same moment each found none and opened one:
    the second is refused (FileChanged, 409), its number released, and sent again it is filed in
    the case the first opened."""
    def check(session: Session, record: DocumentRecord) -> None:
        # FOR NO KEY UPDATE: the rows just inserted hold a KEY SHARE lock on it (their foreign keys
        # to the assistant); FOR UPDATE would wait for the other report's, which waits for ours
        session.execute(select(User.id).where(User.id == assistant_id).with_for_update(key_share=True))
        opened = session.get(Case, record.case_id)
        cases = session.execute(select(func.count()).select_from(Case).where(
            Case.jrwa_key == STAFF_TIME.key, Case.assignee_id == assistant_id, Case.year == opened.year)).scalar_one()
        if cases > 1:
            raise FileChanged(f"Przed chwilą inne sprawozdanie założyło sprawę sprawozdań z czasu pracy tego asystenta "
                              f"na {opened.year} r.: tego sprawozdania nie zapisano. Wyślij je ponownie, trafi do "
                              "tamtej sprawy.")
    return check


def staff_case(session: Session, assistant: User, year: int) -> Case | None:
    """The assistant's case of time reports (filing class STAFF_TIME) of the register's `year`, or
    None when the first report of that year opens it."""
    return session.execute(
        select(Case).where(Case.jrwa_key == STAFF_TIME.key, Case.assignee_id == assistant.id, Case.year == year)
        .order_by(Case.id)).scalars().first()
