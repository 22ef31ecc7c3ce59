"""Okresowa ocena sytuacji rodziny: at least every six months (art. 15 ust. 1 pkt 15 of the
family-support act), by the assistant, handed to the head of the office for acceptance."""
import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..family_facts import FamilyFacts, day_of, iso, staff_name
from ..fields import date, dates_in_order, full_name
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_ASSESSMENT
from ..plan_results import attainment_rows, family_fields, family_values, goal_attainment, last_assessment
from ..spec import DocumentType, FieldSpec, Issuer, SignerSlot

RECOMMENDATIONS = (
    ("continue", "kontynuowanie pracy z rodziną według obecnego planu"),
    ("change_plan", "kontynuowanie pracy z rodziną ze zmianą planu pracy"),
    ("end", "zakończenie pracy z rodziną"),
)
COOPERATION = (
    ("good", "rodzina współpracuje z asystentem rodziny"),
    ("partial", "rodzina współpracuje częściowo"),
    ("none", "rodzina nie współpracuje"),
)


def period_start(facts: FamilyFacts) -> dt.date | None:
    """Where the next assessment's period begins: the day after the last assessment's period
    ended (its period_to + 1 day; its assessment_date for an older one without it), or the current
    assignment's start when there is none of this work (none, or one ending before the
    assignment began); never after today. A revised plan does not move it: the assessment covers
    the time since the last one, whatever plan was in force (art. 15 ust. 1 pkt 15: „nie rzadziej
    niż co pół roku”). None without an assignment or an assessment."""
    start = facts.assignment_start
    previous = last_assessment(facts)
    ended = previous.data.get("period_to") or previous.data.get("assessment_date") if previous else None
    if ended:
        try:
            after = dt.date.fromisoformat(str(ended)[:10]) + dt.timedelta(days=1)
        except ValueError:
            after = None
        if after is not None and (start is None or after > start):
            start = after
    return min(start, day_of(facts)) if start is not None else None


def from_family(facts: FamilyFacts) -> dict:
    """The assistant (who signs it), every goal of the current plan (the staff member judges
    each), and the period: from period_start (the last assessment's end, else the assignment's
    start) to today. The plan itself (plan_ref) is named by the service (stamp), not the form."""
    start = period_start(facts)
    return {**family_values(facts), "assistant_name": staff_name(facts.assistant),
            "period_from": iso(start) if start else "", "period_to": iso(day_of(facts)),
            "assessment_date": iso(day_of(facts)), "goal_attainment": attainment_rows(facts)}


def stamp(data: Mapping[str, Any], facts: FamilyFacts | None, issuer: Issuer) -> dict[str, Any]:
    """The plan assessed: the family's current work plan (its `needs` made sure there is one for a
    family's document; none for a document that opens a new case)."""
    plan = facts.plan if facts is not None else None
    return {"plan_ref": plan.document_id} if plan is not None else {}


PERIODIC_ASSESSMENT = DocumentType(
    slug="periodic_assessment",
    title="Okresowa ocena sytuacji rodziny",
    description="Ocena sytuacji rodziny i realizacji każdego celu planu pracy, dokonywana przez asystenta "
                "rodziny nie rzadziej niż co pół roku i przekazywana kierownikowi ośrodka.",
    legal_basis=WR_ASSESSMENT,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.ASSISTANT}),
    signing_summary=N_("To okresowa ocena sytuacji rodziny, którą asystent rodziny sporządza co najmniej raz na "
                       "pół roku. Opisuje, jak realizowane są cele planu pracy z rodziną, i zawiera zalecenie "
                       "na dalszą pracę. Podpisuje ją asystent rodziny, a kierownik ośrodka potwierdza jej przyjęcie."),
    template_version="v2",  # v1 with the end kept on one page and the head by the office's title
    fields=(
        *family_fields(),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska"),
        date("assessment_date", "Data oceny", "2026-11-27", not_future=True),
        date("period_from", "Okres objęty oceną – od", "2026-06-01"),
        date("period_to", "Okres objęty oceną – do", "2026-11-27", not_future=True),
        FieldSpec("situation_changes", "Zmiany w sytuacji rodziny", "textarea", max_length=3000,
                  sample="Pan Jan Kowalski od września pracuje dorywczo w firmie budowlanej. Rodzina spłaciła "
                         "połowę zaległości czynszowych. Syn Michał uczęszcza regularnie do przedszkola."),
        goal_attainment(
            ["Dzieci mają stałe pory posiłków i snu; Pani Anna prowadzi tygodniowy plan dnia.",
             "Zawarto ugodę z zarządcą budynku; spłacono połowę zadłużenia, rodzina prowadzi zeszyt wydatków.",
             "Pan Jan pracuje dorywczo; zarejestrował się w Powiatowym Urzędzie Pracy w Oświęcimiu."],
            ["achieved", "partly", "partly"]),
        FieldSpec("cooperation", "Współpraca rodziny z asystentem", "choice", choices=COOPERATION, sample="good"),
        FieldSpec("cooperation_notes", "Współpraca – opis", "textarea", required=False, max_length=2000,
                  sample="Rodzina dotrzymuje ustalonych terminów spotkań i samodzielnie kontaktuje się ze szkołą."),
        FieldSpec("risks", "Zagrożenia", "textarea", required=False, max_length=2000,
                  sample="Niestabilne zatrudnienie Pana Jana; ryzyko ponownego zadłużenia w okresie zimowym."),
        FieldSpec("recommendation", "Zalecenie", "choice", choices=RECOMMENDATIONS, sample="continue"),
        FieldSpec("recommendation_notes", "Uzasadnienie zalecenia", "textarea", required=False, max_length=2000,
                  sample="Cele 2 i 3 wymagają dalszej pracy; rodzina chce kontynuować współpracę."),
        # Set by the service (stamp): the document id of the plan assessed.
        FieldSpec("plan_ref", "Plan pracy (identyfikator)", by_service=True, required=False, sample="a1b2c3d4"),
    ),
    signers=(
        SignerSlot("assistant", "Asystent rodziny", signer="staff", staff_role=Role.ASSISTANT),
        SignerSlot("head_acceptance", "Kierownik ośrodka (przyjęcie)", signer="staff", staff_role=Role.HEAD),
    ),
    checks=(
        dates_in_order("period_from", "period_to", "Koniec okresu nie może być wcześniejszy niż jego początek."),
        dates_in_order("period_to", "assessment_date", "Data oceny nie może być wcześniejsza niż koniec okresu."),
    ),
    from_family=from_family,
    stamp=stamp,
    needs=("assignment", "work_plan"),
    case_title=lambda d: "Okresowa ocena sytuacji rodziny",
)
