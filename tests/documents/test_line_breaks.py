"""Polish typesetting in real documents: LibreOffice never breaks a line inside a postal code,
between a number and its unit, or after a one-letter word (service/documents/typesetting.py)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from service.documents import context as context_module
from service.documents.context import build_context
from service.documents.registry import DOCUMENT_TYPES
from service.documents.render import render_docx
from service.documents.typesetting import NBSP
from tests.helpers import download, issuer_role, pdf_text_normalised, squash

PDFA2_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
OFFICE = {"name": "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu", "street": "ul. Wyspiańskiego 10",
          "postal_code": "32-600", "town": "Oświęcim", "phone": "33 842 24 76",
          "email": "sekretariat@mops.oswiecim.pl", "nip": "549-10-34-225", "regon": "004201823",
          "head_name": "Anna Nowak", "head_title": "Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu",
          "iod_email": "iod@mops.oswiecim.pl"}
# Every protected pair of the rule, between ordinary words; the sentence ends on an ordinary word,
# so the explicit line break after it is never mistaken for a forbidden one.
SENTENCE = ("dom 5, 32-600 Oświęcim, w 2026 r. przejechano 12 km i wrócono, a potem z domu o 5 godz. "
            "jechano przez las u brzegu rzeki")
UNITS = {"r.", "km", "godz."}
FOOTER = re.compile(r"Asysta [0-9a-f]+ Strona \d+ z \d+")
ONE_LETTER = set("aiouwzAIOUWZ")
MATTER_VARIANTS = 60  # 60 × ~9 pt > 16 cm of text width
ROW_VARIANTS = 22  # 22 × ~9 pt > the institution column's width
BODY_VARIANTS = 16  # documents whose justified first paragraph holds the sentence, ~18 pt apart


def line_pdf_text(pdf: bytes) -> list[str]:
    """The PDF's physical lines in content order, a table cell's lines together, as pypdf reads them.

    Not pdftotext: without -layout it joins "32-" and "600" at a line's end into "32600", and with
    -layout it interleaves the table's columns. Page footers are left out, so that the last line
    of a page is followed by the first line of the next.
    """
    return [line for line in pdf_text_normalised(pdf).splitlines()
            if line.strip() and not FOOTER.fullmatch(line.strip())]


def forbidden_breaks(lines: list[str], text: str = SENTENCE) -> list[tuple[str, str, str]]:
    """(kind, end of a line, start of the next) for every line break inside `text` that the rule
    forbids. Breaks elsewhere (in the templates' own wording) are not the values' and not counted."""
    words = text.split()
    pairs = set(zip(words, words[1:]))
    found = []
    for above, below in zip(lines, lines[1:]):
        last, first = above.split()[-1], below.split()[0]
        if re.fullmatch(r"\d+-", last) and any(w.startswith(last + first.rstrip(",")) for w in words):
            found.append(("postal code", last, first))
        elif (last, first) in pairs and last.isdigit() and first in UNITS:
            found.append(("number and unit", last, first))
        elif (last, first) in pairs and last in ONE_LETTER:
            found.append(("one-letter word", last, first))
    return found


def convert(tmp_path, docs: dict[str, bytes]) -> dict[str, bytes]:
    """PDF/A-2b of each DOCX, by one soffice run in a profile of its own."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    for name, docx in docs.items():
        (tmp_path / f"{name}.docx").write_bytes(docx)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", PDFA2_FILTER, "--outdir", str(tmp_path / "out"),
                    *(str(tmp_path / f"{name}.docx") for name in docs)],
                   check=True, capture_output=True, timeout=300)
    return {name: (tmp_path / "out" / f"{name}.pdf").read_bytes() for name in docs}


def render(data: dict) -> bytes:
    """The DOCX of zz_power_of_attorney with these values, as issuing renders it."""
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    context = build_context(doctype, data, office=OFFICE, case_sign="MOPS.SPS.4011.12.2026",
                            doc_ref="Asysta 7f3a9c21", issued_on=dt.date(2026, 11, 24))
    return render_docx(doctype.template_path, context)


def family_document() -> bytes:
    """zz_power_of_attorney whose matter (a wide paragraph) and institution names (a narrow table
    column) hold SENTENCE after a word growing one letter (about 9 pt) at a time, more than a
    line's width in all, so that every protected pair passes every position near a line's end."""
    data = DOCUMENT_TYPES["zz_power_of_attorney"].sample_data
    data["matter"] = "\n".join(f"{'m' * k} {SENTENCE} {SENTENCE}" for k in range(1, MATTER_VARIANTS + 1))
    data["institutions"] = [{"name": f"{'m' * k} {SENTENCE}", "address": ""} for k in range(1, ROW_VARIANTS + 1)]
    return render(data)


def street_document(k: int) -> bytes:
    """zz_power_of_attorney with SENTENCE, after k letters, as the street: in the justified paragraph
    where issue 7 saw „32-” / „600 Oświęcim”."""
    data = DOCUMENT_TYPES["zz_power_of_attorney"].sample_data
    data["street"] = f"{'m' * k} {SENTENCE}"
    return render(data)


def test_protected_pairs_never_break_at_any_position(tmp_path, monkeypatch):
    typeset = family_document()
    # The same document without the rule: it must break somewhere, or this test could not fail.
    monkeypatch.setattr(context_module, "typeset", lambda text: text)
    untypeset = family_document()
    untypeset_streets = {f"untypeset{k}": street_document(k) for k in range(0, 2 * BODY_VARIANTS, 2)}
    monkeypatch.undo()
    streets = {f"street{k}": street_document(k) for k in range(0, 2 * BODY_VARIANTS, 2)}
    pdfs = convert(tmp_path, {"typeset": typeset, "untypeset": untypeset, **streets, **untypeset_streets})

    without = forbidden_breaks(line_pdf_text(pdfs["untypeset"]))
    assert {kind for kind, *_ in without} == {"postal code", "number and unit", "one-letter word"}, without
    without = [b for name in untypeset_streets for b in forbidden_breaks(line_pdf_text(pdfs[name]))]
    assert {kind for kind, *_ in without} == {"postal code", "number and unit", "one-letter word"}, without
    lines = line_pdf_text(pdfs["typeset"])
    assert squash(" ".join(lines)).count("dom5,32-600Oświęcim") == 2 * MATTER_VARIANTS + ROW_VARIANTS
    assert forbidden_breaks(lines) == []
    for name in streets:
        lines = line_pdf_text(pdfs[name])
        assert squash(" ".join(lines)).count("dom5,32-600Oświęcim") == 1
        assert forbidden_breaks(lines) == [], name


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_sample_without_phone_keeps_the_postal_code_with_the_town(app, client, create_user, api_token):
    """Issue 7, item 6: without principal_phone the address ended a line with „32-” / „600 Oświęcim”."""
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    headers = api_token(create_user(issuer_role(doctype)))
    data = doctype.sample_data
    del data["principal_phone"]
    response = client.post(f"/api/documents/{doctype.slug}", json=data, headers=headers)
    assert response.status_code == 201, response.get_json()
    response, pdf = download(client, response.get_json()["links"]["pdf"], headers=headers)
    lines = line_pdf_text(pdf)
    street = next(i for i, line in enumerate(lines) if "Zwycięstwa" in line)
    assert "32-600 Oświęcim" in lines[street] or lines[street + 1].startswith("32-600 Oświęcim"), lines[street:street + 2]
    assert forbidden_breaks(lines, "ul. Zwycięstwa 5, 32-600 Oświęcim") == []


# ---------------------------------------------------------------------------- the templates' own wording

TEMPLATES = Path(__file__).resolve().parents[2] / "forms_templates"
SLUGS = [doctype.slug for doctype in DOCUMENT_TYPES]
# The types whose v1 predates the typesetting of the templates' wording (v2) and the agreeing
# wording (v3): their history is checked too. A history, not a list every new type must join.
TYPESET_IN_V2 = ("family_consent", "assignment_letter", "zz_power_of_attorney")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# A one-letter word followed by a space a line may break at (typesetting.py's _WORD_START).
ONE_LETTER_THEN_SPACE = re.compile(r"(?<![^\s(\[{„\"'«‚“])[aiouwzAIOUWZ] (?=\S)")


def wording(path: Path) -> list[str]:
    """The text of every paragraph of a template's body, headers and footers, as it prints around
    the values: each {{ … }} read as one word „X”, each {% … %} as nothing (it prints nothing)."""
    texts = []
    with zipfile.ZipFile(path) as docx:
        for name in docx.namelist():
            if not re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                continue
            for p in etree.fromstring(docx.read(name)).iter(f"{W}p"):
                raw = "".join(el.text or "" if el.tag == f"{W}t" else "\t" for el in p.iter(f"{W}t", f"{W}tab"))
                texts.append(TAG.sub(lambda m: "X" if m.group(0).startswith("{{") else "", raw))
    return texts


def breakable_after_one_letter(path: Path) -> list[str]:
    """Each place (with some context) where the wording leaves a breakable space after a one-letter word."""
    return [text[max(0, m.start() - 20):m.end() + 20] for text in wording(path)
            for m in ONE_LETTER_THEN_SPACE.finditer(text)]


@pytest.mark.parametrize("slug", SLUGS)
def test_template_wording_never_breaks_after_a_one_letter_word(slug):
    current = DOCUMENT_TYPES[slug].template_path
    assert breakable_after_one_letter(current) == []
    if slug not in TYPESET_IN_V2:
        return
    # v3: v2 with the wording agreeing with the persons (grammar.py); v4: v3 with the signatures
    # kept with the text they sign
    assert current.name == "v4.docx"
    assert breakable_after_one_letter(TEMPLATES / slug / "v3.docx") == []
    assert breakable_after_one_letter(TEMPLATES / slug / "v2.docx") == []
    # v1 is kept for the documents issued with it; it has the fault, so this check can fail.
    assert breakable_after_one_letter(TEMPLATES / slug / "v1.docx")


@pytest.mark.parametrize("slug", SLUGS)
def test_template_joins_keep_codes_and_labels_with_their_values(slug):
    """A postal code with its town, „tel.”, „NIP”, „REGON”, „PESEL” with the number (scripts/template_text.py)."""
    labels = ["tel.", "NIP", "REGON"] + (["PESEL"] if slug == "zz_power_of_attorney" else [])
    current = "\n".join(wording(DOCUMENT_TYPES[slug].template_path))
    for label in labels:  # the letterhead's labels, in every type
        assert f"{label}{NBSP}X" in current and f"{label} X" not in current, label
    if slug not in TYPESET_IN_V2:
        return
    v1, v2, v3 = ("\n".join(wording(TEMPLATES / slug / f"{v}.docx")) for v in ("v1", "v2", "v3"))
    # v3 joins words chosen by the grammar filters to names („podpisana X”): breakable, unlike a
    # postal code and its town, which follow the street („, X X,”)
    assert f"X{NBSP}X" in v3 and ", X X," not in v3
    for text, space, other in ((v2, NBSP, " "), (v1, " ", NBSP)):
        assert f"X{space}X" in text and f"X{other}X" not in text  # the only tag-to-tag join: code and town
    for text, space, other in ((v3, NBSP, " "), (v2, NBSP, " "), (v1, " ", NBSP)):
        for label in labels:
            assert f"{label}{space}X" in text and f"{label}{other}X" not in text, label


def test_rendered_wording_never_ends_a_line_with_a_one_letter_word(tmp_path):
    """Each sample, rendered with v2 and with v1 and laid out by LibreOffice: no line of v2 ends
    with a one-letter word; v1's wording did (issue 7: „wycofać w” / „każdej chwili”)."""
    docs = {}
    for doctype in DOCUMENT_TYPES:
        slug = doctype.slug
        context = build_context(doctype, doctype.sample_data, office=OFFICE, case_sign="MOPS.SPS.4011.12.2026",
                                doc_ref="Asysta 7f3a9c21", issued_on=dt.date(2026, 11, 24))
        for version in ("v1", "v2") if slug in TYPESET_IN_V2 else (doctype.template_version,):
            docs[f"{slug}-{version}"] = render_docx(TEMPLATES / slug / f"{version}.docx", context)
    pdfs = convert(tmp_path, docs)

    def line_ends(name):
        lines = line_pdf_text(pdfs[name])
        return [(above, below) for above, below in zip(lines, lines[1:]) if above.split()[-1] in ONE_LETTER]
    current = {slug: "v2" if slug in TYPESET_IN_V2 else DOCUMENT_TYPES[slug].template_version for slug in SLUGS}
    assert {slug: line_ends(f"{slug}-{v}") for slug, v in current.items()} == {slug: [] for slug in SLUGS}
    assert any(line_ends(f"{slug}-v1") for slug in TYPESET_IN_V2)
