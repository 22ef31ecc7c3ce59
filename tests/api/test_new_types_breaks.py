"""The ten document types of issue 11 attacked through the JSON API and the web forms, as a new
office and a hostile client would: impossible months, visit hours that cannot be, a file that does
not allow the document, bodies of the wrong shape. Each answer is a Polish message at the field
it concerns, never a 500, and nothing is stored half-way."""
from __future__ import annotations

import pytest

from service.archive.models import DocumentRecord
from service.extensions import db
from tests.api.test_monthly_reports_api import COMPLETED, FAMILY, TIME, _november, headers, office  # noqa: F401

YEAR_ZERO = "Podaj miesiąc od roku 1900, np. 2026-11."


def _reports(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(DocumentRecord).where(
            DocumentRecord.slug.in_(("monthly_family_report", "monthly_time_report")))).scalar_one()


@pytest.mark.parametrize("month", ["0000-01", "0000-13", "0999-05"])
def test_a_month_of_year_zero_is_refused_at_the_month(app, client, office, headers, login, month):
    """„0000-01” has no calendar month at all: it was a 500 (Month(0, 1) raised ValueError)."""
    _november(app, office)
    family = client.post(FAMILY, json={"family_id": office.kowalscy, "month": month, **COMPLETED},
                         headers=headers["anna"])
    time = client.post(TIME, json={"month": month}, headers=headers["anna"])
    expected = YEAR_ZERO if month != "0000-13" else "Podaj miesiąc w postaci RRRR-MM, np. 2026-11."
    for answer in (family, time):
        assert answer.status_code == 422
        assert answer.get_json() == {"errors": {"month": [expected]}}
    # the web form's „Wypełnij z kart pracy” reads the same month from the address
    with app.app_context():
        from service.accounts.models import User
        login(db.session.get(User, office.anna))
    for url in (f"/families/{office.kowalscy}/documents/new/monthly_family_report?month={month}",
                f"/documents/new/monthly_time_report?month={month}"):
        page = client.get(url)
        assert page.status_code == 200 and expected in page.get_data(as_text=True)
    assert _reports(app) == 0
