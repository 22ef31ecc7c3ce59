"""The monthly reports' web forms (issue 11): „Wypełnij z kart pracy” fills the form from the month's
visit records, the staff member completes it, and the issued report records the visit records the
server found, not what the browser sent."""
from __future__ import annotations

import pytest

from service.accounts.models import User
from service.archive.models import DocumentRecord
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from tests.families.visits import Office, make_office, visit
from tests.helpers import form_data

REPORT = DOCUMENT_TYPES["monthly_family_report"]


@pytest.fixture
def office(app, create_user) -> Office:
    return make_office(app, create_user)


def _as(app, login, login_id):
    with app.app_context():
        login(db.session.get(User, login_id))


def test_the_form_is_filled_from_the_month_and_issued(app, client, login, office):
    with app.app_context():
        ids = [visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30", topics="Plan wydatków"),
               visit(office.kowalscy, office.anna, "2026-11-18", "12:00", "13:00")]
        other = visit(office.wisniewscy, office.anna, "2026-11-05", "10:00", "11:00")
    _as(app, login, office.anna)
    url = f"/families/{office.kowalscy}/documents/new/monthly_family_report"
    page = client.get(url + "?month=2026-11").get_data(as_text=True)
    assert "Wypełnij z kart pracy" in page and "4 i 18 listopada 2026" in page
    assert 'name="visit_refs"' not in page  # never a field of the form
    empty = client.get(url + "?month=2026-10")
    assert empty.status_code == 200
    assert "W październiku 2026\u00a0r. nie ma żadnej karty pracy z tą rodziną." in empty.get_data(as_text=True)
    values = {"month": "2026-11", "family_name": "Anna Kowalska, Jan Kowalski", "assistant_name": "Anna Nowak",
              "contacts_count": 2, "contact_dates": "4 i 18 listopada 2026 r.", "next_month_plan": "Dalsza praca."}
    response = client.post(url, data=form_data(REPORT, values) | {"visit_refs": other})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        record = db.session.execute(db.select(DocumentRecord).where(
            DocumentRecord.slug == "monthly_family_report")).scalar_one()
        assert record.data["visit_refs"] == ids
    # a month without visit records is refused at the month field, with what was typed kept
    refused = client.post(url, data=form_data(REPORT, values | {"month": "2026-10"}))
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "W październiku 2026\u00a0r. nie ma żadnej karty pracy z tą rodziną." in text and "Dalsza praca." in text


def test_the_time_report_form_is_the_callers_own(app, client, login, office):
    with app.app_context():
        visit(office.kowalscy, office.anna, "2026-11-04", "09:00", "10:30", travel_minutes=25)
    _as(app, login, office.anna)
    page = client.get("/documents/new/monthly_time_report?month=2026-11").get_data(as_text=True)
    assert "1 h 30 min" in page and "25 min" in page and "Anna Nowak" in page
