"""The API of families' files: register, search, read, assign an assistant.

The same services as the pages and the CLI (families.registration, families.search,
families.assignments), with the acting staff member and the request's origin. A family the caller
may not read answers 404, as if it did not exist (families.access); each read of a file is logged.
"""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_login import current_user

from ..documents.context import office_today
from ..extensions import db
from ..families.access import ASSIGNERS, FAMILY_READERS, REGISTRARS, visible_family
from ..families.assignments import AssignmentRefused, assign_assistant
from ..families.json_input import json_path, read_assignment_json, read_family_json
from ..families.models import BASIS_KINDS, Family
from ..families.registration import RegistrationRefused, register_family
from ..families.search import search_families
from ..office.models import JrwaClass, get_profile, issuing_paused
from ..security import allow, log_access, request_origin
from .family_json import assignment_json, family_document_json, family_json, family_links, family_summary_json
from .openapi_families import MAX_PAGE, MAX_PER_PAGE, MAX_QUERY, PER_PAGE
from .views import bp


def _family(family_id: str) -> Family:
    return visible_family(current_user, family_id) or abort(404)


def _paging() -> tuple[dict[str, int], dict[str, list[str]]]:
    """`page` (from 1) and `limit` (families per page) of the query string, and their errors."""
    values, errors = {"page": 1, "per_page": PER_PAGE}, {}
    for name, key, top in (("page", "page", MAX_PAGE), ("limit", "per_page", MAX_PER_PAGE)):
        typed = request.args.get(name)
        if typed is None:
            continue
        if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= top:
            values[key] = int(typed)
        else:
            errors[name] = [f"Podaj liczbę całkowitą od 1 do {top}."]
    return values, errors


@bp.route("/families", methods=["POST"])
@allow(REGISTRARS)
def register():
    """Registers a family and opens its case: 201 with the file and Location; 422 with errors per
    field (JSON paths: "members[1].pesel", "address.postal_code", "basis.court_case_number"); 409
    while issuing is paused (the case sign follows the office profile, which must be confirmed)."""
    paused = issuing_paused()
    if paused:
        return jsonify(error=paused), 409
    data, errors = read_family_json(request.get_json(silent=True))
    if errors:
        return jsonify(errors=errors), 422
    jrwa = db.session.get(JrwaClass, BASIS_KINDS[data["basis_kind"]][0])
    try:
        family = register_family(db.session, current_user, request_origin(), data,
                                 office=get_profile().letterhead(), jrwa=jrwa)
    except RegistrationRefused as exc:
        return jsonify(errors={json_path(k): v for k, v in exc.errors.items()}), 422
    body = family_json(db.session.get(Family, family.id), office_today())
    return jsonify(body), 201, {"Location": body["links"]["self"]}


@bp.route("/families")
@allow(FAMILY_READERS)
def list_families():
    """The families the caller may read, newest first; `q` finds them by a member's name (any order,
    without Polish letters or case) or an exact PESEL; `page` and `limit` page the answer. The
    search is logged by families.search (never the query's text)."""
    paging, errors = _paging()
    q = request.args.get("q", "")
    if len(q) > MAX_QUERY:
        errors["q"] = [f"Najwyżej {MAX_QUERY} znaków."]
    if errors:
        return jsonify(errors=errors), 422
    found = search_families(db.session, current_user, request_origin(), q, **paging)
    return jsonify(families=[family_summary_json(f) for f in found.families], page=found.page,
                   limit=paging["per_page"], has_more=found.has_more)


@bp.route("/families/<family_id>")
@allow(FAMILY_READERS)
def get_family(family_id: str):
    """The family's file: members, address, basis, staff, assignments, documents, changes."""
    family = _family(family_id)
    body = family_json(family, office_today())
    log_access("view", "family", family.id, detail="api", family_id=family.id)
    return jsonify(body)


@bp.route("/families/<family_id>/documents")
@allow(FAMILY_READERS)
def family_documents(family_id: str):
    """The documents of the family's case, oldest first, with their signing state and links."""
    family = _family(family_id)
    body = [family_document_json(d) for d in family.case.documents]
    log_access("view", "family", family.id, detail="api documents", family_id=family.id)
    return jsonify(documents=body)


@bp.route("/families/<family_id>/assignments")
@allow(FAMILY_READERS)
def family_assignments(family_id: str):
    """The family's assignments, current and past, oldest first."""
    family = _family(family_id)
    body = [assignment_json(a) for a in family.assignments]
    log_access("view", "family", family.id, detail="api assignments", family_id=family.id)
    return jsonify(assignments=body)


@bp.route("/families/<family_id>/assignments", methods=["POST"])
@allow(ASSIGNERS)
def assign(family_id: str):
    """Assigns an assistant from a date (ending the current assignment): 201 with the assignment;
    422 per field; 409 when the assistant already has the office's limit of families (art. 15
    ust. 4: the message names their current count)."""
    family = _family(family_id)
    found, errors = read_assignment_json(db.session, request.get_json(silent=True))
    if errors:
        return jsonify(errors=errors), 422
    assistant, start_date = found
    try:
        assignment = assign_assistant(db.session, current_user, request_origin(), family, assistant, start_date)
    except AssignmentRefused as exc:
        if exc.status == 409:
            return jsonify(error=str(exc)), 409
        return jsonify(errors={exc.field: [str(exc)]}), exc.status
    links = family_links(family)
    body = {**assignment_json(assignment), "links": {"family": links["self"], "assignments": links["assignments"]}}
    return jsonify(body), 201, {"Location": links["assignments"]}
