"""The .notdef and missing-glyph check of pdfa_report, and the pages we draw in every script."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from signatures.evidence import Evidence, EvidenceSigner, evidence_pdf, read_evidence
from signatures.contentscan import operations
from signatures.fonts import printable
from signatures.pdfa import pdfa_report
from signatures.pdfglyphs import glyph_problems
from tests.signatures.conftest import PDFA2_FILTER

LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NAMES = ["ნინო ბერიძე", "محمد الأحمد", "Олена Шевченко-Ґалаїєва", "Արամ Պետրոսյան", "שרה כהן",
         "Γιώργος Παπαδόπουλος", "Zofia Żółkiewska 🌻"]


def liberation_only_pdf(text: str) -> bytes:
    """What the evidence page did before issue 7: reportlab with Liberation Serif and no fallback."""
    if "AsystaTestPlainSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("AsystaTestPlainSerif", LIBERATION))
    out = io.BytesIO()
    canvas = Canvas(out, initialFontName="AsystaTestPlainSerif")
    canvas.setFont("AsystaTestPlainSerif", 11)
    canvas.drawString(72, 700, text)
    canvas.save()
    return out.getvalue()


def type0_pdf(text: str, patch=lambda content: content) -> bytes:
    """A page with `text` in a Type0/CIDFontType2 font (Identity-H, glyph ids as codes), as pyHanko writes it."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.text import TextBox, TextBoxStyle
    from pyhanko.pdf_utils.writer import PdfFileWriter

    class FromBytes(GlyphAccumulatorFactory):  # pyHanko's own leaves the font file open
        def create_font_engine(self, writer, obj_stream=None):
            with open(self.font_file, "rb") as font:
                data = io.BytesIO(font.read())
            return GlyphAccumulator(writer, data, self.font_size, obj_stream=obj_stream)

    writer = PdfFileWriter()
    box = TextBox(TextBoxStyle(font=FromBytes(DEJAVU), font_size=12), writer=writer,
                  box=BoxConstraints(width=300, height=50))
    box.content = text
    contents = writer.add_object(generic.StreamObject(stream_data=patch(box.render())))
    writer.insert_page(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"),
        generic.pdf_name("/MediaBox"): generic.ArrayObject(generic.NumberObject(v) for v in (0, 0, 400, 100)),
        generic.pdf_name("/Resources"): box.resources.as_pdf_object(), generic.pdf_name("/Contents"): contents}))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def problems_of(pdf: bytes) -> list[str]:
    return glyph_problems(PdfReader(io.BytesIO(pdf)))


def test_a_georgian_name_without_fallback_shows_notdef_and_is_reported():
    """Issue 7, item 5 as it was: the name cell empty, the page using .notdef."""
    pdf = liberation_only_pdf("Imię i nazwisko: ნინო ბერიძე")
    problems = problems_of(pdf)
    assert len(problems) == 1 and ".notdef" in problems[0] and "6.2.11.8" in problems[0], problems
    assert "(10×)" in problems[0]  # the ten Georgian letters, one message
    report = pdfa_report(pdf)
    assert report.glyph_problems == problems and not report.ok and problems[0] in report.problems
    assert problems_of(liberation_only_pdf("Imię i nazwisko: Zofia Żółkiewska")) == []


def test_type0_fonts_map_codes_through_cid_to_gid():
    assert problems_of(type0_pdf("Imię ნინო ბერიძე")) == []
    # the first glyph's code made 0 (.notdef), a space made a glyph id beyond the font's glyphs
    broken = type0_pdf("Imię ნინო", lambda content: content.replace(b"[<002c", b"[<0000").replace(b"0003", b"7fff"))
    problems = problems_of(broken)
    assert any("kod 0x00" in p and ".notdef" in p for p in problems), problems
    assert any("kod 0x7fff" in p and "brak w osadzonej czcionce" in p for p in problems), problems


@pytest.fixture(scope="module")
def unprintable_in_libreoffice(tmp_path_factory) -> bytes:
    """A LibreOffice PDF/A-2b whose text holds characters no installed font has."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    missing = [ch for ch in "\u0915\u0e01\u1000\ua000\u13a0" if not printable(ch)]
    if not missing:
        pytest.skip("every candidate character has a font here")
    from docx import Document

    work = tmp_path_factory.mktemp("lo-missing")
    doc = Document()
    doc.styles["Normal"].font.name = "Liberation Serif"
    doc.add_paragraph(f"Imię i nazwisko: Anna {''.join(missing)} Kowalska")
    doc.save(work / "missing.docx")
    profile = (work / "profile").resolve().as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to",
                    PDFA2_FILTER, "--outdir", str(work / "out"), str(work / "missing.docx")],
                   check=True, capture_output=True, timeout=180)
    return (work / "out" / "missing.pdf").read_bytes()


def test_libreoffice_output_with_a_character_no_font_has_is_reported(unprintable_in_libreoffice, pdfa_bytes):
    # LibreOffice copies .notdef into its subset under a new glyph id (found by its outline), or
    # shows an empty glyph for the character
    report = pdfa_report(unprintable_in_libreoffice)
    assert report.glyph_problems and not report.ok
    assert any("kopia glifu .notdef" in problem for problem in report.glyph_problems), report.glyph_problems
    assert all(".notdef" in problem or "jest pusty" in problem for problem in report.glyph_problems)
    assert pdfa_report(pdfa_bytes).glyph_problems == []  # Polish text alone: nothing to report


def test_evidence_page_draws_every_script_with_embedded_fonts():
    now = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone.utc)
    signers = tuple(EvidenceSigner(name=name, role="członek rodziny 👍", method="tablet_here", signed_at=now)
                    for name in NAMES)
    pdf = evidence_pdf(Evidence(title="Zgoda – ზ", document_id="7f3a9c21" * 4, case_sign="MOPS.1.2026",
                                office_name="MOPS w Oświęcimiu", shown_pdf_sha256="ab" * 32, signers=signers,
                                created_at=now))
    assert problems_of(pdf) == []
    assert pdfa_report(pdf).unembedded_fonts == []
    read = read_evidence(pdf)
    assert [s.name for s in read.signers] == NAMES  # right-to-left names in logical order
    assert {s.role for s in read.signers} == {"członek rodziny 👍"}
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "\x00" not in text and "\ufffd" not in text


def test_a_character_no_font_has_is_drawn_as_a_replacement_not_notdef():
    missing = next((ch for ch in "\u0915\u0e01\u1000\ua000" if not printable(ch)), None)
    if missing is None:
        pytest.skip("every candidate character has a font here")
    now = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone.utc)
    pdf = evidence_pdf(Evidence(title="Zgoda", document_id="7f3a9c21" * 4, case_sign="MOPS.1.2026",
                                office_name="MOPS", shown_pdf_sha256="ab" * 32, created_at=now,
                                signers=(EvidenceSigner(name=f"Anna {missing}", role="matka",
                                                        method="tablet_here", signed_at=now,
                                                        user_agent=f"Browser {missing}\x00"),)))
    assert problems_of(pdf) == []
    assert read_evidence(pdf).signers[0].name == "Anna \ufffd"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.characters(codec=None), max_size=60))
def test_any_text_makes_an_evidence_page_without_notdef(text):
    """Every plane, separators, format and control characters, surrogates: a page, never .notdef."""
    now = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone.utc)
    pdf = evidence_pdf(Evidence(title=text, document_id="7f3a9c21" * 4, case_sign=text, office_name=text,
                                shown_pdf_sha256="ab" * 32, created_at=now,
                                signers=(EvidenceSigner(name=text, role=text, method="tablet_here",
                                                        signed_at=now, user_agent=text),)))
    assert problems_of(pdf) == []
    assert read_evidence(pdf) is not None


def _shown_by_pypdf(pdf: bytes) -> list[tuple[bytes, list]]:
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"Tj", b"TJ", b"Tf"):
                out.append((operator, [bytes(getattr(o, "_original_bytes", None) or o) if isinstance(o, (str, bytes))
                                       and not str(o).startswith("/") else o for o in
                                       (operands[0] if operator == b"TJ" else operands[:1])]))
    return out


def _shown_by_scan(pdf: bytes) -> list[tuple[bytes, list]]:
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages:
        for operands, operator in operations(page.get_contents().get_data()):
            if operator in (b"Tj", b"TJ", b"Tf"):
                out.append((operator, operands[0] if operator == b"TJ" else operands[:1]))
    return out


def test_content_scan_reads_what_pypdf_reads(pdfa_bytes):
    now = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone.utc)
    evidence = evidence_pdf(Evidence(title="Zgoda (a) \\ b", document_id="7f3a9c21" * 4, case_sign="MOPS.1.2026",
                                     office_name="MOPS", shown_pdf_sha256="ab" * 32, created_at=now,
                                     signers=(EvidenceSigner(name=NAMES[1], role="ojciec", method="tablet_here",
                                                             signed_at=now),)))
    for pdf in (pdfa_bytes, evidence):
        scanned, parsed = _shown_by_scan(pdf), _shown_by_pypdf(pdf)
        assert len(scanned) == len(parsed) > 0
        for (op_a, a), (op_b, b) in zip(scanned, parsed):
            assert op_a == op_b and [x for x in a if isinstance(x, bytes)] == [x for x in b if isinstance(x, bytes)]


def test_content_scan_escapes_nesting_and_inline_images():
    data = (b"q BT /F1 12 Tf (a\\(b\\)c (nested) \\101\\0\\\\ \\\r\nend) Tj [<00 4 1 1> -20 (x)] TJ ET Q "
            b"BI /W 2 /H 1 /BPC 8 /CS /G ID \x00(\xff) Tj EI /P <</MCID 3>> BDC (y) ' EMC")
    ops = list(operations(data))
    assert [op for _, op in ops] == [b"q", b"BT", b"Tf", b"Tj", b"TJ", b"ET", b"Q", b"BDC", b"'", b"EMC"]
    assert ops[2][0] == ["/F1", 12.0]
    assert ops[3][0] == [b"a(b)c (nested) A\x00\\ end"]
    assert ops[4][0] == [[b"\x00\x41\x10", -20.0, b"x"]]
    assert ops[8][0] == [b"y"]


def test_a_form_drawing_itself_ends():
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    form = DecodedStreamObject()
    form.set_data(b"/X0 Do /X0 Do")
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): ArrayObject([NumberObject(0)] * 4)})
    ref = writer._add_object(form)
    names = DictionaryObject({NameObject("/XObject"): DictionaryObject({NameObject("/X0"): ref})})
    form[NameObject("/Resources")] = names
    content = DecodedStreamObject()
    content.set_data(b"/X0 Do")
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Resources")] = names
    out = io.BytesIO()
    writer.write(out)
    assert problems_of(out.getvalue()) == []
