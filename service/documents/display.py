"""A document's stored data as people read it on a page: field labels, choice labels, Polish dates.

The archive keeps choice keys (`specific`, `obtain_information`) and ISO dates, and the JSON API
returns them as stored; a page a person reads shows the declaration's Polish labels instead.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .spec import DocumentType, FieldSpec, GroupSpec


def shown_value(spec: FieldSpec, value: Any) -> str:
    """One stored value as text: a choice's label, a date in Polish, „tak”/„nie”, a list joined
    (each kind's FieldKind.shown); „–” for nothing."""
    if value in (None, "", []):
        return "–"
    if getattr(spec, "by_service", False) and isinstance(value, list):
        return ", ".join(str(item) for item in value)  # the service's list of ids, as stored
    return spec.field_kind.shown(spec, value)  # service/documents/kinds/


def data_rows(doctype: DocumentType, data: Mapping[str, Any]) -> list[tuple[str, str | list[str]]]:
    """(label, text) for each stored field of `data`, in the declaration's order.

    A multichoice gives its labels joined with „; ”; a group gives a list with one text per row,
    „Imię i nazwisko: Anna Kowalska, PESEL: …, Płeć: kobieta”. Keys the type no longer declares
    are shown under their own name, so nothing stored is hidden.
    """
    rows: list[tuple[str, str | list[str]]] = []
    declared = {f.name for f in doctype.fields}
    for spec in doctype.fields:
        if spec.name not in data:
            continue
        value = data[spec.name]
        if isinstance(spec, GroupSpec):
            rows.append((spec.label, [
                ", ".join(f"{sub.label}: {shown_value(sub, row[sub.name])}" for sub in spec.fields if sub.name in row)
                for row in value or [] if isinstance(row, Mapping)]))
        else:
            rows.append((spec.label, shown_value(spec, value)))
    rows += [(key, str(value)) for key, value in data.items() if key not in declared]
    return rows
