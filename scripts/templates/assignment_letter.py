"""assignment_letter: Pismo przydzielające rodzinie asystenta rodziny (v1, v2: slash forms; v3: agreeing wording).

v4: the head's signature stays with the letter's text and „Otrzymują:” with the signature
(forms_templates/README.md): the last paragraph keeps with the signature, and the signature and
the distribution list are rows of one table kept together (sign_off)."""
from __future__ import annotations

from letter_kit import (BODY, CURRENT, FIRST, TEXT_WIDTH, TYPESET, add_row, data_table, heading,  # noqa: F401
                        keep_rows_together, loop_rows, numbered, official_letter, para, right_signature,
                        signature_slot, table, tag_row, title_block)

# v3 on: who gets a copy („ad acta”, not v1's and v2's „a/a”)
RECIPIENTS = ["Adresat", "Asystent rodziny – {{ assistant_name }}", "ad acta"]


def build_v1() -> object:
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


def build_v3(v4: bool = False) -> object:
    """Pismo przydzielające (v3): „Pani”/„Pan” before the assistant's and the social worker's names
    (`v4`: see the module's docstring)."""
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
         first=1.0, keep_next=v4, **BODY)
    head = [("{{ office.head_name }}", {"bold": True, "size": 11}), ("{{ office.head_title }}", {})]
    if v4:
        sign_off(doc, head)
        return doc
    right_signature(doc, "SIG:head_of_office:0", head, before=18)
    para(doc, "Otrzymują:", size=10, before=24, keep_next=True)
    for i, text in enumerate(RECIPIENTS, 1):
        para(doc, f"{i}. {text}", size=10, keep_next=i < 3)
    return doc


def sign_off(doc, captions: list) -> None:
    """The end of the letter (v4): the head's signature in the right half of the page and below it
    „Otrzymują:” with its list, in rows of one table that stay together on one page
    (keep_rows_together): LibreOffice keeps rows together, not a table with the paragraph after
    it, so the list is never left on a page without the signature. The paragraph before must keep
    with it (keep_next) for the signature to stay with the letter's text."""
    para(doc, "", after=18, keep_next=True)
    tbl = table(doc, [TEXT_WIDTH - 8.0, 8.0])
    signature_slot(tbl.rows[0].cells[1], 8.0, "SIG:head_of_office:0", captions)
    row = add_row(tbl)
    cell = row.cells[0].merge(row.cells[1])
    para(cell, "Otrzymują:", size=10, before=24)
    for i, text in enumerate(RECIPIENTS, 1):
        para(cell, f"{i}. {text}", size=10)
    keep_rows_together(tbl)


def build_v4() -> object:
    """v3 with the signature kept with the letter's text and „Otrzymują:” with the signature."""
    return build_v3(v4=True)


# v1 and v2 share a builder: v2 only typesets its wording
BUILDERS = {"v1": (build_v1, FIRST), "v2": (build_v1, TYPESET), "v3": (build_v3, CURRENT), "v4": (build_v4, CURRENT)}
