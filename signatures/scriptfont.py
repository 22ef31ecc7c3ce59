"""A reportlab TrueType font that shows any of its glyphs and says which text each one shows.

reportlab's TTFont reaches glyphs only through the font's cmap and writes a ToUnicode CMap that
maps each code to the character it was reached by (five hex digits for a character beyond the
BMP, which is not UTF-16). Text laid out by HarfBuzz needs glyphs without a character of their
own (Arabic joining forms, ligatures) and must read back as the text the glyph stands for, so
that copying, searching and our own reading of the evidence page (ISO 32000-1, 9.10.3) work.
"""

from __future__ import annotations

import threading
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

__all__ = ["ScriptFont", "font_by_path", "register_font"]

_lock = threading.RLock()
_fonts: dict[str, "ScriptFont"] = {}  # by font file path
_PRIVATE_FIRST, _PRIVATE_LAST = 0xE000, 0xF8FF  # the BMP's private use area


class ScriptFont(TTFont):
    """A reportlab TrueType font that can show any of its glyphs and says which text each shows.

    `char_for(gid, text)` gives the character to pass to reportlab for glyph `gid` showing `text`:
    the character itself when the cmap maps it to that glyph, else a private-use code point added
    to this font's character map (shared by all documents, guarded by a lock; it only grows, by
    at most one entry per glyph and text). The ToUnicode CMap maps each code to its text, in
    UTF-16BE with surrogate pairs (reportlab's own would print 5 hex digits for an emoji).
    """

    def __init__(self, name: str, path: str | Path):
        super().__init__(name, str(path), shapable=True)
        self.path = str(path)
        self.hb_font = hb.Font(hb.Face(hb.Blob(self.face._ttf_data)))  # scale: font units
        self.units = self.hb_font.face.upem
        self.texts: dict[int, str] = {}  # private code point -> the text its glyph shows
        self._private: dict[tuple[int, str], int] = {}
        self._next = _PRIVATE_FIRST

    def char_for(self, gid: int, text: str) -> str:
        """The character that shows glyph `gid` standing for `text` (one cluster, logical order)."""
        if len(text) == 1 and self.has(text) and self.face.charToGlyph[ord(text)] == gid:
            return text
        key = (gid, text)
        code = self._private.get(key)
        if code is None:
            with _lock:
                code = self._private.get(key)
                if code is None:
                    code = self._next
                    while code in self.face.charToGlyph:
                        code += 1
                    if code > _PRIVATE_LAST:  # some 6400 distinct glyph/text pairs: not in real use
                        raise ValueError(f"no private code point left in {self.fontName}")
                    self._next = code + 1
                    self.face.charToGlyph[code] = gid
                    self.face.charWidths[code] = self.face._pdfScale(self.hb_font.get_glyph_h_advance(gid))
                    self.texts[code] = text
                    self._private[key] = code
        return chr(code)

    def has(self, ch: str) -> bool:
        """Whether the font's own cmap maps `ch` (the private codes added by char_for do not count)."""
        code = ord(ch)
        return code in self.face.charToGlyph and code not in self.texts

    def width(self, gid: int) -> float:
        """The advance of glyph `gid` in thousandths of an em (what the PDF's Widths array says)."""
        return self.face._pdfScale(self.hb_font.get_glyph_h_advance(gid))

    def _to_unicode(self, base_name: str, subset: list[int]) -> str:
        """A ToUnicode CMap for one 256-code subset: code -> the text of the glyph it shows."""
        entries = []
        for code, char in enumerate(subset):
            if char == 0:  # the .notdef slot reportlab keeps at code 0: never shown, maps to nothing
                continue
            text = self.texts.get(char, chr(char))
            entries.append(f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>")
        chunks = [entries[i:i + 100] for i in range(0, len(entries), 100)]  # at most 100 per block
        body = [f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar" for chunk in chunks]
        return "\n".join([
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            f"/CIDSystemInfo << /Registry ({base_name}) /Ordering ({base_name}) /Supplement 0 >> def",
            f"/CMapName /{base_name} def", "/CMapType 2 def",
            "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
            *body, "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])

    def addObjects(self, doc) -> None:
        """reportlab's TTFont.addObjects (5.1.0) with this font's ToUnicode CMap."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_name = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            font = pdfdoc.PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {n}"
            font.Name = internal_name
            font.BaseFont = base_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
            cmap = pdfdoc.PDFStream()
            cmap.content = self._to_unicode(base_name, subset)
            if doc.compression:
                cmap.filters = [pdfdoc.PDFZCompress]
            font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_name)
            font.FontDescriptor = self.face.addSubsetObjects(doc, base_name, subset)
            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]


def register_font(name: str, path: str | Path) -> ScriptFont:
    """Registers the font file at `path` with reportlab under `name` (once per path); returns it."""
    with _lock:
        font = _fonts.get(str(path))
        if font is None:
            font = ScriptFont(name, path)
            pdfmetrics.registerFont(font)
            # reportlab hands out the first font registered for a face name (e.g. a plain TTFont
            # of the same file registered elsewhere): this name must be this font
            pdfmetrics._fonts[name] = font
            _fonts[str(path)] = font
        return font


def font_by_path(path: str | Path) -> ScriptFont | None:
    """The font registered for the file at `path`, if any."""
    return _fonts.get(str(path))
