"""Verification of an office seal in a PDF, with a one-sentence Polish verdict for clerks."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .seal import describe_subject

__all__ = ["SealReport", "TooManyPages", "check_pdf", "verify_seal"]

log = logging.getLogger(__name__)
WARSAW = ZoneInfo("Europe/Warsaw")
# pyHanko insists on nonRepudiation; seal certificates may carry only digitalSignature
_SEAL_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
_MONTHS = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
           "sierpnia", "września", "października", "listopada", "grudnia")


def format_pl(moment: dt.datetime) -> str:
    """'24 listopada 2026 r. o 10:15' in Polish local time."""
    local = moment.astimezone(WARSAW)
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} r. o {local:%H:%M}"


@dataclass
class SealReport:
    """The outcome of checking the (last) seal of a PDF."""

    is_pdf: bool = False
    sealed: bool = False
    intact: bool = False
    valid: bool = False
    by_this_office: bool = False
    covers_whole_file: bool = False
    signer: str | None = None
    signed_at: dt.datetime | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return (self.is_pdf and self.sealed and self.intact and self.valid
                and self.by_this_office and self.covers_whole_file)

    @property
    def summary_pl(self) -> str:
        when = f", złożoną {format_pl(self.signed_at)}" if self.signed_at else ""
        who = f" ({self.signer})" if self.signer else ""
        if not self.is_pdf:
            return "Plik nie jest dokumentem PDF."
        if self.ok:
            return f"Dokument nosi nienaruszoną pieczęć elektroniczną urzędu{who}{when}."
        if self.error and not self.sealed:
            return "Pliku PDF nie da się odczytać – jest uszkodzony lub niekompletny."
        if not self.sealed:
            return "Dokument nie nosi pieczęci elektronicznej."
        if not self.intact and not self.signer:
            return "Pieczęć elektroniczna dokumentu jest uszkodzona i nie da się jej sprawdzić."
        if not self.intact:
            return ("Dokument został zmieniony po opatrzeniu pieczęcią – pieczęć jest naruszona, "
                    "a treść dokumentu nie jest wiarygodna.")
        if not self.covers_whole_file:
            return ("Dokument został zmieniony po opatrzeniu pieczęcią – dopisano do niego treść, "
                    "której pieczęć nie obejmuje.")
        if not self.by_this_office:
            return f"Pieczęć nie należy do tego urzędu{who}."
        return (f"Pieczęć urzędu{who} jest nienaruszona, ale nie można jej uznać za ważną "
                "(nieważny podpis lub certyfikat).")


def _fingerprint(cert) -> str:
    return hashlib.sha256(cert.dump()).hexdigest()


def _covers_whole_file(status) -> bool:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    # bytes after the seal that change no object (trailing junk) are harmless. Anything above
    # ModificationLevel.NONE is not: pyHanko files Info/XMP edits (the title shown in the
    # viewer) under LTA_UPDATES together with DSS and document timestamps, so accepting that
    # level would let the title be rewritten. Revisit if the office ever adds B-LT/B-LTA data.
    return (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and status.modification_level == ModificationLevel.NONE)


def verify_seal(pdf: bytes, office_certificates: list) -> SealReport:
    """Check the last seal of pdf against the office's certificates; raises nothing but MemoryError
    (the memory limit of the process checking an upload, signatures.sandbox)."""
    report = SealReport()
    try:
        # private copies: asn1crypto objects parse lazily and the caller's may be shared by threads
        certs = [x509.Certificate.load(c.dump()) for c in office_certificates or ()]
        _verify(pdf, certs, report)
    except MemoryError:
        raise
    except Exception as exc:  # untrusted input: any failure becomes part of the report
        log.info("seal verification failed: %s", exc, exc_info=True)
        report.error = report.error or f"{type(exc).__name__}: {exc}"
        report.valid = False  # never leave a half-filled report looking trustworthy
    return report


def _verify(pdf: bytes, office_certs: list, report: SealReport) -> None:
    data = bytes(pdf or b"")
    # readers accept up to 1 KiB of junk before the header; so do we
    report.is_pdf = b"%PDF-" in data[:1024]
    if not report.is_pdf:
        return
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    try:
        signatures = reader.embedded_regular_signatures
    except Exception as exc:
        # a filled signature field whose CMS blob cannot be parsed: a seal that was damaged
        report.sealed = any(v is not None for _, v, _ in enumerate_sig_fields(reader))
        report.error = f"unreadable seal: {type(exc).__name__}: {exc}"
        if report.sealed:
            return
        raise
    if not signatures:
        return
    report.sealed = True
    embedded = signatures[-1]  # signing order: the last one must cover what the office issued
    report.signer = describe_subject(embedded.signer_cert)
    report.by_this_office = _fingerprint(embedded.signer_cert) in {
        _fingerprint(c) for c in office_certs
    }
    # the office certificates are the only trust anchors (dev seals are self-signed);
    # no network: revocation of a trust anchor itself is not checked anyway
    context = ValidationContext(trust_roots=office_certs, allow_fetching=False)
    status = validate_pdf_signature(embedded, context, key_usage_settings=_SEAL_KEY_USAGE)
    report.intact = bool(status.intact)
    report.valid = bool(status.intact and status.valid and status.trusted)
    report.covers_whole_file = _covers_whole_file(status)
    if status.signer_reported_dt is not None:
        report.signed_at = status.signer_reported_dt.astimezone(WARSAW)
    if not report.valid and status.trust_problem_indic is not None:
        report.error = f"trust problem: {status.trust_problem_indic.name}"


class TooManyPages(ValueError):
    """A PDF with more pages than may be verified; str() is the Polish message."""


def too_many_pages(limit: int) -> str:
    """The Polish message for a PDF of more than `limit` pages (no numeral agreement to get wrong)."""
    return ("Plik ma za dużo stron, by go sprawdzić (najwyższa dopuszczalna liczba stron: "
            f"{limit}). Dokumenty wydane przez urząd są znacznie krótsze.")


def check_pdf(pdf: bytes, certificates_der: list[bytes], max_pages: int) -> Iterator[tuple]:
    """The job that checks an uploaded PDF in a limited child process (signatures.sandbox.run).

    Yields one (SealReport, signatures.evidence.ReadEvidence or None) pair: the last seal checked
    against the office certificates (DER bytes) and the signers of its evidence page (None unless
    the seal is this office's, intact and over the whole file). A file that
    starts like a PDF is first counted: more than `max_pages` pages raises TooManyPages. Anything
    else raises nothing (the report says what was wrong) but MemoryError, for the process's limit.
    """
    from pypdf import PdfReader

    from .evidence import read_evidence

    if b"%PDF-" in bytes(pdf[:1024]):
        try:
            pages = len(PdfReader(io.BytesIO(pdf), strict=False).pages)
        except MemoryError:
            raise
        except Exception:  # unreadable: verify_seal says so in its report
            pages = 0
        if pages > max_pages:
            raise TooManyPages(too_many_pages(max_pages))
    certificates = [x509.Certificate.load(der) for der in certificates_der]
    report = verify_seal(pdf, certificates)
    # The evidence page is read only under an intact seal of this office over the whole file: an
    # evidence page anyone could have drawn must not be shown as the signers, and text extraction
    # (seconds a page for a hostile content stream) is then spent only on the office's own PDFs.
    yield report, (read_evidence(pdf) if report.ok else None)
