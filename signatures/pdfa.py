"""The PDF/A-2b checks that can be made without veraPDF: identification, output intent, fonts, glyphs, metadata."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from lxml import etree
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from .pdfglyphs import glyph_problems

__all__ = ["PdfaReport", "pdfa_report"]

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
# never resolve entities or fetch anything: the XMP comes from an untrusted file
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class PdfaReport:
    """What could be checked of PDF/A-2b conformance (a subset of what veraPDF checks)."""

    part: int | None = None
    conformance: str | None = None
    has_output_intent: bool = False
    unembedded_fonts: list[str] = field(default_factory=list)
    producer_consistent: bool = True
    # other Info entries that disagree with the XMP (ISO 19005-2, 6.6.2.3.1)
    metadata_mismatches: list[str] = field(default_factory=list)
    # unreadable, encrypted, wrong version: things that make the rest meaningless or invalid
    structural_problems: list[str] = field(default_factory=list)
    # .notdef or glyphs missing from the embedded fonts (ISO 19005-2, 6.2.11.4.1 and 6.2.11.8)
    glyph_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.part == 2
            and self.conformance in ("B", "b")
            and self.has_output_intent
            and not self.unembedded_fonts
            and self.producer_consistent
            and not self.metadata_mismatches
            and not self.structural_problems
            and not self.glyph_problems
        )

    @property
    def problems(self) -> list[str]:
        out = list(self.structural_problems)
        if self.part != 2 or self.conformance not in ("B", "b"):
            out.append(
                "Metadane XMP nie deklarują PDF/A-2b "
                f"(pdfaid:part={self.part}, pdfaid:conformance={self.conformance})."
            )
        if not self.has_output_intent:
            out.append("Brak OutputIntent GTS_PDFA1 z profilem ICC.")
        if self.unembedded_fonts:
            out.append("Czcionki nieosadzone: " + ", ".join(self.unembedded_fonts) + ".")
        if not self.producer_consistent:
            out.append("Info /Producer różni się od pdf:Producer w XMP.")
        out += [f"Info {key} różni się od XMP." for key in self.metadata_mismatches]
        return out + self.glyph_problems


def pdfa_report(pdf: bytes) -> PdfaReport:
    """Check a PDF for the PDF/A-2b requirements listed in PdfaReport; never raises for bad input."""
    report = PdfaReport()
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        if reader.is_encrypted:
            report.structural_problems.append("Plik jest zaszyfrowany (PDF/A tego zabrania).")
            return report
        catalog = reader.trailer["/Root"].get_object()
        _check_versions(pdf, catalog, report)
        xmp = _load_xmp(catalog)
        if xmp is None:
            report.structural_problems.append("Brak metadanych XMP w katalogu dokumentu.")
        else:
            report.part, report.conformance = _pdfa_id(xmp)
        report.has_output_intent = _has_output_intent(catalog)
        report.unembedded_fonts = _unembedded_fonts(reader)
        report.glyph_problems = glyph_problems(reader)
        info = reader.trailer.get("/Info")
        info = info.get_object() if info is not None else None
        if isinstance(info, DictionaryObject) and xmp is not None:
            _compare_info_xmp(info, xmp, report)
    except Exception as exc:  # pypdf/lxml raise many types for broken files
        report.structural_problems.append(f"Nie można odczytać pliku PDF: {exc}")
    return report


def _check_versions(pdf: bytes, catalog: DictionaryObject, report: PdfaReport) -> None:
    # PDF/A-2 (6.1.2) wants a %PDF-1.0 … %PDF-1.7 header at byte 0; a catalog /Version of 2.0
    # would declare ISO 32000-2, which PDF/A-2 is not based on
    if not re.match(rb"%PDF-1\.[0-7]\r?\n|%PDF-1\.[0-7]\r", pdf[:10]):
        report.structural_problems.append("Nagłówek pliku nie jest %PDF-1.0 … %PDF-1.7 od bajtu 0.")
    version = str(catalog.get("/Version", "")).lstrip("/")
    if version and not re.fullmatch(r"1\.[0-7]", version):
        report.structural_problems.append(f"Katalog deklaruje wersję PDF {version} (PDF/A-2 to 1.x).")


def _load_xmp(catalog: DictionaryObject):
    meta = catalog.get("/Metadata")
    meta = meta.get_object() if meta is not None else None
    if not isinstance(meta, StreamObject):
        return None
    return etree.fromstring(meta.get_data(), _XML_PARSER)


def _xmp_values(xmp, prefix: str, name: str) -> list[str]:
    """All values of a property, whether written as an element, an attribute or an rdf list."""
    tag = f"{{{_NS[prefix]}}}{name}"
    values: list[str] = []
    for desc in xmp.iter(f"{{{_NS['rdf']}}}Description"):
        if tag in desc.attrib:
            values.append(desc.attrib[tag])
        for elem in desc.iter(tag):
            items = elem.findall(".//rdf:li", _NS)
            default = [li for li in items if li.get(_XML_LANG) == "x-default"]
            if default:  # rdf:Alt: the x-default entry is what Info must match
                values.append((default[0].text or "").strip())
            elif items:
                values.append(", ".join((li.text or "").strip() for li in items))
            else:
                values.append((elem.text or "").strip())
    return values


def _first(xmp, prefix: str, name: str) -> str | None:
    values = _xmp_values(xmp, prefix, name)
    return values[0] if values else None


def _pdfa_id(xmp) -> tuple[int | None, str | None]:
    part = _first(xmp, "pdfaid", "part")
    return (int(part) if part and part.isdigit() else None), _first(xmp, "pdfaid", "conformance")


def _has_output_intent(catalog: DictionaryObject) -> bool:
    intents = catalog.get("/OutputIntents")
    intents = intents.get_object() if intents is not None else None
    if not isinstance(intents, ArrayObject):
        return False
    for intent in intents:
        intent = intent.get_object()
        if intent.get("/S") == "/GTS_PDFA1" and intent.get("/DestOutputProfile") is not None:
            return True
    return False


def _unembedded_fonts(reader: PdfReader) -> list[str]:
    """Fonts without an embedded program reachable from pages, forms, patterns, Type3 glyphs, appearances."""
    missing: dict[str, None] = {}  # ordered set
    seen: set[int] = set()
    keep: list = []  # holding the objects keeps their id() from being reused

    def once(obj) -> bool:
        """True the first time obj is met: resources are shared and may even form cycles."""
        if id(obj) in seen:
            return False
        seen.add(id(obj))
        keep.append(obj)
        return True

    def walk_resources(res) -> None:
        res = res.get_object() if res is not None else None
        if not isinstance(res, DictionaryObject) or not once(res):
            return
        fonts = res.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        if isinstance(fonts, DictionaryObject):
            for font in fonts.values():
                check_font(font.get_object())
        for category in ("/XObject", "/Pattern"):
            entries = res.get(category)
            entries = entries.get_object() if entries is not None else None
            if isinstance(entries, DictionaryObject):
                for child in entries.values():
                    child = child.get_object()
                    if isinstance(child, DictionaryObject) and once(child):
                        walk_resources(child.get("/Resources"))

    def check_font(font) -> None:
        if not isinstance(font, DictionaryObject) or not once(font):
            return
        subtype = font.get("/Subtype")
        if subtype == "/Type3":  # glyphs are content streams; their own resources may use fonts
            walk_resources(font.get("/Resources"))
            return
        if subtype == "/Type0":
            for descendant in font.get("/DescendantFonts", ArrayObject()).get_object():
                check_font(descendant.get_object())
            return
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else None
        if not isinstance(descriptor, DictionaryObject) or not any(k in descriptor for k in _FONT_FILES):
            missing[str(font.get("/BaseFont", "(bez nazwy)")).lstrip("/")] = None

    for page in reader.pages:
        walk_resources(page.get("/Resources"))
        for annot in page.get("/Annots", ArrayObject()).get_object() or ():
            annot = annot.get_object()
            appearance = annot.get("/AP") if isinstance(annot, DictionaryObject) else None
            appearance = appearance.get_object() if appearance is not None else None
            if isinstance(appearance, DictionaryObject):
                for stream in _appearance_streams(appearance):
                    walk_resources(stream.get("/Resources"))
    return list(missing)


def _appearance_streams(appearance: DictionaryObject):
    """Yield every stream of an /AP dictionary (N/R/D, each a stream or a state dictionary)."""
    for entry in appearance.values():
        entry = entry.get_object()
        if isinstance(entry, StreamObject):
            yield entry
        elif isinstance(entry, DictionaryObject):
            yield from (s.get_object() for s in entry.values() if isinstance(s.get_object(), StreamObject))


def _compare_info_xmp(info: DictionaryObject, xmp, report: PdfaReport) -> None:
    texts = {"/Title": ("dc", "title"), "/Author": ("dc", "creator"), "/Subject": ("dc", "description"),
             "/Creator": ("xmp", "CreatorTool"), "/Keywords": ("pdf", "Keywords")}
    dates = {"/CreationDate": ("xmp", "CreateDate"), "/ModDate": ("xmp", "ModifyDate")}
    producer = info.get("/Producer")
    if producer is not None:
        xmp_producer = _first(xmp, "pdf", "Producer")
        report.producer_consistent = xmp_producer is None or str(producer) == xmp_producer
    for key, (prefix, name) in texts.items():
        if key in info and str(info[key]) != (_first(xmp, prefix, name) or ""):
            report.metadata_mismatches.append(key)
    for key, (prefix, name) in dates.items():
        if key in info and _pdf_date(str(info[key])) != _iso_date(_first(xmp, prefix, name)):
            report.metadata_mismatches.append(key)


def _pdf_date(text: str) -> dt.datetime | None:
    """Parse a PDF date (D:YYYYMMDDHHmmSSOHH'mm'), tolerating LibreOffice's trailing "Z'"."""
    m = re.match(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?([Z+-])?(\d\d)?'?(\d\d)?", text)
    if not m:
        return None
    y, mo, d, h, mi, s, sign, oh, om = m.groups()
    tz = dt.timezone.utc
    if sign in ("+", "-"):
        offset = dt.timedelta(hours=int(oh or 0), minutes=int(om or 0))
        tz = dt.timezone(offset if sign == "+" else -offset)
    # PDF dates without a zone are unknown-local; treating them as UTC matches the XMP writers here
    return dt.datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tz)


def _iso_date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    value = value.replace(microsecond=0)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
