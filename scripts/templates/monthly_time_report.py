"""monthly_time_report: Miesięczne sprawozdanie z czasu pracy asystenta rodziny (v1)."""
from __future__ import annotations

import sys
from pathlib import Path

from letter_kit import BODY, add_row, data_table, heading, legal_basis_paragraph, loop_rows, official_letter, para, \
    shade, title_block

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _monthly_kit import signatures  # noqa: E402


def _total_row(tbl, label: str, value: str) -> None:
    """A shaded totals row after a loop: the label right-aligned in the last-but-one column, the
    value in the last (cells are not merged: every row keeps the table's grid)."""
    row = add_row(tbl)
    cells = row.cells
    for cell in cells:
        shade(cell)
    para(cells[-2], label, bold=True, size=10, align="right")
    para(cells[-1], value, bold=True, size=10, align="center")


def build_v1() -> object:
    """The assistant's working time in the month: per family and per kind of task (tables whose
    header rows repeat, each with a totals row), travel and the total; both signatures."""
    doc = official_letter("Miesięczne sprawozdanie z czasu pracy asystenta rodziny")
    title_block(doc, "za miesiąc {{ month }}")
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
    signatures(doc)
    return doc


BUILDERS = {"v1": build_v1}
