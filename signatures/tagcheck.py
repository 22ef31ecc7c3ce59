"""What can be checked of a tagged PDF without a PDF/UA validator: the parts this service relies on.

ISO 32000-1 14.7-14.9 (logical structure, marked content, tagged PDF) and what WCAG 2.1 asks of a
document (SC 1.1.1 text alternatives, 1.3.1 info and relationships, 3.1.1 language of the page):
the catalog says the document is tagged (/MarkInfo /Marked true) and in which language (/Lang);
there is a structure tree; every piece of text and every image on every page is either content of
a structure element (marked with an MCID the parent tree resolves to an element of that page) or
an artifact; every /Figure has an alternative text.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject

__all__ = ["TagReport", "tag_report"]

_PAINTING = {b"Tj", b"TJ", b"'", b'"', b"Do", b"BI", b"sh"}


@dataclass
class TagReport:
    """The tagging of a PDF as far as checked: language, marks, and what is outside the structure."""

    lang: str | None = None
    marked: bool = False
    has_structure: bool = False
    elements: dict[str, int] = field(default_factory=dict)  # structure types (after the role map) -> count
    unmarked: list[str] = field(default_factory=list)  # "page 3: Tj" for content in no element and no artifact
    dangling: list[str] = field(default_factory=list)  # MCIDs the parent tree does not resolve
    figures_without_alt: int = 0
    structural_problems: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """Polish descriptions of what is wrong; empty when the checks pass."""
        out = list(self.structural_problems)
        if not self.lang:
            out.append("Katalog nie podaje języka dokumentu (/Lang).")
        if not self.marked:
            out.append("Dokument nie jest oznaczony jako otagowany (/MarkInfo /Marked true).")
        if not self.has_structure:
            out.append("Dokument nie ma drzewa struktury (/StructTreeRoot).")
        if self.unmarked:
            out.append("Treść poza strukturą i poza artefaktami: " + ", ".join(self.unmarked[:5]) + ".")
        if self.dangling:
            out.append("Oznaczenia treści bez elementu struktury: " + ", ".join(self.dangling[:5]) + ".")
        if self.figures_without_alt:
            out.append(f"Rysunki bez tekstu alternatywnego: {self.figures_without_alt}.")
        return out


def tag_report(pdf: bytes) -> TagReport:
    """Checks the tagging of a PDF (see the module's docstring); never raises for bad input."""
    report = TagReport()
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        catalog = reader.trailer["/Root"].get_object()
        lang = catalog.get("/Lang")
        report.lang = str(lang) if lang else None
        info = catalog.get("/MarkInfo")
        info = info.get_object() if info is not None else None
        report.marked = isinstance(info, DictionaryObject) and bool(info.get("/Marked", False))
        tree = catalog.get("/StructTreeRoot")
        tree = tree.get_object() if tree is not None else None
        if not isinstance(tree, DictionaryObject):
            return report
        report.has_structure = True
        roles = tree.get("/RoleMap")
        roles = roles.get_object() if roles is not None else {}
        parents = parent_tree(tree)
        _count_elements(tree, roles, report)
        for number, page in enumerate(reader.pages, 1):
            owners = parents.get(int(page["/StructParents"])) if "/StructParents" in page else None
            _check_page(number, page, reader, owners, report)
    except Exception as exc:  # pypdf raises many types for broken files
        report.structural_problems.append(f"Nie można odczytać struktury pliku PDF: {exc}")
    return report


def parent_tree(tree: DictionaryObject | None) -> dict[int, ArrayObject]:
    """The structure parent tree of a StructTreeRoot (a number tree, ISO 32000-1 14.7.4.4):
    a page's /StructParents -> the array of its structure elements by MCID. Empty when `tree` is
    None or has no /ParentTree (an untagged document)."""
    out: dict[int, ArrayObject] = {}

    def walk(node) -> None:
        node = node.get_object()
        nums = node.get("/Nums")
        if nums is not None:
            nums = nums.get_object()
            for i in range(0, len(nums) - 1, 2):
                value = nums[i + 1].get_object()
                if isinstance(value, ArrayObject):
                    out[int(nums[i])] = value
        for kid in node.get("/Kids", ArrayObject()).get_object():
            walk(kid)

    if tree is not None and "/ParentTree" in tree:
        walk(tree["/ParentTree"])
    return out


def _count_elements(tree: DictionaryObject, roles, report: TagReport) -> None:
    seen: set[int] = set()
    stack = [tree.get("/K")]
    while stack:
        kid = stack.pop()
        if kid is None:
            continue
        if hasattr(kid, "idnum"):
            if kid.idnum in seen:
                continue
            seen.add(kid.idnum)
        kid = kid.get_object()
        if isinstance(kid, ArrayObject):
            stack.extend(kid)
            continue
        if not isinstance(kid, DictionaryObject) or "/S" not in kid:
            continue  # an MCID, or a marked-content or object reference
        role = str(kid["/S"])
        role = str(roles.get(role, role)) if isinstance(roles, DictionaryObject) else role
        report.elements[role.lstrip("/")] = report.elements.get(role.lstrip("/"), 0) + 1
        if role == "/Figure" and not kid.get("/Alt") and not kid.get("/ActualText"):
            report.figures_without_alt += 1
        stack.append(kid.get("/K"))


def _check_page(number: int, page, reader, owners: ArrayObject | None, report: TagReport) -> None:
    contents = page.get_contents()
    if contents is None:
        return
    stack: list[str] = []  # "mcid", "artifact" or "other" for each open marked-content sequence
    for operands, operator in ContentStream(contents, reader).operations:
        if operator == b"BMC":
            stack.append("artifact" if operands[0] == "/Artifact" else "other")
        elif operator == b"BDC":
            props = operands[1].get_object() if hasattr(operands[1], "get_object") else operands[1]
            if operands[0] == "/Artifact":
                stack.append("artifact")
            elif isinstance(props, DictionaryObject) and "/MCID" in props:
                mcid = int(props["/MCID"])
                owner = owners[mcid].get_object() if owners is not None and mcid < len(owners) else None
                if not isinstance(owner, DictionaryObject):
                    report.dangling.append(f"strona {number}: MCID {mcid}")
                stack.append("mcid")
            else:
                stack.append("other")
        elif operator == b"EMC":
            if stack:
                stack.pop()
        elif operator in _PAINTING and not any(kind in ("mcid", "artifact") for kind in stack):
            report.unmarked.append(f"strona {number}: {operator.decode()}")
