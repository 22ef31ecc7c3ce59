"""The API of deadlines: a family's (GET /api/families/<id>/deadlines) and the caller's
(GET /api/deadlines), computed by families.deadlines on the office's today (Europe/Warsaw).

A family the caller may not read answers 404, as if it did not exist (families.access); each
answer is logged as a read of the families it names."""
from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from flask_login import current_user

from ..documents.context import office_today
from ..extensions import db
from ..families.access import FAMILY_READERS, visible_family
from ..families.deadlines import Deadline, deadlines_for, deadlines_of_family
from ..families.display import due_text
from ..security import allow, log_access
from .views import bp


def deadline_json(d: Deadline, today) -> dict[str, Any]:
    """One deadline as the API answers it (schema "Deadline" in service/api/openapi_deadlines.py)."""
    staff = lambda user_id, name: {"id": user_id, "name": name} if user_id is not None else None  # noqa: E731
    return {"kind": d.kind, "label": d.label, "family_id": d.family_id, "case_sign": d.case_sign or None,
            "due": d.due.isoformat(), "status": d.status, "status_label": d.status_label, "when": due_text(d, today),
            "responsible": d.responsible, "assistant": staff(d.assistant_id, d.assistant_name),
            "social_worker": staff(d.social_worker_id, d.social_worker_name),
            "met_by": d.met_by, "met_on": d.met_on.isoformat() if d.met_on else None, "period": d.period or None,
            "uid": d.uid}


@bp.route("/families/<family_id>/deadlines")
@allow(FAMILY_READERS)
def family_deadlines(family_id: str):
    """The family's deadlines, met ones included, by due date; `today` is the office's date they
    were computed for."""
    family = visible_family(current_user, family_id) or abort(404)
    today = office_today()
    body = [deadline_json(d, today) for d in deadlines_of_family(db.session, family, today)]
    log_access("view", "family", family.id, detail="api deadlines", family_id=family.id)
    return jsonify(today=today.isoformat(), deadlines=body)


@bp.route("/deadlines")
@allow(FAMILY_READERS)
def deadlines():
    """The caller's deadlines (families.deadlines.deadlines_for): an assistant's families' and
    their own monthly time reports; a social worker's families in their charge; the head's and the
    coordinator's every family's and every assistant's."""
    today = office_today()
    found = deadlines_for(db.session, current_user, today)
    families = sorted({d.family_id for d in found if d.family_id is not None})
    log_access("list", "family", detail=f"api deadlines: rodziny ({len(families)})")
    return jsonify(today=today.isoformat(), deadlines=[deadline_json(d, today) for d in found])
