"""Which glyphs a PDF's text really shows: .notdef and glyphs missing from the embedded font programs.

ISO 19005-2 (PDF/A-2), 6.2.11.4.1: every glyph a text-showing operator refers to shall be present
in the embedded font program; 6.2.11.8: a PDF/A-2 file shall not reference the .notdef glyph
from any text-showing operator. A page that shows .notdef prints a box (or nothing) where a
character should be: this is how a name in a script no font has comes out blank.

For each text-showing operator (Tj, TJ, ' and ") in page content streams, form XObjects
(nested) and annotation appearance streams, the codes are mapped through the current font to
glyph ids:
  * Type0 fonts with Identity-H/V encoding: 2-byte codes are CIDs; a CIDFontType2 maps them to
    glyphs by its CIDToGIDMap (/Identity or a stream of 2-byte glyph ids), ISO 32000-1, 9.7.4.2;
  * simple TrueType fonts: ISO 32000-1, 9.6.6.4: a symbolic font through its (3,0) cmap
    (code or 0xF000 + code) or (1,0) cmap; a non-symbolic one through the glyph name its
    encoding gives the code, its Unicode value and the (3,1) cmap.
Glyph id 0 is .notdef, and so is a glyph with exactly its outline and advance (LibreOffice copies
.notdef into its subsets under a new id for a character no font has); a glyph id at or beyond the font's glyph count is missing; an empty glyph
(no outline) for a character that is not white space or a format character is missing too.
Fonts of other kinds (Type1, CFF, Type3) are not examined.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

from fontTools.agl import toUnicode
from fontTools.ttLib import TTFont
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from .contentscan import operations

__all__ = ["glyph_problems"]

# LibreOffice writes a zero 'modified' date into its font subsets: fontTools warns about it on
# every font read, which says nothing about the glyphs.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)

_SHOW = {b"Tj", b"'", b'"', b"TJ"}
_MAX_REPORTED = 10
_MAX_DEPTH = 12  # nested forms deeper than this are not followed (they could form a cycle)


class _FontInfo:
    """How one PDF font dictionary turns codes into glyph ids, and its embedded program's glyphs."""

    def __init__(self, font: DictionaryObject):
        self.name = str(font.get("/BaseFont", "(bez nazwy)")).lstrip("/")
        self.two_byte = False
        self.program: TTFont | None = None
        self.cid_to_gid: bytes | None = None  # None: Identity
        self.lookup = None  # simple fonts: code -> glyph id
        self.to_unicode: dict[int, str] = {}
        subtype = font.get("/Subtype")
        if subtype == "/Type0":
            encoding = font.get("/Encoding")
            descendants = font.get("/DescendantFonts")
            descendants = descendants.get_object() if descendants is not None else None
            if encoding not in ("/Identity-H", "/Identity-V") or not descendants:
                return
            cid_font = descendants[0].get_object()
            if cid_font.get("/Subtype") != "/CIDFontType2":
                return
            self.two_byte = True
            gid_map = cid_font.get("/CIDToGIDMap")
            gid_map = gid_map.get_object() if gid_map is not None else None
            if isinstance(gid_map, StreamObject):
                self.cid_to_gid = gid_map.get_data()
            self.program = _program(cid_font)
        elif subtype == "/TrueType":
            self.program = _program(font)
            if self.program is not None:
                self.lookup = _simple_lookup(font, self.program)
        self.to_unicode = _to_unicode(font)
        self._notdef = False  # the outline of glyph 0, once read
        self._copies: dict[int, bool] = {}
        self._faults: dict[int, str | None] = {}

    def fault(self, code: int) -> str | None:
        """What is wrong with the glyph `code` shows (Polish, with the clause), or None; once per code."""
        if code not in self._faults:
            self._faults[code] = self._find_fault(code)
        return self._faults[code]

    def _find_fault(self, code: int) -> str | None:
        gid = self.glyph(code)
        if gid is None or self.program is None:
            return None
        if gid == 0:
            return "glif .notdef (ISO 19005-2, 6.2.11.8)"
        if gid >= self.program["maxp"].numGlyphs:
            return "glifu brak w osadzonej czcionce (ISO 19005-2, 6.2.11.4.1)"
        if self.is_notdef_copy(gid):
            return "kopia glifu .notdef – żadna czcionka nie ma tego znaku (ISO 19005-2, 6.2.11.8)"
        if not _blank_allowed(self.to_unicode.get(code)) and _empty(self.program, gid):
            return "glif w osadzonej czcionce jest pusty"
        return None

    def is_notdef_copy(self, gid: int) -> bool:
        """Whether glyph `gid` is the .notdef box under another id (LibreOffice's subsets do this
        for a character no font has: the file then never refers to glyph 0, yet shows .notdef)."""
        if self._notdef is False:
            self._notdef = _outline(self.program, 0)
        if self._notdef is None:
            return False
        if gid not in self._copies:
            self._copies[gid] = _outline(self.program, gid) == self._notdef
        return self._copies[gid]

    def glyph(self, code: int) -> int | None:
        """The glyph id a code selects, or None when it cannot be told."""
        if self.two_byte:
            if self.cid_to_gid is None:
                return code
            pair = self.cid_to_gid[2 * code:2 * code + 2]
            return int.from_bytes(pair, "big") if len(pair) == 2 else 0
        return self.lookup(code) if self.lookup is not None else None

    def codes(self, data: bytes) -> list[int]:
        """The character codes of a string operand: 2 bytes each for Identity-H/V, else 1."""
        if self.two_byte:
            return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)


def _program(font: DictionaryObject) -> TTFont | None:
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else None
    if not isinstance(descriptor, DictionaryObject) or "/FontFile2" not in descriptor:
        return None
    try:
        return TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()), lazy=True)
    except Exception:  # a damaged program: the unembedded-font and veraPDF checks speak for it
        return None


def _simple_lookup(font: DictionaryObject, program: TTFont):
    """code -> glyph id for a simple TrueType font (ISO 32000-1, 9.6.6.4)."""
    try:
        cmap = program["cmap"]
    except Exception:
        return lambda code: 0
    tables = {(t.platformID, t.platEncID): t.cmap for t in cmap.tables}
    order = program.getGlyphOrder()
    ids = {name: index for index, name in enumerate(order)}
    descriptor = font.get("/FontDescriptor").get_object()
    symbolic = bool(int(descriptor.get("/Flags", 0)) & 4)
    names = _encoding_names(font)

    def lookup(code: int) -> int:
        name = None
        if not symbolic or (3, 0) not in tables and (1, 0) not in tables:
            glyph_name = names.get(code)
            text = toUnicode(glyph_name) if glyph_name else chr(code)
            if (3, 1) in tables and len(text) == 1:
                name = tables[(3, 1)].get(ord(text))
        if name is None and (3, 0) in tables:
            name = tables[(3, 0)].get(code) or tables[(3, 0)].get(0xF000 + code)
        if name is None and (1, 0) in tables:
            name = tables[(1, 0)].get(code)
        return ids.get(name, 0) if name is not None else 0
    return lookup


def _encoding_names(font: DictionaryObject) -> dict[int, str]:
    """code -> glyph name from a simple font's /Encoding /Differences (base encodings map through AGL)."""
    encoding = font.get("/Encoding")
    encoding = encoding.get_object() if encoding is not None else None
    names: dict[int, str] = {}
    if isinstance(encoding, DictionaryObject):
        code = 0
        for item in encoding.get("/Differences", ArrayObject()):
            if isinstance(item, int):
                code = int(item)
            else:
                names[code] = str(item).lstrip("/")
                code += 1
    return names


_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_BLOCK = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", errors="replace")


def _to_unicode(font: DictionaryObject) -> dict[int, str]:
    """code -> text from the font's ToUnicode CMap (bfchar and bfrange entries), best effort."""
    stream = font.get("/ToUnicode")
    stream = stream.get_object() if stream is not None else None
    if not isinstance(stream, StreamObject):
        return {}
    mapping: dict[int, str] = {}
    try:
        for kind, body in _BLOCK.findall(stream.get_data()):
            if kind == b"bfchar":
                values = _HEX.findall(body)
                for src, dst in zip(values[::2], values[1::2]):
                    mapping[int(src or b"0", 16)] = _utf16(dst)
            else:
                for line in body.splitlines():
                    values = _HEX.findall(line)
                    if len(values) == 3 and b"[" not in line:
                        first, last = int(values[0], 16), int(values[1], 16)
                        start = _utf16(values[2])
                        for offset in range(min(last - first, 0xFFFF) + 1):
                            mapping[first + offset] = start[:-1] + chr(ord(start[-1]) + offset) if start else ""
    except Exception:  # a damaged CMap: the text is only used in messages
        return mapping
    return mapping


def _blank_allowed(text: str | None) -> bool:
    """A glyph without outline is right for white space and format characters (or unknown text)."""
    if not text:
        return True
    return all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Mn") for ch in text)


def _outline(program: TTFont, gid: int):
    """A comparable form of a glyph's outline and advance, or None (no glyf table, empty, unreadable)."""
    try:
        if "glyf" not in program:
            return None
        name = program.getGlyphName(gid)
        glyph = program["glyf"][name]
        if glyph.numberOfContours <= 0:  # empty, or composite (a .notdef is never one)
            return None
        return (tuple(glyph.coordinates), tuple(glyph.endPtsOfContours), program["hmtx"][name][0])
    except Exception:
        return None


def _empty(program: TTFont, gid: int) -> bool:
    try:
        if "glyf" not in program:
            return False
        glyph = program["glyf"][program.getGlyphName(gid)]
        return glyph.numberOfContours == 0
    except Exception:
        return False


def glyph_problems(reader) -> list[str]:
    """Polish descriptions of .notdef and missing glyphs shown by text operators (empty list: none)."""
    problems: list[str] = []
    fonts: dict[int, _FontInfo] = {}
    keep: list = []
    found: dict[tuple, str] = {}  # one message per page, font, code and fault, in order of appearance
    counts: dict[tuple, int] = {}

    def info(font) -> _FontInfo | None:
        font = font.get_object() if font is not None else None
        if not isinstance(font, DictionaryObject):
            return None
        if id(font) not in fonts:
            keep.append(font)
            fonts[id(font)] = _FontInfo(font)
        return fonts[id(font)]

    def report(page: int, font: _FontInfo, code: int, what: str) -> None:
        key = (page, font.name, code, what)
        if key not in found:
            text = font.to_unicode.get(code, "")
            shown = f" (znak {text!r})" if text.strip("\x00") else ""
            found[key] = f"Strona {page}: czcionka {font.name}, kod {code:#04x}{shown}: {what}"
            counts[key] = 0
        counts[key] += 1

    def show(page: int, font: _FontInfo | None, raw) -> None:
        if font is None or font.program is None or not isinstance(raw, bytes):
            return
        for code in font.codes(raw):
            fault = font.fault(code)
            if fault is not None:
                report(page, font, code, fault)

    def run(page: int, data: bytes, resources, font, depth: int, path: frozenset = frozenset()) -> None:
        """Checks one content stream; `path`: the forms being drawn around it (a form drawing itself stops)."""
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject) or depth > _MAX_DEPTH:
            return
        font_dict = resources.get("/Font")
        font_dict = font_dict.get_object() if font_dict is not None else DictionaryObject()
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
        stack = []
        for operands, operator in operations(data):
            if operator == b"q":
                stack.append(font)
            elif operator == b"Q" and stack:
                font = stack.pop()
            elif operator == b"Tf" and operands:
                font = info(font_dict.get(operands[0]))
            elif operator in _SHOW and operands:
                if operator == b"TJ":
                    for item in operands[0] if isinstance(operands[0], list) else ():
                        show(page, font, item)
                else:
                    show(page, font, operands[-1])
            elif operator == b"Do" and operands:
                child = xobjects.get(operands[0])
                child = child.get_object() if child is not None else None
                if isinstance(child, StreamObject) and child.get("/Subtype") == "/Form":
                    ref = xobjects.raw_get(operands[0]) if operands[0] in xobjects else None
                    key = getattr(ref, "idnum", id(child))
                    if key not in path:
                        run(page, child.get_data(), child.get("/Resources", resources), font, depth + 1,
                            path | {key})

    for number, page in enumerate(reader.pages, 1):
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        streams = contents if isinstance(contents, ArrayObject) else [contents] if contents is not None else []
        # the streams of a page are one content stream split anywhere (ISO 32000-1, 7.8.2)
        data = b"\n".join(stream.get_object().get_data() for stream in streams)
        run(number, data, page.get("/Resources"), None, 0)
        for annot in page.get("/Annots", ArrayObject()).get_object() or ():
            annot = annot.get_object()
            appearance = annot.get("/AP") if isinstance(annot, DictionaryObject) else None
            appearance = appearance.get_object() if appearance is not None else None
            normal = appearance.get("/N") if isinstance(appearance, DictionaryObject) else None
            normal = normal.get_object() if normal is not None else None
            if isinstance(normal, StreamObject):
                run(number, normal.get_data(), normal.get("/Resources"), None, 0)
    for key, message in list(found.items())[:_MAX_REPORTED]:
        problems.append(f"{message} ({counts[key]}×).")
    if len(found) > _MAX_REPORTED:
        problems.append(f"… i {len(found) - _MAX_REPORTED} innych takich kodów.")
    return problems
