"""Staff pages of signing: start (this device or another), watch, cancel, print for paper, attach a scan."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

from flask import (Blueprint, abort, current_app, flash, jsonify, make_response, redirect, render_template,
                   request, send_file, url_for)
from flask_login import current_user
from flask_wtf import FlaskForm

from signatures.qr import ScanError, qr_svg

from .. import pipeline
from ..archive.models import DocumentRecord
from ..issuing import MIMETYPES, visible_document
from ..office.models import get_profile
from ..security import READERS, allow, log_access
from ..uploads import UploadsBusy
from . import sessions
from .device_views import client, start_here
from .forms import ScanForm
from .models import SignedDocument, SigningSession, as_utc
from .pages import archived_pages
from .paper import attach_scan, print_copy, read_scan
from .sessions import SigningError

bp = Blueprint("signing", __name__)
# Who starts signing: the staff who prepare documents with families (the archivist files them).
SIGNING_STAFF = frozenset({"assistant", "social_worker", "head"})


def visible(doc_id: str) -> DocumentRecord:
    return visible_document(current_user, doc_id) or abort(404)


def session_of(doc: DocumentRecord, session_id: str) -> SigningSession:
    session = sessions.find_session(session_id)
    if session is None or session.document_id != doc.id:
        abort(404)
    return session


def link_for(code: str) -> str:
    """The short link of a code: what the QR code carries and what can be typed on the tablet."""
    return url_for("device.open_link", code=code, _external=True)


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
    minutes = current_app.config["SIGNING_HERE_MINUTES" if mode == "here" else "SIGNING_LINK_MINUTES"]
    try:
        session, secret = sessions.start(doc, current_user, mode, minutes=minutes, client=client())
    except SigningError as exc:
        flash(str(exc), "error")
        return redirect(url_for("archive.document", doc_id=doc.id))
    log_access("signing_start", "document", doc.id, detail=mode)
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
    log_access("signing_watch", "signing_session", session.id)
    response = make_response(render_template(
        "signing/handoff.html", doc=doc, session=session, link=link,
        code=sessions.format_code(code) if code else None, qr=qr_svg(link) if link else None,
        plan=sessions.plan_for(doc), cancel_form=FlaskForm(), started_here=session.created_by_id == current_user.id))
    response.headers["Cache-Control"] = "no-store"  # the one-time code is on it
    return response


@bp.route("/archive/<doc_id>/signing/<session_id>/status")
@allow(SIGNING_STAFF)
def status(doc_id: str, session_id: str):
    """The session's state as JSON, polled by the handoff page."""
    doc = visible(doc_id)
    return jsonify(session_json(session_of(doc, session_id)))


def session_json(session: SigningSession) -> dict:
    """A session's state, its signers and, once complete, the link to the signed PDF."""
    plan = sessions.plan_for(session.document)
    done = {s.position: s for s in session.signatures}
    state = session.state()
    body = {
        "id": session.id, "state": state, "state_label": session.state_label, "mode": session.mode,
        "created_at": _iso(session.created_at), "expires_at": _iso(session.expires_at),
        "link_opened": session.claimed_at is not None,
        "signers": [{"position": p.position + 1, "slot": p.slot, "role": p.role,
                     "name": done[p.position].signer_name if p.position in done else p.name,
                     "signed": p.position in done,
                     "signed_at": _iso(done[p.position].signed_at) if p.position in done else None,
                     "method": done[p.position].method if p.position in done else None} for p in plan],
        "signed_document": None,
    }
    result = result_of(session)
    if state == "complete" and result is not None:
        body["signed_document"] = {
            "id": result.id, "sha256": result.pdf_sha256, "size": result.pdf_size,
            "page": url_for("archive.document", doc_id=session.document_id, _external=True),
            "pdf": url_for("signing.signed_pdf", doc_id=session.document_id, signed_id=result.id,
                           _external=True)}
    return body


def result_of(session: SigningSession) -> SignedDocument | None:
    """The signed document a session produced, if any."""
    return next((v for v in session.document.signed_versions if v.session_id == session.id), None)


def _iso(moment: dt.datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None


@bp.route("/archive/<doc_id>/signing/<session_id>/cancel", methods=["POST"])
@allow(SIGNING_STAFF)
def cancel(doc_id: str, session_id: str):
    """Cancels an open session: its link stops working at once."""
    doc = visible(doc_id)
    session = session_of(doc, session_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        sessions.cancel(session, current_user, client())
    except SigningError as exc:
        flash(str(exc), "error")
    else:
        log_access("signing_cancel", "signing_session", session.id)
        flash("Podpisywanie anulowane – link przestał działać.", "success")
    return redirect(url_for("archive.document", doc_id=doc.id))


@bp.route("/archive/<doc_id>/print")
@allow(READERS)
def print_pdf(doc_id: str):
    """The document to print and sign on paper, with a QR code on every page identifying it."""
    doc = visible(doc_id)
    shown = pipeline(current_app).store.read(doc.pdf_sha256, "pdf")
    pdf = print_copy(doc, shown)
    log_access("print", "document", doc.id)
    return send_file(BytesIO(pdf), mimetype=MIMETYPES["pdf"], as_attachment=False,
                     download_name=f"{doc.case.sign}_{doc.slug}_do_podpisu.pdf".replace("/", "-"))


@bp.route("/scans", methods=["GET", "POST"])
@allow(READERS)
def upload_scan():
    """Attaches the scan of a paper-signed document: found from its QR code, or chosen by hand."""
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
    return render_template("signing/scan.html", form=form), status, headers


def _attach(form: ScanForm):
    """Reads the scan, finds its document, archives and seals it; None when the form shows an error."""
    try:
        scan = read_scan(form.file.data.read())
    except ScanError as exc:
        form.file.errors = [str(exc)]
        return None
    chosen = (form.document_id.data or "").strip().lower()
    if chosen and scan.found_ids and chosen not in scan.found_ids:
        form.document_id.errors = ["Kod QR na skanie wskazuje inny dokument niż wybrany – sprawdź skan."]
        return None
    candidates = [chosen] if chosen else scan.found_ids
    if not candidates:
        form.document_id.errors = ["Na skanie nie znaleziono czytelnego kodu QR – wpisz identyfikator dokumentu."]
        return None
    if len(set(candidates)) > 1:
        form.file.errors = ["Skan zawiera kody QR kilku różnych dokumentów – zeskanuj każdy dokument osobno."]
        return None
    doc = visible_document(current_user, candidates[0])
    if doc is None:
        form.document_id.errors = ["Nie ma takiego dokumentu albo nie masz do niego dostępu."]
        return None
    profile = get_profile()
    signed = attach_scan(doc, scan, current_user, pipe=pipeline(current_app), office_name=profile.name,
                         location=profile.town, client=client())
    log_access("scan_attach", "document", doc.id, detail=f"{signed.id} {'QR' if not chosen else 'ręcznie'}")
    flash(f"Skan dołączono do dokumentu „{doc.title}” ({doc.case.sign}) i opatrzono pieczęcią.", "success")
    return redirect(url_for("archive.document", doc_id=doc.id))


def signed_version(doc: DocumentRecord, signed_id: str) -> SignedDocument:
    return next((v for v in doc.signed_versions if v.id == signed_id), None) or abort(404)


@bp.route("/archive/<doc_id>/signed/<signed_id>.pdf")
@allow(READERS)
def signed_pdf(doc_id: str, signed_id: str):
    """A signed, sealed version of a document."""
    doc = visible(doc_id)
    version = signed_version(doc, signed_id)
    log_access("download", "signed_document", version.id)
    return send_file(pipeline(current_app).store.path(version.pdf_sha256, "pdf"), mimetype=MIMETYPES["pdf"],
                     download_name=f"{doc.case.sign}_{doc.slug}_podpisany.pdf".replace("/", "-"))


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
    log_access("download", "signed_document", version.id, detail="scan")
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
    return send_file(pages[number - 1], mimetype="image/png", max_age=0)
