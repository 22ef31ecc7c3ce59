"""The web form of a monthly report (issue 11): „Wypełnij z kart pracy” – a GET with ?month=
(default: the previous month) rebuilds the form's values from that month's visit records
(families.monthly_prefill); the staff member reviews and completes them and posts the form, and the
issuing service derives the visit records the report rests on again (families.monthly_issue)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from ..accounts.models import User
from ..documents.context import office_today
from ..documents.json_input import json_to_formdata
from ..documents.spec import DocumentType
from ..extensions import db
from ..families import monthly_prefill
from ..families.facts import prefill_for
from ..families.models import Family

REPORTS = (monthly_prefill.FAMILY_REPORT, monthly_prefill.TIME_REPORT)


def previous_month(today: dt.date | None = None) -> str:
    """„2026-11” on any day of December 2026 (the office's today): the month a report is due for."""
    first = (today or office_today()).replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def prefilled(doctype: DocumentType, actor: User, family: Family | None, args: Mapping[str, str]
              ) -> tuple[MultiDict, dict[str, Any]]:
    """The form data of a monthly report for the month in `args` (default: the previous month),
    built for `family` (the family report) or for the actor (the time report), and what the
    „Wypełnij z kart pracy” step shows: {"month": the month typed, "error": Polish message or ""}.
    Without visit records in the month, the form gets only what the family's file knows."""
    month = (args.get("month") or "").strip() or previous_month()
    payload = {"month": month}
    if doctype.slug == monthly_prefill.FAMILY_REPORT:
        built, errors = monthly_prefill.family_report_prefill(db.session, family, payload)
    else:
        built, errors = monthly_prefill.time_report_prefill(db.session, actor, payload)
    from_file = prefill_for(doctype, family) if family is not None else {}
    values = monthly_prefill.issue_values(doctype, from_file, built, {} if built else payload)
    formdata, _ = json_to_formdata(doctype, values)
    error = " ".join(message for messages in errors.values() for message in messages)
    return formdata, {"month": month, "error": error}
