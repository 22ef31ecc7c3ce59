"""monthly_family_report: Miesięczne sprawozdanie z pracy z rodziną.

v2: the closing sentence (which visit records the report rests on) keeps with the signatures, and
the signatures are the other documents' pair (work_kit.sign_off: name, function, „data i czytelny
podpis” under the assistant's, „data i podpis” under the head's title)."""
from __future__ import annotations

import sys
from pathlib import Path

from letter_kit import (BODY, data_table, heading, legal_basis_paragraph, loop_rows, official_letter, para,
                        title_block, unstretched_line_breaks)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _monthly_kit import signatures  # noqa: E402
from work_kit import sign_off  # noqa: E402


def build_v1(v2: bool = False) -> object:
    """The report for one family and month: contacts, work per plan goal (a table whose header row
    repeats), institutions, difficulties, the next month's plan; the assistant's and the head's signatures
    (`v2`: see the module's docstring)."""
    doc = official_letter("Miesięczne sprawozdanie z pracy z rodziną")
    if v2:
        unstretched_line_breaks(doc)  # a text typed with newlines prints in a justified paragraph
    title_block(doc, "za miesiąc {{ month }}")
    # {{ month }} ends in „r.”, which ends the sentence too
    legal_basis_paragraph(doc, " asystent rodziny przedstawia sprawozdanie z pracy z rodziną za miesiąc {{ month }}")
    para(doc, ["Rodzina: ", ("{{ family_name }}", {"bold": True})], after=2)
    para(doc, ["Asystent rodziny: ", ("{{ assistant_name }}", {"bold": True})], after=8)

    heading(doc, "1. Kontakty z rodziną")
    para(doc, "Liczba kontaktów w miesiącu: {{ contacts_count }}.", after=2, **{k: v for k, v in BODY.items()
                                                                                 if k != "after"})
    para(doc, "Daty kontaktów: {{ contact_dates|multiline }}", **BODY)

    heading(doc, "2. Działania przy celach planu pracy z rodziną")
    para(doc, "{%p if goal_work %}")
    tbl = data_table(doc, [1.3, 5.2, 10.0], ["Nr celu", "Cel", "Działania w miesiącu"])
    loop_rows(tbl, "g in goal_work", [("{% if g.goal_no %}{{ g.goal_no }}{% else %}–{% endif %}", "center"),
                                      ("{{ g.goal|multiline }}", "left"), ("{{ g.work|multiline }}", "left")])
    para(doc, "{%p else %}")
    para(doc, "W miesiącu nie prowadzono działań przy celach planu pracy z rodziną.", **BODY)
    para(doc, "{%p endif %}")
    para(doc, "{%p if other_work %}")
    para(doc, "Inne działania: {{ other_work|multiline }}", before=6, **BODY)
    para(doc, "{%p endif %}")

    heading(doc, "3. Współpraca z instytucjami")
    para(doc, "{% if institutions %}{{ institutions|multiline }}{% else %}W miesiącu nie kontaktowano się "
              "z instytucjami w sprawie rodziny.{% endif %}", **BODY)

    heading(doc, "4. Trudności we współpracy z rodziną")
    para(doc, "{% if difficulties %}{{ difficulties|multiline }}{% else %}Nie wystąpiły.{% endif %}", **BODY)

    heading(doc, "5. Plan pracy na następny miesiąc")
    para(doc, "{{ next_month_plan|multiline }}", **BODY)

    para(doc, "Sprawozdanie sporządzono na podstawie kart pracy z rodziną za miesiąc {{ month }}", size=10,
         before=8, italic=True, keep_next=v2)
    if v2:
        sign_off(doc, "SIG:head_acceptance:0", "Akceptuję:")
    else:
        signatures(doc)
    return doc


def build_v2() -> object:
    """v1 with the closing sentence kept with the signatures."""
    return build_v1(v2=True)


BUILDERS = {"v1": build_v1, "v2": build_v2}
