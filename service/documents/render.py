"""Merges a validated template context into a DOCX template with docxtpl, safely and quickly.

docxtpl, per render, opens the DOCX with python-docx (parsing every XML part, the 800 kB of
styles included), rewrites the Jinja tags of document.xml, headers and footers (`patch_xml`),
compiles them, and saves the whole package again. All of that but the Jinja render itself and
the few parts it changes is the same for every render of one template version, so it is done
once per template digest (`_Compiled`) and the result reused. Every part of the output is byte
for byte what docxtpl writes (tests/documents/test_render_cache.py compares them); only the
order of the parts in the ZIP differs: the changed ones come last.
"""
from __future__ import annotations

import copy
import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from .grammar import FILTERS as GRAMMAR_FILTERS

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
    """The Jinja environment for DOCX templates: sandboxed, autoescaped, strict about undefined names.

    Filters: `multiline` (newlines as Word line breaks) and the grammar filters `named`, `agree`,
    `agree_number` (service.documents.grammar; forms_templates/README.md for template authors).
    """
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
    env.filters["multiline"] = multiline
    env.filters.update(GRAMMAR_FILTERS)
    return env


_ENV = make_environment()
# The string core properties docxtpl renders as templates (DocxTemplate.render_properties).
_CORE_TEMPLATED = ("author", "comments", "identifier", "language", "subject", "title")
_HEADER_FOOTER = (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI)
_LISTING = re.compile("[\t\a\n\f]")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class _Unsupported(Exception):
    """A template feature the prepared path does not reproduce: render it with plain docxtpl."""


def _prepare(source: str, env) -> Template:
    # DocxTemplate.render_xml_part puts each paragraph on its own line before compiling (so that
    # Jinja's line numbers mean something); the rendered text gets the newlines removed again.
    return env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", source))


def _finish_part(tpl: DocxTemplate, rendered: str) -> str:
    # The rest of DocxTemplate.render_xml_part, unchanged.
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", rendered)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    # resolve_listing turns these four characters inside w:t into runs and breaks, and leaves a
    # text without them as it is: its regular expressions over every run are skipped then
    return tpl.resolve_listing(xml) if _LISTING.search(xml) else xml


class _Compiled:
    """One template version with its Jinja compiled and its unchanging parts serialised.

    Holds the package's members in python-docx's order and serialisation, the compiled body,
    headers and footers, the skeleton of document.xml and the core properties part. Shared by
    threads: nothing here is changed after __init__ (each render copies what it modifies).
    """

    def __init__(self, data: bytes, env) -> None:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        doc = tpl.docx
        package = doc.part.package
        if any(part.content_type == _FOOTNOTES for part in package.iter_parts()):
            raise _Unsupported("footnotes")  # docxtpl renders those per section, quirks included
        if not any(rel.reltype == RT.CORE_PROPERTIES for rel in package.rels.values()):
            raise _Unsupported("no core properties")  # python-docx would invent them (with "now")
        self._tpl = tpl  # for its stateless helpers: resolve_listing, fix_tables
        self.body = _prepare(tpl.patch_xml(tpl.get_xml()), env)
        self.parts: dict[str, tuple[str, Template]] = {}  # member name -> (encoding, template)
        for uri in _HEADER_FOOTER:  # headers, then footers, as DocxTemplate.render
            for _rel_id, part in tpl.get_headers_footers(uri):
                name = part.partname.membername
                if name in self.parts:
                    raise _Unsupported("a header or footer used twice")
                xml = tpl.get_part_xml(part)
                self.parts[name] = (tpl.get_headers_footers_encoding(xml), _prepare(tpl.patch_xml(xml), env))
        core = doc.core_properties
        self.core = [(prop, env.from_string(getattr(core, prop))) for prop in _CORE_TEMPLATED]
        core_part = package.part_related_by(RT.CORE_PROPERTIES)
        self._core_load = (core_part.partname, core_part.content_type, core_part.blob)
        self.core_name = core_part.partname.membername
        self.document_name = doc.part.partname.membername
        # document.xml with an empty body, to receive each rendered body
        root = copy.deepcopy(doc.element)
        root.replace(root.find(qn("w:body")), root.makeelement(qn("w:body")))
        self._root = root
        saved = io.BytesIO()
        doc.save(saved)  # python-docx's own serialisation of every part we leave alone
        # ...compressed once: a render appends its changed parts to a copy of this archive
        changing = {self.document_name, self.core_name, *self.parts}
        kept = io.BytesIO()
        with zipfile.ZipFile(saved) as full, zipfile.ZipFile(kept, "w", zipfile.ZIP_DEFLATED) as rest:
            for info in full.infolist():
                if info.filename not in changing:
                    rest.writestr(info, full.read(info))
        self.unchanged = kept.getvalue()
        tpl.docx = None  # the parsed package (megabytes of styles) is no longer needed

    def render(self, context: dict[str, Any], properties: dict[str, str]) -> bytes:
        """The filled DOCX, as DocxTemplate.render + core properties + save would produce it."""
        tpl = self._tpl
        tree = tpl.fix_tables(_finish_part(tpl, self.body.render(context)))
        # DocxTemplate.fix_docpr_ids: drawing ids renumbered from 1001 in document order
        for number, element in enumerate(tree.xpath("//wp:docPr", namespaces=nsmap), start=1001):
            element.attrib["id"] = str(number)
        root = copy.deepcopy(self._root)
        root.replace(root.find(qn("w:body")), tree)
        changed = {self.document_name: serialize_part_xml(root)}
        for name, (encoding, template) in self.parts.items():
            xml = _finish_part(tpl, template.render(context)).encode(encoding)
            changed[name] = serialize_part_xml(parse_xml(xml))  # as XmlPart.load, then .blob
        core_part = CorePropertiesPart.load(*self._core_load, None)
        core = core_part.core_properties
        for prop, template in self.core:
            setattr(core, prop, template.render(context))
        for key, value in properties.items():
            setattr(core, key, xml_safe(value))
        changed[self.core_name] = core_part.blob
        out = io.BytesIO(self.unchanged)
        out.seek(0, io.SEEK_END)
        # deflated, as docx.opc.phys_pkg.PhysPkgWriter; after the others ([Content_Types].xml
        # stays first), which no OPC reader minds (ISO/IEC 29500-2 sets no order but none)
        with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as package_zip:
            for name, blob in changed.items():
                package_zip.writestr(name, blob)
        return out.getvalue()


class _Cache:
    """Prepared templates by SHA-256 of their bytes; a few versions at most, thread-safe."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._items: OrderedDict[str, _Compiled | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, data: bytes) -> _Compiled | None:
        """The prepared template, or None when it needs plain docxtpl; raises what compiling raises."""
        key = hashlib.sha256(data).hexdigest()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        try:
            compiled: _Compiled | None = _Compiled(data, _ENV)
        except _Unsupported:
            compiled = None
        # Two threads may prepare the same new template at once: harmless, the first one is kept.
        with self._lock:
            compiled = self._items.setdefault(key, compiled)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return compiled


_CACHE = _Cache()


def _render_with_docxtpl(data: bytes, context: dict[str, Any], properties: dict[str, str]) -> bytes:
    doc = DocxTemplate(io.BytesIO(data))
    doc.render(context, jinja_env=_ENV, autoescape=True)
    for key, value in properties.items():
        setattr(doc.docx.core_properties, key, xml_safe(value))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(template: Path | bytes, context: dict[str, Any],
                properties: dict[str, str] | None = None) -> bytes:
    """Returns the DOCX bytes of `template` filled with `context`, with core properties set.

    `template` is the DOCX file or its bytes; `properties` maps python-docx core property names
    (title, author, subject, identifier, language...) to text. LibreOffice copies the core
    properties into both the PDF's Info dictionary and its XMP, which keeps the two in agreement
    as PDF/A requires. Raises RenderError for any template defect: a syntax error, a name missing
    from the context (StrictUndefined), anything the sandbox refuses.
    """
    data = template if isinstance(template, bytes) else Path(template).read_bytes()
    try:
        compiled = _CACHE.get(data)
        if compiled is None:
            return _render_with_docxtpl(data, context, properties or {})
        return compiled.render(context, properties or {})
    except Exception as exc:  # jinja2 UndefinedError, TemplateSyntaxError, SecurityError...
        raise RenderError(f"{type(exc).__name__}: {exc}") from exc
