"""Scans for tests: the print copy rendered by poppler, signed with Pillow strokes, scanned crooked and noisy."""
from __future__ import annotations

import io
import random
import subprocess

from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfReader

from signatures.assemble import SlotBox, find_slots
from tests.signing.drawing import scribble_points

INK = (20, 40, 140)  # a blue ballpoint pen
SCANNER_GREY = (150, 150, 150)  # the scanner's lid beyond the paper


def print_pages(printed: bytes, dpi: int) -> list[Image.Image]:
    """Every page of a print copy as poppler renders it at `dpi`: the paper, before anyone signs."""
    return [render_page(printed, index, dpi) for index in range(len(PdfReader(io.BytesIO(printed)).pages))]


def render_page(printed: bytes, index: int, dpi: int) -> Image.Image:
    """Page `index` (0-based) of a PDF rendered by pdftoppm at `dpi`, as RGB."""
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(index + 1), "-l", str(index + 1), "-singlefile",
                          "-png", "-"], input=printed, capture_output=True, check=True, timeout=60).stdout
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGB")


def places(printed: bytes) -> dict[str, SlotBox]:
    """The signature places of a print copy (its invisible SIG markers), by slot key."""
    return find_slots(printed)


def sign(page: Image.Image, box: SlotBox, dpi: int, *, seed: int = 0, page_height: float = 841.89) -> None:
    """Writes a scribbled signature into a place on a rendered page: a 0.5 mm blue stroke across most
    of the space, dipping onto the dotted line as people sign."""
    k = dpi / 72
    rng = random.Random(seed)
    points = scribble_points(700, 260, 50)
    stroke = [(box.x + box.width * (0.1 + 0.8 * x / 700) + rng.uniform(-0.4, 0.4),
               box.y + box.height * (1.05 - 1.1 * y / 260)) for x, y in points]
    pixels = [(x * k, (page_height - y) * k) for x, y in stroke]
    ImageDraw.Draw(page).line(pixels, fill=INK, width=max(1, round(0.5 / 25.4 * dpi)), joint="curve")


def scanned(page: Image.Image, *, angle: float = 0.0, noise: float = 0.0, seed: int = 0) -> Image.Image:
    """A page as a flatbed scanner gives it: on the grey lid, a little off and turned by `angle`
    degrees, slightly blurred, with grain of `noise` (standard deviation in grey levels)."""
    lid = Image.new("RGB", (round(page.width * 1.05), round(page.height * 1.03)), SCANNER_GREY)
    lid.paste(page, (round(page.width * 0.03), round(page.height * 0.01)))
    lid = lid.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=SCANNER_GREY)
    lid = lid.filter(ImageFilter.GaussianBlur(0.6))
    if noise:
        random.seed(seed)  # effect_noise draws from C's rand(): the grain differs, its size does not
        grain = Image.effect_noise(lid.size, noise).convert("RGB")
        lid = Image.blend(lid, grain, 0.15)
    return lid


def jpeg(page: Image.Image, quality: int = 80) -> bytes:
    """One scanned page as a JPEG file."""
    out = io.BytesIO()
    page.save(out, "JPEG", quality=quality)
    return out.getvalue()


def pdf(pages: list[Image.Image], dpi: int) -> bytes:
    """Scanned pages as one PDF file, as scanners save several pages."""
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return out.getvalue()


def tiff(pages: list[Image.Image], dpi: int) -> bytes:
    """Scanned pages as one multi-page TIFF file."""
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_lzw")
    return out.getvalue()


def blank_sheet(like: Image.Image, grey: int = 244) -> Image.Image:
    """A blank sheet the size of a rendered page, of slightly grey paper: the back of a duplex scan."""
    return Image.new("RGB", like.size, (grey, grey, grey))


def photographed(page: Image.Image, tilt: float) -> Image.Image:
    """A page as a phone photographs it held at an angle: on a brown table, its top edge narrower by
    `tilt` of the page's width on each side and its bottom edge wider by a third of that."""
    w, h = page.size
    dx = tilt * w
    corners = [(0.15 * w + dx, 0.1 * h), (1.15 * w - dx, 0.1 * h), (1.15 * w + dx / 3, 1.1 * h),
               (0.15 * w - dx / 3, 1.1 * h)]
    return page.transform((round(w * 1.3), round(h * 1.2)), Image.Transform.PERSPECTIVE,
                          _perspective(corners, [(0, 0), (w, 0), (w, h), (0, h)]),
                          Image.Resampling.BICUBIC, fillcolor=(110, 85, 60))


def _perspective(to: list, source: list) -> list[float]:
    """The 8 coefficients Pillow's PERSPECTIVE transform takes to map points `to` back onto `source`."""
    rows = []
    for (x, y), (u, v) in zip(to, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    for c in range(8):  # Gauss–Jordan elimination with partial pivoting
        pivot = max(range(c, 8), key=lambda r: abs(rows[r][c]))
        rows[c], rows[pivot] = rows[pivot], rows[c]
        for r in range(8):
            if r != c:
                factor = rows[r][c] / rows[c][c]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[c])]
    return [rows[i][8] / rows[i][i] for i in range(8)]
