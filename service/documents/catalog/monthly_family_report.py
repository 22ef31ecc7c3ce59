"""Miesięczne sprawozdanie z pracy z rodziną: built from the month's visit records
(families.monthly.family_report_values), reviewed and completed by the assistant, accepted by the head."""
from ..family_facts import FamilyFacts, adults, names_within, staff_name
from ..fields import full_name
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_DOCUMENTATION
from ..spec import DocumentType, FieldSpec, GroupSpec, SignerSlot

# How many goals a report lists: a work plan has a handful (the builder may add an old plan's goal
# after a revision within the month).
GOAL_ROWS = 12
FAMILY_NAME_LENGTH = 300


def from_family(facts: FamilyFacts) -> dict:
    """The family's adult members (how the report names the family) and its current assistant;
    the month's values come from the visit records (families.monthly_prefill), not the file."""
    return {"family_name": names_within((m.full_name for m in adults(facts)), FAMILY_NAME_LENGTH, last=", "),
            "assistant_name": staff_name(facts.assistant)}


MONTHLY_FAMILY_REPORT = DocumentType(
    slug="monthly_family_report",
    title="Miesięczne sprawozdanie z pracy z rodziną",
    description="Sprawozdanie asystenta rodziny z pracy z rodziną w danym miesiącu, wypełniane z kart pracy "
                "z tego miesiąca (liczba i daty kontaktów, działania przy celach planu pracy, współpraca "
                "z instytucjami), uzupełniane przez asystenta o trudności i plan na następny miesiąc. "
                "Akceptuje kierownik ośrodka.",
    api_note="W API: {\"family_id\": …, \"month\": \"2026-11\"} wypełnia pola z kart pracy rodziny z listopada "
             "2026 r. (pola podane w treści mają pierwszeństwo).",
    legal_basis=WR_DOCUMENTATION,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.ASSISTANT, Role.HEAD}),
    needs=("report_month",),
    signing_summary=N_("To miesięczne sprawozdanie asystenta rodziny z pracy z rodziną, sporządzone na podstawie "
                       "kart pracy z tego miesiąca. Podpisuje je asystent rodziny, a kierownik ośrodka podpisem "
                       "je akceptuje."),
    template_version="v2",  # v1 with the closing sentence kept with the signatures
    fields=(
        FieldSpec("month", "Miesiąc sprawozdania", "month", sample="2026-11",
                  help="RRRR-MM; pola sprawozdania wypełnia się z kart pracy z tego miesiąca"),
        FieldSpec("family_name", "Rodzina", sample="Anna Kowalska, Jan Kowalski", max_length=FAMILY_NAME_LENGTH,
                  help="pełnoletni członkowie rodziny"),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska"),
        FieldSpec("contacts_count", "Liczba kontaktów z rodziną", "integer", sample=4, min_value=1, max_value=500),
        FieldSpec("contact_dates", "Daty kontaktów", "textarea", sample="3, 10, 17 i 24 listopada 2026 r.",
                  max_length=1000),
        GroupSpec(
            "goal_work", "Działania przy celach planu pracy", row_label="Cel", min_entries=0, max_entries=GOAL_ROWS,
            growing=True, add_label="Dodaj cel",
            help="Cele planu pracy z rodziną i to, co w miesiącu zrobiono przy każdym z nich.",
            fields=(
                FieldSpec("goal_no", "Nr celu", sample=["1", "2"], required=False, max_length=80),
                FieldSpec("goal", "Cel", "textarea", sample=[
                    "Poprawa organizacji dnia i budżetu domowego",
                    "Regularne uczęszczanie Zosi do szkoły"], max_length=600),
                FieldSpec("work", "Działania w miesiącu", "textarea", sample=[
                    "3 listopada 2026 r.: plan wydatków na listopad; 17 listopada 2026 r.: rozliczenie "
                    "rachunków za energię",
                    "10 listopada 2026 r.: rozmowa z wychowawczynią Zosi; 24 listopada 2026 r.: "
                    "omówienie frekwencji"], max_length=1500),
            ),
        ),
        FieldSpec("other_work", "Inne działania (poza celami planu)", "textarea", required=False,
                  sample="Pomoc w przygotowaniu wniosku o dodatek mieszkaniowy."),
        FieldSpec("institutions", "Współpraca z instytucjami", "textarea", required=False,
                  sample="Szkoła Podstawowa nr 1 w Oświęcimiu, Poradnia Psychologiczno-Pedagogiczna w Oświęcimiu"),
        FieldSpec("difficulties", "Trudności we współpracy z rodziną", "textarea", required=False,
                  sample="Pan Jan Kowalski dwukrotnie odwołał spotkanie z powodu pracy zmianowej."),
        FieldSpec("next_month_plan", "Plan pracy na następny miesiąc", "textarea",
                  sample="Kontynuacja pracy nad budżetem domowym; wspólna wizyta w poradni 8 grudnia 2026 r."),
        FieldSpec("visit_refs", "Karty pracy, z których sporządzono sprawozdanie", by_service=True, required=False,
                  help="identyfikatory kart pracy; ustala je system przy wystawieniu"),
    ),
    signers=(
        SignerSlot("assistant", "Asystent rodziny", signer="staff", staff_role=Role.ASSISTANT),
        SignerSlot("head_acceptance", "Kierownik ośrodka (akceptacja)", signer="staff", staff_role=Role.HEAD),
    ),
    from_family=from_family,
    case_title=lambda d: "Wsparcie asystenta rodziny – " + d.get("family_name", ""),
)
