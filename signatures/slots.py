"""Where the signers sign: the signing slots of an issued document, recorded on its pages or
found from the templates' SIG markers in its text."""

from __future__ import annotations

import bisect
import io
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject

__all__ = ["MARKER", "AssembleError", "SlotBox", "find_slots", "recorded_places"]

MARKER = re.compile(r"SIG:([a-z_]+):(\d+)")
SLOT_HEIGHT = 62.0  # the empty signing space under a marker, down to just above the dotted line
SLOT_WIDTH = 200.0
RIGHT_MARGIN = 57.0  # a slot never reaches into the page's right margin (2 cm)
# Where signatures.markers records a document's signing places (a page-piece dictionary, ISO 32000-1 14.5)
PIECE_INFO, PIECE_NAME, PLACES_KEY = "/PieceInfo", "/Asysta", "/SignaturePlaces"


class AssembleError(ValueError):
    """The document, a mark or an image cannot be put together as asked."""


@dataclass(frozen=True)
class SlotBox:
    """Where one signer signs: page index (0-based) and the signing space in PDF points (origin bottom-left)."""

    page: int
    x: float
    y: float
    width: float
    height: float

    def to_json(self) -> dict:
        """The box as a JSON object: page (int), x, y, width and height (floats)."""
        return asdict(self)

    @classmethod
    def from_json(cls, d: Mapping) -> SlotBox:
        """The box from what to_json gave."""
        try:
            return cls(page=int(d["page"]), x=float(d["x"]), y=float(d["y"]), width=float(d["width"]),
                       height=float(d["height"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise AssembleError(f"Not a signing slot: {d!r}") from exc


# ---------------------------------------------------------------------------------------------
# Finding the markers: pypdf's text extraction reports each piece of text with the text matrix and
# the CTM where it starts; pieces on one baseline are read as one line, so a marker cut into several
# text runs is still found.


def find_slots(pdf: bytes) -> dict[str, SlotBox]:
    """The signing spaces of a document, keyed 'slot_key:index'.

    A document issued since issue 9 records its places on each page (signatures.markers: the page's
    /PieceInfo, ISO 32000-1 14.5) and carries no marker text; an older one is searched for its
    invisible SIG markers. Raises AssembleError for an unreadable document or a slot marked twice.
    """
    try:
        pages = PdfReader(io.BytesIO(pdf), strict=False).pages
        slots: dict[str, SlotBox] = {}
        for index, page in enumerate(pages):
            right = float(page.mediabox.right) - RIGHT_MARGIN
            found = recorded_places(page)
            if found is None:
                found = [(key, x, top) for key, x, top, _ in _markers(page)]
            for key, x, top in found:
                if key in slots:
                    raise AssembleError(f"The signing slot {key} is marked twice in the document.")
                width = min(SLOT_WIDTH, right - x)
                if width <= 0:
                    raise AssembleError(f"The signing slot {key} lies in the page's right margin.")
                slots[key] = SlotBox(page=index, x=round(x, 2), y=round(top - SLOT_HEIGHT, 2),
                                     width=round(width, 2), height=SLOT_HEIGHT)
        return slots
    except AssembleError:
        raise
    except Exception as exc:  # pypdf raises many types for broken input
        raise AssembleError(f"The document's pages cannot be read: {exc}") from exc


def recorded_places(page: PageObject) -> list[tuple[str, float, float]] | None:
    """(slot key, x, top) of the places recorded on a page by signatures.markers, or None when the
    page has no record (a document issued before issue 9: its markers are in its text)."""
    info = page.get(PIECE_INFO)
    info = info.get_object() if info is not None else None
    data = info.get(PIECE_NAME) if isinstance(info, DictionaryObject) else None
    data = data.get_object() if data is not None else None
    private = data.get("/Private") if isinstance(data, DictionaryObject) else None
    private = private.get_object() if private is not None else None
    places = private.get(PLACES_KEY) if isinstance(private, DictionaryObject) else None
    if places is None:
        return None
    found = []
    for entry in places.get_object():
        key, x, top = entry.get_object()
        if not MARKER.fullmatch(f"SIG:{key}"):
            raise AssembleError(f"A recorded signing place has a bad name: {key!r}.")
        found.append((str(key), float(x), float(top)))
    return found


def _markers(page: PageObject) -> list[tuple[str, float, float, set[int]]]:
    """(slot key, x, top, MCIDs) of each marker on a page: where its 'SIG:' starts, top one em above
    the baseline, and the marked-content sequences (by MCID) its text is drawn in when they hold
    nothing but markers (an empty set otherwise: the marker shares its text with other text)."""
    text: list[str] = []  # the page's text, a line for each baseline
    pieces: list[tuple[int, str, tuple, DictionaryObject | None, float, int | None]] = []
    length, baseline = 0, None
    mcids: list[int | None] = []  # open marked-content sequences, innermost last

    def operator(op, operands, cm, tm) -> None:
        """Follows BDC/BMC … EMC, so that each piece of text knows its sequence's MCID."""
        if op in (b"BDC", b"BMC"):
            props = operands[1] if op == b"BDC" and len(operands) > 1 else None
            props = props.get_object() if hasattr(props, "get_object") else props
            mcid = props.get("/MCID") if isinstance(props, dict) else None
            mcids.append(int(mcid) if mcid is not None else (mcids[-1] if mcids else None))
        elif op == b"EMC" and mcids:
            mcids.pop()

    def visit(piece: str, cm, tm, font, size) -> None:
        """Adds one piece of text as pypdf reports it: to the current line if it shares its baseline."""
        nonlocal length, baseline
        piece = piece.rstrip("\n")  # pypdf's guess at a line end: the baseline tells
        if not piece:
            return
        matrix = _mult(tm, cm)
        if baseline is None or abs(matrix[5] - baseline) > 0.3 * size * math.hypot(matrix[2], matrix[3]):
            text.append("\n")
            length += 1
        baseline = matrix[5]
        pieces.append((length, piece, matrix, font, float(size), mcids[-1] if mcids else None))
        text.append(piece)
        length += len(piece)

    page.extract_text(visitor_text=visit, visitor_operand_before=operator)
    found = []
    starts = [piece[0] for piece in pieces]
    for m in MARKER.finditer("".join(text)):
        first = bisect.bisect_right(starts, m.start()) - 1
        offset, piece, matrix, font, size, _ = pieces[first]
        before = piece[:m.start() - offset]
        advance = _width(font, before) / 1000 * size if before.strip() else 0.0
        x, _ = _apply(matrix, advance, 0)
        _, top = _apply(matrix, advance, size)
        last = bisect.bisect_left(starts, m.end()) - 1
        within = {p[5] for p in pieces[first:last + 1] if p[5] is not None}
        found.append((f"{m.group(1)}:{int(m.group(2))}", x, top, within))
    # a sequence is the marker's own only when all its text is markers: only such can be removed
    by_mcid: dict[int, str] = {}
    for piece in pieces:
        if piece[5] is not None:
            by_mcid[piece[5]] = by_mcid.get(piece[5], "") + piece[1]
    own = {mcid for mcid, text in by_mcid.items() if not MARKER.sub("", text).strip()}
    return [(key, x, top, within if within <= own else set()) for key, x, top, within in found]


def _width(font: DictionaryObject | None, text: str) -> float:
    """The glyph widths of text in a font (thousandths of an em), for a marker inside a longer text run."""
    # pypdf's own font metrics, as its text extraction uses them (not exported: imported only when needed)
    from pypdf.generic._font import Font

    if font is None:
        return 0.0
    metrics = Font.from_font_resource(font)
    # pypdf reads a code through the encoding, then through the ToUnicode map: back from text to code
    encoded = {char: chr(code) for code, char in metrics.encoding.items()} if isinstance(metrics.encoding, dict) else {}
    unmapped = {char: raw for raw, char in metrics.character_map.items()}
    codes = [unmapped.get(char, char) for char in text]
    widths = metrics.character_widths
    return sum(widths.get(encoded.get(code, code), widths["default"]) for code in codes)


def _mult(m, n) -> tuple:
    """The matrix m × n (first m, then n)."""
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5])


def _apply(m, x: float, y: float) -> tuple[float, float]:
    """The point (x, y) transformed by matrix m."""
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]
