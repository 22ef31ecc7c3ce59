"""The JSON API endpoints; authentication by `Authorization: Bearer <token>`."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, send_file, url_for
from flask_login import current_user

from .. import pipeline
from ..archive.models import DocumentRecord
from ..documents.convert import ConversionError
from ..documents.family_facts import merge
from ..documents.json_input import json_to_formdata
from ..documents.registry import DOCUMENT_TYPES
from ..extensions import db
from ..documents.text import foreign_digits, normalize_identifier
from ..forms_builder import errors_by_path, fit_to_family, form_class
from ..families.access import visible_family
from ..families.assignments import AssignmentRefused
from ..families.facts import facts_of, prefill_for
from ..families import monthly_prefill
from ..families.models import Family
from ..families.access import family_of_case
from ..families.lifecycle import FileChanged, check_needs
from ..issuing import (ISSUERS, MIMETYPES, IssueRefused, IssuingPaused, NotForThisFamily, applies_to, find_family,
                       issue, visible_document)
from ..office.models import issuing_paused
from ..security import ANY_STAFF, READERS, allow, log_access, request_origin
from ..signing import family
from ..signing.models import as_utc
from .openapi import openapi_document
from .schema import describe_type

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.errorhandler(404)
def not_found(exc):
    return jsonify(error="Nie znaleziono."), 404


@bp.errorhandler(405)
def not_allowed(exc):
    return jsonify(error="Niedozwolona metoda."), 405


@bp.route("/openapi.json")
@allow(ANY_STAFF)
def openapi():
    """The OpenAPI description of this API."""
    # the public origin (ASYSTA_PUBLIC_URL) when one is configured, as every external link
    return jsonify(openapi_document(url_for("web.index", _external=True).rstrip("/")))


@bp.route("/document-types")
@allow(ANY_STAFF)
def document_types():
    """The document types, with links to their descriptions."""
    return jsonify(document_types=[
        {"slug": t.slug, "title": t.title, "description": t.api_description, "issued_by": sorted(role.value for role in t.issued_by),
         "url": url_for("api.document_type", slug=t.slug, _external=True)} for t in DOCUMENT_TYPES])


@bp.route("/document-types/<slug>")
@allow(ANY_STAFF)
def document_type(slug: str):
    """One document type: its fields with sample values, signer slots and JSON Schema."""
    doctype = DOCUMENT_TYPES.get(slug) or abort(404)
    return jsonify(describe_type(doctype))


def document_json(doc: DocumentRecord) -> dict[str, Any]:
    """The metadata of an issued document, with links to its files."""
    return {
        "id": doc.id, "type": doc.slug, "title": doc.title, "case_sign": doc.case.sign,
        "case_title": doc.case.title, "jrwa_symbol": doc.case.symbol, "archival_category": doc.case.category,
        "template_version": doc.template_version, "template_sha256": doc.template_sha256,
        "created_at": as_utc(doc.created_at).isoformat(), "author": doc.author.full_name,
        "data": doc.data,
        "files": {"pdf": {"sha256": doc.pdf_sha256, "size": doc.pdf_size},
                  "docx": {"sha256": doc.docx_sha256, "size": doc.docx_size}},
        "seal_certificate_sha256": doc.seal_certificate_sha256,
        "signing": signing_json(doc),
        # the family's one-time link to the signed PDF, while it may still be used; else null
        "family_copy": family.as_json(family.active_for(doc)),
        "links": {"self": url_for("api.get_document", doc_id=doc.id, _external=True),
                  "pdf": url_for("api.document_file", doc_id=doc.id, kind="pdf", _external=True),
                  "docx": url_for("api.document_file", doc_id=doc.id, kind="docx", _external=True)},
    }


@bp.route("/documents/<slug>", methods=["POST"])
@allow(ISSUERS)
def create_document(slug: str):
    """Issues a document from JSON: 201 with its id, case sign and links; 422 with errors per field;
    409 while issuing is paused (the office profile is not confirmed), and when another request
    changed the family's file meanwhile (families.lifecycle.FileChanged: a second revision of the
    same plan, a second final report, another time report opening the assistant's case).

    With `family_id` (or the `case_sign` of a family's case) the document is filed in that family's
    case, and the fields the body leaves out are filled from the family's file (families.facts);
    without either, a new case and a family's file are made from the document (issuing.issue),
    except for a type that `needs` something of a family's file (families.lifecycle.check_needs),
    which is refused first, as is a family whose file lacks what the type needs."""
    doctype = DOCUMENT_TYPES.get(slug) or abort(404)
    if current_user.role not in doctype.issued_by:
        return jsonify(error="Twoja rola nie może wystawiać tego dokumentu."), 403
    paused = issuing_paused()
    if paused:  # before the body is read: nothing a client sends can be issued now
        return jsonify(error=paused), 409
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="Treść żądania musi być obiektem JSON.",
                       errors={"": ["Treść żądania musi być obiektem JSON."]}), 422
    family, errors = _family_of(doctype, payload)
    if not errors:
        try:  # what the file lacks first: the form's fields a file without it leaves empty are no news
            check_needs(doctype, family)
        except IssueRefused as exc:
            return jsonify(errors={exc.field or "family_id": [str(exc)]}), exc.status
    assistant = None
    monthly = slug in (monthly_prefill.FAMILY_REPORT, monthly_prefill.TIME_REPORT)
    if monthly and slug == monthly_prefill.TIME_REPORT and _names_a_family(payload):
        errors = {"family_id": [TIME_REPORT_NOT_A_FAMILYS]}
    if monthly and errors:
        # The family (or, for a time report, the absence of one) decides every value built from
        # the visit records: with it wrong nothing is built, and the fields left to the builder
        # are not reported as missing.
        return jsonify(errors=errors), 422
    if monthly:
        # Monthly reports: the fields left out are built from the month's visit records (and the
        # family's file), the ones sent win (families.monthly_prefill); issue() derives visit_refs again.
        built, month_errors, status = _monthly_build(doctype, family, payload)
        if status == 403:
            return jsonify(error=month_errors["assistant"][0]), 403
        if month_errors:
            return jsonify(errors=month_errors), 422
        from_file = prefill_for(doctype, family) if family is not None else {}
        assistant = built.pop("_assistant", None)
        payload = monthly_prefill.issue_values(doctype, from_file, built, payload)
    elif family is not None:
        # Fields left out are filled from the family's file; a value sent (even empty) wins, and a
        # person or an address sent in part takes none of the file's values for it (merge).
        payload = merge(doctype, prefill_for(doctype, family), payload)
    # `assistant` is the time report's alone: sent with another type it is an unknown field, not ignored
    envelope = ENVELOPE if slug == monthly_prefill.TIME_REPORT else ("case_sign", "family_id")
    formdata, input_errors = json_to_formdata(doctype, payload, envelope=envelope)
    form = form_class(doctype)(formdata=formdata, meta={"csrf": False})
    form.cross_checks = not input_errors  # values refused here are not in the form: see DocumentForm
    fit_to_family(form, facts_of(family) if family is not None else None)
    valid = form.validate()
    errors = {**errors_by_path(form), **input_errors, **errors}
    if errors or not valid:
        return jsonify(errors=errors), 422
    try:
        issued = issue(current_user, request_origin(), doctype, form.cleaned_data(), family=family,
                       assistant=assistant)
    except ConversionError as exc:  # LibreOffice failed, or too many documents wait for it
        return jsonify(error=str(exc)), 503, {"Retry-After": str(exc.retry_after)}
    except IssuingPaused as exc:  # the profile was unconfirmed while this request was checked
        return jsonify(error=str(exc)), 409
    except AssignmentRefused as exc:  # an assistant's new family over the limit (art. 15 ust. 4)
        return jsonify(error=str(exc)), exc.status
    except NotForThisFamily as exc:  # ReportNotIssued too: its field is "month" or "family_id"
        return jsonify(errors={exc.field: [str(exc)]}), 422
    except FileChanged as exc:  # another request changed the file meanwhile (families.lifecycle): 409
        return jsonify(error=str(exc)), exc.status
    except IssueRefused as exc:  # the family's file does not allow it now (families.lifecycle)
        return jsonify(errors={exc.field or "family_id": [str(exc)]}), exc.status
    body = document_json(issued.record)
    return jsonify(body), 201, {"Location": body["links"]["self"]}


# The keys of a document's body that are about the request, not the document: where to file it,
# and whose time report it is (monthly_prefill.ENVELOPE).
ENVELOPE = ("case_sign", "family_id", *monthly_prefill.ENVELOPE)
NO_SUCH_FAMILY = "Nie ma takiej rodziny (albo nie masz do niej dostępu)."
TIME_REPORT_NOT_A_FAMILYS = "Sprawozdanie z czasu pracy nie należy do sprawy rodziny: pomiń family_id i case_sign."


def _names_a_family(payload: dict[str, Any]) -> bool:
    """Whether the body names a family to file the document in (family_id or case_sign)."""
    return payload.get("family_id") is not None or payload.get("case_sign") not in (None, "")


def _monthly_build(doctype, family: Family | None, payload: dict[str, Any]
                   ) -> tuple[dict[str, Any], dict[str, list[str]], int]:
    """The values of a monthly report built for the body's month (and family, or `assistant`),
    with the time report's assistant (a User) under "_assistant", errors per key, and the status
    of a refusal: 422 (a month without visit records or not begun, a family report without a
    family, a time report with one, an unknown login) or 403 (an assistant naming another
    assistant: only the head and the coordinator report for others, monthly_prefill.TIME_REPORT_READERS)."""
    actor = current_user._get_current_object()
    if doctype.slug == monthly_prefill.FAMILY_REPORT:
        if family is None:
            return {}, {"family_id": ["Podaj rodzinę (family_id): sprawozdanie dotyczy pracy z jedną rodziną."]}, 422
        built, errors = monthly_prefill.family_report_prefill(db.session, family, payload)
        return built, errors, 422
    if family is not None or _names_a_family(payload):
        return {}, {"family_id": [TIME_REPORT_NOT_A_FAMILYS]}, 422
    assistant, errors = monthly_prefill.report_assistant(db.session, actor, payload)
    if errors:
        forbidden = actor.role not in monthly_prefill.TIME_REPORT_READERS and isinstance(payload.get("assistant"), str)
        return {}, errors, 403 if forbidden else 422
    built, errors = monthly_prefill.time_report_prefill(db.session, actor, payload)
    return ({**built, "_assistant": assistant} if not errors else {}), errors, 422


def _family_of(doctype, payload: dict[str, Any]) -> tuple[Family | None, dict[str, list[str]]]:
    """The family a document body names by `family_id` or by its case's `case_sign` (both: they
    must agree), if the caller may read it and the type applies to it; else errors at that key."""
    errors: dict[str, list[str]] = {}
    family = None
    family_id = payload.get("family_id")
    if family_id is not None:
        if isinstance(family_id, bool) or not isinstance(family_id, int):
            errors["family_id"] = ["Oczekiwano liczby całkowitej (identyfikatora rodziny)."]
        else:
            family = visible_family(current_user, family_id)
            if family is None:
                errors["family_id"] = [NO_SUCH_FAMILY]
            elif not applies_to(doctype, family):
                family, errors["family_id"] = None, ["Ten dokument nie dotyczy wsparcia, którym objęto tę rodzinę."]
    if payload.get("case_sign") not in (None, ""):
        sign = normalize_identifier(str(payload["case_sign"]))  # the rule of every identifier field
        digit_problem = foreign_digits(sign)
        by_sign = None if digit_problem else find_family(current_user, case_sign=sign)
        if digit_problem:
            errors["case_sign"] = [digit_problem]
        elif by_sign is None or not applies_to(doctype, by_sign):
            errors["case_sign"] = ["Nie ma takiej sprawy w klasie JRWA tego dokumentu (albo nie masz do niej dostępu)."]
        elif family is not None and by_sign.id != family.id:
            errors["case_sign"] = ["To nie jest sprawa tej rodziny: podaj family_id albo case_sign tej samej rodziny."]
        elif family_id is None:
            family = by_sign
    return (None if errors else family), errors


def _visible(doc_id: str) -> DocumentRecord:
    return visible_document(current_user, doc_id) or abort(404)


@bp.route("/documents/<doc_id>")
@allow(READERS)
def get_document(doc_id: str):
    """The metadata of an issued document."""
    doc = _visible(doc_id)
    log_access("view", "document", doc.id, detail="api", family_id=family_of_case(doc.case_id))
    return jsonify(document_json(doc))


@bp.route("/documents/<doc_id>/<any(pdf, docx):kind>")
@allow(READERS)
def document_file(doc_id: str, kind: str):
    """The archived PDF or DOCX of a document."""
    doc = _visible(doc_id)
    digest = doc.pdf_sha256 if kind == "pdf" else doc.docx_sha256
    log_access("download", "document", doc.id, detail=f"api {kind}", family_id=family_of_case(doc.case_id))
    return send_file(pipeline(current_app).store.path(digest, kind), mimetype=MIMETYPES[kind],
                     download_name=f"{doc.id}.{kind}")


from .signing import signing_json  # noqa: E402  (registers the signing routes on bp)
from . import families  # noqa: E402,F401  (registers the families' routes on bp)
from . import deadlines  # noqa: E402,F401  (registers the deadlines' routes on bp)
