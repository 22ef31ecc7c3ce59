"""Families' files for tests, made through the real services: registered, an assistant assigned, a
consent issued from the file, a document signed on paper (printed, signed, scanned, confirmed)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from service.accounts.models import User
from service.archive.models import DocumentRecord
from service.audit import Origin
from service.documents.json_input import json_to_formdata
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.families.assignments import assign_assistant
from service.families.facts import prefill_for
from service.documents.context import office_today
from service.documents.periods import add_months
from service.families.models import Assignment, Family
from service.families.registration import register_family
from service.forms_builder import errors_by_path, form_class
from service.issuing import issue
from service.office.models import JrwaClass, get_profile

ORIGIN = Origin(ip="192.0.2.1", user_agent="pytest", channel="job")
CONSENT = DOCUMENT_TYPES["family_consent"]


# Valid PESELs: a woman and a man for each of two families.
PESELS = (("88031504580", "85072212339"), ("90110302640", "82041501357"))


def family_data(mother: str, father: str, child: str, *, pesels: tuple[str, str] = PESELS[0],
                street: str = "ul. Zaborska 17 m. 3") -> dict:
    """A family-support family of two parents (with PESELs) and a child, registered on a request."""
    return {"members": [{"full_name": mother, "pesel": pesels[0], "relation": "mother"},
                        {"full_name": father, "pesel": pesels[1], "relation": "father"},
                        {"full_name": child, "birth_date": dt.date(2019, 5, 4), "relation": "child", "sex": "woman"}],
            "street": street, "postal_code": "32-600", "town": "Oświęcim",
            "basis_kind": "request", "basis": {"request_date": "2026-11-02"}}


def register(actor_id: int, data: dict, *, social_worker: str = "", assistant_id: int | None = None) -> int:
    """In an app or request context: registers a family (by the staff member `actor_id`), assigns
    the assistant if given (from 2 November 2026); returns the family's id."""
    actor = db.session.get(User, actor_id)
    family = register_family(db.session, actor, ORIGIN, {**data, "social_worker": social_worker},
                             office=get_profile().letterhead(), jrwa=db.session.get(JrwaClass, "family_support"))
    family_id = family.id
    if assistant_id is not None:
        assign_assistant(db.session, db.session.get(User, actor_id), ORIGIN, db.session.get(Family, family_id),
                         db.session.get(User, assistant_id), dt.date(2026, 11, 2))
    return family_id


def issue_consent(issuer_id: int, family_id: int) -> str:
    """In a request context: a family consent filled from the family's file, issued by `issuer_id`
    for the family; returns the document's id."""
    family = db.session.get(Family, family_id)
    values = {**prefill_for(CONSENT, family), "consent_date": dt.date.today().isoformat()}
    formdata, errors = json_to_formdata(CONSENT, values)
    form = form_class(CONSENT)(formdata=formdata, meta={"csrf": False})
    assert form.validate() and not errors, (errors_by_path(form), errors)
    issued = issue(db.session.get(User, issuer_id), ORIGIN, CONSENT, form.cleaned_data(), family=family)
    return issued.record.id


def sign_on_paper(staff, doc_id: str) -> None:
    """Through the pages, as `staff` (a logged-in test client): prints the document, signs every
    place, scans it at 300 dpi, uploads the scan and confirms it (a paper signed version)."""
    from tests.signing import scans
    from tests.signing.test_paper import confirm_page, paper, print_copy, upload

    printed = print_copy(staff, doc_id)
    scan = scans.pdf(paper(printed, 300, tuple(scans.places(printed))), 300)
    path, page = confirm_page(staff, upload(staff, scan, "skan.pdf"))
    confirmed = staff.post(path, data={"replaces": ""})
    assert confirmed.status_code == 303, confirmed.get_data(as_text=True)[:2000]


# The goals of the work plan a test family is given (the same as the prefill tests' PLAN_GOALS).
PLAN_GOALS = [{"goal_no": "1", "goal": "Stały rytm dnia dzieci"}, {"goal_no": "2", "goal": "Spłata zaległości czynszu"}]


def add_plan(issuer_id: int, family_id: int) -> str:
    """In a request context: a work plan in the family's case (goals PLAN_GOALS); returns its id.
    The work_plan type is another helper's (w-plan): until it is merged, a consent issued from the
    file is made into one (slug and data as the data contract of issue 11 says)."""
    doc_id = issue_consent(issuer_id, family_id)
    db.session.execute(update(DocumentRecord).where(DocumentRecord.id == doc_id).values(
        slug="work_plan", data={"plan_date": "2026-11-10", "goals": PLAN_GOALS}))
    db.session.commit()
    return doc_id


def issue_work_plan(issuer_id: int, family_id: int, goals: list[str], plan_date: str) -> str:
    """In a request context: a real work plan (through the pipeline) for the family, dated
    `plan_date` (ISO), with `goals` numbered from 1 and one action each, due in 60 days from today;
    returns its id. Visit records offer its goals to tick (visit_record.plan_goals)."""
    doctype = DOCUMENT_TYPES["work_plan"]
    family = db.session.get(Family, family_id)
    deadline = (office_today() + dt.timedelta(days=60)).isoformat()
    review = (dt.date.fromisoformat(plan_date) + dt.timedelta(days=180)).isoformat()
    values = {**prefill_for(doctype, family), "plan_date": plan_date, "review_date": review,
              "diagnosis": "Zaległości w opłatach za mieszkanie, nieobecności dziecka w szkole.",
              "resources": "Wsparcie babci.",
              "goals": [{"goal_no": str(n), "goal": goal} for n, goal in enumerate(goals, 1)],
              "actions": [{"goal_no": str(n), "scope": f"Działanie przy celu {n}.", "deadline": deadline,
                           "expected_effect": f"Efekt celu {n}.", "responsible": "asystent rodziny z rodziną"}
                          for n in range(1, len(goals) + 1)]}
    return issue(db.session.get(User, issuer_id), ORIGIN, doctype, values, family=family).record.id


def start_monitoring(family_id: int) -> None:
    """In an app context: the family's current assignment ended (on the day it began: before any
    note a test or a sample dates, which a note may not precede, families.lifecycle) and its
    monitoring runs two months from today (what issuing a final report does:
    tests/families/test_ending.py)."""
    today = office_today()
    current = db.session.execute(select(Assignment).where(Assignment.family_id == family_id,
                                                          Assignment.end_date.is_(None))).scalar_one()
    current.end_date, current.monitoring_until = min(current.start_date, today - dt.timedelta(days=1)), add_months(today, 2)
    db.session.commit()


def meet_needs(doctype, issuer_id: int, family_id: int) -> None:
    """In a request context: gives a family with a current assignment what `doctype` declares it
    needs (DocumentType.needs: a work plan, the monitoring), so that a test of every type issues
    each from the file; a later type's need gets its line here or fails naming it."""
    ways = {"assignment": lambda: None, "work_plan": lambda: add_plan(issuer_id, family_id),
            "monitoring": lambda: start_monitoring(family_id),
            # a current assignment opens the work and its monthly reports
            "work_open": lambda: None, "report_month": lambda: None}
    for need in doctype.needs:
        assert need in ways, f"add to tests/families/files.py meet_needs how a family gets {need!r}"
        ways[need]()
