"""Turns validated data into the template context: Polish dates, choice labels, office letterhead.

Every text the context holds is typeset for Polish (service.documents.typesetting: no line break
inside a postal code, after a one-letter word, between a number and its unit...) and, when it holds
right-to-left letters, isolated; the values as validated stay under `raw`, unchanged.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from zoneinfo import ZoneInfo

from babel.dates import format_date

from .grammar import Person, Persons, gender_of, make_person
from .spec import DocumentType, FieldSpec, GroupSpec, PersonRef
from .template_vars import SAMPLE_ISSUE_DATE, SAMPLE_OFFICE, TEMPLATE_VAR_NAMES, TEMPLATE_VARS
from .typesetting import typeset

LOCALE = "pl_PL"
WARSAW = ZoneInfo("Europe/Warsaw")


def office_today() -> dt.date:
    """Today in Europe/Warsaw: the day every document is dated and every form's date is judged by.

    The server's own clock zone may differ (Debian's default is UTC, an hour or two behind at
    midnight): a consent given „today” must not be refused as future during that hour.
    """
    return dt.datetime.now(WARSAW).date()


def polish_date(value: dt.date | str) -> str:
    """'24 listopada 2026 r.': the genitive month, as in every Polish official letter."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    # A no-break space keeps "r." on the line of its year.
    return f"{format_date(value, 'd MMMM y', locale=LOCALE)}\u00a0r."


def place_date_line(town: str, day: dt.date) -> str:
    """'Oświęcim, dnia 24 listopada 2026 r.'"""
    return f"{town}, dnia {polish_date(day)}"


def isolate_bidi(text: str) -> str:
    """Wraps text that contains right-to-left letters in Unicode isolates (FSI … PDI).

    Without them an Arabic or Hebrew street name pulls the template's own neighbouring text
    (", 32-600") into its right-to-left run, and the postal code prints as "600-32".
    """
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return f"\u2068{text}\u2069"
    return text


_PRESENTATION_FOLLOWERS = "\ufe0e\ufe0f\u200d\u20e3"  # selectors, the emoji joiner, the keycap


def select_text_presentation(text: str) -> str:
    """Puts U+FE0E (text presentation selector) after each pictograph outside the BMP (😀, 🙂 …)
    that has no selector, modifier or joiner after it, in a text with right-to-left letters or
    Arabic-Indic digits; other texts are returned unchanged.

    Why: LibreOffice 7.4 lays such a pictograph out with the complex-script font of the right-to-left
    or Arabic-digit text around it (Liberation Serif) and prints that font's empty glyph, without
    falling back to a font that has it (Symbola); with a presentation selector it falls back.
    Unicode's StandardizedVariants allow U+FE0E after every emoji; the selector is invisible and
    is dropped by copy and search as a default-ignorable character (Unicode 15, sec. 5.21).
    """
    if not any(unicodedata.bidirectional(ch) in ("R", "AL", "AN") for ch in text):
        return text
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if (ord(ch) > 0xFFFF and unicodedata.category(ch) == "So" and nxt not in _PRESENTATION_FOLLOWERS
                and not (nxt and 0x1F3FB <= ord(nxt) <= 0x1F3FF)):
            out.append("\ufe0e")
    return "".join(out)


def printed(text: Any) -> Any:
    """A text as a document prints it: typeset for Polish, pictographs among right-to-left text
    given a presentation selector, then bidi-isolated; non-text unchanged.

    Typesetting comes first so that its rules see the text's own word boundaries, not the isolates.
    """
    return isolate_bidi(select_text_presentation(typeset(text))) if isinstance(text, str) else text


def _display(spec: FieldSpec, value: Any) -> Any:
    if getattr(spec, "by_service", False) and not isinstance(value, str):
        # the service's own value (a list of document ids): no person typed it, and no template
        # prints it as text; a text goes through printed() as every other
        return value
    return spec.field_kind.printed(spec, value)  # service/documents/kinds/


@dataclass(frozen=True)
class _Inputs:
    doctype: DocumentType
    data: Mapping[str, Any]
    office: Mapping[str, Any]
    case_sign: str
    doc_ref: str
    issued_on: dt.date


def _date_town(office: Mapping[str, Any]) -> str:
    """The town of a letter's date line: the profile's date_town, or its seat's town without one."""
    return office.get("date_town") or office.get("town", "")


# How each declared template variable (template_vars.TEMPLATE_VARS) is computed.
_TEMPLATE_VALUES: dict[str, Callable[[_Inputs], Any]] = {
    "office": lambda i: {key: printed(value) for key, value in i.office.items()},
    "case_sign": lambda i: printed(i.case_sign),
    "doc_ref": lambda i: printed(i.doc_ref),
    "title": lambda i: printed(i.doctype.title),
    "legal_basis": lambda i: printed(i.doctype.legal_basis.citation),
    "issue_date": lambda i: printed(polish_date(i.issued_on)),
    "place_date": lambda i: printed(place_date_line(_date_town(i.office), i.issued_on)),
    "place": lambda i: printed(_date_town(i.office)),
    "raw": lambda i: dict(i.data),
}
if set(_TEMPLATE_VALUES) != TEMPLATE_VAR_NAMES:  # a variable computed but not declared, or declared only
    raise RuntimeError(f"template variables: {sorted(set(_TEMPLATE_VALUES) ^ TEMPLATE_VAR_NAMES)}")


def build_context(doctype: DocumentType, data: Mapping[str, Any], *, office: Mapping[str, Any],
                  case_sign: str, doc_ref: str, issued_on: dt.date) -> dict[str, Any]:
    """Everything a template may print, display-ready; raw values stay under `raw` for conditions.

    Returns a dict of the document's fields (texts, lists of texts for multichoice, lists of dicts
    for groups) plus the declared template variables (template_vars.TEMPLATE_VARS: office,
    case_sign, doc_ref, title, legal_basis, issue_date, place_date and raw),
    and for each of the type's persons (doctype.persons) a grammar.Person under its key (None when
    the name is empty) or, for a group, grammar.Persons, each row also holding its Person as
    "person". Every text in it, the office profile, the legal basis and the names in every case
    included, has passed `printed()`.
    """
    made = _Inputs(doctype, data, office, case_sign, doc_ref, issued_on)
    ctx: dict[str, Any] = {var.name: _TEMPLATE_VALUES[var.name](made) for var in TEMPLATE_VARS}
    for spec in doctype.fields:
        value = data.get(spec.name)
        if isinstance(spec, GroupSpec):
            ctx[spec.name] = [
                {sub.name: _display(sub, row.get(sub.name)) for sub in spec.fields}
                for row in (value or [])
            ]
        else:
            ctx[spec.name] = _display(spec, value)
    for ref in doctype.persons:
        _add_persons(ctx, ref, data)
    if doctype.context_extra is not None:
        extra = doctype.context_extra(data, ctx)
        clash = set(extra) & set(ctx)
        if clash:
            raise ValueError(f"{doctype.slug}.context_extra replaces {sorted(clash)}")
        declared = {v.name for v in doctype.extra_vars}
        if set(extra) != declared:  # a template may read only declared names (template_vars)
            raise ValueError(f"{doctype.slug}.context_extra differs from extra_vars: {sorted(set(extra) ^ declared)}")
        ctx.update(extra)
    return ctx


def sample_context(doctype: DocumentType, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """build_context of `data` (default: the type's sample_data, which must be valid) with the
    declared samples of the template variables (template_vars): for tests and sample renders."""
    samples = {v.name: v.sample for v in TEMPLATE_VARS}
    data = {**doctype.sample_data, **doctype.service_sample} if data is None else data
    return build_context(doctype, data, office=SAMPLE_OFFICE,
                         case_sign=samples["case_sign"], doc_ref=samples["doc_ref"], issued_on=SAMPLE_ISSUE_DATE)


def _person(ref: PersonRef, values: Mapping[str, Any]) -> Person | None:
    name = values.get(ref.name)
    if not isinstance(name, str) or not name.strip():
        return None
    pesel = values.get(ref.pesel) if ref.pesel else None
    return make_person(name, gender_of(name, pesel, values.get(ref.sex)), printed)


def _add_persons(ctx: dict[str, Any], ref: PersonRef, data: Mapping[str, Any]) -> None:
    if ref.group is None:
        ctx[ref.key] = _person(ref, data)
        return
    people = []
    for row, shown in zip(data.get(ref.group) or [], ctx[ref.group]):
        shown["person"] = _person(ref, row)
        if shown["person"] is not None:
            people.append(shown["person"])
    ctx[ref.key] = Persons(tuple(people))



def person_gender(doctype: DocumentType, data: Mapping[str, Any], name_field: str,
                  group: str | None = None, index: int = 0) -> str | None:
    """The gender ("f", "m" or None) of the person whose name is in `name_field` of `data`.

    For a signer slot: name_field=slot.name_field, group=slot.repeat_over, index=the slot's row;
    so that a page can say „Zapoznałam się” or „Zapoznałem się” to this signer. Reads the type's
    PersonRef for that field (its PESEL and „Płeć” fields); a field no PersonRef names is read by
    the first name alone. Returns None when nothing tells or the row does not exist.
    """
    ref = next((r for r in doctype.persons if r.name == name_field and r.group == group), None)
    if group is not None:
        rows = data.get(group) or []
        if not 0 <= index < len(rows):
            return None
        values = rows[index]
    else:
        values = data
    name = values.get(name_field)
    if not isinstance(name, str) or not name.strip():
        return None
    if ref is None:
        return gender_of(name)
    return gender_of(name, values.get(ref.pesel) if ref.pesel else None, values.get(ref.sex) if ref.sex else None)
