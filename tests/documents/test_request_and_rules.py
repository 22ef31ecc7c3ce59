"""What is special about the request for an assistant and the cooperation rules (issue 11): what each
takes from the family's file, and the rules of their forms."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from service.documents.catalog.cooperation_rules import (ASSISTANT_DUTIES, FAMILY_DUTIES, MEETING_DAYS_HIGH,
                                                         MEETING_DAYS_LOW)
from service.documents.context import sample_context
from service.documents.family_facts import prefill
from service.documents.legal import WR_REQUEST, WR_TASKS
from service.documents.registry import DOCUMENT_TYPES
from service.documents.render import render_docx
from service.families.settings import DEADLINE_SETTING
from service.roles import Role
from tests.documents.test_family_prefill import (ANNA, EXTRAS, GIRL_PESEL, JAN, KUBA, TODAY, ZOSIA, app_context,
                                                 family, form_errors)
from tests.documents.test_templates import all_text as docx_text

REQUEST = DOCUMENT_TYPES["assistant_request"]
RULES = DOCUMENT_TYPES["cooperation_rules"]
__all__ = ["app_context"]  # the fixture, imported for these tests


def test_legal_bases_roles_and_filing():
    assert REQUEST.legal_basis is WR_REQUEST and RULES.legal_basis is WR_TASKS
    assert REQUEST.legal_basis.citation.startswith("art. 11 ust. 1 i 2 ustawy z dnia 9 czerwca 2011 r.")
    assert RULES.legal_basis.citation.startswith("art. 15 ust. 1 ustawy z dnia 9 czerwca 2011 r.")
    assert REQUEST.jrwa_key == RULES.jrwa_key == "family_support"
    assert [s.staff_role for s in REQUEST.signers] == [Role.SOCIAL_WORKER, Role.HEAD]
    assert [s.staff_role for s in RULES.signers] == [None, Role.ASSISTANT]


def test_request_from_the_file_names_the_whole_family_and_the_signed_consent(app_context):
    facts = family(ZOSIA, JAN, KUBA, ANNA, consent_date=TODAY - dt.timedelta(days=3))
    data = prefill(REQUEST, facts)
    assert [(m["full_name"], m["role"]) for m in data["members"]] == [
        ("Jan Kowalski", "ojciec"), ("Anna Kowalska", "matka"), ("Zofia Kowalska", "dziecko"),
        ("Jakub Kowalski", "dziecko")]
    assert data["members"][2]["pesel"] == GIRL_PESEL and data["members"][3]["birth_date"] == "2019-04-02"
    assert data["family_consented"] is True and data["consent_date"] == (TODAY - dt.timedelta(days=3)).isoformat()
    assert data["social_worker_name"] == "Tomasz Wójcik" and "court_ordered" not in data
    assert form_errors(REQUEST, {**data, **EXTRAS["assistant_request"]}) == {}


def test_request_without_a_consent_and_with_a_court_order_or_a_referral(app_context):
    court = family(ANNA, basis_kind="court", basis={
        "court_name": "Sąd Rejonowy w Oświęcimiu", "court_division": "III Wydział Rodzinny i Nieletnich",
        "court_case_number": "III Nsm 77/26", "court_decision_date": "2026-10-02"})
    data = prefill(REQUEST, court)
    assert "family_consented" not in data and data["court_ordered"] is True
    assert data["court_name"] == "Sąd Rejonowy w Oświęcimiu, III Wydział Rodzinny i Nieletnich"
    assert (data["court_case_number"], data["court_decision_date"]) == ("III Nsm 77/26", "2026-10-02")
    referral = family(ANNA, basis_kind="referral", basis={
        "institution_name": "Szkoła Podstawowa nr 1 w Oświęcimiu", "letter_date": "2026-10-20", "letter_number": "SP1.1"})
    data = prefill(REQUEST, referral)
    assert (data["referral_institution"], data["referral_date"], data["referral_number"]) == (
        "Szkoła Podstawowa nr 1 w Oświęcimiu", "2026-10-20", "SP1.1")


def test_request_form_rules(app_context):
    base = {**REQUEST.sample_data}
    assert form_errors(REQUEST, base) == {}
    # the consent's date is asked for when the family consented; the court's data when a court ordered it
    assert "consent_date" in form_errors(REQUEST, {k: v for k, v in base.items() if k != "consent_date"})
    errors = form_errors(REQUEST, {**base, "court_ordered": True})
    assert {"court_name", "court_case_number", "court_decision_date"} <= set(errors)
    errors = form_errors(REQUEST, {**base, "interview_date": "2026-11-21", "request_date": "2026-11-20"})
    assert errors["request_date"] == ["Data wniosku nie może być wcześniejsza niż data wywiadu środowiskowego."]
    assert "problems" in form_errors(REQUEST, {**base, "problems": []})
    assert "justification" in form_errors(REQUEST, {k: v for k, v in base.items() if k != "justification"})


def test_what_the_request_states_is_dated_on_or_before_it(app_context):
    """A consent, a court's decision or a referral dated after the request that states them (a
    request of 20 November stating a consent of 25 November was accepted); each at its own date."""
    base = {**REQUEST.sample_data, "request_date": "2026-11-20", "court_ordered": True,
            "court_name": "Sąd Rejonowy w Oświęcimiu", "court_case_number": "III Nsm 77/26"}
    late = {"consent_date": "2026-11-25", "court_decision_date": "2026-11-21", "referral_date": "2026-11-30"}
    assert form_errors(REQUEST, {**base, **late}) == {
        "consent_date": ["Data zgody rodziny nie może być późniejsza niż data wniosku: wniosek podaje zgodę już "
                         "wyrażoną."],
        "court_decision_date": ["Data postanowienia sądu nie może być późniejsza niż data wniosku."],
        "referral_date": ["Data pisma instytucji zgłaszającej nie może być późniejsza niż data wniosku."]}
    same_day = {name: "2026-11-20" for name in late}
    assert form_errors(REQUEST, {**base, **same_day}) == {}


def test_rules_from_the_file_give_the_adults_and_editable_defaults(app_context):
    data = prefill(RULES, family(ZOSIA, ANNA, JAN))
    assert [p["full_name"] for p in data["persons"]] == ["Anna Kowalska", "Jan Kowalski"]
    assert data["meeting_every_days"] == 14  # the office's setting the facts carry
    assert [d["duty"] for d in data["assistant_duties"]] == list(ASSISTANT_DUTIES)
    assert [d["duty"] for d in data["family_duties"]] == list(FAMILY_DUTIES)
    assert data["assistant_name"] == "Katarzyna Zielińska" and data["court_ordered"] is False
    assert prefill(RULES, dataclasses.replace(family(ANNA), basis_kind="court"))["court_ordered"] is True
    assert form_errors(RULES, {**data, **EXTRAS["cooperation_rules"]}) == {}
    # the defaults are the form's values, not fixed text: another list of duties is accepted
    edited = {**data, **EXTRAS["cooperation_rules"], "family_duties": [{"duty": "dbać o codzienną higienę dzieci"}]}
    assert form_errors(RULES, edited) == {}


def test_rules_meeting_interval_is_the_office_setting(app_context):
    """The interval starts from the office's visit interval (families.settings), and the form accepts
    every value that setting may hold."""
    assert prefill(RULES, family(ANNA, visit_interval_days=10))["meeting_every_days"] == 10
    assert "meeting_every_days" not in prefill(RULES, family(ANNA, visit_interval_days=None))
    setting = DEADLINE_SETTING["visit_interval_days"]
    assert (MEETING_DAYS_LOW, MEETING_DAYS_HIGH) == (setting.low, setting.high)


@pytest.mark.parametrize("wrong", [0, 61, -14])
def test_rules_meeting_interval_out_of_range(app_context, wrong):
    errors = form_errors(RULES, {**RULES.sample_data, "meeting_every_days": wrong})
    assert errors["meeting_every_days"] == ["Podaj liczbę całkowitą od 1 do 60."]


@pytest.mark.parametrize("wrong", ["14", 14.5, True, "xy"])
def test_rules_meeting_interval_is_a_json_integer(app_context, wrong):
    assert "meeting_every_days" in form_errors(RULES, {**RULES.sample_data, "meeting_every_days": wrong})


def test_rules_meeting_interval_accepted_and_printed(app_context):
    base = {**RULES.sample_data}
    for good in (1, 7, 60):
        assert form_errors(RULES, {**base, "meeting_every_days": good}) == {}
    assert "agreed_on" in form_errors(RULES, {**base, "agreed_on": (TODAY + dt.timedelta(days=1)).isoformat()})

    def printed(days: int) -> str:
        docx = render_docx(RULES.template_path, sample_context(RULES, {**base, "meeting_every_days": days}))
        return " ".join(docx_text(docx).split())

    assert "spotyka się z rodziną nie rzadziej niż raz na 7 dni, w terminach" in printed(7)
    assert "spotyka się z rodziną codziennie, w terminach" in printed(1)  # never „raz na 1 dni”


def test_line_breaks_typed_in_a_field_do_not_stretch_justified_lines():
    """The summary, justification and other arrangements are typed with newlines and printed in
    justified paragraphs: the templates ask for lines ended by a break to stay as typed."""
    import zipfile

    for doctype in (REQUEST, RULES):
        with zipfile.ZipFile(doctype.template_path) as docx:
            assert b"<w:doNotExpandShiftReturn/>" in docx.read("word/settings.xml"), doctype.slug
