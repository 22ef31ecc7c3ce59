"""final_report: Sprawozdanie z pracy asystenta rodziny z rodziną (v1; v2: a family without a work
plan gets a sentence saying so instead of the table of goals): the reason the work ends, results
against the plan, recommendations and the monitoring; signed by the assistant, approved by the head. A Polish date ends in „r.”, which ends the sentence too: no full stop after it."""
from __future__ import annotations

from letter_kit import BODY, heading, official_letter, para, recipients, title_block
from work_kit import RECIPIENTS, family_line, goals_table, signatures, text_or

# „przez 2 miesiące”: the form allows 1 to 12 months (catalog.final_report.MONITORING_MONTHS)
MONTHS_WORD = ("{% if raw.monitoring_months|int == 1 %}miesiąc{% elif raw.monitoring_months|int < 5 %}miesiące"
               "{% else %}miesięcy{% endif %}")


def build_v1() -> object:
    """The report that ends the work with the family (v1: the goals' table always)."""
    return _build(no_plan=False)


def build_v2() -> object:
    """v1, and a family without a work plan (the work ended before one was drawn up: the family
    withdrew, moved away) gets a sentence saying so instead of an empty table of goals."""
    return _build(no_plan=True)


def _build(no_plan: bool) -> object:
    doc = official_letter("Sprawozdanie z pracy asystenta rodziny z rodziną")
    title_block(doc, "zakończenie pracy z rodziną")
    family_line(doc)
    para(doc, "Na podstawie {{ legal_basis }} asystent rodziny przedstawia sprawozdanie z pracy z rodziną "
              "prowadzonej od dnia {{ period_from }} do dnia {{ end_date }}", **BODY)
    heading(doc, "1. Przyczyna zakończenia pracy z rodziną")
    # the reason's label is a phrase in the nominative („osiągnięcie celów…”, „rodzina zrezygnowała
    # ze współpracy”): after a label's colon, where it needs no inflection („z powodu: osiągnięcie”
    # would); no full stop after it, which a reason typed as a sentence would double
    para(doc, ["Przyczyna zakończenia: ",
               ("{% if raw.end_reason == 'other' %}{{ end_reason_other }}{% else %}{{ end_reason }}{% endif %}",
                {"bold": True})], **BODY)
    heading(doc, "2. Wyniki pracy w odniesieniu do planu pracy z rodziną")
    if no_plan:
        para(doc, "{%p if goal_attainment %}")
    goals_table(doc)
    if no_plan:
        para(doc, "{%p else %}")
        para(doc, "Planu pracy z rodziną nie sporządzono: praca z rodziną zakończyła się przed jego "
                  "opracowaniem.", **BODY)
        para(doc, "{%p endif %}")
    para(doc, "{{ results_summary|multiline }}", before=6, **BODY)
    heading(doc, "3. Zalecenia")
    para(doc, text_or("recommendations", "Brak."), **BODY)
    heading(doc, "4. Monitorowanie funkcjonowania rodziny")
    para(doc, "Po zakończeniu pracy z rodziną ośrodek monitoruje funkcjonowanie rodziny przez "
              "{{ monitoring_months }} " + MONTHS_WORD + ", do dnia {{ monitoring_until }}", **BODY)
    signatures(doc, "SIG:head_approval:0", "Zatwierdzam:")
    recipients(doc, RECIPIENTS)
    return doc


BUILDERS = {"v1": build_v1, "v2": build_v2}
