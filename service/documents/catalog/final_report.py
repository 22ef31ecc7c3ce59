"""Sprawozdanie z pracy asystenta rodziny z rodziną (zakończenie): why the work ends, what it
achieved against the plan, and the monitoring afterwards (art. 15 ust. 1 pkt 14 and 16 of the
family-support act). Issuing it ends the assignment and opens the monitoring (families.lifecycle)."""
import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..family_facts import FamilyFacts, day_of, iso, latest, staff_name
from ..fields import date, dates_in_order, full_name
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_FINAL_REPORT
from ..periods import add_months
from ..plan_results import attainment_rows, family_fields, family_values, goal_attainment
from ..spec import DocumentType, FieldSpec, Issuer, SignerSlot

END_REASONS = (
    ("goals_achieved", "osiągnięcie celów planu pracy z rodziną"),
    ("no_cooperation", "brak współpracy rodziny z asystentem rodziny"),
    ("moved_out", "wyprowadzenie się rodziny poza teren gminy"),
    ("family_withdrew", "rodzina zrezygnowała ze współpracy"),
    ("other", "inna przyczyna"),
)
# The monitoring's length in months: art. 15 ust. 1 pkt 16 sets none; the office's setting
# (families.settings, monitoring_months: 1 to 12, default 2) is the form's default.
MONITORING_MONTHS = (1, 12)


def from_family(facts: FamilyFacts) -> dict:
    """The assistant (who signs it), the period of work (the assignment's start to today), the
    current plan's goals with what the last assessment of that plan found, the office's
    monitoring period; after the family's
    resignation (a `resignation` since the assignment began) its date ends the work and the
    reason is „rodzina zrezygnowała ze współpracy”."""
    values = {**family_values(facts), "assistant_name": staff_name(facts.assistant),
              "period_from": iso(facts.assignment_start), "end_date": iso(day_of(facts)),
              "goal_attainment": attainment_rows(facts, keep_judgement=True),
              "monitoring_months": facts.monitoring_months}
    resigned = latest(facts, "resignation", since=facts.assignment_start)
    if resigned is not None:
        values.update(end_reason="family_withdrew",
                      end_date=str(resigned.data.get("resignation_date") or iso(resigned.issued_on)))
    return values


def stamp(data: Mapping[str, Any], facts: FamilyFacts | None, issuer: Issuer) -> dict[str, Any]:
    """The last day of the monitoring: the end of the work plus the monitoring's months, counted
    as calendar months (periods.add_months). Issuing the report for a family ends its
    assignment and opens the monitoring until then (families.lifecycle)."""
    end = dt.date.fromisoformat(str(data["end_date"]))
    return {"monitoring_until": add_months(end, int(data["monitoring_months"])).isoformat()}


FINAL_REPORT = DocumentType(
    slug="final_report",
    title="Sprawozdanie z pracy asystenta rodziny z rodziną",
    description="Sprawozdanie końcowe: przyczyna zakończenia pracy z rodziną, wyniki w odniesieniu do planu "
                "pracy, zalecenia i okres monitorowania. Wystawienie kończy przydział asystenta rodziny.",
    legal_basis=WR_FINAL_REPORT,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.ASSISTANT}),
    signing_summary=N_("To sprawozdanie z zakończenia pracy asystenta rodziny z rodziną. Podaje przyczynę "
                       "zakończenia, wyniki pracy w odniesieniu do planu i okres, w którym ośrodek będzie jeszcze "
                       "monitorować sytuację rodziny. Podpisuje je asystent rodziny, a zatwierdza kierownik ośrodka."),
    # v2: v1 with the end kept on one page and the head by the office's title; v3: a family without a
    # work plan gets „Planu pracy z rodziną nie sporządzono…” instead of an empty table of goals
    template_version="v3",
    fields=(
        *family_fields(),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska"),
        date("period_from", "Praca z rodziną od", "2026-05-04"),
        date("end_date", "Data zakończenia pracy z rodziną", "2026-11-30", not_future=True),
        FieldSpec("end_reason", "Przyczyna zakończenia", "choice", choices=END_REASONS, sample="goals_achieved"),
        FieldSpec("end_reason_other", "Inna przyczyna – jaka", required=False, required_if=("end_reason", "other"),
                  max_length=300),
        goal_attainment(
            ["Rodzina samodzielnie utrzymuje stały rytm dnia; dzieci regularnie uczęszczają do szkoły i przedszkola.",
             "Zadłużenie spłacono zgodnie z ugodą; rodzina samodzielnie planuje wydatki.",
             "Pan Jan Kowalski od października pracuje na umowę o pracę."],
            ["achieved", "achieved", "achieved"],
            # none for a family without a plan; its rows are checked against the file (families.lifecycle)
            min_entries=0),
        FieldSpec("results_summary", "Podsumowanie pracy z rodziną", "textarea", max_length=3000,
                  sample="W okresie współpracy odbyto 28 spotkań. Rodzina osiągnęła cele planu pracy i potrafi "
                         "samodzielnie rozwiązywać bieżące problemy."),
        FieldSpec("recommendations", "Zalecenia", "textarea", required=False, max_length=2000,
                  sample="Utrzymanie kontaktu rodziny z pracownikiem socjalnym; w razie pogorszenia sytuacji "
                         "ponowne rozważenie wsparcia asystenta rodziny."),
        FieldSpec("monitoring_months", "Okres monitorowania (miesiące)", "integer", min_value=MONITORING_MONTHS[0],
                  max_value=MONITORING_MONTHS[1], sample=2,
                  help="ile miesięcy po zakończeniu ośrodek monitoruje funkcjonowanie rodziny"),
        # Set by the service (stamp) from the end date and the months.
        FieldSpec("monitoring_until", "Monitorowanie do dnia", "date", by_service=True, required=False,
                  sample="2027-01-30"),
    ),
    signers=(
        SignerSlot("assistant", "Asystent rodziny", signer="staff", staff_role=Role.ASSISTANT),
        SignerSlot("head_approval", "Kierownik ośrodka (zatwierdzenie)", signer="staff", staff_role=Role.HEAD),
    ),
    checks=(
        dates_in_order("period_from", "end_date", "Data zakończenia nie może być wcześniejsza niż początek pracy."),
    ),
    from_family=from_family,
    stamp=stamp,
    needs=("assignment",),
    case_title=lambda d: "Zakończenie pracy asystenta rodziny z rodziną",
)
