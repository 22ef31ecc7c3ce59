"""Registering a family: the form (shared by the page, the API and the CLI) and the service that
stores the family's file and opens its case.

The fields are declared like a document's (documents.spec.FieldSpec, built by forms_builder), so a
PESEL, a postal code, a date or a phone number is checked and reported in the same Polish words
everywhere. The basis of support follows the family-support act (art. 11: the social worker's
request after the social interview, or a court order; a referral from an institution) or the
„Za życiem” act (art. 8 with art. 4: the family's application).
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from wtforms import FieldList, FormField, HiddenField, SelectField

from ..accounts.models import User, utcnow
from ..audit import Origin, record
from ..documents import fields as common
from ..documents.context import office_today
from ..documents.spec import FieldSpec, GroupSpec
from ..forms_base import FlaskTextForm, TextForm
from ..forms_builder import REQUIRED, make_field
from ..forms_kinds import choices
from .cases import open_case, release_number, reserve_number, case_sign
from .models import BASIS_KINDS, RELATIONS, SUPPORTS, ZZ_SITUATIONS, Case, Family, FamilyChange, FamilyMember
from .people import birth_date_from_pesel, fold, sex_from_pesel

MAX_MEMBERS = 12
SEXES = (("woman", "kobieta"), ("man", "mężczyzna"))

MEMBER_FIELDS = (
    common.full_name(sample=["Anna Kowalska", "Jan Kowalski", "Zosia Kowalska"]),
    FieldSpec("pesel", "PESEL", "pesel", required=False, max_length=11,
              sample=["88031504580", "85072212339", "15250112342"], help="11 cyfr; jeśli osoba go nie ma, podaj datę urodzenia"),
    FieldSpec("birth_date", "Data urodzenia", "date", required=False, not_future=True,
              help="gdy osoba nie ma numeru PESEL"),
    FieldSpec("relation", "Kim jest w rodzinie", "choice", choices=tuple(RELATIONS.items()),
              sample=["mother", "father", "child"]),
    FieldSpec("sex", "Płeć", "choice", required=False, choices=SEXES,
              help="gdy nie wynika z numeru PESEL"),
    FieldSpec("phone", "Telefon", "phone", required=False, max_length=40),
    FieldSpec("email", "E-mail", "email", required=False, max_length=120),
)
MEMBERS = GroupSpec("members", "Członkowie rodziny", MEMBER_FIELDS, min_entries=1, max_entries=MAX_MEMBERS,
                    row_label="Osoba", help="Wszyscy członkowie rodziny, także dzieci.")
BASIS_CHOICES = tuple((key, label) for key, (support, label) in BASIS_KINDS.items() if support)

ADDRESS_FIELDS: tuple[FieldSpec, ...] = (
    *common.address(),
    FieldSpec("corr_street", "Adres do korespondencji: ulica, numer domu i mieszkania", required=False,
              max_length=120, help="tylko gdy inny niż adres zamieszkania"),
    FieldSpec("corr_postal_code", "Adres do korespondencji: kod pocztowy", "postal_code", required=False, max_length=6),
    FieldSpec("corr_town", "Adres do korespondencji: miejscowość", required=False, max_length=80),
)
BASIS_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("basis_kind", "Podstawa objęcia wsparciem", "choice", choices=BASIS_CHOICES, sample="request"),
    FieldSpec("request_date", "Data wniosku pracownika socjalnego", "date", required=False, not_future=True,
              required_if=("basis_kind", "request"), sample="2026-11-20", help="po przeprowadzeniu wywiadu środowiskowego"),
    FieldSpec("court_name", "Sąd", required=False, required_if=("basis_kind", "court"), max_length=120,
              sample="Sąd Rejonowy w Oświęcimiu"),
    FieldSpec("court_division", "Wydział", required=False, required_if=("basis_kind", "court"), max_length=120,
              sample="III Wydział Rodzinny i Nieletnich"),
    FieldSpec("court_case_number", "Sygnatura akt", "case_number", required=False, required_if=("basis_kind", "court"),
              max_length=40, sample="III Nsm 123/26"),
    FieldSpec("court_decision_date", "Data postanowienia", "date", required=False, not_future=True,
              required_if=("basis_kind", "court"), sample="2026-11-10"),
    FieldSpec("institution_name", "Instytucja zgłaszająca", required=False, required_if=("basis_kind", "referral"),
              max_length=200, sample="Szkoła Podstawowa nr 3 w Oświęcimiu"),
    FieldSpec("letter_date", "Data pisma instytucji", "date", required=False, not_future=True,
              required_if=("basis_kind", "referral"), sample="2026-11-12"),
    FieldSpec("letter_number", "Numer (znak) pisma instytucji", required=False, required_if=("basis_kind", "referral"),
              max_length=60, sample="SP3.4420.15.2026"),
    FieldSpec("application_date", "Data wniosku rodziny", "date", required=False, not_future=True,
              required_if=("basis_kind", "zz_application"), sample="2026-11-18"),
    FieldSpec("situation", "Sytuacja", "choice", required=False, choices=tuple(ZZ_SITUATIONS.items()),
              required_if=("basis_kind", "zz_application"), sample="pregnancy"),
)
FIELDS: tuple[FieldSpec | GroupSpec, ...] = (MEMBERS, *ADDRESS_FIELDS, *BASIS_SPECS)
# Which basis fields belong to which basis (the others are dropped from the stored basis).
BASIS_FIELDS = {
    "request": ("request_date",),
    "court": ("court_name", "court_division", "court_case_number", "court_decision_date"),
    "referral": ("institution_name", "letter_date", "letter_number"),
    "zz_application": ("application_date", "situation"),
}
CORRESPONDENCE = ("corr_street", "corr_postal_code", "corr_town")


class Declaration:
    """The registration's fields, looked up by name as a DocumentType's are (for the API's JSON)."""

    fields = FIELDS

    @staticmethod
    def field(name: str) -> FieldSpec | GroupSpec:
        """The field or group with this name; KeyError for an unknown one."""
        if name == "social_worker":
            return SOCIAL_WORKER
        for spec in FIELDS:
            if spec.name == name:
                return spec
        raise KeyError(name)


SOCIAL_WORKER = FieldSpec("social_worker", "Pracownik socjalny prowadzący sprawę", max_length=64,
                          help="login pracownika socjalnego")


def _member_form():
    attrs = {f.name: make_field(f, enforce_required=False) for f in MEMBER_FIELDS}
    return type("MemberRow", (TextForm,), attrs)


class FamilyForm(FlaskTextForm):
    """The registration form; validate() adds the rules across fields (a PESEL or a date of birth
    for each member, the basis's own fields, a whole correspondence address or none)."""

    # the declaration names the rows for the error summary ("Osoba 2 – PESEL"): forms_base.error_summary
    doctype = Declaration
    members = FieldList(FormField(_member_form()), MEMBERS.label, min_entries=3, max_entries=MAX_MEMBERS)
    social_worker = SelectField(SOCIAL_WORKER.label, validate_choice=False, description="")
    # The form's one-time token (new_submission), kept while the page is shown again: the same
    # form sent twice registers one family (register_family, AlreadyRegistered).
    submission = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        check_basis(self)
        filled = [row.form for row in self.members if not row_empty(row.form)]
        if not filled:
            self.members.errors.append("Podaj co najmniej jednego członka rodziny.")
        for form in filled:
            check_member(form)
        check_distinct_pesels(filled)
        check_distinct_people(filled)
        if filled and all(form.relation.data == "child" for form in filled):
            self.members.errors.append(CHILDREN_ONLY)
        check_correspondence(self)
        return not any(self._all_errors())

    def _all_errors(self):
        for field in self:
            if isinstance(field, FieldList):
                yield from field.errors
                for row in field:
                    yield from (e for f in row.form for e in f.errors)
            else:
                yield from field.errors

    def cleaned(self) -> dict[str, Any]:
        """The validated data as register_family takes it (members as dicts, dates as date)."""
        members = [member_data(row.form) for row in self.members if not row_empty(row.form)]
        token = self.submission.data or ""
        return {"members": members, **address_data(self), **basis_data(self),
                "social_worker": self.social_worker.data or "",
                "submission": token if _TOKEN.fullmatch(token) else None}


_TOKEN = re.compile(r"[0-9a-f]{32}")


def new_submission() -> str:
    """A fresh one-time token for a registration form (32 hex digits: Family.submission)."""
    return uuid.uuid4().hex


def row_empty(form) -> bool:
    """Whether a member row of a form was left blank (nothing typed or chosen)."""
    return not any(f.data not in (None, "", False) for f in form)


def check_member(form) -> None:
    """Adds the rules across one member's fields to its form's errors: a name and a relation; a
    PESEL or a date of birth; the date of birth and the sex, when given, agreeing with the PESEL."""
    for name in ("full_name", "relation"):
        if form[name].data in (None, "") and not form[name].errors:
            form[name].errors.append(REQUIRED)
    pesel, born = form.pesel.data, form.birth_date.data
    if not pesel and born is None and not form.pesel.errors and not form.birth_date.errors:
        form.birth_date.errors.append("Podaj numer PESEL albo datę urodzenia.")
    if pesel and not form.pesel.errors and born and birth_date_from_pesel(pesel) != born:
        form.birth_date.errors.append("Data urodzenia nie zgadza się z numerem PESEL.")
    if pesel and not form.pesel.errors and form.sex.data and not form.sex.errors and sex_from_pesel(pesel) != form.sex.data:
        form.sex.errors.append("Płeć nie zgadza się z numerem PESEL.")


DUPLICATE_PESEL = "Ten numer PESEL wpisano już przy innym członku rodziny."


def check_distinct_pesels(forms, others: tuple[str, ...] = ()) -> None:
    """Adds an error at each PESEL typed for two members (of `forms`, or one of `others`: the
    PESELs of the family's other members)."""
    pesels = [f.pesel.data for f in forms if f.pesel.data and not f.pesel.errors] + list(others)
    for form in forms:
        if form.pesel.data and pesels.count(form.pesel.data) > 1 and not form.pesel.errors:
            form.pesel.errors.append(DUPLICATE_PESEL)


# Art. 8–11 of the family-support act: the assistant works with a family, whose parents (or the
# persons caring for the children) consent and take part; children alone are no such family.
CHILDREN_ONLY = ("Rodzina nie może składać się z samych dzieci: wpisz także rodzica, opiekuna prawnego "
                 "albo inną osobę, która opiekuje się dziećmi.")
SAME_PERSON = "Tę osobę wpisano już wyżej (to samo imię i nazwisko oraz data urodzenia)."


def check_distinct_people(forms) -> None:
    """Adds an error at the name of a row repeating an earlier one: the same name (folded: case,
    diacritics and spaces aside) and the same date of birth (typed, or from the PESEL), where at
    least one of the two has no PESEL (two different PESELs are two people, by the register)."""
    seen: list[tuple[str, object, str | None]] = []
    for form in forms:
        if form.full_name.errors or form.pesel.errors or form.birth_date.errors:
            continue
        pesel = form.pesel.data or None
        person = (fold(form.full_name.data or ""), birth_date_from_pesel(pesel) or form.birth_date.data)
        if person[1] is not None and any(person == (name, born) and not (pesel and other)
                                         for name, born, other in seen):
            form.full_name.errors.append(SAME_PERSON)
        seen.append((*person, pesel))


def same_address(one: tuple[str, str, str], other: tuple[str, str, str]) -> bool:
    """Whether two addresses (street, postal code, town) are the same as written, case and spaces aside."""
    return [" ".join(v.casefold().split()) for v in one] == [" ".join(v.casefold().split()) for v in other]


def check_basis(form) -> None:
    """The basis's own fields are required for the basis chosen; the others are not checked."""
    kind = form.basis_kind.data
    for name, fields in BASIS_FIELDS.items():
        for field_name in fields:
            if name != kind:
                form[field_name].errors = []
            elif form[field_name].data in (None, "") and not form[field_name].errors:
                form[field_name].errors.append(REQUIRED)


def check_correspondence(form) -> None:
    """A correspondence address is given whole or not at all."""
    given = [form[name].data for name in CORRESPONDENCE]
    if any(given) and not all(given):
        for name, value in zip(CORRESPONDENCE, given):
            if not value and not form[name].errors:
                form[name].errors.append("Podaj cały adres do korespondencji albo zostaw go pusty.")


def member_data(form) -> dict[str, Any]:
    """One validated member row as register_family and the changes take it (dates as date)."""
    return {"full_name": form.full_name.data, "pesel": form.pesel.data or None,
            "birth_date": form.birth_date.data, "relation": form.relation.data,
            "sex": form.sex.data or "", "phone": form.phone.data or "", "email": form.email.data or ""}


def address_data(form) -> dict[str, str]:
    """The address and the correspondence address of a validated form ("" for none, and for one
    that repeats the address: the field is for letters that go elsewhere)."""
    address = {"street": form.street.data, "postal_code": form.postal_code.data, "town": form.town.data}
    corr = {name: form[name].data or "" for name in CORRESPONDENCE}
    if same_address(tuple(address.values()), tuple(corr.values())):
        corr = dict.fromkeys(CORRESPONDENCE, "")
    return {**address, **corr}


def basis_data(form) -> dict[str, Any]:
    """{"basis_kind": …, "basis": {its own fields, dates as ISO strings}} of a validated form."""
    kind = form.basis_kind.data
    basis = {}
    for name in BASIS_FIELDS.get(kind, ()):
        value = form[name].data
        if value not in (None, ""):
            basis[name] = value.isoformat() if isinstance(value, dt.date) else value
    return {"basis_kind": kind, "basis": basis}


for _spec in FIELDS:
    if isinstance(_spec, FieldSpec):
        setattr(FamilyForm, _spec.name, make_field(_spec, enforce_required=not _spec.required_if))


def social_worker_choices(session: Session) -> list[tuple[str, str]]:
    """(login, "Name (login)") of the active social workers, by name: the choices of the form."""
    rows = session.execute(select(User).where(User.role == "social_worker", User.active.is_(True))
                           .order_by(User.full_name)).scalars()
    return [(u.login, f"{u.full_name} ({u.login})") for u in rows]


def bind_social_workers(form: FamilyForm, session: Session, actor: User) -> None:
    """Gives the form its social-worker choices; a social worker registering defaults to themselves."""
    form.social_worker.choices = choices([("", "— wybierz —")] + social_worker_choices(session))
    if not form.social_worker.data and actor.role == "social_worker":
        form.social_worker.data = actor.login


def member_values(member: Mapping[str, Any], position: int) -> dict[str, Any]:
    """A FamilyMember's column values from validated member data (the PESEL gives the date of
    birth and the sex; a typed one only when there is no PESEL)."""
    pesel = member.get("pesel") or None
    return {"position": position, "full_name": member["full_name"], "name_folded": fold(member["full_name"])[:160],
            "pesel": pesel, "birth_date": birth_date_from_pesel(pesel) or member.get("birth_date"),
            "sex": sex_from_pesel(pesel) or member.get("sex") or "", "relation": member["relation"],
            "phone": member.get("phone") or "", "email": member.get("email") or ""}


class AlreadyRegistered(Exception):
    """The same registration form was sent before: `family_id` and `case_sign` are of the family
    it registered (the second sending stores nothing)."""

    def __init__(self, family_id: int, case_sign: str) -> None:
        super().__init__(f"family {family_id} ({case_sign}) was registered by this form")
        self.family_id, self.case_sign = family_id, case_sign


def _registered_by(session: Session, token: str | None) -> AlreadyRegistered | None:
    if not token:
        return None
    row = session.execute(select(Family.id, Family.case_id).where(Family.submission == token)).first()
    if row is None:
        return None
    return AlreadyRegistered(row.id, session.get(Case, row.case_id).sign)


class RegistrationRefused(ValueError):
    """The family cannot be registered as given: `errors` maps a field to its Polish messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


def register_family(session: Session, actor: User, origin: Origin, data: Mapping[str, Any], *,
                    office: Mapping[str, str], jrwa: Any, now: dt.datetime | None = None) -> Family:
    """Stores a family's file from validated data (FamilyForm.cleaned()) and opens its case.

    `office` is the letterhead (case-sign pattern, department code), `jrwa` the JrwaClass of the
    support the basis belongs to (BASIS_KINDS). The case number is reserved in a short
    transaction of its own (families.cases), then the case, the family, its members and the
    "registered" change are inserted and committed together; on failure the number is released.
    Logs "register" in the access log. Returns the Family. Raises RegistrationRefused when the
    social worker named is not an active social worker; AlreadyRegistered when `data["submission"]`
    (the form's one-time token, optional) already made a family, also when two sendings of it race
    (the unique Family.submission refuses the second; its number is released, so no gap).
    """
    token = data.get("submission") or None
    done = _registered_by(session, token)
    if done is not None:
        raise done
    worker = None
    if data.get("social_worker"):
        worker = session.execute(select(User).where(User.login == data["social_worker"])).scalar_one_or_none()
        if worker is None or worker.role != "social_worker" or not worker.active:
            raise RegistrationRefused({"social_worker": ["Nie ma aktywnego pracownika socjalnego o tym loginie."]})
    elif actor.role == "social_worker":
        worker = actor
    now = now or utcnow()
    support = BASIS_KINDS[data["basis_kind"]][0]
    names = ", ".join(m["full_name"] for m in data["members"] if m["relation"] != "child") or data["members"][0]["full_name"]
    symbol, key, category = jrwa.symbol, jrwa.key, jrwa.category
    actor_id, worker_id = actor.id, worker.id if worker else None
    session.commit()
    reservation = reserve_number(session, symbol=symbol, year=office_today().year, now=now)
    try:
        case = open_case(session, reservation, pattern=office["case_sign_pattern"], dept=office["department_code"],
                         jrwa_key=key, category=category, title=f"{SUPPORT_TITLES[support]} – {names}",
                         assignee_id=worker_id or actor_id, created_at=now)
        family = Family(case_id=case.id, support=support, basis_kind=data["basis_kind"], basis=dict(data["basis"]),
                        street=data["street"], postal_code=data["postal_code"], town=data["town"],
                        **{name: data.get(name) or "" for name in CORRESPONDENCE},
                        social_worker_id=worker_id, origin="registered", submission=token, created_at=now,
                        created_by_id=actor_id)
        session.add(family)
        session.flush()
        for position, member in enumerate(data["members"]):
            session.add(FamilyMember(family_id=family.id, **member_values(member, position)))
        session.add(FamilyChange(family_id=family.id, at=now, by_id=actor_id, what="registered", before={},
                                 after={"case_sign": case.sign}))
        session.commit()
    except BaseException as exc:
        release_number(session, reservation)
        done = _registered_by(session, token) if isinstance(exc, IntegrityError) else None
        if done is not None:  # the other sending of the same form was first
            raise done from None
        raise
    record(session, actor, origin, "register", "family", family.id, detail=case.sign, family_id=family.id)
    return family


SUPPORT_TITLES = {"family_support": "Wsparcie asystenta rodziny", "za_zyciem": "Koordynacja wsparcia „Za życiem”"}
assert set(SUPPORT_TITLES) == set(SUPPORTS)
