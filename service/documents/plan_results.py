"""What the periodic assessment and the final report share: the goals of the work plan, each with
how far it was attained, and the dates they are counted from.

The plan's goals (art. 15 ust. 1 pkt 1 and ust. 3 of the family-support act: the plan the
assistant works to) are read from the family's current plan (FamilyFacts.plan, found by
families.facts.current_plan); the staff member judges each one. Goal numbers are digit strings,
the keys of a choice (the data contract of issue 11); ints are read too.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .family_facts import DocumentFacts, FamilyFacts, PlanFacts, adults, latest, names_within, residence
from .fields import address
from .spec import FieldSpec, GroupSpec

ATTAINMENT = (
    ("achieved", "osiągnięty"),
    ("partly", "osiągnięty częściowo"),
    ("not_achieved", "nieosiągnięty"),
)
FAMILY_NAMES_LENGTH = 300
MAX_GOALS = 12  # a plan has a handful of goals; twelve leaves room without a page of empty rows
GOAL_NUMBERS = tuple((str(n), str(n)) for n in range(1, MAX_GOALS + 1))

SAMPLE_GOALS = [
    "Poprawa organizacji dnia i opieki nad dziećmi (stałe pory posiłków, nauki i snu)",
    "Uregulowanie zaległości czynszowych i planowanie budżetu domowego",
    "Podjęcie stałego zatrudnienia przez Pana Jana Kowalskiego",
]


def goal_attainment(sample_comments: list[str], sample_attainment: list[str], min_entries: int = 1) -> GroupSpec:
    """The group of goal rows {goal_no, goal, attainment, comment}, with these samples; at least
    `min_entries` rows (the final report takes none for a family without a plan:
    families.lifecycle)."""
    return GroupSpec(
        "goal_attainment", "Realizacja celów planu pracy z rodziną", row_label="Cel",
        min_entries=min_entries, max_entries=MAX_GOALS, growing=True, add_label="Dodaj cel",
        help="Każdy cel obecnego planu pracy z rodziną: jak został zrealizowany i co o tym świadczy.",
        fields=(
            FieldSpec("goal_no", "Nr celu", "choice", choices=GOAL_NUMBERS, sample=["1", "2", "3"],
                      help="numer celu w planie pracy"),
            FieldSpec("goal", "Cel", "textarea", sample=SAMPLE_GOALS, max_length=400),
            FieldSpec("attainment", "Stopień realizacji", "choice", choices=ATTAINMENT, sample=sample_attainment),
            FieldSpec("comment", "Komentarz", "textarea", sample=sample_comments, max_length=1500,
                      help="co zrobiono, co się zmieniło, co pozostało"),
        ),
    )


def family_fields() -> tuple[FieldSpec, ...]:
    """Whose family a document of the work with it concerns (the assessment, the final report, a
    monitoring note): the adult members' names and the residence, so that a page of the case file
    says by itself whom it is about (the case sign alone does not)."""
    return (FieldSpec("family_names", "Rodzina (dorośli członkowie)", sample="Anna Kowalska i Jan Kowalski",
                      max_length=FAMILY_NAMES_LENGTH, help="imiona i nazwiska dorosłych członków rodziny"),
            *address())


def family_values(facts: FamilyFacts) -> dict[str, str]:
    """family_fields' values from the file: the adults („Anna Kowalska i Jan Kowalski”, parents
    first) and the address of residence."""
    names = names_within((m.full_name for m in adults(facts)), FAMILY_NAMES_LENGTH)
    return {"family_names": names, **residence(facts)}


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def plan_date(plan: PlanFacts | None) -> dt.date | None:
    """The date of a work plan (its `plan_date`), or None."""
    if plan is None:
        return None
    return _date(plan.plan_date)


def plan_goals(plan: PlanFacts | None) -> list[dict[str, str]]:
    """The plan's goals as rows {"goal_no": "1", "goal": "…"} in the plan's order."""
    if plan is None:
        return []
    return [{"goal_no": str(no), "goal": str(goal)} for no, goal in plan.goals]


def last_assessment(facts: FamilyFacts) -> DocumentFacts | None:
    """The newest periodic assessment of the family, or None."""
    return latest(facts, "periodic_assessment")


def attainment_rows(facts: FamilyFacts, *, keep_judgement: bool = False) -> list[dict[str, str]]:
    """The current plan's goals as rows of goal_attainment; with keep_judgement, each row takes
    the attainment and comment of the newest assessment of the same plan (the final report
    starts from what the last assessment found)."""
    plan = facts.plan
    rows = plan_goals(plan)
    if keep_judgement and plan is not None:
        found = last_assessment(facts)
        if found is not None and found.data.get("plan_ref") == plan.document_id:
            judged = {str(r.get("goal_no")): r for r in found.data.get("goal_attainment") or []
                      if isinstance(r, Mapping)}
            for row in rows:
                old = judged.get(row["goal_no"], {})
                row.update({k: str(old[k]) for k in ("attainment", "comment") if old.get(k)})
    return rows[:MAX_GOALS]
