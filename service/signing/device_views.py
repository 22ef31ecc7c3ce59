"""The signing page on the tablet: opened by a one-time link or handed over by a staff member.

Who may use these routes: only the browser holding the session's device cookie (set when the link
was first opened, or when a staff member started signing on this device), and only while the
session is open. No staff login is needed: the family member holding the tablet has none.

The device's access ends with its session (OWASP ASVS 4.0.3, 3.3.1 and 4.2.1): once the session is
complete, cancelled or expired, every address of it answers the clear 410 page, never the PDF or
the page images, whoever sends the cookie; the cookie's Max-Age ends with the session and the first
answer after its end deletes it. A device locked to one session (KIOSK) shows nothing else, and
binding a browser to a session removes the cookies of its earlier ones. Nothing a device is shown is
stored by the browser or a proxy (Cache-Control: no-store; ASVS 8.2.1).
"""
from __future__ import annotations

import json

from flask import (Blueprint, abort, current_app, flash, make_response, redirect, render_template, request,
                   send_file, session as web_session, url_for)
from flask_babel import force_locale, gettext as _, lazy_gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from signatures import capture
from signatures.capture import SignatureRejected, check_signature, decode_data_url
from signatures.qr import qr_svg

from .. import pipeline
from ..config import ROOT
from ..accounts import throttle
from ..accounts.authenticate import Refused, authenticate
from ..accounts.models import User
from ..documents.registry import DOCUMENT_TYPES
from ..i18n import N_
from ..issuing import MIMETYPES
from ..office.models import get_profile
from ..security import log_access, request_actor, request_origin, signing_device
from . import device, family, language, sessions
from .forms import CodeForm, LeaveForm, SignStepForm, StaffStepForm
from .models import SigningSession
from .pages import archived_pages
from .sessions import SessionClosed
from .plan import titled_role
from .trail import role_name

bp = Blueprint("device", __name__)
KIOSK = "kiosk"  # the web session key of a device locked to one signing session
COOKIE_PREFIX = "asysta_device_"
OPEN_STATES = ("waiting", "partly_signed")
# One answer for an unknown login, a wrong password and a wrong role at a staff member's step.
STAFF_REFUSED = N_("Nieprawidłowy login lub hasło albo to konto nie składa tego podpisu (składa go: %(role)s).")
# signatures.capture knows no languages: its Polish messages, marked here for pybabel (each key is
# its own msgid; tests/signing/test_language.py checks they stay equal).
CAPTURE_MESSAGES = {
    capture.UNREADABLE: N_("Nie udało się odczytać podpisu. Podpisz się jeszcze raz."),
    capture.INVALID_STROKES: N_("Dane podpisu są niepoprawne. Podpisz się jeszcze raz."),
    capture.TOO_SMALL: N_("Podpis jest zbyt mały – wygląda na kropkę lub przypadkowe dotknięcie. "
                          "Podpisz się jeszcze raz, tak jak na papierze."),
    capture.EMPTY: N_("Pole podpisu jest puste. Podpisz się palcem, rysikiem lub myszą."),
    capture.BLANK_IMAGE: N_("Obraz podpisu dotarł pusty, choć podpis został złożony – pole podpisu mogło "
                            "zostać wyczyszczone przed wysłaniem. Podpisz się jeszcze raz i wyślij podpis "
                            "bez czyszczenia pola."),
}


def wait_message(until) -> str:
    """accounts.throttle's „Zbyt wiele nieudanych prób. Spróbuj ponownie po 14:32.” in the page's
    language: `until` is an aware datetime, shown in Europe/Warsaw time (with the date when the
    wait ends on another day). Returns the message."""
    local = until.astimezone(throttle.WARSAW)
    when = local.strftime("%H:%M")
    if local.date() != throttle.now().astimezone(throttle.WARSAW).date():
        when = f"{local.day}.{local.month:02d}.{local.year} {when}"
    return _("Zbyt wiele nieudanych prób. Spróbuj ponownie po %(when)s.", when=when)


def cookie_name(session_id: str) -> str:
    """The name of a session's device cookie: one per session, so a browser may hold several."""
    return f"{COOKIE_PREFIX}{session_id[:12]}"


def closed(exc: SessionClosed, session: SigningSession | None = None):
    """The clear page of a link or session that can no longer be used: a 410 Gone response.

    For a session that has ended (complete, cancelled, expired) the page says so without any of
    the family's data (it answers anyone who knows the address), and this browser's device cookie
    of the session is deleted: the device's access ended with the session."""
    kiosk = session is not None and web_session.get(KIOSK) == session.id
    leave_form = LeaveForm() if kiosk else None
    offered = None
    if exc.reason == "complete" and session is not None:
        offered = _family_copy_offer(session)
        body = render_template("signing/done.html", session=session, kiosk=kiosk, leave_form=leave_form,
                               copy=offered)
    else:
        body = render_template("signing/closed.html", title=_(exc.title), message=_(str(exc)), session=session,
                               kiosk=kiosk, leave_form=leave_form)
    response = make_response(body, 410)
    # the device that held the session keeps its cookie while its end page offers the family's
    # copy (it opens nothing else: every other address of an ended session answers this page)
    if session is not None and exc.reason in ("complete", "cancelled", "paper", "expired") and offered is None:
        forget_device(response, session.id)
    return response


def _family_copy_offer(session: SigningSession) -> dict | None:
    """The family's copy for the end page: its link, code, QR code (SVG) and expiry — only for the
    device that held the session (its cookie) and only while the link may be used; None otherwise,
    so whoever else knows the page's address sees nothing of it."""
    if not sessions.holds(session, request.cookies.get(cookie_name(session.id))):
        return None
    copy = family.active_of_session(session)
    code = family.code_of(copy) if copy is not None else None
    if code is None:
        return None
    link = family.link_for(code)
    return {"link": link, "code": family.format_code(code), "qr": qr_svg(link, scale=5),
            "expires_at": copy.expires_at}


def _cookie_flags() -> dict:
    # Path "/": reopening the same link on the same tablet (/s/...) must find it too. Secure when
    # the request came over TLS (through the trusted proxy) or the app is configured for TLS.
    return {"path": "/", "httponly": True, "samesite": "Lax",
            "secure": request.is_secure or bool(current_app.config.get("SESSION_COOKIE_SECURE"))}


def forget_device(response, session_id: str):
    """Deletes this browser's device cookie of the session (if it sent one); returns the response."""
    if cookie_name(session_id) in request.cookies:
        response.delete_cookie(cookie_name(session_id), **_cookie_flags())
    return response


def bind_device(response, session: SigningSession, secret: str):
    """Gives this browser the cookie that proves it holds the session, and only that one.

    The cookie's Max-Age ends when the session expires (OWASP ASVS 4.0.3, 3.3.1); the cookies of
    the sessions this browser held before are deleted, so a shared tablet carries one family's
    session at a time. Takes the response to add them to; returns it."""
    response.set_cookie(cookie_name(session.id), secret, max_age=sessions.seconds_left(session),
                        **_cookie_flags())
    for name in request.cookies:
        if name.startswith(COOKIE_PREFIX) and name != cookie_name(session.id):
            response.delete_cookie(name, **_cookie_flags())
    return response


def held_session(session_id: str) -> SigningSession:
    """The session if it is open and this browser holds it; aborts with its 410 page otherwise.

    Unknown: "Nie ma takiego linku". Ended (complete, cancelled, expired): that state's page,
    whatever cookie is sent, and the cookie is deleted. Held by another device, or a cookie of
    another session: "Link został już użyty"."""
    session = sessions.find_session(session_id)
    if session is None:
        abort(closed(SessionClosed("unknown")))
    sessions.end_if_starter_left(session)
    state = session.state()
    if state == "cancelled" and session.paper_requested_at is not None:
        state = "paper"  # ended by the family's own choice: their page says what happens next
    if state not in OPEN_STATES:
        abort(closed(SessionClosed(state), session))
    if not sessions.holds(session, request.cookies.get(cookie_name(session.id))):
        abort(closed(SessionClosed("used")))
    return session


@bp.before_app_request
def keep_device_locked():
    """A device handed to a family member shows only its signing page until staff unlock it.

    Every address but the locked session's own device routes (and static files) leads back to its
    page: another session's page, PDF or images (an earlier family's, even with its cookie still
    in the browser), another link or the code form (OWASP ASVS 4.0.3, 4.2.1)."""
    locked = web_session.get(KIOSK)
    if not locked or request.endpoint in ("static", "device.signature_pad_js"):
        return None
    if request.blueprint == "device" and (request.view_args or {}).get("session_id") == locked:
        return None
    return redirect(url_for("device.page", session_id=locked))


@bp.before_request
def remember_language():
    """A `?lang=` on a device page is kept for its signing session (signing/language.py)."""
    language.remember()


@bp.context_processor
def language_switch() -> dict:
    """The page's language and the switch's links: this address with each `?lang=` (WCAG 2.1, 3.1.1)."""
    if request.endpoint is None:
        return {}
    endpoint, args = request.endpoint, {**(request.view_args or {})}
    if endpoint in ("device.open_link", "device.choose_paper"):
        # not the one-time link again (a wrong code counts as a failed try), nor a POST address
        endpoint, args = ("device.enter_code", {}) if endpoint == "device.open_link" else ("device.page", args)
    links = [(code, name, url_for(endpoint, **args, lang=code)) for code, name in language.LANGUAGES.items()]
    return {"page_lang": language.current(), "language_links": links}


@bp.app_template_global("paper_requested")
def paper_requested(doc):
    """For the staff document page: the session the family ended by choosing paper, or None."""
    return sessions.paper_requested(doc)


@bp.route("/vendor/signature_pad.js")
@signing_device
def signature_pad_js():
    """signature_pad, installed from npm at set-up (never copied into the repository)."""
    return send_file(ROOT / "node_modules" / "signature_pad" / "dist" / "signature_pad.umd.min.js",
                     mimetype="text/javascript", max_age=86400)


@bp.route("/s", methods=["GET", "POST"])
@signing_device
def enter_code():
    """A field for typing the short code shown on the staff member's screen."""
    form = CodeForm()
    if form.validate_on_submit():
        return redirect(url_for("device.open_link", code=sessions.normalize_code(form.code.data),
                                lang=language.requested()))
    return render_template("signing/code.html", form=form)


@bp.route("/s/<code>")
@signing_device
def open_link(code: str):
    """The one-time link (also in the QR code): binds the session to this device, then shows it.

    A code that names no session is counted per client address like a wrong password
    (accounts.throttle.code_failed); past the login page's thresholds every code from that address,
    right or wrong, gets 429 with the time to come back. Right codes are never counted.
    """
    address = request.remote_addr or ""
    try:
        try:
            session = sessions.by_code(code)
        except SessionClosed as exc:
            if exc.reason == "unknown":
                throttle.code_failed(address)
            raise
        throttle.code_blocked(address)
        if sessions.holds(session, request.cookies.get(cookie_name(session.id))):
            return redirect(url_for("device.page", session_id=session.id, lang=language.requested()))
        secret = device.open_link(session, request_actor(), request_origin())
    except throttle.Throttled as exc:
        return render_template("signing/closed.html", title=_("Zbyt wiele prób"), message=wait_message(exc.until),
                               session=None, kiosk=False), 429, throttle.retry_after(exc.until)
    except SessionClosed as exc:
        return closed(exc)
    return bind_device(redirect(url_for("device.page", session_id=session.id, lang=language.requested())),
                       session, secret)


@bp.route("/podpis/<session_id>", methods=["GET", "POST"])
@signing_device
def page(session_id: str):
    """The document, page by page, and the current signer's step: read, tick, sign, «Podpisz»."""
    session = held_session(session_id)
    doc = session.document
    plan = sessions.plan_for(doc)
    step = sessions.next_step(session, plan)
    if step is None:  # every signature is given and the signed document is being sealed right now
        return render_template(
            "signing/closed.html", title=_("Podpisany dokument jest właśnie zapisywany"),
            message=_("Wszystkie podpisy zostały złożone. Trwa opieczętowanie podpisanego dokumentu – "
                      "odśwież stronę za chwilę."), session=session, kiosk=web_session.get(KIOSK) == session.id,
            leave_form=LeaveForm()), (409 if request.method == "POST" else 200)
    form = (StaffStepForm if step.is_staff else SignStepForm)(position=step.position)
    restore = ""
    if request.method == "POST" and form.validate_on_submit():
        if form.position.data != step.position:
            flash(_("Ten podpis został już złożony. Poniżej jest aktualny krok."), "info")
            return redirect(url_for("device.page", session_id=session.id))
        result = _submit(session, step, plan, form)
        if result is not None:
            return result
    if request.method == "POST":
        # The drawing comes back on the pad whatever was refused (even a drawing too small: the
        # signer sees what was sent and adds to it or clears it); the message stands next to it.
        restore = form.strokes.data or ""
        with force_locale("pl"):  # the event trail is read by staff: in Polish
            detail = "; ".join(str(e) for errors in form.errors.values() for e in errors)[:500]
        device.refuse_signature(session, request_actor(), request_origin(), detail)
    else:
        log_access("signing_view", "signing_session", session.id, detail=f"krok {step.position + 1}")
    pages = archived_pages(session.shown_pdf_sha256)
    doctype = DOCUMENT_TYPES.get(doc.slug)
    return render_template(
        "signing/page.html", session=session, doc=doc, plan=plan, step=step, form=form,
        page_count=len(pages), restore_strokes=_safe_json(restore), office=get_profile(),
        summary=_(doctype.signing_summary) if doctype else "",
        ink=capture, staff_role_label=role_name(step.staff_role or "", get_profile().head_title), leave_form=LeaveForm(),
        kiosk=web_session.get(KIOSK) == session.id), (422 if request.method == "POST" else 200)


def _submit(session: SigningSession, step, plan, form):
    """Checks the signature (and the staff password), signs; a redirect on success, None to show errors."""
    staff = None
    if step.is_staff:
        staff = _staff_signer(form, step, session)
        if staff is None:
            return None
    captured = None
    if form.signature.data or not step.is_staff:  # drawing is optional for staff only
        try:
            captured = check_signature(decode_data_url(form.signature.data or ""), form.strokes.data or "[]",
                                       pixel_ratio=_ratio(form.pixel_ratio.data))
        except SignatureRejected as exc:
            form.signature.errors = [lazy_gettext(CAPTURE_MESSAGES.get(str(exc), str(exc)))]
            return None
    try:
        signed = device.give_signature(session, step, plan, request_actor(), request_origin(), captured=captured,
                                       staff=staff, language=language.current())
    except IntegrityError:
        flash(_("Ten podpis został już złożony. Poniżej jest aktualny krok."), "info")
        return redirect(url_for("device.page", session_id=session.id))
    except SessionClosed as exc:
        return closed(exc, session)
    if staff is not None and web_session.get(KIOSK) == session.id:
        web_session.pop(KIOSK)  # the staff member has just proved who they are: the device is theirs again
    upcoming = sessions.next_step(session, plan)
    if signed.result is None and upcoming is not None:
        # a dash, not brackets: a role may hold its own („Kierownik ośrodka (akceptacja)”)
        who = upcoming.name or _("pracownik ośrodka – %(role)s",
                                 role=titled_role(upcoming, get_profile().head_title))
        flash(_("Dziękujemy, podpis został złożony. Teraz podpisuje: %(who)s. Przekaż urządzenie tej osobie.",
                who=who), "success")
    # after the last signature the session's page is its end page, with the family's copy; the
    # device cookie is deleted there, once that copy is no longer offered (closed())
    return redirect(url_for("device.page", session_id=session.id))


def _staff_signer(form: StaffStepForm, step, session: SigningSession) -> User | None:
    """The staff member whose login and password were given, if they may sign this step: the
    step's role, and one who may read the document's family (sessions.may_sign_staff_step).

    Throttled like the login page, with one message for an unknown login, a wrong password, a
    wrong role and another family's staff member (accounts/authenticate.py, ASVS 2.2.1)."""
    role = role_name(step.staff_role, get_profile().head_title)
    refusal = lazy_gettext(STAFF_REFUSED, role=role)
    try:
        return authenticate(form.login.data, form.password.data, where="podpis pracownika",
                            roles={step.staff_role}, refusal=refusal,
                            may=lambda user: sessions.may_sign_staff_step(user, session))
    except Refused as exc:
        form.password.errors = [wait_message(exc.until) if exc.until else exc.message]
        return None


def _ratio(value: str | None) -> float:
    try:
        return min(max(float(value or 1), 0.5), 4.0)
    except ValueError:
        return 1.0


def _safe_json(text: str) -> str:
    """Stroke data sent back to redraw the signature, only if it is well-formed JSON."""
    try:
        return json.dumps(json.loads(text)) if text else ""
    except ValueError:
        return ""


@bp.route("/podpis/<session_id>/papier", methods=["POST"])
@signing_device
def choose_paper(session_id: str):
    """«Wolę podpisać na papierze», confirmed: the session ends with the family's reason (the
    document's page then tells staff to print the copy for signing) and this page says so. The
    signatures already given stay as history, as at a cancel. Who may: the device holding the
    session (held_session), with the page's CSRF token."""
    session = held_session(session_id)  # the CSRF token is checked by CSRFProtect before this
    try:
        device.choose_paper(session, request_actor(), request_origin())
    except SessionClosed as exc:
        return closed(exc, session)
    return closed(SessionClosed("paper"), session)


@bp.route("/podpis/<session_id>/strona/<int:number>.png")
@signing_device
def page_image(session_id: str, number: int):
    """One page of the document being signed, as an image."""
    session = held_session(session_id)
    pages = archived_pages(session.shown_pdf_sha256)
    if not 1 <= number <= len(pages):
        abort(404)
    # Not conditional and no max_age: service.headers marks it no-store, nothing may revalidate it.
    return send_file(pages[number - 1], mimetype="image/png", conditional=False, etag=False)


@bp.route("/podpis/<session_id>/dokument.pdf")
@signing_device
def shown_pdf(session_id: str):
    """The exact PDF the signers are shown (its SHA-256 goes into the evidence page)."""
    session = held_session(session_id)
    log_access("signing_pdf", "signing_session", session.id)
    return send_file(pipeline(current_app).store.path(session.shown_pdf_sha256, "pdf"),
                     mimetype=MIMETYPES["pdf"], download_name="dokument.pdf", conditional=False, etag=False)


@bp.route("/podpis/<session_id>/zakoncz", methods=["POST"])
@signing_device
def leave(session_id: str):
    """Unlocks a device handed to a family member: the staff member's password is needed."""
    if web_session.get(KIOSK) != session_id or not current_user.is_authenticated:
        held_session(session_id)  # not this device's lock: an ended or foreign session's 410 page
        abort(403)
    session = sessions.find_session(session_id) or abort(404)
    form = LeaveForm()
    message = "Nieprawidłowe hasło – urządzenie pozostaje zablokowane na podpisywaniu."
    if form.validate_on_submit():
        try:  # throttled like the login page: the family member holding the tablet may not guess
            authenticate(current_user.login, form.password.data, where="odblokowanie urządzenia",
                         refusal=message)
        except Refused as exc:
            message = exc.message
        else:
            web_session.pop(KIOSK)
            device.unlock(session, request_actor(), request_origin())
            return redirect(url_for("archive.document", doc_id=session.document_id))
    device.unlock_refused(session, request_actor(), request_origin())
    flash(message, "error")
    return redirect(url_for("device.page", session_id=session.id))


def start_here(session: SigningSession, secret: str):
    """Locks this browser to a session a staff member has just started on it."""
    web_session[KIOSK] = session.id
    return bind_device(redirect(url_for("device.page", session_id=session.id)), session, secret)

