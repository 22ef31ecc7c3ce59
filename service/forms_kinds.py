"""The WTForms field of each kind of field (service/documents/kinds/), with the checks they run.

documents/ knows no web framework (tests/test_layers.py), so a kind's form field is built here: one
function per FieldKind class, registered with `@form_field_for(KindClass)`; forms_builder.make_field
calls it with the field's common validators (Required or OptionalValue, stop_if_refused) and keyword
arguments (the help text). tests/documents/test_field_kinds.py fails for a kind without one.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from stdnum.pl import nip as stdnum_nip
from stdnum.pl import pesel as stdnum_pesel
from wtforms import BooleanField, DateField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import Field
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from .documents import kinds
from .documents.context import office_today, polish_date
from .documents.spec import FieldSpec
from .documents.text import normalize_identifier
from .families.people import age_on, years_text
from .forms_base import text_filters

FormFieldBuilder = Callable[[FieldSpec, list, dict[str, Any]], Field]
FORM_FIELDS: dict[type[kinds.FieldKind], FormFieldBuilder] = {}


def form_field_for(*kind_classes: type[kinds.FieldKind]) -> Callable[[FormFieldBuilder], FormFieldBuilder]:
    """Decorator: the function builds the WTForms field of these kinds; each kind has one."""
    def register(build: FormFieldBuilder) -> FormFieldBuilder:
        for cls in kind_classes:
            if cls in FORM_FIELDS:
                raise ValueError(f"{cls.__name__} has two form fields")
            FORM_FIELDS[cls] = build
        return build
    return register


def form_field(spec: FieldSpec, validators: list, kw: dict[str, Any]) -> Field:
    """The unbound WTForms field of one declared field: its kind's builder with the common
    validators (which come first) and keyword arguments; raises KeyError for a kind without one."""
    return FORM_FIELDS[type(spec.field_kind)](spec, validators, kw)

def _compact(value: Any) -> Any:
    return re.sub(r"[\s-]", "", value) if isinstance(value, str) else value



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


def _limit(spec: FieldSpec) -> Length:
    return Length(max=spec.length_limit, message=f"Najwyżej {spec.length_limit} znaków.")


def _text_field(spec: FieldSpec, validators: list, kw: dict[str, Any], checks: list, *extra_filters) -> Field:
    filters = text_filters(spec.field_kind.normalisation) + list(extra_filters)
    return StringField(spec.label, validators + checks, filters=filters, **kw)


@form_field_for(kinds.TextKind)
def _text(spec, validators, kw):
    return _text_field(spec, validators, kw, [_limit(spec)])


@form_field_for(kinds.TextareaKind)
def _textarea(spec, validators, kw):
    return TextAreaField(spec.label, validators + [_limit(spec)], filters=text_filters("block"), **kw)


@form_field_for(kinds.PeselKind)
def _pesel(spec, validators, kw):
    return _text_field(spec, validators, kw, [pesel_check] + ([adult_check] if spec.adult else []), _compact)


@form_field_for(kinds.NipKind)
def _nip(spec, validators, kw):
    return _text_field(spec, validators, kw, [nip_check], _compact)


@form_field_for(kinds.PostalCodeKind)
def _postal_code(spec, validators, kw):
    return _text_field(spec, validators, kw,
                       [Regexp(r"^[0-9]{2}-[0-9]{3}$", message="Kod pocztowy w formacie 00-000, np. 32-600.")])


@form_field_for(kinds.CaseNumberKind)
def _case_number(spec, validators, kw):
    return _text_field(spec, validators, kw, [_limit(spec), case_number_check])


@form_field_for(kinds.PhoneKind)
def _phone(spec, validators, kw):
    return _text_field(spec, validators, kw, [_limit(spec), Regexp(
        r"^\+?[0-9][0-9 ()-]{7,18}[0-9]$", message="Podaj numer telefonu: same cyfry, np. 33 842 11 00.")])


@form_field_for(kinds.EmailKind)
def _email(spec, validators, kw):
    return _text_field(spec, validators, kw, [
        _limit(spec), Email(message="Podaj poprawny adres e-mail, np. jan.kowalski@example.pl.")])


@form_field_for(kinds.DateKind)
def _date(spec, validators, kw):
    extra = [plausible_date] + ([not_future] if spec.not_future else [])
    return PolishDateField(spec.label, validators + extra, **kw)


@form_field_for(kinds.ChoiceKind)
def _choice(spec, validators, kw):
    return ChoiceField(spec.label, validators, choices=choices(spec.choices), validate_choice=True, **kw)


@form_field_for(kinds.MultichoiceKind)
def _multichoice(spec, validators, kw):
    return CheckboxesField(spec.label, validators, choices=choices(spec.choices), **kw)


@form_field_for(kinds.BooleanKind)
def _boolean(spec, validators, kw):
    return BooleanField(spec.label, validators, **kw)


class ParsedField(Field):
    """A text input read by its kind's `read` (kinds.ParsedKind: a time, a month, an integer).

    A text that is no value of the kind becomes the field's only error, in Polish, and the page
    shows the text as typed; nothing typed is None, left to Required or OptionalValue.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, spec: FieldSpec, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.spec = spec

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        text = valuelist[0] if isinstance(valuelist[0], str) else ""
        self.data = self.spec.field_kind.read(self.spec, text)  # ValueError: WTForms keeps its message

    def _value(self) -> str:
        if self.raw_data:  # what was typed, also when it was refused
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


# A time is typed as digits and one separator („9.05”, „9:05”): inputmode "decimal" opens the
# digit keypad with a separator key (iOS: the region's decimal mark, „,” in Poland, which TimeKind
# reads too; Android: „.” and „,”), where "numeric" has no separator on iOS. No text input type
# "time": its picker would not take „9.05”. Nothing to suggest from earlier forms (autocomplete).
TIME_INPUT = {"inputmode": "decimal", "autocomplete": "off"}


@form_field_for(kinds.TimeKind)
def _time(spec, validators, kw):
    return ParsedField(spec.label, validators, spec=spec, render_kw=TIME_INPUT, **kw)


@form_field_for(kinds.MonthKind)
def _month(spec, validators, kw):
    return ParsedField(spec.label, validators, spec=spec, **kw)


@form_field_for(kinds.IntegerKind)
def _integer(spec, validators, kw):
    return ParsedField(spec.label, validators, spec=spec, render_kw={"inputmode": "numeric"}, **kw)
