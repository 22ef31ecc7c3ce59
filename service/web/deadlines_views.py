"""The deadlines in the staff pages: the calendar link's page (make, replace, revoke) and the
calendar feed itself (/calendar/<token>.ics, no login: the token is the key). The start pages
and the family's page show deadlines through `start_deadlines` and `family_deadline_rows`."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from signatures.qr import qr_svg

from ..accounts.models import User, utcnow
from ..audit import Origin
from ..documents.context import office_today
from ..extensions import db
from ..families.calendar_feed import (FEED_ROLES, active_feed, calendar_bytes, create_feed, feed_owner,
                                      log_feed_read, revoke_feed)
from ..families.deadlines import deadlines_for, office_overview
from ..families.display import due_text
from ..families.models import Family
from ..security import allow, calendar_link, header_text, log_access, request_origin

bp = Blueprint("deadlines", __name__)


def rows(deadlines, today: dt.date) -> list[dict]:
    """Each deadline with the words the page says of its date (display.due_text)."""
    return [{"d": d, "when": due_text(d, today)} for d in deadlines]


def start_deadlines(user: User, families: list[Family]) -> dict:
    """What the start page shows of deadlines: for an assistant (and a social worker) the overdue
    ones and those due within 7 days, grouped by family (`groups`: case sign, family, rows; the
    assistant's own time reports under family None); for the head and the coordinator every
    assistant's load and overdue items (`loads`). Logs the read of the families' deadlines."""
    today = office_today()
    if user.role in ("assistant", "social_worker"):
        by_id = {f.id: f for f in families}
        groups: dict[int | None, list] = {}
        for d in deadlines_for(db.session, user, today):
            if d.status in ("overdue", "soon"):
                groups.setdefault(d.family_id, []).append(d)
        # The page lists at most views.FAMILIES_ON_START families (a social worker's charge may be
        # longer); a deadline of one beyond them is still shown, under its family's name.
        beyond = [fid for fid in groups if fid is not None and fid not in by_id]
        if beyond:
            by_id |= {f.id: f for f in db.session.execute(select(Family).where(Family.id.in_(beyond))).scalars()}
            log_access("list", "family", detail=f"start: terminy innych rodzin ({len(beyond)})")
        out = [{"family": by_id.get(fid), "rows": rows(items, today)} for fid, items in groups.items()]
        out.sort(key=lambda g: (g["family"] is not None, g["rows"][0]["d"].due))
        return {"groups": out, "today": today}
    if user.role in ("head", "coordinator"):
        loads = office_overview(db.session, today)
        log_access("list", "family", detail="start: terminy asystentów")
        return {"loads": [{"load": load, "rows": rows(load.overdue, today)} for load in loads], "today": today}
    return {}


@bp.route("/calendar", methods=["GET", "POST"])
@allow(FEED_ROLES)
def calendar():
    """The staff member's calendar link: make it (shown once, in full, on the answer to the POST),
    replace it (the old one stops working) or revoke it."""
    token = None
    if request.method == "POST":
        action = request.form.get("action", "")
        if action in ("create", "replace"):
            token = create_feed(db.session, current_user, request_origin())
        elif action == "revoke":
            if revoke_feed(db.session, current_user, request_origin()):
                flash("Link do kalendarza unieważniono: kalendarz w telefonie przestanie pokazywać terminy.", "success")
            return redirect(url_for("deadlines.calendar"))
        else:
            abort(400)
    feed = active_feed(db.session, current_user)
    link = url_for("deadlines.feed", token=token, _external=True) if token else None
    subscribe = webcal(link) if link else None
    return render_template("calendar.html", feed=feed, link=link, subscribe=subscribe,
                           qr=qr_svg(subscribe, scale=4) if subscribe else None)


def webcal(link: str) -> str:
    """The feed's address for a phone to subscribe to: `link` (http:// or https://…/calendar/<token>.ics)
    with the scheme webcal:// — the iPhone's camera and Calendar open it as a subscription, where
    the https:// address would only import today's events once (the de facto scheme of calendar
    subscriptions; the calendar fetches it again over HTTP(S))."""
    return "webcal://" + link.split("://", 1)[1]


def _uid_domain() -> str:
    """The domain of the events' UIDs: the public URL's host name, else the request's, lower-case
    and without port or brackets („[::1]:8000” → „::1”; cutting at the first colon gave „[”).
    Events keep their UIDs only while it stays the same: a calendar told „LOCALHOST” once and
    „localhost” next would show every deadline twice."""
    public = current_app.config.get("PUBLIC_URL")
    try:
        host = urlsplit(public or "//" + request.host).hostname
    except ValueError:  # a malformed Host the trusted-host check let through: never expected
        host = None
    return host or "asysta"


@bp.route("/calendar/<token>.ics")
@calendar_link
def feed(token: str):
    """The open deadlines of the link's owner as iCalendar (text/calendar): one all-day event each.
    404 for an unknown or revoked token or a deactivated account. Each read is logged (channel "cal")."""
    found = feed_owner(db.session, token)
    if found is None:
        abort(404)
    link, user = found
    deadlines = [d for d in deadlines_for(db.session, user, office_today()) if d.is_open]
    body = calendar_bytes(deadlines, utcnow(), host=_uid_domain(), owner_id=user.id)
    origin = Origin(ip=request.remote_addr or "", user_agent=header_text(request.headers.get("User-Agent", ""))[:500],
                    channel="cal")
    log_feed_read(db.session, user, origin, link, len(deadlines))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="asysta-terminy.ics"'})
