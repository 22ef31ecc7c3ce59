"""Hostile uploads, made on the spot (no binary fixtures): PDFs that are slow to read, image bombs,
a PDF carrying JavaScript. Used by the upload tests and by bench/uploads.py."""
from __future__ import annotations

import io
import random
import zlib

from PIL import Image, ImageDraw


def raw_pdf(contents: list[bytes], catalog_extra: bytes = b"", extra_objects: tuple[bytes, ...] = ()) -> bytes:
    """A minimal PDF written by hand: one A4 page per content stream (Flate-compressed), Helvetica as
    /F1; `catalog_extra` goes into the catalog dictionary, `extra_objects` are numbered from 3 + 2 × pages."""
    pages = len(contents)
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages))
               + b"] /Count %d >>" % pages,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        packed = zlib.compress(content, 9)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
    objects.extend(extra_objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def text_heavy_pdf(pages: int = 12, operators: int = 999_000) -> bytes:
    """Pages of nothing but text-showing operators, each page just under pypdf's 2 million token
    budget per content stream: about 9 KB a page, and tens of seconds of pypdf's text extraction
    each (the seal check reads the last 12 pages for an evidence page). 12 pages: about 110 KB."""
    content = b"BT /F1 6 Tf 20 700 Td\n" + b"(a)Tj\n" * operators + b"ET\n"
    return raw_pdf([content] * pages)


def speckled_tiff(frames: int, size: tuple[int, int], specks: int = 4000, mode: str = "L") -> bytes:
    """A multi-page TIFF (grey, or `mode`), Deflate-compressed: white pages with black specks, so a
    file of a few hundred KB decodes to frames × width × height pixels (× 3 bytes in RGB)."""
    pages = []
    for index in range(frames):
        page = Image.new(mode, size, "white")
        draw = ImageDraw.Draw(page)
        rnd = random.Random(index)
        for _ in range(specks):
            x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
            draw.rectangle((x, y, x + 8, y + 8), fill=0)
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_deflate")
    return out.getvalue()


def tiff_bomb() -> bytes:
    """The finding's shape: 4 frames of 7000 × 8500 (60 megapixels each, under the old per-page
    limit): about 0.75 MB that took 1.26 GB to read before."""
    return speckled_tiff(4, (7000, 8500))


def tiff_at_the_limits() -> bytes:
    """5 frames of 5800 × 6000 (34.8 megapixels each, just under A4 at 600 dpi; 174 megapixels in
    all, just under 20 A4 pages at 300 dpi): accepted, decoded one frame at a time."""
    return speckled_tiff(5, (5800, 5999))


JAVASCRIPT = b"app.alert('Asysta: skrypt z wgranego pliku');"


def pdf_with_javascript(page_text: str = "Skan z osadzonym skryptem") -> bytes:
    """A one-page PDF that runs JavaScript on opening (OpenAction, the Names tree, a page action)
    and carries an embedded file: what must never come back to a browser as a PDF."""
    content = b"BT /F1 24 Tf 72 700 Td (" + page_text.encode("latin-1") + b") Tj ET\n"
    # objects 6.. after catalog, pages, font, page (4) and its content (5)
    action = b"<< /Type /Action /S /JavaScript /JS (" + JAVASCRIPT + b") >>"
    embedded = b"<< /Type /EmbeddedFile /Length 11 >>\nstream\nhello world\nendstream"
    filespec = b"<< /Type /Filespec /F (x.txt) /EF << /F 7 0 R >> >>"
    catalog = (b"/OpenAction 6 0 R /Names << /JavaScript << /Names [(a) 6 0 R] >> "
               b"/EmbeddedFiles << /Names [(x.txt) 8 0 R] >> >> /AA << /WC 6 0 R >>")
    return raw_pdf([content], catalog, (action, embedded, filespec))


# Dictionary keys and action types that make a PDF do something when opened or clicked
ACTIVE = frozenset({"/JavaScript", "/JS", "/OpenAction", "/AA", "/EmbeddedFile", "/EmbeddedFiles", "/Launch",
                    "/SubmitForm", "/ImportData", "/RichMedia", "/GoToR", "/GoToE", "/URI"})


def active_content(pdf: bytes) -> set[str]:
    """Every key or action type of ACTIVE found in the objects reachable from the PDF's trailer
    (object streams included, as pypdf resolves them)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(io.BytesIO(pdf), strict=False)
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too: their dictionary
            found |= {str(key) for key in item if key in ACTIVE}
            kind = item.get("/S")
            if isinstance(kind, NameObject) and kind in ACTIVE:
                found.add(str(kind))
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found
