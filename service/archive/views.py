"""The archive pages: the list of issued documents, one document, its files, and seal checks."""
from __future__ import annotations

import datetime as dt
import hashlib

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from sqlalchemy import select

from .. import office_seal, pipeline
from ..accounts.models import User
from ..documents.context import polish_date
from ..documents.display import Link, data_rows
from ..documents.registry import DOCUMENT_TYPES
from ..documents.text import normalize_identifier
from ..extensions import db
from ..issuing import MIMETYPES, visible_document, visible_documents
from ..security import ANY_STAFF, READERS, allow, log_access
from ..signing.pages import archived_pages
from ..signing.sessions import plan_for
from ..signing.staff_views import SIGNING_STAFF, document_context
from ..uploads import UploadRefused, UploadsBusy, too_large_message, too_large_page
from ..families.models import Case
from ..families.access import family_of_case, visible_family
from .models import DocumentRecord
from .verify import verify_document

bp = Blueprint("archive", __name__)
PAGE = 50


def get_visible(doc_id: str) -> DocumentRecord:
    """The document if this user may see it; 404 otherwise (its existence is not revealed)."""
    return visible_document(current_user, doc_id) or abort(404)


def _date_arg(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/archive")
@allow(READERS)
def index():
    """The archive list, filtered by type, case sign, author and date."""
    query = visible_documents(current_user)
    slug = request.args.get("type", "")
    sign = normalize_identifier(request.args.get("case", ""))
    since, until = _date_arg("from"), _date_arg("to")
    if slug:
        query = query.where(DocumentRecord.slug == slug)
    if sign:
        query = query.where(Case.sign.contains(sign))
    if since:
        query = query.where(DocumentRecord.created_at >= dt.datetime.combine(since, dt.time.min))
    if until:
        query = query.where(DocumentRecord.created_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    page = max(request.args.get("page", 1, type=int), 1)
    docs = db.session.execute(query.order_by(DocumentRecord.created_at.desc())
                              .limit(PAGE + 1).offset((page - 1) * PAGE)).scalars().all()
    log_access("list", "archive", detail=request.query_string.decode()[:300])
    return render_template("archive.html", docs=docs[:PAGE], has_more=len(docs) > PAGE, page=page,
                           types=list(DOCUMENT_TYPES), filters=request.args)


@bp.route("/archive/<doc_id>")
@allow(READERS)
def document(doc_id: str):
    """One document's metadata, files and seal status."""
    doc = get_visible(doc_id)
    log_access("view", "document", doc.id, family_id=family_of_case(doc.case_id))
    doctype = DOCUMENT_TYPES.get(doc.slug)
    preview_pages = 0
    if doc.signed_versions:  # the latest signed version is shown page by page
        preview_pages = len(archived_pages(doc.signed_versions[-1].pdf_sha256))
    family_id = family_of_case(doc.case_id)
    # the family's file this document belongs to, when the reader may open it (the archivist may
    # not); a case without a family (an assistant's time reports) is reached through the archive
    family = visible_family(current_user, family_id) if family_id is not None else None
    return render_template("document.html", doc=doc, doctype=doctype, plan=plan_for(doc), family=family,
                           replaced_by=_replaced_by(doc, doctype),
                           data_rows=data_rows(doctype, doc.data, refer=_refer, name_of=_staff_name) if doctype else None,
                           preview_pages=preview_pages, may_sign=current_user.role in SIGNING_STAFF,
                           start_form=FlaskForm(), **document_context(doc))


def _staff_name(login: str) -> str | None:
    """The full name of the staff member with this login (a document's assistant_login), or None
    (no such account, or one that names nobody): the page then shows the login as stored."""
    user = db.session.execute(select(User).where(User.login == login)).scalar_one_or_none()
    return user.full_name if user is not None and user.full_name else None


def _replaced_by(doc: DocumentRecord, doctype) -> Link | None:
    """The revision that replaced this document (a later work plan naming it in `replaces`), as a
    Link, or None: the document is in force, or its type is not revised (DocumentType.revises)."""
    if doctype is None or not doctype.revises:
        return None
    later = db.session.execute(visible_documents(current_user).where(
        DocumentRecord.case_id == doc.case_id, DocumentRecord.slug == doc.slug,
        DocumentRecord.id != doc.id)).scalars()
    newer = next((d for d in later if (d.data or {}).get("replaces") == doc.id), None)
    return _refer(newer.id) if newer is not None else None


def _refer(doc_id: str) -> Link | None:
    """Another document named in this one's data (a plan replaced or assessed, a report's visit
    records) as „Plan pracy z rodziną z 27 listopada 2026 r. (Asysta 6c2ea3e5)” with its page, if
    the reader may see it; None otherwise (display.data_rows then shows the identifier)."""
    other = visible_document(current_user, doc_id)
    if other is None:
        return None
    doctype = DOCUMENT_TYPES.get(other.slug)
    # the day the document speaks of (a plan's date, a visit's date), else the day it was issued
    names = ([doctype.date_field] if doctype and doctype.date_field else []) + [
        f.name for f in (doctype.fields if doctype else ()) if getattr(f, "kind", "") == "date"]
    day = next((other.data.get(n) for n in names if (other.data or {}).get(n)), None)
    try:
        when = polish_date(day) if day else polish_date(other.created_at.date())
    except (TypeError, ValueError):  # a stored value that is not an ISO date: the day
        when = polish_date(other.created_at.date())
    return Link(f"{other.title} z {when} ({other.doc_ref})", url_for("archive.document", doc_id=other.id))


@bp.route("/archive/<doc_id>/<any(pdf, docx):kind>")
@allow(READERS)
def download(doc_id: str, kind: str):
    """A document's archived PDF or DOCX; every download is logged."""
    doc = get_visible(doc_id)
    digest = doc.pdf_sha256 if kind == "pdf" else doc.docx_sha256
    path = pipeline(current_app).store.path(digest, kind)
    log_access("download", "document", doc.id, detail=kind, family_id=family_of_case(doc.case_id))
    name = f"{doc.case.sign}_{doc.slug}.{kind}".replace("/", "-")
    return send_file(path, mimetype=MIMETYPES[kind], as_attachment=True, download_name=name)


class VerifyForm(FlaskForm):
    file = FileField("Plik PDF", [FileRequired("Wybierz plik PDF do sprawdzenia.")])


@bp.errorhandler(413)
def upload_too_large(exc):
    """A PDF over MAX_CONTENT_LENGTH sent to the seal check: its form again, 413, with the message at
    the file's field; any other page of the blueprint, or a request without a staff login, gets the
    general page."""
    if request.endpoint != "archive.verify" or not current_user.is_authenticated:
        return too_large_page()
    form = VerifyForm(formdata=None)
    form.file.errors = [too_large_message()]
    return render_template("verify.html", form=form, result=None, details=None), 413


@bp.route("/verify", methods=["GET", "POST"])
@allow(ANY_STAFF)
def verify():
    """Upload a PDF: does it carry an intact seal of this office, and is it in the archive?

    The file is parsed in a limited child process (service.uploads): a file that cannot be checked
    within the limits gets a message at its field (422); when every reader is busy, 503 with
    Retry-After and the message at the field.
    """
    form = VerifyForm()
    result, details, status, headers = None, None, 200, {}
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            result = verify_document(data, office_seal(current_app))
        except UploadsBusy as exc:
            form.file.errors = [str(exc)]
            status, headers = 503, {"Retry-After": str(exc.retry_after)}
        except UploadRefused as exc:
            form.file.errors = [str(exc)]
            status = 422
            log_access("verify", "file", hashlib.sha256(data).hexdigest(), detail=f"przerwano: {exc}"[:300])
        else:
            # Who sees whom: the archive's title, case sign and id of the file only for staff who may
            # read that document (its reading logged for its family); anyone else learns only that
            # the archive holds the file, which the seal already vouches for.
            doc = result.document
            readable = doc is not None and visible_document(current_user, doc.id) is not None
            details = result.archived_as if readable else None
            log_access("verify", "file", result.sha256[:64], detail=result.report.summary_pl[:300],
                       family_id=family_of_case(doc.case_id) if readable else None)
    elif request.method == "POST":
        status = 422
    return render_template("verify.html", form=form, result=result, details=details), status, headers
