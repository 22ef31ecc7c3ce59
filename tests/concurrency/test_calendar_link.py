"""A staff member's calendar link made several times at the same moment (a double click on „Utwórz
link”, two tabs): one link stays active, the others are revoked (real threads, each with its own
connection; SQLite and PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import func, select

from service.accounts.models import User
from service.extensions import db
from service.families.calendar_feed import create_feed, feed_owner
from service.families.models import CalendarFeed
from tests.concurrency.conftest import burst
from tests.families.files import ORIGIN


def test_links_made_at_the_same_moment_leave_one_active(app, client, create_user, login):
    # Found by testing: each request revoked nothing and added its own link, so all of them opened
    # the calendar („Zastąp nowym linkiem” then revoked only what it saw) and /calendar answered 500.
    user = create_user("assistant")

    def make():
        with app.app_context():
            try:
                return create_feed(db.session, db.session.get(User, user.id), ORIGIN)
            finally:
                db.session.remove()

    tokens = burst([make, make, make])
    with app.app_context():
        active = db.session.scalar(select(func.count()).select_from(CalendarFeed)
                                   .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)))
        assert active == 1
        assert sum(feed_owner(db.session, token) is not None for token in tokens) == 1
    login(user)
    page = client.get("/calendar")
    assert page.status_code == 200 and "Link aktywny" in page.get_data(as_text=True)
