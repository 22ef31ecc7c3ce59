"""The document forms built from the declarations, and the page of an issued document."""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectField

from ..documents.convert import ConversionError
from ..documents.registry import DOCUMENT_TYPES
from ..extensions import db
from ..forms_builder import choices, form_class
from ..issuing import ISSUERS, find_case, issue, visible_cases
from ..security import ANY_STAFF, allow

bp = Blueprint("web", __name__)


@lru_cache(maxsize=None)
def web_form_class(doctype):
    """The declaration's form plus the choice of case, built once per document type."""
    return type(f"{doctype.slug}WebForm", (form_class(doctype),), {
        "case_id": SelectField("Sprawa", default="", validate_choice=False,
                               description="Nowa sprawa otrzyma kolejny znak w klasie JRWA tego dokumentu.")})


@bp.route("/")
@allow(ANY_STAFF)
def index():
    """The start page: the documents this user may issue."""
    types = [t for t in DOCUMENT_TYPES if current_user.role in t.issued_by]
    return render_template("index.html", types=types)


@bp.route("/documents/new/<slug>", methods=["GET", "POST"])
@allow(ISSUERS)
def new_document(slug: str):
    """The form of one document type; on success the document is issued, sealed and archived."""
    doctype = DOCUMENT_TYPES.get(slug)
    if doctype is None:
        abort(404)
    if current_user.role not in doctype.issued_by:
        abort(403)
    cases = db.session.execute(visible_cases(current_user, doctype.jrwa_key).limit(200)).scalars().all()
    form_cls = web_form_class(doctype)
    if request.method == "GET" and request.args.get("case"):
        form = form_cls(case_id=request.args["case"])
    else:
        form = form_cls()
    form.case_id.choices = choices([("", "— nowa sprawa —")] + [
        (str(c.id), f"{c.sign} – {c.title}") for c in cases])
    status, retry_after = 200, None
    if form.validate_on_submit():
        case = None
        if form.case_id.data:
            case = find_case(current_user, doctype.jrwa_key, case_id=int(form.case_id.data))
            if case is None:
                form.case_id.errors.append("Wybierz sprawę z listy.")
        if not form.case_id.errors:
            try:
                issued = issue(current_user, doctype, form.cleaned_data(), case=case)
            except ConversionError as exc:  # the form below is shown again with what was typed
                flash(str(exc), "error")
                status = 503
                retry_after = exc.retry_after
            else:
                flash(f"Dokument wystawiono i zarchiwizowano w sprawie {issued.record.case.sign}.", "success")
                return redirect(url_for("archive.document", doc_id=issued.record.id))
    elif request.method == "POST":
        flash("Formularz zawiera błędy – popraw pola oznaczone na czerwono.", "error")
        status = 422
    if form.case_id.errors:
        status = 422
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return render_template("document_form.html", doctype=doctype, form=form), status, headers
