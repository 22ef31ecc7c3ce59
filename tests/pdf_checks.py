"""The PDF/A-2b, glyph and tagging checks every PDF the service archives during the tests must pass.

tests/conftest.py wraps ArchiveStore.put with check_archived_pdf. Only PDFs this service produced
are checked: those carry the office seal (a signature dictionary with a /ByteRange). A scan
uploaded on the paper path is archived exactly as uploaded and may be any PDF, so it is left out.
"""
from __future__ import annotations

import threading

from signatures.slots import MARKER
from signatures.pdfa import pdfa_report
from signatures.tagcheck import tag_report

LANGUAGE = "pl-PL"  # the documents' language, as the templates and the conversion set it

_lock = threading.Lock()
_checked: dict[bytes, list[str]] = {}  # by SHA-256: the same file is checked once per run


def produced_by_the_service(data: bytes) -> bool:
    """Whether an archived PDF is one of ours: sealed by the office (uploaded scans are not)."""
    return b"/ByteRange" in data


def tagging_problems(data: bytes) -> list[str]:
    """Polish descriptions of what keeps `data` from being a tagged PDF in Polish with no SIG marker
    in its text (signatures.tagcheck; pypdf's text and poppler's)."""
    import io
    import subprocess

    from pypdf import PdfReader

    report = tag_report(data)
    problems = report.problems
    if report.lang and report.lang != LANGUAGE:
        problems.append(f"Język dokumentu to {report.lang}, a nie {LANGUAGE}.")
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    texts.append(subprocess.run(["pdftotext", "-q", "-", "-"], input=data, capture_output=True).stdout.decode())
    if any(MARKER.search(text) or "SIG:" in text for text in texts):
        problems.append("W tekście dokumentu został znacznik miejsca podpisu (SIG:…).")
    return problems


def check_archived_pdf(data: bytes) -> list[str]:
    """Polish descriptions of what keeps `data` from being PDF/A-2b (.notdef and missing glyphs included),
    tagged, in Polish, and free of SIG markers in its text."""
    import hashlib

    digest = hashlib.sha256(data).digest()
    with _lock:
        known = _checked.get(digest)
    if known is not None:
        return known
    problems = pdfa_report(data).problems + tagging_problems(data)
    with _lock:
        _checked[digest] = problems
    return problems
