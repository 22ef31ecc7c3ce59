"""Signatures on a scanned print copy: finding each printed page on the scan and ink at its signature places.

The print copy (signatures.assemble.build_print_copy) carries three solid registration marks on every
page (top left, top right, bottom left) and, between the two top marks, a row of small cells that
code the page's number and a tag of its document. On a scan the marks give where the page lies
(any position, scale and rotation: an affine map from PDF points to the scan's pixels); the cells
say which page it is. At each signature place the scan is then compared with the print itself:
what is dark on the scan and was not printed there is ink. Only Pillow is used; the few connected
components are counted row by row (runs), in pure Python, on small images.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageFilter, ImageStat

__all__ = ["CODE_BITS", "Frame", "Place", "PlaceResult", "ScanCheck", "blank_page", "check_scan", "code_cells",
           "locate", "mark_centres", "marks_ops", "page_code", "scan_dpi", "search"]

# ---------------------------------------------------------------------------------------------
# The marks, in PDF points. The outer side of a mark is 7 mm from the paper's edge: inside what
# printers print (most leave 4–5 mm blank) and outside the documents' 2 cm text margins.
MARK_SIZE = 12.0
MARK_INSET = 20.0
MARK_CENTRE = MARK_INSET + MARK_SIZE / 2
CODE_CELL = 6.0  # the side of one code cell
CODE_PITCH = 12.0  # from one cell's centre to the next
CODE_START = MARK_CENTRE + 24.0  # the first cell's centre, from the page's left edge
CODE_BITS = 16  # 8 bits of page number, 8 of the document's tag; a start cell before, parity after

# The ink check works on the scan mapped back onto the page at this resolution (pixels per inch)
INK_DPI = 100
INK_LEVEL = 0.62  # darker than this share of the paper's own white is ink (blue and black pens, pencil)
MARK_LEVEL = 0.5  # the marks are black toner: half the paper's white separates them from grey
PRINT_LEVEL = 200  # of 255: what the rendered print copy shows darker than this was printed
SHIFT = 3  # pixels (0.8 mm at 100 dpi): the local search that lays the print exactly over the scan
GROW = 4  # pixels (1 mm) around what was printed, where the scan's dark pixels are not counted as ink
MIN_SPECK = 10  # pixels: smaller dark specks are dust and scanner noise
MIN_INK = 100  # pixels (6.5 mm² at 100 dpi): less than this is no signature
MIN_EXTENT = 28  # pixels (7 mm): a signature is at least this wide
# Around a signing space (the room above the dotted line): a signature often touches the line and
# rises above the space; the line itself and the caption are masked as printed.
AROUND = (4.0, 10.0, 4.0, 6.0)  # left, below, right, above, in points
# How far off (a share of the top marks' distance) a third mark may lie for a page's marks to count as seen
# (search): generated phone photographs (tests/signing/scans.photographed) tilted by 2–12 % were all seen
NEAR_ERROR = 0.3
WORK_SIDE = 1000  # the long side (pixels) of the copy of a scanned page the marks are looked for in
# Below this resolution a 0.5 mm pen stroke is a pixel wide and the scanner's blur makes it paper grey:
# signed test scans at 72 dpi showed 20–50 pixels of ink per place, at 80 dpi and above 450–720
# (MIN_INK is 100); 90 leaves a margin above the lowest that worked. Clerks are asked for 150.
MIN_DPI = 90
ADVISED_DPI = 150
# A blank page: less than this share of it darker than half the paper's white. Measured on generated
# scans (tests/signing/scans.py; 72–300 dpi, grey paper 215–255, grain up to 25, JPEG 70, another
# page's print showing through at 35 %): 0; the least inked document page (a last page with a few
# lines): 1.2 %.
BLANK_SHARE = 0.002
RENDER_TIMEOUT = 60  # seconds, for one pdftoppm call on our own print copy


def mark_centres(box: Sequence[float]) -> dict[str, tuple[float, float]]:
    """The centres of the three registration marks of a page with media box (x0, y0, x1, y1), in PDF points."""
    x0, y0, x1, y1 = box
    return {"top_left": (x0 + MARK_CENTRE, y1 - MARK_CENTRE), "top_right": (x1 - MARK_CENTRE, y1 - MARK_CENTRE),
            "bottom_left": (x0 + MARK_CENTRE, y0 + MARK_CENTRE)}


def code_cells(box: Sequence[float]) -> list[tuple[float, float]]:
    """The centres of the code cells (start cell, CODE_BITS data cells, parity cell), in PDF points."""
    x0, _, _, y1 = box
    return [(x0 + CODE_START + i * CODE_PITCH, y1 - MARK_CENTRE) for i in range(CODE_BITS + 2)]


def page_code(page_number: int, tag: int) -> list[bool]:
    """The cells of a page's code: dark (True) or light, for its 1-based number and its document's tag (0–255).

    The start cell is always dark; the last cell makes the number of dark data cells even.
    """
    value = ((page_number % 256) << 8) | (tag % 256)
    data = [bool(value >> (CODE_BITS - 1 - i) & 1) for i in range(CODE_BITS)]
    return [True, *data, sum(data) % 2 == 1]


def marks_ops(box: Sequence[float], page_number: int, tag: int) -> bytes:
    """PDF content operators that paint a page's marks and code in black (for the print copy's pages)."""
    ops = ["q 0 g"]
    half = MARK_SIZE / 2
    for x, y in mark_centres(box).values():
        ops.append(f"{x - half:.3f} {y - half:.3f} {MARK_SIZE:.3f} {MARK_SIZE:.3f} re")
    half = CODE_CELL / 2
    for (x, y), dark in zip(code_cells(box), page_code(page_number, tag)):
        if dark:
            ops.append(f"{x - half:.3f} {y - half:.3f} {CODE_CELL:.3f} {CODE_CELL:.3f} re")
    ops.append("f Q\n")
    return "\n".join(ops).encode()


# ---------------------------------------------------------------------------------------------
# Finding a page on a scan


@dataclass(frozen=True)
class Frame:
    """Where a printed page lies on a scanned image: PDF point (x, y) → pixel (u, v), its number and tag.

    u = a·x + b·y + c and v = d·x + e·y + f, in the scanned image's own pixels, continuous
    (pixel k spans k to k + 1), as Pillow's Image.transform reads them.
    """

    affine: tuple[float, float, float, float, float, float]
    page_number: int  # 1-based, as coded on the page
    tag: int

    def to_image(self, x: float, y: float) -> tuple[float, float]:
        """The pixel (u, v) of the scan where PDF point (x, y) of the page lies."""
        a, b, c, d, e, f = self.affine
        return a * x + b * y + c, d * x + e * y + f


@dataclass
class _Blob:
    count: int
    left: int
    top: int
    right: int
    bottom: int
    sx: float
    sy: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.sx / self.count, self.sy / self.count

    @property
    def width(self) -> int:
        return self.right - self.left + 1

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1


_RUN = re.compile(rb"\x01+")


def _blobs(binary: bytes, width: int, height: int) -> list[_Blob]:
    """The 8-connected components of the 1-bytes of a width × height image (one byte per pixel).

    Rows are read as runs and runs joined with a union-find: far fewer steps than pixels.
    """
    parent: list[int] = []
    runs: list[tuple[int, int, int]] = []  # (row, first x, last x)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    previous: list[int] = []
    for y in range(height):
        row = binary[y * width:(y + 1) * width]
        current = []
        j = 0
        for match in _RUN.finditer(row):
            start, end = match.start(), match.end() - 1
            index = len(runs)
            runs.append((y, start, end))
            parent.append(index)
            current.append(index)
            # 8-connected: a run touches the previous row's runs that overlap it widened by one pixel
            while j < len(previous) and runs[previous[j]][2] < start - 1:
                j += 1
            k = j
            while k < len(previous) and runs[previous[k]][1] <= end + 1:
                a, b = find(index), find(previous[k])
                if a != b:
                    parent[a] = b
                k += 1
        previous = current
    blobs: dict[int, _Blob] = {}
    for index, (y, start, end) in enumerate(runs):
        root = find(index)
        n = end - start + 1
        blob = blobs.get(root)
        if blob is None:
            blobs[root] = _Blob(n, start, y, end, y, n * (start + end) / 2, float(n * y))
        else:
            blob.count += n
            blob.left, blob.right = min(blob.left, start), max(blob.right, end)
            blob.bottom = y
            blob.sx += n * (start + end) / 2
            blob.sy += n * y
    return list(blobs.values())


def _percentile(image: Image.Image, share: float) -> int:
    """The grey level below which `share` of an L image's pixels lie."""
    histogram = image.histogram()
    limit, total = share * sum(histogram), 0
    for level, count in enumerate(histogram):
        total += count
        if total >= limit:
            return level
    return 255


def darkness(page: Image.Image) -> Image.Image:
    """An L image of a scanned page where each pixel is its darkest colour channel: blue ink counts as dark."""
    if page.mode == "L":
        return page
    r, g, b = page.convert("RGB").split()
    return ImageChops.darker(ImageChops.darker(r, g), b)


def locate(page: Image.Image, box: Sequence[float]) -> Frame | None:
    """Where a print page with media box `box` lies on a scanned page (a Pillow image), or None.

    Looks for three marks forming the page's right angle with its sides' proportion; the coded
    row between the top marks must read with its start cell and parity right. Works on a copy
    about WORK_SIDE pixels long: a large scan costs no more memory than a small one.
    """
    return search(page, box)[0]


def search(page: Image.Image, box: Sequence[float]) -> tuple[Frame | None, bool]:
    """locate(), and whether marks were seen at all: (frame or None, marks seen).

    Marks are seen when the frame is found, or when three mark-like squares lie roughly (within
    NEAR_ERROR of the marks' distance) as a page's marks do, only not exactly: a photograph taken
    at an angle, whose perspective no affine map fits, or a page whose code could not be read.
    """
    scale = max(1.0, max(page.size) / WORK_SIDE)
    work = page if scale == 1.0 else page.resize((round(page.width / scale), round(page.height / scale)),
                                                 Image.Resampling.BOX)
    work = darkness(work)
    white = _percentile(work, 0.9)
    level = white * MARK_LEVEL
    binary = work.point([1 if v < level else 0 for v in range(256)]).tobytes()
    candidates = [blob for blob in _blobs(binary, work.width, work.height)
                  if blob.count >= 12 and 0.6 <= blob.width / blob.height <= 1.6
                  and blob.count >= 0.65 * blob.width * blob.height]
    candidates.sort(key=lambda blob: -blob.count)
    candidates = candidates[:80]  # the marks are among the largest solid squares of a page
    marks = mark_centres(box)
    (tlx, tly), (trx, _), (_, bly) = marks["top_left"], marks["top_right"], marks["bottom_left"]
    across, down = trx - tlx, tly - bly  # points between the marks' centres
    best, near = None, False
    for a in candidates:
        ax, ay = a.centre
        for b in candidates:
            if b is a:
                continue
            bx, by = b.centre
            vx, vy = bx - ax, by - ay
            length = math.hypot(vx, vy)
            if length < 0.3 * min(work.size):
                continue
            side = length * MARK_SIZE / across  # what a mark's side should be, in work pixels
            if not all(0.55 <= math.sqrt(m.count) / side <= 1.6 for m in (a, b)):
                continue
            # a quarter turn clockwise on the image (y grows downwards): from the top edge down the left one
            px, py = ax - vy * down / across, ay + vx * down / across
            for c in candidates:
                if c is a or c is b:
                    continue
                error = math.hypot(c.centre[0] - px, c.centre[1] - py) / length
                if error < NEAR_ERROR and 0.55 <= math.sqrt(c.count) / side <= 1.6:
                    near = True
                    if error < 0.03 and (best is None or error < best[0]):
                        best = (error, a, b, c)
    if best is None:
        return None, near
    _, a, b, c = best
    # centres in continuous coordinates (pixel k spans [k, k + 1)), as Image.transform reads them
    (u1, v1), (u2, v2), (u3, v3) = (((x + 0.5) * scale, (y + 0.5) * scale) for x, y in (a.centre, b.centre, c.centre))
    # TL and TR differ only in x, TL and BL only in y: each coefficient comes from one pair
    ka, kd = (u2 - u1) / across, (v2 - v1) / across
    kb, ke = (u3 - u1) / (bly - tly), (v3 - v1) / (bly - tly)
    affine = (ka, kb, u1 - ka * tlx - kb * tly, kd, ke, v1 - kd * tlx - ke * tly)
    frame = Frame(affine=affine, page_number=0, tag=0)
    cells = []
    for x, y in code_cells(box):
        u, v = frame.to_image(x, y)
        u, v = u / scale - 0.5, v / scale - 0.5
        reach = max(1, int(0.25 * CODE_CELL * math.hypot(ka, kd) / scale))
        crop = work.crop((int(u) - reach, int(v) - reach, int(u) + reach + 1, int(v) + reach + 1))
        cells.append(ImageStat.Stat(crop).mean[0] < level)
    data = cells[1:1 + CODE_BITS]
    if not cells[0] or (sum(data) + cells[-1]) % 2:
        return None, True
    value = sum(bit << (CODE_BITS - 1 - i) for i, bit in enumerate(data))
    if value >> 8 == 0:
        return None, True
    return Frame(affine=affine, page_number=value >> 8, tag=value & 0xFF), True


# ---------------------------------------------------------------------------------------------
# Ink at the signature places


@dataclass(frozen=True)
class Place:
    """A signature place: its key (e.g. 'family_member:0'), page (0-based), signing space and who signs there.

    box is (x, y, width, height) in PDF points, origin bottom left, as signatures.assemble.SlotBox.
    """

    key: str
    page: int
    box: tuple[float, float, float, float]
    label: str  # e.g. 'matka – Anna Kowalska': named in messages


@dataclass
class PlaceResult:
    """What the scan shows at one place: 'signed', 'empty', 'missing' (its page is not on the scan) or
    'unchecked' (the scan's resolution is too low to tell ink from the print)."""

    place: Place
    state: str
    scan_page: int | None = None  # 0-based index of the scanned page it was found on
    polygon: list[tuple[float, float]] = field(default_factory=list)  # its corners on that page, in pixels
    ink: int = 0  # pixels of ink found (at INK_DPI)
    extent: int = 0  # how wide the ink is, pixels at INK_DPI

    def to_json(self) -> dict:
        """The result as JSON: key, page (1-based), label, state, scan_page, polygon, ink, extent."""
        return {"key": self.place.key, "page": self.place.page + 1, "label": self.place.label,
                "state": self.state, "scan_page": self.scan_page,
                "polygon": [[round(u, 1), round(v, 1)] for u, v in self.polygon],
                "ink": self.ink, "extent": self.extent}


@dataclass
class ScanCheck:
    """The outcome of checking a scan: each place's result, each scanned page's frame, and the problems.

    problems are Polish sentences naming what is wrong (empty places first); ok means there are none.
    """

    places: list[PlaceResult]
    frames: list[Frame | None]
    problems: list[str]
    blank: list[int] = field(default_factory=list)  # 0-based indices of blank scanned pages, skipped
    dpi: float | None = None  # the scan's resolution estimated from its marks (the lowest of its pages)

    @property
    def ok(self) -> bool:
        """True when the scan may be archived: every page found once and a signature at every place."""
        return not self.problems

    def summary(self) -> str:
        """One Polish sentence for the evidence page: how many places were checked and what was found."""
        signed = sum(1 for r in self.places if r.state == "signed")
        blank = f" Puste strony skanu pominięte: {len(self.blank)}." if self.blank else ""
        return (f"Sprawdzono miejsca podpisów na skanie: {len(self.places)}; podpis widoczny w {signed} "
                f"z {len(self.places)}. Strony skanu rozpoznane po znacznikach wydruku: "
                f"{sum(1 for f in self.frames if f is not None)} z {len(self.frames)}.{blank}")


def blank_page(page: Image.Image) -> bool:
    """True when a scanned page (a Pillow image) is blank: less than BLANK_SHARE of it, inside a 5 %
    border (a scanner's lid or shadow at the edges), darker than half the paper's own white.

    The back of a duplex scan: text, the print's marks or a signature are far above the share.
    """
    scale = max(1.0, max(page.size) / WORK_SIDE)
    work = page if scale == 1.0 else page.resize((round(page.width / scale), round(page.height / scale)),
                                                 Image.Resampling.BOX)
    w, h = work.size
    work = darkness(work.crop((round(w * 0.05), round(h * 0.05), round(w * 0.95), round(h * 0.95))))
    histogram = work.histogram()
    level = int(_percentile(work, 0.9) * MARK_LEVEL)
    return sum(histogram[:level]) < BLANK_SHARE * sum(histogram)


def scan_dpi(frame: Frame) -> float:
    """The resolution (pixels per inch) of the scanned image a frame was found on, from the marks' distance."""
    a, _, _, d, _, _ = frame.affine
    return 72 * math.hypot(a, d)


def _unlocated(index: int, near: bool, qr_found: bool) -> str:
    """Why scanned page `index` (0-based) was not found, and what to do (a photograph or an old print)."""
    straight = ("Zeskanuj dokument skanerem albo sfotografuj stronę prosto z góry, leżącą płasko, w dobrym "
                "świetle, tak aby była widoczna cała.")
    if near:
        return (f"Na stronie {index + 1} skanu znaleziono znaczniki wydruku (czarne kwadraty w rogach strony), "
                f"ale ich położenie się nie zgadza – to wygląda na zdjęcie zrobione pod kątem. {straight}")
    if qr_found:
        return (f"Na stronie {index + 1} skanu nie rozpoznano znaczników wydruku (czarnych kwadratów w rogach "
                f"strony), choć kod QR dokumentu jest czytelny. {straight} Tylko wydruk bez tych kwadratów "
                "trzeba wydrukować ponownie i podpisać.")
    return (f"Na stronie {index + 1} skanu nie rozpoznano znaczników wydruku do podpisu "
            "(czarnych kwadratów w rogach strony). Zeskanuj całą stronę; dokument wydrukowany "
            "bez tych znaczników trzeba wydrukować ponownie i podpisać.")


def check_scan(pages: Sequence[Image.Image], print_pdf: bytes, places: Sequence[Place], tag: int,
               page_boxes: Sequence[Sequence[float]], *, qr_found: bool = False) -> ScanCheck:
    """Checks scanned pages against a print copy: every page found once, ink at every signature place.

    pages: the scan's pages (Pillow images, any mode); print_pdf: the print copy (or the document
    it was made from: only its text and lines are used); places: where signatures belong;
    tag: the document's tag coded on its pages; page_boxes: each print page's media box
    (x0, y0, x1, y1) in points; qr_found: the document's QR code was read on the scan (a page
    without its marks is then rather photographed badly than printed without them). Blank pages
    (the backs of a duplex scan) are skipped; a scan below MIN_DPI is refused for its resolution,
    not for the places. Never raises for a bad scan: what is wrong is in `problems`.
    """
    frames: list[Frame | None] = []
    found: dict[int, int] = {}  # printed page number -> scanned page index
    problems: list[str] = []
    blank: list[int] = []
    sizes = {tuple(round(v, 1) for v in box) for box in page_boxes}
    for index, page in enumerate(pages):
        frame, near = None, False
        for box in sizes:
            frame, seen = search(page, box)
            near = near or seen
            if frame is not None:
                break
        if frame is None and not near and blank_page(page):
            blank.append(index)
            frames.append(None)
            continue
        if frame is not None and frame.tag != tag:
            problems.append(f"Strona {index + 1} skanu pochodzi z wydruku innego dokumentu.")
            frame = None
        elif frame is not None and frame.page_number > len(page_boxes):
            problems.append(f"Strona {index + 1} skanu nie należy do tego dokumentu (strona {frame.page_number}).")
            frame = None
        elif frame is not None and frame.page_number in found:
            problems.append(f"Strona {frame.page_number} dokumentu jest na skanie więcej niż raz "
                            f"(strony skanu {found[frame.page_number] + 1} i {index + 1}).")
        elif frame is None:
            problems.append(_unlocated(index, near, qr_found))
        if frame is not None:
            found.setdefault(frame.page_number, index)
        frames.append(frame)
    dpi = min((scan_dpi(frames[index]) for index in found.values()), default=None)
    low = dpi is not None and dpi < MIN_DPI
    if low:
        problems.insert(0, f"Skan ma za niską rozdzielczość (około {dpi:.0f} dpi) – zeskanuj dokument "
                           f"w co najmniej {ADVISED_DPI} dpi.")
    results = []
    for place in places:
        index = found.get(place.page + 1)
        if index is None:
            results.append(PlaceResult(place, "missing"))
            continue
        frame = frames[index]
        x, y, w, h = place.box
        polygon = [frame.to_image(px, py) for px, py in ((x, y + h), (x + w, y + h), (x + w, y), (x, y))]
        if low:  # ink is not told from the print reliably: no place is named as empty
            results.append(PlaceResult(place, "unchecked", index, polygon))
            continue
        ink, extent = _ink(pages[index], frame, place, print_pdf, page_boxes[place.page])
        state = "signed" if ink >= MIN_INK and extent >= MIN_EXTENT else "empty"
        results.append(PlaceResult(place, state, index, polygon, ink, extent))
    if pages and len(blank) == len(pages):
        problems.append("Wszystkie strony skanu są puste – sprawdź, czy wydruk leżał w skanerze zadrukowaną "
                        "stroną do szyby.")
    missing_pages = [n for n in range(1, len(page_boxes) + 1) if n not in found]
    empty = [f"Brak podpisu: {r.place.label}, strona {r.place.page + 1}." for r in results if r.state == "empty"]
    unseen = [f"Nie sprawdzono podpisu: {r.place.label}, strona {r.place.page + 1} – tej strony nie ma na skanie."
              for r in results if r.state == "missing"]
    if missing_pages:
        listed = ", ".join(str(n) for n in missing_pages)
        problems.append(f"Na skanie brakuje stron dokumentu: {listed} (z {len(page_boxes)}). "
                        "Zeskanuj wszystkie strony wydruku.")
    return ScanCheck(results, frames, empty + unseen + problems, blank, dpi)


def _ink(page: Image.Image, frame: Frame, place: Place, print_pdf: bytes,
         box: Sequence[float]) -> tuple[int, int]:
    """Pixels of ink (at INK_DPI) at a place, and how wide they spread; what was printed there is not counted."""
    k = INK_DPI / 72
    left, below, right, above = AROUND
    x, y, w, h = place.box
    x0, y0, x1, y1 = x - left, y - below, x + w + right, y + h + above
    width, height = math.ceil((x1 - x0) * k), math.ceil((y1 - y0) * k)
    printed = _render(print_pdf, place.page, box, x0, y1, width, height)
    a, b, c, d, e, f = frame.affine
    # output pixel (i, j) of the warped area is PDF point (x0 + (i - SHIFT) / k, y1 - (j - SHIFT) / k)
    ox, oy = x0 - SHIFT / k, y1 + SHIFT / k
    # only the place's surroundings are mapped back onto the page, then reduced to their darkness
    warped = darkness(page.transform((width + 2 * SHIFT, height + 2 * SHIFT), Image.Transform.AFFINE,
                                     (a / k, -b / k, a * ox + b * oy + c, d / k, -e / k, d * ox + e * oy + f),
                                     resample=Image.Resampling.BILINEAR,
                                     fillcolor=255 if page.mode == "L" else (255,) * len(page.getbands())))
    # the paper's white here (a scanner's grey border or a shadow elsewhere must not set the level)
    level = _percentile(warped, 0.75) * INK_LEVEL
    scanned = warped.point([255 if v < level else 0 for v in range(256)])
    printed_bits = printed.point([255 if v < PRINT_LEVEL else 0 for v in range(256)])
    mask = printed_bits.filter(ImageFilter.MaxFilter(2 * GROW + 1))
    # the print laid over the scan where it explains most of what is dark: a scanner's small
    # distortions are corrected, and a shift can never hide a signature (it lies off the print)
    best = None
    for dy in range(-SHIFT, SHIFT + 1):
        for dx in range(-SHIFT, SHIFT + 1):
            crop = scanned.crop((SHIFT + dx, SHIFT + dy, SHIFT + dx + width, SHIFT + dy + height))
            rest = ImageChops.subtract(crop, mask)
            key = (ImageStat.Stat(rest).sum[0], abs(dx) + abs(dy))
            if best is None or key < best[0]:
                best = (key, rest)
    ink = best[1]
    binary = ink.point([1 if v else 0 for v in range(256)]).tobytes()
    kept = [blob for blob in _blobs(binary, width, height) if blob.count >= MIN_SPECK]
    if not kept:
        return 0, 0
    return sum(b.count for b in kept), max(b.right for b in kept) - min(b.left for b in kept) + 1


def _render(pdf: bytes, page: int, box: Sequence[float], x0: float, y1: float, width: int,
            height: int) -> Image.Image:
    """An area of a print page rendered in grey at INK_DPI: from PDF point (x0, y1) rightwards and down."""
    k = INK_DPI / 72
    px, py = round((x0 - box[0]) * k), round((box[3] - y1) * k)
    done = subprocess.run(
        ["pdftoppm", "-r", str(INK_DPI), "-f", str(page + 1), "-l", str(page + 1), "-x", str(px), "-y", str(py),
         "-W", str(width), "-H", str(height), "-gray", "-singlefile", "-"],
        input=pdf, capture_output=True, timeout=RENDER_TIMEOUT, check=True)
    with Image.open(io.BytesIO(done.stdout)) as image:
        rendered = image.convert("L")
    if rendered.size != (width, height):  # an area reaching off the page comes back smaller
        canvas = Image.new("L", (width, height), 255)
        canvas.paste(rendered, (0, 0))
        rendered = canvas
    return rendered
