"""periodic_assessment: Okresowa ocena sytuacji rodziny (v1): the period, the changes, each goal of
the plan, cooperation, risks and the recommendation; signed by the assistant, accepted by the head."""
from __future__ import annotations

from letter_kit import BODY, heading, official_letter, para, recipients, title_block
from work_kit import RECIPIENTS, family_line, goals_table, signatures, text_or


def build_v1() -> object:
    """The assessment as the assistant hands it to the head of the office."""
    doc = official_letter("Okresowa ocena sytuacji rodziny")
    title_block(doc, "za okres od {{ period_from }} do {{ period_to }}")
    family_line(doc)
    # impersonal („sporządzono”) and present („przekazuje”): no verb assumes the assistant's gender
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
    # the choice's label is a phrase in lower case („kontynuowanie pracy…”): inside a sentence
    para(doc, ["Asystent rodziny zaleca ", ("{{ recommendation }}", {"bold": True}), "."], **BODY)
    para(doc, "{%p if recommendation_notes %}")
    para(doc, "{{ recommendation_notes|multiline }}", **BODY)
    para(doc, "{%p endif %}")
    signatures(doc, "SIG:head_acceptance:0", "Przyjmuję:")
    recipients(doc, RECIPIENTS)
    return doc


BUILDERS = {"v1": build_v1}
