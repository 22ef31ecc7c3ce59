"""Logging in and out, and changing the password (required after the one-time password)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..extensions import db
from ..forms_base import FlaskTextForm
from ..security import ANY_STAFF, allow, log_access, public
from .models import User

bp = Blueprint("accounts", __name__)


class LoginForm(FlaskTextForm):
    login = StringField("Login", [InputRequired("Podaj login.")])
    password = PasswordField("Hasło", [InputRequired("Podaj hasło.")])


class ChangePasswordForm(FlaskTextForm):
    current = PasswordField("Obecne hasło", [InputRequired("Podaj obecne hasło.")])
    new = PasswordField("Nowe hasło", [InputRequired("Podaj nowe hasło."),
                                       Length(min=12, message="Hasło musi mieć co najmniej 12 znaków.")])
    repeat = PasswordField("Powtórz nowe hasło", [EqualTo("new", message="Hasła nie są takie same.")])


def _safe_next(target: str | None) -> str:
    # Only local paths: an attacker's link must not turn the login page into a redirector.
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """The login page."""
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(db.select(User).where(User.login == form.login.data.strip())).scalar_one_or_none()
        if user and user.active and user.check_password(form.password.data):
            login_user(user)
            log_access("login", "user", str(user.id))
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("Nieprawidłowy login lub hasło.")
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(ANY_STAFF)
def logout():
    """Logs out (POST only, with the CSRF token)."""
    log_access("logout", "user", str(current_user.id))
    logout_user()
    return redirect(url_for("accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
@allow(ANY_STAFF)
def change_password():
    """Changing one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append("Obecne hasło jest nieprawidłowe.")
        else:
            current_user.set_password(form.new.data)
            current_user.must_change_password = False
            db.session.commit()
            flash("Hasło zostało zmienione.", "success")
            return redirect(url_for("web.index"))
    return render_template("change_password.html", form=form)
