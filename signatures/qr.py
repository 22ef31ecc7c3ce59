"""QR codes: making them for documents and links, and finding document identifiers in scanned paper."""

from __future__ import annotations

import io
import math
import re
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image, ImageOps
from pyzbar.pyzbar import ZBarSymbol, decode

__all__ = ["DOCUMENT_ID", "ScanError", "ScanLimits", "a4_pixels", "find_document_ids", "qr_png", "qr_svg",
           "read_pages", "scan_kind", "scan_pages"]

DOCUMENT_ID = re.compile(r"[0-9a-f]{32}")  # document identifiers are uuid4 hex
# In a payload, an identifier must not be part of a longer run of hex digits (a hash, say)
# (any case: the print copy writes it in capitals, which QR encodes in the denser alphanumeric mode)
_ID_IN_PAYLOAD = re.compile(rf"(?<![0-9A-Fa-f]){DOCUMENT_ID.pattern}(?![0-9A-Fa-f])", re.IGNORECASE)

QR_ERROR = "m"
QR_BORDER = 4  # the quiet zone the standard asks for, in modules
SCAN_DPI = 200  # PDF pages are rendered at this resolution, and every page is handed over at most this fine
_A4_INCHES = (210 / 25.4, 297 / 25.4)


def a4_pixels(dpi: float) -> int:
    """How many pixels an A4 page has when scanned at `dpi` (dots per inch)."""
    return round(_A4_INCHES[0] * dpi) * round(_A4_INCHES[1] * dpi)


# The limits a scan is checked against before any pixel is decoded (OWASP ASVS 4.0.3 V12.1.1,
# V12.1.2): a page may be as large as A4 at 600 dpi (about 35 million pixels), the whole scan as
# large as its pages at 300 dpi; a page is decoded, read and reduced one at a time
MAX_PAGES = 20
MAX_DPI = 600
MAX_PAGE_PIXELS = a4_pixels(MAX_DPI)
MAX_TOTAL_PIXELS = MAX_PAGES * a4_pixels(300)
# Pages handed over (to the sealed PDF, to the ink check) are reduced to at most A4 at 200 dpi,
# as PDF pages are rendered: 20 pages then hold at most about 230 MB in RGB
VIEW_PIXELS = a4_pixels(SCAN_DPI)
# QR codes are looked for on pages reduced to at most A4 at 300 dpi (the printed code needs 150):
# four times fewer pixels than at 600 dpi for zbar's three passes over each page
READ_PIXELS = a4_pixels(300)
MIN_RENDER_DPI = 36  # a PDF page's image claiming less is still drawn this fine (its marks stay findable)
PDF_TIMEOUT = 60  # seconds, for each poppler call (the process calling it has a limit of its own)
DECODE_LONG_SIDE = 1600  # of the downscaled copy zbar is also given
THRESHOLD = 128

PDF_MAGIC = b"%PDF-"
IMAGE_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


def too_many_pages(limit: int) -> str:
    """The Polish message for a scan of more than `limit` pages (no numeral agreement to get wrong)."""
    return f"Skan ma za dużo stron – podziel go na kilka plików (najwyższa dopuszczalna liczba stron: {limit})."


NOT_A_SCAN = "Ten plik nie jest skanem w obsługiwanym formacie. Wgraj plik PDF, JPEG, PNG lub TIFF."
EMPTY_FILE = "Wgrany plik jest pusty."
UNREADABLE = "Nie udało się odczytać skanu. Sprawdź plik i zeskanuj dokument jeszcze raz."
TOO_MANY_PAGES = too_many_pages(MAX_PAGES)
TOO_LARGE = ("Strona skanu jest zbyt duża. Zeskanuj dokument w rozdzielczości 200–300 dpi "
             "w formacie A4.")
TOO_LARGE_IN_TOTAL = ("Skan jest zbyt duży. Zeskanuj dokument w rozdzielczości 200–300 dpi "
                      "albo podziel go na kilka plików.")
PASSWORD = "Plik PDF jest zabezpieczony hasłem. Wgraj skan bez hasła."
TOO_SLOW = "Odczytanie skanu trwało zbyt długo. Zeskanuj dokument jeszcze raz, z mniejszą rozdzielczością."
TOO_HEAVY = ("Odczytanie skanu wymagało zbyt dużo pamięci. Zeskanuj dokument w rozdzielczości 200–300 dpi "
             "albo podziel go na kilka plików.")

_PAGE_SIZE = re.compile(r"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.MULTILINE)
_NUMBERED_PAGE_SIZE = re.compile(r"^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.MULTILINE)
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


@dataclass(frozen=True)
class ScanLimits:
    """The most a scan may have: pages, pixels of one page, pixels of all pages together."""

    max_pages: int = MAX_PAGES
    max_page_pixels: int = MAX_PAGE_PIXELS
    max_total_pixels: int = MAX_TOTAL_PIXELS

    @classmethod
    def for_dpi(cls, max_pages: int, max_dpi: int) -> ScanLimits:
        """Pages up to A4 at `max_dpi` each, all of them together up to `max_pages` A4 pages at 300 dpi
        (or at max_dpi, if lower)."""
        return cls(max_pages=max_pages, max_page_pixels=a4_pixels(max_dpi),
                   max_total_pixels=max_pages * a4_pixels(min(max_dpi, 300)))


def scan_kind(data: bytes) -> str:
    """The kind of scan, "PDF", "JPEG", "PNG" or "TIFF", from its first bytes; raises ScanError for
    an empty file or any other kind (a cheap check, made before a process is started to read it)."""
    if not data:
        raise ScanError(EMPTY_FILE)
    if data.startswith(PDF_MAGIC):
        return "PDF"
    kind = next((kind for magic, kind in IMAGE_MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise ScanError(NOT_A_SCAN)
    return kind


def scan_pages(data: bytes, limits: ScanLimits = ScanLimits()) -> list[Image.Image]:
    """The pages of an uploaded scan as RGB Pillow images, each at most A4 at 200 dpi in pixels.

    A PDF (every page, rendered by pdftoppm at its scanned image's resolution, at most 200 dpi), or a
    JPEG/PNG/TIFF image (every frame of a multi-page TIFF, finer pages reduced). Raises ScanError (Polish message) for anything else, an
    empty or unreadable file, or one beyond `limits`, checked before decoding. Runs in this process,
    unbounded: for uploads, run read_pages in a limited child (signatures.sandbox) instead.
    """
    return [_fit(page).convert("RGB") for page in _decoded_pages(data, limits)]


def read_pages(data: bytes, limits: ScanLimits) -> Iterator[tuple[str, object]]:
    """The job that reads an upload in a limited child process (signatures.sandbox.run).

    Yields ("page", RGB image at most A4 at 200 dpi) for each page, in order, then ("ids", the
    document identifiers of its QR codes, as find_document_ids gives them). Codes are read on each
    page at up to A4 at 300 dpi, before it is reduced further; one page is decoded at a time.
    Raises ScanError like scan_pages, and MemoryError when the process's memory limit is reached.
    """
    # Pillow's own decompression-bomb check at this process's page limit, as an error (both are
    # global: set only in the child): a frame over the limit is refused on opening
    Image.MAX_IMAGE_PIXELS = limits.max_page_pixels
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    found: dict[str, None] = {}
    for page in _decoded_pages(data, limits):
        page = _fit(page, READ_PIXELS)
        for identifier in find_document_ids([page]):
            found.setdefault(identifier)
        yield "page", _fit(page).convert("RGB")
        del page
    yield "ids", list(found)


def _decoded_pages(data: bytes, limits: ScanLimits) -> Iterator[Image.Image]:
    """Every page of the scan at its own resolution, grey or RGB, one at a time; sizes are checked first."""
    kind = scan_kind(data)
    if kind == "PDF":
        return _pdf_pages(data, limits)
    return _image_pages(data, kind, limits)


def _fit(page: Image.Image, most: int = VIEW_PIXELS) -> Image.Image:
    """The page, reduced to at most `most` pixels (A4 at 200 dpi) if it is larger; proportions kept."""
    pixels = page.width * page.height
    if pixels <= most:
        return page
    scale = math.sqrt(most / pixels)
    size = (max(1, int(page.width * scale)), max(1, int(page.height * scale)))
    return page.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    """A poppler tool with a time limit; its failure is the file's fault, so a ScanError."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=PDF_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:  # run() has already killed the process
        raise ScanError(TOO_SLOW) from None
    if done.returncode != 0:
        raise ScanError(PASSWORD if b"Incorrect password" in done.stderr else UNREADABLE)
    return done


def _pdf_pages(data: bytes, limits: ScanLimits) -> Iterator[Image.Image]:
    """Every page of a PDF, rendered at its largest image's resolution, at most 200 dpi (SCAN_DPI);
    pages are counted and measured before rendering.

    Only pixels leave: poppler draws the pages, so no object of the uploaded PDF (JavaScript,
    actions, embedded files, fonts) reaches what is built from them.
    """
    with tempfile.TemporaryDirectory(prefix="asysta-scan-") as tmp:
        pdf = Path(tmp) / "scan.pdf"
        pdf.write_bytes(data)
        # One call gives the page count and the size of each of the first pages, in points
        info = _run(["pdfinfo", "-f", "1", "-l", str(limits.max_pages), str(pdf)]).stdout
        info = info.decode("utf-8", errors="replace")
        # max(): a crafted Title could print a line of its own; it can only add, never hide the real one
        count = max((int(found) for found in _PAGES.findall(info)), default=0)
        if count == 0:
            raise ScanError(UNREADABLE)
        if count > limits.max_pages:
            raise ScanError(too_many_pages(limits.max_pages))
        # A page's size decides its bitmap: a huge MediaBox must not become gigabytes
        total = 0.0
        for width, height in _PAGE_SIZE.findall(info):
            pixels = float(width) * float(height) * (SCAN_DPI / 72) ** 2
            total += pixels
            if pixels > limits.max_page_pixels:
                raise ScanError(TOO_LARGE)
        if total > limits.max_total_pixels:
            raise ScanError(TOO_LARGE_IN_TOTAL)
        areas = {int(n): float(w) * float(h) / 72 ** 2 for n, w, h in _NUMBERED_PAGE_SIZE.findall(info)}
        resolutions = _image_resolutions(pdf, areas)
        for number in range(1, count + 1):
            # A scanned page is drawn at its image's own resolution (at most SCAN_DPI): a coarse scan
            # stays coarse, so the ink check can tell it by the marks' distance in pixels
            dpi = max(MIN_RENDER_DPI, min(SCAN_DPI, resolutions.get(number, SCAN_DPI)))
            # PPM: no compression to write and read back, the file lives only in this directory
            stem = Path(tmp) / f"page-{number}"
            _run(["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile", str(pdf),
                  str(stem)])
            path = stem.with_suffix(".ppm")
            if not path.is_file():
                raise ScanError(UNREADABLE)
            with Image.open(path, formats=["PPM"]) as image:
                page = image.convert("RGB")
            path.unlink()
            yield page


def _image_resolutions(pdf: Path, areas: dict[int, float]) -> dict[int, int]:
    """The resolution (pixels per inch) of each scanned page of a PDF, by 1-based page number.

    A page is scanned when an image covers at least half of it (areas: each page's area in square
    inches); pages without one (made by a program, with a logo or a QR code at most) are left out.
    """
    listed = _run(["pdfimages", "-list", str(pdf)]).stdout.decode("utf-8", errors="replace")
    largest: dict[int, tuple[int, int]] = {}  # page -> (pixels, ppi)
    for line in listed.splitlines()[2:]:
        cells = line.split()
        if len(cells) < 14 or cells[2] != "image":
            continue
        try:
            page, pixels, ppi = int(cells[0]), int(cells[3]) * int(cells[4]), min(int(cells[12]), int(cells[13]))
        except ValueError:
            continue
        if ppi <= 0 or pixels / ppi ** 2 < 0.5 * areas.get(page, math.inf):
            continue
        if pixels > largest.get(page, (0, 0))[0]:
            largest[page] = (pixels, ppi)
    return {page: ppi for page, (_, ppi) in largest.items()}


def _image_pages(data: bytes, kind: str, limits: ScanLimits) -> Iterator[Image.Image]:
    """Every frame of a JPEG, PNG or TIFF, upright, grey or RGB; sizes are checked before decoding."""
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > limits.max_pages:
                raise ScanError(too_many_pages(limits.max_pages))
            # Seeking reads a frame's header only: every size is known before any pixel is decoded
            sizes = []
            for index in range(frames):
                image.seek(index)
                sizes.append(image.width * image.height)
            if max(sizes) > limits.max_page_pixels:
                raise ScanError(TOO_LARGE)
            if sum(sizes) > limits.max_total_pixels:
                raise ScanError(TOO_LARGE_IN_TOTAL)
            for index in range(frames):
                image.seek(index)
                if kind == "JPEG" and sizes[index] > READ_PIXELS:
                    # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly: the finer pixels would
                    # only be thrown away, after costing memory and time
                    scale = math.sqrt(READ_PIXELS / sizes[index])
                    image.draft(image.mode, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
                page = _flat(ImageOps.exif_transpose(image))
                yield page
                del page
    except (ScanError, MemoryError):  # ours, and the memory limit of the reading process
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit: it fires on opening, before our size check can
        raise ScanError(TOO_LARGE) from None
    except Exception:  # Pillow signals a broken file with many unrelated exception types
        raise ScanError(UNREADABLE) from None


def _flat(image: Image.Image) -> Image.Image:
    """Grey ("L") or RGB, with any transparency laid over white paper rather than turned black.

    A grey or black-and-white scan stays grey until the end: reducing it costs a third of RGB.
    A 16-bit grey one is brought to 8 bits by scaling: Pillow's own conversion clips every value
    above 255, which turns all but the blackest ink white.
    """
    if image.mode.startswith("I;16"):
        return image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        paper.alpha_composite(rgba)
        return paper.convert("RGB")
    return image.convert("L" if image.mode in ("1", "L") else "RGB")


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
