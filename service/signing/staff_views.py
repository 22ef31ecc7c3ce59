"""Staff pages of signing: start (this device or another), watch, cancel, print for paper, attach a scan."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

from flask import (Blueprint, abort, current_app, flash, jsonify, make_response, redirect, render_template,
                   request, send_file, url_for)
from flask_login import current_user
from flask_wtf import FlaskForm

from signatures.qr import ScanError, qr_svg

from sqlalchemy.exc import IntegrityError

from .. import pipeline
from ..accounts.authenticate import Refused, authenticate
from ..archive.models import DocumentRecord
from ..extensions import db
from ..families.access import family_of_case
from ..issuing import MIMETYPES, visible_document
from ..office.models import get_profile
from ..security import READERS, allow, log_access, request_actor, request_origin
from ..uploads import UploadsBusy, too_large_message, too_large_page
from . import device, family, language, paper, scans, sessions, staged_scans
from .device_views import start_here, wait_message
from .forms import ConfirmScanForm, OwnStaffStepForm, ScanForm
from .models import SignedDocument, SigningSession
from .pages import archived_pages
from .paper import current_version, print_copy, version_of
from .progress import session_progress
from .sessions import SessionClosed, SigningError, link_for
from .staff import SIGNING_STAFF, cancel_signing, new_family_link, start_signing
from .plan import titled_role
from .trail import role_name

bp = Blueprint("signing", __name__)


def visible(doc_id: str) -> DocumentRecord:
    return visible_document(current_user, doc_id) or abort(404)


def session_of(doc: DocumentRecord, session_id: str) -> SigningSession:
    session = sessions.find_session(session_id)
    if session is None or session.document_id != doc.id:
        abort(404)
    return session


@bp.route("/archive/<doc_id>/signing", methods=["POST"])
@allow(SIGNING_STAFF)
def start(doc_id: str):
    """Starts signing: on this device (locked to the document) or on another one (QR code and link)."""
    doc = visible(doc_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    mode = request.form.get("mode")
    if mode not in ("here", "remote"):
        abort(400)
    try:
        session, secret = start_signing(doc, request_actor(), request_origin(), mode)
    except SigningError as exc:
        flash(str(exc), "error")
        return redirect(url_for("archive.document", doc_id=doc.id))
    if mode == "here":
        return start_here(session, secret)
    # The code stays in the session row (encrypted) for this staff member's handoff page, never in
    # their session cookie (sessions.link_code).
    return redirect(url_for("signing.handoff", doc_id=doc.id, session_id=session.id))


@bp.route("/archive/<doc_id>/signing/<session_id>")
@allow(SIGNING_STAFF)
def handoff(doc_id: str, session_id: str):
    """The QR code and the short link for another device, and the progress of signing.

    The link and its code are shown only to the staff member who started the session, while no
    device has claimed it (sessions.link_code); the page is never stored by the browser."""
    doc = visible(doc_id)
    session = session_of(doc, session_id)
    code = sessions.link_code(session, current_user)
    link = link_for(code) if code else None
    log_access("signing_watch", "signing_session", session.id, family_id=family_of_case(doc.case_id))
    response = make_response(render_template(
        "signing/handoff.html", doc=doc, session=session, link=link,
        code=sessions.format_code(code) if code else None, qr=qr_svg(link) if link else None,
        plan=sessions.plan_for(doc), cancel_form=FlaskForm(), started_here=session.created_by_id == current_user.id))
    return response  # no-store (the one-time code is on it), as every answer: service.headers


@bp.route("/archive/<doc_id>/signing/<session_id>/status")
@allow(SIGNING_STAFF)
def status(doc_id: str, session_id: str):
    """The session's state as JSON, polled by the handoff page."""
    doc = visible(doc_id)
    body = session_progress(session_of(doc, session_id))
    result = body["signed_document"]
    if result is not None:  # complete: the links to its page and the signed PDF
        result["page"] = url_for("archive.document", doc_id=doc.id, _external=True)
        result["pdf"] = url_for("signing.signed_pdf", doc_id=doc.id, signed_id=result["id"], _external=True)
    return jsonify(body)


@bp.route("/archive/<doc_id>/signing/<session_id>/cancel", methods=["POST"])
@allow(SIGNING_STAFF)
def cancel(doc_id: str, session_id: str):
    """Cancels an open session: its link stops working at once."""
    doc = visible(doc_id)
    session = session_of(doc, session_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        cancel_signing(session, request_actor(), request_origin())
    except SigningError as exc:
        flash(str(exc), "error")
    else:
        flash("Podpisywanie anulowane – link przestał działać.", "success")
    return redirect(url_for("archive.document", doc_id=doc.id))


ALREADY_SIGNED = "Ten podpis został już złożony – z innego miejsca albo drugim kliknięciem."
# a staff member's words for a session that ended before their step (the device's are the family's)
ENDED = {"complete": "Dokument jest już podpisany – wszystkie podpisy zostały złożone.",
         "expired": "Czas na podpisanie minął i podpisywanie wygasło – podpis nie został złożony. "
                    "Podpisywanie trzeba rozpocząć ponownie.",
         "cancelled": "Podpisywanie anulowano – podpis nie został złożony.",
         "paper": "Rodzina wybrała podpis na papierze – podpisywanie na urządzeniu zakończono."}
WRONG_PASSWORD = "Nieprawidłowe hasło – podpis nie został złożony."


@bp.route("/archive/<doc_id>/signing/<session_id>/moj-podpis", methods=["GET", "POST"])
@allow(SIGNING_STAFF)
def own_step(doc_id: str, session_id: str):
    """A staff step signed from the staff member's own logged-in session, with their password: the
    head accepts at her desk what the assistant signed on her device.

    Who may: a staff member who may read the document (else 404) and whose role is the role of the
    step the open session waits at, as on the device (sessions.staff_step_for, may_sign_staff_step);
    anyone else 403. The signature is given as on the device (device.give_signature: the same
    evidence, method „staff_password”, and after the last step the sealed signed version archived);
    the same step signed from two places gives one signature (the unique step, steps.sign)."""
    doc = visible(doc_id)
    session = session_of(doc, session_id)
    sessions.end_if_starter_left(session)
    if session.state() not in ("waiting", "partly_signed"):
        state = "paper" if session.paper_requested_at is not None else session.state()
        flash(ENDED.get(state, ENDED["cancelled"]), "info")
        return redirect(url_for("archive.document", doc_id=doc.id), 303)
    plan = sessions.plan_for(doc)
    step = sessions.staff_step_for(current_user, session, plan)
    if step is None:
        if request.method == "POST" and sessions.next_step(session, plan) is None:
            flash(ALREADY_SIGNED, "info")  # every step is given: the seal is being applied
            return redirect(url_for("archive.document", doc_id=doc.id), 303)
        abort(403)  # the session waits at another person's step
    form = OwnStaffStepForm(position=str(step.position))
    family_id = family_of_case(doc.case_id)
    if request.method == "POST" and form.validate_on_submit():
        if form.position.data != str(step.position):  # the page's step was signed meanwhile
            flash(ALREADY_SIGNED, "info")
            return redirect(url_for("archive.document", doc_id=doc.id), 303)
        role = role_name(step.staff_role, get_profile().head_title)
        try:  # the one check of a password (throttled, logged), with the device's rule for the step
            staff = authenticate(current_user.login, form.password.data, where="podpis pracownika (własna sesja)",
                                 roles={step.staff_role}, refusal=WRONG_PASSWORD,
                                 may=lambda user: sessions.may_sign_staff_step(user, session))
        except Refused as exc:
            form.password.errors = [wait_message(exc.until) if exc.until else exc.message]
        else:
            try:
                signed = device.give_signature(session, step, plan, request_actor(), request_origin(),
                                               captured=None, staff=staff, language=language.current())
            except IntegrityError:  # the same step, signed a moment earlier elsewhere
                db.session.rollback()
                flash(ALREADY_SIGNED, "info")
                return redirect(url_for("archive.document", doc_id=doc.id), 303)
            except SessionClosed as exc:
                flash(f"{exc.title}. {exc}", "error")
                return redirect(url_for("archive.document", doc_id=doc.id), 303)
            if signed.result is not None:
                flash(f"Podpis złożony ({role}). Dokument jest podpisany – podpisana wersja została opatrzona "
                      "pieczęcią i zarchiwizowana.", "success")
            else:
                upcoming = sessions.next_step(session, plan)
                who = (upcoming.name or f"pracownik ośrodka – {titled_role(upcoming, get_profile().head_title)}"
                       if upcoming else "")
                flash(f"Podpis złożony ({role}). Teraz podpisuje: {who}.", "success")
            return redirect(url_for("archive.document", doc_id=doc.id), 303)
    if request.method == "GET":
        log_access("signing_view", "signing_session", session.id, detail=f"krok {step.position + 1}",
                   family_id=family_id)
    return render_template("signing/own_step.html", doc=doc, session=session, plan=plan, step=step, form=form,
                           role_label=role_name(step.staff_role, get_profile().head_title)), \
        (422 if request.method == "POST" else 200)


@bp.route("/archive/<doc_id>/print")
@allow(READERS)
def print_pdf(doc_id: str):
    """The document to print and sign on paper, with a QR code on every page identifying it."""
    doc = visible(doc_id)
    shown = pipeline(current_app).store.read(doc.pdf_sha256, "pdf")
    pdf = print_copy(doc, shown)
    log_access("print", "document", doc.id, family_id=family_of_case(doc.case_id))
    return send_file(BytesIO(pdf), mimetype=MIMETYPES["pdf"], as_attachment=False,
                     download_name=f"{doc.case.sign}_{doc.slug}_do_podpisu.pdf".replace("/", "-"))


@bp.route("/scans", methods=["GET", "POST"])
@allow(READERS)
def upload_scan():
    """Upload of a paper-signed document's scan: found from its QR code or chosen by hand, then checked
    for signatures and shown for confirmation (nothing is archived here)."""
    form = ScanForm(document_id=request.args.get("document", ""))
    status, headers = (422 if request.method == "POST" else 200), {}
    if form.validate_on_submit():
        try:
            result = _attach(form)
        except UploadsBusy as exc:  # every slot for reading uploads is taken: the form stays as typed
            form.file.errors = [str(exc)]
            status, headers = 503, {"Retry-After": str(exc.retry_after)}
        else:
            if result is not None:
                return result
    chosen = visible_document(current_user, (form.document_id.data or "").strip().lower()) \
        if form.document_id.data and not form.document_id.errors else None
    in_force = current_version(chosen) if chosen else None
    if in_force is not None:
        log_access("view", "document", chosen.id, detail="skan: dokument już podpisany",
                   family_id=family_of_case(chosen.case_id))
    return render_template("signing/scan.html", form=form, signed_doc=chosen if in_force else None,
                           in_force=in_force), status, headers


@bp.errorhandler(413)
def upload_too_large(exc):
    """A scan over MAX_CONTENT_LENGTH: the upload form again, 413, with the message at the file's field
    and in the error summary, not a dead-end error page. The body was never read, so only the document
    chosen by the address (?document=) is kept. Other pages of the blueprint, and anyone who may not
    upload scans (the check runs before the view's own), get the general page."""
    if request.endpoint != "signing.upload_scan" or not (
            current_user.is_authenticated and current_user.role in READERS):
        return too_large_page()
    form = ScanForm(formdata=None, document_id=request.args.get("document", ""))
    form.file.errors = [too_large_message()]
    return render_template("signing/scan.html", form=form, signed_doc=None, in_force=None), 413


def _attach(form: ScanForm):
    """Checks the uploaded scan and keeps it for confirmation (scans.check_upload).

    Returns a redirect to the confirmation page, the refusal page (422: places empty or pages not
    found, named), or None when the upload form shows an error at its field. Nothing is archived here.
    """
    try:
        doc, staged = scans.check_upload(form.file.data.read(), (form.document_id.data or "").strip().lower(),
                                         request_actor(), request_origin())
    except scans.UploadProblem as exc:
        getattr(form, exc.field).errors = [str(exc)]
        return None
    if staged.ok:
        return redirect(url_for("signing.confirm_scan", token=staged.token), 303)
    return _confirmation(doc, staged, ConfirmScanForm(), status=422)


def _confirmation(doc: DocumentRecord, staged: staged_scans.StagedScan, form: ConfirmScanForm, status: int = 200):
    """The confirmation page: the scanned pages with their places marked, and the confirm form if allowed."""
    in_force = current_version(doc)
    if not form.is_submitted():
        form.replaces.data = in_force.id if in_force else ""
    form.reason.flags.required = in_force is not None  # a replacement needs its reason (marked with *)
    response = make_response(render_template(
        "signing/scan_confirm.html", doc=doc, staged=staged, form=form, in_force=in_force,
        expires_at=dt.datetime.fromtimestamp(staged.created_at, dt.timezone.utc)
        + dt.timedelta(minutes=current_app.config["SCAN_STAGING_MINUTES"]),
        drop_form=FlaskForm()), status)
    return response


def _staged_or_redirect(token: str):
    """The current user's staged scan and its document, or a redirect to the upload form (expired, unknown)."""
    staged = staged_scans.load(token, current_user.id)
    doc = visible_document(current_user, staged.document_id) if staged else None
    if staged is None or doc is None:
        flash("Nie ma takiego sprawdzonego skanu albo minął czas na jego zatwierdzenie – wgraj skan ponownie.",
              "error")
        return None, None, redirect(url_for("signing.upload_scan"))
    return staged, doc, None


@bp.route("/scans/<token>", methods=["GET", "POST"])
@allow(READERS)
def confirm_scan(token: str):
    """The checked scan for confirmation; «Zatwierdź i opatrz pieczęcią» (or, for a signed document,
    «Zastąp podpisaną wersję» with a reason) archives and seals it.

    The steps cannot be skipped or reordered (OWASP ASVS 4.0.3, 11.1.1): only a scan this staff
    member uploaded and the service checked can be confirmed, and it is checked again on the same
    bytes before sealing; the version in force is compared under the document's lock when storing
    (11.1.6, no time-of-check to time-of-use gap).
    """
    staged, doc, gone = _staged_or_redirect(token)
    if gone is not None:
        return gone
    form = ConfirmScanForm()
    if request.method == "GET":
        log_access("scan_preview", "document", doc.id, detail=staged.token[:8], family_id=family_of_case(doc.case_id))
        return _confirmation(doc, staged, form)
    if not form.validate_on_submit():
        return _confirmation(doc, staged, form, status=422)
    if not staged.ok:  # the page offers no button; a crafted post gets the same refusal
        return _confirmation(doc, staged, form, status=422)
    in_force = current_version(doc)
    if _already_attached(staged, in_force):
        return _attached_meanwhile(doc, staged)
    if (form.replaces.data or "") != (in_force.id if in_force else ""):
        form.replaces.data = in_force.id if in_force else ""
        form.reason.errors = [paper.CHANGED]
        return _confirmation(doc, staged, form, status=422)
    reason = (form.reason.data or "").strip()
    if in_force is not None and not reason:
        form.reason.errors = ["Podaj powód zastąpienia podpisanej wersji – bez niego nie można jej zastąpić."]
        return _confirmation(doc, staged, form, status=422)
    try:
        # checked again, on the same file: what is sealed is what was checked, whatever the folder held
        signed = scans.confirm(staged, doc, request_actor(), request_origin(), replaces=in_force,
                               reason=reason or None)
    except (ScanError, paper.ScanRefused, OSError) as exc:
        # a click that lost to another one of the same scan: its staged files may be gone already
        db.session.rollback()
        if _already_attached(staged, current_version(doc)):
            return _attached_meanwhile(doc, staged)
        if isinstance(exc, OSError):
            raise
        form.reason.errors = [str(exc)]
        return _confirmation(doc, staged, form, status=422)
    except UploadsBusy as exc:  # every slot for reading uploads is taken: confirm again shortly
        form.reason.errors = [str(exc)]
        response = _confirmation(doc, staged, form, status=503)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    what = "zastąpił podpisaną wersję dokumentu" if in_force else "dołączono do dokumentu"
    flash(f"Skan {what} „{doc.title}” ({doc.case.sign}) i opatrzono go pieczęcią.", "success")
    return redirect(url_for("archive.document", doc_id=doc.id), 303)


def _already_attached(staged: staged_scans.StagedScan, in_force) -> bool:
    """True when the signed version in force was made from this very file (a second click of «Zatwierdź»)."""
    return bool(in_force is not None and staged.scan_sha256 and in_force.scan_sha256 == staged.scan_sha256)


def _attached_meanwhile(doc: DocumentRecord, staged: staged_scans.StagedScan):
    """The answer to a confirmation of a scan the version in force already holds: no replacement is
    offered (it would be the same file), the staged copy is dropped, the document page is shown."""
    staged_scans.discard(staged)
    flash("Ten skan został już dołączony do dokumentu.", "info")
    return redirect(url_for("archive.document", doc_id=doc.id), 303)


@bp.route("/scans/<token>/strona/<int:number>.jpg")
@allow(READERS)
def scan_preview(token: str, number: int):
    """One page of a staged scan, with its checked places marked (only for the staff member who sent it)."""
    staged = staged_scans.load(token, current_user.id)
    path = staged.preview(number) if staged else None
    if path is None or visible_document(current_user, staged.document_id) is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    return response


@bp.route("/scans/<token>/drop", methods=["POST"])
@allow(READERS)
def drop_scan(token: str):
    """Drops a staged scan without archiving anything. A scan of a document this staff member may no
    longer see (its family was reassigned meanwhile) is answered as an unknown one: it expires."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    staged = staged_scans.load(token, current_user.id)
    if staged is not None:
        scans.drop(staged, request_actor(), request_origin())
        flash("Skan odrzucono – nic nie zostało zarchiwizowane.", "info")
    return redirect(url_for("signing.upload_scan"), 303)


def signed_version(doc: DocumentRecord, signed_id: str) -> SignedDocument:
    return version_of(doc, signed_id) or abort(404)


@bp.route("/archive/<doc_id>/signed/<signed_id>.pdf")
@allow(READERS)
def signed_pdf(doc_id: str, signed_id: str):
    """A signed, sealed version of a document."""
    doc = visible(doc_id)
    version = signed_version(doc, signed_id)
    log_access("download", "signed_document", version.id, family_id=family_of_case(doc.case_id))
    return send_file(pipeline(current_app).store.path(version.pdf_sha256, "pdf"), mimetype=MIMETYPES["pdf"],
                     download_name=f"{doc.case.sign}_{doc.slug}_podpisany.pdf".replace("/", "-"))


@bp.route("/archive/<doc_id>/signed/<signed_id>/kopia-dla-rodziny.pdf")
@allow(READERS)
def print_family_copy(doc_id: str, signed_id: str):
    """The signed version to print for the family („Drukuj kopię dla rodziny”): shown in the browser,
    whose print dialog prints it; logged as a print of that version."""
    doc = visible(doc_id)
    version = signed_version(doc, signed_id)
    if not family.for_family(doc.slug):
        return _not_for_family(doc)
    log_access("print", "signed_document", version.id, detail="kopia dla rodziny",
               family_id=family_of_case(doc.case_id))
    return send_file(pipeline(current_app).store.path(version.pdf_sha256, "pdf"), mimetype=MIMETYPES["pdf"],
                     as_attachment=False, download_name="kopia-dla-rodziny.pdf")


@bp.route("/archive/<doc_id>/kopia-dla-rodziny", methods=["GET", "POST"])
@allow(SIGNING_STAFF)
def family_copy(doc_id: str):
    """The family's one-time link to the signed version in force, with its QR code (GET), and a new
    link (POST: the earlier one stops working at once). For a document with no signed version: 404."""
    doc = visible(doc_id)
    version = current_version(doc) or abort(404)
    if not family.for_family(doc.slug):
        return _not_for_family(doc)
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        new_family_link(version, request_actor(), request_origin())
        flash("Wydano nowy link dla rodziny – poprzedni przestał działać.", "success")
        return redirect(url_for("signing.family_copy", doc_id=doc.id), 303)
    copy = family.active_for(doc)
    code = family.code_of(copy) if copy is not None else None
    link = family.link_for(code) if code else None
    log_access("family_copy_view", "signed_document", version.id, detail=f"link {copy.id}" if copy else "brak",
               family_id=family_of_case(doc.case_id))
    return render_template("signing/family_copy.html", doc=doc, version=version, copy=copy if link else None,
                           link=link, code=family.format_code(code) if code else None,
                           qr=qr_svg(link, scale=5) if link else None, issue_form=FlaskForm())


def _not_for_family(doc: DocumentRecord):
    """The family's copy of a document no family member signs, asked for by its address: said on
    the document's page (its section is not offered there)."""
    flash(family.NOT_FOR_FAMILY, "error")
    return redirect(url_for("archive.document", doc_id=doc.id), 303)


def document_context(doc: DocumentRecord) -> dict:
    """What the document page shows of signing: the signed version in force, whether the family
    gets its copy (a family member signs the type: family.for_family) and its usable link (if
    any), the open sessions and the steps of them the logged-in staff member may sign from their
    own session, for service/templates/document.html."""
    for_family = family.for_family(doc.slug)
    open_sessions = sessions.open_sessions(doc)
    plan = sessions.plan_for(doc)
    return {"in_force": current_version(doc), "for_family": for_family,
            "family_copy": family.active_for(doc) if for_family and doc.signed_versions else None,
            "open_sessions": open_sessions, "cancel_form": FlaskForm(),
            # the steps the logged-in staff member may sign from here (own_step), by session id
            "own_steps": {s.id: step for s in open_sessions
                          if (step := sessions.staff_step_for(current_user, s, plan)) is not None}}


@bp.route("/archive/<doc_id>/signed/<signed_id>/scan")
@allow(READERS)
def scan_file(doc_id: str, signed_id: str):
    """The scan file as uploaded (kept beside its sealed PDF), only ever as a download.

    The upload is untrusted (a PDF may carry JavaScript or actions): it is sent as opaque bytes
    that the browser saves and never shows or runs — application/octet-stream, nosniff, an
    attachment, and a sandbox CSP should a browser render it anyway (OWASP ASVS 4.0.3 V12.5.2,
    V14.4.2). What is shown for the version is its sealed PDF, rebuilt from the scan's page images.
    """
    doc = visible(doc_id)
    version = signed_version(doc, signed_id)
    if not version.scan_sha256:
        abort(404)
    log_access("download", "signed_document", version.id, detail="scan", family_id=family_of_case(doc.case_id))
    response = send_file(pipeline(current_app).store.path(version.scan_sha256, version.scan_ext),
                         mimetype="application/octet-stream", as_attachment=True,
                         download_name=f"skan_{doc.id[:8]}_oryginal.{version.scan_ext}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"  # service/headers.py adds it to the policy
    return response


@bp.route("/archive/<doc_id>/signed/<signed_id>/strona/<int:number>.png")
@allow(READERS)
def signed_page(doc_id: str, signed_id: str, number: int):
    """One page of a signed version, for looking at it in the browser."""
    doc = visible(doc_id)
    version = signed_version(doc, signed_id)
    pages = archived_pages(version.pdf_sha256)
    if not 1 <= number <= len(pages):
        abort(404)
    # a page of a signed document is a read of the family's file as the PDF is (one row per page shown)
    log_access("view_page", "signed_document", version.id, detail=f"strona {number}",
               family_id=family_of_case(doc.case_id))
    return send_file(pages[number - 1], mimetype="image/png", max_age=0)
