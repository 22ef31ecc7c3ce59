"""Wniosek o przydzielenie asystenta rodziny: the social worker's request to the head of the office
after the social interview (art. 11 ust. 1–2 of the family-support act); the head approves it
(„Zatwierdzam”) with a staff signature step of their own."""
from ..family_facts import PARENTS, FamilyFacts, iso, residence, staff_name
from ..fields import address, date, dates_in_order, full_name, pesel, sex
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_REQUEST
from ..spec import DocumentType, FieldSpec, GroupSpec, PersonRef, SignerSlot

# Typical difficulties in care and upbringing found in a social interview (the catalogue of the
# family-support act's art. 11 and the offices' risk lists; u.p.s. art. 7 pkt 8 „bezradność”).
PROBLEMS = (
    ("care", "trudności w sprawowaniu opieki nad dziećmi, zaniedbania opiekuńcze"),
    ("upbringing", "trudności wychowawcze, nieprawidłowe metody wychowawcze"),
    ("school", "problemy szkolne dzieci (absencja, niepowodzenia szkolne)"),
    ("helplessness", "bezradność w sprawach opiekuńczo-wychowawczych i prowadzenia gospodarstwa domowego"),
    ("budget", "trudności w gospodarowaniu budżetem domowym"),
    ("unemployment", "bezrobocie, trudności w podjęciu lub utrzymaniu pracy"),
    ("addiction", "uzależnienie lub nadużywanie alkoholu albo innych substancji"),
    ("violence", "przemoc w rodzinie"),
    ("health", "długotrwała lub ciężka choroba, niepełnosprawność"),
    ("housing", "trudne warunki mieszkaniowe"),
    ("placement", "dziecko umieszczone w pieczy zastępczej (praca na rzecz jego powrotu)"),
    ("other", "inne (opisane poniżej)"),
)


def _children_last(facts: FamilyFacts):
    """Every current member: those who act for the family first, then the other adults, then the
    children, each part in file order."""
    members = [m for m in facts.members if m.full_name.strip()]
    return ([m for m in members if m.adult and m.relation in PARENTS]
            + [m for m in members if m.adult and m.relation not in PARENTS]
            + [m for m in members if not m.adult])


def _basis(facts: FamilyFacts) -> dict:
    basis = facts.basis
    if facts.basis_kind == "court":
        court = ", ".join(p for p in (basis.get("court_name", ""), basis.get("court_division", "")) if p)
        return {"court_ordered": True, "court_name": court, "court_case_number": basis.get("court_case_number", ""),
                "court_decision_date": basis.get("court_decision_date", "")}
    if facts.basis_kind == "referral":
        return {"referral_institution": basis.get("institution_name", ""),
                "referral_date": basis.get("letter_date", ""), "referral_number": basis.get("letter_number", "")}
    return {}


# What the request states as done by the day it is dated: each of these dates is not after it.
BEFORE_REQUEST = (
    ("consent_date", "Data zgody rodziny nie może być późniejsza niż data wniosku: wniosek podaje zgodę już wyrażoną."),
    ("court_decision_date", "Data postanowienia sądu nie może być późniejsza niż data wniosku."),
    ("referral_date", "Data pisma instytucji zgłaszającej nie może być późniejsza niż data wniosku."),
)


def stated_before_the_request(data) -> dict[str, str]:
    """The consent, the court's decision and the referral the request states are dated on or
    before the request (a consent of 25 November in a request of 20 November was accepted);
    the message at the later date, so that each shows."""
    day = str(data.get("request_date") or "")
    return {name: message for name, message in BEFORE_REQUEST
            if day and data.get(name) and str(data[name]) > day}  # ISO dates compare as text


def from_family(facts: FamilyFacts) -> dict:
    """Every member (children too: the request describes the whole family), the residence, the
    social worker in charge, the court order or the referring institution of the family's basis,
    and whether the family consented (a signed family_consent in the file, with its date)."""
    rows = ASSISTANT_REQUEST.field("members").max_entries
    members = [{"full_name": m.full_name, "pesel": m.pesel, "birth_date": iso(m.birth_date) if not m.pesel else "",
                "role": m.relation_label} for m in _children_last(facts)[:rows]]
    consent = {"family_consented": True, "consent_date": iso(facts.consent_date)} if facts.consent_date else {}
    worker = {"social_worker_name": staff_name(facts.social_worker)}
    return {"members": members, **residence(facts), **worker, **_basis(facts), **consent}


ASSISTANT_REQUEST = DocumentType(
    slug="assistant_request",
    title="Wniosek o przydzielenie asystenta rodziny",
    description="Wniosek pracownika socjalnego do kierownika ośrodka o przydzielenie rodzinie asystenta "
                "rodziny, po przeprowadzeniu wywiadu środowiskowego; zatwierdza go kierownik ośrodka.",
    legal_basis=WR_REQUEST,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.SOCIAL_WORKER, Role.HEAD}),
    signing_summary=N_("To wniosek pracownika socjalnego do kierownika ośrodka o przydzielenie rodzinie asystenta "
                       "rodziny, sporządzony po wywiadzie środowiskowym. Podpisuje go pracownik socjalny, a kierownik "
                       "ośrodka zatwierdza go swoim podpisem; rodzina go nie podpisuje."),
    template_version="v2",  # v1 with the last section kept with the signature; the head's part „Zatwierdzenie wniosku”
    fields=(
        date("request_date", "Data wniosku", "2026-11-20", not_future=True),
        GroupSpec(
            "members", "Skład rodziny", row_label="Członek rodziny", min_entries=1, max_entries=10,
            growing=True, add_label="Dodaj członka rodziny",
            help="Wszyscy członkowie rodziny, także dzieci.",
            fields=(
                full_name(sample=["Anna Kowalska", "Jan Kowalski", "Zofia Kowalska"]),
                pesel(sample=["88031504580", "85072212339", ""], required=False),
                date("birth_date", "Data urodzenia", ["", "", "2019-05-04"], required=False,
                     help="gdy brak numeru PESEL"),
                FieldSpec("role", "Rola w rodzinie", sample=["matka", "ojciec", "córka"], max_length=60,
                          help="np. matka, ojciec, syn, córka"),
            ),
        ),
        *address(),
        date("interview_date", "Data przeprowadzenia wywiadu środowiskowego", "2026-11-16", not_future=True),
        FieldSpec("interview_summary", "Podsumowanie wywiadu środowiskowego i analizy sytuacji rodziny", "textarea",
                  sample="Rodzina trzyosobowa: rodzice i siedmioletnia córka. Utrzymuje się z wynagrodzenia ojca "
                         "i świadczeń rodzinnych. Szkoła zgłasza nieregularne uczęszczanie córki na zajęcia "
                         "i zaległości w nauce. Rodzice nie radzą sobie z ustaleniem rozkładu dnia dziecka "
                         "i konsekwentnym egzekwowaniem obowiązków."),
        FieldSpec("problems", "Stwierdzone problemy opiekuńczo-wychowawcze", "multichoice", choices=PROBLEMS,
                  sample=["upbringing", "school", "budget"], help="zaznacz wszystkie, które stwierdzono"),
        FieldSpec("problems_details", "Opis stwierdzonych problemów", "textarea", required=False,
                  sample="Zaległości w opłatach za mieszkanie (czynsz, energia) za trzy miesiące.",
                  help="uszczegółowienie, także problemy spoza listy"),
        FieldSpec("justification", "Uzasadnienie wniosku", "textarea",
                  sample="Rodzina potrzebuje systematycznego wsparcia w wypełnianiu funkcji opiekuńczo-"
                         "wychowawczych, w szczególności w organizacji dnia dzieci, współpracy ze szkołą "
                         "i planowaniu wydatków. Praca socjalna prowadzona dotychczas nie przyniosła trwałej "
                         "poprawy; wsparcie asystenta rodziny pozwoli zapobiec pogłębianiu się trudności."),
        FieldSpec("family_consented", "Rodzina wyraziła zgodę na współpracę z asystentem rodziny", "boolean",
                  required=False, sample=True),
        date("consent_date", "Data wyrażenia zgody przez rodzinę", "2026-11-18", required=False,
             required_if=("family_consented", True), not_future=True),
        FieldSpec("court_ordered", "Sąd zobowiązał rodzinę do współpracy z asystentem rodziny", "boolean",
                  required=False, sample=False),
        FieldSpec("court_name", "Sąd", required=False, required_if=("court_ordered", True),
                  max_length=160,
                  help="pełna nazwa sądu i wydziału"),
        FieldSpec("court_case_number", "Sygnatura akt", "case_number", required=False,
                  required_if=("court_ordered", True), max_length=40),
        date("court_decision_date", "Data postanowienia sądu", None, required=False,
             required_if=("court_ordered", True), not_future=True),
        FieldSpec("referral_institution", "Instytucja zgłaszająca rodzinę", required=False, max_length=160,
                  sample="Szkoła Podstawowa nr 2 w Oświęcimiu",
                  help="jeśli rodzinę zgłosiła instytucja, np. szkoła, poradnia, sąd"),
        date("referral_date", "Data pisma instytucji zgłaszającej", "2026-11-05", required=False, not_future=True),
        FieldSpec("referral_number", "Znak pisma instytucji zgłaszającej", required=False, max_length=60,
                  sample="SP2.4400.12.2026"),
        full_name("social_worker_name", "Pracownik socjalny składający wniosek", "Tomasz Wójcik"),
        sex("social_worker_sex", "Płeć pracownika socjalnego"),
    ),
    signers=(
        SignerSlot("social_worker", "Pracownik socjalny", signer="staff", staff_role=Role.SOCIAL_WORKER),
        SignerSlot("head_approval", "Kierownik ośrodka – zatwierdzenie wniosku", signer="staff", staff_role=Role.HEAD),
    ),
    checks=(
        dates_in_order("interview_date", "request_date",
                       "Data wniosku nie może być wcześniejsza niż data wywiadu środowiskowego."),
        stated_before_the_request,
    ),
    persons=(
        PersonRef("social_worker", "social_worker_name", "social_worker_sex", expect={
            "woman": ("Wniosek sporządziła: {name}, pracownik socjalny.",),
            "man": ("Wniosek sporządził: {name}, pracownik socjalny.",),
            "unknown": ("Wniosek sporządziła: {name}, pracownik socjalny.",),
        }),
    ),
    from_family=from_family,
    case_title=lambda d: "Wsparcie asystenta rodziny – " + ", ".join(
        m.get("full_name", "") for m in d.get("members", [])),
)
