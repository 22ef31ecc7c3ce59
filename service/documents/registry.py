"""All document types, looked up by slug; a second type with the same slug is refused."""
from __future__ import annotations

from collections.abc import Iterator

from .spec import DocumentType, GroupSpec


class DuplicateDocumentType(ValueError):
    """Two declarations claim the same slug."""


class Registry:
    """An ordered set of document types keyed by slug."""

    def __init__(self) -> None:
        self._types: dict[str, DocumentType] = {}

    def register(self, doctype: DocumentType) -> DocumentType:
        """Adds a type; refuses a slug that is already taken or a field name used twice."""
        if doctype.slug in self._types:
            raise DuplicateDocumentType(f"document type {doctype.slug!r} is declared twice")
        names = [f.name for f in doctype.fields]
        for f in doctype.fields:
            if isinstance(f, GroupSpec):
                names += [f"{f.name}.{sub.name}" for sub in f.fields]
        if len(names) != len(set(names)):
            raise DuplicateDocumentType(f"{doctype.slug}: a field name is declared twice")
        self._types[doctype.slug] = doctype
        return doctype

    def get(self, slug: str) -> DocumentType | None:
        """The type with this slug, or None."""
        return self._types.get(slug)

    def __getitem__(self, slug: str) -> DocumentType:
        return self._types[slug]

    def __iter__(self) -> Iterator[DocumentType]:
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)


def _build() -> Registry:
    from .catalog import ALL

    registry = Registry()
    for doctype in ALL:
        registry.register(doctype)
    return registry


DOCUMENT_TYPES = _build()
