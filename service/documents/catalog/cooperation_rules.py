"""Zasady współpracy (kontrakt): agreed by the assistant with the family at the first visit, normally
with the social worker; signed by the adult members on the tablet and by the assistant.

The statute gives the assistant's tasks (art. 15 ust. 1 of the family-support act) and the family's
consent and active part (art. 8 ust. 1); the written rules are the offices' practice: meetings at
least every 2 weeks, the family reports changes to the social worker within 7 days, how the work
ends (MGOPS Łask procedure 4.2, 4.8 and 4.11; MOPS Oświęcim: rules drawn up at the first visit,
the end of cooperation in writing; MOPR Poznań: a written agreement).
"""
from ..family_facts import FamilyFacts, adults, residence, sex_choice, staff_name
from ..fields import address, date, full_name, sex
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_TASKS
from ..spec import DocumentType, FieldSpec, GroupSpec, PersonRef, SignerSlot

# The interval between meetings, in days: the form starts from the office's setting of the
# interval between visits (families.settings, visit_interval_days: MGOPS Łask 4.2, „nie rzadziej
# niż raz na 2 tygodnie”), and accepts what that setting accepts (1 to 60 days).
MEETING_DAYS_LOW, MEETING_DAYS_HIGH = 1, 60
# Within how many days the family tells the social worker of a change (MGOPS Łask 4.8); printed by the template.
REPORT_CHANGES_DAYS = 7

DEFAULT_PLACES = ("w miejscu zamieszkania rodziny; w razie potrzeby w siedzibie ośrodka lub w instytucjach, "
                  "w których rodzina załatwia sprawy objęte planem pracy (szkoła, przychodnia, urząd)")
ASSISTANT_DUTIES = (
    "spotykać się z rodziną w uzgodnionych terminach i uprzedzać o każdej zmianie terminu spotkania",
    "opracować wspólnie z rodziną, w konsultacji z pracownikiem socjalnym, plan pracy z rodziną w ciągu miesiąca "
    "od rozpoczęcia współpracy i realizować go razem z rodziną",
    "udzielać rodzinie wsparcia w rozwiązywaniu problemów opiekuńczo-wychowawczych i socjalnych oraz "
    "w prowadzeniu gospodarstwa domowego",
    "pomagać w kontaktach ze szkołą, placówkami ochrony zdrowia, urzędami i sądem, a w razie potrzeby "
    "towarzyszyć członkom rodziny w tych sprawach",
    "dokonywać wspólnie z rodziną oceny sytuacji rodziny nie rzadziej niż co pół roku",
    "zachować w tajemnicy informacje uzyskane w związku z pracą z rodziną, z wyjątkiem sytuacji zagrożenia "
    "bezpieczeństwa dzieci lub innych członków rodziny",
)
FAMILY_DUTIES = (
    "uczestniczyć w spotkaniach z asystentem rodziny w uzgodnionych terminach, a w razie przeszkody "
    "niezwłocznie powiadomić asystenta",
    "aktywnie uczestniczyć w opracowaniu i realizacji planu pracy z rodziną oraz wykonywać uzgodnione zadania",
    "udzielać asystentowi rodziny informacji potrzebnych do pracy z rodziną",
    "współpracować ze szkołą, placówkami ochrony zdrowia i innymi instytucjami wskazanymi w planie pracy",
)


def from_family(facts: FamilyFacts) -> dict:
    """The adult members (they agree to the rules and sign them, parents first), the residence, the
    assistant and the social worker, the meeting interval of the office's settings (an int of days;
    left out when the facts do not carry it), the default places and duties, and whether a court
    ordered the cooperation (the family's basis)."""
    rows = COOPERATION_RULES.field("persons").max_entries
    persons = [{"full_name": m.full_name, "sex": sex_choice(m), "role": m.relation_label}
               for m in adults(facts)[:rows]]
    interval = {"meeting_every_days": facts.visit_interval_days} if facts.visit_interval_days else {}
    return {"persons": persons, **residence(facts), "assistant_name": staff_name(facts.assistant),
            "social_worker_name": staff_name(facts.social_worker), **interval,
            "meeting_places": DEFAULT_PLACES, "assistant_duties": [{"duty": d} for d in ASSISTANT_DUTIES],
            "family_duties": [{"duty": d} for d in FAMILY_DUTIES], "court_ordered": facts.basis_kind == "court"}


def _duties(name: str, label: str, defaults: tuple[str, ...]) -> GroupSpec:
    return GroupSpec(name, label, row_label="Obowiązek", min_entries=1, max_entries=12,
                     growing=True, add_label="Dodaj obowiązek",
                     help="Każdy obowiązek w osobnym wierszu; można je zmieniać, dodawać i usuwać.",
                     fields=(FieldSpec("duty", "Obowiązek", "textarea", max_length=400, sample=list(defaults)),))


COOPERATION_RULES = DocumentType(
    slug="cooperation_rules",
    title="Zasady współpracy asystenta rodziny z rodziną",
    description="Kontrakt ustalony przez asystenta rodziny z rodziną na pierwszym spotkaniu (zwykle z udziałem "
                "pracownika socjalnego): częstotliwość i miejsca spotkań, obowiązki obu stron, zgłaszanie zmian, "
                "zakończenie współpracy. Podpisują asystent i pełnoletni członkowie rodziny.",
    legal_basis=WR_TASKS,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.ASSISTANT, Role.SOCIAL_WORKER}),
    needs=("work_open",),
    signing_summary=N_("Ten dokument to zasady współpracy z asystentem rodziny: jak często i gdzie odbywają się "
                       "spotkania, co robi asystent, a co rodzina, oraz jak można zakończyć współpracę. Podpis "
                       "oznacza, że zapoznano Cię z tymi zasadami i je akceptujesz. Podpisuje każda pełnoletnia "
                       "osoba z rodziny oraz asystent rodziny."),
    template_version="v2",  # v1 with the statement and every signature kept on one page
    fields=(
        date("agreed_on", "Data ustalenia zasad", "2026-11-27", not_future=True,
             help="zwykle dzień pierwszego spotkania asystenta z rodziną"),
        GroupSpec(
            "persons", "Członkowie rodziny ustalający zasady", row_label="Osoba", min_entries=1, max_entries=6,
            growing=True, add_label="Dodaj osobę",
            help="Każda pełnoletnia osoba z rodziny, która podpisze zasady.",
            fields=(
                full_name(sample=["Anna Kowalska", "Jan Kowalski"]),
                sex(),
                FieldSpec("role", "Rola w rodzinie", sample=["matka", "ojciec"], max_length=60,
                          help="np. matka, ojciec, opiekun prawny"),
            ),
        ),
        *address(),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska"),
        sex("assistant_sex", "Płeć asystenta rodziny"),
        full_name("social_worker_name", "Pracownik socjalny prowadzący", "Tomasz Wójcik"),
        sex("social_worker_sex", "Płeć pracownika socjalnego"),
        FieldSpec("with_social_worker", "Pracownik socjalny uczestniczył w ustaleniu zasad", "boolean",
                  required=False, sample=True),
        FieldSpec("meeting_every_days", "Spotkania nie rzadziej niż raz na (dni)", "integer", sample=14,
                  min_value=MEETING_DAYS_LOW, max_value=MEETING_DAYS_HIGH,
                  help="liczba dni; z rodziny wypełnia się ustawieniem ośrodka (wizyty nie rzadziej niż co – dni)"),
        FieldSpec("meeting_places", "Miejsca spotkań", "textarea", max_length=600, sample=DEFAULT_PLACES),
        _duties("assistant_duties", "Obowiązki asystenta rodziny", ASSISTANT_DUTIES),
        _duties("family_duties", "Obowiązki rodziny", FAMILY_DUTIES),
        FieldSpec("court_ordered", "Sąd zobowiązał rodzinę do współpracy z asystentem rodziny", "boolean",
                  required=False, sample=False),
        FieldSpec("other_arrangements", "Inne ustalenia", "textarea", required=False, max_length=1500,
                  sample="Spotkania odbywają się we wtorki po godzinie 15.00, po powrocie ojca z pracy."),
    ),
    signers=(
        SignerSlot("family_member", "Członek rodziny", repeat_over="persons", name_field="full_name",
                   role_field="role"),
        SignerSlot("assistant", "Asystent rodziny", signer="staff", staff_role=Role.ASSISTANT),
    ),
    persons=(
        PersonRef("family", "full_name", "sex", group="persons", expect={
            "woman": ("Zapoznałam się z zasadami współpracy, akceptuję je",),
            "man": ("Zapoznałem się z zasadami współpracy, akceptuję je",),
            "unknown": ("Zapoznałam się z zasadami współpracy, akceptuję je",),
            "several": ("Zapoznaliśmy się z zasadami współpracy, akceptujemy je",),
            "women": ("Zapoznałyśmy się z zasadami współpracy, akceptujemy je",),
            "men": ("Zapoznaliśmy się z zasadami współpracy, akceptujemy je",),
        }),
        PersonRef("assistant", "assistant_name", "assistant_sex", expect={
            "woman": ("asystentem rodziny zatrudnionym przez", "– Panią {name.inst}, a rodziną"),
            "man": ("asystentem rodziny zatrudnionym przez", "– Panem {name.inst}, a rodziną"),
            "unknown": ("asystentem rodziny zatrudnionym przez", "– Panią o imieniu i nazwisku {name}, a rodziną"),
        }),
        PersonRef("social_worker", "social_worker_name", "social_worker_sex", expect={
            "woman": ("prowadzącym sprawę rodziny jest Pani {name}.",),
            "man": ("prowadzącym sprawę rodziny jest Pan {name}.",),
            "unknown": ("prowadzącym sprawę rodziny jest Pani {name}.",),
        }),
    ),
    from_family=from_family,
    case_title=lambda d: "Wsparcie asystenta rodziny – " + ", ".join(
        p.get("full_name", "") for p in d.get("persons", [])),
)
