"""What the API and the pages call to fill a monthly report from visit records (issue 11,
„Interfaces others will rely on”): a request's `month` (and for the time report its `assistant`)
read and checked, the values built (families.monthly), and those merged with what the staff
member sent.

`POST /api/documents/monthly_family_report {"family_id": 7, "month": "2026-11", …}` and
`POST /api/documents/monthly_time_report {"month": "2026-11", "assistant": "anowak", …}` call
family_report_prefill / time_report_prefill, then issue_values; errors go back per field (422).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..documents.family_facts import merge
from .access import ALL_FAMILIES
from .models import Family
from .monthly import NoVisits, family_report_values, time_report_values
from .months import Month, MonthRefused, parse_month

FAMILY_REPORT = "monthly_family_report"
TIME_REPORT = "monthly_time_report"
# The keys of a request's body that choose what a report is built from, not document fields
# (add to the API's envelope): the time report's assistant, by login.
ENVELOPE = ("assistant",)
# Who may build another assistant's time report: the roles that manage the assistants' work and
# read every family (access.ALL_FAMILIES: the head and the coordinator). An assistant builds their own.
TIME_REPORT_READERS = ALL_FAMILIES

Errors = dict[str, list[str]]


def requested_month(payload: Mapping[str, Any], today: dt.date | None = None) -> tuple[Month | None, Errors]:
    """The body's `month` („2026-11”, not after the current month in Warsaw), or None with
    {"month": [Polish message]}."""
    value = payload.get("month")
    if value is None or value == "":
        return None, {"month": ["Podaj miesiąc sprawozdania w postaci RRRR-MM, np. 2026-11."]}
    try:
        return parse_month(value, today=today), {}
    except MonthRefused as exc:
        return None, {"month": [str(exc)]}


def family_report_prefill(session: Session, family: Family, payload: Mapping[str, Any], *,
                          today: dt.date | None = None) -> tuple[dict[str, Any], Errors]:
    """The monthly family report's values for the family and the body's month
    (monthly.family_report_values), or {} with errors: {"month": [...]} for a month missing, typed
    wrongly, not begun, or without any visit record of the family („W listopadzie 2026 r. nie ma
    żadnej karty pracy z tą rodziną.”: no report is issued empty)."""
    month, errors = requested_month(payload, today)
    if month is None:
        return {}, errors
    try:
        return family_report_values(session, family, month), {}
    except NoVisits as exc:
        return {}, {"month": [str(exc)]}


def report_assistant(session: Session, actor: User, payload: Mapping[str, Any]) -> tuple[User | None, Errors]:
    """The assistant whose time report is built: the body's `assistant` (a login), default the
    actor. An assistant may name only themselves; the head and the coordinator anyone with an
    account. Returns the user, or None with {"assistant": [...]} (to someone who may not see other
    accounts, an unknown login and another's login get the same answer)."""
    login = payload.get("assistant")
    if login is None or login == "":
        return actor, {}
    if not isinstance(login, str):
        return None, {"assistant": ["Oczekiwano loginu (tekstu w cudzysłowie)."]}
    login = login.strip()
    if login == actor.login:
        return actor, {}
    if actor.role not in TIME_REPORT_READERS:
        return None, {"assistant": ["Możesz sporządzić tylko własne sprawozdanie z czasu pracy."]}
    user = session.execute(select(User).where(User.login == login)).scalar_one_or_none()
    if user is None:
        return None, {"assistant": [f"Nie ma konta o loginie „{login[:60]}”."]}
    return user, {}


def time_report_prefill(session: Session, actor: User, payload: Mapping[str, Any], *,
                        today: dt.date | None = None) -> tuple[dict[str, Any], Errors]:
    """The monthly time report's values for the body's assistant (report_assistant) and month
    (monthly.time_report_values), or {} with errors per key ("assistant", "month"; a month without
    any of the assistant's visit records is refused under "month")."""
    assistant, errors = report_assistant(session, actor, payload)
    month, month_errors = requested_month(payload, today)
    errors |= month_errors
    if assistant is None or month is None:
        return {}, errors
    try:
        return time_report_values(session, assistant, month), {}
    except NoVisits as exc:
        return {}, {"month": [str(exc)]}


def for_form(doctype: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values a person may give of a document type (its form_fields): top-level keys of its
    fields, and in a group's rows the keys of the group's fields (the builder also returns what a
    template may not print, e.g. rows' minutes next to their text). Anything else is left out, so
    the API's check of unknown keys sees only what the staff member sent; so are the values the
    service sets (FieldSpec.by_service: which visit records a report was built from, whose time it
    reports), which issuing.issue builds again from the archive."""
    out: dict[str, Any] = {}
    for spec in doctype.form_fields:
        if spec.name not in values:
            continue
        value = values[spec.name]
        sub = getattr(spec, "fields", None)  # a GroupSpec
        if sub is not None and isinstance(value, list):
            names = {f.name for f in sub}
            value = [{k: v for k, v in row.items() if k in names} for row in value]
        out[spec.name] = value
    return out


def issue_values(doctype: Any, from_file: Mapping[str, Any], built: Mapping[str, Any],
                 sent: Mapping[str, Any]) -> dict[str, Any]:
    """The body a report is issued with: the family's file (from_file: facts.prefill_for), then
    the values built from the visit records, then what was sent (explicit fields override, merged as
    documents.family_facts.merge merges). The values the service sets are not among them: a body
    naming one is refused at the field (documents.json_input)."""
    return merge(doctype, {**from_file, **for_form(doctype, built)}, sent)
