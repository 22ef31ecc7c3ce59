"""visit_record: Karta pracy z rodziną (v1): one visit or contact, signed by the assistant and a family member."""
from __future__ import annotations

from letter_kit import (BODY, TEXT_WIDTH, add_row, data_table, heading, loop_rows,  # noqa: F401
                        official_letter, para, signature_slot, table, title_block)
from template_kit import keep_row

LABEL_WIDTH = 5.0

# The rows of the table of the meeting: label, value (Jinja over the printed values).
MEETING_ROWS = [
    ("Data", "{{ visit_date }}"),
    ("Godziny", "{{ time_from }}–{{ time_to }}{% if raw.time_to < raw.time_from %} (do następnego dnia){% endif %}"),
    ("Miejsce", "{% if raw.place == 'other' and place_other %}{{ place_other }}{% else %}{{ place }}{% endif %}"),
    ("Rodzaj kontaktu", "{{ contact_kind }}"),
    ("Udział pracownika socjalnego", "{{ with_social_worker }}"),
    ("Asystent rodziny", "{{ assistant_name }}"),
]


def _text_section(doc, title: str, value: str, empty: str = "–") -> None:
    heading(doc, title)
    para(doc, f"{{% if {value} %}}{{{{ {value} }}}}{{% else %}}{empty}{{% endif %}}", **BODY)


def build_v1() -> object:
    """Karta pracy z rodziną: the meeting, who took part, the plan's goals worked on, what was done
    and agreed, the next meeting, and the signatures of the assistant and a family member."""
    doc = official_letter("Karta pracy z rodziną")
    title_block(doc, "zapis spotkania asystenta rodziny z rodziną")
    para(doc, "Dokumentacja pracy z rodziną prowadzona na podstawie {{ legal_basis }}.", **BODY)

    tbl = data_table(doc, [LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH], ["Spotkanie", "Dane"])
    for label, value in MEETING_ROWS:
        row = add_row(tbl)
        para(row.cells[0], label, size=10, bold=True)
        para(row.cells[1], value, size=10)

    heading(doc, "Osoby obecne na spotkaniu", before=12)
    people = data_table(doc, [1.0, 9.0, TEXT_WIDTH - 10.0], ["Lp.", "Imię i nazwisko", "Rola w rodzinie"])
    loop_rows(people, "p in participants if p.present not in ('', 'nie')",
              [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
               ("{% if p.relation %}{{ p.relation }}{% else %}–{% endif %}", "left")])
    para(doc, "{%p if others_present %}")
    para(doc, ["Inne osoby obecne: ", "{{ others_present }}"], before=4, **BODY)
    para(doc, "{%p endif %}")

    heading(doc, "Cele planu pracy z rodziną, nad którymi pracowano")
    para(doc, "{% if goals_text %}{{ goals_text }}{% else %}Spotkanie nie dotyczyło celów planu pracy z rodziną "
              "albo plan nie został jeszcze opracowany.{% endif %}", **BODY)
    _text_section(doc, "Przebieg spotkania", "topics")
    _text_section(doc, "Kontakty z instytucjami", "institutions")
    _text_section(doc, "Ustalenia dla rodziny", "tasks_family")
    _text_section(doc, "Ustalenia dla asystenta rodziny", "tasks_assistant")
    heading(doc, "Następne spotkanie")
    para(doc, "{% if next_meeting %}{{ next_meeting }}{% else %}termin zostanie uzgodniony z rodziną{% endif %}",
         **BODY)

    heading(doc, "Podpisy", before=14)
    half = TEXT_WIDTH / 2 - 0.5
    sig = table(doc, [half, TEXT_WIDTH - 2 * half, half])
    keep_row(sig.rows[0])
    signature_slot(sig.rows[0].cells[0], half, "SIG:assistant:0", [
        ("{{ assistant_name }}", {"bold": True, "size": 10}),
        ("asystent rodziny – czytelny podpis", {"italic": True})])
    signature_slot(sig.rows[0].cells[2], half, "SIG:family_member:0", [
        ("{{ signer_name }}", {"bold": True, "size": 10}),
        ("członek rodziny obecny na spotkaniu – czytelny podpis", {"italic": True})])
    return doc


BUILDERS = {"v1": build_v1}
