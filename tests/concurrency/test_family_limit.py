"""Art. 15 ust. 4: an assistant works with at most 15 families at a time, also when heads assign
families to the same assistant at the same moment (real threads, each with its own connection;
SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from service.accounts.models import User
from service.extensions import db
from service.families.assignments import STATUTORY_LIMIT, AssignmentRefused, assign_assistant, end_assignment
from service.families.models import Assignment, Family
from tests.concurrency.conftest import burst
from tests.families.files import ORIGIN, family_data, register

START = dt.date(2026, 11, 2)


def open_assignments(app, assistant_id: int) -> int:
    with app.app_context():
        count = db.session.execute(select(func.count()).select_from(Assignment).where(
            Assignment.assistant_id == assistant_id, Assignment.end_date.is_(None))).scalar_one()
        db.session.remove()
    return count


def assign_job(app, head_id: int, family_id: int, assistant_id: int):
    """A job for burst(): one head's assignment in its own app context (its own session and
    connection); returns "assigned" or the refusal's status."""
    def job():
        with app.app_context():
            try:
                assign_assistant(db.session, db.session.get(User, head_id), ORIGIN, db.session.get(Family, family_id),
                                 db.session.get(User, assistant_id), START)
                return "assigned"
            except AssignmentRefused as exc:
                assert "prowadzi już 15 rodzin" in str(exc), str(exc)
                return exc.status
            finally:
                db.session.remove()
    return job


def test_two_heads_never_give_an_assistant_a_sixteenth_family(app, create_user):
    heads = [create_user("head"), create_user("head")]
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    with app.app_context():
        families = [register(heads[0].id, family_data(f"Anna Kowalska{i}", f"Jan Kowalski{i}", f"Zosia Kowalska{i}"))
                    for i in range(STATUTORY_LIMIT + 3)]
        for family_id in families[:STATUTORY_LIMIT - 1]:
            assign_assistant(db.session, db.session.get(User, heads[0].id), ORIGIN, db.session.get(Family, family_id),
                             db.session.get(User, assistant.id), START)
        db.session.remove()
    assert open_assignments(app, assistant.id) == STATUTORY_LIMIT - 1

    # the 15th and the 16th at the same moment, by two heads: one is assigned, the other refused (409)
    answers = burst([assign_job(app, head.id, family_id, assistant.id)
                     for head, family_id in zip(heads, families[STATUTORY_LIMIT - 1:STATUTORY_LIMIT + 1])])
    assert sorted(answers, key=str) == [409, "assigned"]
    assert open_assignments(app, assistant.id) == STATUTORY_LIMIT

    # one family's assignment ends; three heads race for the freed place: exactly one wins it
    with app.app_context():
        ended = db.session.get(Family, families[0])
        end_assignment(db.session, db.session.get(User, heads[0].id), ORIGIN, ended, START)
        db.session.remove()
    untaken = [f for f in families[STATUTORY_LIMIT - 1:] if f not in assigned_families(app, assistant.id)]
    assert len(untaken) == 3
    answers = burst([assign_job(app, heads[i % 2].id, family_id, assistant.id) for i, family_id in enumerate(untaken)])
    assert sorted(answers, key=str) == [409, 409, "assigned"]
    assert open_assignments(app, assistant.id) == STATUTORY_LIMIT


def assigned_families(app, assistant_id: int) -> set[int]:
    with app.app_context():
        found = set(db.session.execute(select(Assignment.family_id).where(
            Assignment.assistant_id == assistant_id, Assignment.end_date.is_(None))).scalars())
        db.session.remove()
    return found
