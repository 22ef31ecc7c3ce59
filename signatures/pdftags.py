"""Tagging the pages this service draws with reportlab, which writes no structure of its own.

While a document is built, `Tags` writes marked content into reportlab's page streams
(/H1 <</MCID n>> BDC … EMC around a flowable, /TD or /TH around each table cell, /Artifact
around page footers, table backgrounds and rules: ISO 32000-1 14.6, 14.8.2.2) and remembers the
element each sequence belongs to; `Tags.apply` then adds the structure tree, the parent tree and
/MarkInfo to the finished PDF (an incremental update, signatures.tagging). Headings, paragraphs and
tables with header cells reach screen readers as such (WCAG 2.1 SC 1.3.1), in the order drawn.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.platypus import Flowable

__all__ = ["Tags"]


@dataclass
class _Element:
    role: str
    parent: int | None  # index in Tags.elements; None: the document element
    content: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID) in order
    kids: list[int] = field(default_factory=list)


class Tags:
    """The structure of one reportlab document, recorded while it is drawn."""

    def __init__(self) -> None:
        self.elements: list[_Element] = []
        self._next_mcid: dict[int, int] = {}

    def element(self, role: str, parent: int | None = None) -> int:
        """A new structure element (its index) under parent (None: the document)."""
        self.elements.append(_Element(role, parent))
        index = len(self.elements) - 1
        if parent is not None:
            self.elements[parent].kids.append(index)
        return index

    def begin(self, canvas, element: int) -> None:
        """Starts content of element on the canvas's current page (close it with end)."""
        page = canvas.getPageNumber() - 1
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        self.elements[element].content.append((page, mcid))
        canvas._code.append(f"/{self.elements[element].role} <</MCID {mcid}>> BDC")

    @staticmethod
    def end(canvas) -> None:
        """Ends the marked content begun last."""
        canvas._code.append("EMC")

    @staticmethod
    def begin_artifact(canvas) -> None:
        """Starts content that is not part of the text (page furniture, rules, backgrounds)."""
        canvas._code.append("/Artifact BMC")

    def wrap(self, flowable: Flowable, role: str, parent: int | None = None) -> Flowable:
        """flowable as the content of a new element of role (kept as one element when split)."""
        return _Tagged(flowable, self, self.element(role, parent))

    def table(self, table, parent: int | None = None):
        """Tags a reportlab Table as /Table of /TR rows of /TH (first column, or a heading row
        spanning the table) and /TD cells; backgrounds and rules are artifacts. Returns table."""
        table._renderCB = _TableTags(self, self.element("Table", parent), table)
        return table

    def apply(self, pdf: bytes, *, lang: str, title: str | None = None) -> bytes:
        """pdf (as reportlab wrote it, with the marked content recorded here) with its structure
        tree, parent tree, /MarkInfo, /Lang and (given a title) DisplayDocTitle, as an update."""
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        pages = [ref for ref in _page_refs(writer.root.raw_get("/Pages"))]
        tree_ref = writer.add_object(generic.DictionaryObject({pdf_name("/Type"): pdf_name("/StructTreeRoot")}))
        document = writer.add_object(generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/StructElem"), pdf_name("/S"): pdf_name("/Document"),
            pdf_name("/P"): tree_ref}))
        refs = [writer.add_object(generic.DictionaryObject()) for _ in self.elements]
        by_page: dict[int, dict[int, generic.IndirectObject]] = {}
        for index, element in enumerate(self.elements):
            obj = refs[index].get_object()
            obj[pdf_name("/Type")] = pdf_name("/StructElem")
            obj[pdf_name("/S")] = pdf_name(f"/{element.role}")
            obj[pdf_name("/P")] = document if element.parent is None else refs[element.parent]
            kids = generic.ArrayObject()
            pages_of = {page for page, _ in element.content}
            if len(pages_of) == 1:
                obj[pdf_name("/Pg")] = pages[next(iter(pages_of))]
            for page, mcid in element.content:
                by_page.setdefault(page, {})[mcid] = refs[index]
                if len(pages_of) == 1:
                    kids.append(generic.NumberObject(mcid))
                else:  # content on several pages: marked-content references name their page
                    kids.append(generic.DictionaryObject({
                        pdf_name("/Type"): pdf_name("/MCR"), pdf_name("/Pg"): pages[page],
                        pdf_name("/MCID"): generic.NumberObject(mcid)}))
            kids.extend(refs[kid] for kid in element.kids)
            obj[pdf_name("/K")] = kids
        document.get_object()[pdf_name("/K")] = generic.ArrayObject(
            refs[i] for i, e in enumerate(self.elements) if e.parent is None)
        nums = generic.ArrayObject()
        for page, mcids in sorted(by_page.items()):
            if sorted(mcids) != list(range(len(mcids))):
                raise ValueError("marked content numbers of a page are not 0…n-1")
            nums += [generic.NumberObject(page), generic.ArrayObject(mcids[m] for m in sorted(mcids))]
            page_obj = pages[page].get_object()
            page_obj[pdf_name("/StructParents")] = generic.NumberObject(page)
            writer.mark_update(pages[page])
        tree = tree_ref.get_object()
        tree[pdf_name("/K")] = generic.ArrayObject([document])
        tree[pdf_name("/ParentTree")] = writer.add_object(generic.DictionaryObject({pdf_name("/Nums"): nums}))
        tree[pdf_name("/ParentTreeNextKey")] = generic.NumberObject(len(pages))
        root = writer.root
        root[pdf_name("/StructTreeRoot")] = tree_ref
        root[pdf_name("/MarkInfo")] = generic.DictionaryObject({pdf_name("/Marked"): generic.BooleanObject(True)})
        root[pdf_name("/Lang")] = pdf_string(lang)
        if title:
            root[pdf_name("/ViewerPreferences")] = generic.DictionaryObject(
                {pdf_name("/DisplayDocTitle"): generic.BooleanObject(True)})
        writer.update_root()
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def _page_refs(node_ref) -> list:
    node = node_ref.get_object()
    if "/Kids" not in node:
        return [node_ref]
    return [ref for kid in node.raw_get("/Kids").get_object().iterate() for ref in _page_refs(kid)]


class _Tagged(Flowable):
    """A flowable drawn as the content of one structure element (all its split parts too)."""

    def __init__(self, inner: Flowable, tags: Tags, element: int):
        super().__init__()
        self.inner, self.tags, self.element = inner, tags, element

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return [_Tagged(part, self.tags, self.element) for part in self.inner.split(availWidth, availHeight)]

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def drawOn(self, canvas, x, y, _sW=0):
        self.tags.begin(canvas, self.element)
        self.inner.drawOn(canvas, x, y, _sW)
        self.tags.end(canvas)

    def draw(self):  # pragma: no cover - drawOn does the drawing
        self.inner.draw()


class _TableTags:
    """reportlab's table render callback (Table(renderCB=…)): rows and cells as structure.

    A table split over pages calls it for each part; the rows a part repeats at its top (repeatRows)
    are artifacts the second time, so each row of the table is in the structure once.
    """

    def __init__(self, tags: Tags, element: int, table) -> None:
        self.tags, self.element = tags, element
        self.heading_row = bool(getattr(table, "_spanCmds", None))  # a first row spanning both columns
        self.rows_done = 0
        self.part_rows = 0
        self.repeats = 0
        self.row: int | None = None
        self.cell_open = False

    def __call__(self, table, event, *args) -> None:
        canvas = table.canv
        if event == "startTable":
            self.repeats = (table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)) \
                if self.rows_done else 0
        elif event in ("startBG", "startLines"):
            self.tags.begin_artifact(canvas)
        elif event in ("endBG", "endLines"):
            self.tags.end(canvas)
        elif event == "startRow":
            row_number = args[0]
            self.row = None if row_number < self.repeats else self.tags.element("TR", self.element)
            if self.row is None:
                self.tags.begin_artifact(canvas)
        elif event == "endRow":
            if self.row is None:
                self.tags.end(canvas)
            else:
                self.rows_done += 1
        elif event == "startCell":
            row_number, column = args[0], args[1]
            if self.row is not None:
                header = column == 0 or (self.heading_row and row_number == 0 and self.rows_done == 0)
                self.tags.begin(canvas, self.tags.element("TH" if header else "TD", self.row))
                self.cell_open = True
        elif event == "endCell":
            if self.cell_open:
                self.tags.end(canvas)
                self.cell_open = False
