"""The document forms built from the declarations, and the page of an issued document."""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectField

from ..documents.convert import ConversionError
from ..documents.filing import STAFF_TIME
from ..documents.registry import DOCUMENT_TYPES
from ..extensions import db
from ..forms_builder import fit_to_family, form_class, row_edit
from ..forms_kinds import choices
from ..accounts.models import ROLES, User
from ..archive.models import DocumentRecord
from ..families.access import ALL_FAMILIES, visible_families
from ..families.facts import facts_of
from ..families.assignments import AssignmentRefused
from ..families.lifecycle import FileChanged, check_needs
from ..issuing import (ISSUERS, IssueRefused, IssuingPaused, NotForThisFamily, applies_to, find_family, issue,
                       visible_documents)
from ..office.models import get_profile, issuing_paused
from ..signing.sessions import waiting_for
from ..signing.staff import staff_step_roles
from ..security import ANY_STAFF, READERS, allow, log_access, request_origin
from . import monthly_form
from .access_log import LOG_ROLES
from .deadlines_views import start_deadlines
from .families_views import REGISTRARS

bp = Blueprint("web", __name__)


@lru_cache(maxsize=None)
def web_form_class(doctype):
    """The declaration's form plus the choice of case, built once per document type."""
    return type(f"{doctype.slug}WebForm", (form_class(doctype),), {
        "case_id": SelectField("Sprawa rodziny", default="", validate_choice=False,
                               description="Nowa sprawa otrzyma kolejny znak w klasie JRWA tego dokumentu; "
                                           "powstanie też teczka rodziny z danymi z dokumentu.")})


RECENT = 5
FAMILIES_ON_START = 50  # an assistant has at most 15; a social worker's charge may be longer


@bp.route("/")
@allow(ANY_STAFF)
def index():
    """The start page of each role: what it can do, with links.

    Issuers: the document types they may issue and their own most recent documents; the archivist
    (and the head): the archive and the seal check; the head and the data-protection officer: the
    access log (the officer sees nothing else: no family data); the administrator: the state of
    the office profile (issuing waits for its confirmation) and the staff accounts; the assistant
    the families assigned, the social worker the families in their charge, the head and the
    coordinator the families' list and the registration. The assistant (and the social worker) see
    their families' overdue deadlines and those due within 7 days; the head and the coordinator
    every assistant's load and overdue items (web.deadlines_views.start_deadlines). Staff of a role
    that signs staff steps (the head's acceptance among them) see „Czekają na Twój podpis”: the
    documents they may read whose signing waits at a step they may sign from their own session
    (signing.sessions.waiting_for). Reading the recent documents, the documents waiting and the
    families' names is logged as the lists are.
    """
    role = current_user.role
    types = [t for t in DOCUMENT_TYPES if role in t.issued_by]
    recent, accounts, families = [], [], []
    if types:
        recent = db.session.execute(
            visible_documents(current_user).where(DocumentRecord.author_id == current_user.id)
            .order_by(DocumentRecord.created_at.desc()).limit(RECENT)).scalars().all()
        log_access("list", "archive", detail="start: ostatnie dokumenty")
    if role in ("assistant", "social_worker"):  # their own families' names: a read of family data
        families = db.session.execute(visible_families(current_user).limit(FAMILIES_ON_START)).scalars().all()
        log_access("list", "family", detail=f"start: rodziny ({len(families)})")
    deadlines = start_deadlines(current_user, families)
    to_sign = None  # None: the role signs no staff step; a list (maybe empty) otherwise
    if role in staff_step_roles():
        to_sign = [session for session, _ in waiting_for(current_user)]
        log_access("list", "archive", detail=f"start: czekają na Twój podpis ({len(to_sign)})")
    if role == "admin":
        accounts = db.session.execute(db.select(User).order_by(User.active.desc(), User.full_name)).scalars().all()
    return render_template("index.html", types=types, recent=recent, accounts=accounts, families=families,
                           registers=role in REGISTRARS, all_families=role in ALL_FAMILIES,
                           profile=get_profile(), paused=issuing_paused(), reads_archive=role in READERS,
                           reads_log=role in LOG_ROLES, role_codes=list(ROLES), deadlines=deadlines,
                           to_sign=to_sign)


def _lacking(doctype, family):
    """The refusal of families.lifecycle.check_needs for the case chosen (None: a new case), or None."""
    try:
        check_needs(doctype, family)
    except IssueRefused as exc:
        return exc
    return None


@bp.route("/documents/new/<slug>", methods=["GET", "POST"])
@allow(ISSUERS)
def new_document(slug: str):
    """The form of one document type; on success the document is issued, sealed and archived.

    Answers 422 with the form and its errors, 409 while issuing is paused (the office profile is
    not confirmed: office.models.issuing_paused), 503 with Retry-After when LibreOffice is busy.
    """
    doctype = DOCUMENT_TYPES.get(slug)
    if doctype is None:
        abort(404)
    if current_user.role not in doctype.issued_by:
        abort(403)
    # A time report goes to the issuer's own case of working time (issuing.issue), never to a
    # family's: its form offers no family's case to choose, and names none.
    own_case = doctype.filing_class == STAFF_TIME
    families = [] if own_case else [
        f for f in db.session.execute(visible_families(current_user).limit(200)).scalars() if applies_to(doctype, f)]
    form_cls = web_form_class(doctype)
    monthly = None  # the time report's „Wypełnij z kart pracy” step (the family report is issued from a family)
    edit = row_edit(doctype, request.form) if request.method == "POST" else None
    if request.method == "GET" and slug == monthly_form.monthly_prefill.TIME_REPORT:
        formdata, monthly = monthly_form.prefilled(doctype, current_user, None, request.args)
        form = form_cls(formdata=formdata)
    elif request.method == "GET" and request.args.get("case"):
        form = form_cls(case_id=request.args["case"])
    elif edit is not None:  # „Dodaj” or „Usuń” of a row without scripts: shown again, nothing checked
        form = form_cls(formdata=edit.formdata)
        if edit.grow:
            form.grow(edit.grow)
    else:
        form = form_cls()
        if slug == monthly_form.monthly_prefill.TIME_REPORT:
            monthly = {"month": request.form.get("month", ""), "error": ""}
    form.case_id.choices = choices([("", "— nowa sprawa —")] + [
        (str(f.case.id), f"{f.case.sign} – {f.name}") for f in families])
    # The family's own choices (a visit's goals: its plan's) for the case chosen, none for a new case.
    chosen = next((f for f in families if str(f.case.id) == str(form.case_id.data or "")), None)
    fit_to_family(form, facts_of(chosen) if chosen is not None else None)
    status, retry_after = 200, None
    paused = issuing_paused()
    if edit is not None:
        status = 200  # a row added or removed: the page again, nothing checked yet
    elif paused and request.method == "POST":  # what was typed stays in the form below
        form.validate()  # its errors are shown too, so nothing waits for a second round
        status = 409
    elif request.method == "POST" and (lacking := _lacking(doctype, chosen)) is not None:
        # what the file (or „nowa sprawa”) lacks for this type first: see families.lifecycle.check_needs
        target = form._fields.get(lacking.field) or form.case_id
        target.errors = list(target.errors) + [str(lacking)]
        status = lacking.status
    elif form.validate_on_submit():
        family = None
        if form.case_id.data and not own_case:
            family = find_family(current_user, case_id=form.case_id.data)
            if family is None or not applies_to(doctype, family):
                form.case_id.errors.append("Wybierz sprawę z listy.")
        if not form.case_id.errors:
            try:
                issued = issue(current_user, request_origin(), doctype, form.cleaned_data(), family=family)
            except ConversionError as exc:  # the form below is shown again with what was typed
                flash(str(exc), "error")
                status = 503
                retry_after = exc.retry_after
            except IssuingPaused as exc:  # the profile was unconfirmed meanwhile
                paused, status = str(exc), 409
            except FileChanged as exc:  # another request changed the file meanwhile: above the form
                flash(str(exc), "error")
                status = exc.status
            except (AssignmentRefused, NotForThisFamily, IssueRefused) as exc:  # the assistant's limit of
                # families; the family's file not ready for this document (families.lifecycle): at
                # the input it concerns, else at the case chosen
                target = form._fields.get(getattr(exc, "field", ""))
                target = form.case_id if target is None else target
                target.errors = list(target.errors) + [str(exc)]
                status = getattr(exc, "status", 422)
            else:
                flash(f"Dokument wystawiono i zarchiwizowano w sprawie {issued.record.case.sign}.", "success")
                return redirect(url_for("archive.document", doc_id=issued.record.id))
    elif request.method == "POST":  # the error summary at the top of the page lists every error
        status = 422
    if form.case_id.errors and status < 400:
        status = 422
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    # the case choice names the families (their case signs and members): logged as the lists are
    if not own_case:
        log_access("list", "family", detail=f"formularz {slug}: sprawy rodzin ({len(families)})")
    form.offer_rows()  # a goal chosen by its words, among the goals typed (after validation)
    return render_template("document_form.html", doctype=doctype, form=form, paused=paused,
                           monthly=monthly, own_case=own_case), status, headers
