"""Documents pre-filled from a family's file (service/documents/family_facts.py): what each type
takes from a FamilyFacts, that it passes the type's own form with only what the file cannot know
added, and that a document issued from it through the real pipeline shows the family."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from flask import Flask

from service.documents.context import office_today
from service.documents.family_facts import FamilyFacts, PersonFacts, PlanFacts, StaffFacts, addressee, prefill
from service.documents.json_input import json_to_formdata
from service.documents.registry import DOCUMENT_TYPES
from service.forms_builder import errors_by_path, form_class
from tests.helpers import download, issuer_role, pdf_text_normalised, squash
from tests.families.visits import family_for

CONSENT = DOCUMENT_TYPES["family_consent"]
LETTER = DOCUMENT_TYPES["assignment_letter"]
POA = DOCUMENT_TYPES["zz_power_of_attorney"]

TODAY = office_today()
WOMAN_PESEL = "88031504580"
MAN_PESEL = "85072212339"
GIRL_PESEL = "15261700028"  # born 17 June 2015: a minor until 2033

ANNA = PersonFacts("Anna Kowalska", "mother", "matka", pesel=WOMAN_PESEL, sex="woman", phone="501 234 567")
JAN = PersonFacts("Jan Kowalski", "father", "ojciec", pesel=MAN_PESEL, sex="man")
ZOSIA = PersonFacts("Zofia Kowalska", "child", "dziecko", pesel=GIRL_PESEL, sex="woman", adult=False)
KUBA = PersonFacts("Jakub Kowalski", "child", "dziecko", birth_date=dt.date(2019, 4, 2), sex="man", adult=False)
ASSISTANT = StaffFacts("Katarzyna Zielińska", "33 842 11 05", "k.zielinska@mops.oswiecim.pl")
WORKER = StaffFacts("Tomasz Wójcik")


def family(*members: PersonFacts, **changes) -> FamilyFacts:
    """A family of Oświęcim with an assistant from tomorrow, on the social worker's request, in an
    office that wants a visit at least every 14 days."""
    base = FamilyFacts(
        case_sign="MOPS.SPS.4011.7.2026", support="family_support", members=members,
        street="ul. Słowackiego 12 m. 4", postal_code="32-600", town="Oświęcim",
        assistant=ASSISTANT, assignment_start=TODAY + dt.timedelta(days=1), social_worker=WORKER,
        basis_kind="request", basis={"request_date": (TODAY - dt.timedelta(days=10)).isoformat()},
        visit_interval_days=14)
    return dataclasses.replace(base, **changes)


# The goals of the work plan the test families have when a type needs one (tests/families/files.py
# files a plan with these goals).
PLAN_GOALS = [{"goal_no": "1", "goal": "Stały rytm dnia dzieci"}, {"goal_no": "2", "goal": "Spłata zaległości czynszu"}]

# What the file cannot know, typed by the staff member for each type (the date of the consent; what
# the authorisation covers, which the principal decides; how far each goal of the plan was attained).
EXTRAS = {
    "family_consent": {"consent_date": TODAY.isoformat()},
    "assignment_letter": {},
    # what the social worker found and why the family needs an assistant; the date of the request
    "assistant_request": {"request_date": TODAY.isoformat(), "interview_date": TODAY.isoformat(),
                          "interview_summary": "Rodzice nie radzą sobie z organizacją dnia dzieci.",
                          "problems": ["upbringing", "school"],
                          "justification": "Rodzina potrzebuje systematycznego wsparcia w opiece nad dziećmi."},
    "cooperation_rules": {"agreed_on": TODAY.isoformat()},
    "zz_power_of_attorney": {"scope": "general", "actions": ["obtain_information", "receive_letters"],
                             "institutions": [{"name": "Urząd Miasta Oświęcim – Wydział Świadczeń Rodzinnych"}],
                             "valid_from": TODAY.isoformat()},
    "visit_record": {"time_from": "16:00", "time_to": "17:30", "topics": "Rozmowa o budżecie domowym."},
    # built from the month's visit records (families.monthly), and what the assistant completes
    "monthly_family_report": {"month": "2026-11", "contacts_count": 2, "contact_dates": "3 i 10 listopada 2026 r.",
                              "next_month_plan": "Dalsza praca nad budżetem domowym."},
    # a family's first plan: what is agreed with the family, nothing the file knows
    "work_plan": {"plan_date": TODAY.isoformat(), "review_date": (TODAY + dt.timedelta(days=180)).isoformat(),
                  "diagnosis": "Zaległości w opłatach za mieszkanie.", "resources": "Wsparcie babci.",
                  "goals": [{"goal_no": "1", "goal": "Uregulowanie zaległości czynszowych."}],
                  "actions": [{"goal_no": "1", "scope": "Wniosek o rozłożenie zaległości na raty.",
                               "deadline": (TODAY + dt.timedelta(days=30)).isoformat(),
                               "expected_effect": "Porozumienie ze spółdzielnią.",
                               "responsible": "matka z asystentem rodziny"}]},
    "periodic_assessment": {"situation_changes": "Pan Jan pracuje dorywczo.", "cooperation": "good",
                            "recommendation": "continue",
                            "goal_attainment": [{**g, "attainment": "partly", "comment": "w toku"}
                                                for g in PLAN_GOALS]},
    "final_report": {"end_reason": "goals_achieved", "results_summary": "Rodzina osiągnęła cele planu pracy.",
                     "goal_attainment": [{**g, "attainment": "achieved", "comment": "tak"} for g in PLAN_GOALS]},
    "monitoring_note": {"contact_form": "visit", "observations": "Rodzina radzi sobie dobrze."},
    "resignation": {},
}
# The monthly reports rest on visit records, not on the file alone: tests/api/test_monthly_reports_api.py
# issues them for a registered family with visit records. The time report is no family's at all.
FROM_FILE = [t for t in DOCUMENT_TYPES if t.slug != "monthly_time_report"]
ISSUED_FROM_FILE = [t for t in FROM_FILE if t.slug != "monthly_family_report"]

# How a family's facts hold each of a type's declared `needs` (DocumentType.needs): the file-free
# twin of tests/families/files.py's meet_needs: an assignment that has begun (the test family's
# starts tomorrow), a work plan filed in the case; the monitoring is not in the facts a form is
# filled from (the service checks it).
PLAN = PlanFacts("plan-1", (TODAY - dt.timedelta(days=20)).isoformat(),
                 tuple((g["goal_no"], g["goal"]) for g in PLAN_GOALS))
FACTS_FOR_NEED = {
    "assignment": lambda facts: dataclasses.replace(facts, assignment_start=TODAY - dt.timedelta(days=60)),
    "work_plan": lambda facts: dataclasses.replace(facts, plan=PLAN),
    "monitoring": lambda facts: facts,
    # a file whose work has not ended (no assignment ended), and one whose assignment is current
    "work_open": lambda facts: facts,
    "report_month": lambda facts: dataclasses.replace(facts, assignment_start=TODAY - dt.timedelta(days=60)),
}


def with_needs(doctype, facts: FamilyFacts) -> FamilyFacts:
    """The facts with what the type declares it needs (a work plan for an assessment)."""
    for need in doctype.needs:
        assert need in FACTS_FOR_NEED, f"add to FACTS_FOR_NEED how a family's facts hold {need!r}"
        facts = FACTS_FOR_NEED[need](facts)
    return facts


@pytest.fixture
def app_context():
    # The forms only read Flask-WTF's settings from the current app; no database is involved.
    # Per test: a context left pushed would stand in for the `app` fixture's in the tests below.
    with Flask(__name__).app_context():
        yield


def form_errors(doctype, data) -> dict[str, list[str]]:
    """The errors of the type's form for these JSON values, flattened as the API flattens them."""
    formdata, errors = json_to_formdata(doctype, data)
    form = form_class(doctype)(formdata=formdata, meta={"csrf": False})
    form.validate()
    return {**errors_by_path(form), **errors}


def assert_valid(doctype, facts: FamilyFacts) -> dict:
    data = {**prefill(doctype, with_needs(doctype, facts)), **EXTRAS[doctype.slug]}
    assert form_errors(doctype, data) == {}, data
    return data


# ---------------------------------------------------------------------------- family_consent

def test_consent_of_one_woman(app_context):
    data = assert_valid(CONSENT, family(ANNA))
    assert data["persons"] == [{"full_name": "Anna Kowalska", "pesel": WOMAN_PESEL, "sex": "f", "role": "matka"}]
    assert (data["street"], data["postal_code"], data["town"]) == ("ul. Słowackiego 12 m. 4", "32-600", "Oświęcim")
    assert data["assistant_name"] == "Katarzyna Zielińska" and data["social_worker_name"] == "Tomasz Wójcik"
    assert "assistant_sex" not in data  # the file does not say: the form reads the first name


def test_consent_of_a_couple_with_children_names_the_adults_only(app_context):
    data = assert_valid(CONSENT, family(ZOSIA, JAN, KUBA, ANNA))
    assert [p["full_name"] for p in data["persons"]] == ["Jan Kowalski", "Anna Kowalska"]
    assert [p["role"] for p in data["persons"]] == ["ojciec", "matka"]


def test_consent_parents_first_and_no_more_rows_than_the_form_has(app_context):
    grandma = PersonFacts("Barbara Kowalska", "grandparent", "babcia", sex="woman")
    son = PersonFacts("Piotr Kowalski", "child", "dziecko", sex="man", birth_date=dt.date(2004, 1, 5))
    uncle = PersonFacts("Marek Kowalski", "sibling", "rodzeństwo", sex="man")
    guardian = PersonFacts("Ewa Nowak", "guardian", "opiekun prawny", sex="woman")
    data = assert_valid(CONSENT, family(grandma, son, ANNA, uncle, JAN, guardian, ZOSIA))
    assert CONSENT.field("persons").max_entries == 4
    assert [p["full_name"] for p in data["persons"]] == ["Anna Kowalska", "Jan Kowalski", "Ewa Nowak",
                                                         "Barbara Kowalska"]


def test_consent_without_assistant_leaves_the_field_out(app_context):
    data = assert_valid(CONSENT, family(ANNA, assistant=None, social_worker=None))
    assert "assistant_name" not in data and "social_worker_name" not in data


def test_consent_uses_the_residence_not_the_correspondence_address(app_context):
    data = assert_valid(CONSENT, family(ANNA, corr_street="ul. Krakowska 1", corr_postal_code="32-602",
                                       corr_town="Brzezinka"))
    assert data["street"] == "ul. Słowackiego 12 m. 4"


def test_cyrillic_names_with_the_sex_from_the_file(app_context):
    olena = PersonFacts("Олена Коваленко", "mother", "matka", sex="woman")
    data = assert_valid(CONSENT, family(olena))
    assert data["persons"] == [{"full_name": "Олена Коваленко", "sex": "f", "role": "matka"}]
    letter = assert_valid(LETTER, family(olena))
    assert letter["addressee_name"] == "Pani Олена Коваленко"


def test_member_without_pesel_and_sex_is_asked_for_at_the_sex_field(app_context):
    # The file knows neither, and the dictionary does not know „Ołena”: the form asks the staff
    # member (nothing is guessed), and only there.
    olena = PersonFacts("Ołena Kowalenko", "mother", "matka")
    data = {**prefill(CONSENT, family(olena)), **EXTRAS["family_consent"]}
    assert data["persons"] == [{"full_name": "Ołena Kowalenko", "role": "matka"}]
    errors = form_errors(CONSENT, data)
    assert list(errors) == ["persons[0].sex"] and "Wybierz płeć" in errors["persons[0].sex"][0]
    data["persons"][0]["sex"] = "f"
    assert form_errors(CONSENT, data) == {}


# ---------------------------------------------------------------------------- assignment_letter

def test_letter_to_one_woman_on_a_request(app_context):
    facts = family(ANNA)
    data = assert_valid(LETTER, facts)
    assert data == {
        "addressee_name": "Pani Anna Kowalska", "street": "ul. Słowackiego 12 m. 4", "postal_code": "32-600",
        "town": "Oświęcim", "assistant_name": "Katarzyna Zielińska", "assistant_phone": "33 842 11 05",
        "assistant_email": "k.zielinska@mops.oswiecim.pl", "start_date": (TODAY + dt.timedelta(days=1)).isoformat(),
        "basis": "request", "request_date": facts.basis["request_date"], "social_worker_name": "Tomasz Wójcik"}


def test_letter_to_a_couple_with_children(app_context):
    assert assert_valid(LETTER, family(ZOSIA, ANNA, KUBA, JAN))["addressee_name"] == \
        "Pani Anna Kowalska i Pan Jan Kowalski"
    assert assert_valid(LETTER, family(JAN))["addressee_name"] == "Pan Jan Kowalski"


@pytest.mark.parametrize(("people", "expected"), [
    ((ANNA, JAN), "Pani Anna Kowalska i Pan Jan Kowalski"),
    # the gender from the PESEL or the first name where the file's sex is empty
    ((dataclasses.replace(ANNA, sex=""), dataclasses.replace(JAN, sex="", pesel="")),
     "Pani Anna Kowalska i Pan Jan Kowalski"),
    ((ANNA, PersonFacts("Ołena Kowalenko", "partner", "partnerka")), "Anna Kowalska i Ołena Kowalenko"),
    ((ANNA, JAN, PersonFacts("Barbara Kowalska", "grandparent", "babcia", sex="woman")),
     "Anna Kowalska, Jan Kowalski i Barbara Kowalska"),
    ((ZOSIA,), "Pani Zofia Kowalska"),  # addressee() names whom it is given; the letter gives adults
    ((), ""),
])
def test_addressee_line(people, expected):
    assert addressee(people) == expected
    assert "/" not in addressee(people)


def test_letter_goes_to_the_correspondence_address(app_context):
    data = assert_valid(LETTER, family(ANNA, corr_street="ul. Krakowska 1", corr_postal_code="32-602",
                                      corr_town="Brzezinka"))
    assert (data["street"], data["postal_code"], data["town"]) == ("ul. Krakowska 1", "32-602", "Brzezinka")


def test_letter_never_mixes_the_two_addresses(app_context):
    data = prefill(LETTER, family(ANNA, corr_street="ul. Krakowska 1", corr_town="Brzezinka"))
    assert (data["street"], data["town"]) == ("ul. Krakowska 1", "Brzezinka") and "postal_code" not in data
    assert list(form_errors(LETTER, data)) == ["postal_code"]


def test_letter_on_a_court_order_with_the_division(app_context):
    basis = {"court_name": "Sąd Rejonowy w Oświęcimiu", "court_division": "III Wydział Rodzinny i Nieletnich",
             "court_case_number": "III Nsm 123/26", "court_decision_date": (TODAY - dt.timedelta(days=20)).isoformat()}
    data = assert_valid(LETTER, family(ANNA, JAN, basis_kind="court", basis=basis))
    assert data["basis"] == "court" and "request_date" not in data
    assert data["court_name"] == "Sąd Rejonowy w Oświęcimiu, III Wydział Rodzinny i Nieletnich"
    assert (data["court_case_number"], data["court_decision_date"]) == ("III Nsm 123/26", basis["court_decision_date"])
    no_division = prefill(LETTER, family(ANNA, basis_kind="court", basis={**basis, "court_division": ""}))
    assert no_division["court_name"] == "Sąd Rejonowy w Oświęcimiu"


def test_letter_on_a_referral_asks_for_the_request_date(app_context):
    basis = {"institution_name": "Szkoła Podstawowa nr 1 w Oświęcimiu", "letter_date": "2026-10-02",
             "letter_number": "SP1.4410.3.2026"}
    data = prefill(LETTER, family(ANNA, basis_kind="referral", basis=basis))
    assert data["basis"] == "request" and "request_date" not in data
    assert list(form_errors(LETTER, data)) == ["request_date"]
    data["request_date"] = (TODAY - dt.timedelta(days=3)).isoformat()
    assert form_errors(LETTER, data) == {}


@pytest.mark.parametrize("kind", ["zz_application", "unknown"])
def test_letter_without_a_basis_it_can_state(app_context, kind):
    data = prefill(LETTER, family(ANNA, basis_kind=kind, basis={"application_date": "2026-11-02"}))
    assert not {"basis", "request_date", "court_name"} & set(data)
    assert list(form_errors(LETTER, data)) == ["basis"]


def test_letter_without_assignment(app_context):
    data = prefill(LETTER, family(ANNA, assistant=None, assignment_start=None))
    assert not {"assistant_name", "assistant_phone", "assistant_email", "start_date"} & set(data)


# ---------------------------------------------------------------------------- zz_power_of_attorney

def test_power_of_attorney_of_a_pregnant_woman(app_context):
    magda = PersonFacts("Magdalena Nowicka", "pregnant", "osoba w ciąży", pesel="90110302640", sex="woman",
                        phone="600 100 200")
    partner = PersonFacts("Adam Nowicki", "partner", "partner", pesel=MAN_PESEL, sex="man")
    facts = family(partner, magda, support="za_zyciem", basis_kind="zz_application",
                   basis={"application_date": "2026-11-02", "situation": "pregnancy"})
    assert_valid(POA, facts)
    data = prefill(POA, facts)
    assert {k: data[k] for k in ("principal_name", "principal_pesel", "principal_sex", "principal_phone")} == {
        "principal_name": "Magdalena Nowicka", "principal_pesel": "90110302640", "principal_sex": "f",
        "principal_phone": "600 100 200"}
    assert data["town"] == "Oświęcim" and data["assistant_name"] == "Katarzyna Zielińska"
    assert not {"scope", "actions", "institutions", "valid_from", "health_data_consent"} & set(data)


@pytest.mark.parametrize(("members", "principal"), [
    ((JAN, ANNA), "Anna Kowalska"),  # the mother before the father
    ((ZOSIA, JAN), "Jan Kowalski"),  # never a minor
    ((PersonFacts("Ewa Nowak", "guardian", "opiekun prawny", sex="woman"),
      PersonFacts("Barbara Kowalska", "grandparent", "babcia")), "Ewa Nowak"),
    ((PersonFacts("Barbara Kowalska", "grandparent", "babcia"), PersonFacts("Piotr Kowalski", "other", "inna")),
     "Barbara Kowalska"),  # no parent: the first adult
])
def test_power_of_attorney_principal_preference(members, principal):
    assert prefill(POA, family(*members))["principal_name"] == principal


def test_power_of_attorney_without_pesel_asks_for_it(app_context):
    olena = PersonFacts("Олена Коваленко", "mother", "matka", sex="woman")
    data = {**prefill(POA, family(olena, ZOSIA)), **EXTRAS["zz_power_of_attorney"]}
    assert data["principal_name"] == "Олена Коваленко" and data["principal_sex"] == "f"
    assert list(form_errors(POA, data)) == ["principal_pesel"]


def test_no_adult_no_principal(app_context):
    assert "principal_name" not in prefill(POA, family(ZOSIA, KUBA))
    assert "persons" not in prefill(CONSENT, family(ZOSIA, KUBA))


# ---------------------------------------------------------------------------- prefill itself

@pytest.mark.parametrize("doctype", FROM_FILE, ids=lambda t: t.slug)
def test_every_type_is_prefilled_and_valid_with_the_rest(app_context, doctype):
    # A new document type gets here by declaring from_family and what the file cannot know.
    assert doctype.from_family is not None, f"{doctype.slug} declares no from_family"
    assert doctype.slug in EXTRAS, f"add to EXTRAS what the file cannot know for {doctype.slug}"
    assert_valid(doctype, family(ANNA, JAN, ZOSIA))


def test_prefill_drops_empty_values_and_refuses_undeclared_fields():
    half = dataclasses.replace(CONSENT, from_family=lambda facts: {
        "persons": [{"full_name": "Anna Kowalska", "pesel": "", "sex": None}, {"pesel": ""}],
        "street": "", "town": None, "assistant_name": "Katarzyna Zielińska"})
    assert prefill(half, family()) == {"persons": [{"full_name": "Anna Kowalska"}],
                                       "assistant_name": "Katarzyna Zielińska"}
    wrong = dataclasses.replace(CONSENT, from_family=lambda facts: {"family_name": "Kowalscy"})
    with pytest.raises(ValueError, match="family_name"):
        prefill(wrong, family())
    wrong_row = dataclasses.replace(CONSENT, from_family=lambda facts: {"persons": [{"relation": "matka"}]})
    with pytest.raises(ValueError, match="relation"):
        prefill(wrong_row, family())
    assert prefill(dataclasses.replace(CONSENT, from_family=None), family(ANNA)) == {}


# ---------------------------------------------------------------------------- the real pipeline

OLENA = PersonFacts("Олена Коваленко", "mother", "matka", sex="woman")
RENDERED = {
    # type -> (the family, the texts its PDF must hold, the members it must not name)
    "family_consent": (family(ANNA, JAN, ZOSIA), ["Anna Kowalska", "Jan Kowalski", "ul. Słowackiego 12 m. 4",
                                                  "32-600 Oświęcim", "Tomasz Wójcik"], ["Zofia"]),
    "assignment_letter": (family(OLENA, KUBA, corr_street="ul. Krakowska 1", corr_postal_code="32-602",
                                 corr_town="Brzezinka"),
                          ["Pani Олена Коваленко", "ul. Krakowska 1", "32-602 Brzezinka", "33 842 11 05",
                           "Katarzyna Zielińska"], ["Jakub", "Słowackiego"]),
    # the whole family (the child too) and the date of the family's signed consent; no assistant yet named
    "assistant_request": (family(ANNA, JAN, ZOSIA, consent_date=TODAY - dt.timedelta(days=2)),
                          ["Anna Kowalska", "Jan Kowalski", "Zofia Kowalska", GIRL_PESEL, "ul. Słowackiego 12 m. 4",
                           "Tomasz Wójcik", "rodzina wyraziła pisemną zgodę"], ["Katarzyna Zielińska"]),
    "cooperation_rules": (family(ANNA, JAN, ZOSIA, visit_interval_days=10),
                          ["Anna Kowalska", "Jan Kowalski", "Panią Katarzyną Zielińską", "Pan Tomasz Wójcik",
                           "nie rzadziej niż raz na 10 dni", "w terminie 7 dni"], ["Zofia"]),
    "zz_power_of_attorney": (family(JAN, ANNA, support="za_zyciem", basis_kind="zz_application"),
                             ["Anna Kowalska", WOMAN_PESEL, "ul. Słowackiego 12 m. 4", "32-600 Oświęcim"],
                             ["Jan Kowalski", MAN_PESEL]),
    # the adults ticked as present, the child not (the assistant ticks whom the file cannot know)
    "visit_record": (family(ANNA, JAN, ZOSIA), ["Anna Kowalska", "Jan Kowalski", "Katarzyna Zielińska",
                                                "w miejscu zamieszkania rodziny", "wizyta"], ["Zofia"]),
    # the adults take part (the child is not a participant), with the assistant and the social worker
    "work_plan": (family(ANNA, JAN, ZOSIA), ["Anna Kowalska", "Jan Kowalski", "Katarzyna Zielińska", "Tomasz Wójcik",
                                            "Uregulowanie zaległości czynszowych."], ["Zofia"]),
    "periodic_assessment": (family(ANNA, JAN, ZOSIA), ["Anna Kowalska i Jan Kowalski", "ul. Słowackiego 12 m. 4",
                                                       "32-600 Oświęcim", "Stały rytm dnia dzieci",
                                                       "Asystent rodziny zaleca kontynuowanie pracy"], ["Zofia"]),
    "final_report": (family(ANNA, JAN, ZOSIA), ["Anna Kowalska i Jan Kowalski", "ul. Słowackiego 12 m. 4",
                                                "Spłata zaległości czynszu",
                                                "Przyczyna zakończenia: osiągnięcie celów planu pracy"], ["Zofia"]),
    "monitoring_note": (family(ANNA, ZOSIA), ["Rodzina: Anna Kowalska, adres", "32-600 Oświęcim",
                                              "Rodzina radzi sobie dobrze."], ["Zofia"]),
    "resignation": (family(ANNA, JAN, ZOSIA), ["My, niżej podpisani", "Anna Kowalska", "Jan Kowalski",
                                               "ul. Słowackiego 12 m. 4"], ["Zofia"]),
}


@pytest.mark.parametrize("doctype", ISSUED_FROM_FILE, ids=lambda t: t.slug)
def test_document_issued_from_the_file(app, client, create_user, api_token, doctype):
    facts, texts, absent = RENDERED[doctype.slug]
    user = create_user(issuer_role(doctype))
    headers = api_token(user)
    body = {**prefill(doctype, with_needs(doctype, facts)), **EXTRAS[doctype.slug]}
    if doctype.needs:  # such a type never opens a new case (families.lifecycle.check_needs): it is
        # filed for a family whose file has what it needs; the body, all of it from `facts`, wins
        body["family_id"] = family_for(app, doctype, user)
    response = client.post(f"/api/documents/{doctype.slug}", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    response, pdf = download(client, response.get_json()["links"]["pdf"], headers=headers)
    text = squash(pdf_text_normalised(pdf))
    for value in texts:
        assert squash(value) in text, f"{value!r} missing from the PDF of {doctype.slug}"
    for value in absent:
        assert squash(value) not in text, f"{value!r} in the PDF of {doctype.slug}"
