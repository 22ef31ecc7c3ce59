"""The fonts installed on this machine and which characters they can draw (fontconfig's view).

LibreOffice falls back, through fontconfig, to any installed font that has a glyph for a character;
the pages we draw ourselves (evidence page, stamps) embed fallback fonts from the same set. So the
union of the installed fonts' character sets is exactly what can be printed: a character outside
it would come out as a box (the .notdef glyph, which ISO 19005-2, 6.2.11.8 forbids in PDF/A-2).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_PREFERENCE", "FontFile", "installed_fonts", "printable", "unprintable_chars", "font_covering"]

# Characters that need no glyph of their own: spaces and line breaks are laid out, not drawn.
_NO_GLYPH_NEEDED = frozenset(" \u00a0\n\t\u2011")  # U+2011 falls back to a hyphen where missing


@dataclass(frozen=True)
class FontFile:
    """One installed font file: its path, family and style names, and the code points it maps."""

    path: Path
    family: str
    style: str
    ranges: tuple[tuple[int, int], ...]  # inclusive (first, last) code point ranges, sorted

    def covers(self, ch: str) -> bool:
        """Whether this font has a glyph for the single character `ch`."""
        cp = ord(ch)
        lo, hi = 0, len(self.ranges)
        while lo < hi:  # binary search over the sorted ranges
            mid = (lo + hi) // 2
            first, last = self.ranges[mid]
            if cp < first:
                hi = mid
            elif cp > last:
                lo = mid + 1
            else:
                return True
        return False


def _parse_charset(text: str) -> tuple[tuple[int, int], ...]:
    # fontconfig prints a charset as space-separated hex code points and ranges: "20-7e a0 100-17f"
    ranges = []
    for part in text.split():
        first, _, last = part.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return tuple(sorted(ranges))


@functools.cache
def installed_fonts() -> tuple[FontFile, ...]:
    """Every scalable font fontconfig knows (TrueType/OpenType), read once per process (~50 ms).

    Returns an empty tuple when fontconfig's `fc-list` is missing (then nothing counts as printable).
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    out = subprocess.run([fc_list, "--format", "%{file}|%{family[0]}|%{style[0]}|%{fontformat}|%{charset}\n"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    fonts = []
    for line in out.splitlines():
        path, family, style, fmt, charset = (line.split("|", 4) + [""] * 5)[:5]
        if fmt not in ("TrueType", "CFF") or not charset:
            continue
        fonts.append(FontFile(Path(path), family, style, _parse_charset(charset)))
    return tuple(sorted(fonts, key=lambda f: str(f.path)))


@functools.lru_cache(maxsize=65536)
def printable(ch: str) -> bool:
    """Whether one character can be printed: an installed font draws it, or it needs no glyph.

    Format characters (Unicode category Cf, e.g. ZWJ in emoji sequences or the bidi isolates the
    renderer adds) and combining marks are drawn as part of their neighbours, so they count as
    printable when some font maps them or when they are format characters.
    """
    if ch in _NO_GLYPH_NEEDED or unicodedata.category(ch) == "Cf":
        return True
    return any(font.covers(ch) for font in installed_fonts())


def unprintable_chars(text: str) -> list[str]:
    """The distinct characters of `text` that no installed font can draw, in order of appearance."""
    seen: list[str] = []
    for ch in text:
        if ch not in seen and not printable(ch):
            seen.append(ch)
    return seen


# Text faces first; the symbol fonts (Symbola, OpenSymbol) only for what no text face has.
DEFAULT_PREFERENCE = ("Liberation Serif", "DejaVu Serif", "Liberation Sans", "DejaVu Sans")


def font_covering(ch: str, preferred: tuple[str, ...] = DEFAULT_PREFERENCE) -> FontFile | None:
    """The font to draw `ch` with: the first of `preferred` families that has it, else any that has it.

    `preferred` are family names in order (e.g. ("Liberation Serif", "DejaVu Serif")); among the
    other fonts, a Regular style is taken before others. Returns None when no installed font has it.
    """
    fonts = installed_fonts()
    for family in preferred:
        for font in fonts:
            if font.family == family and font.style in ("Regular", "Book") and font.covers(ch):
                return font
    regular = [f for f in fonts if f.style in ("Regular", "Book")]
    for font in regular + [f for f in fonts if f not in regular]:
        if font.covers(ch):
            return font
    return None
