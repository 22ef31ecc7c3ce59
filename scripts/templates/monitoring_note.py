"""monitoring_note: Notatka z monitorowania funkcjonowania rodziny (v1): the contact, what was
observed, whether support is needed again; signed by its author (the assistant or the social
worker: SignerSlot.only_if on author_role, which the service sets)."""
from __future__ import annotations

from letter_kit import BODY, TEXT_WIDTH, heading, keep_row, official_letter, para, signature_slot, table, title_block
from work_kit import family_line

BY_SOCIAL_WORKER = "raw.get('author_role') == 'social_worker'"


def build_v1() -> object:
    """The note of one contact with the family during the monitoring."""
    doc = official_letter("Notatka z monitorowania funkcjonowania rodziny")
    title_block(doc)
    family_line(doc)
    para(doc, "Notatka sporządzona na podstawie {{ legal_basis }}, w okresie monitorowania funkcjonowania rodziny "
              "po zakończeniu pracy asystenta rodziny z rodziną.", **BODY)
    para(doc, ["Data kontaktu: ", ("{{ note_date }}", {"bold": True})], after=3)
    para(doc, ["Forma kontaktu: ", ("{{ contact_form }}", {"bold": True})], after=6)
    heading(doc, "Obserwacje")
    para(doc, "{{ observations|multiline }}", **BODY)
    heading(doc, "Potrzeba ponownego objęcia rodziny wsparciem")
    para(doc, [("{% if raw.reopen_needed %}Tak.{% else %}Nie.{% endif %}", {"bold": True})], **BODY)
    para(doc, "{%p if raw.reopen_needed %}")
    para(doc, "{{ reopen_justification|multiline }}", **BODY)
    para(doc, "{%p endif %}")
    para(doc, "", after=14, keep_next=True)
    tbl = table(doc, [TEXT_WIDTH - 8.0, 8.0])
    row = tbl.rows[0]
    keep_row(row)
    marker = f"SIG:{{% if {BY_SOCIAL_WORKER} %}}author_social_worker{{% else %}}author{{% endif %}}:0"
    # the author's name (set by the service from who issues the note) above their function
    signature_slot(row.cells[1], 8.0, marker, [
        ("{{ author_name }}", {"bold": True, "size": 10}),
        (f"{{% if {BY_SOCIAL_WORKER} %}}pracownik socjalny{{% else %}}asystent rodziny{{% endif %}}", {}),
        ("data i czytelny podpis", {"italic": True})])
    return doc


BUILDERS = {"v1": build_v1}
