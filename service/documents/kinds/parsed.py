"""The kinds of field that read typed text themselves (`parse`): a clock time, a month, an integer.

The form field (service/forms_kinds.ParsedField) calls `read`, so the page and the JSON API accept and
refuse exactly the same texts, with the same Polish message at the field.
"""
from __future__ import annotations

import abc
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal

from ..context import LOCALE, printed
from ..text import normalize_identifier
from .base import FieldKind, _empty, _string_value, register

if TYPE_CHECKING:
    from ..spec import FieldSpec


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
    """A clock time, 24-hour: typed „9:05”, „09.05”, „9 05” or „9,05”, stored „09:05” (ISO 8601, as
    an HTML time input sends it), printed „9.05”. The comma is what the digit keypad of a tablet set
    to Polish offers as its only separator (iOS, inputmode "decimal": service/forms_kinds.py).

    Printed with a dot and without a leading zero, as the spelling dictionary puts it („Kropkę
    jednak stawiamy pomiędzy cyframi oznaczającymi godziny i minuty, np. 15.10, 8.25”: E. Polański,
    Nowy słownik ortograficzny PWN, 2002, p. CI), as railway timetables and office letters
    („o godz. 10.00”) print hours. The PWN language advice service accepts the colon too (Poradnia
    PWN, „zapis godziny”, 2005), but a document keeps to the dictionary's form; the colon stays the
    stored form because HTML time inputs and ISO 8601 use it.
    """

    name = "time"
    default_length = 5
    _TIME = re.compile(r"([0-9]{1,2})\s*[:.,\s]\s*([0-9]{2})")

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
