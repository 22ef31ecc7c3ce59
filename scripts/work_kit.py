"""The parts the documents of the work with a family share (scripts/templates/periodic_assessment.py,
final_report.py, monitoring_note.py): whose family it is, the table of the work plan's goals with
their attainment, a text field or the words for none. Built on letter_kit (its typesetting)."""
from __future__ import annotations

from letter_kit import (TEXT_WIDTH, add_row, data_table, keep_row, keep_rows_together, loop_rows, para,
                        signature_slot, table)

SIDE = 7.5  # cm: the width of each signature column
# v1 (kept as built): the head named by a generic title
RECIPIENTS_V1 = ["Kierownik ośrodka", "Pracownik socjalny prowadzący sprawę rodziny (kopia)", "ad acta"]
# v2 on: the head by the title the office profile gives („Dyrektor Miejskiego Ośrodka …”), as under
# the head's signature; an office whose head is a „Dyrektor” has no „Kierownik ośrodka”
RECIPIENTS = ["{{ office.head_title }}", "Pracownik socjalny prowadzący sprawę rodziny (kopia)", "ad acta"]


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


def _signature_cells(row, head_marker: str, head_word: str) -> None:
    """The assistant's signature in the row's first cell and the head's in its last."""
    left, right = row.cells[0], row.cells[-1]
    para(left, "Sporządzono:", size=10, align="center", keep_next=True)
    signature_slot(left, SIDE, "SIG:assistant:0", [("{{ assistant_name }}", {"bold": True, "size": 10}),
                                                  ("asystent rodziny", {}),
                                                  ("data i czytelny podpis", {"italic": True})])
    para(right, head_word, size=10, align="center", keep_next=True)
    signature_slot(right, SIDE, head_marker, [("{{ office.head_name }}", {"bold": True, "size": 10}),
                                              ("{{ office.head_title }}", {}), ("data i podpis", {"italic": True})])


def sign_off(doc, head_marker: str, head_word: str, recipients: list[str] | None = None,
             before: float = 18) -> None:
    """The end of a document of the work with a family (v2 on): the assistant's signature
    (SIG:assistant:0, „Sporządzono:”) on the left, the head's (`head_marker` under `head_word`,
    e.g. „Zatwierdzam:”) on the right, and below them „Otrzymują:” with the numbered `recipients`
    when given. One table whose rows stay together on one page (keep_rows_together): the
    distribution list is never left alone on a page after the signatures. The paragraph before the
    block must keep with it (letter_kit.keep_with_next) for the signatures to stay with their text."""
    para(doc, "", after=before, keep_next=True)
    tbl = table(doc, [SIDE, TEXT_WIDTH - 2 * SIDE, SIDE])
    _signature_cells(tbl.rows[0], head_marker, head_word)
    if recipients:
        row = add_row(tbl)
        cell = row.cells[0].merge(row.cells[-1])
        para(cell, "Otrzymują:", size=10, before=18)
        for i, text in enumerate(recipients, 1):
            para(cell, f"{i}. {text}", size=10)
    keep_rows_together(tbl)


def signatures(doc, head_marker: str, head_word: str, before: float = 18) -> None:
    """The assistant's signature (SIG:assistant:0, „Sporządzono:”, the name from `assistant_name`)
    on the left and the head's (`head_marker`, under `head_word`, e.g. „Zatwierdzam:”) on the
    right, kept on one page (v1; v2 on: sign_off). The words above the slots are impersonal or in
    the present first person, so that none assumes the signer's gender („Zatwierdził” would)."""
    para(doc, "", after=before, keep_next=True)
    tbl = table(doc, [SIDE, TEXT_WIDTH - 2 * SIDE, SIDE])
    row = tbl.rows[0]
    keep_row(row)
    _signature_cells(row, head_marker, head_word)
