"""The parts the documents of the work with a family share (scripts/templates/periodic_assessment.py,
final_report.py, monitoring_note.py): whose family it is, the table of the work plan's goals with
their attainment, a text field or the words for none. Built on letter_kit (its typesetting)."""
from __future__ import annotations

from letter_kit import TEXT_WIDTH, data_table, keep_row, loop_rows, para, signature_slot, table

SIDE = 7.5  # cm: the width of each signature column
RECIPIENTS = ["Kierownik ośrodka", "Pracownik socjalny prowadzący sprawę rodziny (kopia)", "ad acta"]


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


def signatures(doc, head_marker: str, head_word: str, before: float = 18) -> None:
    """The assistant's signature (SIG:assistant:0, „Sporządzono:”, the name from `assistant_name`)
    on the left and the head's (`head_marker`, under `head_word`, e.g. „Zatwierdzam:”) on the
    right, kept on one page. The words above the slots are impersonal or in the present first
    person, so that none assumes the signer's gender („Zatwierdził” would)."""
    para(doc, "", after=before, keep_next=True)
    tbl = table(doc, [SIDE, TEXT_WIDTH - 2 * SIDE, SIDE])
    row = tbl.rows[0]
    keep_row(row)
    left, right = row.cells[0], row.cells[2]
    para(left, "Sporządzono:", size=10, align="center", keep_next=True)
    signature_slot(left, SIDE, "SIG:assistant:0", [("{{ assistant_name }}", {"bold": True, "size": 10}),
                                                  ("asystent rodziny", {}),
                                                  ("data i czytelny podpis", {"italic": True})])
    para(right, head_word, size=10, align="center", keep_next=True)
    signature_slot(right, SIDE, head_marker, [("{{ office.head_name }}", {"bold": True, "size": 10}),
                                              ("{{ office.head_title }}", {}), ("data i podpis", {"italic": True})])
