"""One class per kind of field: what a value of it looks like stored, in JSON, in a document and on a page.

A FieldSpec names its kind with a string ("date", "pesel", …); the registry KINDS maps that name to
one FieldKind object, and every consumer asks the object instead of comparing names:

- `check_spec(spec)`: the declaration is possible (a choice has choices, only a PESEL is adult);
- `json_schema(spec)`: the JSON Schema of a stored value (service/api/schema.py adds title and help);
- `canonical(value)`: the JSON-ready stored value of what the form read (None for nothing);
- `form_values(value)`: a JSON value turned into the form data a web page would post (json_input.py);
- `printed(spec, value)`: what the DOCX template gets (context.build_context), texts passed through
  context.printed;
- `shown(spec, value)`: the text of a stored value on a page (display.shown_value);
- `default_length`: the longest text accepted when the spec sets no max_length;
- `normalisation`: which text filters of service.forms_base its form input passes ("line",
  "block", "identifier", "email"), None for inputs that are not free text.

The WTForms field of each kind lives above this package, in service/forms_kinds.py (documents/ knows no
web framework: tests/test_layers.py), registered by kind class; tests/documents/test_field_kinds.py
fails for a kind that lacks any part. Adding a kind of field is one class here, one registered
function there.

The three kinds that read typed text themselves (time, month, integer) have `parse(spec, text)`,
which both the form field and the tests use; it raises ValueError with the Polish message.
"""
from __future__ import annotations

import abc
import datetime as dt
import re
from typing import TYPE_CHECKING, Any, ClassVar

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal

from .context import LOCALE, polish_date, printed
from .text import normalize_identifier

if TYPE_CHECKING:  # spec.py resolves kinds by name; the annotations only name its class
    from .spec import FieldSpec

KINDS: dict[str, FieldKind] = {}


def register(cls: type[FieldKind]) -> type[FieldKind]:
    """Class decorator: one instance of the kind under its `name`; a name used twice is refused."""
    if cls.name in KINDS:
        raise ValueError(f"field kind {cls.name!r} is declared twice")
    KINDS[cls.name] = cls()
    return cls


def kind_named(name: str) -> FieldKind:
    """The kind object for a FieldSpec's kind name; raises ValueError for an unknown one."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown field kind {name!r}; known: {', '.join(sorted(KINDS))}") from None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _string_value(value: Any) -> list[str]:
    """A JSON string as the form's one value; raises ValueError for any other JSON type."""
    if not isinstance(value, str):
        # The schema says string: a JSON number would be printed as Python writes it
        # (1e400 as "inf"), so it is refused like any other wrong type.
        raise ValueError("Oczekiwano tekstu (wartość w cudzysłowie).")
    return [value]


class FieldKind(abc.ABC):
    """The base of every kind; a subclass must say each of its parts (abstract methods below)."""

    name: ClassVar[str]
    default_length: ClassVar[int] = 200
    normalisation: ClassVar[str | None] = None
    # What a declaration may ask of this kind beyond the common attributes.
    takes_adult: ClassVar[bool] = False  # FieldSpec.adult: the PESEL's person is of age
    takes_bounds: ClassVar[bool] = False  # FieldSpec.min_value and max_value

    def check_spec(self, spec: FieldSpec) -> None:
        """Raises ValueError when the declaration asks what this kind cannot do."""
        if spec.adult and not self.takes_adult:
            raise ValueError(f"{spec.name}: only a PESEL field can require an adult")
        if (spec.min_value is not None or spec.max_value is not None) and not self.takes_bounds:
            raise ValueError(f"{spec.name}: only an integer field has min_value and max_value")

    @abc.abstractmethod
    def json_schema(self, spec: FieldSpec) -> dict[str, Any]:
        """The JSON Schema of one stored value, without title and description."""

    def canonical(self, value: Any) -> Any:
        """What the form read, as stored and returned in JSON: None for nothing typed."""
        if _empty(value):
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    @abc.abstractmethod
    def form_values(self, value: Any) -> list[str]:
        """A (non-null) JSON value as the strings a web form posts for it; raises ValueError with
        the Polish message for a value of the wrong JSON type."""

    @abc.abstractmethod
    def printed(self, spec: FieldSpec, value: Any) -> Any:
        """The template context's value for a stored value (None or "" for nothing)."""

    @abc.abstractmethod
    def shown(self, spec: FieldSpec, value: Any) -> str:
        """A stored, non-empty value as a page shows it to a person."""


class TextKind(FieldKind):
    """Text as typed (after the normalisation of service/documents/text.py)."""

    name = "text"
    normalisation = "line"
    # The JSON Schema's format or pattern of this kind's value (type string, maxLength added).
    schema_format: ClassVar[dict[str, str]] = {}

    def json_schema(self, spec: FieldSpec) -> dict[str, Any]:
        return {"type": "string", **self.schema_format, "maxLength": spec.length_limit}

    def form_values(self, value: Any) -> list[str]:
        return _string_value(value)

    def printed(self, spec: FieldSpec, value: Any) -> Any:
        return "" if _empty(value) else printed(value)

    def shown(self, spec: FieldSpec, value: Any) -> str:
        return str(value)


register(TextKind)


@register
class TextareaKind(TextKind):
    name = "textarea"
    normalisation = "block"
    default_length = 4000


@register
class PeselKind(TextKind):
    name = "pesel"
    normalisation = "identifier"
    schema_format = {"pattern": r"^[0-9]{11}$"}
    takes_adult = True


@register
class NipKind(TextKind):
    name = "nip"
    normalisation = "identifier"
    schema_format = {"pattern": r"^[0-9]{10}$"}


@register
class PostalCodeKind(TextKind):
    name = "postal_code"
    normalisation = "identifier"
    schema_format = {"pattern": r"^[0-9]{2}-[0-9]{3}$"}


@register
class PhoneKind(TextKind):
    name = "phone"
    normalisation = "identifier"


@register
class EmailKind(TextKind):
    name = "email"
    normalisation = "email"
    schema_format = {"format": "email"}


@register
class CaseNumberKind(TextKind):
    """A court's case number (sygnatura akt), e.g. "III Nsm 123/26"."""

    name = "case_number"
    normalisation = "identifier"


@register
class DateKind(FieldKind):
    """A calendar date, stored as ISO 8601 (RRRR-MM-DD), printed „24 listopada 2026 r.”."""

    name = "date"

    def json_schema(self, spec: FieldSpec) -> dict[str, Any]:
        return {"type": "string", "format": "date", "maxLength": spec.length_limit}

    def form_values(self, value: Any) -> list[str]:
        return _string_value(value)

    def printed(self, spec: FieldSpec, value: Any) -> Any:
        return "" if _empty(value) else printed(polish_date(value))

    def shown(self, spec: FieldSpec, value: Any) -> str:
        try:
            return polish_date(value)
        except (TypeError, ValueError):
            return str(value)


class _ChoiceBase(FieldKind):
    def check_spec(self, spec: FieldSpec) -> None:
        super().check_spec(spec)
        if not spec.choices:
            raise ValueError(f"{spec.name}: a {self.name} field needs choices")


@register
class ChoiceKind(_ChoiceBase):
    """One of the declared choices (radio buttons); the key is stored, the label printed."""

    name = "choice"

    def json_schema(self, spec: FieldSpec) -> dict[str, Any]:
        return {"type": "string", "enum": [k for k, _ in spec.choices]}

    def form_values(self, value: Any) -> list[str]:
        return _string_value(value)

    def printed(self, spec: FieldSpec, value: Any) -> Any:
        return "" if _empty(value) else printed(spec.choice_label(value))

    def shown(self, spec: FieldSpec, value: Any) -> str:
        return spec.choice_label(value)


@register
class MultichoiceKind(_ChoiceBase):
    """Any of the declared choices (checkboxes): a list of keys, printed as a list of labels."""

    name = "multichoice"

    def json_schema(self, spec: FieldSpec) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string", "enum": [k for k, _ in spec.choices]},
                "minItems": 1 if spec.required else 0, "uniqueItems": True}

    def form_values(self, value: Any) -> list[str]:
        if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
            raise ValueError("Oczekiwano listy wartości.")
        return list(value)

    def printed(self, spec: FieldSpec, value: Any) -> Any:
        return [] if _empty(value) else [printed(spec.choice_label(v)) for v in value]

    def shown(self, spec: FieldSpec, value: Any) -> str:
        return "; ".join(spec.choice_label(v) for v in value)


@register
class BooleanKind(FieldKind):
    """A checkbox: stored true or false (never missing), printed „tak” or „nie”."""

    name = "boolean"

    def json_schema(self, spec: FieldSpec) -> dict[str, Any]:
        return {"type": "boolean"}

    def canonical(self, value: Any) -> Any:
        return bool(value)

    def form_values(self, value: Any) -> list[str]:
        if not isinstance(value, bool):
            raise ValueError("Oczekiwano wartości true albo false.")
        return ["y"] if value else []  # an unchecked checkbox posts nothing

    def printed(self, spec: FieldSpec, value: Any) -> Any:
        if value is None or value == "":
            return ""
        return "tak" if value else "nie"

    def shown(self, spec: FieldSpec, value: Any) -> str:
        return "tak" if value else "nie"


# The kinds below read typed text themselves (parse); the form field calls parse, so the page and
# the API accept and refuse exactly the same texts.

class ParsedKind(FieldKind):
    """A kind whose typed text is read by `parse` into its canonical value."""

    # Longer input is refused before it is read: no real value of these kinds is that long.
    max_input = 40

    @abc.abstractmethod
    def parse(self, spec: FieldSpec, text: str) -> Any:
        """The canonical value of a non-empty typed text; raises ValueError with the Polish message."""

    def read(self, spec: FieldSpec, text: str) -> Any:
        """`parse` after the identifier normalisation (full-width digits, other dashes, spaces
        pasted around it); None for a text of only spaces. Raises ValueError like parse."""
        text = normalize_identifier(text).strip()
        if not text:
            return None
        if len(text) > self.max_input:
            raise ValueError(self.refusal(spec))
        return self.parse(spec, text)

    @abc.abstractmethod
    def refusal(self, spec: FieldSpec) -> str:
        """The Polish message for a text that is not a value of this kind."""

    def form_values(self, value: Any) -> list[str]:
        return _string_value(value)


@register
class TimeKind(ParsedKind):
    """A clock time, 24-hour: typed „9:05”, „09.05” or „9 05”, stored „09:05” (ISO 8601, as an HTML
    time input sends it), printed „9.05”.

    Printed with a dot and without a leading zero: the Polish spelling rules (Wielki słownik
    ortograficzny PWN, zasady pisowni, § 95 [370]: „godz. 9.05”; the colon only tolerated, after
    digital clocks) and the office letters that name an hour („w dniu … o godz. 10.00”).
    """

    name = "time"
    default_length = 5
    _TIME = re.compile(r"([0-9]{1,2})\s*[:.\s]\s*([0-9]{2})")

    def json_schema(self, spec: FieldSpec) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}

    def refusal(self, spec: FieldSpec) -> str:
        return "Podaj godzinę w formacie GG:MM, od 0:00 do 23:59, np. 9:05."

    def parse(self, spec: FieldSpec, text: str) -> str:
        match = self._TIME.fullmatch(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValueError(self.refusal(spec))
        return f"{int(match[1]):02d}:{match[2]}"

    def printed(self, spec: FieldSpec, value: Any) -> Any:
        return "" if _empty(value) else printed(self.shown(spec, value))

    def shown(self, spec: FieldSpec, value: Any) -> str:
        try:
            hours, minutes = str(value).split(":")
            return f"{int(hours)}.{minutes}"
        except ValueError:
            return str(value)


_NOMINATIVE = {name.lower(): number for number, name in
               get_month_names("wide", context="stand-alone", locale=LOCALE).items()}


@register
class MonthKind(ParsedKind):
    """A calendar month: typed „2026-11”, „11.2026”, „11/2026” or „listopad 2026”, stored „2026-11”,
    printed and shown „listopad 2026 r.” (the nominative, as in „za miesiąc listopad 2026 r.” of a
    monthly report; Babel's stand-alone month name, CLDR pattern LLLL y)."""

    name = "month"
    default_length = 7
    _NUMERIC = (re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})"),
                re.compile(r"(?P<month>[0-9]{1,2})\s*[./]\s*(?P<year>[0-9]{4})"))
    _NAMED = re.compile(r"(?P<name>[^\W\d_]+)\s+(?P<year>[0-9]{4})(?:\s*r\.?)?")

    def json_schema(self, spec: FieldSpec) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"}

    def refusal(self, spec: FieldSpec) -> str:
        return "Podaj miesiąc w formacie RRRR-MM lub MM.RRRR, np. 2026-11 albo listopad 2026."

    def parse(self, spec: FieldSpec, text: str) -> str:
        month = year = None
        for pattern in self._NUMERIC:
            match = pattern.fullmatch(text)
            if match:
                month, year = int(match["month"]), int(match["year"])
        match = self._NAMED.fullmatch(text)
        if match and match["name"].lower() in _NOMINATIVE:
            month, year = _NOMINATIVE[match["name"].lower()], int(match["year"])
        if month is None or not 1 <= month <= 12:
            raise ValueError(self.refusal(spec))
        if not 1900 <= year <= 2999:  # as dates (forms_builder.EARLIEST_DATE): a typing slip
            raise ValueError("Podaj miesiąc od roku 1900, np. listopad 2026.")
        return f"{year:04d}-{month:02d}"

    def printed(self, spec: FieldSpec, value: Any) -> Any:
        return "" if _empty(value) else printed(self.shown(spec, value))

    def shown(self, spec: FieldSpec, value: Any) -> str:
        try:
            year, month = (int(part) for part in str(value).split("-"))
            first = dt.date(year, month, 1)
        except ValueError:
            return str(value)
        # A no-break space keeps "r." on the line of its year, as in context.polish_date.
        return f"{format_date(first, 'LLLL y', locale=LOCALE)}\u00a0r."


@register
class IntegerKind(ParsedKind):
    """A whole number, optionally within spec.min_value … spec.max_value (e.g. minutes of travel,
    0–1440); typed with or without spaces between thousands, stored as a JSON integer."""

    name = "integer"
    default_length = 20
    # Beyond any count an office keeps, and short enough that int() never meets Python's limit
    # on the digits of an integer read from text (sys.int_info.default_max_str_digits).
    LIMIT = 10 ** 15
    takes_bounds = True

    def check_spec(self, spec: FieldSpec) -> None:
        super().check_spec(spec)
        if spec.min_value is not None and spec.max_value is not None and spec.min_value > spec.max_value:
            raise ValueError(f"{spec.name}: min_value is above max_value")

    def bounds(self, spec: FieldSpec) -> tuple[int, int]:
        """The smallest and the largest accepted value."""
        low = spec.min_value if spec.min_value is not None else -self.LIMIT
        high = spec.max_value if spec.max_value is not None else self.LIMIT
        return low, high

    def json_schema(self, spec: FieldSpec) -> dict[str, Any]:
        low, high = self.bounds(spec)
        return {"type": "integer", "minimum": low, "maximum": high}

    def refusal(self, spec: FieldSpec) -> str:
        if spec.min_value is not None and spec.max_value is not None:
            return f"Podaj liczbę całkowitą od {spec.min_value} do {spec.max_value}."
        if spec.min_value is not None:
            return f"Podaj liczbę całkowitą nie mniejszą niż {spec.min_value}."
        if spec.max_value is not None:
            return f"Podaj liczbę całkowitą nie większą niż {spec.max_value}."
        return "Podaj liczbę całkowitą, np. 12."

    def parse(self, spec: FieldSpec, text: str) -> int:
        digits = re.sub(r"(?<=[0-9])\s(?=[0-9]{3}\b)", "", text)  # „1 440” as printed
        if not re.fullmatch(r"[-+]?[0-9]{1,16}", digits):
            raise ValueError(self.refusal(spec))
        value = int(digits)
        low, high = self.bounds(spec)
        if not low <= value <= high:
            raise ValueError(self.refusal(spec))
        return value

    def canonical(self, value: Any) -> Any:
        return None if _empty(value) else value

    def form_values(self, value: Any) -> list[str]:
        # bool is an int in Python, but true is no number; a float (12.0, 1e400) is refused too.
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("Oczekiwano liczby całkowitej (bez cudzysłowu).")
        if abs(value) > self.LIMIT:
            raise ValueError("Liczba jest zbyt duża.")
        return [str(value)]

    def printed(self, spec: FieldSpec, value: Any) -> Any:
        return "" if _empty(value) else printed(self.shown(spec, value))

    def shown(self, spec: FieldSpec, value: Any) -> str:
        # Polish spelling groups thousands with a (no-break) space from five digits on: „1440”, „12 000”.
        if isinstance(value, int) and abs(value) >= 10_000:
            return format_decimal(value, locale=LOCALE)
        return str(value)


FIELD_KINDS = frozenset(KINDS)
