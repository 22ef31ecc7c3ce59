"""monthly_time_report: Miesięczne sprawozdanie z czasu pracy asystenta rodziny.

v2: the report ends with a sentence naming what it rests on (the visit records), kept with the
signatures, so that they never stand alone on a page after the tables; the signatures are the
other documents' pair (work_kit.sign_off)."""
from __future__ import annotations

import sys
from pathlib import Path

from letter_kit import BODY, add_row, data_table, heading, legal_basis_paragraph, loop_rows, official_letter, para, \
    shade, title_block, unstretched_line_breaks

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _monthly_kit import signatures  # noqa: E402
from work_kit import sign_off  # noqa: E402


def _total_row(tbl, label: str, value: str) -> None:
    """A shaded totals row after a loop: the label right-aligned in the last-but-one column, the
    value in the last (cells are not merged: every row keeps the table's grid)."""
    row = add_row(tbl)
    cells = row.cells
    for cell in cells:
        shade(cell)
    para(cells[-2], label, bold=True, size=10, align="right")
    para(cells[-1], value, bold=True, size=10, align="center")


def build_v1(v2: bool = False) -> object:
    """The assistant's working time in the month: per family and per kind of task (tables whose
    header rows repeat, each with a totals row), travel and the total; both signatures (`v2`: see
    the module's docstring)."""
    doc = official_letter("Miesięczne sprawozdanie z czasu pracy asystenta rodziny")
    if v2:
        unstretched_line_breaks(doc)  # a text typed with newlines prints in a justified paragraph
    title_block(doc, "za miesiąc {{ month }}")
    if v2:  # {{ month }} ends in „r.”, which ends the sentence too
        legal_basis_paragraph(doc, " asystent rodziny przedstawia zestawienie czasu pracy z rodzinami za miesiąc "
                                   "{{ month }}")
    else:
        legal_basis_paragraph(doc, " asystent rodziny przedstawia zestawienie czasu pracy z rodzinami za miesiąc "
                                   "{{ month }}, sporządzone na podstawie kart pracy z rodzinami.")
    para(doc, ["Asystent rodziny: ", ("{{ assistant_name }}", {"bold": True})], after=8)

    heading(doc, "1. Czas pracy z poszczególnymi rodzinami")
    tbl = data_table(doc, [1.0, 5.0, 7.5, 3.0], ["Lp.", "Znak sprawy", "Rodzina", "Czas"])
    loop_rows(tbl, "f in family_hours", [("{{ loop.index }}.", "center"), ("{{ f.case_sign }}", "left"),
                                         ("{% if f.family %}{{ f.family }}{% else %}–{% endif %}", "left"),
                                         ("{{ f.hours }}", "center")])
    _total_row(tbl, "Razem", "{{ work_hours }}")

    heading(doc, "2. Czas pracy według rodzaju zadań", before=12)
    tbl = data_table(doc, [1.0, 12.5, 3.0], ["Lp.", "Rodzaj zadania", "Czas"])
    loop_rows(tbl, "t in task_hours", [("{{ loop.index }}.", "center"), ("{{ t.label }}", "left"),
                                       ("{{ t.hours }}", "center")])
    _total_row(tbl, "Razem", "{{ work_hours }}")

    heading(doc, "3. Podsumowanie", before=12)
    tbl = data_table(doc, [13.5, 3.0], ["Pozycja", "Czas"])
    for label, value in (("Czas pracy z rodzinami", "{{ work_hours }}"), ("Czas dojazdów", "{{ travel_hours }}")):
        row = add_row(tbl)
        para(row.cells[0], label, size=10)
        para(row.cells[1], value, size=10, align="center")
    _total_row(tbl, "Czas pracy ogółem", "{{ total_hours }}")

    para(doc, "{%p if remarks %}")
    heading(doc, "Uwagi", before=12)
    para(doc, "{{ remarks|multiline }}", **BODY)
    para(doc, "{%p endif %}")
    if v2:
        para(doc, "Zestawienie sporządzono na podstawie kart pracy z rodzinami.", size=10, before=8, italic=True,
             keep_next=True)
        sign_off(doc, "SIG:head_acceptance:0", "Akceptuję:")
    else:
        signatures(doc)
    return doc


def build_v2() -> object:
    """v1 with a closing sentence kept with the signatures."""
    return build_v1(v2=True)


BUILDERS = {"v1": build_v1, "v2": build_v2}
