"""monitoring_note: Notatka z monitorowania funkcjonowania rodziny (v1): the contact, what was
observed, whether support is needed again; signed by its author (the assistant or the social
worker: SignerSlot.only_if on author_role, which the service sets).

v2: whether the family needs support again is said in a sentence, not „Tak.”/„Nie.”, and that
part of the note stays on the page of the author's signature (keep-with-next)."""
from __future__ import annotations

from letter_kit import (BODY, TEXT_WIDTH, heading, keep_row, official_letter, para, signature_slot, table,
                        title_block, unstretched_line_breaks)
from work_kit import family_line

BY_SOCIAL_WORKER = "raw.get('author_role') == 'social_worker'"


def build_v1(v2: bool = False) -> object:
    """The note of one contact with the family during the monitoring (`v2`: see the module's docstring)."""
    doc = official_letter("Notatka z monitorowania funkcjonowania rodziny")
    if v2:
        unstretched_line_breaks(doc)  # a text typed with newlines prints in a justified paragraph
    title_block(doc)
    family_line(doc)
    para(doc, "Notatka sporządzona na podstawie {{ legal_basis }}, w okresie monitorowania funkcjonowania rodziny "
              "po zakończeniu pracy asystenta rodziny z rodziną.", **BODY)
    para(doc, ["Data kontaktu: ", ("{{ note_date }}", {"bold": True})], after=3)
    para(doc, ["Forma kontaktu: ", ("{{ contact_form }}", {"bold": True})], after=6)
    heading(doc, "Obserwacje")
    para(doc, "{{ observations|multiline }}", **BODY)
    heading(doc, "Potrzeba ponownego objęcia rodziny wsparciem")
    if v2:
        para(doc, "{% if raw.reopen_needed %}Rodzina wymaga ponownego objęcia wsparciem.{% else %}Nie stwierdzono "
                  "potrzeby ponownego objęcia rodziny wsparciem.{% endif %}", keep_next=True, **BODY)
    else:
        para(doc, [("{% if raw.reopen_needed %}Tak.{% else %}Nie.{% endif %}", {"bold": True})], **BODY)
    para(doc, "{%p if raw.reopen_needed %}")
    para(doc, "{{ reopen_justification|multiline }}", keep_next=v2, **BODY)
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


def build_v2() -> object:
    """v1 with the need of support in a sentence, kept with the signature."""
    return build_v1(v2=True)


BUILDERS = {"v1": build_v1, "v2": build_v2}
