"""Keeping an issued PDF tagged while the service adds to it (an incremental update, pyHanko).

LibreOffice exports a tagged PDF (structure tree, /MarkInfo, /Lang: ISO 32000-1 14.7-14.9). What
the service draws later must fit in it, or a screen reader meets content outside the structure
(WCAG 2.1 SC 1.3.1, 1.1.1; the Polish law on digital accessibility covers published documents):

- marks for machines (QR codes, registration marks, page codes, the print label) are artifacts:
  `artifact(ops)` wraps them in /Artifact BMC … EMC (14.8.2.2);
- a signature image is a /Figure with an alternative text („Podpis: Anna Kowalska”), a password
  stamp a /P of its real text; `StructureUpdate.add` gives each its structure element, appended
  after the document's own content (the signing places' markers are gone from the tree, see
  signatures.markers) and linked through the parent tree (14.7.4.4);
- an appended page (the evidence page, drawn by reportlab, which cannot tag) becomes one /Sect
  holding its whole content as one /P, whose text is in reading order (drawn top to bottom).
"""
from __future__ import annotations

from collections.abc import Sequence

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

__all__ = ["StructureUpdate", "artifact", "marked"]


def artifact(ops: bytes) -> bytes:
    """Content that is not part of the document's text (ISO 32000-1 14.8.2.2): /Artifact BMC … EMC."""
    return b"/Artifact BMC\n" + ops + b"\nEMC\n"


def marked(role: str, mcid: int, ops: bytes) -> bytes:
    """Content belonging to the structure element that owns `mcid` (ISO 32000-1 14.7.4.2)."""
    return f"/{role} <</MCID {mcid}>> BDC\n".encode() + ops + b"\nEMC\n"


def _ref(obj):
    """obj's indirect reference if it is one (to be marked as updated), else None."""
    return obj if isinstance(obj, generic.IndirectObject) else None


class StructureUpdate:
    """The structure tree of a document being updated: new elements go after its own content.

    A document without a structure tree (not made by this service) gets one, with /MarkInfo.
    """

    def __init__(self, writer: IncrementalPdfFileWriter):
        self.writer = writer
        root = writer.root
        self._dirty: dict = {}
        if "/StructTreeRoot" not in root:
            tree = generic.DictionaryObject({
                pdf_name("/Type"): pdf_name("/StructTreeRoot"),
                pdf_name("/ParentTree"): writer.add_object(generic.DictionaryObject(
                    {pdf_name("/Nums"): generic.ArrayObject()})),
                pdf_name("/K"): generic.ArrayObject()})
            tree_ref = writer.add_object(tree)
            document = writer.add_object(generic.DictionaryObject({
                pdf_name("/Type"): pdf_name("/StructElem"), pdf_name("/S"): pdf_name("/Document"),
                pdf_name("/P"): tree_ref, pdf_name("/K"): generic.ArrayObject()}))
            tree["/K"].append(document)
            root[pdf_name("/StructTreeRoot")] = tree_ref
            root[pdf_name("/MarkInfo")] = generic.DictionaryObject({pdf_name("/Marked"): generic.BooleanObject(True)})
            writer.update_root()
        self.tree_ref = root.raw_get("/StructTreeRoot")
        self.tree = self.tree_ref.get_object()
        kids = self.tree["/K"] if "/K" in self.tree else None
        # LibreOffice's tree: one /Document element holding everything; new elements go into it
        self.parent_ref = self.tree_ref
        if isinstance(kids, generic.ArrayObject) and len(kids) == 1:
            kids = kids.raw_get(0)
        if isinstance(kids, generic.IndirectObject) and kids.get_object().get("/S") == "/Document":
            self.parent_ref = kids
        self._parent_tree = self.tree.raw_get("/ParentTree") if "/ParentTree" in self.tree else None
        if self._parent_tree is None:
            self._parent_tree = writer.add_object(generic.DictionaryObject({pdf_name("/Nums"): generic.ArrayObject()}))
            self.tree[pdf_name("/ParentTree")] = self._parent_tree
            self._touch(self.tree_ref)
        self._arrays = self._read_parent_tree()
        keys = list(self._arrays) + [int(self.tree.get("/ParentTreeNextKey", 0)) - 1]
        self._next_key = max(keys, default=-1) + 1

    def _touch(self, ref) -> None:
        if isinstance(ref, generic.IndirectObject):
            self._dirty[(ref.idnum, ref.generation)] = ref

    def _read_parent_tree(self) -> dict[int, tuple[generic.ArrayObject, object]]:
        """key -> (array of elements by MCID, the indirect object to mark when it changes)."""
        out = {}

        def walk(ref, owner) -> None:
            node = ref.get_object()
            owner = _ref(ref) or owner
            if "/Nums" in node:
                nums = node["/Nums"]
                holder = _ref(node.raw_get("/Nums")) or owner
                for i in range(0, len(nums) - 1, 2):
                    value = nums.raw_get(i + 1)
                    out[int(nums[i])] = (value.get_object(), _ref(value) or holder)
            for kid in node.get("/Kids", generic.ArrayObject()).iterate() if "/Kids" in node else ():
                walk(kid, owner)

        walk(self._parent_tree, _ref(self.tree_ref))
        return out

    def _page_array(self, page_ref, page_obj, array: generic.ArrayObject | None = None) -> generic.ArrayObject:
        """The parent tree's array for a page's marked content, created with a new key if needed
        (given `array`: that one, under a new key, for a page appended with its own structure)."""
        if array is None and "/StructParents" in page_obj and int(page_obj["/StructParents"]) in self._arrays:
            array, owner = self._arrays[int(page_obj["/StructParents"])]
            self._touch(owner)
            return array
        key = self._next_key
        self._next_key += 1
        array = generic.ArrayObject() if array is None else array
        tree = self._parent_tree.get_object()
        if "/Nums" not in tree:  # a tree of kids: a new leaf for the new keys
            leaf = self.writer.add_object(generic.DictionaryObject({
                pdf_name("/Limits"): generic.ArrayObject([generic.NumberObject(key), generic.NumberObject(key)]),
                pdf_name("/Nums"): generic.ArrayObject()}))
            tree["/Kids"].append(leaf)
            tree = leaf.get_object()
        tree["/Nums"].extend([generic.NumberObject(key), array])
        self._touch(self._parent_tree)
        self._touch(self.tree_ref)
        self._arrays[key] = (array, _ref(self._parent_tree))
        page_obj[pdf_name("/StructParents")] = generic.NumberObject(key)
        self.writer.mark_update(page_ref)
        return array

    def add(self, page_ref, page_obj, role: str, *, alt: str | None = None,
            bbox: Sequence[float] | None = None, parent=None) -> int:
        """A new structure element of type `role` for content on a page; returns the MCID under
        which that content must be marked (see `marked`). alt: the alternative text (/Alt, needed
        for a /Figure, ISO 32000-1 14.9.3); bbox: its box on the page, in points (14.8.5.4.3)."""
        array = self._page_array(page_ref, page_obj)
        mcid = len(array)
        parent = parent or self.parent_ref
        element = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/StructElem"), pdf_name("/S"): pdf_name(f"/{role}"),
            pdf_name("/P"): parent, pdf_name("/Pg"): page_ref, pdf_name("/K"): generic.NumberObject(mcid)})
        if alt:
            element[pdf_name("/Alt")] = pdf_string(alt)
        if bbox is not None:
            element[pdf_name("/A")] = generic.DictionaryObject({
                pdf_name("/O"): pdf_name("/Layout"),
                pdf_name("/BBox"): generic.ArrayObject(generic.FloatObject(round(v, 3)) for v in bbox)})
        ref = self.writer.add_object(element)
        array.append(ref)
        self._append_kid(parent, ref)
        return mcid

    def adopt_page(self, page_ref, page_obj, array: generic.ArrayObject) -> None:
        """Registers an appended page's own parent-tree array (its MCIDs' elements) under a new key."""
        self._page_array(page_ref, page_obj, array)

    def section(self, title: str):
        """A new /Sect element after the document's content (for appended pages); returns its reference."""
        # (its kids are appended by the caller through adopt_kid or add(parent=…))
        ref = self.writer.add_object(generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/StructElem"), pdf_name("/S"): pdf_name("/Sect"),
            pdf_name("/P"): self.parent_ref, pdf_name("/T"): pdf_string(title), pdf_name("/K"): generic.ArrayObject()}))
        self._append_kid(self.parent_ref, ref)
        return ref

    def adopt_kid(self, parent_ref, ref) -> None:
        """Makes an element (copied from another document) the last kid of parent_ref."""
        ref.get_object()[pdf_name("/P")] = parent_ref
        self._append_kid(parent_ref, ref)

    def _append_kid(self, parent_ref, ref) -> None:
        parent = parent_ref.get_object()
        kids = parent.raw_get("/K") if "/K" in parent else None
        if kids is None:
            parent[pdf_name("/K")] = generic.ArrayObject([ref])
        elif isinstance(kids.get_object(), generic.ArrayObject):
            kids.get_object().append(ref)
            self._touch(_ref(kids))
        else:  # a single kid: it becomes an array of two
            parent[pdf_name("/K")] = generic.ArrayObject([kids, ref])
        self._touch(parent_ref)

    def finish(self) -> None:
        """Marks every changed structure object as part of the update; sets ParentTreeNextKey."""
        self.tree[pdf_name("/ParentTreeNextKey")] = generic.NumberObject(self._next_key)
        self._touch(self.tree_ref)
        for ref in self._dirty.values():
            self.writer.mark_update(ref)
