"""The generated DOCX templates (scripts/build_templates.py) render with realistic and hostile contexts."""
from __future__ import annotations

import copy
import hashlib
import importlib.util
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from service.documents.grammar import Persons, make_person
from service.documents.registry import DOCUMENT_TYPES
from service.documents.render import RenderError, make_environment, render_docx
from tests.helpers import normalise_typesetting

TEMPLATES = Path(__file__).resolve().parents[2] / "forms_templates"
SLUGS = ("family_consent", "assignment_letter", "zz_power_of_attorney")
COMMON = {"office", "case_sign", "place_date", "doc_ref", "title", "legal_basis"}
# Exactly the top-level names each template reads (issue_date is provided but not printed).
USES = {
    "family_consent": COMMON | {"persons", "street", "postal_code", "town", "assistant_name", "social_worker_name",
                                "consent_date"},
    "assignment_letter": COMMON | {"raw", "addressee_name", "street", "postal_code", "town", "assistant_name",
                                   "assistant_phone", "assistant_email", "start_date", "request_date", "court_name",
                                   "court_case_number", "court_decision_date", "social_worker_name"},
    "zz_power_of_attorney": COMMON | {"raw", "principal_name", "principal_pesel", "street", "postal_code", "town",
                                      "principal_phone", "assistant_name", "scope", "matter", "institutions",
                                      "actions", "valid_from", "valid_until"},
}
# v3 reads the persons (grammar.Person / Persons) instead of some of the names it declines.
USES_V3 = {
    "family_consent": USES["family_consent"] - {"assistant_name", "social_worker_name"}
    | {"consenting", "assistant", "social_worker"},
    "assignment_letter": USES["assignment_letter"] - {"social_worker_name"} | {"assistant", "social_worker"},
    "zz_power_of_attorney": USES["zz_power_of_attorney"] - {"assistant_name"} | {"principal", "assistant"},
}
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
            "place_date": "Oświęcim, dnia 24 listopada 2026 r.", "issue_date": "24 listopada 2026 r.",
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


SAMPLES = {
    "family_consent": [family_consent(1), family_consent(3), family_consent(4)],
    "assignment_letter": [assignment_letter("request"), assignment_letter("court")],
    "zz_power_of_attorney": [power_of_attorney("specific", True), power_of_attorney("general", False)],
}


def hostile(ctx: dict) -> dict:
    """The same context with every printable string replaced by hostile or very long text."""
    out = copy.deepcopy(ctx)

    def spoil(value, key=""):
        """Hostile text for strings, recursively."""
        if isinstance(value, str):
            return LONG if key in {"matter", "street", "full_name", "addressee_name"} else HOSTILE
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


CASES = [(slug, i) for slug, ctxs in SAMPLES.items() for i in range(len(ctxs))]


# Archived documents name their template version and its SHA-256: a version never changes once committed.
SHA256 = {
    ("family_consent", "v1"): "bba84dc78df3a24c91ab39a833ac29ee8914ba4e41d27108e7d9d4befafe6df2",
    ("assignment_letter", "v1"): "66ea9dabbe06d6cc2cbc3094abd7fb857cebbd2b7829aa80cfe627c65eee7a32",
    ("zz_power_of_attorney", "v1"): "c2a2e131c09c3cbcc885c6dba68ec06a0d55bccbc81f0c08872abbbcbb9c122d",
    ("family_consent", "v2"): "a4c3c06ee95593a39408c8115f910416dac6554840baa9d78cf196dd4db3d9f6",
    ("assignment_letter", "v2"): "2c4b21be08ea8c49e0265aa83fceb535730183a1ca912419b30e1e3f3e07a712",
    ("zz_power_of_attorney", "v2"): "c6e56f1bc4cc293ff51b3d4b7f6cb44d42633fab75099226a4fb0439dffa876c",
    ("family_consent", "v3"): "7bc0f5c8d1e390864d0223189f4272de04e294262dd4755febd58b8a7fabb906",
    ("assignment_letter", "v3"): "906097847dc3c3b6da6b68d522c26da118e0cd2137536e1bdfd7605d2c7eea3d",
    ("zz_power_of_attorney", "v3"): "50431151f03432a76544d71e55e5cccb6d366cabe716d8e2649e0f9a299d877d",
    ("periodic_assessment", "v1"): "96f773a2d5193f7249397050713d6405a87607139e278508d7231924b91439ff",
    ("final_report", "v1"): "5e1f7eb18098cad3837d409540e23afe8f32194989e62dceb1dc5076a8bbb92f",
    ("monitoring_note", "v1"): "74e8154c2f6fd71969d3adcc51a8b5706e92d64e92c5b299c59ee92d2688543f",
    ("resignation", "v1"): "76057abc2f48123115c50c0f4a28d844385acdf23c30948e9063f5d5912b2d61",
}


def build_script():
    """scripts/build_templates.py as a module (scripts/ is not a package)."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "build_templates.py"
    spec = importlib.util.spec_from_file_location("build_templates", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_template_version_is_kept_unchanged():
    committed = {(p.parent.name, p.stem): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in TEMPLATES.glob("*/v*.docx")}
    assert committed == SHA256
    assert all((slug, DOCUMENT_TYPES[slug].template_version) in SHA256 for slug in SLUGS)


def test_build_script_reproduces_every_version_byte_for_byte(tmp_path):
    build_script().main(tmp_path)
    built = {(p.parent.name, p.stem): hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.glob("*/v*.docx")}
    assert built == SHA256


@pytest.mark.parametrize("version", ["v1", "v2", "v3"])
@pytest.mark.parametrize("slug", SLUGS)
def test_template_reads_exactly_the_documented_names(slug, version):
    names = DocxTemplate(str(TEMPLATES / slug / f"{version}.docx")).get_undeclared_template_variables(
        make_environment())
    assert names == (USES_V3 if version == "v3" else USES)[slug]


@pytest.mark.parametrize(("slug", "i"), CASES)
def test_sample_renders_to_a_valid_docx(slug, i):
    ctx = SAMPLES[slug][i]
    text = all_text(render_docx(template(slug), ctx))
    assert "{{" not in text and "{%" not in text
    assert ctx["title"] in text and ctx["case_sign"] in text and ctx["doc_ref"] in text
    assert "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu" in text and "Strona" in text


@pytest.mark.parametrize(("slug", "i"), CASES)
def test_hostile_values_are_printed_literally(slug, i):
    data = render_docx(template(slug), hostile(SAMPLES[slug][i]))
    text = all_text(data)
    assert "Kowalska & <Syn>" in text and "{{ x }}" in text and "{% if %}" in text
    assert "😀" in text and "שלום" in text and "مرحبا" in text
    assert LONG in text


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


def _fails_without(slug: str, ctx: dict, name: str) -> bool:
    """Whether rendering `ctx` minus `name` raises RenderError."""
    try:
        render_docx(template(slug), {k: v for k, v in ctx.items() if k != name})
    except RenderError:
        return True
    return False


@pytest.mark.parametrize("slug", SLUGS)
def test_missing_variable_raises_render_error(slug):
    # Names read only in one branch (e.g. court_name) raise only with a sample taking that branch.
    for name in sorted(USES_V3[slug]):
        assert any(_fails_without(slug, ctx, name) for ctx in SAMPLES[slug]), name
    with pytest.raises(RenderError):
        render_docx(template(slug), {k: v for k, v in SAMPLES[slug][0].items() if k != "title"})


@pytest.mark.parametrize("office_value", [{"name": "Tylko nazwa"}, SimpleNamespace(name="Tylko nazwa")])
@pytest.mark.parametrize("slug", SLUGS)
def test_missing_attribute_raises_render_error(slug, office_value):
    with pytest.raises(RenderError):
        render_docx(template(slug), SAMPLES[slug][0] | {"office": office_value})


def test_health_consent_may_be_absent_from_raw():
    ctx = power_of_attorney("general", False)
    ctx["raw"] = {"scope": "general"}
    assert "nie wyraziła zgody" in all_text(render_docx(template("zz_power_of_attorney"), ctx))


@pytest.mark.parametrize("slug", SLUGS)
def test_template_layout_basics(slug):
    doc = Document(str(template(slug)))
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
            widths = [int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.findall(qn("w:tc"))]
            assert widths == grid
