"""The case-number reservations on their own: atomic under threads, released numbers reused, no gap."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from service.accounts.models import utcnow
from service.accounts.models import User
from service.families.cases import ReservationLost, case_sign, open_case, release_number, reserve_number
from service.families.models import CaseCounter, CaseNumber
from service.extensions import db
from service.families.access import visible_families
from service.families.models import Family
from service.issuing import find_family

SYMBOL, YEAR = "4011", 2026
CASE = dict(pattern="{dept}.{symbol}.{number}.{year}", dept="MOPS", jrwa_key="k", category="A", title="t")


def reserve(now=None):
    return reserve_number(db.session, symbol=SYMBOL, year=YEAR, now=now)


def counter() -> int | None:
    return db.session.execute(select(CaseCounter.last_number).where(CaseCounter.symbol == SYMBOL)).scalar()


def released() -> list[int]:
    return sorted(db.session.execute(select(CaseNumber.number).where(CaseNumber.token.is_(None))).scalars())


def test_threads_reserve_distinct_consecutive_numbers(app):
    got, errors = [], []
    gate = threading.Barrier(16)

    def take():
        with app.app_context():
            try:
                gate.wait()
                got.append(reserve().number)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert sorted(got) == list(range(1, 17))


def test_released_number_goes_to_the_next_new_case(app, create_user):
    user = create_user("assistant")
    with app.app_context():
        one, two, three = reserve(), reserve(), reserve()
        release_number(db.session, two)  # not the newest: kept, released, for the next case
        assert released() == [2] and counter() == 3
        case = open_case(db.session, one, assignee_id=user.id, **CASE)
        db.session.commit()
        assert case.sign == "MOPS.4011.1.2026"
        again = reserve()
        assert again.number == 2 and released() == []
        release_number(db.session, three)  # the newest goes back to the counter
        assert counter() == 2 and reserve().number == 3


def test_the_only_number_released_leaves_nothing(app):
    with app.app_context():
        release_number(db.session, reserve())
        assert counter() is None
        assert db.session.execute(select(CaseNumber)).first() is None
        assert reserve().number == 1


def test_a_stale_reservation_is_taken_over_and_its_holder_refused(app, create_user):
    user = create_user("assistant")
    with app.app_context():
        old = reserve(now=utcnow() - dt.timedelta(hours=1))  # its request died long ago
        new = reserve()
        assert new.number == old.number == 1
        with pytest.raises(ReservationLost):
            open_case(db.session, old, assignee_id=user.id, **CASE)
        db.session.rollback()
        release_number(db.session, old)  # not the holder any more: changes nothing
        assert counter() == 1 and released() == []
        open_case(db.session, new, assignee_id=user.id, **CASE)
        db.session.commit()
        assert db.session.execute(select(CaseNumber)).first() is None


def test_a_reserved_number_is_neither_listed_nor_choosable(app, create_user):
    head = create_user("head")  # sees every case
    with app.app_context():
        reservation = reserve()
        user = db.session.get(User, head.id)
        assert db.session.execute(visible_families(user)).first() is None
        assert find_family(user, case_sign=case_sign(CASE["pattern"], CASE["dept"], reservation)) is None
        case = open_case(db.session, reservation, assignee_id=head.id, **CASE)
        db.session.add(Family(case_id=case.id, support="family_support", basis_kind="unknown", basis={}))
        db.session.commit()
        assert [f.case.number for f in db.session.execute(visible_families(user)).scalars()] == [1]
