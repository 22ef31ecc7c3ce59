"""periodic_assessment: Okresowa ocena sytuacji rodziny: the period, the changes, each goal of the
plan, cooperation, risks and the recommendation; signed by the assistant, accepted by the head.

v2: the recommendation, the signatures and „Otrzymują:” stay on one page (work_kit.sign_off); the
head is named by the office's title (the distribution list), never as „kierownik ośrodka": the
opening sentence no longer says to whom the assessment goes (a title such as „Dyrektor Miejskiego
Ośrodka …” is given in the nominative only, and the list says it)."""
from __future__ import annotations

from letter_kit import BODY, heading, official_letter, para, recipients, title_block, unstretched_line_breaks
from work_kit import RECIPIENTS, RECIPIENTS_V1, family_line, goals_table, sign_off, signatures, text_or


def build_v1(v2: bool = False) -> object:
    """The assessment as the assistant hands it to the head of the office (`v2`: see the module's
    docstring)."""
    doc = official_letter("Okresowa ocena sytuacji rodziny")
    if v2:
        unstretched_line_breaks(doc)  # a text typed with newlines prints in a justified paragraph
    title_block(doc, "za okres od {{ period_from }} do {{ period_to }}")
    family_line(doc)
    # impersonal („sporządzono”) and present („przekazuje”): no verb assumes the assistant's gender
    if v2:
        para(doc, "Na podstawie {{ legal_basis }} w dniu {{ assessment_date }} sporządzono okresową ocenę "
                  "sytuacji rodziny.", **BODY)
    else:
        para(doc, "Na podstawie {{ legal_basis }} w dniu {{ assessment_date }} sporządzono okresową ocenę sytuacji "
                  "rodziny, którą asystent rodziny przekazuje kierownikowi ośrodka.", **BODY)
    heading(doc, "1. Zmiany w sytuacji rodziny")
    para(doc, "{{ situation_changes|multiline }}", **BODY)
    heading(doc, "2. Realizacja celów planu pracy z rodziną")
    goals_table(doc)
    heading(doc, "3. Współpraca rodziny z asystentem rodziny")
    para(doc, ["Ocena: ", ("{{ cooperation }}", {"bold": True}), "."], **BODY)
    para(doc, "{%p if cooperation_notes %}")
    para(doc, "{{ cooperation_notes|multiline }}", **BODY)
    para(doc, "{%p endif %}")
    heading(doc, "4. Zagrożenia")
    para(doc, text_or("risks", "Nie stwierdzono."), **BODY)
    heading(doc, "5. Zalecenie")
    # the choice's label is a phrase in lower case („kontynuowanie pracy…”): inside a sentence;
    # v2: the recommendation (and its notes, when given) goes with the signatures that accept it
    para(doc, ["Asystent rodziny zaleca ", ("{{ recommendation }}", {"bold": True}), "."], keep_next=v2, **BODY)
    para(doc, "{%p if recommendation_notes %}")
    para(doc, "{{ recommendation_notes|multiline }}", keep_next=v2, **BODY)
    para(doc, "{%p endif %}")
    if v2:
        sign_off(doc, "SIG:head_acceptance:0", "Przyjmuję:", RECIPIENTS)
    else:
        signatures(doc, "SIG:head_acceptance:0", "Przyjmuję:")
        recipients(doc, RECIPIENTS_V1)
    return doc


def build_v2() -> object:
    """v1 with the end kept together and no generic title of the head."""
    return build_v1(v2=True)


BUILDERS = {"v1": build_v1, "v2": build_v2}
