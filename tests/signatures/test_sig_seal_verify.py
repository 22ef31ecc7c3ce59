"""Sealing and verification: the good case, tampering, foreign seals and hopeless input."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText

from signatures.seal import SealError
from signatures.verify import SealReport, verify_seal


def _content_stream_offset(pdf: bytes) -> int:
    """Offset of the first data byte of page 1's content stream."""
    contents = PdfReader(io.BytesIO(pdf)).pages[0].raw_get("/Contents")
    num = contents.idnum if hasattr(contents, "idnum") else contents[0].idnum
    obj = re.search(rb"(?:^|[\r\n])%d 0 obj" % num, pdf)
    assert obj is not None
    stream = re.compile(rb"stream\r?\n").search(pdf, obj.end())
    return stream.end()


def _incremental(pdf: bytes, change) -> bytes:
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(pdf)  # really an appended update
    return out.getvalue()


def test_seal_then_verify_is_ok(sealed_bytes, office_seal):
    report = verify_seal(sealed_bytes, [office_seal.certificate])
    assert report.ok, report
    assert report.intact and report.valid and report.by_this_office and report.covers_whole_file
    assert report.signer == office_seal.subject
    assert report.signed_at is not None and report.signed_at.tzinfo is not None
    assert "nienaruszoną pieczęć" in report.summary_pl
    assert " r. o " in report.summary_pl


def test_seal_is_pades_and_incremental(pdfa_bytes, sealed_bytes):
    assert sealed_bytes.startswith(pdfa_bytes)
    assert b"/SubFilter /ETSI.CAdES.detached" in sealed_bytes
    catalog = PdfReader(io.BytesIO(sealed_bytes)).trailer["/Root"]
    # pyHanko would declare PDF 2.0 for an ECDSA key; PDF/A-2 is a PDF 1.7 profile
    assert str(catalog.get("/Version", "/1.7")) in ("/1.6", "/1.7")
    field = catalog["/AcroForm"]["/Fields"][0].get_object()
    assert [float(x) for x in field["/Rect"]] == [0, 0, 0, 0] and "/AP" not in field


def test_flipped_byte_in_content_stream_is_detected(sealed_bytes, office_seal):
    tampered = bytearray(sealed_bytes)
    tampered[_content_stream_offset(sealed_bytes) + 5] ^= 0x01
    report = verify_seal(bytes(tampered), [office_seal.certificate])
    assert not report.ok and not report.intact and not report.valid
    assert "zmieniony" in report.summary_pl


def test_damaged_signature_blob_is_reported(sealed_bytes, office_seal):
    tampered = bytearray(sealed_bytes)
    at = sealed_bytes.index(b"/Contents <") + len(b"/Contents <")
    tampered[at:at + 2] = b"00"
    report = verify_seal(bytes(tampered), [office_seal.certificate])
    assert report.sealed and not report.ok and report.error
    assert "pieczęć" in report.summary_pl.lower()


@pytest.mark.parametrize("change", [
    lambda w: w.add_blank_page(),
    lambda w: w.add_annotation(0, FreeText(text="ZMIANA", rect=(50, 50, 200, 100))),
    lambda w: w.add_metadata({"/Title": "Decyzja pozytywna"}),
], ids=["page", "annotation", "title"])
def test_incremental_update_after_seal_is_not_ok(sealed_bytes, office_seal, change):
    report = verify_seal(_incremental(sealed_bytes, change), [office_seal.certificate])
    assert report.intact  # the signed revision itself is untouched...
    assert not report.covers_whole_file and not report.ok  # ...but something was added
    assert "dopisano" in report.summary_pl


def test_trailing_junk_changes_nothing(sealed_bytes, office_seal):
    assert verify_seal(sealed_bytes + b"\n\n", [office_seal.certificate]).ok


def test_full_rewrite_breaks_the_seal(sealed_bytes, office_seal):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sealed_bytes)))
    out = io.BytesIO()
    writer.write(out)
    assert not verify_seal(out.getvalue(), [office_seal.certificate]).ok


def test_seal_of_another_office(pdfa_bytes, office_seal, other_seal):
    foreign = other_seal.seal(pdfa_bytes)
    report = verify_seal(foreign, [office_seal.certificate])
    assert report.intact and not report.by_this_office and not report.ok
    assert report.summary_pl.startswith("Pieczęć nie należy do tego urzędu")
    # an office that rotated its seal lists both certificates
    assert verify_seal(foreign, [office_seal.certificate, other_seal.certificate]).ok


def test_last_of_several_seals_counts(sealed_bytes, office_seal, other_seal):
    twice = other_seal.seal(sealed_bytes)
    assert not verify_seal(twice, [office_seal.certificate]).by_this_office
    assert verify_seal(office_seal.seal(twice), [office_seal.certificate]).ok


@pytest.mark.parametrize("data, summary", [
    (b"", "Plik nie jest dokumentem PDF."),
    (b"\x00\xff garbage \x89PNG" * 50, "Plik nie jest dokumentem PDF."),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<", "Pliku PDF nie da się odczytać – jest uszkodzony lub niekompletny."),
])
def test_hopeless_input_gives_a_report(data, summary, office_seal):
    report = verify_seal(data, [office_seal.certificate])
    assert isinstance(report, SealReport) and not report.ok
    assert report.summary_pl == summary


def test_truncated_sealed_pdf(sealed_bytes, office_seal):
    for cut in (len(sealed_bytes) // 3, len(sealed_bytes) - 40):
        report = verify_seal(sealed_bytes[:cut], [office_seal.certificate])
        assert not report.ok and report.summary_pl


def test_unsigned_pdf(pdfa_bytes, office_seal):
    report = verify_seal(pdfa_bytes, [office_seal.certificate])
    assert report.is_pdf and not report.sealed and not report.ok and report.error is None
    assert report.summary_pl == "Dokument nie nosi pieczęci elektronicznej."


def test_no_office_certificates(sealed_bytes):
    report = verify_seal(sealed_bytes, [])
    assert report.intact and not report.valid and not report.by_this_office


def test_seal_rejects_non_pdf(office_seal):
    with pytest.raises(SealError):
        office_seal.seal(b"not a pdf")


def test_sealing_from_several_threads(pdfa_bytes, office_seal):
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: office_seal.seal(pdfa_bytes), range(8)))
    assert all(verify_seal(pdf, [office_seal.certificate]).ok for pdf in results)


def test_seal_is_invisible(pdfa_bytes, sealed_bytes, tmp_path):
    """Rendered pages of the sealed file are pixel-identical to the original's."""
    import shutil
    import subprocess

    from PIL import Image, ImageChops

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    for name, data in (("orig", pdfa_bytes), ("sealed", sealed_bytes)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True, timeout=60)
    pages = sorted(p.name.removeprefix("orig") for p in tmp_path.glob("orig-*.png"))
    assert len(pages) == 2
    for suffix in pages:
        with Image.open(tmp_path / f"orig{suffix}") as a, Image.open(tmp_path / f"sealed{suffix}") as b:
            assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None


def test_polish_date_is_warsaw_time():
    import datetime as dt

    from signatures.verify import format_pl

    assert format_pl(dt.datetime(2026, 11, 24, 9, 15, tzinfo=dt.timezone.utc)) == "24 listopada 2026 r. o 10:15"
    assert format_pl(dt.datetime(2026, 7, 1, 22, 5, tzinfo=dt.timezone.utc)) == "2 lipca 2026 r. o 00:05"


def test_ca_issued_rsa_seal_with_digital_signature_only(tmp_path, pdfa_bytes):
    """A production-like seal: RSA leaf issued by a CA, chain in the PKCS#12, no nonRepudiation."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    from signatures.seal import OfficeSeal

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    now = dt.datetime.now(dt.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP384R1()), rsa.generate_private_key(65537, 2048)
    ca = (x509.CertificateBuilder().subject_name(name("Test CA")).issuer_name(name("Test CA"))
          .public_key(ca_key.public_key()).serial_number(1)
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA384()))
    usage = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
    leaf = (x509.CertificateBuilder().subject_name(name("MOPS Oświęcim")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(usage, critical=True).sign(ca_key, hashes.SHA256()))
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"seal", key, leaf, [ca], BestAvailableEncryption(b"haslo")))
    seal = OfficeSeal.load(p12, "haslo")
    assert not seal.is_development and seal.subject == "MOPS Oświęcim"
    report = verify_seal(seal.seal(pdfa_bytes), [seal.certificate])
    assert report.ok, report


def _signer_info(pdf: bytes):
    """The SignerInfo of the last signature in pdf, and the /Contents room (hex digits)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1]
    return sig.signer_info, len(sig.sig_object["/Contents"].original_bytes) * 2


def test_seal_signs_what_stock_pyhanko_signs(pdfa_bytes, sealed_bytes, office_seal, dev_seal_dir):
    """The fast path (fixed room, signing-certificate-v2 prepared once) yields the same PAdES B-B
    CMS as pyHanko's own PdfSigner with a plain SimpleSigner, apart from digest and signature."""
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from signatures.devseal import create_dev_seal

    p12, passphrase = create_dev_seal(dev_seal_dir, "ignored: office_seal made it already")
    stock = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=passphrase.encode())
    meta = signers.PdfSignatureMetadata(field_name="Stock", md_algorithm="sha256",
                                        subfilter=SigSeedSubFilter.PADES)
    reference = signers.PdfSigner(meta, signer=stock).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdfa_bytes), strict=False)).getvalue()
    ours, room = _signer_info(sealed_bytes)
    theirs, _ = _signer_info(reference)
    assert [a["type"].native for a in ours["signed_attrs"]] == [a["type"].native for a in theirs["signed_attrs"]]
    assert "signing_time" not in {a["type"].native for a in ours["signed_attrs"]}  # PAdES B-B: /M only

    def attr(info, name):
        return next(a["values"].dump() for a in info["signed_attrs"] if a["type"].native == name)
    assert attr(ours, "signing_certificate_v2") == attr(theirs, "signing_certificate_v2")
    assert ours["sid"].dump() == theirs["sid"].dump()
    assert ours["signature_algorithm"].dump() == theirs["signature_algorithm"].dump()
    # the room is fixed per seal and the CMS uses at most two thirds of it (pyHanko's margin)
    second, room2 = _signer_info(office_seal.seal(pdfa_bytes))
    assert room == room2 and len(ours.dump()) * 2 < room


def test_later_seals_of_the_same_document_fit(pdfa_bytes, office_seal, other_seal):
    pdf = pdfa_bytes
    for seal in (office_seal, other_seal, office_seal):
        pdf = seal.seal(pdf)
    assert verify_seal(pdf, [office_seal.certificate]).ok
