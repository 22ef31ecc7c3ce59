"""Who may use each route: every view declares its roles, one hook enforces them, access is logged."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from .accounts.models import ROLES
from . import audit
from .audit import Origin
from .extensions import db

ANY_STAFF = frozenset(ROLES)
# Who may read issued documents: everyone but the administrator (what each sees is narrowed
# further by issuing.visible_documents).
READERS = frozenset({"assistant", "social_worker", "coordinator", "head", "archivist"})
# The few endpoints anyone may open: the login page and static files.
PUBLIC_ENDPOINTS = frozenset({"static", "accounts.login"})


def allow(*roles: str | Iterable[str]) -> Callable:
    """Declares the staff roles that may use a view; the app refuses everyone else."""
    allowed: set[str] = set()
    for r in roles:
        allowed |= {r} if isinstance(r, str) else set(r)
    unknown = allowed - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def mark(view: Callable) -> Callable:
        view.allowed_roles = frozenset(allowed)
        return view

    return mark


def public(view: Callable) -> Callable:
    """Marks a view that needs no login (the login page)."""
    view.allowed_roles = None
    return view


def signing_device(view: Callable) -> Callable:
    """Marks a view of the signing page: no staff login; the view admits only the browser holding
    the session's device cookie (given by a one-time link, or by the staff member who handed it over)."""
    view.allowed_roles = None
    view.signing_device = True
    return view


def family_link(view: Callable) -> Callable:
    """Marks the view of the family's one-time copy link (/k/<code>): no staff login; the view admits
    only a request naming a link that may still be used (service/signing/family.py), and shows
    nothing else of the family."""
    view.allowed_roles = None
    view.family_link = True
    return view


def calendar_link(view: Callable) -> Callable:
    """Marks the view of a staff member's calendar feed (/calendar/<token>.ics): no login (a phone's
    calendar cannot log in); the view admits only a token of a link not revoked, of an active
    account (families.calendar_feed), and answers 404 to anything else."""
    view.allowed_roles = None
    view.calendar_link = True
    return view


def refuse_control_characters():
    """before_request hook: a URL whose path or query holds a control character (e.g. %00) names nothing.

    No identifier, slug or search of this service contains one, and PostgreSQL refuses NUL in
    text parameters (a DataError, which would be a 500): 404 for the path, 400 for the query.
    """
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in request.path):
        abort(404)
    if any(any(ord(ch) < 32 or ord(ch) == 127 for ch in value) for value in request.args.values()):
        abort(400)


def enforce_roles():
    """before_request hook: log in first, then the role must be among the view's declared roles."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # 404 follows
    view = current_app.view_functions.get(endpoint)
    if endpoint in PUBLIC_ENDPOINTS or getattr(view, "allowed_roles", "missing") is None:
        return None
    roles = getattr(view, "allowed_roles", None)
    if not roles:
        abort(403)  # a route that declares nothing is closed, never open
    is_api = request.blueprint == "api"
    if not current_user.is_authenticated:
        if is_api:
            return jsonify(error="Wymagane uwierzytelnienie (nagłówek Authorization: Bearer <token>)."), 401
        return redirect(url_for("accounts.login", next=request.full_path))
    if current_user.must_change_password and not is_api and endpoint not in (
            "accounts.change_password", "accounts.logout"):
        return redirect(url_for("accounts.change_password"))
    if current_user.role not in roles:
        if is_api:
            return jsonify(error="Brak uprawnień do tej operacji."), 403
        abort(403)
    return None


def header_text(value: str) -> str:
    """A request header's text: WSGI hands header bytes over decoded as Latin-1 (PEP 3333), while
    browsers send UTF-8 (a device model in Chinese, an emoji); bytes that are valid UTF-8 are
    read as UTF-8, anything else stays Latin-1 as received. Takes and returns str; never raises."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:  # not Latin-1 code points (already decoded) or not UTF-8 bytes: as it came
        return value


def request_origin() -> Origin:
    """The current request's origin (address, browser, channel: "api" under /api/, else "web").

    The browser's User-Agent is read as UTF-8 (header_text) and kept up to 500 characters, what the
    signing trail and the evidence page hold; the access log keeps its first 300 (audit.record)."""
    return Origin(ip=request.remote_addr or "", user_agent=header_text(request.headers.get("User-Agent", ""))[:500],
                  channel="api" if request.blueprint == "api" else "web")


def request_actor():
    """The logged-in staff member, or None."""
    return current_user._get_current_object() if current_user and current_user.is_authenticated else None


def log_access(action: str, object_type: str = "", object_id: str = "", detail: str = "",
               commit: bool = True, family_id: int | None = None) -> None:
    """Records who did what to which object, from which address, for a view (audit.record with the
    current staff member and request_origin()).

    With commit=True (the default) the row is committed at once, with whatever the request has
    pending: call it after the operation it records has committed, so that the log's write is a
    short transaction of its own and never keeps a long one open. commit=False joins the caller's
    transaction (which the caller commits promptly).
    """
    audit.record(db.session, request_actor(), request_origin(), action, object_type, object_id, detail,
                 family_id=family_id, commit=commit)
