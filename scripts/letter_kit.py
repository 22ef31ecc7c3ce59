"""The parts of an official Polish letter the templates are built from (scripts/templates/<slug>.py):
the letterhead with the case sign and the place-and-date line, the title block, headings, numbered
points, signature slots with their invisible SIG markers, data tables with a repeated header row,
the paged footer („Strona x z y”) and the legal-basis paragraph rendered from {{ legal_basis }}.

Lower-level python-docx helpers are in template_kit.py; the Polish typesetting of the templates'
own wording in template_text.py. How a version is built (its Style) is set by build_templates.build
for the builder it runs: the first three types' v1 and v2 were built without outline levels (and v1
without typesetting), and keep being built so, byte for byte; every newer builder gets CURRENT.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

import template_kit as kit
from template_kit import (add_field, add_row, add_run, keep_row, rule_above,  # noqa: F401 (for the builders)
                          set_base_styles, setup_page, shade, table, tag_row, v_align)
from template_text import typeset_runs

TEXT_WIDTH = 16.5  # cm: A4 (21 cm) minus the 2.5 cm left and 2 cm right margins
BODY = {"align": "justify", "after": 6}
SMALL = 9
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Style:
    """How a template version is built: its own wording typeset for Polish (template_text), and its
    title and headings given outline levels (tagged PDF: H1, H2) with the footer clear of the QR code."""

    typeset: bool = True
    structured: bool = True


FIRST = Style(typeset=False, structured=False)  # v1 of family_consent, assignment_letter, zz_power_of_attorney
TYPESET = Style(typeset=True, structured=False)  # their v2
CURRENT = Style()  # everything since (their v3 on, every newer type)

_typeset_wording = False  # set by use_style() for the version being built
_structured = False


def use_style(style: Style | None) -> None:
    """Sets how the next template is built (None: back to no typesetting, no structure)."""
    global _typeset_wording, _structured
    _typeset_wording, _structured = (style.typeset, style.structured) if style else (False, False)


def outline(paragraph, level: int) -> None:
    """Gives a paragraph an outline level (w:outlineLvl; 0 = the title): LibreOffice's tagged PDF
    export then tags it as a heading (H1, H2 …) instead of P, without changing how it looks."""
    if _structured:
        ppr = paragraph._p.get_or_add_pPr()
        level_el = OxmlElement("w:outlineLvl")
        level_el.set(qn("w:val"), str(level))
        later = ppr.find(qn("w:rPr"))  # CT_PPr's order: outlineLvl comes before rPr, sectPr, pPrChange
        later = later if later is not None else ppr.find(qn("w:sectPr"))
        if later is not None:
            later.addprevious(level_el)
        else:
            ppr.append(level_el)


def para(container, segments="", **options):
    """template_kit.para, with the runs' text typeset for Polish when the version being built asks for it."""
    if _typeset_wording and segments:
        segments = [segments] if isinstance(segments, str) else list(segments)
        texts = typeset_runs([seg if isinstance(seg, str) else seg[0] for seg in segments])
        segments = [text if isinstance(seg, str) else (text, seg[1]) for seg, text in zip(segments, texts)]
    return kit.para(container, segments, **options)


def official_letter(doc_title: str, date_line: str = "{{ place_date }}"):
    """A new document: A4, Liberation Serif 11 pt, header stamp + case sign + place/date, paged footer.
    `date_line`: the place and date top right (default: the day of issue; a request is dated by its field)."""
    doc = Document()
    set_base_styles(doc)
    section = doc.sections[0]
    setup_page(section)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = doc_title, "Asysta", "Asysta"
    props.subject = props.keywords = props.category = props.comments = ""
    props.language, props.revision = "pl-PL", 1
    props.created = props.modified = FIXED_DATE
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # python-docx's stock preview of an empty page
            doc.part.package.rels.pop(rid)

    head = table(doc, [10.0, TEXT_WIDTH - 10.0])
    stamp, right = head.rows[0].cells
    para(stamp, "{{ office.name }}", bold=True, size=10)
    for line in ("{{ office.street }}", "{{ office.postal_code }} {{ office.town }}",
                 "tel. {{ office.phone }}, e-mail: {{ office.email }}", "NIP {{ office.nip }}, REGON {{ office.regon }}"):
        para(stamp, line, size=SMALL)
    para(stamp, ["Znak sprawy: ", ("{{ case_sign }}", {"bold": True})], size=10, before=10)
    para(right, date_line, align="right")

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Normal"]  # the stock Footer style has US Letter tab stops
    # v3 on: the footer ends 0.8 cm short of the margin, leaving the print copy's QR code clear of it
    inset = 0.8 if _structured else 0.0
    footer.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH - inset), WD_TAB_ALIGNMENT.RIGHT)
    if inset:
        footer.paragraph_format.right_indent = Cm(inset)
    rule_above(footer)
    # the fields' placeholders ("1") take part so that the rules see "Strona 1 z 1" as it prints
    runs = ["{{ doc_ref }}", "\tStrona ", "1", " z ", "1"]
    ref, page, _, of, _ = typeset_runs(runs) if _typeset_wording else runs
    add_run(footer, ref, size=8)
    add_run(footer, page, size=8)
    add_field(footer, "PAGE", "1", size=8)
    add_run(footer, of, size=8)
    add_field(footer, "NUMPAGES", "1", size=8)
    return doc


def unstretched_line_breaks(doc) -> None:
    """Justified paragraphs leave a line ended by a line break (a field's own newline, the
    `multiline` filter) as it is, instead of spreading its words over the whole width: the
    compatibility option w:doNotExpandShiftReturn, which LibreOffice and Word both honour.
    A document-wide setting: the builders of types added since call it (the committed versions of
    the older types stay byte for byte as they were)."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        settings.append(compat)
    if compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))  # CT_Compat: before useFELayout


def title_block(doc, subtitle: str | None = None) -> None:
    """The centred bold title ({{ title }}) and an optional subtitle line."""
    outline(para(doc, "{{ title }}", align="center", bold=True, size=13, before=18, after=4 if subtitle else 12,
                 keep_next=True), 0)
    if subtitle:
        para(doc, subtitle, align="center", italic=True, after=12, keep_next=True)


def heading(doc, text: str, before: float = 10) -> None:
    """A bold section heading kept with the next paragraph."""
    outline(para(doc, text, bold=True, before=before, after=4, keep_next=True), 1)


def numbered(doc, number: str, segments, size=None, after=3, keep_next=False):
    """A list item with a hanging number ("1." or a Jinja expression) followed by a tab; returns
    the paragraph. `keep_next`: kept on the page of the paragraph after it (keep_with_next)."""
    if isinstance(segments, str):
        segments = [segments]
    return para(doc, [number + "\t", *segments], align="justify", left=0.6, hanging=0.6, tabs=[0.6], size=size,
                after=after, keep_next=keep_next)


def signature_slot(cell, width_cm: float, marker: str, captions: list, guard: str | None = None) -> None:
    """An empty signing space (~2.2 cm) with the invisible marker at its top left, a dotted line and captions."""
    def g(text):
        """Wraps `text` in the guard condition, if any."""
        return f"{{% if {guard} %}}{text}{{% endif %}}" if guard else text
    slot = para(cell, [(g(marker), {"marker": True})])
    slot.paragraph_format.line_spacing = Pt(1)
    slot.paragraph_format.space_after = Pt(62)  # ~2.2 cm of free space to sign in
    dots = "…" * int((width_cm - 0.4) * 28.35 / SMALL)  # "…" is one em wide in Liberation Serif
    para(cell, g(dots), align="center", size=SMALL)
    for text, opts in captions:
        para(cell, [(g(text), opts)], align="center", size=opts.get("size", SMALL))


def right_signature(doc, marker: str, captions: list, before: float = 14) -> None:
    """A signature slot in the right half of the page."""
    para(doc, "", after=before, keep_next=True)
    tbl = table(doc, [TEXT_WIDTH - 8.0, 8.0])
    row = tbl.rows[0]
    keep_row(row)
    signature_slot(row.cells[1], 8.0, marker, captions)


def data_table(doc, widths, headers):
    """A bordered table with a shaded, repeated header row; returns the table."""
    tbl = table(doc, widths, rows=0, borders=True)
    row = add_row(tbl, header=True)
    for cell, text in zip(row.cells, headers):
        shade(cell)
        v_align(cell, "center")
        para(cell, text, bold=True, size=10, align="center")
    return tbl


def loop_rows(tbl, loop: str, cells: list) -> None:
    """The docxtpl `{%tr for %}` row, one data row of `cells` (text, align) and `{%tr endfor %}`."""
    tag_row(tbl, f"{{%tr for {loop} %}}")
    row = add_row(tbl)
    for cell, (text, align) in zip(row.cells, cells):
        para(cell, text, size=10, align=align)
    tag_row(tbl, "{%tr endfor %}")


def legal_basis_paragraph(doc, rest: str = "", *, lead: str = "Na podstawie", **options):
    """A paragraph „Na podstawie <the type's legal basis><rest>”: the citation is the registry's
    (legal.py, through the template variable {{ legal_basis }}), never typed in a builder.
    `options` override BODY (justified, 6 pt after)."""
    return para(doc, f"{lead} {{{{ legal_basis }}}}{rest}", **{**BODY, **options})


def two_signatures(doc, left: tuple[str, list], right: tuple[str, list], before: float = 18) -> None:
    """Two signature slots side by side: (marker, captions) of who prepared the document (left) and
    of who accepts or approves it (right)."""
    para(doc, "", after=before, keep_next=True)
    sig = table(doc, [7.5, TEXT_WIDTH - 15.0, 7.5])
    row = sig.rows[0]
    keep_row(row)
    signature_slot(row.cells[0], 7.5, left[0], left[1])
    signature_slot(row.cells[2], 7.5, right[0], right[1])


def keep_with_next(*paragraphs) -> None:
    """Keeps each paragraph on the page of the one after it (w:keepNext). Set on the last paragraph(s)
    of a document's content before its signature block, so that a page break never leaves the
    signatures alone on a page without the text they sign: LibreOffice then moves the end of that
    text over with them (a long paragraph keeps only its last lines, as widow control allows)."""
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def keep_rows_together(tbl) -> None:
    """No row of `tbl` breaks across pages (w:cantSplit) and every paragraph in its rows keeps with
    the next (w:keepNext): LibreOffice then keeps the rows on one page with each other, the rows a
    docxtpl `{%tr for %}` loop makes from one template row too. (It does not keep a table with the
    paragraph after it: what must stay with the signatures, „Otrzymują:”, goes in a row of their
    table.)"""
    for row in tbl.rows:
        keep_row(row)
        for cell in row.cells:
            keep_with_next(*cell.paragraphs)


def recipients(doc, lines: list[str]) -> None:
    """„Otrzymują:” and the numbered list of who gets a copy („ad acta”, never „a/a”)."""
    para(doc, "Otrzymują:", size=10, before=18, keep_next=True)
    for i, text in enumerate(lines, 1):
        para(doc, f"{i}. {text}", size=10, keep_next=i < len(lines))
