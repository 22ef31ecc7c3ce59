"""The access log page of the head and the data-protection officer: filters by person, days
(Europe/Warsaw), action and a family's case sign; paging; refusals at the field; its own reading logged."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from service.archive.models import AccessLog, DocumentRecord
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from tests.helpers import form_data

UTC = dt.timezone.utc
ROW = re.compile(r"<tr><td data-label=\"Czas\".*?</tr>", re.S)


def rows(page: str) -> list[str]:
    """The table rows of the page, as their text without tags."""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in ROW.findall(page)]


def show(client, **filters):
    response = client.get("/access-log", query_string=filters)
    return response.status_code, response.get_data(as_text=True)


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    return found.group(1) if found else ""


@pytest.fixture
def history(app, client, create_user, login):
    """Two documents in two cases issued by an assistant, one read by the head, dated in the log:
    the first's issue 1 March 00:30 in Warsaw, its reading 1 March 23:30, the second's issue
    2 March 00:30; everything else 5 March. Returns what the tests need to know."""
    doctype = DOCUMENT_TYPES["family_consent"]
    assistant = create_user("assistant", full_name="Anna Asystentka")
    head = create_user("head", full_name="Halina Kierownik")
    login(assistant)
    first = client.post("/documents/new/family_consent", data=form_data(doctype, doctype.sample_data))
    second = client.post("/documents/new/family_consent", data=form_data(doctype, doctype.sample_data))
    first_id, second_id = first.location.rsplit("/", 1)[-1], second.location.rsplit("/", 1)[-1]
    client.post("/logout")
    login(head)
    assert client.get(f"/archive/{first_id}").status_code == 200
    with app.app_context():
        sign = db.session.get(DocumentRecord, first_id).case.sign
        assert db.session.get(DocumentRecord, second_id).case.sign != sign
        db.session.execute(update(AccessLog).values(at=dt.datetime(2026, 3, 5, 9, 0, tzinfo=UTC)))
        for action, doc_id, at in (("issue", first_id, dt.datetime(2026, 2, 28, 23, 30, tzinfo=UTC)),
                                   ("view", first_id, dt.datetime(2026, 3, 1, 22, 30, tzinfo=UTC)),
                                   ("issue", second_id, dt.datetime(2026, 3, 1, 23, 30, tzinfo=UTC))):
            db.session.execute(update(AccessLog).where(AccessLog.action == action, AccessLog.object_id == doc_id)
                               .values(at=at))
        db.session.commit()
    return {"assistant": assistant, "head": head, "first": first_id, "second": second_id, "sign": sign}


def test_the_log_filters_by_person_days_action_and_family(app, client, history):
    first, second = history["first"], history["second"]
    status, page = show(client)
    assert status == 200
    everything = rows(page)
    assert any("Anna Asystentka (asystent rodziny)" in r and "wystawienie dokumentu" in r for r in everything)
    assert any("Halina Kierownik (kierownik ośrodka)" in r and "logowanie" in r for r in everything)
    assert "127.0.0.1" in page

    _, page = show(client, person=history["assistant"].id)
    mine = rows(page)
    assert mine and all("Anna Asystentka" in r for r in mine)
    assert any(first in r for r in mine) and any(second in r for r in mine)

    _, page = show(client, action="issue")
    issued = rows(page)
    assert len(issued) == 2 and all("wystawienie dokumentu" in r for r in issued)
    assert second in issued[0] and first in issued[1]  # newest first
    assert "1 marca 2026, 00:30:00" in issued[1]  # office time

    # Days are Warsaw days, both ends included: 1 March is 28 Feb 23:00 – 1 March 23:00 UTC.
    _, page = show(client, date_from="2026-03-01", date_to="2026-03-01")
    day = rows(page)
    assert len(day) == 2 and "odczyt" in day[0] and first in day[0] and first in day[1]
    _, page = show(client, date_from="02.03.2026", date_to="2026-03-02")
    assert [second in r for r in rows(page)] == [True]
    _, page = show(client, date_to="2026-03-01")
    assert len(rows(page)) == 2
    _, page = show(client, date_from="2026-03-02")
    later = rows(page)
    assert second in later[-1] and not any(first in r for r in later)

    _, page = show(client, case_sign=history["sign"].lower())
    family = rows(page)
    assert len(family) == 2 and all(first in r for r in family)
    assert "odczyt" in family[0] and "wystawienie dokumentu" in family[1]
    _, page = show(client, case_sign=history["sign"], person=history["head"].id)
    assert len(rows(page)) == 1

    _, page = show(client, person=history["head"].id, action="issue")
    assert rows(page) == [] and "Brak wpisów spełniających kryteria." in page


def test_reading_the_log_is_logged(app, client, create_user, login):
    dpo = create_user("dpo")
    login(dpo)
    assert client.get("/access-log?action=login").status_code == 200
    with app.app_context():
        entry = db.session.execute(select(AccessLog).where(AccessLog.object_type == "access_log")).scalar_one()
    assert (entry.action, entry.user_id, entry.detail) == ("list", dpo.id, "action=login")
    _, page = show(client, action="list")
    assert "przegląd listy" in page and "dziennik dostępu" in page


def test_the_log_is_paged_by_fifty(app, client, create_user, login):
    login(create_user("head"))
    for _ in range(55):
        client.get("/access-log?action=login")
    _, page = show(client, action="list")
    assert len(rows(page)) == 50 and "starsze wpisy" in page and "nowsze wpisy" not in page
    second = client.get("/access-log?action=list&page=2").get_data(as_text=True)
    assert len(rows(second)) == 6 and "nowsze wpisy" in second and "starsze wpisy" not in second


@pytest.mark.parametrize("filters, field, message", [
    ({"date_from": "2026-13-01"}, "date_from", "Podaj poprawną datę"),
    ({"date_to": "31.02.2026"}, "date_to", "Podaj poprawną datę"),
    ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to", "nie może być wcześniejsza"),
    ({"person": "9999"}, "person", "Wybierz osobę z listy."),
    ({"person": "anna"}, "person", "Wybierz osobę z listy."),
    ({"action": "drop_table"}, "action", "Wybierz czynność z listy."),
    ({"case_sign": "MOPS.SPS.9999.1.2026"}, "case_sign", "Nie ma sprawy o znaku MOPS.SPS.9999.1.2026."),
    ({"case_sign": "X" * 81}, "case_sign", "najwyżej 80 znaków"),
])
def test_wrong_filters_are_refused_at_their_field(client, create_user, login, filters, field, message):
    login(create_user("head"))
    status, page = show(client, **filters)
    assert status == 422
    assert message in field_error(page, field), page
    assert f'href="#{field}"' in page and rows(page) == [] and "Popraw filtry" in page


@pytest.mark.parametrize("role", ["assistant", "social_worker", "archivist", "admin", "coordinator"])
def test_other_roles_cannot_open_the_log(client, create_user, login, role):
    login(create_user(role))
    assert client.get("/access-log").status_code == 403
    assert 'href="/access-log"' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["head", "dpo"])
def test_the_head_and_the_officer_find_the_log_on_their_start_page(client, create_user, login, role):
    login(create_user(role))
    page = client.get("/").get_data(as_text=True)
    main = page.split('<main id="main">', 1)[1]
    assert 'href="/access-log"' in main
    if role == "dpo":  # the officer sees no family data: nothing else to do on the start page
        assert re.findall(r'href="([^"#]+)"', main) == ["/access-log"]
        assert client.get("/archive").status_code == 403
