"""The evidence page: what it says, that it survives hostile text and long lists, and that it reads back."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from signatures.evidence import (
    METHODS, Evidence, EvidenceSigner, ReadSigner, evidence_pdf, format_moment, read_evidence, statement)
from signatures.pdfa import pdfa_report

UTC = dt.timezone.utc
SHOWN = "3f" * 32
UA = ("Mozilla/5.0 (Linux; Android 14; SM-X710 Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Version/4.0 Chrome/131.0.6778.135 Safari/537.36 ")


def signer(n: int, **over) -> EvidenceSigner:
    values = dict(name=f"Osoba Testowa {n}", role="członek rodziny", method="tablet_remote",
                  signed_at=dt.datetime(2026, 11, 24, 9, 15, n % 60, tzinfo=UTC), ip=f"10.0.0.{n}", user_agent=UA,
                  image_sha256=f"{n:02x}" * 32, strokes_sha256=f"{n + 100:02x}" * 32)
    values.update(over)
    return EvidenceSigner(**values)


def make(signers, **over) -> Evidence:
    values = dict(title="Zgoda rodziny na współpracę z asystentem rodziny", document_id="7f3a9c21" * 4,
                  case_sign="MOPS.SPS.4011.12.2026", office_name="Miejski Ośrodek Pomocy Społecznej w Oświęcimiu",
                  shown_pdf_sha256=SHOWN, signers=tuple(signers),
                  created_at=dt.datetime(2026, 11, 24, 9, 20, 5, tzinfo=UTC))
    values.update(over)
    return Evidence(**values)


def text_of(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def expected(s: EvidenceSigner) -> ReadSigner:
    return ReadSigner(name=s.name, role=s.role, method=METHODS[s.method], signed_at=format_moment(s.signed_at),
                      image_sha256=s.image_sha256)


def test_round_trip_with_polish_text():
    signers = [
        signer(1, name="Łucja Żółkiewska-Ćwik", role="matka", method="tablet_here"),
        signer(2, name="Jan Kowalski", role="ojciec", method="tablet_remote", image_sha256=None),
        signer(3, name="Anna Nowak", role="Kierownik ośrodka", method="staff_password", ip="", user_agent="",
               image_sha256=None, strokes_sha256=None),
    ]
    evidence = make(signers)
    read = read_evidence(evidence_pdf(evidence))
    assert read is not None
    assert (read.document_id, read.case_sign, read.shown_pdf_sha256) == (evidence.document_id, evidence.case_sign,
                                                                          SHOWN)
    assert read.signers == tuple(expected(s) for s in signers)


def test_page_content_in_polish():
    evidence = make([signer(1, method="staff_password", ip="", user_agent="", image_sha256=None,
                            strokes_sha256=None), signer(2)])
    text = " ".join(text_of(evidence_pdf(evidence)).split())
    for phrase in ("Karta dowodowa podpisów", "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu", "Dokument",
                   "Identyfikator dokumentu", "Znak sprawy", "Skrót SHA-256 dokumentu okazanego podpisującym",
                   "Data sporządzenia karty", "24 listopada 2026 r., godz. 10:20:05 (UTC 2026-11-24T09:20:05Z)",
                   "Podpisujący nr 1", "Podpisujący nr 2", "Imię i nazwisko", "Sposób złożenia podpisu",
                   "potwierdzenie hasłem pracownika", "Adres IP", "Urządzenie i przeglądarka", "nie dotyczy",
                   "Skrót SHA-256 obrazu podpisu", "Skrót SHA-256 danych przebiegu podpisu",
                   "Nie są to kwalifikowane podpisy elektroniczne w rozumieniu rozporządzenia eIDAS",
                   "pieczęć elektroniczna ośrodka złożona po ostatnim podpisie",
                   "Karta dowodowa podpisów – strona 1"):
        assert phrase in text, phrase
    assert "3f3f3f3f3f3f3f3f 3f3f3f3f3f3f3f3f" in text  # the hash in readable groups
    assert "Skrót SHA-256 pliku skanu" not in text


def test_times_are_warsaw_time_with_utc():
    winter = dt.datetime(2026, 11, 24, 9, 15, 7, tzinfo=UTC)
    summer = dt.datetime(2026, 7, 3, 22, 5, 0, 999, tzinfo=UTC)
    assert format_moment(winter) == "24 listopada 2026 r., godz. 10:15:07 (UTC 2026-11-24T09:15:07Z)"
    assert format_moment(summer) == "4 lipca 2026 r., godz. 00:05:00 (UTC 2026-07-03T22:05:00Z)"
    with pytest.raises(ValueError):
        format_moment(dt.datetime(2026, 11, 24, 9, 15))


def test_statement_says_what_was_used():
    tablet = statement(make([signer(1)]))
    assert tablet.startswith("Podpisy odręczne wymienionych osób złożono na ekranie urządzenia (tabletu)")
    assert "hasłem" not in tablet and "eIDAS" in tablet
    mixed = statement(make([signer(1), signer(2, method="staff_password")]))
    assert "; podpisy pracowników potwierdzono hasłem w systemie." in mixed
    assert statement(make([signer(2, method="staff_password")])).startswith("Podpisy pracowników potwierdzono")
    paper = statement(make([signer(1, method="paper_scan")], scan_sha256="ab" * 32))
    assert "na papierze" in paper and "oryginał papierowy przechowuje ośrodek" in paper


def test_scan_evidence():
    evidence = make([signer(1, method="paper_scan", image_sha256=None, strokes_sha256=None)], scan_sha256="ab" * 32)
    pdf = evidence_pdf(evidence)
    text = " ".join(text_of(pdf).split())
    assert "Skrót SHA-256 pliku skanu abababababababab abababababababab" in text
    assert "podpis odręczny na papierze, skan dołączony" in text and "oryginał papierowy" in text
    read = read_evidence(pdf)
    assert read.shown_pdf_sha256 == SHOWN and read.signers == (expected(evidence.signers[0]),)


def test_replacing_scan_names_the_version_it_replaces_and_why():
    replaced = "wersja podpisana na papierze (skan) z 24 listopada 2026, 10:15, identyfikator " + "ab12" * 8
    reason = "W pierwszym skanie druga strona była nieczytelna; skan powtórzono."
    evidence = make([signer(1, method="paper_scan", image_sha256=None, strokes_sha256=None)], scan_sha256="ab" * 32,
                    scan_check="Sprawdzono miejsca podpisów na skanie: 1; podpis widoczny w 1 z 1.",
                    replaces=replaced, replace_reason=reason)
    pdf = evidence_pdf(evidence)
    text = " ".join(text_of(pdf).split())
    assert "Zastępuje wersję podpisaną" in text and "Powód zastąpienia" in text and "Sprawdzenie skanu" in text
    assert "zastępuje wcześniejszą podpisaną wersję" in text
    read = read_evidence(pdf)
    assert (read.replaces, read.replace_reason) == (replaced, reason)
    assert read.signers == (expected(evidence.signers[0]),)
    assert read_evidence(evidence_pdf(make([signer(1)]))).replaces is None


def test_hostile_text_is_printed_literally():
    hostile = '<b>Jan</b> & "x" <font name="Helvetica">y</font>'
    signers = [signer(1, name=hostile, role="Rola Adres IP <i>", ip="<script>", user_agent="</para> & <br/>"),
               signer(2, name="Karta dowodowa podpisów", role="Imię i nazwisko")]
    pdf = evidence_pdf(make(signers, title="<a href='x'>Tytuł</a>", case_sign="A&B"))
    text = text_of(pdf)
    for literal in (hostile, "Rola Adres IP <i>", "<script>", "</para> & <br/>", "<a href='x'>Tytuł</a>", "A&B"):
        assert literal in text, literal
    read = read_evidence(pdf)
    assert read.case_sign == "A&B"
    assert read.signers == tuple(expected(s) for s in signers)
    report = pdfa_report(pdf)
    assert not report.unembedded_fonts  # markup could not switch to Helvetica


def test_control_characters_do_not_break_the_page():
    read = read_evidence(evidence_pdf(make([signer(1, name="Jan\x00Kowalski\x1b", user_agent="a\x07b")])))
    assert read.signers[0].name == "Jan Kowalski"


def test_long_user_agent_wraps_inside_the_page():
    agent = ("Mozilla/5.0 (Linux; Android 14) " * 13)[:400]
    pdf = evidence_pdf(make([signer(1, user_agent=agent), signer(2, user_agent="x" * 400)]))
    # where the glyphs are: the rendered page (pdftotext would report each value as one word, its ActualText)
    png = subprocess.run(["pdftoppm", "-r", "72", "-gray", "-png", "-"], input=pdf, capture_output=True,
                         check=True).stdout
    page = Image.open(io.BytesIO(png)).convert("L")
    # the tables' right border: the margin, less the frame's 6 pt padding; and a pixel of rounding
    right = round(595.3 - 2.2 * 72 / 2.54 + 6) + 2
    assert page.crop((right, 0, page.width, page.height)).getextrema()[0] > 200  # nothing drawn beyond it
    assert page.crop((right - 60, 0, right, page.height)).getextrema()[0] < 100  # (where text would be)
    lines: set[float] = set()

    def visit(text, cm, tm, font, size):
        if re.fullmatch(r"x{40,}", text.strip()):
            lines.add(round(tm[5] * cm[3] + cm[5], 1))
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert len(lines) >= 6  # the 400 x's broke into lines
    assert "Mozilla/5.0" in text_of(pdf) and read_evidence(pdf).signers[1].name == "Osoba Testowa 2"


def test_eight_signers_flow_onto_more_pages_and_still_read_back():
    signers = [signer(n, name=f"Członek Rodziny Numer {n} Źdźbłowska-Gąsiorowska") for n in range(1, 9)]
    pdf = evidence_pdf(make(signers))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    assert "Karta dowodowa podpisów – strona 2" in pages[1].extract_text()
    assert read_evidence(pdf).signers == tuple(expected(s) for s in signers)


def test_long_name_wraps_and_reads_back():
    name = "Maria Józefa Konstancja Żółkiewska-Ćwikłowska-Brzęczyszczykiewicz von Grzegorzewska-Łęcka " * 2
    read = read_evidence(evidence_pdf(make([signer(1, name=name.strip())])))
    assert read.signers[0].name == name.strip()


def test_only_embedded_fonts():
    pdf = evidence_pdf(make([signer(1), signer(2, method="staff_password")]))
    reader = PdfReader(io.BytesIO(pdf))
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in font["/FontDescriptor"] for font in fonts)
    assert all("LiberationSerif" in font["/BaseFont"] for font in fonts)
    assert pdfa_report(pdf).unembedded_fonts == []


def test_evidence_is_checked():
    with pytest.raises(ValueError, match="unknown signing method"):
        evidence_pdf(make([signer(1, method="telepathy")]))
    with pytest.raises(ValueError):
        evidence_pdf(make([signer(1)], created_at=dt.datetime(2026, 11, 24, 9, 20)))


def test_no_evidence_reads_as_none(pdfa_bytes, sealed_bytes):
    assert read_evidence(pdfa_bytes) is None
    assert read_evidence(sealed_bytes) is None
    assert read_evidence(b"not a pdf") is None
    assert read_evidence(b"") is None


# Right-to-left names meeting digits and Latin, and a name too long for a line: drawn in visual
# order, they read back in logical order and whole (each value carries its ActualText).
MIXED = ["Mohammed محمد 3 بن 12 Ali", "Ахмед Dawid עמית 2", "ד״ר יוסי 2 כהן-Ali 3", "ŻółćĘą" * 20, "محمد" * 30]


def test_right_to_left_and_wrapped_values_read_back_as_written():
    signers = [signer(n, name=name, role=MIXED[-n]) for n, name in enumerate(MIXED, 1)]
    pdf = evidence_pdf(make(signers, case_sign="MOPS.2026 عمر 7"))
    read = read_evidence(pdf)
    assert [(s.name, s.role) for s in read.signers] == [(s.name, s.role) for s in signers]
    assert read.case_sign == "MOPS.2026 عمر 7"
    assert not pdfa_report(pdf).glyph_problems  # (PDF/A as a whole: the signed document, tests/signing)
    # what glyph-based extraction makes of the same page: the order the tester saw
    assert "Mohammed 12 بن 3 محمد Ali" in " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def _without_marks(pdf: bytes) -> bytes:
    """The page as evidence pages were written before the marks: the same glyphs, no marked content."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        data = page.get_contents().get_data()
        data = re.sub(rb"/Span <</ActualText <[0-9A-F]*>>> BDC\n|\nEMC(?=\n)", b"", data)
        stream = StreamObject()
        stream.set_data(data)
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pages_without_marks_read_as_before():
    signers = [signer(1, name="Łucja Żółkiewska-Ćwik"), signer(2, name="Jan Kowalski", role="ojciec")]
    old = _without_marks(evidence_pdf(make(signers)))
    assert b"ActualText" not in b"".join(p.get_contents().get_data() for p in PdfReader(io.BytesIO(old)).pages)
    assert read_evidence(old).signers == tuple(expected(s) for s in signers)


def test_event_times_in_the_hour_the_clocks_go_back_are_told_apart():
    """25 October 2026: 02:00–02:59 in Warsaw happens twice (CEST, then CET). An event at 00:30 UTC
    and one at 01:10 UTC would both read as '02:…' with the later one looking earlier; the page
    adds the UTC offset in that hour only (and lists events as they happened)."""
    from signatures.evidence import EvidenceEvent, format_event_time

    before = dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    after = dt.datetime(2026, 10, 25, 1, 10, tzinfo=UTC)
    assert format_event_time(before) == "25 października 2026, 02:30:00\n(UTC+2)"
    assert format_event_time(after) == "25 października 2026, 02:10:00\n(UTC+1)"
    assert format_event_time(dt.datetime(2026, 10, 25, 2, 10, tzinfo=UTC)) == "25 października 2026, 03:10:00"
    assert format_event_time(dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)) == "29 marca 2026, 03:30:00"
    events = (EvidenceEvent(before, "Podpis nieprzyjęty: Podpis jest zbyt mały"),
              EvidenceEvent(after, "Podpis złożony: 1. Анна Коваленко"))
    text = " ".join(text_of(evidence_pdf(make([signer(1)], events=events))).split())
    assert "(UTC+2)" in text and "(UTC+1)" in text and "Podpis złożony: 1. Анна Коваленко" in text
    assert text.index("(UTC+2)") < text.index("(UTC+1)") and text.index("02:30:00") < text.index("02:10:00")


def test_a_long_run_of_refusals_never_hides_a_signature():
    """Each signer's pad refused 100 times before they signed (a child tapping it): the page
    leaves refusals out, never the signatures nor the opening, and says how many it left out."""
    from signatures.evidence import MAX_EVENTS, EvidenceEvent

    start = dt.datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    events, t = [EvidenceEvent(start, "Rozpoczęcie podpisywania: na innym urządzeniu")], 0
    for n, name in ((1, "Anna Kowalska"), (2, "Jan Kowalski")):
        for _ in range(100):
            t += 1
            events.append(EvidenceEvent(start + dt.timedelta(seconds=t), "Podpis nieprzyjęty: Podpis jest zbyt mały",
                                        minor=True))
        t += 1
        events.append(EvidenceEvent(start + dt.timedelta(seconds=t), f"Podpis złożony: {n}. {name}"))
    text = " ".join(text_of(evidence_pdf(make([signer(1), signer(2)], events=tuple(events)))).split())
    for wanted in ("Rozpoczęcie podpisywania: na innym urządzeniu", "Podpis złożony: 1. Anna Kowalska",
                   "Podpis złożony: 2. Jan Kowalski"):
        assert wanted in text, wanted
    assert text.index("Podpis złożony: 1.") < text.index("Podpis złożony: 2.")
    left_out = sum(int(n) for n in re.findall(r"pominięto zdarzeń: (\d+)", text))
    shown = text.count("Podpis nieprzyjęty")
    assert left_out + shown == 200 and shown + 3 <= MAX_EVENTS and left_out > 0
