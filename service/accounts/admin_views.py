"""The administrator's page of staff accounts: list, create, change name and role, deactivate and
reactivate, reset a password.

The rules are accounts/manage.py's (the same as `flask users`). A password the service makes here
is one-time: it is shown once, in the answer to the POST that made it (never put in the session
cookie, a redirect or the log; the answer is no-store like every page), and must be changed at
the next login. Every change is written to the access log without any password.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField, StringField
from wtforms.validators import ValidationError

from ..archive.models import AccessLog
from ..extensions import db
from ..forms_base import FlaskTextForm
from ..forms_kinds import choices
from ..security import allow, log_access
from . import manage
from .models import ROLES, User

bp = Blueprint("staff", __name__, url_prefix="/accounts")

ROLE_CHOICES = choices([("", "— wybierz rolę —")] + list(ROLES.items()))


def _login_check(form, field) -> None:
    problem = manage.login_problem(field.data or "")
    if problem:
        raise ValidationError(problem)
    if manage.find(field.data) is not None:
        raise ValidationError(f"Konto o loginie {field.data} już istnieje – wybierz inny login.")


def _name_check(form, field) -> None:
    problem = manage.name_problem(field.data or "", required=True)
    if problem:
        raise ValidationError(problem)


def _role_check(form, field) -> None:
    if field.data not in ROLES:
        raise ValidationError("Wybierz rolę z listy.")


def _full_name_field():
    return StringField("Imię i nazwisko", [_name_check],
                       description="Tak, jak ma się pojawiać na dokumentach i w dzienniku dostępu.")


def _role_field():
    return SelectField("Rola", [_role_check], choices=ROLE_CHOICES, validate_choice=False)


class NewAccountForm(FlaskTextForm):
    login = StringField("Login", [_login_check],
                        description=f"Tym loginem osoba będzie się logować; najwyżej {manage.LOGIN_MAX} znaki. "
                                    "Loginu nie można później zmienić.")
    full_name = _full_name_field()
    role = _role_field()


class EditAccountForm(FlaskTextForm):
    full_name = _full_name_field()
    role = _role_field()


class ActionForm(FlaskTextForm):
    """A button's form: nothing but the CSRF token."""


def _account(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def last_logins() -> dict[int, dt.datetime]:
    """The time of each account's latest login the access log remembers, by user id."""
    rows = db.session.execute(select(AccessLog.object_id, func.max(AccessLog.at))
                              .where(AccessLog.action == "login", AccessLog.object_type == "user")
                              .group_by(AccessLog.object_id)).all()
    return {int(object_id): at for object_id, at in rows if object_id.isdigit()}


@bp.route("")
@allow("admin")
def index():
    """Every staff account, active ones first, with its role, state, last login and whether a
    password change is pending."""
    users = db.session.execute(select(User).order_by(User.active.desc(), User.full_name, User.login)).scalars().all()
    return render_template("accounts/list.html", users=users, logins=last_logins())


@bp.route("/new", methods=["GET", "POST"])
@allow("admin")
def new():
    """A new account with a one-time password the service makes, shown once on the next page.

    Answers 422 with the form and a message at each wrong field (login empty, too long, taken or
    with a character the service refuses; name; role); nothing is stored then.
    """
    form = NewAccountForm()
    if form.validate_on_submit():
        login, full_name, role = form.login.data, form.full_name.data, form.role.data
        password = manage.one_time_password(login, full_name)
        try:
            user = manage.create_account(login, full_name, role, password, must_change=True)
            db.session.commit()
        except (manage.AccountRefused, IntegrityError):  # the same login created a moment ago
            db.session.rollback()
            form.login.errors.append(f"Konto o loginie {login} już istnieje – wybierz inny login.")
        else:
            log_access("account_create", "user", str(user.id),
                       detail=f"login {login}; {ROLES[role]}; imię i nazwisko: {full_name}")
            return render_template("accounts/one_time.html", user=user, created=True, password=password)
    return render_template("accounts/new.html", form=form), 422 if form.errors else 200


def _edit_page(user: User, form: EditAccountForm | None = None, refusal: str = "", status: int = 200):
    form = form or EditAccountForm(obj=user, formdata=None)
    return render_template("accounts/edit.html", account=user, form=form, actions=ActionForm(formdata=None),
                           refusal=refusal, last_login=last_logins().get(user.id)), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@allow("admin")
def edit(user_id: int):
    """One account: change its name and role (422 with the message at the field when refused: the
    last active administrator, one's own role), and the buttons to reset its password and to
    deactivate or reactivate it."""
    user = _account(user_id)
    form = EditAccountForm(obj=user)
    if not form.validate_on_submit():
        return _edit_page(user, form, status=422 if form.errors else 200)
    try:
        changes = manage.change(user, form.full_name.data, form.role.data, current_user)
    except manage.AccountRefused as exc:
        db.session.rollback()
        form.role.errors.append(exc.message)
        return _edit_page(user, form, status=422)
    role_changed = any(c.startswith("rola:") for c in changes)
    db.session.commit()
    if changes:
        log_access("account_role" if role_changed else "account_name", "user", str(user.id),
                   detail=f"konto {user.login}: " + "; ".join(changes))
        flash(f"Zapisano zmiany konta {user.login}.", "success")
    return redirect(url_for("staff.index"))


def _button_pressed() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)  # no or a stale CSRF token


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@allow("admin")
def deactivate(user_id: int):
    """Turns the account off: its sessions end, its API token and calendar link stop working; 409 with the
    reason for one's own account and the last active administrator."""
    user = _account(user_id)
    _button_pressed()
    try:
        ended = manage.deactivate(user, current_user)
    except manage.AccountRefused as exc:
        db.session.rollback()
        return _edit_page(user, refusal=exc.message, status=409)
    db.session.commit()
    log_access("account_deactivate", "user", str(user.id),
               detail=f"konto {user.login} wyłączone; zakończone sesje: {ended}; "
                      "token API i link do kalendarza unieważnione")
    flash(f"Konto {user.login} zostało wyłączone. Zakończone sesje: {ended}.", "success")
    return redirect(url_for("staff.index"))


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@allow("admin")
def reactivate(user_id: int):
    """Turns the account on again (with its password; a new API token must be issued)."""
    user = _account(user_id)
    _button_pressed()
    manage.reactivate(user)
    db.session.commit()
    log_access("account_reactivate", "user", str(user.id), detail=f"konto {user.login} włączone ponownie")
    flash(f"Konto {user.login} jest znowu aktywne.", "success")
    return redirect(url_for("staff.index"))


@bp.route("/<int:user_id>/password", methods=["POST"])
@allow("admin")
def reset_password(user_id: int):
    """A new one-time password for the account, shown once; it must be changed at the next login
    and every session of the account ends. One's own password is changed on the password page (409)."""
    user = _account(user_id)
    _button_pressed()
    if user.id == current_user.id:
        return _edit_page(user, refusal="Własne hasło zmienisz na stronie „Hasło” w menu.", status=409)
    password = manage.one_time_password(user.login, user.full_name)
    ended = manage.set_password(user, password, must_change=True)
    db.session.commit()
    log_access("account_password_reset", "user", str(user.id),
               detail=f"konto {user.login}: nowe hasło jednorazowe; zakończone sesje: {ended}")
    return render_template("accounts/one_time.html", user=user, created=False, password=password)
