"""The generated DOCX templates (scripts/build_templates.py, scripts/templates/<slug>.py) render
with realistic and hostile contexts, and read only what is declared.

Driven by the registry: every test over all types iterates DOCUMENT_TYPES and builds its contexts
from the type's declaration (sample_data, and one variant per choice and boolean value), so a new
type is covered the day it is declared. The tests after those check one type's own wording.
"""
from __future__ import annotations

import copy
import hashlib
import importlib.util
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import meta, nodes

from service.documents.context import sample_context
from service.documents.grammar import Persons, make_person
from service.documents.registry import DOCUMENT_TYPES
from service.documents.render import RenderError, make_environment, render_docx
from service.documents.spec import DocumentType, FieldSpec, GroupSpec
from service.documents.template_vars import OFFICE_ATTRS, TEMPLATE_VAR_NAMES
from tests.helpers import normalise_typesetting

TEMPLATES = Path(__file__).resolve().parents[2] / "forms_templates"
TYPES = list(DOCUMENT_TYPES)
HOSTILE = "Kowalska & <Syn> \"cudzysłów\" 'apostrof' {{ x }} {% if %} 😀 שלום مرحبا\nnowa linia"
LONG = ("Bardzo długi tekst ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ " * 100)[:3000]


def office(**over) -> dict:
    """A realistic office profile (build_context passes a dict; templates read it as office.name)."""
    values = dict(name="Miejski Ośrodek Pomocy Społecznej w Oświęcimiu", street="ul. Wyspiańskiego 10",
                  postal_code="32-600", town="Oświęcim", phone="33 842 24 76", email="sekretariat@mops.oswiecim.pl",
                  nip="549-10-34-225", regon="004201823", head_name="Anna Nowak",
                  head_title="Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu",
                  iod_email="iod@mops.oswiecim.pl")
    values.update(over)
    return values


def common(title: str, basis: str) -> dict:
    """The keys every template receives."""
    return {"office": office(), "case_sign": "MOPS.SPS.4011.12.2026",
            "place_date": "Oświęcim, dnia 24 listopada 2026 r.", "place": "Oświęcim",
            "issue_date": "24 listopada 2026 r.",
            "doc_ref": "Asysta 7f3a9c21", "title": title, "legal_basis": basis, "raw": {}}


WSPIERANIE = ("art. 11 ust. 3 pkt 1 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy "
              "zastępczej (Dz. U. z 2025 r. poz. 49)")


def family_consent(persons: int = 3) -> dict:
    """A sample context for family_consent."""
    people = [{"full_name": "Joanna Kowalska", "pesel": "85010112345", "role": "matka"},
              {"full_name": "Łukasz Kowalski", "pesel": "", "role": "ojciec"},
              {"full_name": "Zofia Kowalska-Źródłowska", "pesel": "50020254321", "role": "babcia"},
              {"full_name": "Michał Kowalski", "pesel": "05231298765", "role": "syn (pełnoletni)"}]
    for row, gender in zip(people, "fmfm"):
        row["person"] = make_person(row["full_name"], gender)
    ctx = common("Zgoda rodziny na współpracę z asystentem rodziny",
                 "art. 8 ust. 1 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej "
                 "(Dz. U. z 2025 r. poz. 49)")
    ctx.update(persons=people[:persons], street="ul. Śląska 5/12", postal_code="32-600", town="Oświęcim",
               assistant_name="Katarzyna Wiśniewska", social_worker_name="Piotr Żółkiewski",
               consent_date="24 listopada 2026 r.", consenting=Persons(tuple(p["person"] for p in people[:persons])),
               assistant=make_person("Katarzyna Wiśniewska", "f"), social_worker=make_person("Piotr Żółkiewski", "m"))
    return ctx


def assignment_letter(basis: str = "request") -> dict:
    """A sample context for assignment_letter."""
    ctx = common("Pismo przydzielające rodzinie asystenta rodziny", WSPIERANIE)
    ctx["raw"] = {"basis": basis}
    ctx.update(addressee_name="Pani Joanna Kowalska", street="ul. Śląska 5/12", postal_code="32-600",
               town="Oświęcim", assistant_name="Katarzyna Wiśniewska", assistant_phone="600 123 456",
               assistant_email="k.wisniewska@mops.oswiecim.pl", start_date="1 grudnia 2026 r.",
               basis="na wniosek pracownika socjalnego" if basis == "request" else "postanowienie sądu",
               request_date="18 listopada 2026 r." if basis == "request" else "",
               court_name="Sąd Rejonowy w Oświęcimiu, III Wydział Rodzinny i Nieletnich" if basis == "court" else "",
               court_case_number="III Nsm 123/26" if basis == "court" else "",
               court_decision_date="5 listopada 2026 r." if basis == "court" else "",
               social_worker_name="Piotr Żółkiewski", assistant=make_person("Katarzyna Wiśniewska", "f"),
               social_worker=make_person("Piotr Żółkiewski", "m"))
    return ctx


def power_of_attorney(scope: str = "specific", health: bool = True) -> dict:
    """A sample context for zz_power_of_attorney."""
    ctx = common("Upoważnienie do występowania w imieniu osoby uprawnionej",
                 "art. 8 ust. 2 ustawy z dnia 4 listopada 2016 r. o wsparciu kobiet w ciąży i rodzin „Za życiem” "
                 "(Dz. U. z 2024 r. poz. 1829)")
    ctx["raw"] = {"scope": scope, "health_data_consent": health}
    ctx.update(principal_name="Joanna Kowalska", principal_pesel="85010112345", street="ul. Śląska 5/12",
               postal_code="32-600", town="Oświęcim", principal_phone="600 987 654",
               assistant_name="Katarzyna Wiśniewska", principal=make_person("Joanna Kowalska", "f"),
               assistant=make_person("Katarzyna Wiśniewska", "f"),
               scope="Upoważnienie szczególne (do jednej sprawy)" if scope == "specific" else "Upoważnienie ogólne",
               matter="uzyskania świadczenia „Za życiem” (jednorazowa zapomoga 4000 zł)\noraz rehabilitacji dziecka"
               if scope == "specific" else "",
               institutions=[{"name": "Zakład Ubezpieczeń Społecznych, Oddział w Chrzanowie",
                              "address": "ul. Trzebińska 15, 32-500 Chrzanów"},
                             {"name": "Poradnia Psychologiczno-Pedagogiczna w Oświęcimiu", "address": ""}],
               actions=["uzyskiwanie informacji o przysługującym wsparciu i o stanie spraw",
                        "składanie wniosków, oświadczeń i dokumentów", "odbieranie pism i dokumentów",
                        "towarzyszenie osobie uprawnionej w kontaktach z podmiotami"],
               valid_from="24 listopada 2026 r.", valid_until="" if scope == "general" else "31 maja 2027 r.")
    return ctx


def hostile(ctx: dict) -> dict:
    """The same context with every printable string replaced by hostile or very long text."""
    out = copy.deepcopy(ctx)

    def spoil(value, key=""):
        """Hostile text for strings, recursively."""
        if isinstance(value, str):
            return LONG if key in {"matter", "street", "full_name", "addressee_name", "assistant_name"} else HOSTILE
        if isinstance(value, list):
            return [spoil(v, key) for v in value]
        if isinstance(value, dict):
            return {k: spoil(v, k) for k, v in value.items()}
        return value
    raw = out.pop("raw")
    out = {k: spoil(v, k) for k, v in out.items()}
    out["office"] = SimpleNamespace(**{k: HOSTILE for k in ctx["office"]})  # attribute access works too
    out["raw"] = raw
    return out


def template(slug: str) -> Path:
    """The template version documents of this slug are issued with now."""
    return DOCUMENT_TYPES[slug].template_path


def all_text(data: bytes) -> str:
    """Every w:t text of the document body, headers and footers, concatenated with newlines,
    with U+00A0 and U+2011 (the templates' and values' typesetting) read as a space and "-"."""
    doc = Document(io.BytesIO(data))
    parts = [doc.element.body] + [s.footer._element for s in doc.sections]
    return normalise_typesetting("\n".join(t.text or "" for part in parts for t in part.iter(qn("w:t"))))


def variants(doctype: DocumentType) -> list[dict]:
    """The type's sample data, and one copy per other value of each top-level choice and boolean
    field (so that each branch a template takes on them is rendered)."""
    base = doctype.sample_data
    out = [base]
    for spec in doctype.fields:
        if not isinstance(spec, FieldSpec):
            continue
        if spec.kind == "choice":
            out += [{**base, spec.name: key} for key, _ in spec.choices if key != base.get(spec.name)]
        elif spec.kind == "boolean":
            out.append({**base, spec.name: not base.get(spec.name)})
    return out


CASES = [pytest.param(t, i, id=f"{t.slug}-{i}") for t in TYPES for i in range(len(variants(t)))]


def sha256sums() -> dict[tuple[str, str], str]:
    """forms_templates/SHA256SUMS: (slug, version) -> the committed file's SHA-256."""
    sums = {}
    for line in (TEMPLATES / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        slug, version = name.removesuffix(".docx").split("/")
        sums[(slug, version)] = digest
    return sums


def build_script():
    """scripts/build_templates.py as a module (scripts/ is not a package)."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "build_templates.py"
    spec = importlib.util.spec_from_file_location("build_templates", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_template_version_is_kept_unchanged():
    """Archived documents name their template version and its SHA-256: a version never changes once
    committed (SHA256SUMS gains lines, never changes one), and every type's current version is listed."""
    committed = {(p.parent.name, p.stem): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in TEMPLATES.glob("*/v*.docx")}
    assert committed == sha256sums()
    assert all((t.slug, t.template_version) in committed for t in TYPES)


def test_build_script_reproduces_every_version_byte_for_byte(tmp_path):
    build_script().main(tmp_path)
    built = {(p.parent.name, p.stem): hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.glob("*/v*.docx")}
    assert built == sha256sums()


def jinja_tree(path: Path) -> nodes.Template:
    """The Jinja tree of a DOCX template's body, headers and footers, as docxtpl compiles them."""
    tpl = DocxTemplate(str(path))
    doc = Document(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(doc.element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI):
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return make_environment().parse(xml)


def _base(node: nodes.Node) -> nodes.Node:
    """The name an expression starts from: pair[1].full_name -> pair; persons|batch(2) -> persons."""
    while isinstance(node, (nodes.Getitem, nodes.Getattr, nodes.Filter)):
        node = node.node
    return node


def reads(doctype: DocumentType, tree: nodes.Template) -> dict[str, set[str]]:
    """What a template reads: "top" (its free names), "office" and "raw" (their attributes, raw.get('x')
    included), and for each group the attributes read of its rows (through loop variables)."""
    rows_of: dict[str, str] = {}  # loop variable -> group
    groups = {f.name for f in doctype.fields if isinstance(f, GroupSpec)}
    for loop in tree.find_all(nodes.For):
        base = _base(loop.iter)
        if isinstance(base, nodes.Name) and base.name in groups and isinstance(loop.target, nodes.Name):
            rows_of[loop.target.name] = base.name
    found: dict[str, set[str]] = {"top": meta.find_undeclared_variables(tree), "office": set(), "raw": set(),
                                  **{g: set() for g in groups}}
    for node in tree.find_all(nodes.Getattr):
        base = _base(node.node)
        if not isinstance(base, nodes.Name) or base is not node.node and base.name in ("office", "raw"):
            continue
        if base.name in ("office", "raw"):
            found[base.name].add(node.attr)
        elif base.name in rows_of:
            found[rows_of[base.name]].add(node.attr)
    for call in tree.find_all(nodes.Call):
        if (isinstance(call.node, nodes.Getattr) and call.node.attr == "get" and isinstance(call.node.node, nodes.Name)
                and call.node.node.name == "raw" and call.args and isinstance(call.args[0], nodes.Const)):
            found["raw"].add(call.args[0].value)
    found["raw"].discard("get")
    return found


@pytest.mark.parametrize("doctype", TYPES, ids=lambda t: t.slug)
def test_template_reads_only_declared_names(doctype):
    """Every name the current template reads is a field, a group's field, a person (PersonRef), a
    declared template variable (template_vars.py) or one the type adds (DocumentType.extra_vars);
    office.<x> a declared office attribute."""
    found = reads(doctype, jinja_tree(doctype.template_path))
    fields = {f.name for f in doctype.fields}
    persons = {p.key for p in doctype.persons}
    declared = fields | persons | TEMPLATE_VAR_NAMES | {v.name for v in doctype.extra_vars}
    assert found["top"] <= declared, found["top"] - declared
    assert found["office"] <= {a.name for a in OFFICE_ATTRS}
    assert found["raw"] <= fields
    for group in (f for f in doctype.fields if isinstance(f, GroupSpec)):
        assert found[group.name] <= {sub.name for sub in group.fields} | {"person"}, group.name


@pytest.mark.parametrize("doctype", TYPES, ids=lambda t: t.slug)
def test_every_required_field_is_printed(doctype):
    """A required field the template never reads would be asked for and lost. Read means: by its
    name, under raw, through a person whose name, PESEL or sex it is, or through a variable of the
    type's own that prints it (TemplateVar.prints)."""
    found = reads(doctype, jinja_tree(doctype.template_path))
    through_persons: dict[str | None, set[str]] = {}
    for ref in doctype.persons:
        if ref.key in found["top"] or (ref.group and "person" in found.get(ref.group, ())):
            through_persons.setdefault(ref.group, set()).update(
                name for name in (ref.name, ref.pesel, ref.sex) if name)
    # what the type's own variables print (DocumentType.extra_vars: a plan's goals with their actions)
    through_extra = {name for v in doctype.extra_vars if v.name in found["top"] for name in v.prints}
    for spec in doctype.fields:
        if spec.name in through_extra:
            continue
        if isinstance(spec, GroupSpec):
            assert spec.name in found["top"], spec.name
            read = found[spec.name] | through_persons.get(spec.name, set())
            missing = [sub.name for sub in spec.fields if sub.required and sub.name not in read]
            assert not missing, f"{spec.name}: {missing}"
        elif spec.required:
            assert spec.name in found["top"] | found["raw"] | through_persons.get(None, set()), spec.name


def test_the_check_sees_an_undeclared_name(tmp_path):
    """The check itself: a template reading a name nobody declares is caught."""
    doctype = DOCUMENT_TYPES["assignment_letter"]
    doc = Document(str(doctype.template_path))
    doc.add_paragraph("{{ assitant_name }} {{ office.adress }} {{ raw.basiss }}")
    doc.save(tmp_path / "bad.docx")
    found = reads(doctype, jinja_tree(tmp_path / "bad.docx"))
    assert "assitant_name" in found["top"] and "adress" in found["office"] and "basiss" in found["raw"]


@pytest.mark.parametrize(("doctype", "i"), CASES)
def test_sample_renders_to_a_valid_docx(doctype, i):
    ctx = sample_context(doctype, variants(doctype)[i])
    text = all_text(render_docx(doctype.template_path, ctx))
    assert "{{" not in text and "{%" not in text
    for value in (ctx["title"], ctx["case_sign"], ctx["doc_ref"], ctx["office"]["name"]):
        assert normalise_typesetting(value) in text
    assert "Strona" in text


@pytest.mark.parametrize(("doctype", "i"), CASES)
def test_hostile_values_are_printed_literally(doctype, i):
    data = render_docx(doctype.template_path, hostile(sample_context(doctype, variants(doctype)[i])))
    text = all_text(data)
    assert "Kowalska & <Syn>" in text and "{{ x }}" in text and "{% if %}" in text
    assert "😀" in text and "שלום" in text and "مرحبا" in text
    assert LONG in text  # every type so far prints an address (street) or the assistant's name


@pytest.mark.parametrize("persons", [1, 2, 3, 4])
def test_family_consent_has_one_signature_marker_per_person(persons):
    text = all_text(render_docx(template("family_consent"), family_consent(persons)))
    markers = [line for line in text.split("\n") if line.startswith("SIG:")]
    assert markers == [f"SIG:family_member:{n}" for n in range(persons)]
    assert "Panią Katarzyną Wiśniewską" in text and "jest Pan Piotr Żółkiewski" in text


def test_family_consent_optional_names_can_be_empty():
    ctx = family_consent(2) | {"assistant_name": "", "social_worker_name": "", "assistant": None,
                                "social_worker": None}
    text = all_text(render_docx(template("family_consent"), ctx))
    assert "zatrudnionym przez Miejski Ośrodek Pomocy Społecznej w Oświęcimiu oraz" in text
    assert "Panią" not in text and "pracownikiem socjalnym prowadzącym" not in text
    assert "–" in text  # the missing PESEL
    # without the point naming the social worker the list ends with the point before it, in a full stop
    assert "podjęte przed jej wycofaniem.\n" in text and "podjęte przed jej wycofaniem;" not in text


def test_family_consent_points_run_on_to_the_social_worker():
    text = all_text(render_docx(template("family_consent"), family_consent(2)))
    assert "podjęte przed jej wycofaniem;\n" in text and "jest Pan Piotr Żółkiewski." in text


@pytest.mark.parametrize(("basis", "expected", "absent"), [
    ("request", "na wniosek pracownika socjalnego z dnia 18 listopada 2026 r.", "sygn. akt"),
    ("court", "sygn. akt III Nsm 123/26, wydanym przez Sąd Rejonowy w Oświęcimiu", "na wniosek pracownika"),
])
def test_assignment_letter_basis(basis, expected, absent):
    text = all_text(render_docx(template("assignment_letter"), assignment_letter(basis)))
    assert expected in text and absent not in text
    assert [line for line in text.split("\n") if line.startswith("SIG:")] == ["SIG:head_of_office:0"]


@pytest.mark.parametrize(("scope", "health"), [("specific", True), ("general", False), ("general", True)])
def test_power_of_attorney_variants(scope, health):
    """Scope, validity and the optional health-data consent (with its own signature slot)."""
    ctx = power_of_attorney(scope, health)
    text = all_text(render_docx(template("zz_power_of_attorney"), ctx))
    markers = [line for line in text.split("\n") if line.startswith("SIG:")]
    assert markers == ["SIG:principal:0"] + (["SIG:principal_health_consent:0"] if health else [])
    assert ("nie wyraziła zgody" in text) is not health
    assert ("uzyskania świadczenia „Za życiem”" in text) is (scope == "specific")
    assert ("do odwołania" in text) is (scope == "general")
    assert all(action in text for action in ctx["actions"])


def test_multiline_matter_becomes_line_breaks():
    data = render_docx(template("zz_power_of_attorney"), power_of_attorney("specific"))
    body = Document(io.BytesIO(data)).element.body
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))
                  if p.find(qn("w:r") + "/" + qn("w:br")) is not None]
    assert paragraphs == ["uzyskania świadczenia „Za życiem” (jednorazowa zapomoga 4000 zł)oraz rehabilitacji dziecka"]


def _fails_without(doctype: DocumentType, ctx: dict, name: str) -> bool:
    """Whether rendering `ctx` minus `name` raises RenderError."""
    try:
        render_docx(doctype.template_path, {k: v for k, v in ctx.items() if k != name})
    except RenderError:
        return True
    return False


@pytest.mark.parametrize("doctype", TYPES, ids=lambda t: t.slug)
def test_missing_variable_raises_render_error(doctype):
    # Names read only in one branch (e.g. court_name) raise only with a variant taking that branch.
    contexts = [sample_context(doctype, data) for data in variants(doctype)]
    for name in sorted(reads(doctype, jinja_tree(doctype.template_path))["top"]):
        assert any(_fails_without(doctype, ctx, name) for ctx in contexts), name


@pytest.mark.parametrize("office_value", [{"name": "Tylko nazwa"}, SimpleNamespace(name="Tylko nazwa")])
@pytest.mark.parametrize("doctype", TYPES, ids=lambda t: t.slug)
def test_missing_attribute_raises_render_error(doctype, office_value):
    with pytest.raises(RenderError):
        render_docx(doctype.template_path, sample_context(doctype) | {"office": office_value})


def test_health_consent_may_be_absent_from_raw():
    ctx = power_of_attorney("general", False)
    ctx["raw"] = {"scope": "general"}
    assert "nie wyraziła zgody" in all_text(render_docx(template("zz_power_of_attorney"), ctx))


@pytest.mark.parametrize("doctype", TYPES, ids=lambda t: t.slug)
def test_template_layout_basics(doctype):
    doc = Document(str(doctype.template_path))
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == 2.5
    assert doc.styles["Normal"].font.name == "Liberation Serif"
    assert doc.core_properties.author == "Asysta" and doc.core_properties.title
    footer = section.footer._element
    instr = " ".join(t.text for t in footer.iter(qn("w:instrText")))
    assert "PAGE" in instr and "NUMPAGES" in instr
    for tbl in doc.element.body.iter(qn("w:tbl")):
        grid = [int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
        assert all(grid)
        for tr in tbl.findall(qn("w:tr")):
            widths, spanned, column = [], [], 0
            for tc in tr.findall(qn("w:tc")):  # a merged cell (gridSpan) is as wide as its columns
                span = tc.find(qn("w:tcPr")).find(qn("w:gridSpan"))
                span = int(span.get(qn("w:val"))) if span is not None else 1
                widths.append(int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))))
                spanned.append(sum(grid[column:column + span]))
                column += span
            assert widths == spanned and column == len(grid)


# ---------------------------------------------------------------- hours, the head's title, the visit's goals

# A clock time written with a colon („15:00”); the documents write „15.00” (the time kind's print,
# service/documents/kinds/parsed.py, after the PWN rule)
COLON_HOUR = re.compile(r"(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])")


@pytest.mark.parametrize(("doctype", "i"), CASES)
def test_hours_are_written_one_way(doctype, i):
    """No „15:00” in any type's wording or sample: the documents write hours „9.05”, as the time
    fields print them (a stray colon form came from the rules' sample of other arrangements)."""
    text = all_text(render_docx(doctype.template_path, sample_context(doctype, variants(doctype)[i])))
    assert not COLON_HOUR.findall(text)


def test_a_visit_record_prints_its_hours_as_the_time_field_does():
    visit = DOCUMENT_TYPES["visit_record"]
    data = {**visit.sample_data, **visit.service_sample, "time_from": "09:05", "time_to": "17:30"}
    assert "Godziny\n9.05–17.30" in all_text(render_docx(visit.template_path, sample_context(visit, data)))


HEAD_TITLE = "Dyrektor Centrum Usług Społecznych w Oświęcimiu"


@pytest.mark.parametrize(("doctype", "i"), CASES)
def test_the_head_is_named_by_the_title_the_office_gives(doctype, i):
    """No document says „kierownik ośrodka” (in any case) where the office profile names its head
    „Dyrektor …”: under the head's signature, in the distribution list and in the text the title
    is the office's own (office.head_title)."""
    ctx = sample_context(doctype, variants(doctype)[i])
    ctx["office"] = {**ctx["office"], "head_title": HEAD_TITLE}
    text = all_text(render_docx(doctype.template_path, ctx))
    assert "kierownik" not in text.lower()
    if doctype.slug in ("periodic_assessment", "final_report"):  # the head first in their distribution lists
        assert f"Otrzymują:\n1. {HEAD_TITLE}\n" in text
    if any(slot.staff_role is not None and slot.staff_role.value == "head" for slot in doctype.signers):
        assert HEAD_TITLE in text


@pytest.mark.parametrize(("status", "expected"), [
    ("current", "Na spotkaniu nie pracowano nad celami planu pracy z rodziną."),
    ("none", "Plan pracy z rodziną nie został jeszcze opracowany."),
    (None, "W karcie nie wskazano celów planu pracy z rodziną."),
])
def test_a_visit_record_without_goals_says_what_fits_the_family(status, expected):
    """No goal ticked: one sentence chosen by what the service recorded of the family's plan (a
    plan in force; none yet; a record made without a family's file), never a stock „… albo …”."""
    visit = DOCUMENT_TYPES["visit_record"]
    data = {**visit.sample_data, "goals_text": "", **({"plan_status": status} if status else {})}
    text = all_text(render_docx(visit.template_path, sample_context(visit, data)))
    goals = text.split("nad którymi pracowano\n", 1)[1].split("\nPrzebieg spotkania", 1)[0]
    assert goals == expected


KEPT = ("assistant_request", "cooperation_rules", "work_plan", "visit_record", "monthly_family_report",
        "monthly_time_report", "periodic_assessment", "final_report", "monitoring_note", "resignation")


@pytest.mark.parametrize("slug", KEPT)
def test_lines_a_text_was_typed_in_are_not_stretched(slug):
    """A text typed in lines (a visit's goals, one a line; a diagnosis) prints in a justified
    paragraph: each line ended by a line break stays as long as it is (w:doNotExpandShiftReturn),
    instead of its words spread over the width."""
    settings = Document(str(DOCUMENT_TYPES[slug].template_path)).settings.element
    assert settings.find(f"{qn('w:compat')}/{qn('w:doNotExpandShiftReturn')}") is not None


@pytest.mark.parametrize(("slug", "group", "name"), [("cooperation_rules", "persons", "full_name"),
                                                     ("resignation", "persons", "full_name"),
                                                     ("work_plan", "participants", "full_name")])
def test_a_signer_s_role_in_brackets_is_not_bracketed_again(slug, group, name):
    """Under a family member's signature the role stands on its own line: a role typed with its own
    brackets („syn (pełnoletni)”) printed in brackets after the name closed „))”."""
    doctype = DOCUMENT_TYPES[slug]
    data = {**doctype.sample_data, **doctype.service_sample}
    data[group] = [{**row, "role": "syn (pełnoletni)"} for row in data[group]]
    text = all_text(render_docx(doctype.template_path, sample_context(doctype, data)))
    assert "))" not in text and "syn (pełnoletni)" in text
