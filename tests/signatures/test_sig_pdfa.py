"""PDF/A-2b checks on LibreOffice output, before and after sealing, and on broken files."""

from __future__ import annotations

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, NameObject

from signatures.pdfa import pdfa_report


def test_libreoffice_output_is_pdfa2b(pdfa_bytes):
    report = pdfa_report(pdfa_bytes)
    assert report.ok, report.problems
    assert (report.part, report.conformance) == (2, "B")
    fonts = {str(f.get_object().get("/BaseFont")) for p in PdfReader(io.BytesIO(pdfa_bytes)).pages
             for f in p["/Resources"]["/Font"].values()}
    assert any("LiberationSerif" in f for f in fonts), fonts  # the font the DOCX asked for


def test_sealed_document_is_still_pdfa2b(sealed_bytes):
    report = pdfa_report(sealed_bytes)
    assert report.ok, report.problems
    reader = PdfReader(io.BytesIO(sealed_bytes))
    assert reader.trailer["/Info"]["/Producer"] in reader.xmp_metadata.stream.get_data().decode()


def test_stock_pyhanko_seal_trips_the_producer_check(pdfa_bytes, office_seal, dev_seal_dir):
    """The trap the seal module works around, seen by the checker."""
    passphrase = (dev_seal_dir / "dev-seal.pass").read_text().strip().encode()
    signer = signers.SimpleSigner.load_pkcs12(dev_seal_dir / "dev-seal.p12", passphrase=passphrase)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdfa_bytes))
    meta = signers.PdfSignatureMetadata(field_name="S", subfilter=SigSeedSubFilter.PADES)
    report = pdfa_report(signers.sign_pdf(writer, meta, signer=signer).getvalue())
    assert not report.producer_consistent and not report.ok


def test_helvetica_is_reported_unembedded(helvetica_pdf):
    report = pdfa_report(helvetica_pdf)
    assert report.unembedded_fonts == ["Helvetica"]
    assert not report.ok and any("Helvetica" in p for p in report.problems)


def test_fonts_in_form_xobjects_and_type0_descendants(helvetica_pdf):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(helvetica_pdf)))
    page = writer.pages[0]
    descendant = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): NameObject("/ArialUnicodeMS"),
        NameObject("/FontDescriptor"): DictionaryObject({NameObject("/FontName"): NameObject("/ArialUnicodeMS")}),
    })
    type0 = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/ArialUnicodeMS"),
        NameObject("/DescendantFonts"): ArrayObject([descendant]),
    })
    form = ContentStream(None, None)
    form.set_data(b"BT /F2 10 Tf (x) Tj ET")
    form.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([]),
        NameObject("/Resources"): DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F2"): type0})}),
    })
    page["/Resources"][NameObject("/XObject")] = DictionaryObject(
        {NameObject("/Fm1"): writer._add_object(form)})
    # the page's own Helvetica is dropped: only the form's font remains to be found
    del page["/Resources"]["/Font"]
    out = io.BytesIO()
    writer.write(out)
    assert pdfa_report(out.getvalue()).unembedded_fonts == ["ArialUnicodeMS"]


def test_garbage_and_plain_pdf_are_not_pdfa(helvetica_pdf):
    for data in (b"", b"garbage", helvetica_pdf):
        report = pdfa_report(data)
        assert not report.ok and report.problems


def test_seal_repairs_metadata_left_by_pypdf_stamping(pdfa_bytes, office_seal):
    """The pipeline may stamp pages with pypdf before sealing, leaving Info and XMP apart."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdfa_bytes)))
    writer.add_metadata({"/ModDate": "D:20261124101500+01'00'", "/Producer": "pypdf"})
    out = io.BytesIO()
    writer.write(out)
    before = pdfa_report(out.getvalue())
    assert not before.producer_consistent and before.metadata_mismatches == ["/ModDate"]
    stamped = out.getvalue()
    sealed = office_seal.seal(stamped)
    assert pdfa_report(sealed).ok, pdfa_report(sealed).problems
    assert "/ModDate" not in PdfReader(io.BytesIO(sealed)).trailer["/Info"]
