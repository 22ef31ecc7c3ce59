"""Visit records and work plans for the tests of monthly reports, inserted as DocumentRecord rows
with the data of the contract (service/documents/catalog/DATA_KEYS.md) as issuing them would store it: the
types' declarations are built elsewhere, and what these tests test is the reading of their data."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from service.accounts.models import User
from service.archive.models import DocumentRecord
from service.extensions import db
from service.families.models import Family
from tests.families.files import PESELS, family_data, register

UTC = dt.timezone.utc


@dataclass
class Office:
    anna: int  # assistant Anna Nowak
    ewa: int  # assistant Ewa Lis
    coordinator: int
    kowalscy: int  # family ids
    wisniewscy: int


def make_office(app, create_user) -> Office:
    """Two assistants (anowak Anna Nowak, elis Ewa Lis), a coordinator (koord) and two registered
    families, both assigned to Anna from 2 November 2026."""
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    anna = create_user("assistant", login="anowak", full_name="Anna Nowak")
    ewa = create_user("assistant", login="elis", full_name="Ewa Lis")
    coordinator = create_user("coordinator", login="koord", full_name="Maria Koordynator")
    with app.test_request_context():
        kowalscy = register(worker.id, family_data("Anna Kowalska", "Jan Kowalski", "Zosia Kowalska"),
                            assistant_id=anna.id)
        wisniewscy = register(worker.id, family_data("Barbara Wiśniewska", "Piotr Wiśniewski", "Hanna Wiśniewska",
                                                     pesels=PESELS[1], street="ul. Legionów 4"), assistant_id=anna.id)
    return Office(anna.id, ewa.id, coordinator.id, kowalscy, wisniewscy)


def _record(slug: str, family_id: int, author_id: int, data: dict, created: dt.datetime | None = None) -> str:
    """Inserts an issued document of `slug` in the family's case (hashes and sizes plausible), commits;
    returns its id."""
    family = db.session.get(Family, family_id)
    doc_id = uuid.uuid4().hex
    db.session.add(DocumentRecord(
        id=doc_id, slug=slug, title=slug, template_version="v1", template_sha256="a" * 64, data=data,
        case_id=family.case_id, author_id=author_id, created_at=created or dt.datetime.now(UTC),
        docx_sha256=uuid.uuid4().hex * 2, docx_size=20480, pdf_sha256=uuid.uuid4().hex * 2, pdf_size=40960,
        seal_certificate_sha256="c" * 64))
    db.session.commit()
    return doc_id


def visit(family_id: int, author_id: int, day: str, time_from: str, time_to: str, **data) -> str:
    """A visit record of `day` from–to (HH:MM) with the contract's other keys defaulted; returns its id."""
    author = db.session.get(User, author_id)
    values = {"visit_date": day, "time_from": time_from, "time_to": time_to, "place": "home", "contact_kind": "visit",
              "with_social_worker": False, "goals_worked": [], "topics": "", "institutions": "",
              "tasks_family": "", "tasks_assistant": "", "next_meeting": None, "travel_minutes": None,
              "assistant_login": author.login, **data}
    return _record("visit_record", family_id, author_id, values)


def plan(family_id: int, author_id: int, plan_date: str, goals: list[str], replaces: str | None = None) -> str:
    goal_rows = [{"goal_no": str(i), "goal": goal} for i, goal in enumerate(goals, 1)]
    return _record("work_plan", family_id, author_id, {"plan_date": plan_date, "review_date": None,
                                                       "goals": goal_rows, "actions": [], "replaces": replaces})


# The month of the monthly reports' samples (their declarations say so in the description).
SAMPLE_MONTH = "2026-11"
REPORTS = ("monthly_family_report", "monthly_time_report")


def month_of_visits(app, assistant_id: int, visits: int = 3) -> int:
    """A family registered by a new social worker and assigned to the assistant, with a two-goal
    plan and `visits` visit records of the assistant in November 2026 (one every working day from
    the 3rd); returns the family's id."""
    with app.test_request_context():
        worker = User(login=f"sw-visits-{uuid.uuid4().hex[:8]}", role="social_worker", full_name="Tomasz Wójcik")
        worker.set_password("haslo-" + worker.login)
        db.session.add(worker)
        db.session.commit()
        family_id = register(worker.id, family_data("Anna Kowalska", "Jan Kowalski", "Zosia Kowalska"),
                             assistant_id=assistant_id)
        plan(family_id, assistant_id, "2026-11-02", ["Poprawa organizacji dnia i budżetu domowego",
                                                     "Regularne uczęszczanie Zosi do szkoły"])
        days = [d for d in (dt.date(2026, 11, 3) + dt.timedelta(n) for n in range(28)) if d.weekday() < 5]
        kinds = ("visit", "phone", "accompanying", "institution_contact")
        for n in range(visits):
            visit(family_id, assistant_id, days[n % len(days)].isoformat(), "09:00" if n % 2 else "13:30",
                  "10:30" if n % 2 else "15:00", goals_worked=[str(n % 2 + 1)], contact_kind=kinds[n % 4],
                  topics=f"Spotkanie {n + 1}: omówienie postępów i zadań na kolejny tydzień.",
                  institutions="Szkoła Podstawowa nr 1 w Oświęcimiu" if n % 3 == 0 else "",
                  travel_minutes=15)
    return family_id


def family_for(app, doctype, user) -> int:
    """A family registered by a new social worker (or by `user`, a social worker, in their charge),
    with an assistant from 2 November 2026 (`user`, an assistant, or a new one) and what `doctype`
    needs of its file (files.meet_needs), and a plan when the type's sample judges a plan's goals
    (a final report); returns its id."""
    from tests.families.files import add_plan, meet_needs
    with app.test_request_context():
        staff = {}
        for role in ("social_worker", "assistant"):
            if user.role == role:
                staff[role] = db.session.get(User, user.id)
                continue
            other = User(login=f"{role}-{uuid.uuid4().hex[:8]}", role=role, full_name="Tomasz Wójcik")
            other.set_password("haslo-" + other.login)
            db.session.add(other)
            db.session.commit()
            staff[role] = other
        worker, assistant = staff["social_worker"], staff["assistant"]
        family_id = register(worker.id, family_data("Anna Kowalska", "Jan Kowalski", "Zosia Kowalska"),
                             social_worker=worker.login, assistant_id=assistant.id)
        meet_needs(doctype, assistant.id, family_id)
        if "work_plan" not in doctype.needs and any(
                isinstance(v, list) and v and "goal_no" in v[0] for v in doctype.sample_data.values()):
            add_plan(assistant.id, family_id)  # the sample judges goals: of the family's plan (a final report)
    return family_id


def sample_setting(app, doctype, user) -> tuple[dict, str]:
    """What a type's sample needs besides its fields to be issued by `user` (a User): the extra
    keys of an API body and the web form's URL. A monthly report rests on visit records: the user
    gets a family with visits in the samples' month (month_of_visits); the family report is issued
    for that family. A type that needs a family's file (DocumentType.needs: an assignment, a plan,
    the monitoring) is issued for a family that has it (family_for), never as a new case. Other
    types: nothing, the new-document form."""
    from service.families.lifecycle import NEEDS
    if doctype.slug in REPORTS:
        family_id = month_of_visits(app, user.id)
        if doctype.slug == "monthly_family_report":
            return {"family_id": family_id}, f"/families/{family_id}/documents/new/{doctype.slug}"
        return {}, f"/documents/new/{doctype.slug}"
    if any(not NEEDS[key].new_file_meets for key in doctype.needs):
        family_id = family_for(app, doctype, user)
        return {"family_id": family_id}, f"/families/{family_id}/documents/new/{doctype.slug}"
    return {}, f"/documents/new/{doctype.slug}"
