"""The templates' invisible SIG markers taken out of an issued PDF, their places kept in the file.

A template marks each signing place with a tiny white "SIG:<slot>:<n>" paragraph; LibreOffice
exports it as real text, which copying, search and screen readers would find (WCAG 2.1 SC 1.3.1
and the tagged PDF's reading order). Before the document is sealed, `hide_markers` records each
place on its page, in a page-piece dictionary private to this service (ISO 32000-1 14.5:
/PieceInfo << /Asysta << /LastModified … /Private << /SignaturePlaces [[(slot:n) x top] …] >> >> >>),
and removes the marker's marked-content sequence from the page's content and its element from the
structure tree. signatures.assemble.find_slots reads the record; documents issued before it keep
their markers in their text and are still searched.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import re

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    TextStringObject,
)

from .slots import PIECE_INFO, PIECE_NAME, PLACES_KEY, AssembleError, _markers
from .content import without_sequences
from .tagcheck import parent_tree

__all__ = ["hide_markers"]

# The templates draw markers in a 1-point font (scripts/template_kit.py); reading a page's text is
# most of the work, so only pages setting a font that small are read. A marker drawn otherwise
# (an office's own template) stays in the text, and find_slots still finds it there.
_SMALL_FONT = re.compile(rb"/[^\s/<>\[\]()%{}]+\s+(?:0?\.\d+|1(?:\.0*)?)\s+Tf\b")

log = logging.getLogger(__name__)


def hide_markers(pdf: bytes, *, now: dt.datetime | None = None) -> bytes:
    """`pdf` (as LibreOffice wrote it, not yet sealed) without its SIG marker text, each marker's
    place recorded on its page; a document without markers is returned as it is.

    The changes are appended as an incremental update (pypdf): LibreOffice's bytes, header
    version, catalog (XMP, output intent, structure tree, /Lang, /MarkInfo), Info and file
    identifier stay, so PDF/A-2b stays as LibreOffice made it; the marker text is gone from the
    document every reader shows (its unreferenced stream remains in the first revision's bytes). `now` dates the page-piece dictionaries (default: the current time). Raises AssembleError
    for an unreadable PDF. A marker sharing its marked-content sequence with other text (a template
    defect) is recorded, logged and left in the text.
    """
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        found = [_markers(page) if _small_font(page) else [] for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for broken input
        raise AssembleError(f"The document's pages cannot be read: {exc}") from exc
    if not any(found):
        return pdf
    # An incremental update: only the changed pages, content streams and structure elements are
    # appended (ISO 32000-1 7.5.6), instead of cloning and rewriting the whole file.
    writer = PdfWriter(reader, incremental=True)
    stamp = TextStringObject(_pdf_date(now or dt.datetime.now(dt.timezone.utc)))
    parents = _parent_tree(writer)
    for index, markers in enumerate(found):
        # every page gets its record, an empty one too: find_slots then reads no page's text
        page = writer.pages[index]
        mcids: set[int] = set()
        for key, _, _, within in markers:
            if not within:  # a template defect: recorded all the same, so that signing still works
                log.warning("The marker of %s shares its text with other text: it stays in the text", key)
            mcids |= within
        if mcids:
            _drop_sequences(writer, page, mcids)
            _drop_elements(parents.get(int(page.get("/StructParents", -1))), mcids)
        places = ArrayObject(ArrayObject([TextStringObject(key), FloatObject(round(x, 3)), FloatObject(round(top, 3))])
                             for key, x, top, _ in markers)
        page[NameObject(PIECE_INFO)] = DictionaryObject({NameObject(PIECE_NAME): DictionaryObject({
            NameObject("/LastModified"): stamp,
            NameObject("/Private"): DictionaryObject({NameObject(PLACES_KEY): places})})})
        page[NameObject("/LastModified")] = stamp  # required with /PieceInfo (ISO 32000-1, table 30)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _small_font(page) -> bool:
    """Whether the page's content sets a font of at most one point (as the markers are drawn)."""
    contents = page.get_contents()
    return contents is not None and _SMALL_FONT.search(contents.get_data()) is not None


def _drop_sequences(writer: PdfWriter, page, mcids: set[int]) -> None:
    """Removes from the page's content every marked-content sequence whose MCID is in mcids
    (signatures.content: on the decoded bytes, without parsing the whole stream)."""
    data = page.get_contents().get_data()
    kept = without_sequences(data, mcids)
    if kept == data:
        return
    stream = DecodedStreamObject()
    stream.set_data(kept)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())


def _parent_tree(writer: PdfWriter) -> dict[int, ArrayObject]:
    """The writer's structure parent tree (tagcheck.parent_tree); empty for an untagged document."""
    root = writer.root_object.get("/StructTreeRoot")
    root = root.get_object() if root is not None else None
    return parent_tree(root if isinstance(root, DictionaryObject) else None)


def _drop_elements(elements: ArrayObject | None, mcids: set[int]) -> None:
    """Takes each marker's structure element out of its parent (and the parent tree's entry out):
    an empty paragraph would still be announced by some screen readers."""
    if elements is None:
        return
    for mcid in sorted(mcids):
        if mcid >= len(elements):
            continue
        ref = elements[mcid]
        element = ref.get_object()
        elements[mcid] = NullObject()
        if not isinstance(element, DictionaryObject):
            continue
        kids = element.get("/K")
        kids = kids.get_object() if kids is not None else None
        rest = [k for k in (kids if isinstance(kids, ArrayObject) else [kids])
                if not (isinstance(k, int) and int(k) == mcid) and k is not None]
        if rest:  # the element holds other content too: only the marker's part goes
            element[NameObject("/K")] = ArrayObject(rest)
            continue
        parent = element.get("/P")
        parent = parent.get_object() if parent is not None else None
        siblings = parent.get("/K") if isinstance(parent, DictionaryObject) else None
        siblings = siblings.get_object() if siblings is not None else None
        if isinstance(siblings, ArrayObject):
            parent[NameObject("/K")] = ArrayObject(k for k in siblings if not _same(k, ref))
        elif siblings is not None:
            log.warning("A marker's structure element is its parent's only child: left in place")


def _same(a, b) -> bool:
    """Whether two entries name the same indirect object (or are the same direct object)."""
    if hasattr(a, "idnum") and hasattr(b, "idnum"):
        return a.idnum == b.idnum and a.generation == b.generation
    return a.get_object() is b.get_object()


def _pdf_date(moment: dt.datetime) -> str:
    """A PDF date string (ISO 32000-1 7.9.4) in UTC."""
    return moment.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ")

