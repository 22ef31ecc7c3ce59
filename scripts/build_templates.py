"""Generates the docxtpl templates forms_templates/<slug>/<version>.docx (official Polish letters) with python-docx.

Run: .venv/bin/python scripts/build_templates.py [output_root]   (builds every version of every template)
The generated files are committed as immutable template versions (archived documents name the
version and its SHA-256), so a rebuild must give byte-identical files; change a template by adding
a version, never by changing how an existing one is built. The versions:
- v1: the first templates;
- v2: the same layout and wording, with the wording typeset for Polish (scripts/template_text.py:
  no line break after a one-letter word, inside „art. 13”, between a postal code and its town...);
- v3: v2 with no slash form: every sentence agrees with the persons in it and names stand in the
  case the sentence needs, through the grammar filters `named`, `agree` and `agree_number`
  (service/documents/grammar.py, forms_templates/README.md). Built by the *_v3 builders; the
  v1/v2 builders stay as they were, so that those versions rebuild byte for byte.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

# the repository first: template_text imports service.documents.typesetting of this checkout
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
import template_kit as kit  # noqa: E402
from template_kit import (add_field, add_row, add_run, keep_row, rule_above,  # noqa: E402
                          set_base_styles, setup_page, shade, table, tag_row, v_align)
from template_text import typeset_runs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent / "forms_templates"
TEXT_WIDTH = 16.5  # cm: A4 (21 cm) minus the 2.5 cm left and 2 cm right margins
BODY = {"align": "justify", "after": 6}
SMALL = 9
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
VERSIONS = {"v1": False, "v2": True, "v3": True}  # version -> whether the template's own wording is typeset
_typeset_wording = False  # set by build() for the version being built
STRUCTURED = {"v3"}  # versions whose title and headings carry outline levels (tagged PDF: H1, H2)
_structured = False  # set by build() for the version being built


def outline(paragraph, level: int) -> None:
    """Gives a paragraph an outline level (w:outlineLvl; 0 = the title): LibreOffice's tagged PDF
    export then tags it as a heading (H1, H2 …) instead of P, without changing how it looks."""
    if _structured:
        ppr = paragraph._p.get_or_add_pPr()
        level_el = OxmlElement("w:outlineLvl")
        level_el.set(qn("w:val"), str(level))
        later = ppr.find(qn("w:rPr"))  # CT_PPr's order: outlineLvl comes before rPr, sectPr, pPrChange
        later = later if later is not None else ppr.find(qn("w:sectPr"))
        if later is not None:
            later.addprevious(level_el)
        else:
            ppr.append(level_el)


def para(container, segments="", **options):
    """template_kit.para, with the runs' text typeset for Polish when the version being built asks for it."""
    if _typeset_wording and segments:
        segments = [segments] if isinstance(segments, str) else list(segments)
        texts = typeset_runs([seg if isinstance(seg, str) else seg[0] for seg in segments])
        segments = [text if isinstance(seg, str) else (text, seg[1]) for seg, text in zip(segments, texts)]
    return kit.para(container, segments, **options)


# ---------------------------------------------------------------------------- shared skeleton

def official_letter(doc_title: str):
    """A new document: A4, Liberation Serif 11 pt, header stamp + case sign + place/date, paged footer."""
    doc = Document()
    set_base_styles(doc)
    section = doc.sections[0]
    setup_page(section)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = doc_title, "Asysta", "Asysta"
    props.subject = props.keywords = props.category = props.comments = ""
    props.language, props.revision = "pl-PL", 1
    props.created = props.modified = FIXED_DATE
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # python-docx's stock preview of an empty page
            doc.part.package.rels.pop(rid)

    head = table(doc, [10.0, TEXT_WIDTH - 10.0])
    stamp, right = head.rows[0].cells
    para(stamp, "{{ office.name }}", bold=True, size=10)
    for line in ("{{ office.street }}", "{{ office.postal_code }} {{ office.town }}",
                 "tel. {{ office.phone }}, e-mail: {{ office.email }}", "NIP {{ office.nip }}, REGON {{ office.regon }}"):
        para(stamp, line, size=SMALL)
    para(stamp, ["Znak sprawy: ", ("{{ case_sign }}", {"bold": True})], size=10, before=10)
    para(right, "{{ place_date }}", align="right")

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Normal"]  # the stock Footer style has US Letter tab stops
    # v3 on: the footer ends 0.8 cm short of the margin, leaving the print copy's QR code clear of it
    inset = 0.8 if _structured else 0.0
    footer.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH - inset), WD_TAB_ALIGNMENT.RIGHT)
    if inset:
        footer.paragraph_format.right_indent = Cm(inset)
    rule_above(footer)
    # the fields' placeholders ("1") take part so that the rules see "Strona 1 z 1" as it prints
    runs = ["{{ doc_ref }}", "\tStrona ", "1", " z ", "1"]
    ref, page, _, of, _ = typeset_runs(runs) if _typeset_wording else runs
    add_run(footer, ref, size=8)
    add_run(footer, page, size=8)
    add_field(footer, "PAGE", "1", size=8)
    add_run(footer, of, size=8)
    add_field(footer, "NUMPAGES", "1", size=8)
    return doc


def title_block(doc, subtitle: str | None = None) -> None:
    """The centred bold title ({{ title }}) and an optional subtitle line."""
    outline(para(doc, "{{ title }}", align="center", bold=True, size=13, before=18, after=4 if subtitle else 12,
                 keep_next=True), 0)
    if subtitle:
        para(doc, subtitle, align="center", italic=True, after=12, keep_next=True)


def heading(doc, text: str, before: float = 10) -> None:
    """A bold section heading kept with the next paragraph."""
    outline(para(doc, text, bold=True, before=before, after=4, keep_next=True), 1)


def numbered(doc, number: str, segments, size=None, after=3) -> None:
    """A list item with a hanging number ("1." or a Jinja expression) followed by a tab."""
    if isinstance(segments, str):
        segments = [segments]
    para(doc, [number + "\t", *segments], align="justify", left=0.6, hanging=0.6, tabs=[0.6], size=size,
         after=after)


def signature_slot(cell, width_cm: float, marker: str, captions: list, guard: str | None = None) -> None:
    """An empty signing space (~2.2 cm) with the invisible marker at its top left, a dotted line and captions."""
    def g(text):
        """Wraps `text` in the guard condition, if any."""
        return f"{{% if {guard} %}}{text}{{% endif %}}" if guard else text
    slot = para(cell, [(g(marker), {"marker": True})])
    slot.paragraph_format.line_spacing = Pt(1)
    slot.paragraph_format.space_after = Pt(62)  # ~2.2 cm of free space to sign in
    dots = "…" * int((width_cm - 0.4) * 28.35 / SMALL)  # "…" is one em wide in Liberation Serif
    para(cell, g(dots), align="center", size=SMALL)
    for text, opts in captions:
        para(cell, [(g(text), opts)], align="center", size=opts.get("size", SMALL))


def right_signature(doc, marker: str, captions: list, before: float = 14) -> None:
    """A signature slot in the right half of the page."""
    para(doc, "", after=before, keep_next=True)
    tbl = table(doc, [TEXT_WIDTH - 8.0, 8.0])
    row = tbl.rows[0]
    keep_row(row)
    signature_slot(row.cells[1], 8.0, marker, captions)


def data_table(doc, widths, headers):
    """A bordered table with a shaded, repeated header row; returns the table."""
    tbl = table(doc, widths, rows=0, borders=True)
    row = add_row(tbl, header=True)
    for cell, text in zip(row.cells, headers):
        shade(cell)
        v_align(cell, "center")
        para(cell, text, bold=True, size=10, align="center")
    return tbl


def loop_rows(tbl, loop: str, cells: list) -> None:
    """The docxtpl `{%tr for %}` row, one data row of `cells` (text, align) and `{%tr endfor %}`."""
    tag_row(tbl, f"{{%tr for {loop} %}}")
    row = add_row(tbl)
    for cell, (text, align) in zip(row.cells, cells):
        para(cell, text, size=10, align=align)
    tag_row(tbl, "{%tr endfor %}")


# ---------------------------------------------------------------------------- family_consent

RODO_INTRO = (
    "Zgodnie z art. 13 ust. 1 i 2 rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 z dnia 27 kwietnia "
    "2016 r. w sprawie ochrony osób fizycznych w związku z przetwarzaniem danych osobowych i w sprawie swobodnego "
    "przepływu takich danych oraz uchylenia dyrektywy 95/46/WE (ogólne rozporządzenie o ochronie danych, Dz. Urz. "
    "UE L 119 z 4.05.2016, str. 1, z późn. zm.), zwanego dalej „RODO”, informujemy, że:")
RODO_POINTS = [
    "Administratorem Pani/Pana danych osobowych oraz danych osobowych członków Pani/Pana rodziny jest "
    "{{ office.name }}, {{ office.street }}, {{ office.postal_code }} {{ office.town }}, tel. {{ office.phone }}, "
    "e-mail: {{ office.email }}.",
    "Administrator wyznaczył inspektora ochrony danych, z którym można kontaktować się we wszystkich sprawach "
    "dotyczących przetwarzania danych osobowych i korzystania z praw z tym związanych: e-mail {{ office.iod_email }} "
    "lub pisemnie na adres siedziby administratora.",
    "Dane osobowe są przetwarzane w celu realizacji zadań z zakresu wspierania rodziny, w szczególności "
    "przydzielenia rodzinie asystenta rodziny, prowadzenia przez niego pracy z rodziną, opracowania i realizacji "
    "planu pracy z rodziną oraz dokumentowania tej pracy.",
    "Podstawą prawną przetwarzania jest art. 6 ust. 1 lit. c i e RODO (obowiązek prawny ciążący na "
    "administratorze oraz zadanie realizowane w interesie publicznym), a w odniesieniu do szczególnych kategorii "
    "danych, w tym danych dotyczących zdrowia – art. 9 ust. 2 lit. g i h RODO, w związku z przepisami ustawy "
    "z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej.",
    "Odbiorcami danych mogą być wyłącznie podmioty uprawnione na podstawie przepisów prawa (w szczególności sądy, "
    "organy administracji publicznej i inne instytucje współdziałające w zakresie wspierania rodziny) oraz "
    "podmioty przetwarzające dane w imieniu administratora na podstawie zawartych z nim umów (np. dostawcy "
    "systemów informatycznych, operatorzy pocztowi). Dane nie będą przekazywane do państwa trzeciego ani "
    "organizacji międzynarodowej.",
    "Dane osobowe będą przechowywane przez okres niezbędny do realizacji celu przetwarzania, a następnie przez "
    "okres wynikający z przepisów o narodowym zasobie archiwalnym i archiwach, określony w instrukcji kancelaryjnej "
    "i jednolitym rzeczowym wykazie akt administratora.",
    "Przysługuje Pani/Panu prawo dostępu do treści swoich danych, ich sprostowania i ograniczenia przetwarzania, "
    "a w przypadkach określonych w art. 21 RODO – prawo wniesienia sprzeciwu wobec przetwarzania. Prawo do "
    "usunięcia danych przysługuje w zakresie, w jakim przetwarzanie nie jest wymagane przepisami prawa.",
    "Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych (ul. Stawki 2, "
    "00-193 Warszawa), jeżeli uzna Pani/Pan, że przetwarzanie danych osobowych narusza przepisy RODO.",
    "Podanie danych osobowych jest niezbędne do udzielenia rodzinie wsparcia przez asystenta rodziny; ich "
    "niepodanie uniemożliwi udzielenie tego wsparcia.",
    "Dane osobowe nie będą wykorzystywane do zautomatyzowanego podejmowania decyzji, w tym do profilowania.",
]
CONSENT_INFO = [
    "asystent rodziny prowadzi pracę z rodziną w miejscu jej zamieszkania lub w miejscu wskazanym przez rodzinę;",
    "asystent rodziny opracowuje i realizuje plan pracy z rodziną wspólnie z członkami rodziny i w konsultacji "
    "z pracownikiem socjalnym;",
    "asystent rodziny udziela wsparcia w rozwiązywaniu problemów opiekuńczo-wychowawczych z dziećmi, w prowadzeniu "
    "gospodarstwa domowego oraz w rozwiązywaniu problemów socjalnych i psychologicznych rodziny;",
    "asystent rodziny wspiera aktywność społeczną rodziny, motywuje jej członków do podnoszenia kwalifikacji "
    "zawodowych oraz pomaga w poszukiwaniu, podejmowaniu i utrzymywaniu pracy zarobkowej;",
    "asystent rodziny pomaga w kontaktach z instytucjami, w szczególności ze szkołą, przedszkolem, placówkami "
    "ochrony zdrowia, urzędem pracy i sądem;",
    "współpraca jest dobrowolna: w każdej chwili mogę (możemy) wycofać zgodę i zrezygnować ze wsparcia asystenta "
    "rodziny, składając pisemne oświadczenie w ośrodku lub przekazując je asystentowi rodziny; wycofanie zgody nie "
    "wpływa na działania podjęte przed jej wycofaniem;",
]


def build_family_consent() -> object:
    """Zgoda rodziny na współpracę z asystentem rodziny, with the art. 13 RODO clause and a slot per person."""
    doc = official_letter("Zgoda rodziny na współpracę z asystentem rodziny")
    title_block(doc)
    para(doc, "Ja/My, niżej podpisana/y/i:", after=4, keep_next=True)
    tbl = data_table(doc, [1.0, 6.5, 3.5, 5.5], ["Lp.", "Imię i nazwisko", "PESEL", "Rola w rodzinie"])
    loop_rows(tbl, "p in persons", [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
                                    ("{% if p.pesel %}{{ p.pesel }}{% else %}–{% endif %}", "center"),
                                    ("{{ p.role }}", "left")])
    para(doc, "zamieszkała/y/li: {{ street }}, {{ postal_code }} {{ town }},", before=6, **BODY)
    para(doc, "dobrowolnie wyrażam/wyrażamy zgodę na współpracę z asystentem rodziny zatrudnionym przez "
              "{{ office.name }}{% if assistant_name %} – Panią/Panem {{ assistant_name }}{% endif %} oraz "
              "deklaruję/deklarujemy aktywny udział w tej współpracy, w szczególności we wspólnym opracowaniu "
              "i realizacji planu pracy z rodziną.", **BODY)
    para(doc, "Wspieranie rodziny jest prowadzone za jej zgodą i z jej aktywnym udziałem ({{ legal_basis }}).",
         **BODY)
    para(doc, "Zostałam/em (zostaliśmy) poinformowana/y(i), że:", after=3, keep_next=True)
    for i, text in enumerate(CONSENT_INFO, 1):
        numbered(doc, f"{i}.", text)
    para(doc, "{%p if social_worker_name %}")
    numbered(doc, f"{len(CONSENT_INFO) + 1}.",
             "pracownikiem socjalnym prowadzącym sprawę rodziny jest Pani/Pan {{ social_worker_name }}.")
    para(doc, "{%p endif %}")

    heading(doc, "Klauzula informacyjna (art. 13 RODO)")
    para(doc, RODO_INTRO, align="justify", size=10, after=3)
    for i, text in enumerate(RODO_POINTS, 1):
        numbered(doc, f"{i}.", text, size=10, after=2)

    heading(doc, "Podpisy członków rodziny", before=14)
    para(doc, ["Data: ", ("{{ consent_date }}", {"bold": True})], after=4, keep_next=True)
    sig = table(doc, [7.5, TEXT_WIDTH - 15.0, 7.5], rows=0)
    tag_row(sig, "{%tr for pair in persons|batch(2) %}")
    row = add_row(sig)
    for cell, idx in ((row.cells[0], 0), (row.cells[2], 1)):
        guard = "pair|length > 1" if idx else None
        signature_slot(cell, 7.5, f"SIG:family_member:{{{{ loop.index0 * 2 + {idx} }}}}", [
            (f"{{{{ pair[{idx}].full_name }}}} ({{{{ pair[{idx}].role }}}})", {"bold": True, "size": 10}),
            ("data i czytelny podpis", {"italic": True})], guard=guard)
        para(cell, "", after=8)
    tag_row(sig, "{%tr endfor %}")
    return doc


# ---------------------------------------------------------------------------- assignment_letter

def build_assignment_letter() -> object:
    """Pismo przydzielające rodzinie asystenta rodziny, signed by the head of the office."""
    doc = official_letter("Pismo przydzielające rodzinie asystenta rodziny")
    addr = {"left": 9.0, "size": 11}
    para(doc, "{{ addressee_name }}", bold=True, before=24, **addr)
    para(doc, "{{ street }}", **addr)
    para(doc, "{{ postal_code }} {{ town }}", **addr)
    title_block(doc)
    # court_name is in the nominative ("Sąd Rejonowy w …"): "wydanym przez" keeps it grammatical.
    para(doc, "Na podstawie {{ legal_basis }}, {% if raw.basis == 'court' %}w związku z postanowieniem z dnia "
              "{{ court_decision_date }}, sygn. akt {{ court_case_number }}, wydanym przez {{ court_name }}, "
              "zobowiązującym rodzinę do współpracy z asystentem rodziny,{% else %}na wniosek pracownika socjalnego z dnia "
              "{{ request_date }},{% endif %} uprzejmie informuję, że od dnia {{ start_date }} Państwa rodzinie "
              "przydzielony został asystent rodziny – {{ assistant_name }}.", first=1.0, **BODY)
    para(doc, "Z asystentem rodziny można kontaktować się telefonicznie pod numerem {{ assistant_phone }}"
              "{% if assistant_email %} lub pocztą elektroniczną pod adresem {{ assistant_email }}{% endif %}. "
              "Termin pierwszego spotkania asystent rodziny uzgodni z Państwem telefonicznie.", first=1.0, **BODY)
    para(doc, "Zgodnie z art. 15 ust. 1 ustawy o wspieraniu rodziny i systemie pieczy zastępczej asystent rodziny "
              "wspólnie z Państwem, w konsultacji z pracownikiem socjalnym, opracuje plan pracy z rodziną i będzie go "
              "realizował, udzielając wsparcia w szczególności w rozwiązywaniu problemów opiekuńczo-wychowawczych, "
              "socjalnych i psychologicznych, w prowadzeniu gospodarstwa domowego, w poszukiwaniu i utrzymaniu "
              "pracy oraz w kontaktach z instytucjami. Asystent rodziny prowadzi pracę z rodziną w miejscu jej "
              "zamieszkania lub w miejscu przez nią wskazanym.", first=1.0, **BODY)
    para(doc, "Pracownikiem socjalnym prowadzącym sprawę Państwa rodziny jest Pani/Pan {{ social_worker_name }}.",
         first=1.0, **BODY)
    right_signature(doc, "SIG:head_of_office:0", [("{{ office.head_name }}", {"bold": True, "size": 11}),
                                                  ("{{ office.head_title }}", {})], before=18)
    para(doc, "Otrzymują:", size=10, before=24, keep_next=True)
    for i, text in enumerate(["Adresat", "Asystent rodziny – {{ assistant_name }}", "a/a"], 1):
        para(doc, f"{i}. {text}", size=10, keep_next=i < 3)
    return doc


# ---------------------------------------------------------------------------- zz_power_of_attorney

def build_power_of_attorney() -> object:
    """Upoważnienie („Za życiem”, art. 8) with a separate explicit consent for health data."""
    doc = official_letter("Upoważnienie do występowania w imieniu osoby uprawnionej")
    title_block(doc, "{{ scope }}")
    para(doc, "Ja, niżej podpisana/y {{ principal_name }}, PESEL {{ principal_pesel }}, zamieszkała/y: {{ street }}, "
              "{{ postal_code }} {{ town }}{% if principal_phone %}, tel. {{ principal_phone }}{% endif %}, "
              "działając na podstawie {{ legal_basis }}, upoważniam asystenta rodziny {{ assistant_name }}, "
              "zatrudnionego przez {{ office.name }}, do występowania w moim imieniu "
              "{% if raw.scope == 'specific' %}w sprawie:{% else %}we wszystkich sprawach dotyczących uzyskania "
              "wsparcia dla mnie i mojej rodziny, objętych koordynacją prowadzoną przez asystenta rodziny, wobec "
              "następujących podmiotów:{% endif %}", after=4, align="justify")
    para(doc, "{%p if raw.scope == 'specific' %}")
    para(doc, "{{ matter|multiline }}", left=0.6, italic=True, after=4)  # left-aligned: its lines end in breaks
    para(doc, "wobec następujących podmiotów:", after=4, keep_next=True)
    para(doc, "{%p endif %}")
    tbl = data_table(doc, [1.0, 7.5, 8.0], ["Lp.", "Podmiot", "Adres"])
    loop_rows(tbl, "i in institutions", [("{{ loop.index }}.", "center"), ("{{ i.name }}", "left"),
                                         ("{% if i.address %}{{ i.address }}{% else %}–{% endif %}", "left")])
    para(doc, "Upoważnienie obejmuje następujące czynności:", before=6, after=3, keep_next=True)
    para(doc, "{%p for a in actions %}")
    numbered(doc, "{{ loop.index }})", "{{ a }}{% if loop.last %}.{% else %};{% endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "Upoważnienie jest ważne od dnia {{ valid_from }}{% if valid_until %} do dnia {{ valid_until }}"
              "{% else %} do odwołania.{% endif %}", before=4, **BODY)
    para(doc, "Upoważnienie może być w każdej chwili odwołane. Odwołanie wymaga formy pisemnej i jest skuteczne "
              "od chwili jego doręczenia asystentowi rodziny lub złożenia w ośrodku, który zatrudnia asystenta "
              "rodziny. Upoważnienie nie obejmuje prawa do udzielania dalszych upoważnień. Asystent rodziny jest "
              "obowiązany zachować w tajemnicy informacje uzyskane w związku z wykonywaniem upoważnienia.", **BODY)
    right_signature(doc, "SIG:principal:0", [("{{ principal_name }}", {"bold": True, "size": 10}),
                                             ("data i czytelny podpis osoby upoważniającej", {"italic": True})])

    heading(doc, "Zgoda na przetwarzanie danych dotyczących zdrowia (art. 9 ust. 2 lit. a RODO)", before=18)
    para(doc, "{%p if raw.get('health_data_consent') %}")  # optional boolean: tolerate its absence
    para(doc, "Wyrażam wyraźną zgodę na przetwarzanie przez {{ office.name }} oraz przekazywanie podmiotom "
              "wskazanym powyżej moich danych dotyczących zdrowia (oraz danych dotyczących zdrowia mojego dziecka) "
              "w zakresie niezbędnym do wykonania niniejszego upoważnienia, w szczególności do uzyskania dla mnie "
              "i mojej rodziny wsparcia, o którym mowa w art. 8 ustawy z dnia 4 listopada 2016 r. o wsparciu kobiet "
              "w ciąży i rodzin „Za życiem”. Zgoda jest dobrowolna, a jej niewyrażenie nie wpływa na ważność "
              "upoważnienia w pozostałym zakresie. Zgodę mogę wycofać w każdej chwili, bez wpływu na zgodność "
              "z prawem przetwarzania, którego dokonano na podstawie zgody przed jej wycofaniem.", keep_next=True,
         **BODY)
    right_signature(doc, "SIG:principal_health_consent:0",
                    [("{{ principal_name }}", {"bold": True, "size": 10}),
                     ("data i czytelny podpis osoby wyrażającej zgodę", {"italic": True})], before=6)
    para(doc, "{%p else %}")
    para(doc, "Osoba upoważniająca nie wyraziła zgody na przetwarzanie danych dotyczących zdrowia.", **BODY)
    para(doc, "{%p endif %}")
    return doc


# ---------------------------------------------------------------------------- v3: wording that agrees

# Whom the family consent speaks to: the persons consenting (grammar.Persons `consenting`).
# agree(one woman, one man, several women, several persons with a man among them, several men only)
YOU_GEN = "{{ consenting|agree('Pani', 'Pana', 'Pań', 'Państwa', 'Panów') }}"
YOU_DAT = "{{ consenting|agree('Pani', 'Panu', 'Paniom', 'Państwu', 'Panom') }}"
YOU_DECIDE = "{{ consenting|agree('uzna Pani', 'uzna Pan', 'uznają Panie', 'uznają Państwo', 'uznają Panowie') }}"
RODO_POINTS_V3 = [
    f"Administratorem {YOU_GEN} danych osobowych oraz danych osobowych członków {YOU_GEN} rodziny jest "
    "{{ office.name }}, {{ office.street }}, {{ office.postal_code }} {{ office.town }}, tel. {{ office.phone }}, "
    "e-mail: {{ office.email }}.",
    *RODO_POINTS[1:6],
    f"Przysługuje {YOU_DAT} prawo dostępu do treści swoich danych, ich sprostowania i ograniczenia przetwarzania, "
    "a w przypadkach określonych w art. 21 RODO – prawo wniesienia sprzeciwu wobec przetwarzania. Prawo do "
    "usunięcia danych przysługuje w zakresie, w jakim przetwarzanie nie jest wymagane przepisami prawa.",
    f"Przysługuje {YOU_DAT} prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych (ul. Stawki 2, "
    f"00-193 Warszawa), jeżeli {YOU_DECIDE}, że przetwarzanie danych osobowych narusza przepisy RODO.",
    *RODO_POINTS[8:],
]
CONSENT_INFO_V3 = [
    *CONSENT_INFO[:-1],
    "współpraca jest dobrowolna: w każdej chwili {{ consenting|agree_number('mogę', 'możemy') }} wycofać zgodę "
    "i zrezygnować ze wsparcia asystenta rodziny, składając pisemne oświadczenie w ośrodku lub przekazując je "
    "asystentowi rodziny; wycofanie zgody nie wpływa na działania podjęte przed jej wycofaniem;",
]


def build_family_consent_v3() -> object:
    """Zgoda rodziny (v3): the wording agrees with the persons consenting, the assistant and the worker."""
    doc = official_letter("Zgoda rodziny na współpracę z asystentem rodziny")
    title_block(doc)
    para(doc, "{{ consenting|agree('Ja, niżej podpisana:', 'Ja, niżej podpisany:', 'My, niżej podpisane:', "
              "'My, niżej podpisani:') }}", after=4, keep_next=True)
    tbl = data_table(doc, [1.0, 6.5, 3.5, 5.5], ["Lp.", "Imię i nazwisko", "PESEL", "Rola w rodzinie"])
    loop_rows(tbl, "p in persons", [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
                                    ("{% if p.pesel %}{{ p.pesel }}{% else %}–{% endif %}", "center"),
                                    ("{{ p.role }}", "left")])
    para(doc, "{{ consenting|agree('zamieszkała', 'zamieszkały', 'zamieszkałe', 'zamieszkali') }} pod adresem: "
              "{{ street }}, {{ postal_code }} {{ town }},", before=6, **BODY)
    para(doc, "dobrowolnie {{ consenting|agree_number('wyrażam', 'wyrażamy') }} zgodę na współpracę z asystentem "
              "rodziny zatrudnionym przez {{ office.name }}{% if assistant %} – {{ assistant|named('inst') }}"
              "{% endif %} oraz {{ consenting|agree_number('deklaruję', 'deklarujemy') }} aktywny udział w tej "
              "współpracy, w szczególności we wspólnym opracowaniu i realizacji planu pracy z rodziną.", **BODY)
    para(doc, "Wspieranie rodziny jest prowadzone za jej zgodą i z jej aktywnym udziałem ({{ legal_basis }}).",
         **BODY)
    para(doc, "{{ consenting|agree('Zostałam poinformowana', 'Zostałem poinformowany', 'Zostałyśmy poinformowane', "
              "'Zostaliśmy poinformowani') }}, że:", after=3, keep_next=True)
    for i, text in enumerate(CONSENT_INFO_V3, 1):
        numbered(doc, f"{i}.", text)
    para(doc, "{%p if social_worker %}")
    numbered(doc, f"{len(CONSENT_INFO_V3) + 1}.",
             "pracownikiem socjalnym prowadzącym sprawę rodziny jest {{ social_worker|named }}.")
    para(doc, "{%p endif %}")

    heading(doc, "Klauzula informacyjna (art. 13 RODO)")
    para(doc, RODO_INTRO, align="justify", size=10, after=3)
    for i, text in enumerate(RODO_POINTS_V3, 1):
        numbered(doc, f"{i}.", text, size=10, after=2)

    heading(doc, "{{ consenting|agree_number('Podpis członka rodziny', 'Podpisy członków rodziny') }}", before=14)
    para(doc, ["Data: ", ("{{ consent_date }}", {"bold": True})], after=4, keep_next=True)
    sig = table(doc, [7.5, TEXT_WIDTH - 15.0, 7.5], rows=0)
    tag_row(sig, "{%tr for pair in persons|batch(2) %}")
    row = add_row(sig)
    for cell, idx in ((row.cells[0], 0), (row.cells[2], 1)):
        guard = "pair|length > 1" if idx else None
        signature_slot(cell, 7.5, f"SIG:family_member:{{{{ loop.index0 * 2 + {idx} }}}}", [
            (f"{{{{ pair[{idx}].full_name }}}} ({{{{ pair[{idx}].role }}}})", {"bold": True, "size": 10}),
            ("data i czytelny podpis", {"italic": True})], guard=guard)
        para(cell, "", after=8)
    tag_row(sig, "{%tr endfor %}")
    return doc


def build_assignment_letter_v3() -> object:
    """Pismo przydzielające (v3): „Pani”/„Pan” before the assistant's and the social worker's names."""
    doc = official_letter("Pismo przydzielające rodzinie asystenta rodziny")
    addr = {"left": 9.0, "size": 11}
    para(doc, "{{ addressee_name }}", bold=True, before=24, **addr)
    para(doc, "{{ street }}", **addr)
    para(doc, "{{ postal_code }} {{ town }}", **addr)
    title_block(doc)
    # court_name is in the nominative ("Sąd Rejonowy w …"): "wydanym przez" keeps it grammatical.
    para(doc, "Na podstawie {{ legal_basis }}, {% if raw.basis == 'court' %}w związku z postanowieniem z dnia "
              "{{ court_decision_date }}, sygn. akt {{ court_case_number }}, wydanym przez {{ court_name }}, "
              "zobowiązującym rodzinę do współpracy z asystentem rodziny,{% else %}na wniosek pracownika socjalnego z dnia "
              "{{ request_date }},{% endif %} uprzejmie informuję, że od dnia {{ start_date }} Państwa rodzinie "
              "przydzielony został asystent rodziny – {{ assistant|named }}.", first=1.0, **BODY)
    para(doc, "Z asystentem rodziny można kontaktować się telefonicznie pod numerem {{ assistant_phone }}"
              "{% if assistant_email %} lub pocztą elektroniczną pod adresem {{ assistant_email }}{% endif %}. "
              "Termin pierwszego spotkania asystent rodziny uzgodni z Państwem telefonicznie.", first=1.0, **BODY)
    para(doc, "Zgodnie z art. 15 ust. 1 ustawy o wspieraniu rodziny i systemie pieczy zastępczej asystent rodziny "
              "wspólnie z Państwem, w konsultacji z pracownikiem socjalnym, opracuje plan pracy z rodziną i będzie go "
              "realizował, udzielając wsparcia w szczególności w rozwiązywaniu problemów opiekuńczo-wychowawczych, "
              "socjalnych i psychologicznych, w prowadzeniu gospodarstwa domowego, w poszukiwaniu i utrzymaniu "
              "pracy oraz w kontaktach z instytucjami. Asystent rodziny prowadzi pracę z rodziną w miejscu jej "
              "zamieszkania lub w miejscu przez nią wskazanym.", first=1.0, **BODY)
    para(doc, "Pracownikiem socjalnym prowadzącym sprawę Państwa rodziny jest {{ social_worker|named }}.",
         first=1.0, **BODY)
    right_signature(doc, "SIG:head_of_office:0", [("{{ office.head_name }}", {"bold": True, "size": 11}),
                                                  ("{{ office.head_title }}", {})], before=18)
    para(doc, "Otrzymują:", size=10, before=24, keep_next=True)
    for i, text in enumerate(["Adresat", "Asystent rodziny – {{ assistant_name }}", "ad acta"], 1):
        para(doc, f"{i}. {text}", size=10, keep_next=i < 3)
    return doc


def build_power_of_attorney_v3() -> object:
    """Upoważnienie (v3): the principal's words agree with her or him; the assistant's name in the accusative."""
    doc = official_letter("Upoważnienie do występowania w imieniu osoby uprawnionej")
    title_block(doc, "{{ scope }}")
    para(doc, "Ja, niżej {{ principal|agree('podpisana', 'podpisany') }} {{ principal_name }}, PESEL "
              "{{ principal_pesel }}, {{ principal|agree('zamieszkała', 'zamieszkały') }} pod adresem: {{ street }}, "
              "{{ postal_code }} {{ town }}{% if principal_phone %}, tel. {{ principal_phone }}{% endif %}, "
              "działając na podstawie {{ legal_basis }}, upoważniam {{ assistant|named('acc') }}, "
              "{{ assistant|agree('zatrudnioną', 'zatrudnionego') }} przez {{ office.name }} na stanowisku asystenta "
              "rodziny, do występowania w moim imieniu "
              "{% if raw.scope == 'specific' %}w sprawie:{% else %}we wszystkich sprawach dotyczących uzyskania "
              "wsparcia dla mnie i mojej rodziny, objętych koordynacją prowadzoną przez asystenta rodziny, wobec "
              "następujących podmiotów:{% endif %}", after=4, align="justify")
    para(doc, "{%p if raw.scope == 'specific' %}")
    para(doc, "{{ matter|multiline }}", left=0.6, italic=True, after=4)  # left-aligned: its lines end in breaks
    para(doc, "wobec następujących podmiotów:", after=4, keep_next=True)
    para(doc, "{%p endif %}")
    tbl = data_table(doc, [1.0, 7.5, 8.0], ["Lp.", "Podmiot", "Adres"])
    loop_rows(tbl, "i in institutions", [("{{ loop.index }}.", "center"), ("{{ i.name }}", "left"),
                                         ("{% if i.address %}{{ i.address }}{% else %}–{% endif %}", "left")])
    para(doc, "Upoważnienie obejmuje następujące czynności:", before=6, after=3, keep_next=True)
    para(doc, "{%p for a in actions %}")
    numbered(doc, "{{ loop.index }})", "{{ a }}{% if loop.last %}.{% else %};{% endif %}")
    para(doc, "{%p endfor %}")
    # a date ends in „r.”, which ends the sentence too
    para(doc, "Upoważnienie jest ważne od dnia {{ valid_from }}{% if valid_until %} do dnia {{ valid_until }}"
              "{% else %} do odwołania.{% endif %}", before=4, **BODY)
    para(doc, "Upoważnienie może być w każdej chwili odwołane. Odwołanie wymaga formy pisemnej i jest skuteczne "
              "od chwili jego doręczenia asystentowi rodziny lub złożenia w ośrodku, który zatrudnia asystenta "
              "rodziny. Upoważnienie nie obejmuje prawa do udzielania dalszych upoważnień. Asystent rodziny jest "
              "obowiązany zachować w tajemnicy informacje uzyskane w związku z wykonywaniem upoważnienia.", **BODY)
    right_signature(doc, "SIG:principal:0", [("{{ principal_name }}", {"bold": True, "size": 10}),
                                             ("data i czytelny podpis osoby upoważniającej", {"italic": True})])

    heading(doc, "Zgoda na przetwarzanie danych dotyczących zdrowia (art. 9 ust. 2 lit. a RODO)", before=18)
    para(doc, "{%p if raw.get('health_data_consent') %}")  # optional boolean: tolerate its absence
    para(doc, "Wyrażam wyraźną zgodę na przetwarzanie przez {{ office.name }} oraz przekazywanie podmiotom "
              "wskazanym powyżej moich danych dotyczących zdrowia (oraz danych dotyczących zdrowia mojego dziecka) "
              "w zakresie niezbędnym do wykonania niniejszego upoważnienia, w szczególności do uzyskania dla mnie "
              "i mojej rodziny wsparcia, o którym mowa w art. 8 ustawy z dnia 4 listopada 2016 r. o wsparciu kobiet "
              "w ciąży i rodzin „Za życiem”. Zgoda jest dobrowolna, a jej niewyrażenie nie wpływa na ważność "
              "upoważnienia w pozostałym zakresie. Zgodę mogę wycofać w każdej chwili, bez wpływu na zgodność "
              "z prawem przetwarzania, którego dokonano na podstawie zgody przed jej wycofaniem.", keep_next=True,
         **BODY)
    right_signature(doc, "SIG:principal_health_consent:0",
                    [("{{ principal_name }}", {"bold": True, "size": 10}),
                     ("data i czytelny podpis osoby wyrażającej zgodę", {"italic": True})], before=6)
    para(doc, "{%p else %}")
    para(doc, "Osoba upoważniająca nie wyraziła zgody na przetwarzanie danych dotyczących zdrowia.", **BODY)
    para(doc, "{%p endif %}")
    return doc


# ---------------------------------------------------------------------------- the end of the work (issue 11)
# New types start at v1 in the v3 style: typeset wording, outline levels, the grammar filters.

def two_signatures(doc, left: tuple[str, list], right: tuple[str, list], before: float = 18) -> None:
    """Two signature slots side by side (left: who prepared it; right: who accepts or approves)."""
    para(doc, "", after=before, keep_next=True)
    sig = table(doc, [7.5, TEXT_WIDTH - 15.0, 7.5])
    row = sig.rows[0]
    keep_row(row)
    signature_slot(row.cells[0], 7.5, left[0], left[1])
    signature_slot(row.cells[2], 7.5, right[0], right[1])


def text_or(name: str, empty: str) -> str:
    """A textarea's text with its line breaks, or the words for none."""
    return f"{{% if {name} %}}{{{{ {name}|multiline }}}}{{% else %}}{empty}{{% endif %}}"


def goals_table(doc) -> None:
    """The table of the plan's goals with their attainment (header row repeated on every page)."""
    tbl = data_table(doc, [1.2, 5.3, 3.2, 6.8], ["Nr celu", "Cel planu pracy", "Stopień realizacji", "Komentarz"])
    loop_rows(tbl, "g in goal_attainment", [("{{ g.goal_no }}", "center"), ("{{ g.goal|multiline }}", "left"),
                                            ("{{ g.attainment }}", "center"), ("{{ g.comment|multiline }}", "left")])


def family_line(doc) -> None:
    """Whose family the document concerns: the adults and their address (plan_results.family_fields)."""
    para(doc, ["Rodzina: ", ("{{ family_names }}", {"bold": True}),
               ", adres zamieszkania: {{ street }}, {{ postal_code }} {{ town }}"], after=6)


def recipients(doc, lines: list[str]) -> None:
    """„Otrzymują:” and the numbered list of who gets a copy."""
    para(doc, "Otrzymują:", size=10, before=18, keep_next=True)
    for i, text in enumerate(lines, 1):
        para(doc, f"{i}. {text}", size=10, keep_next=i < len(lines))


ASSISTANT_CAPTIONS = [("asystent rodziny", {"bold": True, "size": 10}), ("data i czytelny podpis", {"italic": True})]


# a Polish date ends in „r.”, which ends the sentence too: no full stop after it

def build_periodic_assessment() -> object:
    """Okresowa ocena sytuacji rodziny: the period, the changes, each goal of the plan, cooperation,
    risks and the recommendation; signed by the assistant, accepted by the head."""
    doc = official_letter("Okresowa ocena sytuacji rodziny")
    title_block(doc, "za okres od {{ period_from }} do {{ period_to }}")
    family_line(doc)
    para(doc, "Na podstawie {{ legal_basis }} asystent rodziny dokonał w dniu {{ assessment_date }} okresowej "
              "oceny sytuacji rodziny i przekazuje ją kierownikowi ośrodka.", **BODY)
    heading(doc, "1. Zmiany w sytuacji rodziny")
    para(doc, "{{ situation_changes|multiline }}", **BODY)
    heading(doc, "2. Realizacja celów planu pracy z rodziną")
    goals_table(doc)
    heading(doc, "3. Współpraca rodziny z asystentem rodziny")
    para(doc, ["Ocena: ", ("{{ cooperation }}", {"bold": True}), "."], **BODY)
    para(doc, "{%p if cooperation_notes %}")
    para(doc, "{{ cooperation_notes|multiline }}", **BODY)
    para(doc, "{%p endif %}")
    heading(doc, "4. Zagrożenia")
    para(doc, text_or("risks", "Nie stwierdzono."), **BODY)
    heading(doc, "5. Zalecenie")
    # the choice's label is a phrase in lower case („kontynuowanie pracy…”): inside a sentence
    para(doc, ["Asystent rodziny zaleca ", ("{{ recommendation }}", {"bold": True}), "."], **BODY)
    para(doc, "{%p if recommendation_notes %}")
    para(doc, "{{ recommendation_notes|multiline }}", **BODY)
    para(doc, "{%p endif %}")
    two_signatures(doc, ("SIG:assistant:0", ASSISTANT_CAPTIONS),
                   ("SIG:head_acceptance:0", [("Przyjął: {{ office.head_name }}", {"bold": True, "size": 10}),
                                              ("{{ office.head_title }}", {}), ("data i podpis", {"italic": True})]))
    recipients(doc, ["Kierownik ośrodka", "Pracownik socjalny prowadzący sprawę rodziny (kopia)", "a/a"])
    return doc


def build_final_report() -> object:
    """Sprawozdanie z pracy asystenta rodziny z rodziną (zakończenie): the reason, results against
    the plan, recommendations and the monitoring; signed by the assistant, approved by the head."""
    doc = official_letter("Sprawozdanie z pracy asystenta rodziny z rodziną")
    title_block(doc, "zakończenie pracy z rodziną")
    family_line(doc)
    para(doc, "Na podstawie {{ legal_basis }} asystent rodziny przedstawia sprawozdanie z pracy z rodziną "
              "prowadzonej od dnia {{ period_from }} do dnia {{ end_date }}", **BODY)
    heading(doc, "1. Przyczyna zakończenia pracy z rodziną")
    # the reason's label is a phrase in lower case („osiągnięcie celów…”): inside a sentence
    para(doc, ["Pracę z rodziną zakończono z powodu: ",
               ("{% if raw.end_reason == 'other' %}{{ end_reason_other }}{% else %}{{ end_reason }}{% endif %}",
                {"bold": True}), "."], **BODY)
    heading(doc, "2. Wyniki pracy w odniesieniu do planu pracy z rodziną")
    goals_table(doc)
    para(doc, "{{ results_summary|multiline }}", before=6, **BODY)
    heading(doc, "3. Zalecenia")
    para(doc, text_or("recommendations", "Brak."), **BODY)
    heading(doc, "4. Monitorowanie funkcjonowania rodziny")
    para(doc, "Po zakończeniu pracy z rodziną ośrodek monitoruje funkcjonowanie rodziny przez {{ monitoring_months }}, "
              "do dnia {{ monitoring_until }}", **BODY)
    two_signatures(doc, ("SIG:assistant:0", ASSISTANT_CAPTIONS),
                   ("SIG:head_approval:0", [("Zatwierdził: {{ office.head_name }}", {"bold": True, "size": 10}),
                                            ("{{ office.head_title }}", {}), ("data i podpis", {"italic": True})]))
    recipients(doc, ["Kierownik ośrodka", "Pracownik socjalny prowadzący sprawę rodziny (kopia)", "a/a"])
    return doc


def build_monitoring_note() -> object:
    """Notatka z monitorowania: the contact, what was observed, whether support is needed again;
    signed by its author (the assistant or the social worker)."""
    doc = official_letter("Notatka z monitorowania funkcjonowania rodziny")
    title_block(doc)
    family_line(doc)
    para(doc, "Notatka sporządzona na podstawie {{ legal_basis }}, w okresie monitorowania funkcjonowania rodziny "
              "po zakończeniu pracy asystenta rodziny z rodziną.", **BODY)
    para(doc, ["Data kontaktu: ", ("{{ note_date }}", {"bold": True})], after=3)
    para(doc, ["Forma kontaktu: ", ("{{ contact_form }}", {"bold": True})], after=6)
    heading(doc, "Obserwacje")
    para(doc, "{{ observations|multiline }}", **BODY)
    heading(doc, "Potrzeba ponownego objęcia rodziny wsparciem")
    para(doc, [("{% if raw.reopen_needed %}Tak.{% else %}Nie.{% endif %}", {"bold": True})], **BODY)
    para(doc, "{%p if raw.reopen_needed %}")
    para(doc, "{{ reopen_justification|multiline }}", **BODY)
    para(doc, "{%p endif %}")
    para(doc, "", after=14, keep_next=True)
    tbl = table(doc, [TEXT_WIDTH - 8.0, 8.0])
    row = tbl.rows[0]
    keep_row(row)
    # the author's slot: the assistant's or the social worker's (SignerSlot.only_if on author_role)
    marker = "SIG:{% if raw.get('author_role') == 'social_worker' %}author_social_worker{% else %}author{% endif %}:0"
    signature_slot(row.cells[1], 8.0, marker, [
        ("{% if raw.get('author_role') == 'social_worker' %}pracownik socjalny{% else %}asystent rodziny{% endif %}",
         {"bold": True, "size": 10}), ("data i czytelny podpis", {"italic": True})])
    return doc


def build_resignation() -> object:
    """Rezygnacja ze wsparcia asystenta rodziny: who withdraws, the date, the reason if given; each
    person signs on the tablet. The wording agrees with the persons (grammar filters)."""
    doc = official_letter("Rezygnacja ze wsparcia asystenta rodziny")
    title_block(doc)
    para(doc, "{{ resigning|agree('Ja, niżej podpisana:', 'Ja, niżej podpisany:', 'My, niżej podpisane:', "
              "'My, niżej podpisani:') }}", after=4, keep_next=True)
    tbl = data_table(doc, [1.0, 9.5, 6.0], ["Lp.", "Imię i nazwisko", "Rola w rodzinie"])
    loop_rows(tbl, "p in persons", [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
                                    ("{{ p.role }}", "left")])
    para(doc, "{{ resigning|agree('zamieszkała', 'zamieszkały', 'zamieszkałe', 'zamieszkali') }} pod adresem: "
              "{{ street }}, {{ postal_code }} {{ town }},", before=6, **BODY)
    para(doc, "{{ resigning|agree_number('oświadczam, że rezygnuję', 'oświadczamy, że rezygnujemy') }} ze wsparcia "
              "asystenta rodziny zatrudnionego przez {{ office.name }} z dniem {{ resignation_date }}", **BODY)
    para(doc, "Wspieranie rodziny jest prowadzone za jej zgodą i z jej aktywnym udziałem ({{ legal_basis }}); "
              "rezygnacja nie zamyka drogi do ponownego ubiegania się o wsparcie asystenta rodziny.", **BODY)
    heading(doc, "Przyczyna rezygnacji")
    para(doc, text_or("reason", "Nie podano."), **BODY)
    heading(doc, "{{ resigning|agree_number('Podpis', 'Podpisy') }}", before=14)
    sig = table(doc, [7.5, TEXT_WIDTH - 15.0, 7.5], rows=0)
    tag_row(sig, "{%tr for pair in persons|batch(2) %}")
    row = add_row(sig)
    for cell, idx in ((row.cells[0], 0), (row.cells[2], 1)):
        guard = "pair|length > 1" if idx else None
        signature_slot(cell, 7.5, f"SIG:family_member:{{{{ loop.index0 * 2 + {idx} }}}}", [
            (f"{{{{ pair[{idx}].full_name }}}} ({{{{ pair[{idx}].role }}}})", {"bold": True, "size": 10}),
            ("data i czytelny podpis", {"italic": True})], guard=guard)
        para(cell, "", after=8)
    tag_row(sig, "{%tr endfor %}")
    return doc


# types added after v3: their v1 is built in the v3 style
BUILDERS_NEW = {
    "periodic_assessment": build_periodic_assessment,
    "final_report": build_final_report,
    "monitoring_note": build_monitoring_note,
    "resignation": build_resignation,
}


BUILDERS_V2 = {
    "family_consent": build_family_consent,
    "assignment_letter": build_assignment_letter,
    "zz_power_of_attorney": build_power_of_attorney,
}
BUILDERS_V3 = {
    "family_consent": build_family_consent_v3,
    "assignment_letter": build_assignment_letter_v3,
    "zz_power_of_attorney": build_power_of_attorney_v3,
}
# version -> slug -> builder; v1 and v2 share the builders (v2 only typesets their wording)
BUILDERS = {"v1": {**BUILDERS_V2, **BUILDERS_NEW}, "v2": BUILDERS_V2, "v3": BUILDERS_V3}


def save_reproducibly(doc, out: Path) -> None:
    """Saves `doc` with fixed zip timestamps so that rebuilding gives byte-identical files."""
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(zipfile.ZipInfo(name, date_time=FIXED_DATE.timetuple()[:6]), src.read(name),
                         compress_type=zipfile.ZIP_DEFLATED)


def build(slug: str, version: str):
    """The python-docx Document of one template version (raises KeyError for an unknown slug or version)."""
    global _typeset_wording, _structured
    _typeset_wording, _structured = VERSIONS[version], version in STRUCTURED
    if slug in BUILDERS_NEW:
        _typeset_wording = _structured = True
    try:
        return BUILDERS[version][slug]()
    finally:
        _typeset_wording = _structured = False


def main(root: Path = ROOT, versions=tuple(VERSIONS)) -> None:
    """Builds every template in each of `versions` into root/<slug>/<version>.docx."""
    for version in versions:
        for slug in BUILDERS[version]:
            out = root / slug / f"{version}.docx"
            out.parent.mkdir(parents=True, exist_ok=True)
            save_reproducibly(build(slug, version), out)
            print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
