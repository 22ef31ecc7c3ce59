"""Visit records and work plans for the tests of monthly reports, inserted as DocumentRecord rows
with the data of the contract (/work/types-contract.md) as issuing them would store it: the
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
