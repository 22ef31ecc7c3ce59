"""Sprawozdanie z pracy asystenta rodziny z rodziną (zakończenie): why the work ends, what it
achieved against the plan, and the monitoring afterwards (art. 15 ust. 1 pkt 14 and 16 of the
family-support act). Issuing it ends the assignment and opens the monitoring (families.lifecycle)."""
from ..family_facts import FamilyFacts, day_of, iso, latest
from ..fields import date, dates_in_order
from ...i18n import N_
from ..plan_results import attainment_rows, family_fields, family_values, goal_attainment
from ..spec import DocumentType, FieldSpec, SignerSlot

END_REASONS = (
    ("goals_achieved", "osiągnięcie celów planu pracy z rodziną"),
    ("no_cooperation", "brak współpracy rodziny z asystentem rodziny"),
    ("moved_out", "wyprowadzenie się rodziny poza teren gminy"),
    ("family_withdrew", "rodzina zrezygnowała ze współpracy"),
    ("other", "inna przyczyna"),
)
# The monitoring's length in months (art. 15 ust. 1 pkt 16 sets none; the office's default is 2).
# A choice of text keys until the field kinds have an integer kind (w-kinds).
MONITORING_CHOICES = tuple((str(n), f"{n} {'miesiąc' if n == 1 else 'miesiące' if n < 5 else 'miesięcy'}")
                           for n in range(1, 13))


def from_family(facts: FamilyFacts) -> dict:
    """The period of work (the assignment's start to today), the current plan's goals with what
    the last assessment of that plan found, the office's monitoring period; after the family's
    resignation (a `resignation` since the assignment began) its date ends the work and the
    reason is „rodzina zrezygnowała ze współpracy”."""
    values = {**family_values(facts), "period_from": iso(facts.assignment_start), "end_date": iso(day_of(facts)),
              "goal_attainment": attainment_rows(facts, keep_judgement=True),
              "monitoring_months": str(facts.monitoring_months)}
    resigned = latest(facts, "resignation", since=facts.assignment_start)
    if resigned is not None:
        values.update(end_reason="family_withdrew",
                      end_date=str(resigned.data.get("resignation_date") or iso(resigned.issued_on)))
    return values


FINAL_REPORT = DocumentType(
    slug="final_report",
    title="Sprawozdanie z pracy asystenta rodziny z rodziną",
    description="Sprawozdanie końcowe: przyczyna zakończenia pracy z rodziną, wyniki w odniesieniu do planu "
                "pracy, zalecenia i okres monitorowania. Wystawienie kończy przydział asystenta rodziny.",
    legal_basis="wr_final_report",
    jrwa_key="family_support",
    issued_by=frozenset({"assistant"}),
    signing_summary=N_("To sprawozdanie z zakończenia pracy asystenta rodziny z rodziną. Podaje przyczynę "
                       "zakończenia, wyniki pracy w odniesieniu do planu i okres, w którym ośrodek będzie jeszcze "
                       "monitorować sytuację rodziny. Podpisuje je asystent rodziny, a zatwierdza kierownik ośrodka."),
    fields=(
        *family_fields(),
        date("period_from", "Praca z rodziną od", "2026-05-04"),
        date("end_date", "Data zakończenia pracy z rodziną", "2026-11-30", not_future=True),
        FieldSpec("end_reason", "Przyczyna zakończenia", "choice", choices=END_REASONS, sample="goals_achieved"),
        FieldSpec("end_reason_other", "Inna przyczyna – jaka", required=False, required_if=("end_reason", "other"),
                  max_length=300),
        goal_attainment(
            ["Rodzina samodzielnie utrzymuje stały rytm dnia; dzieci regularnie uczęszczają do szkoły i przedszkola.",
             "Zadłużenie spłacono zgodnie z ugodą; rodzina samodzielnie planuje wydatki.",
             "Pan Jan Kowalski od października pracuje na umowę o pracę."],
            ["achieved", "achieved", "achieved"]),
        FieldSpec("results_summary", "Podsumowanie pracy z rodziną", "textarea", max_length=3000,
                  sample="W okresie współpracy odbyto 28 spotkań. Rodzina osiągnęła cele planu pracy i potrafi "
                         "samodzielnie rozwiązywać bieżące problemy."),
        FieldSpec("recommendations", "Zalecenia", "textarea", required=False, max_length=2000,
                  sample="Utrzymanie kontaktu rodziny z pracownikiem socjalnym; w razie pogorszenia sytuacji "
                         "ponowne rozważenie wsparcia asystenta rodziny."),
        FieldSpec("monitoring_months", "Okres monitorowania", "choice", choices=MONITORING_CHOICES, sample="2",
                  help="ile miesięcy po zakończeniu ośrodek monitoruje funkcjonowanie rodziny"),
        date("monitoring_until", "Monitorowanie do dnia", "2027-01-30", required=False,
             help="pozostaw puste: zostanie wyliczone z daty zakończenia i okresu monitorowania"),
    ),
    signers=(
        SignerSlot("assistant", "Asystent rodziny", signer="staff", staff_role="assistant"),
        SignerSlot("head_approval", "Zatwierdził kierownik ośrodka", signer="staff", staff_role="head"),
    ),
    checks=(
        dates_in_order("period_from", "end_date", "Data zakończenia nie może być wcześniejsza niż początek pracy."),
        dates_in_order("end_date", "monitoring_until",
                       "Monitorowanie nie może się kończyć przed zakończeniem pracy z rodziną."),
    ),
    from_family=from_family,
    needs=("assignment",),
    case_title=lambda d: "Zakończenie pracy asystenta rodziny z rodziną",
)
