"""The kinds of field whose typed text the form's filters and checks read: texts, identifiers, a
date, choices and a checkbox."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ..context import polish_date, printed
from .base import FieldKind, _empty, _string_value, register

if TYPE_CHECKING:
    from ..spec import FieldSpec


@register
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
        if not spec.choices and spec.choices_from is None:
            raise ValueError(f"{spec.name}: a {self.name} field needs choices (or choices_from)")
        if spec.choices and spec.choices_from is not None:
            raise ValueError(f"{spec.name}: choices or choices_from, not both")


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
        # Choices of the family (choices_from) are known only for a family: any keys, checked then.
        items = {"type": "string", "enum": [k for k, _ in spec.choices]} if spec.choices else {"type": "string"}
        return {"type": "array", "items": items, "minItems": 1 if spec.required else 0, "uniqueItems": True}

    def form_values(self, value: Any) -> list[str]:
        if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
            # say what was wrong: [1, 2] is a list of values too, but the keys are texts ("1")
            raise ValueError("Oczekiwano listy tekstów: każda wartość w cudzysłowie, np. [\"1\", \"2\"]."
                             if isinstance(value, list) else "Oczekiwano listy (wartości w nawiasach [ ])."
                             )
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
