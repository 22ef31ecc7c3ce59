"""Plan pracy z rodziną (art. 15 ust. 1 pkt 1 i 2 and ust. 3 of the family-support act).

The assistant draws it up with the family, in consultation with the social worker (art. 15 ust. 1
pkt 1); the statute requires the scope of the actions, their deadlines and expected effects
(ust. 3); the goals, the person responsible for each action, the diagnosis, the family's resources
and the review date are the offices' practice (the Łask and Oświęcim procedures). A revised plan
is a new document naming the one it replaces (set by the service: stamp; families.plans).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...i18n import N_
from ...roles import Role
from ..context import polish_date, printed
from ..family_facts import FamilyFacts, adults, staff_name
from ..fields import date, dates_in_order, full_name
from ..filing import FAMILY_SUPPORT
from ..legal import WR_PLAN
from ..spec import DocumentType, Issuer, FieldSpec, GroupSpec, SignerSlot
from ..template_vars import TemplateVar

MAX_GOALS = 8
MAX_ACTIONS = 30
GOAL_CHOICES = tuple((str(n), f"Cel {n}") for n in range(1, MAX_GOALS + 1))


def goal_no(refers: bool = False) -> FieldSpec:
    """The goal number („Cel 1” … „Cel 8”, keys "1" … "8"): of a goal row, its place in the table
    (GroupSpec.number_field: no input on the page; a JSON body may give it, as before), or, with
    `refers`, of an action row the goal it serves (chosen on the page from the goals typed, by
    their words: FieldSpec.refers_to)."""
    if refers:
        return FieldSpec("goal_no", "Cel, któremu służy działanie", "choice", choices=GOAL_CHOICES,
                         sample=["1", "2"], refers_to="goals")
    return FieldSpec("goal_no", "Numer celu", "choice", choices=GOAL_CHOICES, sample=["1", "2"], required=False,
                     help="bez numeru cel ma numer swojego miejsca w tabeli celów (pierwszy 1, drugi 2…)")


def _key(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def goals_and_actions(data: Mapping[str, Any]) -> dict[str, str]:
    """The rules of the goals and actions tables, with Polish messages at the fields:
    each goal number once; every action names a goal of the plan; every goal has an action (the
    statute's plan is a plan of actions: art. 15 ust. 3); no action due before the plan's date."""
    errors: dict[str, str] = {}
    goals = data.get("goals") or []
    actions = data.get("actions") or []
    seen: set[str] = set()
    for i, goal in enumerate(goals):
        number = _key(goal.get("goal_no"))
        if number and number in seen:
            errors[f"goals[{i}].goal_no"] = f"Cel {number} jest już wpisany wyżej. Nadaj temu celowi inny numer."
        seen.add(number)
    for i, action in enumerate(actions):
        number = _key(action.get("goal_no"))
        if number and number not in seen:
            errors[f"actions[{i}].goal_no"] = (f"W planie nie ma celu {number}. Wybierz jeden z celów wpisanych "
                                               "w tabeli celów albo dopisz ten cel.")
        deadline, plan_date = action.get("deadline"), data.get("plan_date")
        if deadline and plan_date and str(deadline) < str(plan_date):
            errors[f"actions[{i}].deadline"] = "Termin realizacji nie może być wcześniejszy niż data planu."
    planned = {_key(a.get("goal_no")) for a in actions}
    for i, goal in enumerate(goals):
        number = _key(goal.get("goal_no"))
        if number and number not in planned and f"goals[{i}].goal_no" not in errors:
            errors[f"goals[{i}].goal"] = (f"Do celu {number} nie przypisano żadnego działania. Dodaj działanie, "
                                          "które służy temu celowi, albo usuń cel.")
    return errors


def context_extra(data: Mapping[str, Any], shown: Mapping[str, Any]) -> dict[str, Any]:
    """The template's `plan_goals` (each goal, in the order of its number, with its actions
    nested and numbered „1.1”, „1.2”…), `replaces_line` („Plan zastępuje plan z dnia …
    (nr …).” or "" for a first plan) and `signature_slots` ({"marker", "name", "role"} per signer:
    the family members', then the assistant's)."""
    actions = list(zip(data.get("actions") or [], shown.get("actions") or []))
    goals = sorted(zip(data.get("goals") or [], shown.get("goals") or []),
                   key=lambda pair: int(_key(pair[0].get("goal_no")) or 0))
    plan_goals = []
    for goal, goal_shown in goals:
        number = _key(goal.get("goal_no"))
        rows = [dict(a_shown, number=printed(f"{number}.{n}"))
                for n, (a, a_shown) in enumerate(((a, s) for a, s in actions if _key(a.get("goal_no")) == number), 1)]
        plan_goals.append({"number": printed(number), "goal": goal_shown.get("goal", ""), "actions": rows})
    line = ""
    if data.get("replaces"):
        day = data.get("replaces_date")
        line = printed(f"Plan zastępuje plan z dnia {polish_date(day) if day else '–'} "
                       f"(nr {data.get('replaces_ref') or data['replaces'][:8]}).")
    # the family members' slots (in the order of signing), then the assistant's: in one table,
    # two a row, so that no signature is left alone on a page after the others
    slots = [{"marker": f"SIG:family_member:{i}", "name": p.get("full_name", ""),
              "role": p.get("role", "")} for i, p in enumerate(shown.get("participants") or [])]
    slots.append({"marker": "SIG:assistant:0", "name": shown.get("assistant_name", ""),
                  "role": printed("asystent rodziny")})
    return {"plan_goals": plan_goals, "replaces_line": line, "signature_slots": slots}


# What context_extra adds, declared for template authors and the registry-wide template tests.
EXTRA_VARS = (
    TemplateVar("plan_goals", "cele planu w kolejności numerów, każdy z działaniami: goal.number, goal.goal, "
                "goal.actions (action.number „1.1”, scope, deadline, expected_effect, responsible)",
                "the goals by number, each with its actions nested and numbered „1.1”",
                [{"number": "1", "goal": "Uregulowanie zaległości czynszowych.",
                  "actions": [{"number": "1.1", "goal_no": "Cel 1", "scope": "Wniosek o rozłożenie zaległości na raty.",
                               "deadline": "31 grudnia 2026 r.", "expected_effect": "Porozumienie ze spółdzielnią.",
                               "responsible": "Anna Kowalska z asystentem rodziny"}]}],
                prints=("goals", "actions")),
    TemplateVar("replaces_line", "zdanie o planie zastąpionym: „Plan zastępuje plan z dnia … (nr …).”; puste "
                "dla pierwszego planu", "the sentence naming the plan replaced, empty for a first plan",
                "Plan zastępuje plan z dnia 20 maja 2026 r. (nr Asysta 3f2a9c1e)."),
    TemplateVar("signature_slots", "miejsca podpisów: członkowie rodziny, potem asystent (marker, name, role)",
                "the signature places: the family members', then the assistant's",
                [{"marker": "SIG:family_member:0", "name": "Anna Kowalska", "role": "matka"},
                 {"marker": "SIG:assistant:0", "name": "Katarzyna Zielińska", "role": "asystent rodziny"}],
                prints=("participants", "assistant_name")),
)


def stamp(data: Mapping[str, Any], facts: FamilyFacts | None, issuer: Issuer) -> dict[str, Any]:
    """The plan this one replaces, when the family has one (FamilyFacts.plan: the current plan,
    families.plans.current_plan): {"replaces": its document id, "replaces_date": its plan_date
    (ISO), "replaces_ref": its printed reference}; {} for the family's first plan or a new case."""
    plan = facts.plan if facts is not None else None
    if plan is None:
        return {}
    return {"replaces": plan.document_id, "replaces_date": plan.plan_date, "replaces_ref": plan.doc_ref}


def from_family(facts: FamilyFacts) -> dict:
    """The assistant, the social worker, the family's adults as participants (parents first) and,
    when the family has a plan, its goals, actions, diagnosis and resources to revise."""
    rows = WORK_PLAN.field("participants").max_entries
    values: dict[str, Any] = {
        "participants": [{"full_name": m.full_name, "role": m.relation_label} for m in adults(facts)[:rows]],
        "assistant_name": staff_name(facts.assistant), "social_worker_name": staff_name(facts.social_worker)}
    plan = facts.plan
    if plan is not None:
        # the form numbers the goals by their place: a plan whose numbers were sent out of order
        # or with a gap (an API body may) is renumbered 1, 2, 3… and its actions follow
        kept = sorted(plan.goals, key=lambda goal: int(goal[0]) if goal[0].isascii() and goal[0].isdigit() else 0)
        kept = kept[:MAX_GOALS]
        place = {number: str(i) for i, (number, _) in enumerate(kept, 1)}
        values.update(
            diagnosis=plan.diagnosis, resources=plan.resources, child_plan=plan.child_plan,
            goals=[{"goal_no": place[number], "goal": goal} for number, goal in kept],
            actions=[{"goal_no": place.get(a.get("goal_no", ""), ""),
                      **{k: a.get(k, "") for k in ("scope", "deadline", "expected_effect", "responsible")}}
                     for a in plan.actions][:MAX_ACTIONS])
    return values


WORK_PLAN = DocumentType(
    slug="work_plan",
    title="Plan pracy z rodziną",
    description="Plan opracowany przez asystenta rodziny wspólnie z rodziną, w konsultacji z pracownikiem "
                "socjalnym: diagnoza i zasoby rodziny, cele oraz działania z zakresem, terminem, "
                "przewidywanym efektem i osobą odpowiedzialną. Podpisują asystent rodziny i pełnoletni "
                "członkowie rodziny.",
    legal_basis=WR_PLAN,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.ASSISTANT}),
    signing_summary=N_("Ten dokument to plan pracy z rodziną: cele, które ustaliliście z asystentem rodziny, "
                       "i działania, które do nich prowadzą, z terminami i osobami odpowiedzialnymi. Podpis "
                       "oznacza, że plan ustalono z Tobą i że zgadzasz się go realizować. Podpisuje każda "
                       "pełnoletnia osoba, która uczestniczyła w opracowaniu planu."),
    template_version="v2",  # v1 with the last section kept with the signatures
    fields=(
        date("plan_date", "Data sporządzenia planu", "2026-11-24", not_future=True),
        FieldSpec("diagnosis", "Diagnoza sytuacji rodziny", "textarea", max_length=3000,
                  sample="Rodzina pięcioosobowa, utrzymuje się z zasiłków i dorywczej pracy ojca. Trudności "
                         "w prowadzeniu gospodarstwa domowego i w planowaniu wydatków; zaległości w opłatach za "
                         "mieszkanie. Najstarszy syn opuszcza zajęcia szkolne.",
                  help="problemy rodziny, z którymi ma pomóc plan"),
        FieldSpec("resources", "Zasoby i mocne strony rodziny", "textarea", max_length=2000,
                  sample="Silna więź rodziców z dziećmi, gotowość matki do zmiany, wsparcie babci mieszkającej "
                         "w pobliżu."),
        GroupSpec(
            "goals", "Cele ustalone z rodziną", row_label="Cel", min_entries=1, max_entries=MAX_GOALS,
            growing=True, add_label="Dodaj cel", number_field="goal_no", title_field="goal",
            help="Cele mają numery w kolejności wpisania. Przy każdym działaniu wybierz cel, któremu służy.",
            fields=(
                goal_no(),
                FieldSpec("goal", "Treść celu", "textarea", max_length=400,
                          sample=["Uregulowanie zaległości czynszowych i planowanie budżetu domowego.",
                                  "Regularne uczęszczanie syna do szkoły."]),
            ),
        ),
        GroupSpec(
            "actions", "Działania", row_label="Działanie", min_entries=1, max_entries=MAX_ACTIONS,
            growing=True, add_label="Dodaj działanie",
            help="Zakres działania, termin realizacji, przewidywany efekt i osoba odpowiedzialna "
                 "(art. 15 ust. 3 ustawy o wspieraniu rodziny i systemie pieczy zastępczej).",
            fields=(
                goal_no(refers=True),
                FieldSpec("scope", "Zakres działania", "textarea", max_length=600,
                          sample=["Wspólne sporządzenie miesięcznego budżetu i wniosku o rozłożenie zaległości "
                                  "na raty.", "Spotkanie z wychowawcą i pedagogiem szkolnym."]),
                date("deadline", "Termin realizacji", ["2026-12-31", "2026-12-15"]),
                FieldSpec("expected_effect", "Przewidywany efekt", "textarea", max_length=400,
                          sample=["Porozumienie ze spółdzielnią, opłaty wnoszone w terminie.",
                                  "Frekwencja syna powyżej 90%."]),
                FieldSpec("responsible", "Osoba odpowiedzialna", max_length=120,
                          sample=["Anna Kowalska z asystentem rodziny", "Jan Kowalski"]),
            ),
        ),
        date("review_date", "Termin przeglądu planu", "2027-05-24",
             help="nie później niż po 6 miesiącach (okresowa ocena sytuacji rodziny)"),
        FieldSpec("child_plan", "Plan pomocy dziecku", required=False, max_length=300,
                  help="jeśli dziecko przebywa w pieczy zastępczej: data planu pomocy dziecku i kto go sporządził"),
        GroupSpec(
            "participants", "Członkowie rodziny uczestniczący w opracowaniu planu", row_label="Osoba",
            min_entries=1, max_entries=6, growing=True, add_label="Dodaj osobę",
            help="Pełnoletnie osoby, które ustaliły plan z asystentem rodziny i podpiszą go.",
            fields=(
                full_name(sample=["Anna Kowalska", "Jan Kowalski"]),
                FieldSpec("role", "Rola w rodzinie", sample=["matka", "ojciec"], max_length=60,
                          help="np. matka, ojciec, opiekun prawny"),
            ),
        ),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska"),
        full_name("social_worker_name", "Pracownik socjalny (konsultacja planu)", "Tomasz Wójcik",
                  required=False),
        # Set by the service (stamp): the plan this one replaces, never typed.
        FieldSpec("replaces", "Plan zastępowany (identyfikator)", by_service=True, required=False,
                  sample="3f2a9c1e5b7d4c0a9e8f1b2c3d4e5f60"),
        FieldSpec("replaces_date", "Data planu zastępowanego", "date", by_service=True, required=False,
                  sample="2026-05-20"),
        FieldSpec("replaces_ref", "Plan zastępowany (oznaczenie)", by_service=True, required=False,
                  sample="Asysta 3f2a9c1e"),
    ),
    signers=(
        SignerSlot("family_member", "Członek rodziny", repeat_over="participants", name_field="full_name",
                   role_field="role"),
        SignerSlot("assistant", "Asystent rodziny", signer="staff", staff_role=Role.ASSISTANT),
    ),
    checks=(
        dates_in_order("plan_date", "review_date", "Termin przeglądu nie może być wcześniejszy niż data planu."),
        goals_and_actions,
    ),
    from_family=from_family,
    context_extra=context_extra,
    extra_vars=EXTRA_VARS,
    stamp=stamp,
    # work_open first: during the monitoring the page says the work has ended, not only that no
    # assistant is assigned
    needs=("work_open", "assignment"),
    revises=True,
    date_field="plan_date",
    case_title=lambda d: "Plan pracy z rodziną – " + ", ".join(
        p.get("full_name", "") for p in d.get("participants", [])),
)
