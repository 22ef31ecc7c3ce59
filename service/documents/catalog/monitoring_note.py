"""Notatka z monitorowania funkcjonowania rodziny after the work has ended (art. 15 ust. 1 pkt 16
of the family-support act), written by the assistant or the social worker and signed by its author.
Issued only while the family is monitored (families.lifecycle)."""
from collections.abc import Mapping
from typing import Any

from ..family_facts import FamilyFacts, day_of, iso
from ..fields import date
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_MONITORING
from ..plan_results import family_fields, family_values
from ..spec import DocumentType, FieldSpec, Issuer, SignerSlot

CONTACT_FORMS = (
    ("visit", "wizyta w miejscu zamieszkania rodziny"),
    ("office", "spotkanie w ośrodku"),
    ("phone", "rozmowa telefoniczna"),
    ("institution", "informacja od instytucji (szkoła, przychodnia, kurator)"),
    ("other", "inna forma kontaktu"),
)


def from_family(facts: FamilyFacts) -> dict:
    """The family (adults, residence) and today's date; the rest is what the author saw."""
    return {**family_values(facts), "note_date": iso(day_of(facts))}


def stamp(data: Mapping[str, Any], facts: FamilyFacts | None, issuer: Issuer) -> dict[str, Any]:
    """The note's author is who issues it: their role decides whose password signs it, their
    name is printed under the signature."""
    return {"author_role": str(issuer.role), "author_name": issuer.full_name}


MONITORING_NOTE = DocumentType(
    slug="monitoring_note",
    title="Notatka z monitorowania funkcjonowania rodziny",
    description="Notatka asystenta rodziny albo pracownika socjalnego z kontaktu z rodziną w okresie "
                "monitorowania po zakończeniu pracy z rodziną.",
    legal_basis=WR_MONITORING,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.ASSISTANT, Role.SOCIAL_WORKER}),
    signing_summary=N_("To notatka z kontaktu z rodziną po zakończeniu pracy asystenta rodziny. Opisuje, jak "
                       "rodzina sobie radzi i czy potrzebuje ponownego wsparcia. Podpisuje ją pracownik ośrodka, "
                       "który ją sporządził."),
    template_version="v2",  # v1 with the need of support in a sentence, kept with the signature
    fields=(
        *family_fields(),
        date("note_date", "Data kontaktu", "2026-11-27", not_future=True),
        FieldSpec("contact_form", "Forma kontaktu", "choice", choices=CONTACT_FORMS, sample="visit"),
        FieldSpec("observations", "Obserwacje", "textarea", max_length=3000,
                  sample="Rodzina utrzymuje porządek dnia, dzieci uczęszczają do szkoły i przedszkola. Pan Jan "
                         "Kowalski nadal pracuje. Czynsz opłacany jest terminowo."),
        FieldSpec("reopen_needed", "Potrzeba ponownego objęcia rodziny wsparciem", "boolean", required=False,
                  sample=False),
        FieldSpec("reopen_justification", "Uzasadnienie", "textarea", required=False,
                  required_if=("reopen_needed", True), max_length=2000,
                  help="wymagane, gdy rodzina potrzebuje ponownego wsparcia"),
        # Set by the service (stamp): the role of the staff member who wrote the note.
        FieldSpec("author_role", "Autor notatki", "choice", by_service=True, required=False, sample="assistant",
                  choices=((Role.ASSISTANT.value, "asystent rodziny"),
                           (Role.SOCIAL_WORKER.value, "pracownik socjalny"))),
        # Set by the service (stamp): the author's name, under their signature.
        FieldSpec("author_name", "Imię i nazwisko autora notatki", by_service=True, required=False,
                  sample="Katarzyna Zielińska", max_length=120),
    ),
    # The author signs: `author_role` is set by the service from who issues the note (stamp),
    # so the step asks for that role's password.
    signers=(
        SignerSlot("author", "Asystent rodziny", signer="staff", staff_role=Role.ASSISTANT,
                   only_if="author_role=assistant"),
        SignerSlot("author_social_worker", "Pracownik socjalny", signer="staff", staff_role=Role.SOCIAL_WORKER,
                   only_if="author_role=social_worker"),
    ),
    from_family=from_family,
    stamp=stamp,
    needs=("monitoring",),
    case_title=lambda d: "Monitorowanie funkcjonowania rodziny",
)
