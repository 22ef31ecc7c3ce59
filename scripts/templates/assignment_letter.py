"""assignment_letter: Pismo przydzielające rodzinie asystenta rodziny (v1, v2: slash forms; v3: agreeing wording)."""
from __future__ import annotations

from letter_kit import (BODY, CURRENT, FIRST, TEXT_WIDTH, TYPESET, add_row, data_table, heading,  # noqa: F401
                        loop_rows, numbered, official_letter, para, right_signature, signature_slot, table,
                        tag_row, title_block)


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


def build_v3() -> object:
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


# v1 and v2 share a builder: v2 only typesets its wording
BUILDERS = {"v1": (build_v1, FIRST), "v2": (build_v1, TYPESET), "v3": (build_v3, CURRENT)}
