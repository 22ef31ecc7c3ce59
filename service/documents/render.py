"""Merges a validated template context into a DOCX template with docxtpl, safely."""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

# XML 1.0 cannot carry these; a single one would make Word and LibreOffice refuse the file.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_BREAK = Markup('</w:t><w:br/><w:t xml:space="preserve">')


class RenderError(Exception):
    """The template could not be filled (a template defect, never the user's input)."""


def xml_safe(text: str) -> str:
    """Text with the characters XML cannot hold removed."""
    return _XML_FORBIDDEN.sub("", text)


def multiline(value: Any) -> Markup:
    """Escapes a text and turns its newlines into Word line breaks inside the same run."""
    text = xml_safe(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _LINE_BREAK.join(escape(line) for line in text.split("\n"))


def _finalize(value: Any) -> Any:
    # Every value printed by {{ }} passes here: strip what XML cannot hold, keep everything else.
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return xml_safe(value)
    return value


def make_environment() -> ImmutableSandboxedEnvironment:
    """The Jinja environment for DOCX templates: sandboxed, autoescaped, strict about undefined names."""
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
    env.filters["multiline"] = multiline
    return env


_ENV = make_environment()


def render_docx(template: Path | bytes, context: dict[str, Any],
                properties: dict[str, str] | None = None) -> bytes:
    """Returns the DOCX bytes of `template` filled with `context`, with core properties set.

    LibreOffice copies the core properties (title, author, subject) into both the PDF's Info
    dictionary and its XMP, which keeps the two in agreement as PDF/A requires.
    """
    source = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    doc = DocxTemplate(source)
    try:
        doc.render(context, jinja_env=_ENV, autoescape=True)
    except Exception as exc:  # jinja2 UndefinedError, TemplateSyntaxError, SecurityError...
        raise RenderError(f"{type(exc).__name__}: {exc}") from exc
    for key, value in (properties or {}).items():
        setattr(doc.docx.core_properties, key, xml_safe(value))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
