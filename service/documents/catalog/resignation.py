"""Rezygnacja ze wsparcia asystenta rodziny: the family withdraws its consent (support is given
with the family's consent, art. 8 ust. 1 of the family-support act); each adult who withdraws
signs on the tablet. It leads to the final report (families.lifecycle, family_facts)."""
from ..family_facts import FamilyFacts, adults, day_of, iso, residence, sex_choice
from ..fields import address, date, full_name, sex
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_RESIGNATION
from ..spec import DocumentType, FieldSpec, GroupSpec, PersonRef, SignerSlot


def from_family(facts: FamilyFacts) -> dict:
    """The adult members (parents and guardians first, as many as the form has rows for), the
    residence, today's date."""
    rows = RESIGNATION.field("persons").max_entries
    persons = [{"full_name": m.full_name, "sex": sex_choice(m), "role": m.relation_label}
               for m in adults(facts)[:rows]]
    return {"persons": persons, **residence(facts), "resignation_date": iso(day_of(facts))}


RESIGNATION = DocumentType(
    slug="resignation",
    title="Rezygnacja ze wsparcia asystenta rodziny",
    description="Pisemne oświadczenie członków rodziny o rezygnacji ze wsparcia asystenta rodziny. "
                "Podpisuje każda pełnoletnia osoba, która rezygnuje; po nim asystent sporządza sprawozdanie "
                "z zakończenia pracy z rodziną.",
    legal_basis=WR_RESIGNATION,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.ASSISTANT, Role.SOCIAL_WORKER, Role.HEAD}),
    signing_summary=N_("To oświadczenie, że rodzina rezygnuje ze wsparcia asystenta rodziny. Podpis oznacza, że "
                       "nie chcesz dalszej współpracy z asystentem. Podanie przyczyny nie jest obowiązkowe; "
                       "o wsparcie można ponownie wystąpić w każdej chwili."),
    template_version="v2",  # v1 with the reason and the signatures kept on one page
    fields=(
        GroupSpec(
            "persons", "Osoby rezygnujące ze wsparcia", row_label="Osoba", min_entries=1, max_entries=4,
            growing=True, add_label="Dodaj osobę",
            help="Każda pełnoletnia osoba, która rezygnuje ze wsparcia i podpisze oświadczenie.",
            fields=(
                full_name(sample=["Anna Kowalska", "Jan Kowalski"]),
                sex(),
                FieldSpec("role", "Rola w rodzinie", sample=["matka", "ojciec"], max_length=60,
                          help="np. matka, ojciec, opiekun prawny"),
            ),
        ),
        *address(),
        date("resignation_date", "Data rezygnacji", "2026-11-20", not_future=True),
        FieldSpec("reason", "Przyczyna rezygnacji", "textarea", required=False, max_length=2000,
                  sample="Rodzina uważa, że poradzi sobie samodzielnie.", help="nieobowiązkowo"),
    ),
    signers=(
        SignerSlot("family_member", "Osoba rezygnująca ze wsparcia", repeat_over="persons",
                   name_field="full_name", role_field="role"),
    ),
    persons=(
        PersonRef("resigning", "full_name", "sex", group="persons", expect={
            "woman": ("Ja, niżej podpisana", "zamieszkała pod adresem", "oświadczam, że rezygnuję"),
            "man": ("Ja, niżej podpisany", "zamieszkały pod adresem", "oświadczam, że rezygnuję"),
            "unknown": ("Ja, niżej podpisana", "{name}"),
            "several": ("My, niżej podpisani", "zamieszkali pod adresem", "oświadczamy, że rezygnujemy"),
            "women": ("My, niżej podpisane", "zamieszkałe pod adresem", "oświadczamy, że rezygnujemy"),
            "men": ("My, niżej podpisani", "zamieszkali pod adresem"),
        }),
    ),
    from_family=from_family,
    needs=("assignment",),
    case_title=lambda d: "Rezygnacja ze wsparcia asystenta rodziny – " + ", ".join(
        p.get("full_name", "") for p in d.get("persons", [])),
)
