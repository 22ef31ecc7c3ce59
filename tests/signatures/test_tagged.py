"""Issue 9: every PDF the service makes is tagged, in Polish, PDF/A-2b and sealed, with no SIG marker
in its text; signing places are still found, in new documents and in those issued before."""

from __future__ import annotations

import io
import subprocess

import pytest
from pypdf import PdfReader

from signatures.assemble import (Mark, build_print_copy, build_scan_pdf, build_signed_pdf, find_slots, recorded_places,
                                 unsealed_revision)
from signatures.markers import hide_markers
from signatures.pdfa import pdfa_report
from signatures.qr import qr_png
from signatures.tagcheck import tag_report
from signatures.verify import verify_seal
from tests.pdf_checks import tagging_problems

from .test_assemble import (  # noqa: F401  (session fixtures: the real templates through LibreOffice)
    LABEL, STAFF_LINES, attorney, evidence, family, issued, overlaps, signature_png, words)

PAYLOAD = "ASYSTA:" + "7F3A9C21" * 4


@pytest.fixture(scope="session")
def originals(family, attorney, office_seal) -> dict[str, bytes]:
    """Both documents as issuing now makes them: markers hidden, then sealed."""
    return {name: office_seal.seal(hide_markers(pdf), location="Oświęcim")
            for name, pdf in (("family_consent", family), ("zz_power_of_attorney", attorney))}


def _signed(original: bytes) -> bytes:
    slots = find_slots(unsealed_revision(original))
    marks = []
    for n, key in enumerate(sorted(slots)):
        if n == 1:  # a staff member's password stamp: text alone
            marks.append(Mark(slot=key, lines=STAFF_LINES))
        else:
            marks.append(Mark(slot=key, png=signature_png(n), alt="Podpis: Anna Kowalska"))
    return build_signed_pdf(original, marks, evidence())


def _produced(originals, office_seal) -> dict[str, bytes]:
    from PIL import Image

    out = {}
    for name, original in originals.items():
        out[f"{name}: sealed original"] = original
        out[f"{name}: signed version"] = office_seal.seal(_signed(original))
        out[f"{name}: print copy"] = build_print_copy(original, qr_png(PAYLOAD, scale=6), LABEL, tag=0x7F)
        pages = [Image.new("RGB", (1654, 2339), "white") for _ in PdfReader(io.BytesIO(original)).pages]
        out[f"{name}: paper way"] = office_seal.seal(build_scan_pdf(original, pages, evidence(scan=True)))
    return out


@pytest.fixture(scope="session")
def produced(originals, office_seal) -> dict[str, bytes]:
    return _produced(originals, office_seal)


def test_libreoffice_output_is_tagged_in_polish(family, attorney):
    for pdf in (family, attorney):
        report = tag_report(pdf)
        assert report.lang == "pl-PL" and report.marked and not report.problems, report.problems
        # real structure as LibreOffice exports it: paragraphs and tables with header cells
        assert {"P", "Table", "TR", "TH", "TD"} <= set(report.elements)
        # the title and the section headings are headings (v3 templates give them outline levels)
        assert report.elements["H1"] == 1 and report.elements["H2"] >= 1, report.elements
        catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
        assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
        assert PdfReader(io.BytesIO(pdf)).metadata.title


def test_every_kind_of_pdf_is_tagged_pdfa_and_without_markers(produced, office_seal):
    for kind, pdf in produced.items():
        assert pdfa_report(pdf).ok, (kind, pdfa_report(pdf).problems)
        assert not tagging_problems(pdf), (kind, tagging_problems(pdf))
        if "print copy" not in kind:  # the print copy is not sealed: it is printed
            assert verify_seal(pdf, [office_seal.certificate]).ok, kind


def test_what_the_service_adds_is_tagged_as_it_should_be(produced):
    signed = tag_report(produced["family_consent: signed version"])
    original = tag_report(produced["family_consent: sealed original"])
    # the signature image a figure with its text alternative, the password stamp a paragraph, the
    # evidence pages a section of their own
    slots = len(find_slots(unsealed_revision(produced["family_consent: sealed original"])))
    reader = PdfReader(io.BytesIO(produced["family_consent: signed version"]))
    card = tag_report(evidence())
    assert signed.elements["Figure"] == slots - 1 and signed.elements["Sect"] == 1
    assert signed.elements["P"] == original.elements["P"] + 1 + card.elements["P"]
    # the evidence pages' own structure comes along: title, headings, tables
    for role in ("H1", "H2", "Table", "TR", "TH", "TD"):
        assert signed.elements[role] == original.elements.get(role, 0) + card.elements[role], role
    figures = [e for e in _elements(reader) if e["/S"] == "/Figure"]
    assert {str(f["/Alt"]) for f in figures} == {"Podpis: Anna Kowalska"}
    # the print copy's code, marks and label are artifacts: the structure is the original's
    assert tag_report(produced["family_consent: print copy"]).elements == original.elements
    scan = tag_report(produced["family_consent: paper way"])
    assert scan.elements["Figure"] == 2 and scan.lang == "pl-PL"


def _elements(reader):
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]["/K"]]
    while stack:
        item = stack.pop().get_object()
        if isinstance(item, list):
            stack.extend(item)
        elif hasattr(item, "get") and "/S" in item:
            yield item
            if "/K" in item:
                stack.append(item["/K"])


def test_markers_leave_the_text_but_not_the_places(family, attorney, originals):
    for old, new in ((family, originals["family_consent"]), (attorney, originals["zz_power_of_attorney"])):
        assert "SIG:" in subprocess.run(["pdftotext", "-", "-"], input=old, capture_output=True).stdout.decode()
        assert not tagging_problems(new)
        # the same places, from the record on the pages instead of the text
        assert find_slots(unsealed_revision(new)) == find_slots(old)
        assert len(find_slots(old)) >= 2
        # every page carries its record (an empty one too), so no page's text is searched again
        assert all(recorded_places(page) is not None for page in PdfReader(io.BytesIO(new)).pages)
        assert all(recorded_places(page) is None for page in PdfReader(io.BytesIO(old)).pages)


def test_hidden_markers_change_nothing_on_the_page(family):
    hidden = hide_markers(family)
    for page in range(len(PdfReader(io.BytesIO(family)).pages)):
        images = [subprocess.run(["pdftoppm", "-r", "60", "-f", str(page + 1), "-l", str(page + 1), "-gray", "-"],
                                 input=pdf, capture_output=True, check=True).stdout for pdf in (family, hidden)]
        assert images[0] == images[1]


def test_documents_issued_before_keep_working(family, office_seal):
    """An archived original with its markers in its text: its places are found and it can be signed."""
    old = office_seal.seal(family)
    slots = find_slots(unsealed_revision(old))
    assert len(slots) >= 2
    signed = office_seal.seal(_signed(old))
    assert verify_seal(signed, [office_seal.certificate]).ok and pdfa_report(signed).ok
    # the version made now has no marker in its text either (the sealed original keeps its bytes)
    assert not tagging_problems(signed)
    assert signed.startswith(unsealed_revision(old))
    printed = build_print_copy(old, qr_png(PAYLOAD, scale=6), LABEL, tag=0x7F)
    assert not tagging_problems(printed) and find_slots(printed) == slots


def test_a_document_without_markers_is_left_as_it_is(pdfa_bytes):
    assert hide_markers(pdfa_bytes) == pdfa_bytes


def test_print_copy_code_is_clear_of_the_footer(produced):
    """The QR code's box intersects no word of the footer ("Strona x z y", the document's reference)."""
    for name in ("family_consent", "zz_power_of_attorney"):
        pdf = produced[f"{name}: print copy"]
        reader = PdfReader(io.BytesIO(pdf))
        for index, page in enumerate(reader.pages):
            right, bottom = float(page.mediabox.right), float(page.mediabox.bottom)
            from signatures.assemble import QR_BOTTOM, QR_LEFT, QR_RIGHT
            size = QR_LEFT - QR_RIGHT
            qr = (right - QR_LEFT, bottom + QR_BOTTOM, right - QR_RIGHT, bottom + QR_BOTTOM + size)
            footer = [w for w in words(pdf, index) if w[2] < 70 and not w[0].startswith("Asysta")
                      and "MOPS.SPS" not in w[0] and w[0] != "·"]
            assert any(w[0] == "Strona" for w in footer), footer
            for word in footer:
                assert not overlaps(qr, word[1:]), (name, index, word)


def test_evidence_page_is_tagged_text_in_reading_order():
    """The evidence page: /H1 title, /H2 headings, tables of /TH labels and /TD values, the footer an
    artifact; its text read top to bottom with Polish letters, its fonts embedded."""
    import datetime as dt

    from signatures.evidence import Evidence, EvidenceSigner, evidence_pdf, read_evidence

    utc = dt.timezone.utc
    signers = tuple(EvidenceSigner(f"Małgorzata Dąbrowska-Śliwińska {n}", "matka", "tablet_here",
                                   dt.datetime(2026, 11, 24, 9, 15, tzinfo=utc), "192.168.1.15", "Mozilla/5.0",
                                   "ab" * 32, "cd" * 32) for n in range(1, 7))
    card = evidence_pdf(Evidence(
        title="Zgoda rodziny na współpracę z asystentem rodziny", document_id="7f3a9c21" * 4,
        case_sign="MOPS.SPS.4011.12.2026", office_name="Miejski Ośrodek Pomocy Społecznej w Oświęcimiu",
        shown_pdf_sha256="0f" * 32, signers=signers, created_at=dt.datetime(2026, 11, 24, 9, 20, tzinfo=utc)))
    report = tag_report(card)
    assert not report.problems and report.lang == "pl-PL"
    assert report.elements["H1"] == 1 and report.elements["H2"] == 2
    # six signers over two pages: each row once in the structure (the repeated heading row is an artifact)
    assert len(PdfReader(io.BytesIO(card)).pages) >= 2
    assert report.elements["Table"] == 7 and report.elements["TR"] == 5 + 6 * 9
    assert report.elements["TD"] == 5 + 6 * 8
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=card, capture_output=True).stdout.decode()
    order = ["Karta dowodowa podpisów", "Identyfikator dokumentu", "Podpisujący nr 1",
             "Małgorzata Dąbrowska-Śliwińska 1", "Podpisujący nr 6", "Charakter podpisów"]
    positions = [text.find(part) for part in order]
    assert -1 not in positions and positions == sorted(positions), positions
    assert len(read_evidence(card).signers) == 6
