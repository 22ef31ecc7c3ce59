"""The administrator's page for the office profile and its JRWA classes."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import BooleanField, FieldList, FormField, HiddenField, StringField
from wtforms.validators import Email, InputRequired, Length, Regexp, ValidationError

from ..accounts.models import utcnow
from ..documents.filing import FILING_CLASSES
from ..families.cases import format_case_sign, pattern_problems
from ..families.settings import (DEADLINE_SETTINGS, STATUTORY_LIMIT, deadline_rules, family_limit, limit_problem,
                                 set_deadline_settings, set_family_limit)
from ..extensions import db
from ..forms_base import FlaskTextForm, TextForm, text_filters
from ..forms_kinds import nip_check
from ..security import allow, log_access, request_origin
from .models import PROFILE_FIELDS, JrwaClass, get_profile

bp = Blueprint("office", __name__)
_req = InputRequired("To pole jest wymagane.")


def _text(label: str, max_length: int = 200, *extra, kind: str = "line"):
    # One-line text by default; identifiers (phone) and e-mail addresses are read after NFKC.
    return StringField(label, [_req, Length(max=max_length, message=f"Najwyżej {max_length} znaków."), *extra],
                       filters=text_filters(kind))


def _regon(form, field) -> None:
    from stdnum.pl import regon
    if not regon.is_valid(field.data or ""):
        raise ValidationError("Nieprawidłowy numer REGON (9 lub 14 cyfr z poprawną cyfrą kontrolną).")


def _family_limit(form, field) -> None:
    if (field.data or "").strip() and limit_problem(field.data):
        raise ValidationError(limit_problem(field.data))


def _deadline_setting(setting):
    def check(form, field) -> None:
        if (field.data or "").strip() and setting.problem(field.data):
            raise ValidationError(setting.problem(field.data))
    return check


def _pattern(form, field) -> None:
    problems = pattern_problems(field.data or "")
    if problems:
        raise ValidationError(" ".join(problems))


class JrwaRow(TextForm):
    key = HiddenField()
    symbol = StringField("Symbol", [_req, Regexp(r"^[0-9A-Za-z-]{1,20}$", message="Symbol: cyfry i litery, np. 4011.")],
                         filters=text_filters("identifier"))
    title = StringField("Hasło klasyfikacyjne", [_req, Length(max=200)])
    category = StringField("Kategoria archiwalna", [_req, Regexp(r"^(A|B\d*|BE\d+|Bc)$",
                           message="Kategoria: A, B…, BE…, Bc (np. BE10).")], filters=text_filters("identifier"))

    def summary_label(self) -> str:
        """The class's heading as typed, else its declared one: the error summary's „Asysta rodzinna
        – … – Symbol” instead of „Pozycja 1 – Symbol” (forms_base.error_summary)."""
        declared = {c.key: c.heading for c in FILING_CLASSES}
        return (self.title.data or "").strip() or declared.get(self.key.data or "", "")


class OfficeForm(FlaskTextForm):
    name = _text("Pełna nazwa ośrodka")
    street = _text("Ulica i numer", 120)
    postal_code = StringField("Kod pocztowy", [_req, Regexp(r"^[0-9]{2}-[0-9]{3}$",
                                                            message="Kod pocztowy w formacie 00-000.")],
                              filters=text_filters("identifier"))
    town = _text("Miejscowość", 80)
    phone = _text("Telefon", 40, kind="identifier")
    email = _text("E-mail", 120, Email("Podaj poprawny adres e-mail."), kind="email")
    nip = StringField("NIP", [_req, nip_check],
                      filters=[*text_filters("identifier"), lambda v: v.replace("-", "").replace(" ", "") if v else v])
    regon = StringField("REGON", [_req, _regon], filters=text_filters("identifier"))
    head_name = _text("Imię i nazwisko kierownika", 120)
    head_title = _text("Funkcja kierownika (jak w podpisie)")
    date_town = _text("Miejscowość w dacie pism", 80)
    iod_email = _text("E-mail inspektora ochrony danych", 120, Email("Podaj poprawny adres e-mail."),
                      kind="email")
    # Both become part of every case sign, which is looked up as an identifier (NFKC, one kind of
    # dash): they are read the same way, or a sign could hold characters its own lookup never matches.
    department_code = _text("Oznaczenie komórki w znaku sprawy", 40,
                            Regexp(r"^[0-9A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż./-]+$",
                                   message="Oznaczenie komórki: litery, cyfry, kropki i łączniki, np. MOPS.SPS."),
                            kind="identifier")
    case_sign_pattern = _text("Wzór znaku sprawy", 80, _pattern, kind="identifier")
    classes = FieldList(FormField(JrwaRow), "Klasy JRWA")
    # Not part of the profile printed in letters: changing it does not unconfirm the profile.
    family_limit = StringField("Najwyższa liczba rodzin jednego asystenta", [_family_limit],
                               filters=text_filters("identifier"), description=(
                                   f"Od 1 do {STATUTORY_LIMIT} (art. 15 ust. 4 ustawy o wspieraniu rodziny i "
                                   f"systemie pieczy zastępczej: najwyżej {STATUTORY_LIMIT} rodzin jednocześnie)."))
    confirm = BooleanField("Zatwierdzam dane urzędu", description=(
        "Potwierdzam, że powyższe dane są kompletne i zgodne ze stanem faktycznym. Od tej chwili trafiają "
        "do każdego wystawianego dokumentu. Bez zatwierdzenia wystawianie dokumentów jest wstrzymane."))


# The deadlines of the work with families (families.settings.DEADLINE_SETTINGS); like the limit,
# not printed in letters: changing them does not unconfirm the profile.
for _setting in DEADLINE_SETTINGS:
    setattr(OfficeForm, _setting.name, StringField(
        _setting.label, [_deadline_setting(_setting)], filters=text_filters("identifier"),
        description=f"Od {_setting.low} do {_setting.high}; domyślnie {_setting.default} ({_setting.source})."))


@bp.route("/office", methods=["GET", "POST"])
@allow("admin")
def profile():
    """Edit the office profile used in every letterhead, and the JRWA classes; confirm it.

    Documents are issued only from a confirmed profile (office.models.issuing_paused). Saving with
    „Zatwierdzam dane urzędu” ticked records who confirmed it and when; saving a change without
    the tick leaves the profile unconfirmed, and so pauses issuing, until someone confirms it.
    Saving an unchanged confirmed profile with the tick keeps the earlier confirmation. The limit
    of families per assistant (families.settings, 1..15 by art. 15 ust. 4 of the family-support
    act) and the deadlines of the work with families (families.settings.DEADLINE_SETTINGS) are
    saved with it and do not touch the confirmation; a value left empty stays as it was.
    """
    profile = get_profile()
    classes = db.session.execute(db.select(JrwaClass).order_by(JrwaClass.key)).scalars().all()
    rules = deadline_rules(db.session)
    form = OfficeForm(obj=profile, data={"confirm": profile.confirmed, "family_limit": str(family_limit(db.session)),
                                         **{s.name: str(getattr(rules, s.name)) for s in DEADLINE_SETTINGS},
                                         "classes": [{"key": c.key, "symbol": c.symbol, "title": c.title,
                                                      "category": c.category} for c in classes]})
    if form.validate_on_submit():
        if (form.family_limit.data or "").strip():  # left empty: the limit stays as it was
            set_family_limit(db.session, current_user, request_origin(), int(form.family_limit.data), commit=False)
        typed = {s.name: form[s.name].data for s in DEADLINE_SETTINGS if (form[s.name].data or "").strip()}
        set_deadline_settings(db.session, current_user, request_origin(), typed, commit=False)
        changed = False
        for name in PROFILE_FIELDS:
            changed |= getattr(profile, name) != form[name].data
            setattr(profile, name, form[name].data)
        by_key = {c.key: c for c in classes}
        for row in form.classes.entries:
            cls = by_key.get(row.form.key.data)
            if cls is not None:
                new = (row.form.symbol.data, row.form.title.data, row.form.category.data)
                changed |= (cls.symbol, cls.title, cls.category) != new
                cls.symbol, cls.title, cls.category = new
        if form.confirm.data and (changed or not profile.confirmed):
            profile.confirmed_at, profile.confirmed_by_id = utcnow(), current_user.id
            log_access("confirm", "office_profile", "1", commit=False)
        elif not form.confirm.data:
            profile.confirmed_at = profile.confirmed_by_id = None
        log_access("edit", "office_profile", "1", commit=False)
        db.session.commit()
        if profile.confirmed:
            flash("Zapisano i zatwierdzono profil urzędu. Pracownicy mogą wystawiać dokumenty.", "success")
        else:
            flash("Zapisano profil urzędu bez zatwierdzenia: wystawianie dokumentów jest wstrzymane, "
                  "dopóki nie zaznaczysz „Zatwierdzam dane urzędu” i nie zapiszesz.", "error")
        return redirect(url_for("office.profile"))
    example = format_case_sign(profile.case_sign_pattern, dept=profile.department_code or "MOPS",
                               symbol=(classes[0].symbol if classes else "") or "4011", number=12, year=2026)
    return render_template("office.html", form=form, example=example, profile=profile,
                           deadline_fields=[s.name for s in DEADLINE_SETTINGS])
