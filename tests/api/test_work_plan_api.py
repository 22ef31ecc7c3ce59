"""POST /api/documents/work_plan after the page began to number the goals by their place: a body
that gives the goals' numbers (goal_no), as every client did, is issued as before, in any order and
with a gap; a body that leaves them out gets the goals' places; an action naming a goal the body
has not is told at its field. On SQLite and PostgreSQL."""
from __future__ import annotations

from service.accounts.models import User
from service.extensions import db
from tests.api.test_monthly_reports_api import headers, office  # noqa: F401 (fixtures)
from tests.families.files import family_data, register

PLAN = "/api/documents/work_plan"


def _body(family_id: int, goals: list[dict], actions: list[str]) -> dict:
    return {"family_id": family_id, "plan_date": "2026-11-20", "review_date": "2027-05-20",
            "diagnosis": "Zaległości w opłatach za mieszkanie.", "resources": "Wsparcie babci.", "goals": goals,
            "actions": [{"goal_no": number, "scope": f"Działanie celu {number}.", "deadline": "2027-01-31",
                         "expected_effect": "Efekt.", "responsible": "Ewa Mazur"} for number in actions]}


def test_goal_numbers_given_or_left_out(app, client, office, headers):  # noqa: F811
    with app.test_request_context():
        worker = db.session.execute(db.select(User).where(User.role == "social_worker")).scalars().first()
        family_id = register(worker.id, family_data("Ewa Mazur", "Marek Mazur", "Ola Mazur"), assistant_id=office.anna)
    # the numbers as sent: out of order, with a gap
    given = [{"goal_no": "3", "goal": "Praca ojca."}, {"goal_no": "1", "goal": "Budżet domowy."}]
    response = client.post(PLAN, headers=headers["anna"], json=_body(family_id, given, ["1", "3"]))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["goals"] == given and [a["goal_no"] for a in data["actions"]] == ["1", "3"]

    # no numbers: the goals' places; the revision replaces the plan above
    placed = [{"goal": "Budżet domowy."}, {"goal": "Szkoła Oli."}]
    response = client.post(PLAN, headers=headers["anna"], json=_body(family_id, placed, ["2", "1"]))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["goals"] == [{"goal_no": "1", "goal": "Budżet domowy."}, {"goal_no": "2", "goal": "Szkoła Oli."}]
    assert [a["goal_no"] for a in data["actions"]] == ["2", "1"] and data["replaces"]

    response = client.post(PLAN, headers=headers["anna"], json=_body(family_id, placed, ["1", "2", "3"]))
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"actions[2].goal_no": [
        "W planie nie ma celu 3. Wybierz jeden z celów wpisanych w tabeli celów albo dopisz ten cel."]}}
