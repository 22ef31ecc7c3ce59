"""QR codes: making them, reading document identifiers back from scanned pages, and reading uploads."""

from __future__ import annotations

import io
import struct
import uuid
import zlib
from xml.etree import ElementTree

import pytest
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfWriter
from pyzbar.pyzbar import ZBarSymbol, decode
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from signatures.qr import (DOCUMENT_ID, EMPTY_FILE, NOT_A_SCAN, PASSWORD, TOO_LARGE, TOO_LARGE_IN_TOTAL,
                           TOO_MANY_PAGES, UNREADABLE, ScanError, find_document_ids, qr_png, qr_svg, scan_pages)

PAGE = (1654, 2339)  # A4 at 200 dpi


def new_id() -> str:
    return uuid.uuid4().hex


def archive_url(doc_id: str) -> str:
    return f"https://ops.example.pl/archive/{doc_id}"


def qr_image(payload: str, scale: int = 4) -> Image.Image:
    with Image.open(io.BytesIO(qr_png(payload, scale=scale))) as image:
        return image.convert("RGB")


def scanned_page(*payloads: str, rotate: float = 2.0, blur: float = 1.0) -> Image.Image:
    """A white A4 page at 200 dpi with grey text-like lines and QR codes down the right side, slightly askew."""
    # drawn in grey levels (three times faster to rotate and blur), returned in RGB like a colour scan
    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    for y in range(450, 2200, 42):
        draw.line((160, y, 160 + 1200 - (y * 37) % 400, y), fill=90, width=7)
    for index, payload in enumerate(payloads):
        code = qr_image(payload)
        page.paste(code.convert("L"), (PAGE[0] - 150 - code.width, 110 + index * 1100))
    page = page.rotate(rotate, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    return page.filter(ImageFilter.GaussianBlur(blur)).convert("RGB")


def pdf_with_codes(*payloads: str) -> bytes:
    """An A4 PDF with one page per payload, each with its QR code 30 mm wide at the top right."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for payload in payloads:
        pdf.setFont("Helvetica", 11)
        pdf.drawString(20 * mm, 250 * mm, "Zgoda rodziny na wspolprace z asystentem rodziny")
        pdf.drawImage(ImageReader(io.BytesIO(qr_png(payload, scale=6))), A4[0] - 50 * mm, A4[1] - 50 * mm,
                      width=30 * mm, height=30 * mm)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A real tiny PNG whose header claims another size (CRC fixed)."""
    data = bytearray(encoded(Image.new("RGB", (50, 50), "white"), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def scan_error(data: bytes) -> str:
    with pytest.raises(ScanError) as caught:
        scan_pages(data)
    return str(caught.value)


def test_qr_png_decodes_back_to_the_payload():
    payload = archive_url(new_id())
    with Image.open(io.BytesIO(qr_png(payload))) as image:
        assert image.format == "PNG"
        symbols = decode(image, symbols=[ZBarSymbol.QRCODE])
    assert [symbol.data.decode() for symbol in symbols] == [payload]


def test_qr_svg_is_inline_scalable_markup():
    svg = qr_svg("https://ops.example.pl/s/ABCD-1234")
    assert svg.startswith("<svg ") and "<?xml" not in svg
    root = ElementTree.fromstring(svg)
    size = root.get("width")
    assert root.get("height") == size and root.get("viewBox") == f"0 0 {size} {size}"
    assert int(size) % 4 == 0 and int(size) >= (21 + 2 * 4) * 4  # whole modules of 4 px, quiet zone included
    assert 'class="' not in svg


def test_id_on_a_skewed_blurred_scan_is_found():
    doc_id = new_id()
    assert find_document_ids([scanned_page(archive_url(doc_id))]) == [doc_id]


def test_plain_text_payload_and_grey_pages():
    doc_id = new_id()
    assert find_document_ids([scanned_page(f"ASYSTA:{doc_id}").convert("L")]) == [doc_id]


def test_page_without_a_code_gives_nothing():
    assert find_document_ids([scanned_page()]) == []


def test_two_codes_on_a_page_in_reading_order():
    first, second = new_id(), new_id()
    assert find_document_ids([scanned_page(archive_url(first), f"ASYSTA:{second}")]) == [first, second]


def test_ids_across_pages_in_order_without_duplicates():
    first, second = new_id(), new_id()
    pages = [scanned_page(archive_url(first)), scanned_page(), scanned_page(archive_url(second)),
             scanned_page(archive_url(first), rotate=-1.5)]
    assert find_document_ids(pages) == [first, second]


def test_foreign_codes_and_longer_hex_runs_are_ignored():
    digest = "ab" * 32  # a SHA-256 in hex, not an identifier
    pages = [scanned_page("https://bank.example.com/pay?amount=10", f"https://example.org/{digest}", blur=0.5)]
    assert find_document_ids(pages) == []
    assert DOCUMENT_ID.fullmatch(new_id())


def test_pdf_scan_pages_are_rendered_at_200_dpi_and_read():
    first, second = new_id(), new_id()
    pages = scan_pages(pdf_with_codes(archive_url(first), f"ASYSTA:{second}"))
    assert len(pages) == 2
    assert all(page.mode == "RGB" and page.size == PAGE for page in pages)
    assert find_document_ids(pages) == [first, second]


def test_jpeg_scan():
    doc_id = new_id()
    pages = scan_pages(encoded(scanned_page(archive_url(doc_id)), "JPEG", quality=80))
    assert [(page.mode, page.size) for page in pages] == [("RGB", PAGE)]
    assert find_document_ids(pages) == [doc_id]


def test_jpeg_is_turned_upright_by_its_exif_orientation():
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated 90° clockwise
    (page,) = scan_pages(encoded(Image.new("RGB", (300, 200), "white"), "JPEG", exif=exif))
    assert page.size == (200, 300)


def test_multi_page_tiff_and_transparent_png():
    first, second = new_id(), new_id()
    bilevel = scanned_page(archive_url(second)).convert("1", dither=Image.Dither.NONE)  # like a fax scan
    frames = [scanned_page(archive_url(first)).convert("L"), bilevel]
    tiff = encoded(frames[0], "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    pages = scan_pages(tiff)
    assert [page.mode for page in pages] == ["RGB", "RGB"]
    assert find_document_ids(pages) == [first, second]
    (page,) = scan_pages(encoded(Image.new("RGBA", (300, 200), (0, 0, 0, 0)), "PNG"))
    assert page.getpixel((10, 10)) == (255, 255, 255)  # transparent is paper, not black


def test_uploads_that_are_not_scans():
    assert scan_error(b"") == EMPTY_FILE
    assert scan_error("Zażółć gęślą jaźń\n".encode()) == NOT_A_SCAN
    assert scan_error(b"GIF89a" + b"\x00" * 100) == NOT_A_SCAN
    assert scan_error(b"%PDF-1.7\nnot really a pdf\n") == UNREADABLE
    jpeg = encoded(scanned_page(), "JPEG")
    assert scan_error(jpeg[:2000]) == UNREADABLE
    assert scan_error(b"II*\x00" + b"\xff" * 50) == UNREADABLE


def test_too_many_pages_are_refused():
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for _ in range(31):
        pdf.showPage()
    pdf.save()
    assert scan_error(out.getvalue()) == TOO_MANY_PAGES
    frames = [Image.new("L", (10, 10), 255) for _ in range(31)]
    assert scan_error(encoded(frames[0], "TIFF", save_all=True, append_images=frames[1:])) == TOO_MANY_PAGES


def test_huge_pages_are_refused_before_rendering_or_decoding():
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(200 * 72, 200 * 72))  # 200 inches square
    pdf.showPage()
    pdf.save()
    assert scan_error(out.getvalue()) == TOO_LARGE
    assert scan_error(png_claiming(10_000, 7_000)) == TOO_LARGE  # over our limit, under Pillow's
    assert scan_error(png_claiming(20_000, 20_000)) == TOO_LARGE  # over Pillow's bomb limit too


def test_too_many_pixels_in_all_pages_together_are_refused():
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(40 * 72, 40 * 72))  # 64 megapixels at 200 dpi: too large alone
    pdf.showPage()
    pdf.save()
    assert scan_error(out.getvalue()) == TOO_LARGE
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(25 * 72, 25 * 72))  # 25 megapixels: fine alone, not eight of them
    for _ in range(8):
        pdf.showPage()
    pdf.save()
    assert scan_error(out.getvalue()) == TOO_LARGE_IN_TOTAL
    frames = [Image.new("1", (5800, 5800), 1) for _ in range(6)]  # 34 megapixels each
    assert scan_error(encoded(frames[0], "TIFF", save_all=True, append_images=frames[1:],
                              compression="group4")) == TOO_LARGE_IN_TOTAL


def test_password_protected_pdf_is_refused_with_its_own_message():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("tajne", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert scan_error(out.getvalue()) == PASSWORD
