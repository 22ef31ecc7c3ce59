"""A signature never stands on a page without the text it signs, and what belongs to the signatures
(„Otrzymują:” and its list) never stands on a page without them.

Two levels:
- the templates' structure, for every type of the work with a family and every variant of its
  sample (cheap, no LibreOffice):
  the paragraphs between a document's last text and its signature block keep with the next
  (w:keepNext), the rows of a signature table do not break and keep together, and nothing with text
  follows the last signature table (forms_templates/README.md: LibreOffice keeps the rows of a
  table together, not a table with the paragraph after it);
- the pages LibreOffice lays out (pypdf's text of each page), for the samples that showed the
  faults (a work plan, a long one with 15 actions, a visit record with its goals, a final report,
  a periodic assessment, a request) and for a note pushed page line by page line towards the break.
"""
from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from service.documents.context import sample_context
from service.documents.convert import ConverterPool
from service.documents.registry import DOCUMENT_TYPES
from service.documents.render import render_docx
from tests.documents.test_templates import variants
from tests.helpers import normalise_typesetting, squash

# Every type: those of the work with a family (issue 11) were built on these rules, the first
# three types (family_consent, assignment_letter, zz_power_of_attorney) follow them since their v4.
KEPT = ("family_consent", "assignment_letter", "zz_power_of_attorney", "assistant_request", "cooperation_rules",
        "work_plan", "visit_record", "monthly_family_report", "monthly_time_report", "periodic_assessment",
        "final_report", "monitoring_note", "resignation")
TYPES = [DOCUMENT_TYPES[slug] for slug in KEPT]


def test_every_type_is_kept():
    """The structural check covers every type of the registry, a type added later too."""
    assert sorted(KEPT) == sorted(t.slug for t in DOCUMENT_TYPES)
CASES = [pytest.param(t, i, id=f"{t.slug}-{i}") for t in TYPES for i in range(len(variants(t)))]


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _keeps_next(p) -> bool:
    ppr = p.find(qn("w:pPr"))
    keep = ppr.find(qn("w:keepNext")) if ppr is not None else None
    return keep is not None and keep.get(qn("w:val")) not in ("0", "false")


def _is_heading(p) -> bool:
    ppr = p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:outlineLvl")) is not None


def _signature_table(el) -> bool:
    return el.tag == qn("w:tbl") and "SIG:" in _text(el)


def _under_signatures_heading(body: list, j: int) -> bool:
    """Whether paragraph j is the formula of the signatures' own part: the first text after a
    heading „Podpisy”/„Podpis …” („Plan ustalono wspólnie …”), which is no text they sign."""
    k = j - 1
    while k >= 0 and body[k].tag == qn("w:p") and not _text(body[k]).strip():
        k -= 1
    return k >= 0 and body[k].tag == qn("w:p") and _is_heading(body[k]) and _text(body[k]).strip().startswith("Podpis")


def layout_faults(docx: bytes) -> list[str]:
    """What lets a page break leave a signature without its text, in a rendered DOCX: [] when none."""
    body = [el for el in Document(io.BytesIO(docx)).element.body if el.tag in (qn("w:p"), qn("w:tbl"))]
    faults = []
    blocks = [i for i, el in enumerate(body) if _signature_table(el)]
    if not blocks:
        return ["no signature table"]
    for i in blocks:
        table = body[i]
        rows = table.findall(qn("w:tr"))
        for n, tr in enumerate(rows):
            trpr = tr.find(qn("w:trPr"))
            if trpr is None or trpr.find(qn("w:cantSplit")) is None:
                faults.append(f"table {i}: row {n} may break across pages")
            if n < len(rows) - 1 and not all(_keeps_next(p) for p in tr.iter(qn("w:p"))):
                faults.append(f"table {i}: row {n} does not keep with the row after it")
        # walking back to the text the block signs: every paragraph keeps with the next, up to and
        # including the first one with text that is no heading and no formula of the signatures'
        # own part (_under_signatures_heading)
        j = i - 1
        while j >= 0:
            el = body[j]
            if el.tag == qn("w:tbl"):
                faults.append(f"table {i}: a table ({_text(el)[:40]!r}) right before the signatures")
                break
            if not _keeps_next(el):
                faults.append(f"table {i}: {_text(el)[:60]!r} does not keep with the signatures")
                break
            if _text(el).strip() and not _is_heading(el) and not _under_signatures_heading(body, j):
                break
            j -= 1
    after = [_text(el) for el in body[blocks[-1] + 1:] if _text(el).strip()]
    if after:
        faults.append(f"text after the last signatures, not kept with them: {after[0][:60]!r}")
    return faults


@pytest.mark.parametrize(("doctype", "i"), CASES)
def test_the_signature_block_keeps_with_its_text(doctype, i):
    docx = render_docx(doctype.template_path, sample_context(doctype, variants(doctype)[i]))
    assert layout_faults(docx) == []


def test_the_check_sees_a_signature_block_that_would_stand_alone():
    """The check itself, on the templates issued before these rules: the last review found the
    work plan's and the visit record's signatures alone on page 2 and „Otrzymują:” alone after
    the final report's; the first three types' v3 had the same faults, and the authorisation
    without the consent to health data printed its note unsigned after the last signature."""
    for slug, version, fault in (("work_plan", "v1", "does not keep with the signatures"),
                                 ("visit_record", "v1", "does not keep with the signatures"),
                                 ("final_report", "v1", "text after the last signatures"),
                                 ("family_consent", "v3", "does not keep with the signatures"),
                                 ("assignment_letter", "v3", "does not keep with the signatures"),
                                 ("assignment_letter", "v3", "text after the last signatures"),
                                 ("zz_power_of_attorney", "v3", "does not keep with the signatures")):
        doctype = DOCUMENT_TYPES[slug]
        docx = render_docx(doctype.template_path.with_name(f"{version}.docx"), sample_context(doctype))
        assert any(fault in f for f in layout_faults(docx)), (slug, fault)
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    no_consent = sample_context(doctype, {**doctype.sample_data, "health_data_consent": False})
    v3 = layout_faults(render_docx(doctype.template_path.with_name("v3.docx"), no_consent))
    assert any("text after the last signatures, not kept with them: 'Zgoda na przetwarzanie" in f for f in v3), v3


# ------------------------------------------------------------------ the pages, laid out by LibreOffice

@pytest.fixture(scope="module")
def lo(tmp_path_factory):
    pool = ConverterPool(1, tmp_path_factory.mktemp("lo-signature-pages"))
    pool.start()
    yield pool
    pool.stop()


def pages(lo, doctype, data) -> list[str]:
    """The squashed text of each page of the type's current template rendered with `data`."""
    pdf = lo.convert(render_docx(doctype.template_path, sample_context(doctype, data)))
    return [squash(normalise_typesetting(p.extract_text())) for p in PdfReader(io.BytesIO(pdf)).pages]


def page_of(texts: list[str], phrase: str) -> int:
    """The number (from 1) of the page holding `phrase`; fails when no page or several hold it."""
    found = [n for n, text in enumerate(texts, 1) if squash(phrase) in text]
    assert len(found) == 1, (phrase, found)
    return found[0]


def sample(slug: str, **over) -> dict:
    doctype = DOCUMENT_TYPES[slug]
    return {**doctype.sample_data, **doctype.service_sample, **over}


def long_plan() -> dict:
    """The work plan's sample with 5 goals of 3 actions each."""
    data = sample("work_plan")
    goals = [{"goal_no": str(g), "goal": f"Cel numer {g}: poprawa sytuacji rodziny w obszarze {g}."}
             for g in range(1, 6)]
    actions = [{"goal_no": str(g), "scope": f"Działanie {g}.{a} w sprawie celu {g}, uzgodnione z rodziną.",
                "deadline": "2027-01-31", "expected_effect": f"Efekt działania {g}.{a} widoczny w rodzinie.",
                "responsible": "Anna Kowalska z asystentem rodziny"} for g in range(1, 6) for a in range(1, 4)]
    return {**data, "goals": goals, "actions": actions}


# (slug, data, [(the text signed, a caption or the (white) marker of its signatures)]): each pair
# on one page
SAME_PAGE = [
    ("work_plan", sample("work_plan"), [("Realizacja planu zostanie oceniona", "SIG:family_member:1"),
                                        ("Realizacja planu zostanie oceniona", "Katarzyna Zielińska asystent rodziny")]),
    ("work_plan", long_plan(), [("Realizacja planu zostanie oceniona", "Katarzyna Zielińska asystent rodziny")]),
    ("visit_record", sample("visit_record"), [("Następne spotkanie", "członek rodziny obecny na spotkaniu"),
                                              ("Następne spotkanie", "Katarzyna Zielińska asystent rodziny")]),
    ("final_report", sample("final_report"), [("ośrodek monitoruje funkcjonowanie rodziny", "Zatwierdzam:"),
                                              ("Otrzymują:", "Zatwierdzam:"), ("3. ad acta", "Zatwierdzam:")]),
    ("periodic_assessment", sample("periodic_assessment"), [("Asystent rodziny zaleca", "Przyjmuję:"),
                                                            ("Otrzymują:", "Przyjmuję:")]),
    ("assistant_request", sample("assistant_request"), [("Rodzinę zgłosiła", "podpis pracownika socjalnego"),
                                                        ("Zatwierdzam wniosek", "data i podpis")]),
]


@pytest.mark.parametrize(("slug", "data", "pairs"), SAME_PAGE,
                         ids=["work_plan", "work_plan-15-actions", "visit_record", "final_report",
                              "periodic_assessment", "assistant_request"])
def test_signatures_are_on_the_page_of_the_text_they_sign(lo, slug, data, pairs):
    texts = pages(lo, DOCUMENT_TYPES[slug], data)
    for signed, caption in pairs:
        assert page_of(texts, signed) == page_of(texts, caption), (signed, caption, len(texts))


def test_a_long_plan_repeats_the_actions_header_on_every_page_of_the_table(lo):
    texts = pages(lo, DOCUMENT_TYPES["work_plan"], long_plan())
    with_actions = [t for t in texts if re.search(r"Działanie\d\.\d", t)]
    assert len(with_actions) >= 2 and all(squash("Zakres działania") in t for t in with_actions)


@pytest.mark.parametrize("lines", range(0, 31, 3))
def test_a_note_pushed_towards_the_page_break_keeps_its_end_with_the_signature(lo, lines):
    """The monitoring note's observations grown line by line (a sentence is about a line; 3 lines a
    step) move the end of the first page across the note's last part and its signature: at every
    step the part on the need of support stays on the signature's page."""
    sentence = "Rodzina utrzymuje porządek dnia, dzieci uczęszczają do szkoły i przedszkola, czynsz jest opłacony. "
    data = sample("monitoring_note", observations=(sentence * (lines + 1)).strip())
    texts = pages(lo, DOCUMENT_TYPES["monitoring_note"], data)
    assert page_of(texts, "Potrzeba ponownego objęcia") == page_of(texts, "data i czytelny podpis")
