"""Upoważnienie do występowania w imieniu osoby uprawnionej („Za życiem”, art. 8)."""
from ..family_facts import FamilyFacts, adults, residence, sex_choice, staff_name
from ..fields import address, date, dates_in_order, full_name, pesel, phone, sex
from ...i18n import N_
from ...roles import Role
from ..filing import ZA_ZYCIEM
from ..legal import ZZ_AUTHORISATION
from ..spec import DocumentType, FieldSpec, GroupSpec, PersonRef, SignerSlot

SCOPE_CHOICES = (
    ("general", "Upoważnienie ogólne"),
    ("specific", "Upoważnienie szczególne (do jednej sprawy)"),
)
ACTION_CHOICES = (
    ("obtain_information", "uzyskiwanie informacji o przysługującym wsparciu i o stanie spraw"),
    ("file_applications", "składanie wniosków, oświadczeń i dokumentów"),
    ("receive_letters", "odbieranie pism i dokumentów"),
    ("accompany", "towarzyszenie osobie uprawnionej w kontaktach z podmiotami"),
)

# Who grants the authorisation when the file does not say: the person entitled under art. 8 of
# the „Za życiem” act, i.e. the pregnant woman, else a parent or the legal guardian of the child.
PRINCIPAL_PREFERENCE = ("pregnant", "mother", "father", "guardian")


def from_family(facts: FamilyFacts) -> dict:
    """The principal (the first adult in PRINCIPAL_PREFERENCE, else the first adult member), the
    residence and the assistant; what the authorisation covers is the principal's decision."""
    grown = adults(facts)
    ranked = sorted(grown, key=lambda m: PRINCIPAL_PREFERENCE.index(m.relation)
                    if m.relation in PRINCIPAL_PREFERENCE else len(PRINCIPAL_PREFERENCE))
    principal = {}
    if ranked:
        p = ranked[0]  # sorted() is stable: the first in the file among equals
        principal = {"principal_name": p.full_name, "principal_pesel": p.pesel,
                     "principal_sex": sex_choice(p), "principal_phone": p.phone}
    return {**principal, **residence(facts), "assistant_name": staff_name(facts.assistant)}


ZZ_POWER_OF_ATTORNEY = DocumentType(
    slug="zz_power_of_attorney",
    title="Upoważnienie do występowania w imieniu osoby uprawnionej",
    description="Pisemne upoważnienie asystenta rodziny do występowania w imieniu osoby uprawnionej "
                "(ustawa „Za życiem”), ogólne albo do jednej sprawy, z odrębną zgodą na przetwarzanie "
                "danych dotyczących zdrowia.",
    legal_basis=ZZ_AUTHORISATION,
    filing_class=ZA_ZYCIEM,
    issued_by=frozenset({Role.ASSISTANT, Role.HEAD}),
    signing_summary=N_("Ten dokument to upoważnienie dla asystenta rodziny do załatwiania w Twoim imieniu spraw "
                       "opisanych w dokumencie. Podpis oznacza, że udzielasz tego upoważnienia; możesz je w "
                       "każdej chwili odwołać. Osobny podpis wyraża zgodę na przetwarzanie danych o zdrowiu, "
                       "jeśli jest w dokumencie."),
    template_version="v4",  # v3 with the signatures kept with the text they sign (scripts/templates/<slug>.py)
    fields=(
        full_name("principal_name", "Osoba upoważniająca", "Magdalena Nowicka"),
        # The principal grants the authorisation personally: of age (for a minor, the guardian grants it).
        pesel("principal_pesel", "PESEL osoby upoważniającej", "90110302640", adult=True),
        # Asked for only to confirm a PESEL of the other sex than the first name (grammar.pesel_problem).
        sex("principal_sex", "Płeć osoby upoważniającej"),
        *address("ul. Zwycięstwa 5", "32-600", "Oświęcim"),
        phone("principal_phone", "Telefon osoby upoważniającej", "501 234 567", required=False),
        full_name("assistant_name", "Upoważniony asystent rodziny", "Katarzyna Zielińska"),
        sex("assistant_sex", "Płeć asystenta rodziny"),
        FieldSpec("scope", "Rodzaj upoważnienia", "choice", choices=SCOPE_CHOICES, sample="specific"),
        FieldSpec("matter", "Sprawa, której dotyczy upoważnienie", "textarea", required=False,
                  required_if=("scope", "specific"), max_length=2000,
                  sample="Złożenie wniosku o jednorazowe świadczenie z tytułu urodzenia się dziecka "
                         "z ciężkim i nieodwracalnym upośledzeniem oraz uzyskanie informacji o jego rozpatrzeniu.",
                  help="wymagane przy upoważnieniu szczególnym"),
        GroupSpec(
            "institutions", "Podmioty, wobec których asystent może występować", row_label="Podmiot",
            min_entries=1, max_entries=6, growing=True, add_label="Dodaj podmiot",
            fields=(
                FieldSpec("name", "Nazwa podmiotu lub rodzaj podmiotów", max_length=200,
                          sample=["Urząd Miasta Oświęcim – Wydział Świadczeń Rodzinnych",
                                  "Szpital Powiatowy w Oświęcimiu"]),
                FieldSpec("address", "Adres", required=False, max_length=200,
                          sample=["ul. Zaborska 2, 32-600 Oświęcim", "ul. Wysokie Brzegi 4, 32-600 Oświęcim"]),
            ),
        ),
        FieldSpec("actions", "Zakres czynności", "multichoice", choices=ACTION_CHOICES,
                  sample=["obtain_information", "file_applications"]),
        date("valid_from", "Ważne od", "2026-11-24"),
        date("valid_until", "Ważne do", "2027-05-31", required=False, help="puste = do odwołania"),
        FieldSpec("health_data_consent", "Osoba upoważniająca wyraża odrębną zgodę na przetwarzanie "
                  "danych dotyczących zdrowia", "boolean", required=False, sample=True,
                  help="art. 9 ust. 2 lit. a RODO; zgoda jest dobrowolna i podpisywana osobno"),
    ),
    signers=(
        SignerSlot("principal", "Osoba upoważniająca", name_field="principal_name"),
        SignerSlot("principal_health_consent", "Osoba upoważniająca – zgoda na dane o zdrowiu",
                   only_if="health_data_consent", name_field="principal_name"),
    ),
    checks=(
        dates_in_order("valid_from", "valid_until",
                       "Data końca ważności nie może być wcześniejsza niż data początku."),
    ),
    persons=(
        # The principal's PESEL is required, and tells the gender.
        PersonRef("principal", "principal_name", "principal_sex", pesel="principal_pesel", expect={
            "woman": ("Ja, niżej podpisana {name}, PESEL", "zamieszkała pod adresem:"),
            "man": ("Ja, niżej podpisany {name}, PESEL", "zamieszkały pod adresem:"),
            "unknown": ("Ja, niżej podpisana {name}, PESEL",),
        }),
        PersonRef("assistant", "assistant_name", "assistant_sex", expect={
            "woman": ("upoważniam Panią {name.acc}, zatrudnioną przez",),
            "man": ("upoważniam Pana {name.acc}, zatrudnionego przez",),
            "unknown": ("upoważniam Panią o imieniu i nazwisku {name}, zatrudnioną przez",),
        }),
    ),
    from_family=from_family,
    case_title=lambda d: f"Koordynacja wsparcia „Za życiem” – {d.get('principal_name', '')}",
)
