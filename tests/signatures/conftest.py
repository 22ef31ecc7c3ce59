"""Fixtures: a real LibreOffice PDF/A-2b, development seals and a few hand-made PDFs."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from signatures.devseal import create_dev_seal
from signatures.seal import OfficeSeal

POLISH_TEXT = "Zażółć gęślą jaźń – Oświęcim, dnia 24 listopada 2026 r."
OFFICE = "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu"
# JSON filter options work on LibreOffice 7.4 (checked with 7.4.7): "2" = PDF/A-2b
PDFA2_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


@pytest.fixture(scope="session")
def pdfa_bytes(tmp_path_factory) -> bytes:
    """A two-page PDF/A-2b letter with Polish text in Liberation Serif, made by LibreOffice."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    work = tmp_path_factory.mktemp("lo")
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Liberation Serif"
    normal.font.size = Pt(12)
    doc.core_properties.title = "Pismo testowe"
    doc.core_properties.author = "Asysta"
    doc.add_paragraph(POLISH_TEXT)
    doc.add_paragraph("Pani Zofia Żółkiewska, ul. Źródlana 5, 32-600 Oświęcim").runs[0].add_break(
        WD_BREAK.PAGE)
    doc.add_paragraph("Strona druga – pouczenie.")
    docx = work / "pismo.docx"
    doc.save(docx)
    # own profile: a shared or default profile would clash with other soffice processes
    profile = (work / "profile").resolve().as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", PDFA2_FILTER, "--outdir", str(work / "out"), str(docx)],
        check=True, capture_output=True, timeout=180,
    )
    return (work / "out" / "pismo.pdf").read_bytes()


@pytest.fixture(scope="session")
def dev_seal_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("seal")


@pytest.fixture(scope="session")
def office_seal(dev_seal_dir) -> OfficeSeal:
    return OfficeSeal.load(*create_dev_seal(dev_seal_dir, OFFICE))


@pytest.fixture(scope="session")
def other_seal(tmp_path_factory) -> OfficeSeal:
    """A development seal of a different office."""
    return OfficeSeal.load(*create_dev_seal(tmp_path_factory.mktemp("other"), "Gminny Ośrodek Pomocy Społecznej w Kętach"))


@pytest.fixture(scope="session")
def sealed_bytes(pdfa_bytes, office_seal) -> bytes:
    return office_seal.seal(pdfa_bytes, location="Oświęcim")


@pytest.fixture(scope="session")
def helvetica_pdf() -> bytes:
    """A one-page PDF whose text uses the non-embedded standard font Helvetica."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
    })
    content = ContentStream(None, None)
    content.set_data(b"BT /F1 12 Tf 72 770 Td (Hello) Tj ET")
    page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
