"""The parts the documents of the work with a family share (scripts/templates/periodic_assessment.py,
final_report.py, monitoring_note.py): whose family it is, the table of the work plan's goals with
their attainment, a text field or the words for none. Built on letter_kit (its typesetting)."""
from __future__ import annotations

from letter_kit import data_table, loop_rows, para

ASSISTANT_CAPTIONS = [("asystent rodziny", {"bold": True, "size": 10}), ("data i czytelny podpis", {"italic": True})]
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
