"""The family's file in the staff pages: the list with search, registering a family, the family's
page, and issuing a document from the file. The views parse, call the services (families/,
family_file.py, issuing.py) and render; a family the user may not read is answered 404."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..documents.convert import ConversionError
from ..documents.json_input import json_to_formdata
from ..documents.registry import DOCUMENT_TYPES
from ..extensions import db
from ..families.access import REGISTRARS, visible_family
from ..families.assignments import AssignmentRefused
from ..families.changes import may_change
from ..families.deadlines import deadlines_of_family
from ..families.display import due_text, address_line, basis_rows, describe_change, member_view, support_label
from ..families.facts import facts_of, left_out_for, prefill_for
from ..families.lifecycle import check_needs, monitoring_until, next_step, not_offered
from ..families.forms import row_indices, rows_in, without_row
from ..families.models import BASIS_KINDS, Family
from ..families.registration import (FIELDS, MAX_MEMBERS, AlreadyRegistered, FamilyForm, RegistrationRefused,
                                     bind_social_workers, new_submission, register_family)
from ..families.search import search_families
from ..family_file import issuable_types, timeline
from ..forms_builder import fit_to_family, form_class, row_edit
from ..issuing import ISSUERS, IssueRefused, IssuingPaused, NotForThisFamily, applies_to, issue
from ..documents.context import office_today, polish_date
from ..families.plans import current_plan
from ..office.models import JrwaClass, get_profile, issuing_paused
from ..security import READERS, allow, log_access, request_origin
from . import monthly_form

bp = Blueprint("families", __name__)

# Who works with families' files (families.access): the administrator, the archivist and the
# data-protection officer have no family pages.
FAMILY_ROLES = frozenset({"assistant", "social_worker", "head", "coordinator"})
MAX_PAGE = 10_000  # deeper than any office's list; keeps OFFSET within the database's integer
# The registration's fields by name, for the pages' conditional fields (FieldSpec.required_if).
SPECS = {spec.name: spec for spec in FIELDS}


def family_or_404(family_id: int) -> Family:
    """The family if the user may read it; 404 otherwise (its existence is not revealed)."""
    return visible_family(current_user, family_id) or abort(404)


def refusal_status(form, paused: str | None) -> int:
    """Validates a posted form (so every error shows at once) and answers its status: 409 while
    issuing is paused (what was typed stays), 422 with errors, 200 when the service may be called."""
    valid = form.validate()
    return 409 if paused else 200 if valid else 422


@bp.route("/families")
@allow(FAMILY_ROLES)
def index():
    """The families the user sees, newest first, with the search by a member's name or PESEL."""
    query = request.args.get("q", "")[:200]
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    result = search_families(db.session, current_user, request_origin(), query, page=page)
    rows = [{"family": f, "address": address_line("", f.postal_code, f.town),
             "assistant": f.current_assignment.assistant.full_name if f.current_assignment else "",
             "social_worker": f.social_worker.full_name if f.social_worker else ""} for f in result.families]
    return render_template("families/list.html", rows=rows, result=result, query=query,
                           may_register=current_user.role in REGISTRARS)


@bp.route("/families/new", methods=["GET", "POST"])
@allow(REGISTRARS)
def new():
    """Registering a family: members, address, basis of support, social worker; its case is
    opened in the JRWA class of the basis's support. 422 with the errors at the fields, 409 while
    issuing is paused (the case sign needs the office's confirmed pattern)."""
    formdata = request.form if request.method == "POST" else None
    remove = request.form.get("remove_row", "")
    if formdata is not None and remove.isascii() and remove.isdigit():  # not "²": isdigit() alone takes it
        formdata = without_row(request.form, "members", int(remove))
    form = FamilyForm(formdata=formdata)
    if not form.submission.data:
        form.submission.data = new_submission()
    bind_social_workers(form, db.session, current_user)
    status, paused = 200, issuing_paused()
    if request.method == "POST" and ("add_row" in request.form or "remove_row" in request.form):
        # the page without scripts adds or removes a member row: shown again, nothing checked yet
        if "add_row" in request.form and rows_in(request.form, "members") < MAX_MEMBERS:
            form.members.append_entry()
        return render_template("families/new.html", form=form, specs=SPECS, paused=paused, max_rows=MAX_MEMBERS)
    if request.method == "POST":
        status = refusal_status(form, paused)
        if len(row_indices(request.form, "members")) > MAX_MEMBERS:
            # the form's list keeps the first MAX_MEMBERS rows: the rest must not vanish unsaid
            form.members.errors.append(f"Najwyżej {MAX_MEMBERS} osób w rodzinie.")
            status = 422 if status == 200 else status
        if status == 200:
            kind = form.basis_kind.data
            jrwa = db.session.get(JrwaClass, BASIS_KINDS[kind][0])
            try:
                family = register_family(db.session, current_user, request_origin(), form.cleaned(),
                                         office=get_profile().letterhead(), jrwa=jrwa)
            except RegistrationRefused as exc:
                for name, messages in exc.errors.items():
                    form[name].errors = list(form[name].errors) + messages
                status = 422
            except AlreadyRegistered as exc:  # a double click, a reload: the family of the first sending
                flash(f"Ten formularz już wysłano i rodzinę zarejestrowano (znak sprawy: {exc.case_sign}). "
                      "Aby zarejestrować kolejną rodzinę, otwórz nowy formularz.", "info")
                return redirect(url_for("families.show", family_id=exc.family_id))
            else:
                flash(f"Zarejestrowano rodzinę. Znak sprawy: {family.case.sign}.", "success")
                return redirect(url_for("families.show", family_id=family.id))
    return render_template("families/new.html", form=form, specs=SPECS, paused=paused,
                           max_rows=MAX_MEMBERS), status


@bp.route("/families/<int:family_id>")
@allow(FAMILY_ROLES)
def show(family_id: int):
    """The family's file: members, address, basis, staff, the documents' timeline, the document
    types to issue, its deadlines (families.deadlines) and the history of changes. Every read is logged."""
    family = family_or_404(family_id)
    log_access("view", "family", family.id, family_id=family.id)
    today = office_today()
    members = [member_view(m, today) for m in family.members]
    current = family.current_assignment
    return render_template(
        "families/family.html", family=family, today=today,
        members=[m for m in members if not m.left_on], former=[m for m in members if m.left_on],
        address=address_line(family.street, family.postal_code, family.town),
        correspondence=address_line(family.corr_street, family.corr_postal_code, family.corr_town),
        basis=basis_rows(family.basis_kind, family.basis or {}), support=support_label(family),
        current=current, assignments=list(reversed(family.assignments)), timeline=timeline(family),
        types=issuable_types(current_user, family), reads_documents=current_user.role in READERS,
        monitoring_until=monitoring_until(family, today), next_step=next_step(family),
        changes=[(c, describe_change(db.session, c)) for c in reversed(family.changes)],
        may={what: may_change(current_user, family, what) for what in
             ("address", "basis", "social_worker", "member_added", "member_changed", "contact", "member_left")},
        may_assign=current_user.role in ("head", "coordinator"),
        deadlines=[{"d": d, "when": due_text(d, today)} for d in deadlines_of_family(db.session, family, today)])


def _refusal_on(form, exc: IssueRefused) -> None:
    """A refusal of families.lifecycle at its input (a group shows its own messages above its
    rows), else above the form."""
    field = form._fields.get(exc.field)
    if field is not None:
        field.errors = list(field.errors) + [str(exc)]
    else:
        flash(str(exc), "error")


def revising(doctype, family: Family) -> str:
    """What a revised type's new document replaces, for its form: „Plan pracy z rodziną z 27
    listopada 2026 r. (Asysta 6c2ea3e5)”, or "" (not a revised type: DocumentType.revises, or
    the family has none yet). The form says so, as the new one is issued as a revision of it."""
    if not doctype.revises:
        return ""
    record = current_plan(db.session, family)
    if record is None:
        return ""
    day = (record.data or {}).get(doctype.date_field or "")
    when = f" z {polish_date(day)}" if day else ""
    return f"{record.title}{when} ({record.doc_ref})"


@bp.route("/families/<int:family_id>/documents/new/<slug>", methods=["GET", "POST"])
@allow(ISSUERS)
def issue_document(family_id: int, slug: str):
    """A document's form pre-filled from the family's file (facts.prefill_for); the staff member
    may change any value for this one document. On success the document is filed in the family's
    case. 404: a family the user may not read, an unknown type or one that does not apply to the
    family's support; 403: a type the user's role does not issue."""
    family = family_or_404(family_id)
    doctype = DOCUMENT_TYPES.get(slug)
    if doctype is None or not applies_to(doctype, family):
        abort(404)
    if current_user.role not in doctype.issued_by:
        abort(403)
    refused = not_offered(doctype, family)
    if refused and request.method == "GET":
        # a form the family's page does not offer now, opened by its address: said, not shown
        # (a post is refused above its form, keeping what was typed; issuing refuses it too)
        flash(refused, "error")
        return redirect(url_for("families.show", family_id=family.id))
    form_cls = form_class(doctype)
    monthly = None  # the „Wypełnij z kart pracy” step of a monthly report: its month and message
    edit = row_edit(doctype, request.form) if request.method == "POST" else None
    if edit is not None:  # „Dodaj” or „Usuń” of a row without scripts: shown again, nothing checked
        form = form_cls(formdata=edit.formdata)
        if edit.grow:
            form.grow(edit.grow)
        fit_to_family(form, facts_of(family))
        form.offer_rows()  # a goal chosen by its words, among the goals typed (after validation)
        return render_template("document_form.html", doctype=doctype, form=form, paused=issuing_paused(),
                               family=family, left_out=left_out_for(doctype, family),
                               revising=revising(doctype, family),
                               action=url_for("families.issue_document", family_id=family.id, slug=slug))
    if request.method == "POST":
        form = form_cls()
        if slug in monthly_form.REPORTS:
            monthly = {"month": request.form.get("month", ""), "error": ""}
    else:
        # values the file knows; their shape is the API's, flattened by the API's own helper
        if slug in monthly_form.REPORTS:  # „Wypełnij z kart pracy” for ?month= (default: the last month)
            formdata, monthly = monthly_form.prefilled(doctype, current_user, family, request.args)
        else:
            formdata, _ = json_to_formdata(doctype, prefill_for(doctype, family))
        form = form_cls(formdata=formdata)
        log_access("view", "family", family.id, detail=f"formularz: {doctype.slug}", family_id=family.id)
    fit_to_family(form, facts_of(family))  # the family's own choices (its plan's goals)
    status, retry_after, paused = 200, None, issuing_paused()
    try:
        # What the file lacks for this type (an assignment, a plan, the monitoring) is said first,
        # on the form as it opens: a file without it leaves fields empty that the form would
        # otherwise report as missing, hiding the reason (families.lifecycle.check_needs).
        check_needs(doctype, family)
        lacking = None
    except IssueRefused as exc:
        lacking = exc
        _refusal_on(form, exc)
    if request.method == "POST" and lacking is not None:
        status = lacking.status
    elif request.method == "POST":
        status = refusal_status(form, paused)
        if status == 200:
            try:
                issued = issue(current_user, request_origin(), doctype, form.cleaned_data(), family=family)
            except ConversionError as exc:
                flash(str(exc), "error")
                status, retry_after = 503, exc.retry_after
            except IssuingPaused as exc:
                paused, status = str(exc), 409
            except IssueRefused as exc:  # the file does not allow it now, or changed meanwhile (409)
                _refusal_on(form, exc)
                status = exc.status
            except (AssignmentRefused, NotForThisFamily) as exc:
                if getattr(exc, "field", None) == "month":  # a monthly report's month without visit records
                    form.month.errors.append(str(exc))
                else:
                    flash(str(exc), "error")
                status = getattr(exc, "status", 422)
            else:
                flash(f"Dokument wystawiono i zarchiwizowano w sprawie {issued.record.case.sign}.", "success")
                return redirect(url_for("archive.document", doc_id=issued.record.id)
                                if current_user.role in READERS else url_for("families.show", family_id=family.id))
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    form.offer_rows()  # a goal chosen by its words, among the goals typed (after validation)
    return render_template("document_form.html", doctype=doctype, form=form, paused=paused, family=family,
                           left_out=left_out_for(doctype, family), monthly=monthly,
                           revising=revising(doctype, family),
                           action=url_for("families.issue_document", family_id=family.id, slug=slug)), status, headers

