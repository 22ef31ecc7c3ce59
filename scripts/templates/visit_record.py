"""visit_record: Karta pracy z rodziną: one visit or contact, signed by the assistant and a family member.

v2: the meeting's data in a table of labels and values (no header row „Spotkanie | Dane” over it);
the goals worked on, or one sentence that fits the record (no goal was worked on under the plan in
force; no plan has been drawn up yet; the card names none), chosen by the plan's state the service
records (`plan_status`) instead of a stock sentence with „albo”; the next meeting on one line, kept
on the page of the signatures (keep-with-next), no „Podpisy” heading, captions as in the other
documents; the lines of a text in lines (the goals worked on, one a line) are not stretched over the
width of a justified paragraph (letter_kit.unstretched_line_breaks)."""
from __future__ import annotations

from letter_kit import (BODY, TEXT_WIDTH, add_row, data_table, heading, loop_rows,  # noqa: F401
                        official_letter, para, shade, signature_slot, table, title_block,
                        unstretched_line_breaks)
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

# v2: what the card says of the plan's goals (stamp: goals_text, plan_status).
GOALS_V2 = ("{% if goals_text %}{{ goals_text }}"
            "{% elif raw.get('plan_status') == 'current' %}Na spotkaniu nie pracowano nad celami planu pracy "
            "z rodziną."
            "{% elif raw.get('plan_status') == 'none' %}Plan pracy z rodziną nie został jeszcze opracowany."
            "{% else %}W karcie nie wskazano celów planu pracy z rodziną.{% endif %}")


def _text_section(doc, title: str, value: str, empty: str = "–") -> None:
    heading(doc, title)
    para(doc, f"{{% if {value} %}}{{{{ {value} }}}}{{% else %}}{empty}{{% endif %}}", **BODY)


def _meeting_table(doc) -> None:
    """v2: the meeting's data, a label (bold, shaded) and its value per row; no row breaks."""
    tbl = table(doc, [LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH], rows=0, borders=True)
    for label, value in MEETING_ROWS:
        row = add_row(tbl)
        shade(row.cells[0], "F2F2F2")
        para(row.cells[0], label, size=10, bold=True)
        para(row.cells[1], value, size=10)


def build_v1(v2: bool = False) -> object:
    """Karta pracy z rodziną: the meeting, who took part, the plan's goals worked on, what was done
    and agreed, the next meeting, and the signatures of the assistant and a family member
    (`v2`: see the module's docstring)."""
    doc = official_letter("Karta pracy z rodziną")
    if v2:
        unstretched_line_breaks(doc)  # the goals, one per line, print in a justified paragraph
    title_block(doc, "zapis spotkania asystenta rodziny z rodziną")
    para(doc, "Dokumentacja pracy z rodziną prowadzona na podstawie {{ legal_basis }}.", **BODY)

    if v2:
        _meeting_table(doc)
    else:
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
    if v2:
        para(doc, GOALS_V2, **BODY)
    else:
        para(doc, "{% if goals_text %}{{ goals_text }}{% else %}Spotkanie nie dotyczyło celów planu pracy z rodziną "
                  "albo plan nie został jeszcze opracowany.{% endif %}", **BODY)
    _text_section(doc, "Przebieg spotkania", "topics")
    _text_section(doc, "Kontakty z instytucjami", "institutions")
    _text_section(doc, "Ustalenia dla rodziny", "tasks_family")
    _text_section(doc, "Ustalenia dla asystenta rodziny", "tasks_assistant")
    if v2:
        # the card's last words, on one line, go with the signatures under them; no „Podpisy”
        # heading (the captions say who signs): a usual card then fits on one page
        para(doc, [("Następne spotkanie: ", {"bold": True}),
                   "{% if next_meeting %}{{ next_meeting }}{% else %}termin zostanie uzgodniony z rodziną{% endif %}"],
             before=10, keep_next=True, **{**BODY, "after": 10})
    else:
        heading(doc, "Następne spotkanie")
        para(doc, "{% if next_meeting %}{{ next_meeting }}{% else %}termin zostanie uzgodniony z rodziną{% endif %}",
             **BODY)
        heading(doc, "Podpisy", before=14)
    half = TEXT_WIDTH / 2 - 0.5
    sig = table(doc, [half, TEXT_WIDTH - 2 * half, half])
    keep_row(sig.rows[0])
    if v2:
        signature_slot(sig.rows[0].cells[0], half, "SIG:assistant:0", [
            ("{{ assistant_name }}", {"bold": True, "size": 10}), ("asystent rodziny", {}),
            ("czytelny podpis", {"italic": True})])
        signature_slot(sig.rows[0].cells[2], half, "SIG:family_member:0", [
            ("{{ signer_name }}", {"bold": True, "size": 10}), ("członek rodziny obecny na spotkaniu", {}),
            ("czytelny podpis", {"italic": True})])
        return doc
    signature_slot(sig.rows[0].cells[0], half, "SIG:assistant:0", [
        ("{{ assistant_name }}", {"bold": True, "size": 10}),
        ("asystent rodziny – czytelny podpis", {"italic": True})])
    signature_slot(sig.rows[0].cells[2], half, "SIG:family_member:0", [
        ("{{ signer_name }}", {"bold": True, "size": 10}),
        ("członek rodziny obecny na spotkaniu – czytelny podpis", {"italic": True})])
    return doc


def build_v2() -> object:
    """v1 with the goals' sentence from the data, the meeting's table without a header and the end
    kept with the signatures."""
    return build_v1(v2=True)


BUILDERS = {"v1": build_v1, "v2": build_v2}
