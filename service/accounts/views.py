"""Logging in and out, and changing the password (required after the one-time password).

Every password typed here goes through accounts.throttle (ASVS 2.2.1) and accounts.passwords
(one argon2 verification whatever the login, one policy for new passwords); every login, failed
or not, is written to the access log (ASVS 7.1.3, 7.2.1) without the password.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session as web_session, url_for
from flask_login import current_user, login_user, logout_user
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired

from ..extensions import db
from ..forms_base import FlaskTextForm
from ..security import ANY_STAFF, allow, log_access, public
from . import sessions, throttle
from .authenticate import Refused, authenticate
from .passwords import PasswordPolicy

bp = Blueprint("accounts", __name__)


class LoginForm(FlaskTextForm):
    login = StringField("Login", [InputRequired("Podaj login.")])
    password = PasswordField("Hasło", [InputRequired("Podaj hasło.")])


def _own_words(form) -> list[str]:
    return [current_user.login, current_user.full_name]


class ChangePasswordForm(FlaskTextForm):
    current = PasswordField("Obecne hasło", [InputRequired("Podaj obecne hasło.")])
    new = PasswordField("Nowe hasło", [InputRequired("Podaj nowe hasło."), PasswordPolicy(_own_words)],
                        description="Co najmniej 12 znaków; najłatwiej zapamiętać kilka niezwiązanych ze "
                                    "sobą słów. Popularne hasła, powtórzenia i ciągi klawiszy są odrzucane.")
    repeat = PasswordField("Powtórz nowe hasło", [EqualTo("new", message="Hasła nie są takie same.")])


def _safe_next(target: str | None) -> str:
    # Only local paths: an attacker's link must not turn the login page into a redirector.
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """The login page: throttled per login and per address; one message for every refusal."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.login.data, form.password.data, where="strona logowania")
        except Refused as exc:
            form.password.errors.append(exc.message)
            if exc.until is None:
                return render_template("login.html", form=form)
            return render_template("login.html", form=form), 429, throttle.retry_after(exc.until)
        sessions.start(user)  # a new session: nothing from before the login survives it
        login_user(user)
        db.session.commit()
        log_access("login", "user", str(user.id))
        return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(ANY_STAFF)
def logout():
    """Logs out (POST only, with the CSRF token); the session ends on the server too (ASVS 3.3.1)."""
    log_access("logout", "user", str(current_user.id))
    sessions.end_current("logout")
    logout_user()
    web_session.clear()
    db.session.commit()
    return redirect(url_for("accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
@allow(ANY_STAFF)
def change_password():
    """Changing one's own password: the policy of accounts.passwords; the user's other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = authenticate(current_user.login, form.current.data, where="zmiana hasła",
                                refusal="Obecne hasło jest nieprawidłowe.")
        except Refused as exc:
            form.current.errors.append(exc.message)
            if exc.until is None:
                return render_template("change_password.html", form=form)
            return render_template("change_password.html", form=form), 429, throttle.retry_after(exc.until)
        if form.new.data == form.current.data:
            form.new.errors.append("Nowe hasło musi być inne niż obecne.")
        else:
            user.set_password(form.new.data)
            user.must_change_password = False
            ended = sessions.end_others(user, "password")
            sessions.renew(user)
            db.session.commit()
            log_access("password_changed", "user", str(user.id), detail=f"zakończone inne sesje: {ended}")
            flash("Hasło zostało zmienione.", "success")
            return redirect(url_for("web.index"))
    return render_template("change_password.html", form=form)
