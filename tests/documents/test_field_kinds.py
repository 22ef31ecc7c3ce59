"""The kinds of field (service/documents/kinds/ and their form fields in service/forms_kinds.py).

Every kind of the registry has every part, so a kind added later cannot lack one; the kinds that read
typed text themselves (time, month, integer) accept and refuse the same values in the form and in
their JSON Schema, store, print and show them as Polish offices write them, and never raise for any
text typed.
"""
from __future__ import annotations

import abc
import inspect

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from service.documents import kinds
from service.documents.kinds import KINDS, FieldKind, kind_named
from service.documents.spec import FieldSpec
from service.forms_base import TextForm
from service.forms_builder import make_field
from service.forms_kinds import FORM_FIELDS

CHOICES = (("a", "Pierwsza"), ("b", "Druga"))


def spec_of(kind: str, **extra) -> FieldSpec:
    if kind in ("choice", "multichoice"):
        extra.setdefault("choices", CHOICES)
    return FieldSpec("value", "Wartość", kind, **extra)


SAMPLES = {  # a stored value of each kind
    "text": "Anna Kowalska", "textarea": "Dwie\nlinie", "date": "2026-11-24", "pesel": "88031504580",
    "nip": "5260250274", "postal_code": "32-600", "phone": "33 842 11 00", "email": "a@example.pl",
    "case_number": "III Nsm 123/26", "choice": "a", "multichoice": ["a", "b"], "boolean": True,
    "time": "09:05", "month": "2026-11", "integer": 90,
}


def all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | all_subclasses(sub)
    return found


def form_with(spec: FieldSpec, values: list[str] | None = None, required: bool = True):
    """A plain form of this one field, bound to `values` posted under its name, and validated."""
    form_class = type("OneField", (TextForm,), {"value": make_field(spec, enforce_required=required)})
    form = form_class(formdata=MultiDict([("value", v) for v in (values or [])]))
    return form, form.validate()


def schema_accepts(spec: FieldSpec, value) -> bool:
    return jsonschema_rs.validator_for(spec.field_kind.json_schema(spec), validate_formats=True).is_valid(value)


# --- every kind has every part --------------------------------------------------------------

def test_every_kind_class_is_registered_once_and_whole():
    """A concrete FieldKind class not in KINDS, or one with a part left abstract, fails here."""
    concrete = {cls for cls in all_subclasses(FieldKind) if not inspect.isabstract(cls)}
    assert concrete == {type(kind) for kind in KINDS.values()}
    for name, kind in KINDS.items():
        assert kind.name == name and not getattr(type(kind), "__abstractmethods__", None)
        if isinstance(kind, kinds.ParsedKind):
            assert type(kind).parse is not kinds.ParsedKind.parse


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_has_all_its_parts(name):
    """Form field, JSON Schema, canonical, JSON input, printed and shown values, a length."""
    kind = KINDS[name]
    spec = spec_of(name)
    assert type(kind) in FORM_FIELDS, f"{type(kind).__name__} has no form field in service/forms_kinds.py"
    assert make_field(spec) is not None
    sample = SAMPLES[name]
    assert schema_accepts(spec, sample), f"{name}: its JSON Schema refuses its own sample {sample!r}"
    assert kind.canonical(sample) == sample
    posted = kind.form_values(sample)
    assert isinstance(posted, list) and all(isinstance(v, str) for v in posted)
    form, valid = form_with(spec, posted)
    assert valid, form.errors
    assert kind.canonical(form.value.data) == sample  # the JSON value round-trips through the form
    assert kind.printed(spec, sample) not in (None, "", [])
    assert isinstance(kind.shown(spec, sample), str) and kind.shown(spec, sample)
    assert kind.printed(spec, None) in ("", [])
    assert isinstance(kind.default_length, int) and kind.default_length > 0
    assert kind.normalisation in (None, "line", "block", "identifier", "email")


def test_unknown_kind_and_impossible_declarations_are_refused():
    with pytest.raises(ValueError, match="unknown field kind 'clock'"):
        FieldSpec("start", "Początek", "clock")
    with pytest.raises(ValueError, match="needs choices"):
        FieldSpec("basis", "Podstawa", "choice")
    with pytest.raises(ValueError, match="only a PESEL"):
        FieldSpec("start", "Początek", "time", adult=True)
    with pytest.raises(ValueError, match="only an integer"):
        FieldSpec("start", "Początek", "time", min_value=0)
    with pytest.raises(ValueError, match="min_value is above max_value"):
        FieldSpec("minutes", "Minuty", "integer", min_value=10, max_value=5)


def test_a_spec_names_its_kind_and_holds_its_object():
    spec = FieldSpec("visit_date", "Data wizyty", "date")
    assert spec.kind == "date" and spec.field_kind is kind_named("date")
    by_object = FieldSpec("visit_date", "Data wizyty", kind_named("date"))
    assert by_object.kind == "date" and by_object == spec and hash(by_object) == hash(spec)


# --- time -----------------------------------------------------------------------------------

TIME = spec_of("time")


@pytest.mark.parametrize("typed, stored", [
    ("9:05", "09:05"), ("09:05", "09:05"), ("09.05", "09:05"), ("9.05", "09:05"),
    ("9 05", "09:05"), ("9,05", "09:05"), ("0:00", "00:00"), ("23:59", "23:59"), (" ９:０５ ", "09:05"),
])
def test_time_accepted(typed, stored):
    form, valid = form_with(TIME, [typed])
    assert valid, form.errors
    assert TIME.field_kind.canonical(form.value.data) == stored
    assert schema_accepts(TIME, stored)


@pytest.mark.parametrize("typed", ["24:00", "9:75", "905", "9:5", "nine", "9:05:00", "-1:00", "٩:٠٥"])
def test_time_refused_at_the_field_keeping_what_was_typed(typed):
    form, valid = form_with(TIME, [typed])
    assert not valid
    assert form.value.errors == ["Podaj godzinę w formacie GG:MM, od 0:00 do 23:59, np. 9:05."]
    assert f'value="{typed}"' in form.value()
    assert not schema_accepts(TIME, typed)


def test_time_opens_the_digit_keypad_with_a_separator():
    """On a tablet a time field opens the digits with a separator key (inputmode "decimal"; "numeric"
    has none on iOS, whose Polish separator is the comma, read as well), and offers no earlier entries."""
    form, _ = form_with(TIME, ["9,05"])
    html = form.value()
    assert 'inputmode="decimal"' in html and 'autocomplete="off"' in html and 'type="text"' in html
    assert 'value="9,05"' in html and form.value.data == "09:05"
    month, _ = form_with(MONTH, ["listopad 2026"])  # typed with letters too: the full keyboard
    assert "inputmode" not in month.value()


def test_time_printed_with_a_dot_without_a_leading_zero():
    assert TIME.field_kind.printed(TIME, "09:05") == "9.05"
    assert TIME.field_kind.shown(TIME, "17:30") == "17.30"


# --- month ----------------------------------------------------------------------------------

MONTH = spec_of("month")


@pytest.mark.parametrize("typed", ["2026-11", "11.2026", "11/2026", "listopad 2026", "Listopad 2026 r."])
def test_month_accepted(typed):
    form, valid = form_with(MONTH, [typed])
    assert valid, form.errors
    assert form.value.data == "2026-11" and schema_accepts(MONTH, "2026-11")


@pytest.mark.parametrize("typed, message", [
    ("13.2026", "Podaj miesiąc w formacie RRRR-MM lub MM.RRRR, np. 2026-11 albo listopad 2026."),
    ("2026-00", "Podaj miesiąc w formacie RRRR-MM lub MM.RRRR, np. 2026-11 albo listopad 2026."),
    ("listopadzie 2026", "Podaj miesiąc w formacie RRRR-MM lub MM.RRRR, np. 2026-11 albo listopad 2026."),
    ("11.1899", "Podaj miesiąc od roku 1900, np. listopad 2026."),
])
def test_month_refused_at_the_field(typed, message):
    form, valid = form_with(MONTH, [typed])
    assert not valid and form.value.errors == [message]
    assert f'value="{typed}"' in form.value()
    assert not schema_accepts(MONTH, typed)


def test_month_printed_in_the_nominative():
    assert MONTH.field_kind.printed(MONTH, "2026-11") == "listopad 2026\u00a0r."
    assert MONTH.field_kind.shown(MONTH, "2027-02") == "luty 2027\u00a0r."


# --- integer --------------------------------------------------------------------------------

MINUTES = spec_of("integer", min_value=0, max_value=1440)


@pytest.mark.parametrize("typed, stored", [("0", 0), ("90", 90), (" 1440 ", 1440), ("1 440", 1440), ("+15", 15)])
def test_integer_accepted(typed, stored):
    form, valid = form_with(MINUTES, [typed])
    assert valid, form.errors
    assert form.value.data == stored and schema_accepts(MINUTES, stored)


@pytest.mark.parametrize("typed", ["-1", "1441", "12,5", "1e3", "dwa", "9" * 400])
def test_integer_refused_at_the_field(typed):
    form, valid = form_with(MINUTES, [typed])
    assert not valid and form.value.errors == ["Podaj liczbę całkowitą od 0 do 1440."]
    assert f'value="{typed}"' in form.value()


@pytest.mark.parametrize("value", [-1, 1441, 12.5, "90", True])
def test_integer_schema_refuses(value):
    assert not schema_accepts(MINUTES, value)


@pytest.mark.parametrize("value, message", [
    ("90", "Oczekiwano liczby całkowitej (bez cudzysłowu)."), (True, "Oczekiwano liczby całkowitej (bez cudzysłowu)."),
    (1.5, "Oczekiwano liczby całkowitej (bez cudzysłowu)."), (10 ** 5000, "Liczba jest zbyt duża."),
], ids=["string", "boolean", "float", "huge"])
def test_integer_json_input_refuses_other_types(value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        MINUTES.field_kind.form_values(value)


def test_integer_messages_name_the_bounds_declared():
    assert form_with(spec_of("integer", min_value=1), ["0"])[0].value.errors == [
        "Podaj liczbę całkowitą nie mniejszą niż 1."]
    assert form_with(spec_of("integer", max_value=12), ["13"])[0].value.errors == [
        "Podaj liczbę całkowitą nie większą niż 12."]
    assert form_with(spec_of("integer"), ["x"])[0].value.errors == ["Podaj liczbę całkowitą, np. 12."]


def test_integer_printed_as_polish_numbers():
    kind = MINUTES.field_kind
    assert kind.printed(MINUTES, 1440) == "1440" and kind.shown(MINUTES, 0) == "0"
    assert kind.shown(spec_of("integer"), 12000) == "12\u00a0000"


# --- nothing typed --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["time", "month", "integer"])
def test_nothing_typed_is_required_or_nothing(name):
    spec = spec_of(name)
    form, valid = form_with(spec, ["  "])
    assert not valid and form.value.errors == ["To pole jest wymagane."]
    form, valid = form_with(spec_of(name, required=False), ["  "])
    assert valid and spec.field_kind.canonical(form.value.data) is None


# --- any text: accepted and round-tripping, or a message; never an exception ----------------

@pytest.mark.parametrize("spec", [TIME, MONTH, MINUTES], ids=["time", "month", "integer"])
@settings(max_examples=150, deadline=None)
@given(text=st.one_of(st.text(max_size=30), st.from_regex(r"\s*[0-9]{1,5}\s*[-:./ ]?\s*[0-9]{0,4}\s*")))
def test_any_text_is_accepted_and_round_trips_or_refused_with_a_message(spec, text):
    kind = spec.field_kind
    form, valid = form_with(spec, [text], required=False)
    if not valid:
        assert form.value.errors and all(isinstance(m, str) and m.startswith("Podaj") for m in form.value.errors)
        return
    stored = kind.canonical(form.value.data)
    if stored is None:
        return
    assert schema_accepts(spec, stored), stored
    again, valid = form_with(spec, kind.form_values(stored))  # as the JSON API reads the stored value
    assert valid and kind.canonical(again.value.data) == stored
    assert isinstance(kind.printed(spec, stored), str) and kind.shown(spec, stored)
