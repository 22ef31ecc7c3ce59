"""Builds the WTForms form of a document type from its declaration; the web and the API share it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import FieldList, Form, FormField
from wtforms.validators import Optional, StopValidation

from .documents.grammar import pesel_problem, sex_problem
from .documents.kinds import KINDS
from .documents.spec import DocumentType, FieldSpec, GroupSpec
from .forms_base import FlaskTextForm, TextForm, stop_if_refused
from .forms_kinds import choices, form_field

REQUIRED = "To pole jest wymagane."
# The kinds whose text is read as an identifier (NFKC, dashes and spaces unified: forms_base.IDENTIFIER).
IDENTIFIER_KINDS = frozenset(name for name, kind in KINDS.items() if kind.normalisation in ("identifier", "email"))


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


def make_field(spec: FieldSpec, *, enforce_required: bool = True):
    """The unbound WTForms field for one declared field: the validators every field has, then its
    kind's field, filters and checks (forms_kinds.form_field)."""
    # After Required/Optional: an empty optional date (which WTForms cannot parse) is no error.
    validators: list = [Required() if (spec.required and enforce_required and not spec.required_if)
                        else OptionalValue(), stop_if_refused]
    return form_field(spec, validators, {"description": spec.help})


def _row_form(group: GroupSpec) -> type[Form]:
    attrs = {f.name: make_field(f, enforce_required=False) for f in group.fields}
    return type(f"{group.name.title()}Row", (TextForm,), attrs)


class DocumentForm(FlaskTextForm):
    """The base of every document form; validate() adds the declaration's cross-field rules."""

    doctype: DocumentType
    # Whether validate() runs the declaration's cross-field checks. The API turns them off for a
    # body some of whose values were refused before the form saw them (a list where a text was
    # due, more rows than a group takes): the checks would judge the data without those values
    # and blame the fields that were right („no action for goal 1” when the actions were dropped).
    cross_checks: bool = True

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        data = self.cleaned_data()
        # A field that does not apply (court data when the basis is a request) is not checked.
        for spec in self.doctype.form_fields:
            if isinstance(spec, FieldSpec) and spec.required_if and not _applies(spec, data):
                self[spec.name].errors = []
        valid = not any(f.errors for f in self)
        for spec in self.doctype.form_fields:
            if isinstance(spec, GroupSpec):
                valid &= self._validate_group(spec)
            elif spec.required_if and _applies(spec, data) and spec.name not in data:
                self[spec.name].errors.append(REQUIRED)
                valid = False
        valid &= self._validate_persons()
        # The cross-field checks (dates in order) run in the same round as the rest, so every
        # error is shown at once; a field that already has an error keeps that one message.
        for check in self.doctype.checks if self.cross_checks else ():
            for name, message in check(data).items():
                target = self._field_at(name)
                if not target.errors:
                    target.errors.append(message)
                    valid = False
        return valid

    def rows_shown(self, name: str) -> int:
        """How many rows of the group `name` the page shows: for a growing group (GroupSpec.growing)
        up to its last filled row, at least min_entries and at least one, plus the rows asked for with „Dodaj”
        (grow); for another group all max_entries."""
        spec = self.doctype.field(name)
        if not spec.growing:
            return spec.max_entries
        filled = [i for i, entry in enumerate(self[name].entries) if not _row_empty(entry.form)]
        # at least one row, also of a group that may stay empty: „Dodaj” (static/forms.js) copies the
        # last row shown, so a group with none could never grow
        shown = max(spec.min_entries, 1, filled[-1] + 1 if filled else 0, getattr(self, "_grown", {}).get(name, 0))
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

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs) -> None:
        """WTForms' process, with the rows left empty between filled rows of a numbered group
        taken out of the posted data first (without_gaps), so that its rows are numbered 1, 2, 3…"""
        formdata = self.meta.wrap_formdata(self, formdata)
        if formdata is not None:
            formdata = without_gaps(self.doctype, formdata)
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)

    def offer_rows(self) -> None:
        """Gives each field that names a row of a numbered group (FieldSpec.refers_to: an action's
        goal) the rows the page shows as its choices: ("2", "Cel 2: <the goal's text>"), or
        ("2", "Cel 2") for a row still without text. For the page only, after validation: the
        validation keeps the declared choices, and the type's check says at the field when the
        number names no row („W planie nie ma celu 5…”)."""
        for group_name in dict.fromkeys(s.refers_to for s in self.doctype.all_field_specs if s.refers_to):
            offered = choices(self.row_choices(group_name))
            for group, field_name in self.doctype.references(group_name):
                fields = [entry.form[field_name] for entry in self[group]] if group else [self[field_name]]
                for field in fields:
                    field.choices = offered

    def row_choices(self, group_name: str) -> list[tuple[str, str]]:
        """The rows of the numbered group `group_name` the page shows, as (number, "Cel 2: text")."""
        group = self.doctype.field(group_name)
        out = []
        for i, entry in enumerate(self[group_name].entries[:self.rows_shown(group_name)]):
            title = entry.form[group.title_field].data
            title = " ".join(str(title).split()) if title else ""
            out.append((str(i + 1), f"{group.row_label} {i + 1}" + (f": {title}" if title else "")))
        return out

    def cleaned_data(self) -> dict[str, Any]:
        """The canonical, JSON-ready data: ISO dates, only applicable and non-empty values; a row
        of a numbered group (GroupSpec.number_field) given without its number gets its place."""
        out: dict[str, Any] = {}
        for spec in self.doctype.form_fields:
            if isinstance(spec, GroupSpec):
                rows = [_values(group_row.form, spec.fields) for group_row in self[spec.name]]
                if spec.number_field:
                    rows = [{spec.number_field: str(i + 1), **r} if r else r for i, r in enumerate(rows)]
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
    return spec.field_kind.canonical(value)  # service/documents/kinds/


def _values(form: Form, fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
    row = {}
    for spec in fields:
        value = _canonical(spec, form[spec.name].data)
        if value not in (None, False):
            row[spec.name] = value
    return row


def _row_empty(form: Form) -> bool:
    return all(f.data in (None, "", [], False) for f in form)


def without_row(formdata: MultiDict, group: str, index: int,
                references: tuple[tuple[str | None, str], ...] = ()) -> MultiDict:
    """The form data with row `index` of a repeating group (group-<i>-field) left out and the later
    rows renumbered, so the page shows them in order: the no-script „Usuń” of a member row.

    `references` (DocumentType.references: (group or None, field) pairs) are the fields that hold
    the number of a row of `group` (an action's goal): one that named the row taken out is
    cleared (the person chooses again), one that named a later row follows it (3 becomes 2)."""
    pattern = re.compile(rf"{re.escape(group)}-(\d+)-(.+)")
    refs = [re.compile(rf"{re.escape(g)}-\d+-{re.escape(name)}" if g else re.escape(name)) for g, name in references]
    out: MultiDict = MultiDict()
    for key, value in formdata.items(multi=True):
        if any(ref.fullmatch(key) for ref in refs) and isinstance(value, str) and value.strip().isdigit() \
                and value.strip().isascii():
            number = int(value)
            if number == index + 1:
                continue
            value = str(number - 1) if number > index + 1 else value
        match = pattern.fullmatch(key)
        if match is None:
            out.add(key, value)
            continue
        i = int(match.group(1))
        if i != index:
            out.add(f"{group}-{i - 1 if i > index else i}-{match.group(2)}", value)
    return out


def without_gaps(doctype: DocumentType, formdata) -> MultiDict:
    """The posted data with each row of a numbered group (GroupSpec.number_field) that is left
    empty before a filled one taken out (without_row, its references following), so the goals
    typed in rows 1 and 3 are goals 1 and 2. Data that gives the rows' numbers itself (a JSON body
    that names them) is left as it is: its references name those numbers, not places."""
    for group in doctype.fields:
        if not (isinstance(group, GroupSpec) and group.number_field):
            continue
        pattern = re.compile(rf"{re.escape(group.name)}-(\d+)-(.+)")
        filled: dict[int, bool] = {}
        numbered = False
        for key, value in formdata.items(multi=True):
            match = pattern.fullmatch(key)
            if match is None:
                continue
            i, name = int(match.group(1)), match.group(2)
            text = value.strip() if isinstance(value, str) else str(value)
            numbered |= name == group.number_field and bool(text)
            filled[i] = filled.get(i, False) or bool(text)
        if numbered or not filled:
            continue
        last = max(i for i, f in filled.items() if f) if any(filled.values()) else -1
        for i in sorted((i for i in range(last) if not filled.get(i, False)), reverse=True):
            formdata = without_row(formdata, group.name, i, doctype.references(group.name))
    return formdata


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
            return RowEdit(without_row(formdata, group, int(index), doctype.references(group)))
    return None


@lru_cache(maxsize=None)
def form_class(doctype: DocumentType) -> type[DocumentForm]:
    """The form class for a document type, built once from its declaration."""
    attrs: dict[str, Any] = {"doctype": doctype}
    for spec in doctype.form_fields:
        if isinstance(spec, GroupSpec):
            attrs[spec.name] = FieldList(FormField(_row_form(spec)), spec.label,
                                         min_entries=spec.max_entries, max_entries=spec.max_entries,
                                         description=spec.help)
        else:
            attrs[spec.name] = make_field(spec)
    return type(f"{doctype.slug.title().replace('_', '')}Form", (DocumentForm,), attrs)


def fit_to_family(form: DocumentForm, facts: Any) -> None:
    """Gives the form's family-dependent fields (FieldSpec.choices_from) their choices for this
    family (facts: family_facts.FamilyFacts, or None for a document without a family's file), before
    the form is validated or shown. A field without choices is hidden by the page
    (document_form.html) and refuses any value („Wybrano nieznaną opcję.”)."""
    for spec in form.doctype.form_fields:
        if isinstance(spec, FieldSpec) and spec.choices_from is not None:
            form[spec.name].choices = choices(spec.choices_from(facts))


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
