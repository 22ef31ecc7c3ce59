"""The base of the kinds of field and their registry (see the package's docstring)."""
from __future__ import annotations

import abc
import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # spec.py resolves kinds by name; the annotations only name its class
    from ..spec import FieldSpec

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

