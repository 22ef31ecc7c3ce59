"""Low-level python-docx/OOXML helpers for building the docxtpl templates (used by build_templates.py)."""
from __future__ import annotations

from typing import Iterable, Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips

FONT = "Liberation Serif"
LANG = "pl-PL"
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}

Segment = str | tuple[str, dict]


def tw(cm: float) -> int:
    """Centimetres to twips (1/1440 inch), the unit of OOXML table widths."""
    return round(cm * 1440 / 2.54)


_ORDER = {  # schema order of the children we touch (Word rejects out-of-order properties)
    "w:tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
               "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "w:tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign",
    "w:pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
             "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
             "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc rPr",
}


def _insert(parent, el) -> None:
    """Inserts `el` into `parent` at its schema position (appends when the order is unknown)."""
    order = _ORDER.get(parent.prefix + ":" + parent.tag.split("}")[1], "").split()
    name = el.tag.split("}")[1]
    if name in order:
        later = {qn(f"w:{t}") for t in order[order.index(name) + 1:]}
        for sibling in parent:
            if sibling.tag in later:
                sibling.addprevious(el)
                return
    parent.append(el)


def _child(parent, tag: str, **attrs):
    """Returns the first `tag` child of `parent`, created if missing, with `attrs` set (w: namespace)."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        _insert(parent, el)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


def _fonts_and_lang(rpr) -> None:
    """Sets Liberation Serif for every script and Polish language on an rPr element."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    fonts = OxmlElement("w:rFonts")
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    rpr.insert(0, fonts)
    _child(rpr, "w:lang", val=LANG, eastAsia=LANG, bidi="ar-SA")


def set_base_styles(doc, size_pt: float = 11) -> None:
    """Makes Liberation Serif 11 pt, Polish, single spacing the default of the document and its Normal style."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts_and_lang(rpr)
    _child(rpr, "w:sz", val=int(size_pt * 2))
    _child(rpr, "w:szCs", val=int(size_pt * 2))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _child(ppr, "w:spacing", before=0, after=0, line=240, lineRule="auto")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size_pt)
    _fonts_and_lang(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True
    settings = doc.settings.element
    _child(settings, "w:themeFontLang", val=LANG)


def setup_page(section, *, top=2.0, bottom=2.0, left=2.5, right=2.0, footer=1.0) -> None:
    """A4 portrait with the given margins in centimetres."""
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.footer_distance, section.header_distance = Cm(footer), Cm(1.0)


def add_run(paragraph, text: str, *, bold=False, italic=False, size: float | None = None, marker=False):
    """Adds one run; a marker run is 1 pt white text (invisible, but extractable from the PDF)."""
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if marker:
        run.font.size = Pt(1)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    elif size:
        run.font.size = Pt(size)
    return run


def para(container, segments: Segment | Sequence[Segment] = "", *, align="left", size=None, bold=False,
         italic=False, before=0.0, after=0.0, left=0.0, hanging=0.0, first=0.0, keep_next=False, tabs=()):
    """Adds a paragraph made of text segments (plain strings or (text, run options)); reuses a cell's blank first paragraph."""
    paragraph = None
    if hasattr(container, "_tc"):
        first_p = container.paragraphs[0]
        if len(container.paragraphs) == 1 and first_p._p.pPr is None and not first_p.runs:
            paragraph = first_p
    if paragraph is None:
        paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = ALIGN[align]
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if left or hanging:
        fmt.left_indent = Cm(left)
    if hanging:
        fmt.first_line_indent = Cm(-hanging)
    elif first:
        fmt.first_line_indent = Cm(first)
    if keep_next:
        fmt.keep_with_next = True
    for pos in tabs:
        kind, cm = pos if isinstance(pos, tuple) else ("left", pos)
        fmt.tab_stops.add_tab_stop(Cm(cm), WD_TAB_ALIGNMENT.RIGHT if kind == "right" else WD_TAB_ALIGNMENT.LEFT)
    if isinstance(segments, str):
        segments = [segments] if segments else []
    for seg in segments:
        text, opts = (seg, {}) if isinstance(seg, str) else seg
        add_run(paragraph, text, bold=opts.get("bold", bold), italic=opts.get("italic", italic),
                size=opts.get("size", size), marker=opts.get("marker", False))
    return paragraph


def add_field(paragraph, instr: str, placeholder: str, size: float | None = None) -> None:
    """Appends a complex field (w:fldChar begin/separate/end) such as PAGE or NUMPAGES."""
    def run_with(child):
        """Adds a run holding one field element."""
        run = add_run(paragraph, "", size=size)
        run._r.append(child)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instr} "
    run_with(code)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    add_run(paragraph, placeholder, size=size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _borders(parent_pr, tag: str, edges: Iterable[str], val: str, sz: int = 4) -> None:
    """Sets the borders of a tblPr/tcPr/pPr (tag = tblBorders, tcBorders or pBdr)."""
    old = parent_pr.find(qn(tag))
    if old is not None:
        parent_pr.remove(old)
    box = OxmlElement(tag)
    for edge in edges:
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), val)
        if val != "nil":
            el.set(qn("w:sz"), str(sz))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        box.append(el)
    _insert(parent_pr, box)


def table(container, widths_cm: Sequence[float], *, rows=1, borders=False, pad=None):
    """Adds a fixed-layout table with explicit gridCol and cell widths (LibreOffice needs both)."""
    pad = (0.1 if borders else 0.0) if pad is None else pad
    tbl = container.add_table(rows=rows, cols=len(widths_cm))
    tbl.autofit = False
    tbl.alignment = WD_TABLE_ALIGNMENT.LEFT
    tbl_pr = tbl._tbl.tblPr
    _child(tbl_pr, "w:tblW", w=tw(sum(widths_cm)), type="dxa")
    _child(tbl_pr, "w:tblInd", w=0, type="dxa")
    edges = ("top", "left", "bottom", "right", "insideH", "insideV")
    _borders(tbl_pr, "w:tblBorders", edges, "single" if borders else "nil")
    margins = _child(tbl_pr, "w:tblCellMar")
    for edge, cm in (("top", pad / 2 if borders else 0), ("left", pad), ("bottom", pad / 2 if borders else 0),
                     ("right", pad)):
        _child(margins, f"w:{edge}", w=tw(cm), type="dxa")
    for col, cm in zip(tbl._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(tw(cm)))
    tbl._asysta_widths = list(widths_cm)
    fix_widths(tbl)
    return tbl


def fix_widths(tbl) -> None:
    """Writes every cell's width from the table's grid (call again after adding rows)."""
    for row in tbl.rows:
        column = 0
        for tc in row._tr.tc_lst:  # a merged cell (gridSpan) is as wide as the columns it spans
            span = tc.grid_span
            tc.width = Twips(sum(tw(cm) for cm in tbl._asysta_widths[column:column + span]))
            column += span


def add_row(tbl, *, cant_split=True, header=False, height_cm: float | None = None):
    """Adds a row that does not break across pages (optionally a repeated header row)."""
    row = tbl.add_row()
    fix_widths(tbl)
    tr_pr = row._tr.get_or_add_trPr()
    if cant_split:
        keep_row(row)
    if header:
        _child(tr_pr, "w:tblHeader")
    if height_cm:
        _child(tr_pr, "w:trHeight", val=tw(height_cm), hRule="atLeast")
    return row


def keep_row(row) -> None:
    """Forbids a table row to break across pages."""
    _child(row._tr.get_or_add_trPr(), "w:cantSplit")


def tag_row(tbl, tag: str) -> None:
    """Adds a row holding only a docxtpl `{%tr ... %}` tag (docxtpl replaces the whole row by the tag)."""
    row = add_row(tbl)
    para(row.cells[0], tag)


def shade(cell, fill: str = "E7E6E6") -> None:
    """Gives a table cell a background colour."""
    _child(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=fill)


def v_align(cell, where: str = "bottom") -> None:
    """Vertical alignment of a cell's content (top, center, bottom)."""
    _child(cell._tc.get_or_add_tcPr(), "w:vAlign", val=where)


def rule_above(paragraph, val: str = "single", sz: int = 4) -> None:
    """Draws a line above a paragraph (paragraph top border)."""
    _borders(paragraph._p.get_or_add_pPr(), "w:pBdr", ("top",), val, sz)
