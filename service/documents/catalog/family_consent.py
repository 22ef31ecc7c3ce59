"""Zgoda rodziny na współpracę z asystentem rodziny (with the RODO information clause)."""
from ..family_facts import FamilyFacts, adults, residence, sex_choice, staff_name
from ..fields import address, date, full_name, pesel, sex
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_CONSENT
from ..spec import DocumentType, FieldSpec, GroupSpec, PersonRef, SignerSlot


def from_family(facts: FamilyFacts) -> dict:
    """Every adult member consents for themselves (a child never: the parents consent for it),
    the parents and guardians first, as many as the form has rows for; the residence; the staff."""
    rows = FAMILY_CONSENT.field("persons").max_entries
    persons = [{"full_name": m.full_name, "pesel": m.pesel, "sex": sex_choice(m), "role": m.relation_label}
               for m in adults(facts)[:rows]]
    return {"persons": persons, **residence(facts), "assistant_name": staff_name(facts.assistant),
            "social_worker_name": staff_name(facts.social_worker)}


FAMILY_CONSENT = DocumentType(
    slug="family_consent",
    title="Zgoda rodziny na współpracę z asystentem rodziny",
    description="Pisemna zgoda członków rodziny na wsparcie asystenta rodziny, z klauzulą "
                "informacyjną RODO. Podpisuje każda pełnoletnia osoba wyrażająca zgodę.",
    legal_basis=WR_CONSENT,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.ASSISTANT, Role.SOCIAL_WORKER, Role.HEAD}),
    needs=("work_open",),
    signing_summary=N_("Ten dokument to zgoda na współpracę z asystentem rodziny, który pomaga rodzinie w "
                       "codziennych sprawach. Podpis oznacza, że zgadzasz się na to wsparcie i że zapoznano Cię "
                       "z informacją o przetwarzaniu danych osobowych. Podpisuje każda pełnoletnia osoba, która "
                       "wyraża zgodę."),
    template_version="v4",  # v3 with the signatures kept with the text they sign (scripts/templates/<slug>.py)
    fields=(
        GroupSpec(
            "persons", "Osoby wyrażające zgodę", row_label="Osoba",
            min_entries=1, max_entries=4, growing=True, add_label="Dodaj osobę",
            help="Każda pełnoletnia osoba, która wyraża zgodę i podpisze dokument.",
            fields=(
                full_name(sample=["Anna Kowalska", "Jan Kowalski"]),
                # Each person consents for themselves (a minor's parent or guardian consents instead).
                pesel(sample=["88031504580", "85072212339"], required=False, adult=True),
                sex(),
                FieldSpec("role", "Rola w rodzinie", sample=["matka", "ojciec"], max_length=60,
                          help="np. matka, ojciec, opiekun prawny"),
            ),
        ),
        *address(),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska", required=False,
                  help="jeśli jest już wyznaczony"),
        sex("assistant_sex", "Płeć asystenta rodziny"),
        full_name("social_worker_name", "Pracownik socjalny prowadzący", "Tomasz Wójcik",
                  required=False),
        sex("social_worker_sex", "Płeć pracownika socjalnego"),
        date("consent_date", "Data wyrażenia zgody", "2026-11-24", not_future=True),
    ),
    signers=(
        SignerSlot("family_member", "Osoba wyrażająca zgodę", repeat_over="persons",
                   name_field="full_name", role_field="role"),
    ),
    persons=(
        PersonRef("consenting", "full_name", "sex", pesel="pesel", group="persons", expect={
            "woman": ("Ja, niżej podpisana:", "zamieszkała pod adresem:", "dobrowolnie wyrażam zgodę",
                      "Zostałam poinformowana, że:", "w każdej chwili mogę wycofać",
                      "Administratorem Pani danych osobowych oraz danych osobowych członków Pani rodziny",
                      "Przysługuje Pani prawo", "jeżeli uzna Pani, że"),
            "man": ("Ja, niżej podpisany:", "zamieszkały pod adresem:", "deklaruję aktywny udział",
                    "Zostałem poinformowany, że:", "Administratorem Pana danych", "Przysługuje Panu prawo",
                    "jeżeli uzna Pan, że"),
            "unknown": ("Ja, niżej podpisana:", "{name}", "Zostałam poinformowana, że:"),
            "several": ("My, niżej podpisani:", "zamieszkali pod adresem:", "dobrowolnie wyrażamy zgodę",
                        "deklarujemy aktywny udział", "Zostaliśmy poinformowani, że:",
                        "w każdej chwili możemy wycofać", "Administratorem Państwa danych",
                        "Przysługuje Państwu prawo", "jeżeli uznają Państwo, że"),
            "women": ("My, niżej podpisane:", "zamieszkałe pod adresem:", "Zostałyśmy poinformowane, że:",
                      "Administratorem Pań danych", "Przysługuje Paniom prawo", "jeżeli uznają Panie, że"),
            # men only: „Panowie”, not „Państwo” (which addresses a woman and a man together)
            "men": ("My, niżej podpisani:", "zamieszkali pod adresem:", "Zostaliśmy poinformowani, że:",
                    "Administratorem Panów danych", "Przysługuje Panom prawo", "jeżeli uznają Panowie, że"),
        }),
        PersonRef("assistant", "assistant_name", "assistant_sex", expect={
            "woman": ("z asystentem rodziny zatrudnionym przez", "– Panią {name.inst} oraz"),
            "man": ("– Panem {name.inst} oraz",),
            "unknown": ("– Panią o imieniu i nazwisku {name} oraz",),
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
