"""What a family's file tells a document: the values a form is pre-filled with."""
from __future__ import annotations

from typing import Any

from ..documents.spec import DocumentType
from .models import Family


def prefill_for(doctype: DocumentType, family: Family) -> dict[str, Any]:
    """The document's input values the family's file knows, in the API's JSON shape (groups as
    lists of dicts, choices as keys, dates as ISO strings); empty values left out.

    (Wired to the documents' own from-file declarations when they land; until then nothing.)
    """
    return {}
