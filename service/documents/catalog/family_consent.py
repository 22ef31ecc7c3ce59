"""Zgoda rodziny na współpracę z asystentem rodziny (with the RODO information clause)."""
from ..fields import address, date, full_name, pesel
from ...i18n import N_
from ..spec import DocumentType, FieldSpec, GroupSpec, SignerSlot

FAMILY_CONSENT = DocumentType(
    slug="family_consent",
    title="Zgoda rodziny na współpracę z asystentem rodziny",
    description="Pisemna zgoda członków rodziny na wsparcie asystenta rodziny, z klauzulą "
                "informacyjną RODO. Podpisuje każda pełnoletnia osoba wyrażająca zgodę.",
    legal_basis="wr_consent",
    jrwa_key="family_support",
    issued_by=frozenset({"assistant", "social_worker", "head"}),
    signing_summary=N_("Ten dokument to zgoda na współpracę z asystentem rodziny, który pomaga rodzinie w "
                       "codziennych sprawach. Podpis oznacza, że zgadzasz się na to wsparcie i że zapoznano Cię "
                       "z informacją o przetwarzaniu danych osobowych. Podpisuje każda pełnoletnia osoba, która "
                       "wyraża zgodę."),
    template_version="v2",  # v1 with the wording typeset for Polish (scripts/build_templates.py)
    fields=(
        GroupSpec(
            "persons", "Osoby wyrażające zgodę", row_label="Osoba",
            min_entries=1, max_entries=4,
            help="Każda pełnoletnia osoba, która wyraża zgodę i podpisze dokument.",
            fields=(
                full_name(sample=["Anna Kowalska", "Jan Kowalski"]),
                # Each person consents for themselves (a minor's parent or guardian consents instead).
                pesel(sample=["88031504580", "85072212339"], required=False, adult=True),
                FieldSpec("role", "Rola w rodzinie", sample=["matka", "ojciec"], max_length=60,
                          help="np. matka, ojciec, opiekun prawny"),
            ),
        ),
        *address(),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska", required=False,
                  help="jeśli jest już wyznaczony"),
        full_name("social_worker_name", "Pracownik socjalny prowadzący", "Tomasz Wójcik",
                  required=False),
        date("consent_date", "Data wyrażenia zgody", "2026-11-24", not_future=True),
    ),
    signers=(
        SignerSlot("family_member", "Osoba wyrażająca zgodę", repeat_over="persons",
                   name_field="full_name", role_field="role"),
    ),
    case_title=lambda d: "Wsparcie asystenta rodziny – " + ", ".join(
        p.get("full_name", "") for p in d.get("persons", [])),
)
