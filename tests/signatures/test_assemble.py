"""Signatures onto real issued documents: slots, the unsealed revision, the signed, scanned and printed PDFs."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import shutil
import subprocess

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from pyzbar.pyzbar import decode
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from signatures.assemble import (
    SLOT_HEIGHT, AssembleError, Mark, SlotBox, build_print_copy, build_scan_pdf, build_signed_pdf, find_slots,
    unsealed_revision)
from signatures.evidence import Evidence, EvidenceSigner, evidence_pdf, read_evidence, register_fonts
from signatures.ink import CODE_CELL, MARK_SIZE, Place, check_scan, code_cells, locate, mark_centres
from signatures.pdfa import pdfa_report
from signatures.qr import qr_png
from signatures.verify import verify_seal

from .conftest import PDFA2_FILTER

UTC = dt.timezone.utc
OFFICE = {"name": "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu", "street": "ul. Wyspiańskiego 10",
          "postal_code": "32-600", "town": "Oświęcim", "phone": "33 842 24 76",
          "email": "sekretariat@mops.oswiecim.pl", "nip": "549-10-34-225", "regon": "004201823",
          "head_name": "Anna Nowak", "head_title": "Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu",
          "iod_email": "iod@mops.oswiecim.pl"}
STAFF_LINES = ("Podpisano elektronicznie – potwierdzenie hasłem", "Anna Nowak, Kierownik ośrodka",
               "24.11.2026, 10:15")
PAYLOAD = "https://asysta.mops.oswiecim.pl/archive/7f3a9c217f3a9c217f3a9c217f3a9c21"
LABEL = "Asysta 7f3a9c21 · MOPS.SPS.4011.12.2026"


# ---------------------------------------------------------------------------------------------
# Fixtures: the real templates, rendered and converted by LibreOffice once per run


@pytest.fixture(scope="session")
def issued(tmp_path_factory) -> dict[str, bytes]:
    """family_consent with three persons and zz_power_of_attorney with the health consent, as PDF/A-2b."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from service.documents.context import build_context
    from service.documents.registry import DOCUMENT_TYPES
    from service.documents.render import render_docx

    work = tmp_path_factory.mktemp("issued")
    samples = {}
    family = DOCUMENT_TYPES.get("family_consent")
    data = family.sample_data
    data["persons"] = [*data["persons"], {"full_name": "Zofia Kowalska-Źródłowska", "role": "babcia"}][:3]
    assert len(data["persons"]) == 3
    samples["family_consent"] = (family, data)
    attorney = DOCUMENT_TYPES.get("zz_power_of_attorney")
    samples["zz_power_of_attorney"] = (attorney, {**attorney.sample_data, "health_data_consent": True})
    for slug, (doctype, values) in samples.items():
        context = build_context(doctype, values, office=OFFICE, case_sign="MOPS.SPS.4011.12.2026",
                                doc_ref="Asysta 7f3a9c21", issued_on=dt.date(2026, 11, 24))
        docx = render_docx(doctype.template_path, context, properties={
            "title": doctype.title, "author": OFFICE["name"], "subject": "MOPS.SPS.4011.12.2026",
            "identifier": "7f3a9c21" * 4, "language": "pl-PL"})
        (work / f"{slug}.docx").write_bytes(docx)
    # one soffice call for both, in a profile of its own (a shared one would clash with other runs)
    profile = (work / "profile").resolve().as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to",
                    PDFA2_FILTER, "--outdir", str(work / "out"), *(str(work / f"{slug}.docx") for slug in samples)],
                   check=True, capture_output=True, timeout=300)
    return {slug: (work / "out" / f"{slug}.pdf").read_bytes() for slug in samples}


@pytest.fixture(scope="session")
def family(issued) -> bytes:
    return issued["family_consent"]


@pytest.fixture(scope="session")
def attorney(issued) -> bytes:
    return issued["zz_power_of_attorney"]


@pytest.fixture(scope="session")
def sealed_family(family, office_seal) -> bytes:
    return office_seal.seal(family, location="Oświęcim")


@pytest.fixture(scope="session")
def sealed_attorney(attorney, office_seal) -> bytes:
    return office_seal.seal(attorney, location="Oświęcim")


def signature_png(seed: int, size=(900, 300)) -> bytes:
    """A signature-like grey PNG: a few smooth dark strokes on white."""
    rnd = random.Random(seed)
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    w, h = size
    for _ in range(3):
        points = [(rnd.randint(20, w - 20), rnd.randint(30, h - 30)) for _ in range(12)]
        draw.line(points, fill=rnd.randint(0, 60), width=max(3, w // 200), joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def evidence(scan: bool = False) -> bytes:
    signers = (
        EvidenceSigner("Anna Kowalska", "matka", "tablet_here", dt.datetime(2026, 11, 24, 9, 15, 7, tzinfo=UTC),
                       "192.168.1.15", "Mozilla/5.0 (Linux; Android 14)", "ab" * 32, "cd" * 32),
        EvidenceSigner("Jan Kowalski", "ojciec", "tablet_here", dt.datetime(2026, 11, 24, 9, 16, 1, tzinfo=UTC),
                       "192.168.1.15", "Mozilla/5.0 (Linux; Android 14)", "ef" * 32, "01" * 32),
    )
    return evidence_pdf(Evidence(
        title="Zgoda rodziny na współpracę z asystentem rodziny", document_id="7f3a9c21" * 4,
        case_sign="MOPS.SPS.4011.12.2026", office_name=OFFICE["name"], shown_pdf_sha256="0f" * 32,
        signers=signers, created_at=dt.datetime(2026, 11, 24, 9, 20, tzinfo=UTC),
        scan_sha256="12" * 32 if scan else None))


def words(pdf: bytes, page: int) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, y0, x1, y1) of every word on a page, in PDF points with the origin bottom-left."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page + 1), "-l", str(page + 1), "-", "-"],
                          input=pdf, capture_output=True, check=True).stdout.decode()
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    return [(m.group(5), float(m.group(1)), height - float(m.group(4)), float(m.group(3)), height - float(m.group(2)))
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                                 html)]


def render(pdf: bytes, page: int, dpi: int) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1), "-png", "-"],
                         input=pdf, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def ink(image: Image.Image, box: SlotBox, dpi: int, page_height: float) -> int:
    """How many dark pixels a rendered page has inside a slot box."""
    k = dpi / 72
    crop = image.crop((round(box.x * k), round((page_height - box.y - box.height) * k),
                       round((box.x + box.width) * k), round((page_height - box.y) * k)))
    return sum(crop.histogram()[:160])


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# ---------------------------------------------------------------------------------------------
# find_slots


def test_find_slots_on_real_templates(family, attorney, sealed_family, sealed_attorney):
    slots = find_slots(family)
    assert set(slots) == {"family_member:0", "family_member:1", "family_member:2"}
    assert {box.page for box in slots.values()} == {1}  # the signing part is on page 2 of this sample
    # two side by side, the third below the first
    assert slots["family_member:0"].y == slots["family_member:1"].y > slots["family_member:2"].y
    assert slots["family_member:0"].x == slots["family_member:2"].x < slots["family_member:1"].x
    boxes = find_slots(attorney)
    assert set(boxes) == {"principal:0", "principal_health_consent:0"}
    assert boxes["principal:0"].page == 0 and boxes["principal_health_consent:0"].page == 1
    assert all(box.height == SLOT_HEIGHT and 150 <= box.width <= 200 for box in [*slots.values(), *boxes.values()])
    # the seal changes nothing of the pages
    assert find_slots(sealed_family) == slots and find_slots(sealed_attorney) == boxes


def test_slot_box_is_the_empty_space_above_the_dotted_line(family, attorney):
    for pdf in (family, attorney):
        for key, box in find_slots(pdf).items():
            page_words = words(pdf, box.page)
            rect = (box.x, box.y, box.x + box.width, box.y + box.height)
            visible = [w for w in page_words if not w[0].startswith("SIG:")]
            assert not [w for w in visible if overlaps(w[1:], rect)], f"{key}: text inside the slot"
            dots = [w for w in visible if set(w[0]) <= {"…", "."} and len(w[0]) > 10
                    and box.x <= w[1] <= box.x + 20 and w[4] <= box.y + 0.5]
            assert dots, f"{key}: no dotted line under the slot"
            line = max(dots, key=lambda w: w[4])
            assert box.y - line[4] < 3, f"{key}: the dotted line is {box.y - line[4]:.1f} pt below the slot"
            above = [w for w in visible if w[2] > box.y + box.height and w[1] < rect[2] and w[3] > rect[0]]
            assert above, f"{key}: nothing above the slot"


def _reportlab_pdf(draw) -> bytes:
    font = register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, initialFontName=font)
    canvas.setFont(font, 10)
    draw(canvas, font)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_marker_inside_longer_text_or_cut_in_pieces():
    def draw(canvas, font):
        canvas.drawString(100, 700, "Podpis: SIG:principal:0 (tutaj)")
        canvas.drawString(80, 500, "SIG:head_of")  # one marker in two runs, as a template split may give
        canvas.drawString(80 + stringWidth("SIG:head_of", font, 10), 500, "_office:0")
        canvas.drawString(80, 400, "SIG:family_member:1")
        canvas.drawString(80, 388, "2 osoby")  # the next line must not lengthen the index
    slots = find_slots(_reportlab_pdf(draw))
    assert set(slots) == {"principal:0", "head_of_office:0", "family_member:1"}
    font = register_fonts()
    assert slots["principal:0"].x == pytest.approx(100 + stringWidth("Podpis: ", font, 10), abs=0.05)
    assert slots["head_of_office:0"].x == pytest.approx(80, abs=0.05)
    assert slots["principal:0"].y == pytest.approx(700 + 10 - SLOT_HEIGHT, abs=0.05)


def test_slot_near_the_right_edge_is_clamped_to_the_margin():
    def draw(canvas, font):
        canvas.drawString(420, 700, "SIG:principal:0")
    box = find_slots(_reportlab_pdf(draw))["principal:0"]
    assert box.x + box.width == pytest.approx(595.2756 - 57, abs=0.01)


def test_no_markers_no_slots(pdfa_bytes, sealed_bytes):
    assert find_slots(pdfa_bytes) == {} and find_slots(sealed_bytes) == {}


def test_a_marker_twice_is_refused():
    def draw(canvas, font):
        canvas.drawString(80, 700, "SIG:principal:0")
        canvas.drawString(80, 400, "SIG:principal:0")
    with pytest.raises(AssembleError, match="principal:0"):
        find_slots(_reportlab_pdf(draw))


def test_not_a_pdf_is_refused():
    with pytest.raises(AssembleError):
        find_slots(b"hello")
    with pytest.raises(AssembleError):
        unsealed_revision(b"%PDF-1.7\nnonsense")


# ---------------------------------------------------------------------------------------------
# unsealed_revision


def test_unsealed_revision_gives_back_the_exact_bytes(pdfa_bytes, sealed_bytes, office_seal, family, sealed_family):
    assert unsealed_revision(pdfa_bytes) == pdfa_bytes  # never sealed: as is
    assert unsealed_revision(sealed_bytes) == pdfa_bytes
    assert unsealed_revision(office_seal.seal(sealed_bytes)) == pdfa_bytes  # sealed twice
    assert unsealed_revision(sealed_family) == family


# ---------------------------------------------------------------------------------------------
# build_signed_pdf


def _our_placements(pdf: bytes, page: int) -> dict[str, tuple[float, float, float, float]]:
    """name → (x, y, width, height) of each image the assembly drew on a page (from its cm operators)."""
    contents = PdfReader(io.BytesIO(pdf)).pages[page].get_contents().get_data().decode("latin-1")
    found = {}
    for m in re.finditer(r"q ([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm (/\w+) Do Q", contents):
        w, h, x, y = map(float, m.groups()[:4])
        found[m.group(5)] = (x, y, w, h)
    return found


@pytest.fixture(scope="module")
def signed_family(sealed_family) -> tuple[bytes, list[Mark]]:
    marks = [Mark("family_member:0", signature_png(1)), Mark("family_member:1", signature_png(2, (1200, 360))),
             Mark("family_member:2", signature_png(3, (600, 400)))]
    return build_signed_pdf(sealed_family, marks, evidence()), marks


def test_signed_pdf_has_each_image_in_its_slot(signed_family, sealed_family, family):
    signed, marks = signed_family
    slots = find_slots(sealed_family)
    reader = PdfReader(io.BytesIO(signed))
    assert signed.startswith(family)  # an update appended to LibreOffice's bytes: not one byte of them changed
    assert len(reader.pages) == 2 + len(PdfReader(io.BytesIO(evidence())).pages)
    images = reader.pages[1].images
    assert len(images) == 3 and not reader.pages[0].images
    wanted = [Image.open(io.BytesIO(mark.png)) for mark in marks]
    found = [image.image for image in images]
    for png in wanted:  # the exact pixels of each PNG
        assert any(img.mode == png.mode and img.size == png.size and img.tobytes() == png.tobytes() for img in found)
    placed = _our_placements(signed, 1)
    assert len(placed) == 3
    for mark, (x, y, w, h) in zip(marks, sorted(placed.values(), key=lambda p: (-p[1], p[0]))):
        box = slots[mark.slot]
        png = Image.open(io.BytesIO(mark.png))
        assert w / h == pytest.approx(png.width / png.height, rel=1e-3)  # aspect kept
        assert box.x - 0.01 <= x and x + w <= box.x + box.width + 0.01  # inside the box
        assert box.y <= y <= box.y + 3 and y + h <= box.y + box.height + 0.01  # standing on the dotted line
        assert x - box.x == pytest.approx(box.x + box.width - (x + w), abs=0.01)  # centred


def test_signed_pdf_slots_were_blank_and_are_inked(signed_family, family):
    signed, marks = signed_family
    slots = find_slots(family)
    before, after = render(family, 1, 50), render(signed, 1, 50)
    height = 841.89
    for mark in marks:
        assert ink(before, slots[mark.slot], 50, height) == 0
        assert ink(after, slots[mark.slot], 50, height) > 20


def test_signed_pdf_evidence_is_last_and_pdfa_and_seal_hold(signed_family, office_seal):
    signed, _ = signed_family
    read = read_evidence(signed)
    assert read is not None and [s.name for s in read.signers] == ["Anna Kowalska", "Jan Kowalski"]
    reader = PdfReader(io.BytesIO(signed))
    assert "Karta dowodowa podpisów" in reader.pages[2].extract_text()
    report = pdfa_report(signed)
    assert report.ok, report.problems
    sealed = office_seal.seal(signed)
    assert verify_seal(sealed, [office_seal.certificate]).ok
    report = pdfa_report(sealed)
    assert report.ok, report.problems
    assert read_evidence(sealed) == read


def test_font_subsets_have_distinct_names(signed_family):
    # two different subsets under one name confuse viewers that cache fonts by name
    signed, _ = signed_family
    reader = PdfReader(io.BytesIO(signed))
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            fonts[ref.idnum] = str(ref.get_object()["/BaseFont"])
        for ref in page["/Resources"].get("/XObject", {}).values():
            form = ref.get_object()
            for font in form.get("/Resources", {}).get("/Font", {}).values():
                fonts[font.idnum] = str(font.get_object()["/BaseFont"])
    assert len(set(fonts.values())) == len(fonts)


def test_a_mark_with_lines_only_writes_them(sealed_attorney, attorney):
    signed = build_signed_pdf(sealed_attorney, [
        Mark("principal:0", signature_png(5)),
        Mark("principal_health_consent:0", lines=STAFF_LINES)], evidence())
    text = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", "-", "-"], input=signed,
                          capture_output=True, check=True).stdout.decode()
    for line in STAFF_LINES:
        assert line in text
    box = find_slots(attorney)["principal_health_consent:0"]
    lines = [w for w in words(signed, 1) if w[0] in {"Podpisano", "Nowak,", "10:15"}]
    assert len(lines) == 3 and all(overlaps(w[1:], (box.x, box.y, box.x + box.width, box.y + box.height))
                                   for w in lines)
    assert not PdfReader(io.BytesIO(signed)).pages[1].images
    report = pdfa_report(signed)
    assert report.ok, report.problems


def test_image_and_lines_share_a_slot(sealed_attorney):
    signed = build_signed_pdf(sealed_attorney, [Mark("principal:0", signature_png(6), lines=STAFF_LINES)],
                              evidence())
    (x, y, w, h), = _our_placements(signed, 0).values()
    captions = [word for word in words(signed, 0) if word[0] == "Podpisano"]
    assert captions and y > captions[0][4]  # the image stands above its caption


def test_transparent_png_is_laid_over_white(sealed_attorney):
    image = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 100), (390, 20)], fill=(0, 0, 80, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    signed = build_signed_pdf(sealed_attorney, [Mark("principal:0", out.getvalue())], evidence())
    placed = PdfReader(io.BytesIO(signed)).pages[0].images[0].image.convert("RGB")
    assert placed.getpixel((0, 0)) == (255, 255, 255) and placed.getpixel((200, 60)) == (0, 0, 80)
    assert pdfa_report(signed).ok


def test_precomputed_slots_from_json_are_used_as_they_are(sealed_attorney, attorney, monkeypatch):
    # the service finds the slots when a session starts and keeps them as JSON
    stored = json.dumps({key: box.to_json() for key, box in find_slots(attorney).items()})
    slots = {key: SlotBox.from_json(box) for key, box in json.loads(stored).items()}
    assert slots == find_slots(attorney)

    def no_search(pdf):
        raise AssertionError("the document was searched for slots")
    monkeypatch.setattr("signatures.assemble.find_slots", no_search)
    marks = [Mark("principal:0", signature_png(7)), Mark("principal_health_consent:0", signature_png(8))]
    signed = build_signed_pdf(sealed_attorney, marks, evidence(), slots=slots)
    reader = PdfReader(io.BytesIO(signed))
    for mark in marks:
        box = slots[mark.slot]
        (image,) = reader.pages[box.page].images
        png = Image.open(io.BytesIO(mark.png))
        assert image.image.size == png.size and image.image.tobytes() == png.tobytes()
        (x, y, w, _), = _our_placements(signed, box.page).values()
        assert box.x - 0.01 <= x and x + w <= box.x + box.width + 0.01 and box.y <= y <= box.y + 3
    assert read_evidence(signed) is not None and pdfa_report(signed).ok


def test_bad_precomputed_slots_are_refused(sealed_attorney):
    with pytest.raises(AssembleError):
        SlotBox.from_json({"page": 0, "x": 1.0})
    with pytest.raises(AssembleError, match="principal:0"):
        build_signed_pdf(sealed_attorney, [Mark("principal:0", signature_png(1))], evidence(),
                         slots={"principal:0": SlotBox(page=5, x=300.0, y=300.0, width=200.0, height=SLOT_HEIGHT)})


def test_unknown_or_repeated_slot_is_refused(sealed_family):
    with pytest.raises(AssembleError, match="family_member:7"):
        build_signed_pdf(sealed_family, [Mark("family_member:7", signature_png(1))], evidence())
    with pytest.raises(AssembleError, match="family_member:0"):
        build_signed_pdf(sealed_family, [Mark("family_member:0", signature_png(1)),
                                         Mark("family_member:0", signature_png(2))], evidence())
    with pytest.raises(AssembleError):
        build_signed_pdf(sealed_family, [Mark("family_member:0", b"not a png")], evidence())


# ---------------------------------------------------------------------------------------------
# build_scan_pdf and build_print_copy


def test_scan_pdf_is_pdfa_with_the_scans_then_the_evidence(sealed_family, office_seal):
    scans = [render(sealed_family, 0, 100).convert("RGB"),
             render(sealed_family, 1, 100).convert("RGBA").rotate(90, expand=True)]
    pdf = build_scan_pdf(sealed_family, scans, evidence(scan=True))
    report = pdfa_report(pdf)
    assert report.ok, report.problems
    reader = PdfReader(io.BytesIO(pdf))
    evidence_pages = len(PdfReader(io.BytesIO(evidence(scan=True))).pages)
    assert len(reader.pages) == 2 + evidence_pages
    portrait, landscape = reader.pages[0], reader.pages[1]
    assert float(portrait.mediabox.width) < float(portrait.mediabox.height)
    assert float(landscape.mediabox.width) > float(landscape.mediabox.height)
    for page, scan in zip(reader.pages[:2], scans):
        (image,) = page.images
        xobject = page["/Resources"]["/XObject"]["/Scan"].get_object()
        assert xobject["/Filter"] == "/DCTDecode" and image.image.mode == "RGB"
        assert image.image.size == scan.size
    assert read_evidence(pdf).document_id == "7f3a9c21" * 4
    sealed = office_seal.seal(pdf)
    assert verify_seal(sealed, [office_seal.certificate]).ok and pdfa_report(sealed).ok


def test_print_copy_has_a_readable_code_clear_of_the_text(sealed_family, family):
    pdf = build_print_copy(sealed_family, qr_png(PAYLOAD, scale=6), LABEL)
    report = pdfa_report(pdf)
    assert report.ok, report.problems
    assert pdf.startswith(family)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    for index in range(2):
        codes = decode(render(pdf, index, 150))
        assert [code.data.decode() for code in codes] == [PAYLOAD]
        rect = codes[0].rect  # pixels at 150 dpi, origin top-left
        k = 72 / 150
        qr = (rect.left * k, 841.89 - (rect.top + rect.height) * k, (rect.left + rect.width) * k, 841.89 - rect.top * k)
        assert qr[2] - qr[0] > 38 and qr[2] < 595.3 - 12  # a code of 1.4 cm and more, printable
        page_words = words(pdf, index)
        label = [w for w in page_words if w[4] < 22]  # the lowest line: the label, under the footer
        others = [w for w in page_words if w not in label]
        assert [w[0] for w in label] == LABEL.split()
        assert not [w for w in others if overlaps(w[1:], qr)], "the code covers the document's text"
        assert not [w for w in others for lw in label if overlaps(w[1:], lw[1:])], "the label covers text"
        footer = [w for w in others if w[0] == "Strona"]
        assert footer and all(lw[4] < footer[0][2] for lw in label)  # under the footer line of text


@pytest.mark.parametrize("bad", [b"", b"\x89PNG\r\n\x1a\n"])
def test_print_copy_refuses_a_broken_code(sealed_family, bad):
    with pytest.raises(AssembleError):
        build_print_copy(sealed_family, bad, LABEL)


def test_print_copy_marks_are_clear_of_the_text_and_tell_each_page(sealed_family, family):
    pdf = build_print_copy(sealed_family, qr_png(PAYLOAD, scale=6), LABEL, tag=0xA7)
    box = (0.0, 0.0, 595.2756, 841.8898)
    half = MARK_SIZE / 2
    drawn = [(x - half, y - half, x + half, y + half) for x, y in mark_centres(box).values()]
    drawn += [(x - CODE_CELL / 2, y - CODE_CELL / 2, x + CODE_CELL / 2, y + CODE_CELL / 2) for x, y in code_cells(box)]
    assert all(6 * 72 / 25.4 <= edge for mark in drawn for edge in (mark[0], mark[1], 595.3 - mark[2],
                                                                      841.9 - mark[3]))  # printable
    for index in range(2):
        assert not [w for w in words(pdf, index) for mark in drawn if overlaps(w[1:], mark)]
        # read back from a crooked 100-dpi scan, upside down too
        page = render(pdf, index, 100)
        for angle in (1.5, 180.8):
            turned = page.rotate(angle, expand=True, fillcolor=140, resample=Image.Resampling.BICUBIC)
            frame = locate(turned, box)
            assert frame is not None and (frame.page_number, frame.tag) == (index + 1, 0xA7)


def test_scan_of_another_documents_print_is_told_apart(sealed_family):
    pdf = build_print_copy(sealed_family, qr_png(PAYLOAD, scale=6), LABEL, tag=0x11)
    slot = find_slots(pdf)["family_member:0"]
    place = Place("family_member:0", slot.page, (slot.x, slot.y, slot.width, slot.height), "matka – Anna Kowalska")
    boxes = [(0.0, 0.0, 595.2756, 841.8898)] * 2
    pages = [render(pdf, index, 150).convert("RGB") for index in range(2)]
    result = check_scan(pages, pdf, [place], 0x12, boxes)
    assert not result.ok and result.places[0].state == "missing"
    assert "Strona 1 skanu pochodzi z wydruku innego dokumentu." in result.problems
    result = check_scan(pages, pdf, [place], 0x11, boxes)
    assert result.problems == ["Brak podpisu: matka – Anna Kowalska, strona 2."]
    assert check_scan([pages[1]], pdf, [place], 0x11, boxes).problems[-1].startswith(
        "Na skanie brakuje stron dokumentu: 1 (z 2).")
