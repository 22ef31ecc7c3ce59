"""A document's stored data as people read it on a page: field labels, choice labels, Polish dates.

The archive keeps choice keys (`specific`, `obtain_information`) and ISO dates, and the JSON API
returns them as stored; a page a person reads shows the declaration's Polish labels instead.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .spec import DocumentType, FieldSpec, GroupSpec

# A document's identifier as the archive stores it (DocumentRecord.id: 32 hexadecimal digits).
DOCUMENT_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Link:
    """Another document named by this one, as a page shows it: its title and date, and its page."""
    text: str
    href: str


# The staff members' logins the service stores in a document (a visit's or a time report's
# assistant_login: the key that stays stable when a name changes), with the label a page shows
# them under as the person's full name: a reader knows the assistant by name, not by login.
STAFF_LOGINS = {"assistant_login": "Asystent rodziny"}
# What a page knows of a staff member by login: the full name, or None (an unknown login is shown
# as stored).
NameOf = Callable[[str], str | None]

# What a page knows of a document named by its identifier: a Link, or None when the reader may
# not see it (the identifier is then shown as stored).
Refer = Callable[[str], Link | None]


def shown_value(spec: FieldSpec, value: Any) -> str:
    """One stored value as text: a choice's label, a date in Polish, „tak”/„nie”, a list joined
    (each kind's FieldKind.shown); „–” for nothing."""
    if value in (None, "", []):
        return "–"
    if getattr(spec, "by_service", False) and isinstance(value, list):
        return ", ".join(str(item) for item in value)  # the service's list of ids, as stored
    return spec.field_kind.shown(spec, value)  # service/documents/kinds/


def _references(value: Any, refer: Refer) -> Link | list[Link | str] | None:
    """The documents a value set by the service names (a plan replaced, a plan assessed, a report's
    visit records), as links where the reader may see them; None when the value names none."""
    ids = value if isinstance(value, list) else [value]
    if not ids or not all(isinstance(i, str) and DOCUMENT_ID.fullmatch(i) for i in ids):
        return None
    links = [refer(i) or i for i in ids]
    return links if isinstance(value, list) else links[0]


def data_rows(doctype: DocumentType, data: Mapping[str, Any], refer: Refer | None = None,
              name_of: NameOf | None = None) -> list[tuple[str, Any]]:
    """(label, value) for each stored field of `data`, in the declaration's order.

    A value is a text; a multichoice gives its labels joined with „; ”; a group gives a list with
    one row per entry, each a list of (label, text) pairs („Imię i nazwisko”, „Anna Kowalska”),
    so a page shows each on its own line rather than joining texts that end with a full stop. With
    `refer`, a value the service set that names other documents by their identifiers (a revised
    plan's `replaces`, an assessment's `plan_ref`, a report's `visit_refs`) becomes a Link or a list
    of Links (an identifier the reader may not see stays as stored), and its label loses the
    „ (identyfikator)” its form had. With `name_of`, a staff member's login the service stored
    (STAFF_LOGINS) is shown as their full name under the label there. Keys the type no longer declares are shown under their own
    name, so nothing stored is hidden.
    """
    rows: list[tuple[str, Any]] = []
    declared = {f.name for f in doctype.fields}
    for spec in doctype.fields:
        if spec.name not in data:
            continue
        value = data[spec.name]
        if isinstance(spec, GroupSpec):
            rows.append((spec.label, [
                [(sub.label, shown_value(sub, row[sub.name])) for sub in spec.fields if sub.name in row]
                for row in value or [] if isinstance(row, Mapping)]))
            continue
        service_set = getattr(spec, "by_service", False) or getattr(spec, "derived", False)
        linked = _references(value, refer) if refer is not None and service_set else None
        named = name_of(value) if name_of is not None and spec.name in STAFF_LOGINS and isinstance(value, str) else None
        if named:
            rows.append((STAFF_LOGINS[spec.name], named))
        elif linked is not None:
            rows.append((spec.label.removesuffix(" (identyfikator)"), linked))
        else:
            rows.append((spec.label, shown_value(spec, value)))
    rows += [(key, str(value)) for key, value in data.items() if key not in declared]
    return rows
