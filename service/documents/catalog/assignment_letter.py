"""Pismo przydzielające rodzinie asystenta rodziny, signed by the head of the office."""
from ..family_facts import FamilyFacts, addressee, adults, iso, letter_address, staff_name
from ..fields import address, date, dates_in_order, email, full_name, phone, sex
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_ASSIGNMENT
from ..spec import DocumentType, FieldSpec, PersonRef, SignerSlot

BASIS_CHOICES = (
    ("request", "wniosek pracownika socjalnego"),
    ("court", "postanowienie sądu"),
)



def _basis(facts: FamilyFacts) -> dict:
    basis = facts.basis
    if facts.basis_kind == "request":
        return {"basis": "request", "request_date": basis.get("request_date", "")}
    if facts.basis_kind == "court":
        court = ", ".join(part for part in (basis.get("court_name", ""), basis.get("court_division", "")) if part)
        return {"basis": "court", "court_name": court, "court_case_number": basis.get("court_case_number", ""),
                "court_decision_date": basis.get("court_decision_date", "")}
    if facts.basis_kind == "referral":
        # An institution's referral (a school, a clinic) is no basis of assignment by itself: the
        # assistant is assigned on the social worker's request after the social interview (art. 11
        # ust. 1–2 of the family-support act). The request's date is not in the file (the referral
        # letter's date is another date), so the staff member types it.
        return {"basis": "request"}
    return {}  # „Za życiem” or unknown: neither choice of this letter follows from the file


def from_family(facts: FamilyFacts) -> dict:
    """The adult members as the addressee, the address letters go to, the current assignment
    (assistant and start date), its basis, and the social worker in charge."""
    assistant = facts.assistant
    return {"addressee_name": addressee(adults(facts)), **letter_address(facts),
            "assistant_name": staff_name(assistant), "assistant_phone": assistant.phone if assistant else "",
            "assistant_email": assistant.email if assistant else "", "start_date": iso(facts.assignment_start),
            **_basis(facts), "social_worker_name": staff_name(facts.social_worker)}


ASSIGNMENT_LETTER = DocumentType(
    slug="assignment_letter",
    title="Pismo przydzielające rodzinie asystenta rodziny",
    description="Pismo kierownika ośrodka informujące rodzinę o przydzieleniu asystenta rodziny "
                "(na wniosek pracownika socjalnego albo w związku z postanowieniem sądu).",
    legal_basis=WR_ASSIGNMENT,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.SOCIAL_WORKER, Role.HEAD}),
    signing_summary=N_("To pismo ośrodka informuje rodzinę, że przydzielono jej asystenta rodziny, i podaje, jak "
                       "się z nim kontaktować. Podpisuje je kierownik ośrodka; podpis nie nakłada na rodzinę "
                       "żadnych obowiązków."),
    template_version="v4",  # v3 with the signatures kept with the text they sign (scripts/templates/<slug>.py)
    fields=(
        FieldSpec("addressee_name", "Adresat (rodzina)", sample="Pani Anna Kowalska i Pan Jan Kowalski",
                  max_length=160, help="jak w nagłówku pisma, np. Pani Anna Kowalska"),
        *address(),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska"),
        sex("assistant_sex", "Płeć asystenta rodziny"),
        phone("assistant_phone", "Telefon asystenta", "33 842 11 05"),
        email("assistant_email", "E-mail asystenta", "k.zielinska@mops.oswiecim.pl", required=False),
        date("start_date", "Data rozpoczęcia pracy z rodziną", "2026-12-01"),
        FieldSpec("basis", "Podstawa przydzielenia", "choice", choices=BASIS_CHOICES, sample="request"),
        date("request_date", "Data wniosku pracownika socjalnego", "2026-11-20", required=False,
             required_if=("basis", "request"), not_future=True),
        FieldSpec("court_name", "Sąd", required=False, required_if=("basis", "court"),
                  sample="Sąd Rejonowy w Oświęcimiu, III Wydział Rodzinny i Nieletnich",
                  max_length=160, help="pełna nazwa sądu i wydziału"),
        FieldSpec("court_case_number", "Sygnatura akt", "case_number", required=False, required_if=("basis", "court"),
                  sample="III Nsm 123/26", max_length=40),
        date("court_decision_date", "Data postanowienia sądu", "2026-11-10", required=False,
             required_if=("basis", "court"), not_future=True),
        full_name("social_worker_name", "Pracownik socjalny prowadzący", "Tomasz Wójcik"),
        sex("social_worker_sex", "Płeć pracownika socjalnego"),
    ),
    signers=(
        SignerSlot("head_of_office", "Kierownik ośrodka", signer="staff", staff_role=Role.HEAD),
    ),
    checks=(
        dates_in_order("request_date", "start_date",
                       "Data rozpoczęcia nie może być wcześniejsza niż data wniosku."),
        dates_in_order("court_decision_date", "start_date",
                       "Data rozpoczęcia nie może być wcześniejsza niż data postanowienia sądu."),
    ),
    persons=(
        PersonRef("assistant", "assistant_name", "assistant_sex", expect={
            "woman": ("przydzielony został asystent rodziny – Pani {name}.",),
            "man": ("przydzielony został asystent rodziny – Pan {name}.",),
            "unknown": ("przydzielony został asystent rodziny – Pani {name}.",),
        }),
        PersonRef("social_worker", "social_worker_name", "social_worker_sex", expect={
            "woman": ("sprawę Państwa rodziny jest Pani {name}.",),
            "man": ("sprawę Państwa rodziny jest Pan {name}.",),
            "unknown": ("sprawę Państwa rodziny jest Pani {name}.",),
        }),
    ),
    from_family=from_family,
    case_title=lambda d: f"Przydzielenie asystenta rodziny – {d.get('addressee_name', '')}",
)
