"""The evidence page of a signed document ('Karta dowodowa podpisów'): writing it, and reading it back."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from reportlab import rl_config
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .multiscript import ScriptText
from .pdftags import Tags
from .scriptfont import ScriptFont, register_font

__all__ = ["METHODS", "Evidence", "EvidenceEvent", "EvidenceSigner", "EvidenceStaff", "ReadEvidence", "ReadSigner", "evidence_pdf",
           "read_evidence", "register_fonts"]

METHODS = {"tablet_here": "podpis odręczny na tablecie w obecności pracownika (to urządzenie)",
           "tablet_remote": "podpis odręczny na tablecie (inne urządzenie, link jednorazowy)",
           "staff_password": "potwierdzenie hasłem pracownika",
           "paper_scan": "podpis odręczny na papierze, skan dołączony"}

WARSAW = ZoneInfo("Europe/Warsaw")
TITLE = "Karta dowodowa podpisów"
NOT_APPLICABLE = "nie dotyczy"
FONT = "AsystaSerif"  # our own names: nobody else's registration of "LiberationSerif" can clash
# users' text in any script: what Liberation Serif lacks comes from these families, then from any
# installed font that has it (signatures.multiscript)
FALLBACK = ("Liberation Serif", "DejaVu Serif", "DejaVu Sans")
_FONT_FILES = {
    FONT: ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"),
    f"{FONT}-Bold": ("LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    f"{FONT}-Italic": ("LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"),
    f"{FONT}-BoldItalic": ("LiberationSerif-BoldItalic.ttf", "DejaVuSerif-BoldItalic.ttf"),
}
_FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"),
              Path("/usr/share/fonts/truetype/dejavu"))
MARGIN = 2.2 * cm
LABEL_WIDTH = 5.2 * cm
EVENT_TIME_WIDTH = 4.7 * cm  # "28 października 2026, 14:17:05" at 9.5 pt (4.25 cm) and the padding
FOOTER_Y = 1.2 * cm
FOOTER_ZONE = 1.7 * cm  # text with its baseline lower than this is the footer; the frame ends at 2 cm
_MAX_EVIDENCE_PAGES = 12  # more would not be an evidence page of ours
_font_lock = threading.Lock()
_fonts_ready = False

# Labels: the reader finds fields by them, so they are fixed strings
L_DOCUMENT, L_DOCUMENT_ID, L_CASE = "Dokument", "Identyfikator dokumentu", "Znak sprawy"
L_SHOWN = "Skrót SHA-256 dokumentu okazanego podpisującym"
L_SCAN = "Skrót SHA-256 pliku skanu"
L_CHECK = "Sprawdzenie skanu"
L_REPLACES, L_REASON = "Zastępuje wersję podpisaną", "Powód zastąpienia"
L_CREATED = "Data sporządzenia karty"
L_NAME, L_ROLE, L_METHOD, L_TIME = "Imię i nazwisko", "Rola", "Sposób złożenia podpisu", "Data i godzina"
L_IP, L_AGENT = "Adres IP", "Urządzenie i przeglądarka"
L_IMAGE, L_STROKES = "Skrót SHA-256 obrazu podpisu", "Skrót SHA-256 danych przebiegu podpisu"

# Labels too long for their column, broken by hand (plain cell strings do not wrap)
_LABELS = {L_SHOWN: "Skrót SHA-256 dokumentu\nokazanego podpisującym", L_REPLACES: "Zastępuje wersję\npodpisaną",
           L_STROKES: "Skrót SHA-256 danych\nprzebiegu podpisu"}
_KNOWN_LABELS = (L_DOCUMENT, L_DOCUMENT_ID, L_CASE, L_SHOWN, L_SCAN, L_CHECK, L_REPLACES, L_REASON, L_CREATED, L_NAME, L_ROLE, L_METHOD,
                 L_TIME, L_IP, L_AGENT, L_IMAGE, L_STROKES)

_TABLET = ("Podpisy odręczne wymienionych osób złożono na ekranie urządzenia (tabletu) i zapisano w postaci "
           "obrazu wraz z danymi przebiegu kreślenia podpisu")
_STAFF = "podpisy pracowników potwierdzono hasłem w systemie"
_SEALED = ("Nie są to kwalifikowane podpisy elektroniczne w rozumieniu rozporządzenia eIDAS. Integralność "
           "i pochodzenie dokumentu wraz z niniejszą kartą potwierdza pieczęć elektroniczna "
           "ośrodka złożona po ostatnim podpisie; każda zmiana dokumentu po jej złożeniu jest wykrywalna.")
_PAPER = ("Dokument podpisano odręcznie na papierze; oryginał papierowy przechowuje ośrodek, a niniejszy plik "
          "zawiera jego skan. Przy podpisach na papierze data i godzina, adres IP i urządzenie dotyczą "
          "dołączenia skanu przez pracownika, nie samego podpisania. Skrót SHA-256 pliku skanu pozwala "
          "sprawdzić, że skan jest tym plikiem, który wgrano. Integralność i pochodzenie skanu wraz "
          "z niniejszą kartą potwierdza pieczęć elektroniczna ośrodka; każda zmiana pliku "
          "po jej złożeniu jest wykrywalna.")
_REPLACING = ("Ta wersja zastępuje wcześniejszą podpisaną wersję dokumentu wskazaną wyżej, z podanego powodu; "
              "wcześniejsza wersja pozostaje w archiwum bez zmian, oznaczona jako zastąpiona.")


# control characters draw nothing: a space in their place keeps the words around them apart
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# lone surrogates (JSON can carry them) cannot be written as UTF-8 or UTF-16: shown as U+FFFD
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: str) -> str:
    """User text as the page draws it: control characters as spaces, lone surrogates as U+FFFD."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", str(value)))


def register_fonts() -> str:
    """Registers Liberation Serif (regular, bold, italic) with reportlab once per process; returns the regular name."""
    global _fonts_ready
    if _fonts_ready:
        return FONT
    with _font_lock:
        if not _fonts_ready:
            for name, candidates in _FONT_FILES.items():
                if name == FONT:  # by path too: the fallback reuses it rather than embedding it twice
                    register_font(name, _font_path(candidates))
                else:
                    pdfmetrics.registerFont(ScriptFont(name, _font_path(candidates)))
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Italic",
                                          boldItalic=f"{FONT}-BoldItalic")
            # reportlab wraps every stream in ASCII85 by default: a quarter bigger and slower to
            # write, of no use in a binary file (no other code here uses reportlab)
            rl_config.useA85 = 0
            _fonts_ready = True
    return FONT


def _font_path(candidates: tuple[str, ...]) -> Path:
    for file in candidates:
        for folder in _FONT_DIRS:
            if (folder / file).is_file():
                return folder / file
    raise RuntimeError(f"None of the fonts {', '.join(candidates)} is installed (apt: fonts-liberation2).")


@dataclass(frozen=True)
class EvidenceSigner:
    """One signature as the evidence page records it."""

    name: str
    role: str
    method: str  # key of METHODS
    signed_at: dt.datetime  # timezone-aware
    ip: str = ""
    user_agent: str = ""
    image_sha256: str | None = None
    strokes_sha256: str | None = None
    language: str = ""  # the signing page's language in Polish („ukraiński”); "" when not recorded


@dataclass(frozen=True)
class EvidenceStaff:
    """A staff member named on the page for what they did: e.g. ("Rozpoczęcie podpisywania",
    "Katarzyna Zielińska", "asystent rodziny")."""

    what: str
    name: str
    role: str


@dataclass(frozen=True)
class EvidenceEvent:
    """One event of the signing, as the page lists it: when (timezone-aware) and what, in Polish."""

    at: dt.datetime
    text: str
    minor: bool = False  # a refusal that may be left out of a very long list (signatures never are)


@dataclass(frozen=True)
class Evidence:
    """Everything the evidence page states about a signed document."""

    title: str
    document_id: str
    case_sign: str
    office_name: str
    shown_pdf_sha256: str  # SHA-256 of the PDF exactly as shown to the signers
    signers: tuple[EvidenceSigner, ...]
    created_at: dt.datetime
    scan_sha256: str | None = None  # paper path: SHA-256 of the uploaded scan file
    scan_check: str | None = None  # paper path: what the check of the signature places found, in Polish
    replaces: str | None = None  # the signed version this one replaces, described in Polish
    replace_reason: str | None = None  # why, as the staff member gave it
    staff: tuple[EvidenceStaff, ...] = ()  # who started the session, handed over the device, attached the scan
    events: tuple[EvidenceEvent, ...] = ()  # the session's events before the seal, in order


@dataclass(frozen=True)
class ReadSigner:
    """A signer as read back from an evidence page (method and time as printed)."""

    name: str
    role: str
    method: str
    signed_at: str
    image_sha256: str | None


@dataclass(frozen=True)
class ReadEvidence:
    """What read_evidence finds on an evidence page."""

    document_id: str
    case_sign: str
    shown_pdf_sha256: str
    signers: tuple[ReadSigner, ...]
    replaces: str | None = None
    replace_reason: str | None = None


# ---------------------------------------------------------------------------------------------
# Writing


def statement(evidence: Evidence) -> str:
    """What the signatures are and what they are not, in Polish, for the methods actually used."""
    methods = {signer.method for signer in evidence.signers}
    replacing = f" {_REPLACING}" if evidence.replaces else ""
    if evidence.scan_sha256 or "paper_scan" in methods:
        return _PAPER + replacing
    tablet = bool(methods & {"tablet_here", "tablet_remote"})
    staff = "staff_password" in methods
    if tablet and staff:
        first = f"{_TABLET}; {_STAFF}."
    elif tablet:
        first = f"{_TABLET}."
    elif staff:
        first = f"{_STAFF[0].upper()}{_STAFF[1:]}."
    else:
        first = ""
    return f"{first} {_SEALED}{replacing}".strip()


def format_moment(moment: dt.datetime) -> str:
    """'24 listopada 2026 r., godz. 10:15:07 (UTC 2026-11-24T09:15:07Z)': Warsaw time, then UTC."""
    if moment.tzinfo is None:
        raise ValueError("signing times must be timezone-aware")
    local = moment.astimezone(WARSAW)
    utc = moment.astimezone(dt.timezone.utc).replace(microsecond=0)
    day = format_date(local.date(), "d MMMM y", locale="pl")  # genitive month: "24 listopada 2026"
    return f"{day} r., godz. {local:%H:%M:%S} (UTC {utc:%Y-%m-%dT%H:%M:%S}Z)"


def format_event_time(moment: dt.datetime) -> str:
    """'2 marca 2026, 14:17:05': an event's time in Warsaw, as Polish dates are written.

    In the hour the clocks go back (the last Sunday of October, 02:00–02:59 twice) the wall time
    alone names two moments, and events would seem out of order: there the UTC offset follows on
    a line of its own (the time column is narrow): '25 października 2026, 02:30:00\n(UTC+2)', then
    '… 02:10:00\n(UTC+1)'. Raises ValueError for a naive datetime."""
    if moment.tzinfo is None:
        raise ValueError("event times must be timezone-aware")
    text = format_datetime(moment, "d MMMM y, HH:mm:ss", tzinfo=WARSAW, locale="pl")
    local = moment.astimezone(WARSAW)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():  # a repeated wall time
        text += f"\n(UTC+{int(local.utcoffset().total_seconds() // 3600)})"
    return text


MAX_EVENTS = 60  # more (a child tapping the pad all afternoon) would outgrow the page: the middle is left out


def _event_rows(events: tuple[EvidenceEvent, ...]) -> list[tuple[str, str]]:
    """(time, what) per event. Past MAX_EVENTS, minor events (refusals: a child tapping the pad all
    afternoon) are left out from the middle of their run, each gap with a row saying how many; every
    other event (opened, signed, cancelled) stays, wherever it falls. Only if those alone are too
    many are the first and last halves kept. The full trail stays in the service's records."""
    if len(events) <= MAX_EVENTS:
        return [(format_event_time(event.at), event.text) for event in events]
    major = [i for i, event in enumerate(events) if not event.minor]
    minor = [i for i, event in enumerate(events) if event.minor]
    budget = max(0, MAX_EVENTS - len(major))
    kept = set(major) | set(minor[:budget // 2]) | set(minor[len(minor) - (budget - budget // 2):])
    if len(kept) > MAX_EVENTS:  # too many of the events that matter: the first and last halves
        half = MAX_EVENTS // 2
        kept = set(range(half)) | set(range(len(events) - half, len(events)))
    rows: list[tuple[str, str]] = []
    skipped = 0
    for index, event in enumerate(events):
        if index not in kept:
            skipped += 1
            continue
        if skipped:
            rows.append(("…", f"pominięto zdarzeń: {skipped} (pełny zapis w systemie ośrodka)"))
            skipped = 0
        rows.append((format_event_time(event.at), event.text))
    if skipped:
        rows.append(("…", f"pominięto zdarzeń: {skipped} (pełny zapis w systemie ośrodka)"))
    return rows


def _hash_text(digest: str | None) -> str:
    """A SHA-256 as two lines of two groups of 16: it fits the column and stays readable."""
    if not digest:
        return NOT_APPLICABLE
    groups = [digest.strip().lower()[i:i + 16] for i in range(0, len(digest.strip()), 16)]
    return "\n".join(" ".join(groups[i:i + 2]) for i in range(0, len(groups), 2))


def user_text(text: str, size: float = 10, leading: float = 12.5, space_after: float = 0) -> ScriptText:
    """Text from users, in any script (fallback fonts, bidi, shaping), wrapping at spaces only."""
    flowable = ScriptText(_text(text), pdfmetrics.getFont(FONT), FALLBACK, size, leading)
    flowable.spaceAfter = space_after
    return flowable


class _Styles:
    """The paragraph and table styles, built once (after the fonts are registered)."""

    def __init__(self) -> None:
        base = dict(fontName=FONT, fontSize=10, leading=12.5)
        self.title = ParagraphStyle("title", **{**base, "fontName": f"{FONT}-Bold", "fontSize": 16,
                                                "leading": 20, "spaceAfter": 4})
        self.heading = ParagraphStyle("heading", **{**base, "fontName": f"{FONT}-Bold", "fontSize": 12,
                                                    "leading": 15, "spaceBefore": 10, "spaceAfter": 4})
        self.label = ParagraphStyle("label", **{**base, "fontName": f"{FONT}-Bold"})  # a label that may wrap
        self.statement = ParagraphStyle("statement", **{**base, "alignment": TA_JUSTIFY, "spaceBefore": 2})
        cells = [
            ("FONT", (0, 0), (-1, -1), FONT, 10, 12.5),  # every cell: no fall-back to Helvetica
            ("FONT", (0, 0), (0, -1), f"{FONT}-Bold", 10, 12.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.4, (0.55, 0.55, 0.55)),
            ("BACKGROUND", (0, 0), (0, -1), (0.94, 0.94, 0.94)),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]
        self.table = TableStyle(cells)
        # the events: times in the regular face (no bold, so the reader never takes one for a label)
        self.events = TableStyle([
            ("FONT", (0, 0), (-1, -1), FONT, 9.5, 12), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, (0.75, 0.75, 0.75)),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ])
        # a signer's table starts with a heading row across both columns, repeated after a page break
        self.signer_table = TableStyle(cells + [
            ("SPAN", (0, 0), (1, 0)), ("FONT", (0, 0), (1, 0), f"{FONT}-Bold", 10.5, 12.5),
            ("BACKGROUND", (0, 0), (1, 0), (0.86, 0.86, 0.86)),
        ])


_styles: _Styles | None = None


def _table(rows: list[tuple[str | Paragraph, str | ScriptText]], styles: _Styles, heading: str | None = None) -> Table:
    """Labels left, values right. Fixed texts are plain cell strings (no markup parsing, no wrapping to
    compute: the page takes half the time); whatever may be long or comes from users is a Paragraph."""
    width = A4[0] - 2 * MARGIN
    cells: list[list] = [[_LABELS.get(label, label) if isinstance(label, str) else label, value]
                         for label, value in rows]
    style = styles.table
    if heading is not None:
        cells.insert(0, [heading, ""])
        style = styles.signer_table
    return Table(cells, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH], style=style, hAlign="LEFT",
                 repeatRows=1 if heading is not None else 0)


def _footer(canvas, doc) -> None:
    # Below the frame: the reader skips text this low, so the footer never joins a field's value.
    # The regular face: a third font (italic) would cost a tenth of the page's time.
    canvas.saveState()
    Tags.begin_artifact(canvas)  # page furniture, not the text (ISO 32000-1 14.8.2.2)
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(A4[0] / 2, FOOTER_Y, f"{TITLE} – strona {doc.page}")
    Tags.end(canvas)
    canvas.restoreState()


def evidence_pdf(evidence: Evidence) -> bytes:
    """The 'Karta dowodowa podpisów' as a PDF (A4, one page or more), in Polish, tagged (/Lang pl-PL,
    headings, tables, paragraphs; the footer an artifact: signatures.pdftags)."""
    global _styles
    register_fonts()
    if _styles is None:
        _styles = _Styles()
    styles = _styles
    for signer in evidence.signers:
        if signer.method not in METHODS:
            raise ValueError(f"unknown signing method {signer.method!r}")

    def para(text: str) -> ScriptText:  # user text: any script, and it may wrap
        return user_text(text)

    document = [(L_DOCUMENT, para(evidence.title)), (L_DOCUMENT_ID, para(evidence.document_id)),
                (L_CASE, para(evidence.case_sign)), (L_SHOWN, _hash_text(evidence.shown_pdf_sha256))]
    if evidence.scan_sha256:
        document.append((L_SCAN, _hash_text(evidence.scan_sha256)))
    if evidence.scan_check:
        document.append((L_CHECK, para(evidence.scan_check)))
    if evidence.replaces:
        document += [(L_REPLACES, para(evidence.replaces)), (L_REASON, para(evidence.replace_reason or ""))]
    document.append((L_CREATED, format_moment(evidence.created_at)))
    # who acted for the office, by name and role (never only a login): rows of the same table, so
    # they are read in its order
    document += [(Paragraph(escape(person.what), styles.label),
                  para(f"{person.name}, {person.role}" if person.role else person.name)) for person in evidence.staff]
    story = [Paragraph(TITLE, styles.title), user_text(evidence.office_name, 11, 14, 10),
             _table(document, styles), Paragraph("Podpisujący", styles.heading)]
    for number, signer in enumerate(evidence.signers, 1):
        rows = [(L_NAME, para(signer.name)), (L_ROLE, para(signer.role)),
                (L_METHOD, METHODS[signer.method]), (L_TIME, format_moment(signer.signed_at)),
                *([("Język strony podpisu", signer.language)] if signer.language else []),
                (L_IP, para(signer.ip) if signer.ip else NOT_APPLICABLE),
                (L_AGENT, para(signer.user_agent) if signer.user_agent else NOT_APPLICABLE),
                (L_IMAGE, _hash_text(signer.image_sha256)), (L_STROKES, _hash_text(signer.strokes_sha256))]
        story += [Spacer(1, 6), _table(rows, styles, heading=f"Podpisujący nr {number}")]
    if evidence.events:  # one row per event, time then what: read row by row, top to bottom
        story += [Paragraph("Przebieg podpisywania (czas polski)", styles.heading),
                  Table([[when, user_text(what, 9.5, 12)] for when, what in _event_rows(evidence.events)],
                        colWidths=[EVENT_TIME_WIDTH, A4[0] - 2 * MARGIN - EVENT_TIME_WIDTH],
                        style=styles.events, hAlign="LEFT")]
    story += [Paragraph("Charakter podpisów", styles.heading),
              Paragraph(escape(statement(evidence)), styles.statement)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=TITLE, author=_text(evidence.office_name), lang="pl-PL",
                            initialFontName=FONT, initialFontSize=10)
    tags = Tags()
    doc.build(_tag_story(story, styles, tags), onFirstPage=_footer, onLaterPages=_footer)
    return tags.apply(out.getvalue(), lang="pl-PL", title=TITLE)


def _tag_story(story: list, styles: _Styles, tags: Tags) -> list:
    """The story with each flowable the content of a structure element (signatures.pdftags): the
    title /H1, headings /H2, tables /Table, other text /P; spacers draw nothing and stay as they are."""
    roles = {id(styles.title): "H1", id(styles.heading): "H2"}
    tagged = []
    for flowable in story:
        if isinstance(flowable, Table):
            tagged.append(tags.table(flowable))
        elif isinstance(flowable, Paragraph):
            tagged.append(tags.wrap(flowable, roles.get(id(flowable.style), "P")))
        elif isinstance(flowable, ScriptText):
            tagged.append(tags.wrap(flowable, "P"))
        else:
            tagged.append(flowable)
    return tagged


# ---------------------------------------------------------------------------------------------
# Reading


def _font_kind(font) -> str:
    name = ""
    try:
        name = str(font.get("/BaseFont", "")) if font is not None else ""
    except Exception:  # an odd font dictionary: read its text as plain
        pass
    if "Italic" in name or "Oblique" in name:
        return "italic"
    return "bold" if "Bold" in name else "regular"


def _actual_text(operands) -> str | None:
    """The ActualText of a BDC operator's property list, if it has one (ISO 32000-1, 14.9.4)."""
    from pypdf.generic import create_string_object

    try:
        properties = operands[1].get_object() if len(operands) > 1 else None
        value = properties.get("/ActualText") if hasattr(properties, "get") else None
        if isinstance(value, bytes):  # a hexadecimal string: pypdf leaves it undecoded
            value = create_string_object(bytes(value))  # UTF-16BE after its byte order mark, else PDFDocEncoding
    except Exception:  # a named property list we cannot resolve, an undecodable string: no ActualText
        return None
    return str(value) if isinstance(value, str) else None


def _fragments(page) -> list[tuple[str, str]]:
    """The text of a page in drawing order, as (bold/regular/italic, text) pieces; the footer left out.

    Values drawn inside marked content with an ActualText (signatures.multiscript, since issue 7)
    come as that text, whole: logical order however the glyphs were placed, one piece however the
    value wrapped. Pages written before have no such marks and read from their glyphs, as they did.
    """
    pieces: list[tuple[str, str]] = []
    marks: list[str | None] = []  # open marked-content sequences: the ActualText of each, if any

    def visit(text, cm_matrix, tm_matrix, font, size) -> None:
        if not text or any(mark is not None for mark in marks):  # glyphs of a value read as its ActualText
            return
        baseline = tm_matrix[4] * cm_matrix[1] + tm_matrix[5] * cm_matrix[3] + cm_matrix[5]
        if baseline >= FOOTER_ZONE:
            pieces.append((_font_kind(font), text))

    def operator(op, operands, cm_matrix, tm_matrix) -> None:
        # pypdf hands over the text of a value at its ET, before the EMC that closes its mark
        if op in (b"BDC", b"BMC"):
            outer = any(mark is not None for mark in marks)
            actual = _actual_text(operands) if op == b"BDC" and not outer else None
            marks.append(actual)
            if actual is not None:
                pieces.append(("regular", f" {actual} "))
        elif op == b"EMC" and marks:
            marks.pop()
    page.extract_text(visitor_text=visit, visitor_operand_before=operator)
    return pieces


# what a PDF's text may hold but no report should print: C0 and C1 controls (NUL from a .notdef
# mapped to U+0000, terminal escapes from a crafted file)
_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _squash(text: str) -> str:
    """Runs of white space as one space, control characters as U+FFFD."""
    return " ".join(_UNPRINTABLE.sub("\ufffd", text).split())


def _fields(fragments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, value) pairs: bold text starts a field, regular text is its value, italic is skipped.

    A label broken over two lines comes as two bold pieces: they are joined while they still
    spell the start of a known label. User text is never bold, so it can never pose as a label.
    """
    fields: list[tuple[str, str]] = []
    label: str | None = None
    value: list[str] = []
    for kind, text in fragments:
        if kind == "italic":
            continue
        if kind != "bold" or not text.strip():  # a line break reported in the label's font is no label
            value.append(text)
            continue
        text = _squash(text)
        if label is not None and not "".join(value).strip():
            joined = f"{label} {text}"
            if any(known.startswith(joined) for known in _KNOWN_LABELS):
                label = joined
                continue
        if label is not None:
            fields.append((label, _squash("".join(value))))
        label, value = text, []
    if label is not None:
        fields.append((label, _squash("".join(value))))
    return fields


def _digest(text: str) -> str | None:
    if text == NOT_APPLICABLE:
        return None
    return re.sub(r"\s+", "", text)


def read_evidence(pdf: bytes) -> ReadEvidence | None:
    """The signers listed on the evidence page of a signed PDF, or None when it has none."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        pages = list(reader.pages)
        # the evidence follows the document: look back from the end for the page it starts on
        seen: dict[int, list[tuple[str, str]]] = {}
        start = None
        for index in range(len(pages) - 1, max(-1, len(pages) - 1 - _MAX_EVIDENCE_PAGES), -1):
            seen[index] = _fragments(pages[index])
            bold = next((text for kind, text in seen[index] if kind == "bold"), None)
            if bold is not None and _squash(bold) == TITLE:
                start = index
                break
        if start is None:
            return None
        fragments = [piece for index in range(start, len(pages)) for piece in seen[index]]
    except Exception:  # pypdf raises many types for broken files: no readable evidence
        return None
    return _parse(_fields(fragments))


def _parse(fields: list[tuple[str, str]]) -> ReadEvidence | None:
    head: dict[str, str] = {}
    signers: list[dict[str, str]] = []
    for label, value in fields:
        if label == L_NAME:
            signers.append({})
        target = signers[-1] if signers else head
        target.setdefault(label, value)
    try:
        return ReadEvidence(
            document_id=head[L_DOCUMENT_ID], case_sign=head[L_CASE],
            shown_pdf_sha256=_digest(head[L_SHOWN]) or "",
            signers=tuple(ReadSigner(name=s[L_NAME], role=s[L_ROLE], method=s[L_METHOD], signed_at=s[L_TIME],
                                     image_sha256=_digest(s[L_IMAGE])) for s in signers),
            replaces=head.get(L_REPLACES), replace_reason=head.get(L_REASON))
    except KeyError:
        return None
