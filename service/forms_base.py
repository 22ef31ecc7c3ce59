"""The WTForms bases of every form of the service: all text typed or pasted passes one normalisation.

`TextForm` (plain forms, rows of a FieldList) and `FlaskTextForm` (pages, with CSRF) add, when a
text field is bound, the filters of service.documents.text to every StringField and TextAreaField
that does not bring its own (passwords, hidden fields and file fields are left alone: they are
secrets or machine data, never printed). A refused value becomes an error at its field; the
validators of a field whose value was refused do not run, so the person sees one clear message.
The same idea as GOV.UK Notify's StripWhitespaceForm, with the rule of service/documents/text.py.
"""
from __future__ import annotations

from typing import Any, Callable

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import StopValidation

from .documents.text import foreign_digits, normalize_block, normalize_identifier, normalize_line, refusal

__all__ = ["TextForm", "FlaskTextForm", "LINE", "BLOCK", "IDENTIFIER", "text_filters", "stop_if_refused",
           "error_summary"]


def _filter(normalize: Callable[[str], str]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        return normalize(value) if isinstance(value, str) else value
    apply.normalises_text = True  # type: ignore[attr-defined]
    apply.__doc__ = f"Filter: {normalize.__name__} on a str, anything else unchanged."
    return apply


LINE = _filter(normalize_line)
BLOCK = _filter(normalize_block)
IDENTIFIER = _filter(normalize_identifier)


def _refusing(check: Callable[[str], str | None], what: str) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        if isinstance(value, str):
            message = check(value)
            if message:
                raise ValueError(message)
        return value
    apply.__doc__ = f"Filter: raises ValueError (the Polish message) for {what}."
    return apply


refuse_unprintable = _refusing(refusal, "a value that cannot be printed as seen")
refuse_foreign_digits = _refusing(foreign_digits, "a digit of another script in an identifier")


def text_filters(kind: str = "line") -> list[Callable[[Any], Any]]:
    """The filters of one text field: kind "line", "block" (textarea), "identifier" or "email".

    The normalisation comes first, so the form shows (and the API stores) the normalised value;
    the refusals come after it and raise ValueError, which WTForms keeps as the field's error.
    Identifiers accept ASCII digits only; an e-mail address is read like an identifier (NFKC),
    but its local part may be in any script (RFC 6531), so its digits are not restricted.
    """
    if kind == "identifier":
        return [IDENTIFIER, refuse_foreign_digits, refuse_unprintable]
    if kind == "email":
        return [IDENTIFIER, refuse_unprintable]
    return [BLOCK if kind == "block" else LINE, refuse_unprintable]


def stop_if_refused(form, field) -> None:
    """Validator: when a filter refused the value, its message is the field's only error."""
    if field.process_errors:
        raise StopValidation()


class _NormalisingMeta:
    def bind_field(self, form, unbound_field, options):
        cls = unbound_field.field_class
        if issubclass(cls, StringField) and not issubclass(cls, (PasswordField, HiddenField)):
            # A copy: the class's unbound field is shared by every instance of the form.
            args, kwargs = list(unbound_field.args), dict(unbound_field.kwargs)
            filters = list(kwargs.get("filters") or ())
            if not any(getattr(f, "normalises_text", False) for f in filters):
                kind = "block" if issubclass(cls, TextAreaField) else "line"
                kwargs["filters"] = text_filters(kind) + filters
            if len(args) > 1:
                if stop_if_refused not in (args[1] or ()):
                    args[1] = [stop_if_refused, *(args[1] or ())]
            elif stop_if_refused not in (kwargs.get("validators") or ()):
                kwargs["validators"] = [stop_if_refused, *(kwargs.get("validators") or ())]
            unbound_field = UnboundField(cls, *args, name=unbound_field.name, **kwargs)
        return super().bind_field(form, unbound_field, options)


class TextForm(Form):
    """A plain form (e.g. a FieldList row) whose text fields are normalised and checked."""

    class Meta(_NormalisingMeta):
        pass


class FlaskTextForm(FlaskForm):
    """A page's form (CSRF from Flask-WTF) whose text fields are normalised and checked."""

    class Meta(_NormalisingMeta):
        pass


def error_summary(form, prefix: str = "") -> list[dict[str, str]]:
    """Every error of a page's form, in page order, for its error summary.

    Takes a bound WTForms form (after validation); returns a list of {"href": "#<id of the input
    to focus>", "label": the field's label (with its row, e.g. "Osoba 2 – PESEL", or the row's own
    name when its form has a summary_label() method), "message": the
    Polish message}. A group of radios or checkboxes links to its first input, an error of a whole
    repeating group to the first input of its first row (GOV.UK Design System, error summary;
    WCAG 2.1 SC 3.3.1 Error Identification and 2.4.3 Focus Order). Hidden fields and the CSRF token
    are left out: the person cannot correct them. Raises nothing.
    """
    from wtforms import FieldList, FormField

    out: list[dict[str, str]] = []
    for field in form:
        if field.type in ("CSRFTokenField", "HiddenField"):
            continue
        label = f"{prefix}{field.label.text}" if field.label.text else prefix.rstrip(" –")
        messages = [e for e in (field.errors or []) if isinstance(e, str)]
        if isinstance(field, FieldList):
            first = _first_input(field)
            out += [{"href": f"#{first}", "label": label, "message": m} for m in messages]
            row_label = _row_label(form, field)
            for i, entry in enumerate(field.entries):
                if isinstance(entry, FormField):
                    # a row that has a name of its own (a JRWA class on the office's page) is
                    # named by it rather than by its number
                    named = getattr(entry.form, "summary_label", None)
                    name = named() if callable(named) else ""
                    out += error_summary(entry.form, f"{name} – " if name else f"{row_label} {i + 1} – ")
            continue
        if isinstance(field, FormField):
            out += error_summary(field.form, prefix)
            continue
        target = f"{field.id}-0" if _is_group(field) else field.id
        out += [{"href": f"#{target}", "label": label, "message": m} for m in messages]
    return out


def _is_group(field) -> bool:
    # Radios and checkboxes are one input each, named <id>-0, <id>-1, …; a <select> is one input.
    from wtforms import RadioField
    from wtforms.widgets import ListWidget
    return isinstance(field, RadioField) or isinstance(field.widget, ListWidget)


def _row_label(form, field_list) -> str:
    # A document form knows its declaration, whose group names its rows ("Osoba", "Podmiot").
    doctype = getattr(form, "doctype", None)
    try:
        return doctype.field(field_list.short_name).row_label
    except (AttributeError, KeyError):
        return "Pozycja"


def _first_input(field_list) -> str:
    entries = field_list.entries
    if not entries:
        return field_list.id
    entry = entries[0]
    form = getattr(entry, "form", None)
    if form is None:
        return entry.id
    for sub in form:
        if sub.type not in ("HiddenField", "CSRFTokenField"):
            return sub.id
    return field_list.id
