"""The API of signing: start a session for another device, its state, the signed PDF, the QR image."""
from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, jsonify, send_file, url_for
from flask_login import current_user

from signatures.qr import qr_png

from .. import pipeline
from ..archive.models import DocumentRecord
from ..extensions import db
from ..families.access import family_of_case
from ..issuing import MIMETYPES, visible_document
from ..security import READERS, allow, log_access, request_actor, request_origin
from ..signing import sessions
from ..signing.models import SigningSession, as_utc
from ..signing.paper import version_of
from ..signing.progress import session_progress
from ..signing.sessions import link_for
from ..signing import staff as staff_signing
from ..signing.staff import SIGNING_STAFF
from .views import bp


def session_json(session: SigningSession) -> dict:
    """A session's state and signers (signing.progress) and, once complete, the API's links to its
    document and signed PDF; the shape is responses.SCHEMAS["SigningSession"]."""
    body = session_progress(session)
    result = body["signed_document"]
    if result is not None:
        result["page"] = url_for("api.get_document", doc_id=session.document_id, _external=True)
        result["pdf"] = url_for("api.signed_pdf", doc_id=session.document_id, signed_id=result["id"], _external=True)
    return body


def signing_json(doc: DocumentRecord) -> dict:
    """The latest signing session of a document and its signed versions, with API links."""
    latest = max(doc_sessions(doc), key=lambda s: s.created_at, default=None)
    state = session_json(latest) if latest else None
    versions = [{"id": v.id, "kind": v.kind, "created_at": as_utc(v.created_at).isoformat(), "sha256": v.pdf_sha256,
                 "size": v.pdf_size, "signers": v.signers,
                 "pdf": url_for("api.signed_pdf", doc_id=doc.id, signed_id=v.id, _external=True),
                 # a later version names the one it replaces; the older one's PDF never changes
                 "replaces": v.replaces_id, "replace_reason": v.replace_reason,
                 "replaced_by": {"id": v.replaced_by.id, "created_at": as_utc(v.replaced_by.created_at).isoformat(),
                                 "reason": v.replaced_by.replace_reason} if v.replaced_by else None}
                for v in doc.signed_versions]
    return {"signers_planned": len(sessions.plan_for(doc)), "session": state, "signed_versions": versions,
            "signed_pdf": next((v["pdf"] for v in reversed(versions) if v["replaced_by"] is None), None)}


def doc_sessions(doc: DocumentRecord) -> list[SigningSession]:
    """Every signing session of a document."""
    return list(db.session.execute(db.select(SigningSession).where(
        SigningSession.document_id == doc.id)).scalars())


@bp.route("/documents/<doc_id>/signing", methods=["POST"])
@allow(SIGNING_STAFF)
def start_signing(doc_id: str):
    """Starts signing on another device: 201 with the one-time link, its code and a QR image link.

    The code is in this answer only (marked no-store, OWASP ASVS 4.0.3, 8.2.1); 409 with a Polish
    error when the document cannot be signed."""
    doc = visible_document(current_user, doc_id) or abort(404)
    try:
        session, code = staff_signing.start_signing(doc, request_actor(), request_origin(), "remote")
    except sessions.SigningError as exc:
        return jsonify(error=str(exc)), 409
    body = session_json(session)
    body.update(link=link_for(code), code=sessions.format_code(code),
                qr=url_for("api.signing_qr", code=code, _external=True),
                document=url_for("api.get_document", doc_id=doc.id, _external=True))
    return jsonify(body), 201, {"Location": body["document"]}


@bp.route("/signing-links/<code>/qr.png")
@allow(SIGNING_STAFF)
def signing_qr(code: str):
    """The QR code of a one-time link, as a PNG (only for staff who may see the document), while
    the link can still be opened: 404 once a device has claimed it or the session has ended."""
    try:
        session = sessions.by_code(code)
        sessions.ensure_open(session)
    except sessions.SessionClosed:
        abort(404)
    if session.claimed_at is not None or visible_document(current_user, session.document_id) is None:
        abort(404)
    response = send_file(BytesIO(qr_png(link_for(sessions.normalize_code(code)))), mimetype="image/png")
    return response


@bp.route("/documents/<doc_id>/signed/<signed_id>.pdf")
@allow(READERS)
def signed_pdf(doc_id: str, signed_id: str):
    """A signed, sealed version of a document."""
    version = version_of(visible_document(current_user, doc_id) or abort(404), signed_id) or abort(404)
    log_access("download", "signed_document", version.id, detail="api")
    return send_file(pipeline(current_app).store.path(version.pdf_sha256, "pdf"), mimetype=MIMETYPES["pdf"],
                     download_name=f"{doc_id}-podpisany.pdf")
