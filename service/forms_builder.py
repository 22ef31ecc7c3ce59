"""Builds the WTForms form of a document type from its declaration; the web and the API share it."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from stdnum.pl import nip as stdnum_nip
from stdnum.pl import pesel as stdnum_pesel
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, RadioField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, Optional, Regexp, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget
from werkzeug.datastructures import MultiDict

from .documents.context import office_today, polish_date
from .documents.grammar import pesel_problem, sex_problem
from .families.people import age_on, years_text
from .documents.spec import DocumentType, FieldSpec, GroupSpec
from .documents.text import normalize_identifier
from .forms_base import FlaskTextForm, TextForm, stop_if_refused, text_filters

REQUIRED = "To pole jest wymagane."
IDENTIFIER_KINDS = frozenset({"pesel", "nip", "postal_code", "phone", "email", "case_number"})


def _compact(value: Any) -> Any:
    return re.sub(r"[\s-]", "", value) if isinstance(value, str) else value


class Required:
    """A value must be given (after cleaning); the Polish message stops further checks."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        data = field.data
        if field.errors:  # a value was typed but could not be read: that message says more
            raise StopValidation()
        if data is None or data == "" or data == [] or data is False:
            raise StopValidation(REQUIRED)


class OptionalValue(Optional):
    """Optional, judged on the cleaned value too: a value of only invisible characters is no value."""

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and not field.data and not field.process_errors:
            field.errors[:] = []
            raise StopValidation()
        super().__call__(form, field)


def pesel_check(form, field) -> None:
    """A PESEL with 11 ASCII digits, a correct checksum and a real date of birth, not in the future.

    The checksum and the date (month + 20/40/60/80 for the 2000s/2100s/2200s/1800s) are read
    with python-stdnum (stdnum.pl.pesel), as the PESEL register encodes them.
    """
    value = field.data or ""
    if not re.fullmatch(r"[0-9]{11}", value):
        raise ValidationError("PESEL musi składać się z 11 cyfr.")
    try:
        born = stdnum_pesel.get_birth_date(value)
    except Exception:
        raise ValidationError("Nieprawidłowy numer PESEL: zawiera niemożliwą datę urodzenia.")
    if not stdnum_pesel.is_valid(value):
        raise ValidationError("Nieprawidłowy numer PESEL: błędna cyfra kontrolna.")
    if born > office_today():
        raise ValidationError(f"Nieprawidłowy numer PESEL: wynika z niego data urodzenia {polish_date(born)}, "
                              "która jeszcze nie nadeszła. Sprawdź cyfry.")
    if born < EARLIEST_DATE:
        # The 1800s encoding (month + 80) is valid in the register, but never for a living signer.
        raise ValidationError(f"Nieprawidłowy numer PESEL: wynika z niego data urodzenia {polish_date(born)}. "
                              "Sprawdź cyfry miesiąca.")


def adult_check(form, field) -> None:
    """The person of this PESEL acts for themselves: 18 or older on the day of issue (today).

    Full legal capacity comes with majority (Kodeks cywilny art. 10–11); for a minor the legal
    representative (a parent or legal guardian) consents or authorises, and signs, instead.
    Runs after pesel_check, so the PESEL is known to be valid.
    """
    if field.errors or not field.data:
        return
    age = age_on(stdnum_pesel.get_birth_date(field.data), office_today())
    if age < 18:
        raise ValidationError(
            f"Według numeru PESEL ta osoba ma {years_text(age)}, a tu podpisuje osoba pełnoletnia. "
            "Za osobę niepełnoletnią podpisuje jej przedstawiciel ustawowy (rodzic lub opiekun prawny) "
            "– wpisz tutaj jego dane.")


def nip_check(form, field) -> None:
    """A NIP with 10 digits and a correct checksum."""
    if not stdnum_nip.is_valid(field.data or ""):
        raise ValidationError("Nieprawidłowy numer NIP (10 cyfr z poprawną cyfrą kontrolną).")


def not_future(form, field) -> None:
    """A date that is not after today (in Warsaw, the documents' day)."""
    if isinstance(field.data, dt.date) and field.data > office_today():
        raise ValidationError("Data nie może być późniejsza niż dzisiejsza.")


# No date of the family assistant's work (a consent, a decision, a birth) lies before this.
EARLIEST_DATE = dt.date(1900, 1, 1)


def plausible_date(form, field) -> None:
    """A date not before 1 January 1900: „1 stycznia 1 r.” is a typing slip, not a date of a case."""
    if isinstance(field.data, dt.date) and field.data < EARLIEST_DATE:
        raise ValidationError(f"Podaj datę nie wcześniejszą niż {polish_date(EARLIEST_DATE)}")  # ends in „r.”


class PolishDateField(DateField):
    """A date typed as RRRR-MM-DD (the date picker) or DD.MM.RRRR, with a Polish message."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, format=["%Y-%m-%d", "%d.%m.%Y"], **kwargs)

    def process_formdata(self, valuelist) -> None:
        # Read like an identifier: pasted spaces, full-width digits and other dashes are no error.
        valuelist = [normalize_identifier(v) if isinstance(v, str) else v for v in valuelist]
        if valuelist and not "".join(v for v in valuelist if isinstance(v, str)).strip():
            # nothing typed is no date, not a wrong one: Required says „To pole jest wymagane.”
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Podaj poprawną datę w formacie RRRR-MM-DD lub DD.MM.RRRR.")


class ChoiceField(RadioField):
    """Radio buttons: nothing chosen is left to Required (one message, „To pole jest wymagane.”,
    not WTForms' „Not a valid choice”); a value that is not among the choices is refused."""

    def pre_validate(self, form) -> None:
        if self.data in (None, ""):
            return
        if self.data not in {c.value for c in self.choices}:
            raise ValidationError("Wybrano nieznaną opcję.")


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        keys = {c.value for c in self.choices}
        if any(v not in keys for v in self.data or []):
            raise ValidationError("Wybrano nieznaną opcję.")


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def case_number_check(form, field) -> None:
    """A court case number (sygnatura akt) as courts write it: "III Nsm 123/26", "I C 45/2026"."""
    if not _CASE_NUMBER.fullmatch(field.data or ""):
        raise ValidationError("Sygnatura akt jak na piśmie sądu, np. III Nsm 123/26 "
                              "(litery bez polskich znaków, cyfry, ukośnik).")


_CASE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .-]*[0-9]/[0-9]+[A-Za-z0-9 ./-]*")


def make_field(spec: FieldSpec, *, enforce_required: bool = True):
    """The WTForms field for one declared field."""
    # After Required/Optional: an empty optional date (which WTForms cannot parse) is no error.
    validators: list = [Required() if (spec.required and enforce_required and not spec.required_if)
                        else OptionalValue(), stop_if_refused]
    kw: dict[str, Any] = {"description": spec.help}
    limit = Length(max=spec.length_limit, message=f"Najwyżej {spec.length_limit} znaków.")
    kind = spec.kind
    if kind == "textarea":
        return TextAreaField(spec.label, validators + [limit], filters=text_filters("block"), **kw)
    if kind == "date":
        extra = [plausible_date] + ([not_future] if spec.not_future else [])
        return PolishDateField(spec.label, validators + extra, **kw)
    if kind == "choice":
        return ChoiceField(spec.label, validators, choices=choices(spec.choices),
                           validate_choice=True, **kw)
    if kind == "multichoice":
        return CheckboxesField(spec.label, validators, choices=choices(spec.choices), **kw)
    if kind == "boolean":
        return BooleanField(spec.label, validators, **kw)
    filters = text_filters("email" if kind == "email" else "identifier" if kind in IDENTIFIER_KINDS else "line")
    checks: list = [limit]
    if kind == "pesel":
        filters.append(_compact)
        checks = [pesel_check] + ([adult_check] if spec.adult else [])
    elif kind == "nip":
        filters.append(_compact)
        checks = [nip_check]
    elif kind == "postal_code":
        checks = [Regexp(r"^[0-9]{2}-[0-9]{3}$", message="Kod pocztowy w formacie 00-000, np. 32-600.")]
    elif kind == "case_number":
        checks = [limit, case_number_check]
    elif kind == "phone":
        checks = [limit, Regexp(r"^\+?[0-9][0-9 ()-]{7,18}[0-9]$",
                                message="Podaj numer telefonu: same cyfry, np. 33 842 11 00.")]
    elif kind == "email":
        checks = [limit, Email(message="Podaj poprawny adres e-mail, np. jan.kowalski@example.pl.")]
    return StringField(spec.label, validators + checks, filters=filters, **kw)


def _row_form(group: GroupSpec) -> type[Form]:
    attrs = {f.name: make_field(f, enforce_required=False) for f in group.fields}
    return type(f"{group.name.title()}Row", (TextForm,), attrs)


class DocumentForm(FlaskTextForm):
    """The base of every document form; validate() adds the declaration's cross-field rules."""

    doctype: DocumentType

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        data = self.cleaned_data()
        # A field that does not apply (court data when the basis is a request) is not checked.
        for spec in self.doctype.fields:
            if isinstance(spec, FieldSpec) and spec.required_if and not _applies(spec, data):
                self[spec.name].errors = []
        valid = not any(f.errors for f in self)
        for spec in self.doctype.fields:
            if isinstance(spec, GroupSpec):
                valid &= self._validate_group(spec)
            elif spec.required_if and _applies(spec, data) and spec.name not in data:
                self[spec.name].errors.append(REQUIRED)
                valid = False
        valid &= self._validate_persons()
        # The cross-field checks (dates in order) run in the same round as the rest, so every
        # error is shown at once; a field that already has an error keeps that one message.
        for check in self.doctype.checks:
            for name, message in check(data).items():
                target = self._field_at(name)
                if not target.errors:
                    target.errors.append(message)
                    valid = False
        return valid

    def rows_shown(self, name: str) -> int:
        """How many rows of the group `name` the page shows: for a growing group (GroupSpec.growing)
        up to its last filled row, at least min_entries, plus the rows asked for with „Dodaj”
        (grow); for another group all max_entries."""
        spec = self.doctype.field(name)
        if not spec.growing:
            return spec.max_entries
        filled = [i for i, entry in enumerate(self[name].entries) if not _row_empty(entry.form)]
        shown = max(spec.min_entries, filled[-1] + 1 if filled else 0, getattr(self, "_grown", {}).get(name, 0))
        return min(shown, spec.max_entries)

    def grow(self, name: str) -> None:
        """Shows one more row of the growing group `name` (the no-script „Dodaj” button)."""
        self._grown = {**getattr(self, "_grown", {}), name: self.rows_shown(name) + 1}

    def _field_at(self, path: str):
        """The field a check names: "plan_date", a group "actions", or a row's field
        "actions[2].goal_no", where 2 counts the rows of cleaned_data() (the filled rows only)."""
        match = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", path)
        if match is None:
            return self[path]
        group, index, name = match.group(1), int(match.group(2)), match.group(3)
        spec = self.doctype.field(group)
        filled = [entry.form for entry in self[group] if _values(entry.form, spec.fields)]
        return filled[index][name]

    def _validate_group(self, group: GroupSpec) -> bool:
        valid = True
        filled = [row for row in self[group.name] if not _row_empty(row.form)]
        for row in filled:
            for spec in group.fields:
                sub = row.form[spec.name]
                if spec.required and sub.data in (None, "", []) and not sub.errors:
                    sub.errors.append(REQUIRED)
                    valid = False
        if len(filled) < group.min_entries:
            self[group.name].errors.append(
                f"Uzupełnij co najmniej {group.min_entries} "
                + ("pozycję." if group.min_entries == 1 else "pozycje."))
            valid = False
        return valid

    def _validate_persons(self) -> bool:
        """Each person the wording agrees with has a known gender (grammar.sex_problem): the
        „Płeć” field is required when neither the PESEL nor the first name tells, and may not
        contradict the PESEL (message at the „Płeć” field); a PESEL of the other sex than a first
        name the dictionary is sure of is refused at the PESEL field unless the „Płeć” chosen
        confirms it (grammar.pesel_problem). One message per field: a field already refused
        (an unknown choice, a bad checksum) is not judged again."""
        valid = True
        for ref in self.doctype.persons:
            if ref.group:
                spec = self.doctype.field(ref.group)
                forms = [row.form for row in self[ref.group] if not _row_empty(row.form)]
                rows = [(form, _values(form, spec.fields)) for form in forms]
            else:
                rows = [(self, {name: _canonical(self.doctype.field(name), self[name].data)
                                for name in (ref.name, ref.pesel, ref.sex) if name})]
            for form, values in rows:
                if any(form[name].errors for name in (ref.name, ref.pesel, ref.sex) if name):
                    continue  # the name, PESEL or choice is wrong: that one message comes first
                name, chosen = values.get(ref.name), values.get(ref.sex) if ref.sex else None
                pesel = values.get(ref.pesel) if ref.pesel else None
                # a PESEL of the other sex than the first name: most often another person's number
                message = pesel_problem(name, pesel, chosen, can_choose=ref.sex is not None)
                if message:
                    form[ref.pesel].errors.append(message)
                    valid = False
                    continue
                message = sex_problem(name, pesel, chosen)
                if message:
                    form[ref.sex or ref.name].errors.append(message)
                    valid = False
        return valid

    def cleaned_data(self) -> dict[str, Any]:
        """The canonical, JSON-ready data: ISO dates, only applicable and non-empty values."""
        out: dict[str, Any] = {}
        for spec in self.doctype.fields:
            if isinstance(spec, GroupSpec):
                rows = [_values(group_row.form, spec.fields) for group_row in self[spec.name]]
                out[spec.name] = [r for r in rows if r]
                continue
            value = _canonical(spec, self[spec.name].data)
            if value is not None:
                out[spec.name] = value
        # A field that only applies to another choice (court data when the basis is a request)
        # is dropped, so the archive holds exactly what the document says.
        return {k: v for k, v in out.items() if _applies(self.doctype.field(k), out)}


def _applies(spec, data: dict[str, Any]) -> bool:
    if isinstance(spec, GroupSpec) or not spec.required_if:
        return True
    other, wanted = spec.required_if
    return data.get(other) == wanted


def _canonical(spec: FieldSpec, value: Any) -> Any:
    if spec.kind == "boolean":
        return bool(value)
    if value in (None, "", []):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _values(form: Form, fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
    row = {}
    for spec in fields:
        value = _canonical(spec, form[spec.name].data)
        if value not in (None, False):
            row[spec.name] = value
    return row


def _row_empty(form: Form) -> bool:
    return all(f.data in (None, "", [], False) for f in form)


def without_row(formdata: MultiDict, group: str, index: int) -> MultiDict:
    """The form data with row `index` of a repeating group (group-<i>-field) left out and the later
    rows renumbered, so the page shows them in order: the no-script „Usuń” of a member row."""
    pattern = re.compile(rf"{re.escape(group)}-(\d+)-(.+)")
    out: MultiDict = MultiDict()
    for key, value in formdata.items(multi=True):
        match = pattern.fullmatch(key)
        if match is None:
            out.add(key, value)
            continue
        i = int(match.group(1))
        if i != index:
            out.add(f"{group}-{i - 1 if i > index else i}-{match.group(2)}", value)
    return out


@dataclass(frozen=True)
class RowEdit:
    """A form posted by a no-script „Dodaj” or „Usuń” button of a growing group: the form data to
    show again (a removed row left out, the later ones renumbered) and the group to grow, if any."""

    formdata: MultiDict
    grow: str | None = None


def row_edit(doctype: DocumentType, formdata: MultiDict) -> RowEdit | None:
    """The row edit a posted form asks for (add_row=<group>, remove_row=<group>:<index>, of a
    growing group of `doctype`), or None when it was sent to issue the document. Nothing is checked
    or stored for a row edit: the page is shown again with what was typed."""
    growing = {g.name for g in doctype.fields if isinstance(g, GroupSpec) and g.growing}
    add, remove = formdata.get("add_row"), formdata.get("remove_row")
    if add is not None and add in growing:
        return RowEdit(formdata, add)
    if remove:
        group, _, index = remove.partition(":")
        if group in growing and index.isascii() and index.isdigit():  # not "²": isdigit() alone takes it
            return RowEdit(without_row(formdata, group, int(index)))
    return None


@lru_cache(maxsize=None)
def form_class(doctype: DocumentType) -> type[DocumentForm]:
    """The form class for a document type, built once from its declaration."""
    attrs: dict[str, Any] = {"doctype": doctype}
    for spec in doctype.fields:
        if isinstance(spec, GroupSpec):
            attrs[spec.name] = FieldList(FormField(_row_form(spec)), spec.label,
                                         min_entries=spec.max_entries, max_entries=spec.max_entries,
                                         description=spec.help)
        else:
            attrs[spec.name] = make_field(spec)
    return type(f"{doctype.slug.title().replace('_', '')}Form", (DocumentForm,), attrs)


def errors_by_path(form: Form, prefix: str = "") -> dict[str, list[str]]:
    """Every error of a form as {"persons[0].pesel": ["…"]}, for the JSON API."""
    out: dict[str, list[str]] = {}
    for field in form:
        name = prefix + field.short_name
        if isinstance(field, FieldList):
            if field.errors and all(isinstance(e, str) for e in field.errors):
                out[name] = list(field.errors)
            for i, entry in enumerate(field.entries):
                out.update(errors_by_path(entry.form, f"{name}[{i}]."))
        elif field.errors and field.short_name != "csrf_token":
            out[name] = list(field.errors)
    return out
