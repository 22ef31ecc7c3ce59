"""QR codes: making them for documents and links, and finding document identifiers in scanned paper."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import segno
from PIL import Image, ImageOps
from pyzbar.pyzbar import ZBarSymbol, decode

__all__ = ["DOCUMENT_ID", "ScanError", "find_document_ids", "qr_png", "qr_svg", "scan_pages"]

DOCUMENT_ID = re.compile(r"[0-9a-f]{32}")  # document identifiers are uuid4 hex
# In a payload, an identifier must not be part of a longer run of hex digits (a hash, say)
# (any case: the print copy writes it in capitals, which QR encodes in the denser alphanumeric mode)
_ID_IN_PAYLOAD = re.compile(rf"(?<![0-9A-Fa-f]){DOCUMENT_ID.pattern}(?![0-9A-Fa-f])", re.IGNORECASE)

QR_ERROR = "m"
QR_BORDER = 4  # the quiet zone the standard asks for, in modules
MAX_PAGES = 30
SCAN_DPI = 200
MAX_PAGE_PIXELS = 60_000_000  # per page or image frame
# All pages are held in memory at once (3 bytes a pixel): 30 A4 pages at 300 dpi, about 0.8 GB
MAX_TOTAL_PIXELS = 270_000_000
PDF_TIMEOUT = 60  # seconds, for each poppler call
DECODE_LONG_SIDE = 1600  # of the downscaled copy zbar is also given
THRESHOLD = 128

PDF_MAGIC = b"%PDF-"
IMAGE_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}

NOT_A_SCAN = "Ten plik nie jest skanem w obsługiwanym formacie. Wgraj plik PDF, JPEG, PNG lub TIFF."
EMPTY_FILE = "Wgrany plik jest pusty."
UNREADABLE = "Nie udało się odczytać skanu. Sprawdź plik i zeskanuj dokument jeszcze raz."
TOO_MANY_PAGES = f"Skan ma za dużo stron – można wgrać najwyżej {MAX_PAGES} stron."
TOO_LARGE = ("Strona skanu jest zbyt duża. Zeskanuj dokument w rozdzielczości 200–300 dpi "
             "w formacie A4.")
TOO_LARGE_IN_TOTAL = ("Skan jest zbyt duży. Zeskanuj dokument w rozdzielczości 200–300 dpi "
                      "albo podziel go na kilka plików.")
PASSWORD = "Plik PDF jest zabezpieczony hasłem. Wgraj skan bez hasła."
TOO_SLOW = "Odczytanie skanu trwało zbyt długo. Zeskanuj dokument jeszcze raz, z mniejszą rozdzielczością."

_PAGE_SIZE = re.compile(r"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.MULTILINE)
_PAGES = re.compile(r"^Pages:\s+(\d+)\s*$", re.MULTILINE)
_BINARIZE = [255 if level >= THRESHOLD else 0 for level in range(256)]


class ScanError(ValueError):
    """An upload that cannot be read as a scan; str(exc) is a Polish message for the clerk."""


def _qr(payload: str) -> segno.QRCode:
    # At least level M; segno raises it for free when the same symbol version has room to spare
    return segno.make(payload, error=QR_ERROR, micro=False)


def qr_svg(payload: str, *, scale: int = 4) -> str:
    """An inline SVG (string, no XML declaration) of the QR code, for web pages."""
    qr = _qr(payload)
    size = qr.symbol_size(scale=scale, border=QR_BORDER)[0]
    # viewBox (omitsize) lets CSS scale the code; width/height give it its natural size otherwise;
    # a white background keeps the quiet zone light on any page colour
    svg = qr.svg_inline(scale=scale, border=QR_BORDER, svgclass=None, lineclass=None, omitsize=True,
                        light="#fff")
    return svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """A PNG of the QR code (for the API's image link)."""
    out = io.BytesIO()
    _qr(payload).save(out, kind="png", scale=scale, border=QR_BORDER)
    return out.getvalue()


def scan_pages(data: bytes) -> list[Image.Image]:
    """The pages of an uploaded scan as RGB Pillow images: a PDF (every page, rendered by pdftoppm at 200 dpi), or a JPEG/PNG/TIFF image (every frame of a multi-page TIFF); raises ScanError (Polish message) for anything else, an empty or unreadable file, or more than 30 pages."""
    if not data:
        raise ScanError(EMPTY_FILE)
    if data.startswith(PDF_MAGIC):
        return _pdf_pages(data)
    kind = next((kind for magic, kind in IMAGE_MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise ScanError(NOT_A_SCAN)
    return _image_pages(data, kind)


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    """A poppler tool with a time limit; its failure is the file's fault, so a ScanError."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=PDF_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:  # run() has already killed the process
        raise ScanError(TOO_SLOW) from None
    if done.returncode != 0:
        raise ScanError(PASSWORD if b"Incorrect password" in done.stderr else UNREADABLE)
    return done


def _pdf_pages(data: bytes) -> list[Image.Image]:
    """Every page of a PDF, rendered at 200 dpi; pages are counted and measured before rendering."""
    with tempfile.TemporaryDirectory(prefix="asysta-scan-") as tmp:
        pdf = Path(tmp) / "scan.pdf"
        pdf.write_bytes(data)
        # One call gives the page count and the size of each of the first pages, in points
        info = _run(["pdfinfo", "-f", "1", "-l", str(MAX_PAGES), str(pdf)]).stdout
        info = info.decode("utf-8", errors="replace")
        # max(): a crafted Title could print a line of its own; it can only add, never hide the real one
        count = max((int(found) for found in _PAGES.findall(info)), default=0)
        if count == 0:
            raise ScanError(UNREADABLE)
        if count > MAX_PAGES:
            raise ScanError(TOO_MANY_PAGES)
        # A page's size decides its bitmap: a huge MediaBox must not become gigabytes
        total = 0.0
        for width, height in _PAGE_SIZE.findall(info):
            pixels = float(width) * float(height) * (SCAN_DPI / 72) ** 2
            total += pixels
            if pixels > MAX_PAGE_PIXELS:
                raise ScanError(TOO_LARGE)
        if total > MAX_TOTAL_PIXELS:
            raise ScanError(TOO_LARGE_IN_TOTAL)
        # PPM: no compression to write and read back, the files live only in this directory
        _run(["pdftoppm", "-r", str(SCAN_DPI), "-l", str(MAX_PAGES), str(pdf), str(Path(tmp) / "page")])
        files = sorted(Path(tmp).glob("page-*.ppm"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        if not files:
            raise ScanError(UNREADABLE)
        pages = []
        for path in files:
            with Image.open(path, formats=["PPM"]) as image:
                pages.append(image.convert("RGB"))
        return pages


def _image_pages(data: bytes, kind: str) -> list[Image.Image]:
    """Every frame of a JPEG, PNG or TIFF, upright and in RGB; sizes are checked before decoding."""
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_PAGES:
                raise ScanError(TOO_MANY_PAGES)
            # Seeking reads a frame's header only: every size is known before any pixel is decoded
            sizes = []
            for index in range(frames):
                image.seek(index)
                sizes.append(image.width * image.height)
            if max(sizes) > MAX_PAGE_PIXELS:
                raise ScanError(TOO_LARGE)
            if sum(sizes) > MAX_TOTAL_PIXELS:
                raise ScanError(TOO_LARGE_IN_TOTAL)
            pages = []
            for index in range(frames):
                image.seek(index)
                pages.append(_rgb(ImageOps.exif_transpose(image)))
            return pages
    except ScanError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit is above ours; it fires on opening, before our size check can
        raise ScanError(TOO_LARGE) from None
    except Exception:  # Pillow signals a broken file with many unrelated exception types
        raise ScanError(UNREADABLE) from None


def _rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid over white paper rather than turned black."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        paper.alpha_composite(rgba)
        return paper.convert("RGB")
    return image.convert("RGB")


def find_document_ids(pages: list[Image.Image]) -> list[str]:
    """Document identifiers found in QR codes on the pages, in order of first appearance, without duplicates."""
    found: dict[str, None] = {}  # a dict keeps insertion order
    for page in pages:
        for payload in _page_payloads(page):
            for match in _ID_IN_PAYLOAD.finditer(payload):
                found.setdefault(match.group(0).lower())
    return list(found)


def _page_payloads(page: Image.Image) -> list[str]:
    """The QR payloads on one page, top to bottom, from every rendition of it."""
    # Every rendition is tried, even after one has found a code: on a blurred page zbar often reads
    # only some of several codes in each, and a second document's code must not go unnoticed
    found: dict[str, tuple[float, float]] = {}
    for candidate in _renditions(page):
        scale = page.width / candidate.width  # positions back in the page's own pixels
        for symbol in decode(candidate, symbols=[ZBarSymbol.QRCODE]):
            payload = symbol.data.decode("utf-8", errors="replace")
            found.setdefault(payload, (symbol.rect.top * scale, symbol.rect.left * scale))
    return sorted(found, key=found.__getitem__)


def _renditions(page: Image.Image) -> Iterator[Image.Image]:
    """The page as is, downscaled, and in black and white: zbar reads each of them differently well."""
    # zbar reads grey levels only: converting once here saves pyzbar doing it on every attempt
    gray = page if page.mode == "L" else page.convert("L")
    yield gray
    if max(gray.size) > DECODE_LONG_SIDE:
        # Downscaling averages away scanner noise and blur halos around the modules
        small = gray.copy()
        small.thumbnail((DECODE_LONG_SIDE, DECODE_LONG_SIDE), Image.Resampling.LANCZOS)
        yield small
    # zbar's own binarisation fails on soft module edges; a global threshold after stretching the
    # contrast is what reads blurred scans best
    yield ImageOps.autocontrast(gray, cutoff=1).point(_BINARIZE)
