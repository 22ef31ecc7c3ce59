"""Issuing every document type for a registered family with only the fields the file cannot know:
the PDF holds the family's names, its address and its case sign (the issue's required test)."""
from __future__ import annotations

import datetime as dt

import pytest

from service import pipeline
from service.accounts.models import User
from service.audit import Origin
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.families.assignments import assign_assistant
from service.families.facts import prefill_for
from service.families.models import Family
from service.families.registration import register_family
from service.forms_builder import errors_by_path, form_class
from service.documents.json_input import json_to_formdata
from service.issuing import issue
from service.office.models import JrwaClass, get_profile
from tests.documents.test_family_prefill import EXTRAS
from tests.families.files import add_plan, meet_needs
from tests.helpers import pdf_text_normalised, squash

ORIGIN = Origin(ip="192.0.2.1", user_agent="pytest", channel="job")
FAMILIES = {
    "family_support": {
        "members": [
            {"full_name": "Łucja Żmijewska", "pesel": "88031504580", "relation": "mother"},
            {"full_name": "Grzegorz Żmijewski", "pesel": "85072212339", "relation": "father"},
            {"full_name": "Zosia Żmijewska", "birth_date": dt.date(2019, 5, 4), "relation": "child", "sex": "woman"},
        ],
        "street": "ul. Zaborska 17 m. 3", "postal_code": "32-600", "town": "Oświęcim",
        "basis_kind": "court", "basis": {"court_name": "Sąd Rejonowy w Oświęcimiu",
                                         "court_division": "III Wydział Rodzinny i Nieletnich",
                                         "court_case_number": "III Nsm 77/26", "court_decision_date": "2026-10-02"},
    },
    "za_zyciem": {
        "members": [{"full_name": "Magdalena Wróbel", "pesel": "90110302640", "relation": "pregnant"}],
        "street": "ul. Zwycięstwa 5", "postal_code": "32-600", "town": "Oświęcim",
        "basis_kind": "zz_application", "basis": {"application_date": "2026-11-02", "situation": "pregnancy"},
    },
}


# The monthly reports rest on visit records and print no address: tests/api/test_monthly_reports_api.py
# issues them for a registered family (the time report is no family's).
@pytest.mark.parametrize("doctype", [t for t in DOCUMENT_TYPES if not t.slug.startswith("monthly_")],
                         ids=lambda t: t.slug)
def test_each_type_issued_for_a_registered_family(app, create_user, doctype):
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    head = create_user("head")
    with app.test_request_context():
        db.session.execute(db.update(User).where(User.id == assistant.id).values(phone="33 842 11 05"))
        db.session.commit()
        actor = db.session.get(User, head.id)
        data = {**FAMILIES[doctype.jrwa_key], "social_worker": worker.login}
        family = register_family(db.session, actor, ORIGIN, data, office=get_profile().letterhead(),
                                 jrwa=db.session.get(JrwaClass, doctype.jrwa_key))
        assign_assistant(db.session, actor, ORIGIN, db.session.get(Family, family.id),
                         db.session.get(User, assistant.id), dt.date(2026, 11, 2))
        meet_needs(doctype, worker.id, family.id)
        if EXTRAS[doctype.slug].get("goal_attainment") and "work_plan" not in doctype.needs:
            add_plan(worker.id, family.id)  # the goals judged are the family's plan's (a final report)
        family = db.session.get(Family, family.id)
        sign = family.case.sign
        values = {**prefill_for(doctype, family), **EXTRAS[doctype.slug]}
        formdata, errors = json_to_formdata(doctype, values)
        form = form_class(doctype)(formdata=formdata, meta={"csrf": False})
        assert form.validate() and not errors, (errors_by_path(form), errors)
        issuer = db.session.get(User, (head if "head" in doctype.issued_by else assistant).id)
        issued = issue(issuer, ORIGIN, doctype, form.cleaned_data(), family=family)
        assert issued.record.case_id == family.case_id
        pdf = pipeline(app).store.path(issued.record.pdf_sha256, "pdf").read_bytes()
    text = squash(pdf_text_normalised(pdf))
    adults = [m["full_name"] for m in FAMILIES[doctype.jrwa_key]["members"] if m["relation"] != "child"]
    # the address where the type prints one (fields.address(); a visit record names no address)
    address = [FAMILIES[doctype.jrwa_key]["street"], "32-600 Oświęcim"] if "street" in {
        f.name for f in doctype.fields} else []
    for value in [sign, *address, *adults]:
        assert squash(value) in text, f"{value!r} missing from the PDF of {doctype.slug}"
    if doctype.slug == "assistant_request":  # the request describes the whole family, children too
        assert squash("Zosia Żmijewska") in text
    else:
        assert squash("Zosia") not in text  # a child neither consents nor is addressed
