"""Bidi isolates in a line of template text with values (UAX #9, FSI … PDI; signatures.multiscript)."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from signatures.evidence import FALLBACK, FONT, register_fonts
from signatures.multiscript import isolate, shape_line


def _visual(text: str) -> list[str]:
    """The drawn pieces of a line, left to right (isolate controls draw nothing and are left out)."""
    register_fonts()
    line = shape_line(text, pdfmetrics.getFont(FONT), FALLBACK, rtl=False)
    pieces = [line.text[line.runs[i].start:line.runs[i].end] for i in line.visual]
    return [p for p in pieces if p not in ("\u2068", "\u2069")]


def test_an_isolated_right_to_left_name_keeps_the_role_out():
    name, role = "ד״ר יוסי 2 כהן-Ali 3", "Kierownik ośrodka"
    pieces = _visual(f"{isolate(name)}, {isolate(role)}")
    # the name's own layout (right to left: its Latin end leftmost), then the role after it
    assert "".join(pieces) == "Ali 3 כהן-2ד״ר יוסי , Kierownik ośrodka"
    assert pieces[-1] == role


def test_adjacent_right_to_left_values_stay_in_their_order():
    assert _visual(isolate("עמית") + isolate("כהן")) == ["עמית", "כהן"]
    assert _visual("עמית" + "כהן") == ["עמיתכהן"]  # one run without the isolates, for contrast


def test_isolate_drops_stray_controls():
    assert isolate("a\u2068b\u2069\u2067c") == "\u2068abc\u2069"
