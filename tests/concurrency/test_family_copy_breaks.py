"""The family's copy at the same moment over real HTTP: reissues that race each other."""
from __future__ import annotations

from functools import partial

from sqlalchemy import func, select

from service.accounts.models import now
from service.extensions import db
from service.signing.models import FamilyCopy
from tests.concurrency.conftest import browser, burst, send
from tests.signing.conftest import assistant, staff, tablet  # noqa: F401


def usable_links(app) -> int:
    with app.app_context():
        count = db.session.execute(select(func.count()).select_from(FamilyCopy).where(
            FamilyCopy.used_at.is_(None), FamilyCopy.revoked_at.is_(None), FamilyCopy.expires_at > now())).scalar_one()
        db.session.remove()
    return count


def test_new_links_issued_at_the_same_moment_leave_one_usable(app, server, staff, assistant, tablet):
    """Two staff browsers press «Wydaj nowy link dla rodziny» at the same moment (each is told the
    earlier link stopped working): afterwards at most one link of the document opens the PDF."""
    from tests.signing.test_family_copy import complete

    doc_id, _, _ = complete(app, staff, tablet)
    webs = [browser(server, assistant) for _ in range(4)]
    url = f"{server}/archive/{doc_id}/kopia-dla-rodziny"
    for _ in range(3):
        answers = burst([partial(send, partial(web.post, data={}), url) for web in webs])
        assert [a.status for a in answers] == [303] * 4, [a.body[:300] for a in answers]
        assert usable_links(app) == 1
