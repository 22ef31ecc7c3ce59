"""Signatures onto an issued PDF/A: the unsealed revision, the signed, scanned and printed versions.

The signing slots are found by signatures.slots (its names are exported here too, as before).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

from .evidence import FALLBACK, register_fonts
from .evidence import TITLE as EVIDENCE_TITLE
from .ink import marks_ops
from .multiscript import draw_line, line_width, shape_line
from .content import without_sequences
from .seal import align_info_with_xmp
from .slots import (MARKER, PIECE_INFO, PIECE_NAME, PLACES_KEY, RIGHT_MARGIN, SLOT_HEIGHT, SLOT_WIDTH,
                    AssembleError, SlotBox, _markers, find_slots, recorded_places)
from .tagging import StructureUpdate, artifact, marked

__all__ = ["MARKER", "SLOT_HEIGHT", "SLOT_WIDTH", "AssembleError", "Mark", "SlotBox", "build_print_copy",
           "build_scan_pdf", "build_signed_pdf", "find_slots", "recorded_places", "unsealed_revision"]

LINE_SIZE, MIN_LINE_SIZE, LINE_LEADING = 7.5, 5.0, 1.15
IMAGE_GAP = 2.0  # between the image and the dotted line, and between the image and the caption
# The print copy's code sits in the right margin beside the footer: clear of the body text and of
# "Strona x z y" (both end 2 cm from the right edge), its modules inside what printers print (most
# leave 4–5 mm blank). Only its dark modules are drawn (a stencil), so its quiet zone is the margin's
# own white and the code can use the margin's whole width: about 1.5 cm of modules, 1.8 cm with the
# quiet zone.
QR_LEFT = RIGHT_MARGIN - 3.0  # from the page's right edge: 3 pt clear of the text column
QR_RIGHT = 12.5  # from the page's right edge
QR_BOTTOM = 27.0  # from the page's bottom edge
QR_LABEL_SIZE, QR_LABEL_BASELINE = 6.0, 15.0  # under the code, a quiet zone's width below it
A4 = (595.2756, 841.8898)
SCAN_MARGIN = 14.0  # 5 mm around a scanned page
SCAN_QUALITY = 85
_MAX_IMAGE_SIDE = 10_000  # pixels: capture allows 4000, a QR code is a few hundred


@dataclass(frozen=True)
class Mark:
    """What goes into one slot: a signature image (flattened PNG), caption lines under/over it, or both."""

    slot: str
    png: bytes | None = None
    lines: tuple[str, ...] = ()
    # what a screen reader says for the image (/Alt of its /Figure): „Podpis: Anna Kowalska”
    alt: str = ""


# ---------------------------------------------------------------------------------------------
# Reading


def _reader(pdf: bytes) -> PdfFileReader:
    """pyHanko's reader of pdf; AssembleError if it cannot read it."""
    try:
        return PdfFileReader(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # pyHanko raises many types for broken input
        raise AssembleError(f"Not a readable PDF: {exc}") from exc


def _get(d: generic.DictionaryObject, key: str, default=None):
    """d[key] resolved, or default (pyHanko's dict.get would hand back unresolved references)."""
    try:
        return d[key] if key in d else default
    except KeyError:  # a reference to a missing object
        return default


@dataclass
class _Page:
    """One page of a pyHanko-read document: its reference, dictionary, inherited resources and media box."""

    ref: generic.IndirectObject
    obj: generic.DictionaryObject
    resources: generic.DictionaryObject
    box: tuple[float, float, float, float]


def _pages(handler) -> list[_Page]:
    """Every page in order, with its inherited resources and media box."""
    out: list[_Page] = []
    seen: set = set()

    def walk(ref, resources, box) -> None:
        """Adds the pages under ref, handing down what they inherit."""
        if not isinstance(ref, generic.IndirectObject) or ref.reference in seen:
            raise AssembleError("The page tree is malformed.")
        seen.add(ref.reference)
        node = ref.get_object()
        resources = _get(node, "/Resources", resources)
        box = _get(node, "/MediaBox", box)
        if "/Kids" in node:
            for kid in node.raw_get("/Kids"):
                walk(kid, resources, box)
        else:
            if box is None:
                raise AssembleError("A page has no media box.")
            out.append(_Page(ref, node, resources or generic.DictionaryObject(),
                             tuple(float(v) for v in box)))

    walk(handler.root.raw_get("/Pages"), None, None)
    return out


# ---------------------------------------------------------------------------------------------
# The unsealed revision


def unsealed_revision(pdf: bytes) -> bytes:
    """The document as it was before its first seal (the bytes LibreOffice wrote); unsealed input is returned as is."""
    reader = _reader(pdf)
    try:
        signatures = reader.embedded_signatures
        if not signatures:
            return pdf
        revision = min(sig.signed_revision for sig in signatures)
        if revision < 1:
            raise AssembleError("The document was signed when it was created: it has no unsealed revision.")
        start = reader.xrefs.get_startxref_for_revision(revision - 1)
    except AssembleError:
        raise
    except Exception as exc:
        raise AssembleError(f"The document's revisions cannot be read: {exc}") from exc
    # the revision ends with the %%EOF after its cross-reference section, and that line's end
    end = pdf.find(b"%%EOF", start)
    if end < 0:
        raise AssembleError("The end of the unsealed revision cannot be found.")
    end += 5
    if pdf[end:end + 2] == b"\r\n":
        end += 2
    elif pdf[end:end + 1] in (b"\r", b"\n"):
        end += 1
    return pdf[:end]


# ---------------------------------------------------------------------------------------------
# Images: a PNG goes into the PDF with its compressed pixels as they are (Flate with PNG predictors)


def _image_xobject(png: bytes) -> tuple[generic.StreamObject, int, int]:
    """An image XObject showing exactly the pixels of a PNG; transparency is laid over white."""
    try:
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValueError("not a PNG")
        chunks, pos, idat, kind = {}, 8, [], b""
        while kind != b"IEND":
            if pos + 12 > len(png):
                raise ValueError("truncated PNG")
            length, kind = struct.unpack(">I4s", png[pos:pos + 8])
            body, crc = png[pos + 8:pos + 8 + length], png[pos + 8 + length:pos + 12 + length]
            # the pixels go into the PDF undecoded: a damaged file must not slip through
            if len(body) != length or crc != struct.pack(">I", zlib.crc32(kind + body)):
                raise ValueError("damaged PNG chunk")
            if kind == b"IDAT":
                idat.append(body)
            else:
                chunks.setdefault(kind, body)
            pos += 12 + length
        width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
        if not (0 < width <= _MAX_IMAGE_SIDE and 0 < height <= _MAX_IMAGE_SIDE):
            raise ValueError(f"{width}×{height} pixels")
        if color in (0, 2) and not interlace and b"tRNS" not in chunks and idat and depth <= 8:
            colors = 1 if color == 0 else 3
            return _image_stream(b"".join(idat), width, height, depth, colors, predicted=True), width, height
        # palette, alpha, 16 bits, interlaced: decode, flatten, store the pixels
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            image.load()
            flat = _flatten(image)
        colors = 1 if flat.mode == "L" else 3
        return (_image_stream(zlib.compress(flat.tobytes(), 6), flat.width, flat.height, 8, colors,
                              predicted=False), flat.width, flat.height)
    except Exception as exc:
        raise AssembleError(f"The signature image is not a usable PNG: {exc}") from exc


def _flatten(image: Image.Image) -> Image.Image:
    """Grey or RGB pixels, transparency laid over white paper."""
    gray = image.mode in ("1", "L", "LA", "I", "I;16", "F") or (
        image.mode == "P" and all(r == g == b for r, g, b in _palette(image)))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        paper.alpha_composite(rgba)
        image = paper
    return image.convert("L" if gray else "RGB")


def _palette(image: Image.Image) -> list[tuple[int, int, int]]:
    """The (r, g, b) colours of a palette image."""
    data = image.getpalette() or []
    return list(zip(data[::3], data[1::3], data[2::3]))


def _image_stream(data: bytes, width: int, height: int, depth: int, colors: int, *, predicted: bool):
    """An image XObject around Flate-compressed pixels (PNG-predicted rows if predicted)."""
    stream = generic.StreamObject({
        pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Image"),
        pdf_name("/Width"): generic.NumberObject(width), pdf_name("/Height"): generic.NumberObject(height),
        pdf_name("/ColorSpace"): pdf_name("/DeviceGray" if colors == 1 else "/DeviceRGB"),
        pdf_name("/BitsPerComponent"): generic.NumberObject(depth),
        pdf_name("/Filter"): pdf_name("/FlateDecode"),
    }, encoded_data=data)
    if predicted:
        stream[pdf_name("/DecodeParms")] = generic.DictionaryObject({
            pdf_name("/Predictor"): generic.NumberObject(15), pdf_name("/Colors"): generic.NumberObject(colors),
            pdf_name("/BitsPerComponent"): generic.NumberObject(depth),
            pdf_name("/Columns"): generic.NumberObject(width)})
    return stream


# ---------------------------------------------------------------------------------------------
# Writing: an incremental update of the unsealed revision, so LibreOffice's bytes stay as they are


_TAG = re.compile(r"^/([A-Z]{6})\+(.+)$")


class _Importer:
    """Copies objects from another PDF into the update, each indirect object once.

    Font subsets get fresh tags: reportlab names its subsets AAAAAA+…, and two different subsets
    under one name in a file confuse viewers that cache fonts by name.
    """

    def __init__(self, update: _Update):
        self.update = update
        self.refs: dict = {}
        self.queue: list = []
        self.names: dict[str, str] = {}

    def copy(self, obj):
        """obj as an object of the update, with everything it refers to copied as well."""
        result = self._ingest(obj)
        while self.queue:
            source, target = self.queue.pop()
            self.update.writer.add_object(self._ingest(source.get_object()), idnum=target.idnum)
        return result

    def _ingest(self, obj):
        """obj with its references replaced by placeholders in the update (queued to be filled in)."""
        if isinstance(obj, generic.IndirectObject):
            ref = obj.reference
            if ref not in self.refs:
                self.refs[ref] = self.update.writer.allocate_placeholder()
                self.queue.append((obj, self.refs[ref]))
            return self.refs[ref]
        if isinstance(obj, generic.DictionaryObject):
            items = {k: self._ingest(v) for k, v in obj.items()}
            for key in ("/BaseFont", "/FontName"):
                if isinstance(items.get(key), generic.NameObject):
                    items[key] = self._font_name(items[key])
            if isinstance(obj, generic.StreamObject):
                return generic.StreamObject(items, encoded_data=obj.encoded_data)
            return generic.DictionaryObject(items)
        if isinstance(obj, generic.ArrayObject):
            return generic.ArrayObject(self._ingest(v) for v in obj)
        return obj

    def _font_name(self, name: str) -> generic.NameObject:
        """A font name with its subset tag (if any) replaced by one fresh in the document."""
        m = _TAG.match(name)
        if not m:
            return pdf_name(name)
        if name not in self.names:
            self.names[name] = f"/{self.update.fresh_tag(name)}+{m.group(2)}"
        return pdf_name(self.names[name])


class _Update:
    """An incremental update of one PDF: drawings added over pages, pages appended at the end."""

    def __init__(self, pdf: bytes):
        self.source = pdf
        try:
            self.writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            self.pages = _pages(self.writer.prev)
        except AssembleError:
            raise
        except Exception as exc:
            raise AssembleError(f"Not a readable PDF: {exc}") from exc
        self.tags = self._font_tags()
        self._push: generic.IndirectObject | None = None
        self._structure: StructureUpdate | None = None

    @property
    def structure(self) -> StructureUpdate:
        """The document's structure tree, for what this update adds (signatures.tagging)."""
        if self._structure is None:
            self._structure = StructureUpdate(self.writer)
        return self._structure

    def _font_tags(self) -> set[str]:
        """The subset tags of the fonts the pages use."""
        tags: set[str] = set()
        for page in self.pages:
            fonts = _get(page.resources, "/Font")
            for font in (fonts.values() if isinstance(fonts, generic.DictionaryObject) else ()):
                m = _TAG.match(str(_get(font.get_object(), "/BaseFont", "")))
                if m:
                    tags.add(m.group(1))
        return tags

    def fresh_tag(self, seed: str) -> str:
        """A subset tag used nowhere in the document; derived from seed, so output is reproducible."""
        for attempt in range(1000):
            digest = hashlib.sha256(f"{seed}:{attempt}".encode()).digest()
            tag = "".join(chr(65 + b % 26) for b in digest[:6])
            if tag not in self.tags:
                self.tags.add(tag)
                return tag
        raise AssembleError("No free font subset tag.")  # pragma: no cover

    def draw(self, index: int, content: bytes, xobjects: dict[str, generic.PdfObject]) -> None:
        """Adds content (drawing the given XObjects) over page index, in the page's default space."""
        page = self.pages[index]
        resources = generic.DictionaryObject(page.resources)
        existing = _get(resources, "/XObject")
        named = generic.DictionaryObject(existing) if isinstance(existing, generic.DictionaryObject) else \
            generic.DictionaryObject()
        renames = {}
        for name, ref in xobjects.items():
            unique, n = name, 1
            while unique in named:  # the page may already use our names, improbable as that is
                unique, n = f"{name}_{n}", n + 1
            named[pdf_name(unique)] = ref
            renames[name] = unique
        for name, unique in renames.items():
            content = content.replace(f"{name} Do".encode(), f"{unique} Do".encode())
        resources[pdf_name("/XObject")] = named
        contents = page.obj.raw_get("/Contents") if "/Contents" in page.obj else None
        resolved = contents.get_object() if contents is not None else None
        originals = list(resolved) if isinstance(resolved, generic.ArrayObject) else \
            [contents] if contents is not None else []
        if self._push is None:
            self._push = self.writer.add_object(generic.StreamObject(stream_data=b"q\n"))
        # q … Q around the original: whatever state it leaves behind must not move our drawing
        ours = generic.StreamObject(stream_data=b"Q\n" + content)
        ours.compress()
        page.obj[pdf_name("/Contents")] = generic.ArrayObject(
            [self._push, *originals, self.writer.add_object(ours)])
        page.obj[pdf_name("/Resources")] = resources
        self.writer.mark_update(page.ref)

    def add(self, obj: generic.PdfObject) -> generic.IndirectObject:
        """Adds obj to the update as a new indirect object."""
        return self.writer.add_object(obj)

    def forms_from(self, pdf: bytes) -> list[generic.IndirectObject]:
        """Each page of another PDF as a form XObject (fonts and images shared between them)."""
        source = _pages(_reader(pdf))
        importer = _Importer(self)
        forms = []
        for page in source:
            contents = _get(page.obj, "/Contents")
            streams = contents if isinstance(contents, generic.ArrayObject) else [contents]
            form = generic.StreamObject({
                pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
                pdf_name("/BBox"): generic.ArrayObject(generic.FloatObject(v) for v in page.box),
                pdf_name("/Resources"): importer.copy(page.resources),
            }, stream_data=b"\n".join(s.data for s in streams))
            form.compress()
            forms.append(self.add(form))
        return forms

    def append(self, pdf: bytes, title: str | None = None) -> None:
        """Appends all pages of another PDF, as a subtree of the page tree (inheritance kept).

        With a title, the pages are tagged: one /Sect of that title, each page's whole content one
        /P in it (reportlab's pages carry no structure of their own; their text is drawn in reading
        order, so the paragraph reads as the page does)."""
        source = _reader(pdf)
        try:
            importer = _Importer(self)
            tops = _top_elements(source) if title is not None else None
            subtree = importer.copy(source.root.raw_get("/Pages"))
            node = subtree.get_object()
            if title is not None and tops is None:
                self._tag_pages(subtree, self.structure.section(title))
            elif title is not None:
                self._adopt_structure(source, importer, tops, self.structure.section(title))
            root_ref = self.writer.root.raw_get("/Pages")
            root = root_ref.get_object()
            node[pdf_name("/Parent")] = root_ref
            kids = root.raw_get("/Kids")
            kids.get_object().append(subtree)
            if isinstance(kids, generic.IndirectObject):
                self.writer.mark_update(kids)
            root[pdf_name("/Count")] = generic.NumberObject(int(root["/Count"]) + int(node["/Count"]))
            self.writer.mark_update(root_ref)
        except Exception as exc:
            raise AssembleError(f"The pages to append cannot be read: {exc}") from exc

    def _adopt_structure(self, source, importer: _Importer, tops: list, section) -> None:
        """Brings the structure of an appended tagged PDF (signatures.pdftags) along: its elements
        under section, its pages' parent-tree arrays under new keys of this document's tree."""
        arrays = _parent_arrays(source)
        for element in tops:
            self.structure.adopt_kid(section, importer.copy(element))
        for page in _pages(source):
            key = _get(page.obj, "/StructParents")
            if key is None or int(key) not in arrays:
                continue
            copied = importer.refs[page.ref.reference]
            self.structure.adopt_page(copied, copied.get_object(), importer.copy(arrays[int(key)]))

    def hide_old_markers(self) -> None:
        """Takes the SIG markers of a document issued before signatures.markers (its pages have no
        record of their places) out of the text of this version: each such page gets content
        without the markers' sequences. The earlier revision keeps them, byte for byte, as sealed."""
        try:
            pages = PdfReader(io.BytesIO(self.source), strict=False).pages
            for index, page in enumerate(pages):
                if recorded_places(page) is not None:
                    continue
                markers = _markers(page)
                mcids = set().union(set(), *(within for *_, within in markers))
                if not mcids:
                    continue
                data = page.get_contents().get_data()
                kept = without_sequences(data, mcids)
                if kept != data:
                    target = self.pages[index]
                    stream = generic.StreamObject(stream_data=kept)
                    stream.compress()
                    target.obj[pdf_name("/Contents")] = self.add(stream)
                    # the places stay known in this version too, as signatures.markers records them
                    stamp = generic.pdf_string(dt.datetime.now(dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ"))
                    places = generic.ArrayObject(generic.ArrayObject([
                        generic.pdf_string(key), generic.FloatObject(round(x, 3)), generic.FloatObject(round(top, 3))])
                        for key, x, top, _ in markers)
                    target.obj[pdf_name(PIECE_INFO)] = generic.DictionaryObject({pdf_name(PIECE_NAME): generic.DictionaryObject({
                        pdf_name("/LastModified"): stamp,
                        pdf_name("/Private"): generic.DictionaryObject({pdf_name(PLACES_KEY): places})})})
                    target.obj[pdf_name("/LastModified")] = stamp
                    self.writer.mark_update(target.ref)
        except Exception as exc:  # pypdf raises many types for broken input
            raise AssembleError(f"The document's pages cannot be read: {exc}") from exc

    def _tag_pages(self, subtree, section) -> None:
        """Marks the content of every page under subtree as one /P of section."""
        node = subtree.get_object()
        if "/Kids" in node:
            for kid in node.raw_get("/Kids").get_object().iterate():
                self._tag_pages(kid, section)
            return
        self.tag_page(subtree, "P", parent=section)

    def tag_page(self, page_ref, role: str, *, alt: str | None = None, bbox=None, parent=None) -> None:
        """Makes a page's whole content the content of one new structure element of `role`."""
        node = page_ref.get_object()
        mcid = self.structure.add(page_ref, node, role, alt=alt, bbox=bbox, parent=parent)
        contents = node.raw_get("/Contents") if "/Contents" in node else None
        resolved = contents.get_object() if contents is not None else None
        originals = list(resolved.iterate()) if isinstance(resolved, generic.ArrayObject) else \
            [contents] if contents is not None else []
        begin = self.add(generic.StreamObject(stream_data=f"/{role} <</MCID {mcid}>> BDC\n".encode()))
        end = self.add(generic.StreamObject(stream_data=b"\nEMC\n"))
        node[pdf_name("/Contents")] = generic.ArrayObject([begin, *originals, end])
        self.writer.mark_update(page_ref)

    def write(self) -> bytes:
        """The original bytes followed by the update."""
        if self._structure is not None:
            self._structure.finish()
        # pyHanko rewrites the producer in the XMP; keep Info in agreement (PDF/A, ISO 19005-2 6.6.2.3.1)
        align_info_with_xmp(self.writer)
        out = io.BytesIO()
        self.writer.write(out)
        return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Building the versions


def _text_forms(update: _Update, pages: list[tuple[_Page, list[tuple[float, float, float, str]]]]):
    """One form XObject per page with its lines of text (centre x, baseline y, size, text).

    Liberation Serif, and for what it lacks the fallback fonts, right-to-left and shaped scripts
    laid out (signatures.multiscript): a name in any script prints, never as .notdef.
    """
    if not pages:
        return []
    font = getFont(register_fonts())
    buffer = io.BytesIO()
    # initialFontName: otherwise reportlab sets its default Helvetica (not embedded) on every page
    canvas = Canvas(buffer, pagesize=pages[0][0].box[2:], initialFontName=font.fontName, initialFontSize=LINE_SIZE,
                    invariant=True)
    for page, lines in pages:
        canvas.setPageSize((page.box[2], page.box[3]))
        canvas.setFillGray(0)
        for x, y, size, text in lines:
            # left to right, as the Polish template text around the values (which come isolated,
            # multiscript.isolate): a right-to-left name never turns the line around
            line = shape_line(text, font, FALLBACK, rtl=False)
            draw_line(canvas, line, x - line_width(line, size) / 2, y, size)
        canvas.showPage()
    canvas.save()
    forms = update.forms_from(buffer.getvalue())
    for (page, _), form in zip(pages, forms):  # the form's box is the target page's, whatever its origin
        form.get_object()[pdf_name("/BBox")] = generic.ArrayObject(generic.FloatObject(v) for v in page.box)
    return forms


def _text_width(text: str, size: float) -> float:
    """The width of one line of text in points, as _text_forms draws it."""
    return line_width(shape_line(text, getFont(register_fonts()), FALLBACK, rtl=False), size)


def _fit_lines(lines: Sequence[str], width: float) -> list[tuple[str, float]]:
    """Each caption line with its font size: LINE_SIZE, or smaller (down to MIN_LINE_SIZE) to fit width."""
    out = []
    for line in lines:
        size = LINE_SIZE
        natural = _text_width(line, size)
        if natural > width:  # a long name or role: smaller, never over the column's edge
            size = max(MIN_LINE_SIZE, size * width / natural)
        out.append((line, size))
    return out


def _place(ops: list[bytes], box: SlotBox, image: tuple[str, int, int] | None,
           lines: list[tuple[str, float]], texts: list) -> None:
    """Lays out one mark: the caption lines stacked on the dotted line, the image above them."""
    bottom = box.y + IMAGE_GAP
    baselines = []
    for text, size in reversed(lines):
        baselines.append((text, size, bottom + 0.22 * size))  # descenders stay above the dots
        bottom += size * LINE_LEADING
    for text, size, baseline in reversed(baselines):
        texts.append((box.x + box.width / 2, baseline, size, text))
    if image is None:
        return
    name, width, height = image
    if lines:
        bottom += IMAGE_GAP
    room_w, room_h = box.width, box.y + box.height - bottom
    if room_h <= 1 or width <= 0 or height <= 0:
        return
    scale = min(room_w / width, room_h / height)
    w, h = width * scale, height * scale
    x = box.x + (box.width - w) / 2
    ops.append(f"q {w:.3f} 0 0 {h:.3f} {x:.3f} {bottom:.3f} cm {name} Do Q\n".encode())


def build_signed_pdf(shown_pdf: bytes, marks: Sequence[Mark], evidence_pdf: bytes, *,
                     slots: Mapping[str, SlotBox] | None = None) -> bytes:
    """The signed document: the unsealed revision of shown_pdf with each mark in its slot and the evidence pages appended (not sealed).

    slots are the document's signing slots as find_slots gave them; without them the document is searched.
    """
    unsealed = unsealed_revision(shown_pdf)
    if slots is None:
        slots = find_slots(unsealed)
    update = _Update(unsealed)
    update.hide_old_markers()
    by_page: dict[int, list[Mark]] = {}
    seen: set[str] = set()
    for mark in marks:
        if mark.slot not in slots:
            raise AssembleError(f"The document has no signing slot {mark.slot}.")
        if mark.slot in seen:
            raise AssembleError(f"Two marks for the signing slot {mark.slot}.")
        if not 0 <= slots[mark.slot].page < len(update.pages):
            raise AssembleError(f"The signing slot {mark.slot} is on no page of the document.")
        seen.add(mark.slot)
        by_page.setdefault(slots[mark.slot].page, []).append(mark)
    drawings: dict[int, list[_Drawing]] = {}
    for index, page_marks in sorted(by_page.items()):
        items = drawings[index] = []
        for number, mark in enumerate(page_marks):
            box = slots[mark.slot]
            ops: list[bytes] = []
            xobjects: dict[str, generic.PdfObject] = {}
            texts: list = []
            image = None
            if mark.png is not None:
                stream, width, height = _image_xobject(mark.png)
                name = f"/AsystaSig{number}"
                xobjects[name] = update.add(stream)
                image = (name, width, height)
            _place(ops, box, image, _fit_lines(mark.lines, box.width), texts)
            # an image is a figure, told by its alternative text (and the caption under it); a
            # stamp of text alone is a paragraph of that text (WCAG 2.1 SC 1.1.1, ISO 32000-1 14.8.4)
            if image is not None:
                alt = " – ".join(part for part in (mark.alt or "Podpis", *mark.lines) if part)
                items.append(_Drawing(ops, xobjects, texts, "Figure", _plain(alt), _box(box)))
            else:
                items.append(_Drawing(ops, xobjects, texts, "P", None, _box(box)))
    _finish_drawings(update, drawings)
    update.append(evidence_pdf, title=EVIDENCE_TITLE)
    return update.write()


def _top_elements(reader) -> list | None:
    """The top structure elements of a tagged PDF (under its /Document), detached from their parent
    so that copying them does not copy the tree around them; None for an untagged PDF."""
    if "/StructTreeRoot" not in reader.root:
        return None
    kids = reader.root["/StructTreeRoot"].raw_get("/K")
    kids = kids.get_object()
    kids = list(kids.iterate()) if isinstance(kids, generic.ArrayObject) else [kids]
    if len(kids) == 1 and kids[0].get_object().get("/S") == "/Document":
        inner = kids[0].get_object().raw_get("/K").get_object()
        kids = list(inner.iterate()) if isinstance(inner, generic.ArrayObject) else [inner]
    for kid in kids:
        kid.get_object()[pdf_name("/P")] = generic.NullObject()
    return kids


def _parent_arrays(reader) -> dict[int, generic.PdfObject]:
    """A tagged PDF's parent tree (flat, as signatures.pdftags writes it): key -> array."""
    tree = reader.root["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"] if "/ParentTree" in tree else generic.ArrayObject()
    return {int(nums[i]): nums.raw_get(i + 1) for i in range(0, len(nums) - 1, 2)}


def _box(box: SlotBox) -> tuple[float, float, float, float]:
    """A slot as a PDF rectangle (llx, lly, urx, ury)."""
    return (box.x, box.y, box.x + box.width, box.y + box.height)


def _plain(text: str) -> str:
    """Text without the bidi isolate controls (multiscript.isolate) that only the drawing needs."""
    return "".join(ch for ch in text if ch not in "\u2066\u2067\u2068\u2069")


def _finish_drawings(update: _Update, drawings: dict[int, list[_Drawing]]) -> None:
    """Puts each page's drawings over the page, in one added content stream per page: each drawing
    an artifact, or the content of a new structure element (signatures.tagging)."""
    with_text = [(index, n, item) for index, items in drawings.items() for n, item in enumerate(items) if item.texts]
    forms = _text_forms(update, [(update.pages[index], item.texts) for index, _, item in with_text])
    text_form = {(index, n): form for (index, n, _), form in zip(with_text, forms)}
    for index, items in drawings.items():
        page = update.pages[index]
        content, xobjects = b"", {}
        for n, item in enumerate(items):
            ops = b"".join(item.ops)
            xobjects.update(item.xobjects)
            if (index, n) in text_form:
                name = f"/AsystaText{n}"
                xobjects[name] = text_form[(index, n)]
                ops += f"q {name} Do Q\n".encode()
            if item.role is None:
                content += artifact(ops)
            else:
                mcid = update.structure.add(page.ref, page.obj, item.role, alt=item.alt, bbox=item.bbox)
                content += marked(item.role, mcid, ops)
        update.draw(index, content, xobjects)


@dataclass
class _Drawing:
    """What is drawn over a page at one place: operators, the XObjects they use, lines of text
    (centre x, baseline y, size, text), and how it is tagged: role None for an artifact."""

    ops: list[bytes]
    xobjects: dict
    texts: list
    role: str | None = None
    alt: str | None = None
    bbox: tuple[float, float, float, float] | None = None


def build_print_copy(shown_pdf: bytes, qr_png: bytes, label: str, *, tag: int = 0) -> bytes:
    """The document for printing: each page of the unsealed revision with a small QR code (about 1.8 cm) and `label` under it in the bottom-right margin corner (not over the footer text).

    Every page also gets three registration marks and a coded row with its number and `tag`
    (0–255, the document's: signatures.ink), by which a scan of the signed paper is read back.
    """
    update = _Update(unsealed_revision(shown_pdf))
    update.hide_old_markers()
    qr = update.add(_stencil(qr_png))  # one image, drawn on every page
    drawings = {}
    natural = _text_width(label, QR_LABEL_SIZE)
    for index, page in enumerate(update.pages):
        x0, y0, x1, _ = page.box
        left, right = x1 - QR_LEFT, x1 - QR_RIGHT
        size = right - left
        ops = [f"q 0 g {size:.3f} 0 0 {size:.3f} {left:.3f} {y0 + QR_BOTTOM:.3f} cm /AsystaQr Do Q\n".encode()]
        ops.append(marks_ops(page.box, index + 1, tag))
        # the label may be wider than the code: it grows leftwards, under the footer, never off the page
        room = right - (x0 + RIGHT_MARGIN)
        label_size = QR_LABEL_SIZE
        if natural > room:
            label_size = max(3.0, label_size * room / natural)
        centre = right - natural * label_size / QR_LABEL_SIZE / 2
        # all of it is for machines and for finding the page again: artifacts, not document text
        drawings[index] = [_Drawing(ops, {"/AsystaQr": qr},
                                    [(centre, y0 + QR_LABEL_BASELINE, label_size, label)] if label else [])]
    _finish_drawings(update, drawings)
    return update.write()


def _stencil(png: bytes) -> generic.StreamObject:
    """The dark modules of a QR code PNG as a square stencil mask, its light border cropped away."""
    try:
        with Image.open(io.BytesIO(png)) as image:
            gray = _flatten(image).convert("L")
    except Exception as exc:
        raise AssembleError(f"The QR code is not a usable PNG: {exc}") from exc
    dark = gray.point(lambda v: 255 if v < 128 else 0)
    box = dark.getbbox()
    if box is None:
        raise AssembleError("The QR code image is blank.")
    # a stencil: bit 0 paints with the fill colour, bit 1 leaves the page as it is
    bits = gray.crop(box).point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
    return generic.StreamObject({
        pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Image"),
        pdf_name("/Width"): generic.NumberObject(bits.width), pdf_name("/Height"): generic.NumberObject(bits.height),
        pdf_name("/ImageMask"): generic.BooleanObject(True), pdf_name("/BitsPerComponent"): generic.NumberObject(1),
        pdf_name("/Filter"): pdf_name("/FlateDecode"),
    }, encoded_data=zlib.compress(bits.tobytes(), 9))


# ---------------------------------------------------------------------------------------------
# The scan of the signed paper: a new PDF/A (pypdf), its identity and colour profile from the original


def build_scan_pdf(shown_pdf: bytes, pages: Sequence[Image.Image], evidence_pdf: bytes) -> bytes:
    """A PDF/A document made of scanned paper pages (as JPEG images, one A4 page each, fitted) followed by the evidence pages; PDF/A metadata and output intent come from shown_pdf."""
    if not pages:
        raise AssembleError("A scan needs at least one page.")
    try:
        original = PdfReader(io.BytesIO(unsealed_revision(shown_pdf)), strict=False)
        catalog = original.trailer["/Root"].get_object()
        PdfReader(io.BytesIO(evidence_pdf), strict=False).pages[0]  # readable, or AssembleError here
    except AssembleError:
        raise
    except Exception as exc:
        raise AssembleError(f"Not a readable PDF: {exc}") from exc
    writer = PdfWriter()
    writer.pdf_header = original.pdf_header
    for key in ("/Metadata", "/OutputIntents", "/Lang"):
        if key in catalog:
            writer.root_object[NameObject(key)] = catalog.raw_get(key).clone(writer)
    # Info must say what the XMP says (PDF/A): the original's entries, not pypdf's own producer
    info = original.metadata
    writer.metadata = dict(info) if info else None
    for image in pages:
        jpeg, width, height = _jpeg(image)
        page_w, page_h = A4 if height >= width else A4[::-1]
        scale = min((page_w - 2 * SCAN_MARGIN) / width, (page_h - 2 * SCAN_MARGIN) / height)
        w, h = width * scale, height * scale
        page = writer.add_blank_page(page_w, page_h)
        xobject = DecodedStreamObject()
        xobject.set_data(jpeg)
        xobject.update({
            NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width), NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"), NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode")})
        content = DecodedStreamObject()
        content.set_data(f"q {w:.3f} 0 0 {h:.3f} {(page_w - w) / 2:.3f} {(page_h - h) / 2:.3f} cm /Scan Do Q"
                         .encode())
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
            {NameObject("/Scan"): writer._add_object(xobject)})})
        page[NameObject("/Contents")] = writer._add_object(content)
    writer.generate_file_identifiers()  # PDF/A wants a file identifier in the trailer
    out = io.BytesIO()
    writer.write(out)
    # Tagged like the original: each scanned page a figure, the evidence pages their own section
    update = _Update(out.getvalue())
    for number, page in enumerate(update.pages, 1):
        update.tag_page(page.ref, "Figure", bbox=page.box,
                        alt=f"Skan strony {number} dokumentu podpisanego na papierze")
    update.append(evidence_pdf, title=EVIDENCE_TITLE)
    return update.write()


def _jpeg(image: Image.Image) -> tuple[bytes, int, int]:
    """A scanned page as JPEG bytes (flattened to RGB), with its width and height in pixels."""
    rgb = _flatten(image).convert("RGB")
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=SCAN_QUALITY)
    return out.getvalue(), rgb.width, rgb.height
