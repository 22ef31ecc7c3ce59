"""The PDF/A-2b and glyph checks every PDF the service archives during the tests must pass.

tests/conftest.py wraps ArchiveStore.put with check_archived_pdf. Only PDFs this service produced
are checked: those carry the office seal (a signature dictionary with a /ByteRange). A scan
uploaded on the paper path is archived exactly as uploaded and may be any PDF, so it is left out.
"""
from __future__ import annotations

import threading

from signatures.pdfa import pdfa_report

_lock = threading.Lock()
_checked: dict[bytes, list[str]] = {}  # by SHA-256: the same file is checked once per run


def produced_by_the_service(data: bytes) -> bool:
    """Whether an archived PDF is one of ours: sealed by the office (uploaded scans are not)."""
    return b"/ByteRange" in data


def check_archived_pdf(data: bytes) -> list[str]:
    """Polish descriptions of what keeps `data` from being PDF/A-2b (.notdef and missing glyphs included)."""
    import hashlib

    digest = hashlib.sha256(data).digest()
    with _lock:
        known = _checked.get(digest)
    if known is not None:
        return known
    problems = pdfa_report(data).problems
    with _lock:
        _checked[digest] = problems
    return problems
