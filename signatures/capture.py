"""Server-side checks of a handwritten signature captured with signature_pad 5 on a tablet."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import math
import struct
from dataclasses import dataclass

from PIL import Image

__all__ = ["BLANK_IMAGE", "CapturedSignature", "SignatureRejected", "check_signature", "decode_data_url"]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"
MAX_PNG_BYTES = 1024 * 1024
MIN_WIDTH, MAX_WIDTH = 200, 4000  # device pixels of the canvas
MIN_HEIGHT, MAX_HEIGHT = 80, 3000
MAX_STROKES_BYTES = 512 * 1024
MAX_GROUPS = 300
MAX_POINTS = 30_000
MAX_STRING_OPTION = 40
MIN_PIXEL_RATIO, MAX_PIXEL_RATIO = 0.25, 10.0
# Enough ink, measured on the stroke data (CSS pixels)...
MIN_POINTS = 10
MIN_STROKES_WIDTH = 0.12  # of the canvas width
MIN_STROKES_HEIGHT = 0.25  # of the canvas height
# ...and on the flattened image (device pixels)
DARK_LEVEL = 200  # grey levels below this count as ink
MIN_DARK_SHARE = 0.0015  # of the image area
MIN_INK_WIDTH = 0.10
MIN_INK_HEIGHT = 0.25

UNREADABLE = "Nie udało się odczytać podpisu. Podpisz się jeszcze raz."
INVALID_STROKES = "Dane podpisu są niepoprawne. Podpisz się jeszcze raz."
TOO_SMALL = ("Podpis jest zbyt mały – wygląda na kropkę lub przypadkowe dotknięcie. "
             "Podpisz się jeszcze raz, tak jak na papierze.")
EMPTY = "Pole podpisu jest puste. Podpisz się palcem, rysikiem lub myszą."
# The strokes say a signature was drawn, the image holds no ink at all: the canvas was cleared (or
# never painted) before sending. Not the signer's fault, so not the message for a dot.
BLANK_IMAGE = ("Obraz podpisu dotarł pusty, choć podpis został złożony – pole podpisu mogło zostać "
               "wyczyszczone przed wysłaniem. Podpisz się jeszcze raz i wyślij podpis bez czyszczenia pola.")

# signature_pad's own key order, so the canonical JSON is its toData() made compact
_POINT_KEYS = ("time", "x", "y", "pressure")
_NUMBER_OPTIONS = ("dotSize", "minWidth", "maxWidth", "velocityFilterWeight")
_STRING_OPTIONS = ("penColor", "compositeOperation")
_GROUP_KEYS = ("penColor", "dotSize", "minWidth", "maxWidth", "velocityFilterWeight", "compositeOperation")
# A lookup table, so that thresholding runs in Pillow's C code: ink becomes white, paper black
_INK_LUT = [255 if level < DARK_LEVEL else 0 for level in range(256)]
# The largest base64 text that can still decode to an allowed PNG: refuse bigger before decoding
_MAX_BASE64 = 4 * math.ceil(MAX_PNG_BYTES / 3)


class SignatureRejected(ValueError):
    """A captured signature the service refuses; str(exc) is a Polish message for the signer."""


@dataclass(frozen=True)
class CapturedSignature:
    """A checked signature: the flattened PNG to archive and its stroke data, with their hashes."""

    png: bytes
    sha256: str
    width: int
    height: int
    strokes: bytes
    strokes_sha256: str
    points: int


def decode_data_url(value: str) -> bytes:
    """'data:image/png;base64,...' -> the PNG bytes; anything else raises SignatureRejected."""
    if not isinstance(value, str) or not value.startswith(DATA_URL_PREFIX):
        raise SignatureRejected(UNREADABLE)
    encoded = value[len(DATA_URL_PREFIX):]
    if len(encoded) > _MAX_BASE64:
        raise SignatureRejected(UNREADABLE)
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureRejected(UNREADABLE) from None


def check_signature(png: bytes, strokes: str | bytes, *, pixel_ratio: float = 1.0) -> CapturedSignature:
    """Checks one captured signature and returns it flattened, with its hashes; raises SignatureRejected."""
    if isinstance(pixel_ratio, bool) or not isinstance(pixel_ratio, (int, float)) \
            or not MIN_PIXEL_RATIO <= pixel_ratio <= MAX_PIXEL_RATIO:
        raise SignatureRejected(INVALID_STROKES)
    width, height = _png_size(png)
    groups, points = _parse_strokes(strokes)
    if points == 0:
        raise SignatureRejected(EMPTY)
    # The points are in CSS pixels, the PNG in device pixels (the canvas is scaled by the ratio)
    if not _strokes_large_enough(groups, points, width / pixel_ratio, height / pixel_ratio):
        raise SignatureRejected(TOO_SMALL)
    gray = _flatten(png)
    ink_box = gray.point(_INK_LUT).getbbox()  # None: not one pixel of ink
    if ink_box is None:
        raise SignatureRejected(BLANK_IMAGE)
    if not _ink_large_enough(gray, ink_box):
        raise SignatureRejected(TOO_SMALL)
    out = io.BytesIO()
    gray.save(out, format="PNG", optimize=False)
    flat = out.getvalue()
    canonical = json.dumps(groups, separators=(",", ":"), ensure_ascii=False).encode()
    return CapturedSignature(png=flat, sha256=hashlib.sha256(flat).hexdigest(), width=width, height=height,
                             strokes=canonical, strokes_sha256=hashlib.sha256(canonical).hexdigest(),
                             points=points)


def _png_size(png: bytes) -> tuple[int, int]:
    """The width and height from the IHDR chunk, read by hand so nothing is decoded yet."""
    if not isinstance(png, (bytes, bytearray)) or len(png) > MAX_PNG_BYTES or len(png) < 33 \
            or not png.startswith(PNG_MAGIC) or png[12:16] != b"IHDR":
        raise SignatureRejected(UNREADABLE)
    # Parsed here rather than via Image.open: Pillow's own bomb check warns (an error under -W error)
    # and changing warning filters per request is not thread-safe
    width, height = struct.unpack(">II", png[16:24])
    if not (MIN_WIDTH <= width <= MAX_WIDTH and MIN_HEIGHT <= height <= MAX_HEIGHT):
        raise SignatureRejected(UNREADABLE)
    return width, height


def _flatten(png: bytes) -> Image.Image:
    """The drawing composited over white paper, in grey levels (the ink is dark whatever its colour)."""
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            image.load()
            # convert() would copy an image that is already RGBA, as the browser's always is
            rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        # Blending the grey levels over white through the alpha mask is alpha compositing over an
        # opaque white sheet (grey is linear in R, G, B), in a third of the time of doing it in RGBA
        paper = Image.new("L", rgba.size, 255)
        paper.paste(rgba.convert("L"), mask=rgba.getchannel("A"))
        return paper
    except Exception:  # Pillow signals a broken file with many unrelated exception types
        raise SignatureRejected(UNREADABLE) from None


def _number(value) -> bool:
    """A finite int or float; bool is an int subclass but never a coordinate."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _short_text(value) -> bool:
    """A short string that can be written as UTF-8 (JSON escapes can smuggle in lone surrogates)."""
    if not isinstance(value, str) or len(value) > MAX_STRING_OPTION:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reject_constant(name: str):
    """json.loads hook for NaN, Infinity and -Infinity."""
    raise ValueError(f"not JSON: {name}")


def _parse_strokes(strokes: str | bytes) -> tuple[list[dict], int]:
    """signature_pad's toData() reduced to the known keys; raises SignatureRejected if malformed."""
    if isinstance(strokes, str):
        strokes = strokes.encode("utf-8", errors="surrogatepass")
    if not isinstance(strokes, (bytes, bytearray)) or len(strokes) > MAX_STROKES_BYTES:
        raise SignatureRejected(INVALID_STROKES)
    try:
        # NaN and Infinity are not JSON, though Python's parser accepts them by default
        data = json.loads(strokes, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise SignatureRejected(INVALID_STROKES) from None
    if not isinstance(data, list) or len(data) > MAX_GROUPS:
        raise SignatureRejected(INVALID_STROKES)
    groups, total = [], 0
    for group in data:
        if not isinstance(group, dict) or not isinstance(group.get("points"), list):
            raise SignatureRejected(INVALID_STROKES)
        total += len(group["points"])
        if total > MAX_POINTS:
            raise SignatureRejected(INVALID_STROKES)
        clean = {}
        for key in _GROUP_KEYS:  # a fixed key order keeps the canonical JSON independent of the browser
            value = group.get(key)
            if key in _STRING_OPTIONS and _short_text(value):
                clean[key] = value
            elif key in _NUMBER_OPTIONS and _number(value):
                clean[key] = value
        points = []
        for point in group["points"]:
            if not isinstance(point, dict) or not all(_number(point.get(key)) for key in _POINT_KEYS):
                raise SignatureRejected(INVALID_STROKES)
            points.append({key: point[key] for key in _POINT_KEYS})
        clean["points"] = points
        groups.append(clean)
    return groups, total


def _strokes_large_enough(groups: list[dict], points: int, css_width: float, css_height: float) -> bool:
    """At least a few points spread over a fair part of the pad: not a tap."""
    if points < MIN_POINTS:
        return False
    xs = [p["x"] for group in groups for p in group["points"]]
    ys = [p["y"] for group in groups for p in group["points"]]
    return (max(xs) - min(xs) >= MIN_STROKES_WIDTH * css_width
            or max(ys) - min(ys) >= MIN_STROKES_HEIGHT * css_height)


def _ink_large_enough(gray: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Enough dark pixels, spread wide or high enough (`box`: their bounding box), in the flattened image."""
    width, height = gray.size
    dark = sum(gray.histogram()[:DARK_LEVEL])
    if dark < MIN_DARK_SHARE * width * height:
        return False
    left, top, right, bottom = box
    return right - left >= MIN_INK_WIDTH * width or bottom - top >= MIN_INK_HEIGHT * height
