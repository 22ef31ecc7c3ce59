"""Changes to a family's file on its pages (address, basis, social worker, members) and the
assistant's assignment. Each view checks that the user may read the family (else 404) and may make
the change (else 403), validates the form (422 with the errors at the fields, what was typed kept)
and calls one service of families/changes.py or families/assignments.py, which records who and when.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.models import User
from ..extensions import db
from ..families.access import ASSIGNERS
from ..families import changes
from ..families.assignments import AssignmentRefused, assign_assistant, end_assignment
from ..families.changes import ChangeRefused, may_change
from ..families.forms import (AddressForm, AssignForm, BasisForm, ContactForm, EndAssignmentForm, LeftForm,
                              MemberForm, SocialWorkerForm, member_initial)
from ..families.models import Family, FamilyMember
from ..families.registration import address_data, basis_data, member_data
from ..security import allow, log_access, request_origin
from .families_views import FAMILY_ROLES, SPECS, family_or_404

bp = Blueprint("family_changes", __name__)


def _family_for(family_id: int, what: str) -> Family:
    family = family_or_404(family_id)
    if not may_change(current_user, family, what):
        abort(403)
    return family


def _member_of(family: Family, member_id: int) -> FamilyMember:
    member = next((m for m in family.members if m.id == member_id), None)
    return member or abort(404)


def _form_page(family: Family, form, title: str, apply: Callable[[], object], *, done: str,
               submit: str = "Zapisz zmiany", intro: str = "", template: str = "families/change.html", **context):
    """Shows `form`; on a valid POST calls `apply` (a service call), flashes `done` and goes back to
    the family's page. Refusals of the service go to their fields (or the page top)."""
    status = 200
    if request.method == "POST":
        if form.validate():
            family_id = family.id
            try:
                apply()
            except (ChangeRefused, AssignmentRefused) as exc:
                status = exc.status
                errors = getattr(exc, "errors", None) or {getattr(exc, "field", ""): [str(exc)]}
                for name, messages in errors.items():
                    if name in form:
                        form[name].errors = list(form[name].errors) + messages
                    else:
                        flash(" ".join(messages), "error")
                if status == 403:
                    abort(403)
            else:
                flash(done, "success")
                return redirect(url_for("families.show", family_id=family_id))
        else:
            status = 422
    # the form shows the file's current values (a member's PESEL, the address): a read of the file
    log_access("view", "family", family.id, detail=f"formularz zmiany: {title}", family_id=family.id)
    return render_template(template, family=family, form=form, title=title, submit=submit,
                           intro=intro, specs=SPECS, **context), status


@bp.route("/families/<int:family_id>/address", methods=["GET", "POST"])
@allow(FAMILY_ROLES)
def address(family_id: int):
    """The address and the correspondence address."""
    family = _family_for(family_id, "address")
    form = AddressForm(obj=family)
    return _form_page(family, form, "Adres rodziny", lambda: changes.change_address(
        db.session, current_user, request_origin(), family, address_data(form)), done="Zapisano adres rodziny.",
        intro="Dokumenty już wystawione zachowują adres, z którym je wystawiono.")


@bp.route("/families/<int:family_id>/basis", methods=["GET", "POST"])
@allow(FAMILY_ROLES)
def basis(family_id: int):
    """The basis of support and its data (also: completing the basis of a file made from documents)."""
    family = _family_for(family_id, "basis")
    initial = {"basis_kind": family.basis_kind if family.basis_kind != "unknown" else None, **(family.basis or {})}
    form = BasisForm(data=_dates(initial))
    return _form_page(family, form, "Podstawa objęcia wsparciem", lambda: changes.change_basis(
        db.session, current_user, request_origin(), family, **_basis_args(form)), done="Zapisano podstawę wsparcia.")


def _basis_args(form) -> dict:
    data = basis_data(form)
    return {"kind": data["basis_kind"], "basis": data["basis"]}


def _dates(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if key.endswith("_date") and isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                pass
        out[key] = value
    return out


@bp.route("/families/<int:family_id>/social-worker", methods=["GET", "POST"])
@allow(ASSIGNERS)
def social_worker(family_id: int):
    """The social worker in charge of the family (the head and the coordinator)."""
    family = _family_for(family_id, "social_worker")
    form = SocialWorkerForm(data={"social_worker": family.social_worker.login if family.social_worker else ""})
    form.bind(db.session)
    return _form_page(family, form, "Pracownik socjalny prowadzący sprawę", lambda: changes.change_social_worker(
        db.session, current_user, request_origin(), family, form.social_worker.data),
        done="Zmieniono pracownika socjalnego prowadzącego sprawę.")


@bp.route("/families/<int:family_id>/members/new", methods=["GET", "POST"])
@allow(FAMILY_ROLES)
def add_member(family_id: int):
    """A new member of the family."""
    family = _family_for(family_id, "member_added")
    form = MemberForm()
    form.other_pesels = tuple(m.pesel for m in family.current_members if m.pesel)
    return _form_page(family, form, "Nowy członek rodziny", lambda: changes.add_member(
        db.session, current_user, request_origin(), family, member_data(form)),
        done="Dodano członka rodziny.", submit="Dodaj osobę")


@bp.route("/families/<int:family_id>/members/<int:member_id>", methods=["GET", "POST"])
@allow(FAMILY_ROLES)
def edit_member(family_id: int, member_id: int):
    """A member's data; the assigned assistant corrects the contact only."""
    family = family_or_404(family_id)
    member = _member_of(family, member_id)
    if may_change(current_user, family, "member_changed"):
        form = MemberForm(data=member_initial(member))
        form.other_pesels = tuple(m.pesel for m in family.current_members if m.pesel and m.id != member.id)
        values = lambda: member_data(form)  # noqa: E731
    elif may_change(current_user, family, "contact"):
        form = ContactForm(data=member_initial(member))
        values = lambda: {"phone": form.phone.data or "", "email": form.email.data or ""}  # noqa: E731
    else:
        abort(403)
    return _form_page(family, form, f"Dane osoby: {member.full_name}", lambda: changes.change_member(
        db.session, current_user, request_origin(), family, member, values()), done="Zapisano dane osoby.")


@bp.route("/families/<int:family_id>/members/<int:member_id>/left", methods=["GET", "POST"])
@allow(FAMILY_ROLES)
def member_left(family_id: int, member_id: int):
    """Marks a member as no longer in the family from a date."""
    family = _family_for(family_id, "member_left")
    member = _member_of(family, member_id)
    form = LeftForm()
    return _form_page(family, form, f"{member.full_name} nie należy już do rodziny", lambda: changes.member_left(
        db.session, current_user, request_origin(), family, member, form.left_on.data),
        done="Zapisano, że ta osoba nie należy już do rodziny.", submit="Zapisz",
        intro="Osoba pozostaje w teczce i w wystawionych dokumentach; na stronie rodziny jest pokazana osobno.")


@bp.route("/families/<int:family_id>/assign", methods=["GET", "POST"])
@allow(ASSIGNERS)
def assign(family_id: int):
    """Assigns an active assistant from a date (art. 15 ust. 4: at most the office's limit of
    families per assistant: 409 naming the count); the page also ends the current assignment."""
    family = family_or_404(family_id)
    form = AssignForm()
    form.bind(db.session)
    end_form = EndAssignmentForm(formdata=None)

    def apply():
        # only an id of the list (active assistants): no int() of "²", no id beyond the database's integer
        listed = {choice.value for choice in form.assistant.choices if choice.value}
        assistant = db.session.get(User, int(form.assistant.data)) if form.assistant.data in listed else None
        if assistant is None:
            raise AssignmentRefused("Wybierz aktywne konto asystenta rodziny.")
        assign_assistant(db.session, current_user, request_origin(), family, assistant, form.start_date.data)

    return _form_page(family, form, "Przydział asystenta rodziny", apply, done="Przydzielono asystenta rodziny.",
                      submit="Przydziel", template="families/assign.html", end_form=end_form)


@bp.route("/families/<int:family_id>/assign/end", methods=["POST"])
@allow(ASSIGNERS)
def end(family_id: int):
    """Ends the family's current assignment on a date (not before it began)."""
    family = family_or_404(family_id)
    form = AssignForm(formdata=None)
    form.bind(db.session)
    end_form = EndAssignmentForm()
    status = 422
    if end_form.validate():
        try:
            ended = end_assignment(db.session, current_user, request_origin(), family, end_form.end_date.data)
        except AssignmentRefused as exc:
            end_form.end_date.errors = list(end_form.end_date.errors) + [str(exc)]
        else:
            flash("Zakończono przydział asystenta rodziny." if ended else "Rodzina nie ma teraz asystenta.",
                  "success" if ended else "info")
            return redirect(url_for("families.show", family_id=family.id))
    log_access("view", "family", family.id, detail="formularz zmiany: koniec przydziału", family_id=family.id)
    return render_template("families/assign.html", family=family, form=form, end_form=end_form,
                           title="Przydział asystenta rodziny", submit="Przydziel", intro="", specs=SPECS), status
