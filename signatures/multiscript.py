"""Text in any script on the pages we draw with reportlab: font fallback, bidi, shaping, extractable.

reportlab 5.1 draws a character its font lacks with the .notdef glyph (forbidden by ISO 19005-2,
6.2.11.8), orders right-to-left text only through the `rlbidi` package (not installed) and, when
it shapes through uharfbuzz, gives glyphs without a character of their own a private-use code
whose ToUnicode entry is that private code. So the text of users is laid out here instead:

1. characters the installed fonts cannot draw become U+FFFD (validation refuses them at the form,
   but older data and browser headers arrive unvalidated);
2. embedding levels of the Unicode Bidirectional Algorithm (UAX #9, python-bidi) and a font for
   each character (signatures.fonts: the first preferred family that has it, else any installed
   font) split the text into runs; combining marks and format characters stay in their base's run;
3. HarfBuzz shapes each run (Arabic joining forms, ligatures, marks, kerning);
4. runs are placed and written in visual order (UAX #9, rule L2), as PDF readers expect: their
   text extraction turns right-to-left runs back into logical order; HarfBuzz's positions that
   differ from the glyphs' own widths (kerning, marks) become TJ offsets and text rise;
   a value wrapped in isolates (`isolate`: FSI … PDI, UAX #9 BD8, X5a–X6a) is laid out as a
   paragraph of its own, so a right-to-left name never pulls the template text around it;
5. each glyph is shown through a code whose ToUnicode entry is exactly the text of its cluster
   (signatures.scriptfont: a glyph outside the font's cmap, like an Arabic medial form, gets a
   private code in the subset, mapped to the letter it stands for).

Heuristic extraction cannot restore logical order when right-to-left text meets digits or
Latin, nor join a wrapped value, so every drawn value is also marked content carrying its logical
text (/Span <</ActualText …>> BDC … EMC, ISO 32000-1 14.9.4; allowed in PDF/A-2b): readers that
honour it (poppler, Acrobat, signatures.evidence.read_evidence) read the text exactly as given.

Fonts are reportlab TrueType subsets (embedded, as for the rest of the page). Nothing here draws
.notdef: a glyph id 0 from HarfBuzz is replaced by the same cluster in the next font that has it.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field

import uharfbuzz as hb
from bidi import algorithm as bidi
from reportlab.platypus import Flowable

from .fonts import FontFile, font_covering, printable
from .scriptfont import ScriptFont, font_by_path, register_font

__all__ = ["ScriptText", "ShapedLine", "actual_text", "draw_line", "isolate", "line_width", "marked", "shape_line",
           "wrap_lines"]

REPLACEMENT = "\ufffd"
FSI, LRI, RLI, PDI = "\u2068", "\u2066", "\u2067", "\u2069"
_ISOLATES = (FSI, LRI, RLI)
_CONTROLS = frozenset((FSI, LRI, RLI, PDI))


def isolate(value: str) -> str:
    """`value` between FSI and PDI (UAX #9, X5c): laid out on its own, in the direction of its first
    strong letter, whatever the text around it; isolate controls already in it are dropped (an
    unmatched one would swallow the rest of the line)."""
    return FSI + "".join(ch for ch in value if ch not in _CONTROLS) + PDI


def _font_for(file: FontFile) -> ScriptFont:
    font = font_by_path(file.path)
    return font if font is not None else register_font(f"AsystaFallback-{file.path.stem}", file.path)


# ---------------------------------------------------------------------------------------------
# Shaping


@dataclass
class _Run:
    start: int  # logical character offsets in the line's text
    end: int
    font: ScriptFont
    level: int  # bidi embedding level: odd is right to left
    glyphs: list[tuple[int, str, float, float, float]] = field(default_factory=list)  # gid, text, advance, dx, dy (em/1000)
    width: float = 0.0  # thousandths of an em


@dataclass
class ShapedLine:
    """One line of text, shaped: its runs in logical order and its width (thousandths of an em)."""

    text: str
    runs: list[_Run]
    visual: list[int]  # indices of runs from left to right
    width: float
    rtl: bool  # base direction of the paragraph


def _attaches(ch: str) -> bool:
    """Whether a character is drawn with the one before it (marks, joiners, selectors, modifiers)."""
    cat = unicodedata.category(ch)
    return cat in ("Mn", "Me", "Mc", "Cf") or 0x1F3FB <= ord(ch) <= 0x1F3FF or ch.isspace()


_RIGHT_TO_LEFT = frozenset(("R", "AL", "AN", "RLE", "RLO", "RLI", "FSI"))


def _isolates(text: str) -> list[tuple[int, int]]:
    """(initiator, matching PDI or end) of each outermost isolate in `text` (UAX #9, BD9)."""
    found, depth, start = [], 0, 0
    for index, ch in enumerate(text):
        if ch in _ISOLATES:
            if depth == 0:
                start = index
            depth += 1
        elif ch == PDI and depth:
            depth -= 1
            if depth == 0:
                found.append((start, index))
    if depth:
        found.append((start, len(text)))
    return found


def _levels(text: str, rtl: bool | None) -> tuple[list[int], bool]:
    """UAX #9 embedding levels of each character (P2–P3 or the given base, then X1–I2).

    python-bidi's algorithm predates isolates (Unicode 6.3), so they are done here: outside, an
    isolate counts as neutrals (X6a, BD13); inside, it is a paragraph of its own (its base from its
    first strong letter for FSI, X5c), raised to the next odd (right to left) or even level (X5a–b).
    """
    spans = _isolates(text) if any(ch in _CONTROLS for ch in text) else []
    if spans:
        outer = list(text)
        for start, end in spans:
            outer[start:end + 1] = "\ufffc" * len(outer[start:end + 1])  # object replacement: neutral
        levels, base_rtl = _levels("".join(outer)[:len(text)], rtl)
        for start, end in spans:
            opener, inner = text[start], text[start + 1:end]
            direction = None if opener == FSI else opener == RLI
            inner_levels, inner_rtl = _levels(inner, direction) if inner else ([], bool(direction))
            around = levels[start]
            raised = (around + 1) | 1 if inner_rtl else (around + 2) & ~1
            levels[start + 1:end] = [raised + level - int(inner_rtl) for level in inner_levels]
        return levels, base_rtl
    if not rtl and not any(unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT for ch in text):
        return [0] * len(text), False  # left to right throughout: the common case, without the algorithm
    storage = bidi.get_empty_storage()
    base = bidi.get_base_level(text) if rtl is None else int(rtl)
    storage["base_level"], storage["base_dir"] = base, ("L", "R")[base]
    bidi.get_embedding_levels(text, storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    bidi.explicit_embed_and_overrides(storage, False)
    bidi.resolve_weak_types(storage, False)
    bidi.resolve_neutral_types(storage, False)
    bidi.resolve_implicit_levels(storage, False)
    levels = [base] * len(text)
    last = base
    found = {char["index"]: char["level"] for char in storage["chars"]}
    for index in range(len(text)):  # characters X9 removed (embedding controls) take their neighbour's
        last = found.get(index, last)
        levels[index] = last
    return levels, bool(base)


def _printable_text(text: str) -> str:
    """`text` with every character no installed font draws replaced by U+FFFD."""
    return "".join(ch if printable(ch) or ch in "\t\n\r" else REPLACEMENT for ch in text)


def actual_text(text: str) -> str:
    """The logical text a drawn `text` stands for (its ActualText): as shape_line prints it,
    without the isolate controls."""
    text = _printable_text(text).replace("\t", " ").replace("\r", " ")
    return "".join(ch for ch in text if ch not in _CONTROLS)


def _fonts_of(text: str, preferred: tuple[str, ...], first: ScriptFont) -> list[ScriptFont]:
    """The font for each character: `first`, else the first of `preferred` families, else any that has it."""
    fonts: list[ScriptFont] = []
    for index, ch in enumerate(text):
        if ch in _CONTROLS:  # isolate controls are never drawn: no fallback font to look for
            fonts.append(first)
        elif index and _attaches(ch) and (fonts[-1].has(ch) or unicodedata.category(ch) == "Cf"):
            fonts.append(fonts[-1])
        elif first.has(ch):
            fonts.append(first)
        else:
            file = font_covering(ch, preferred)
            fonts.append(_font_for(file) if file is not None else first)
    return fonts


def shape_line(text: str, font: ScriptFont, preferred: tuple[str, ...], *, rtl: bool | None = None) -> ShapedLine:
    """Lays out one line of `text` (logical order) in `font`, with fallback to `preferred` families, then any.

    `rtl` forces the paragraph direction (None: from the first strong character, UAX #9 P2–P3).
    """
    text = _printable_text(text).replace("\t", " ").replace("\r", " ").replace("\n", " ")
    if not text:
        return ShapedLine(text, [], [], 0.0, bool(rtl))
    levels, base_rtl = _levels(text, rtl)
    fonts = _fonts_of(text, preferred, font)
    runs: list[_Run] = []
    for index in range(len(text)):
        # an isolate control is a run of its own, never drawn: two isolates side by side stay apart (L2)
        control = text[index] in _CONTROLS
        if runs and not control and runs[-1].font is fonts[index] and runs[-1].level == levels[index] \
                and text[runs[-1].start] not in _CONTROLS:
            runs[-1].end = index + 1
        else:
            runs.append(_Run(index, index + 1, fonts[index], levels[index]))
    for run in runs:
        if text[run.start] not in _CONTROLS:
            _shape(run, text)
    return ShapedLine(text, runs, _visual_order([run.level for run in runs]), sum(r.width for r in runs), base_rtl)


def _shape(run: _Run, text: str) -> None:
    """Fills run.glyphs (visual order, as HarfBuzz gives them) and run.width."""
    part = text[run.start:run.end]
    buf = hb.Buffer()
    buf.add_str(part)
    buf.guess_segment_properties()
    buf.direction = "rtl" if run.level % 2 else "ltr"
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    hb.shape(run.font.hb_font, buf, {"kern": True, "liga": True})
    infos, positions = buf.glyph_infos, buf.glyph_positions
    starts = sorted({info.cluster for info in infos})
    scale = 1000 / run.font.units
    for info, pos in zip(infos, positions):
        following = bisect.bisect_right(starts, info.cluster)
        cluster = part[info.cluster:starts[following] if following < len(starts) else len(part)]
        gid = info.codepoint
        if gid == 0:  # the font lacks it after all (a sequence fontconfig could not see): show U+FFFD
            gid = run.font.face.charToGlyph.get(0xFFFD) or run.font.face.charToGlyph.get(0x3F, 0)
            advance = run.font.width(gid)
        else:
            advance = pos.x_advance * scale
        run.glyphs.append((gid, cluster, advance, pos.x_offset * scale, pos.y_offset * scale))
        run.width += advance
    # a cluster of several glyphs: its text goes with the first of them in logical order
    seen: set[int] = set()
    order = range(len(run.glyphs) - 1, -1, -1) if run.level % 2 else range(len(run.glyphs))
    for i in order:
        cluster = infos[i].cluster
        if cluster in seen:
            gid, _, advance, dx, dy = run.glyphs[i]
            run.glyphs[i] = (gid, "", advance, dx, dy)
        seen.add(cluster)


def _visual_order(levels: list[int]) -> list[int]:
    """Indices of runs left to right (UAX #9, L2: reverse every sequence at or above each odd level)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(level for level in levels) | 1
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


def line_width(line: ShapedLine, size: float) -> float:
    """The width of a shaped line at `size` points, in points."""
    return line.width * size / 1000


def marked(text: str) -> str:
    """The operator opening marked content whose ActualText is `text` (ISO 32000-1, 14.9.4): a
    UTF-16BE text string with its byte order mark, in hexadecimal (no escaping to get wrong)."""
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be', 'surrogatepass').hex().upper()}>>> BDC"


def draw_line(canvas, line: ShapedLine, x: float, y: float, size: float, *, mark: bool = False) -> None:
    """Draws `line` with its left end at (x, y) on a reportlab canvas, at `size` points.

    `mark`: inside marked content carrying the line's logical text (its ActualText). Off for the
    stamps: poppler reports a marked span as one word at its start, which would hide where each
    word of a stamp stands; ScriptText marks a whole wrapped value itself.
    """
    if not line.runs:
        return
    doc = canvas._doc
    left = {}
    pen_x = x
    for index in line.visual:
        left[index] = pen_x
        pen_x += line.runs[index].width * size / 1000
    ops = ["q BT", f"1 0 0 1 {x:.3f} {y:.3f} Tm"]
    pen, rise, current, items, codes = x, 0.0, None, [], bytearray()
    scale = size / 1000

    def flush_codes() -> None:
        if codes:
            items.append(f"<{codes.hex()}>")
            codes.clear()

    def flush() -> None:
        flush_codes()
        if items:
            ops.append("[" + " ".join(items) + "] TJ")
            items.clear()

    for index in line.visual:  # left to right, as readers expect (they reverse right-to-left runs)
        run = line.runs[index]
        gx = left[index]
        # Tf again at each run, even in the same font: readers (pypdf) end their right-to-left
        # run there, so a neutral after it (a hyphen, a comma) is not pulled into it
        current = None
        chars = [run.font.char_for(gid, text or _glyph_char(run.font, gid)) for gid, text, *_ in run.glyphs]
        # one byte per character, in reportlab's 256-code subsets of the font
        shown = [(subset, byte) for subset, chunk in run.font.splitString("".join(chars), doc) for byte in chunk]
        names: dict[int, str] = {}
        for (gid, text, advance, dx, dy), char, (subset, byte) in zip(run.glyphs, chars, shown):
            font_name = names.get(subset) or names.setdefault(subset, run.font.getSubsetInternalName(subset, doc))
            if font_name != current:
                flush()
                ops.append(f"{font_name} {size:g} Tf")
                current = font_name
            if dy * scale != rise:
                flush()
                rise = dy * scale
                ops.append(f"{rise:.3f} Ts")
            offset = (gx + dx * scale - pen) / scale
            if abs(offset) > 0.01:
                flush_codes()
                items.append(f"{-offset:.2f}")
            codes.append(byte)
            pen = gx + dx * scale + run.font.face.getCharWidth(ord(char)) * scale
            gx += advance * scale
    flush()
    ops.append("ET Q")
    if mark:
        ops.insert(0, marked(actual_text(line.text)))
        ops.append("EMC")
    canvas._code.append("\n".join(ops))


def _glyph_char(font: ScriptFont, gid: int) -> str:
    """The text a glyph stands for outside a cluster of its own (the later glyphs of a cluster)."""
    chars = font.face.glyphToChar.get(gid)
    return chr(chars[0]) if chars else "\u200b"


def wrap_lines(text: str, font: ScriptFont, preferred: tuple[str, ...], size: float, width: float) -> list[ShapedLine]:
    """`text` broken into lines no wider than `width` points (at spaces; a longer word between characters)."""
    out: list[ShapedLine] = []
    for paragraph in text.split("\n"):
        rtl = bidi.get_base_level(paragraph) == 1 if paragraph.strip() else False

        def shaped(part: str) -> ShapedLine:
            return shape_line(part, font, preferred, rtl=rtl)

        whole = shaped(paragraph)
        if line_width(whole, size) <= width:  # nearly always: a name, a role, an address
            out.append(whole)
            continue
        # words measured once, a line's width as their sum: a break never falls inside a word, so
        # what shaping does across one (kerning, joining) cannot change where lines end
        space = line_width(shaped(" "), size)
        line, line_width_now = "", 0.0
        for word in paragraph.split(" "):
            word_width = line_width(shaped(word), size) if word else 0.0
            if line and line_width_now + space + word_width > width:
                out.append(shaped(line))
                line, line_width_now = "", 0.0
            if line:
                line, line_width_now = f"{line} {word}", line_width_now + space + word_width
            else:
                line, line_width_now = word, word_width
            while len(line) > 1 and line_width_now > width:  # a word longer than a line
                cut = len(line) - 1
                while cut > 1 and (_attaches(line[cut]) or line_width(shaped(line[:cut]), size) > width):
                    cut -= 1
                out.append(shaped(line[:cut]))
                line = line[cut:]
                line_width_now = line_width(shaped(line), size)
        out.append(shaped(line))
    return out


class ScriptText(Flowable):
    """A platypus flowable of user text in any script: wrapped, right-aligned when right to left."""

    def __init__(self, text: str, font: ScriptFont, preferred: tuple[str, ...], size: float, leading: float):
        super().__init__()
        self.text, self.font, self.preferred, self.size, self.leading = text, font, preferred, size, leading
        self.lines: list[ShapedLine] = []
        self.width = 0.0

    def wrap(self, avail_width, avail_height):
        if not self.lines or avail_width != self.width:  # tables ask again and again with one width
            self.lines = wrap_lines(self.text, self.font, self.preferred, self.size, avail_width)
        self.width = avail_width
        self.height = self.leading * len(self.lines)
        return avail_width, self.height

    def draw(self) -> None:
        # the first baseline as reportlab's Paragraph puts it: the font size below the top
        y = self.height - self.size
        # the value as one piece of marked content: read back whole and in logical order, however wrapped
        self.canv._code.append(marked(actual_text(self.text)))
        for line in self.lines:
            x = self.width - line_width(line, self.size) if line.rtl else 0.0
            draw_line(self.canv, line, x, y, self.size, mark=False)
            y -= self.leading
        self.canv._code.append("EMC")
