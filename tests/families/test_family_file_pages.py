"""The family's file after registration, through the pages: search, the assistant's limit and the
history of assignments, who sees whom (404 for another's family, 403 for roles without family
pages), changes recorded with who and when without altering issued documents, issuing from the file."""
from __future__ import annotations

import datetime as dt
import html

import pytest

from service import pipeline
from service.accounts.models import User
from service.archive.models import AccessLog, DocumentRecord
from service.audit import Origin
from service.extensions import db
from service.families.assignments import assign_assistant
from service.families.models import Assignment, Family, FamilyChange, OfficeSettings
from service.families.registration import register_family
from service.office.models import JrwaClass, get_profile
from tests.families.pages import MEMBERS, error_at, register
from tests.helpers import pdf_text_normalised

ORIGIN = Origin(channel="job")


def _register(app, actor: User, members, town="Oświęcim", assistant: User | None = None) -> int:
    """A family registered by the service (fast set-up for the tests of other pages); its id."""
    with app.test_request_context():
        me = db.session.get(User, actor.id)
        family = register_family(db.session, me, ORIGIN, {
            "members": members, "street": "ul. Zaborska 1", "postal_code": "32-600", "town": town,
            "basis_kind": "request", "basis": {"request_date": "2026-01-20"}, "social_worker": ""},
            office=get_profile().letterhead(), jrwa=db.session.get(JrwaClass, "family_support"))
        if assistant is not None:
            assign_assistant(db.session, me, ORIGIN, db.session.get(Family, family.id),
                             db.session.get(User, assistant.id), dt.date(2026, 2, 1))
        return family.id


def _person(name, pesel=None, relation="mother"):
    return {"full_name": name, "pesel": pesel, "birth_date": None if pesel else dt.date(1980, 1, 1),
            "relation": relation, "sex": "" if pesel else "woman"}


def test_search_ignores_polish_letters_case_and_word_order_and_takes_an_exact_pesel(app, client, create_user, login):
    head, mine, other = create_user("head"), create_user("assistant"), create_user("assistant")
    ours = _register(app, head, [_person("Łucja Żółkiewska", "88031504580"), _person("Jan Źdźbło", relation="father")],
                     assistant=mine)
    theirs = _register(app, head, [_person("Łucja Żółkiewska-Nowak", "85072212339")], assistant=other)
    login(mine)

    def found(q):
        page = client.get("/families", query_string={"q": q}).get_data(as_text=True)
        return {fid for fid in (ours, theirs) if f'href="/families/{fid}"' in page}

    for q in ("łucja", "LUCJA", "Żółkiewska Łucja", "zolkiewska", "ZÓŁK luc", "zdzblo jan", "88031504580", "880315 04580"):
        assert found(q) == {ours}, q
    for q in ("8803150458", "85072212339", "Żółkiewska-Nowak", "Łucja Kowalska", "%", "_"):
        assert found(q) == set(), q  # a part of a PESEL, the other assistant's family, other names
    login(head)
    assert found("zolkiewska") == {ours, theirs} and found("85072212339") == {theirs}
    with app.app_context():
        details = db.session.execute(db.select(AccessLog.detail).where(AccessLog.action == "search")).scalars().all()
    assert details and not any("88031504580" in d or "8507" in d or "lucja" in d.lower() for d in details)
    assert any("PESEL" in d for d in details)


def _assign_page(client, family_id, assistant_id, start="2026-03-01"):
    return client.post(f"/families/{family_id}/assign", data={"assistant": str(assistant_id), "start_date": start})


def test_the_sixteenth_family_is_refused_with_the_count_and_a_lower_limit_earlier(app, client, create_user, login):
    head, busy = create_user("coordinator"), create_user("assistant", full_name="Katarzyna Zielińska")
    for i in range(15):
        _register(app, head, [_person(f"Anna Rodzina{i}")], assistant=busy)
    last = _register(app, head, [_person("Ewa Szesnasta")])
    login(head)
    form = client.get(f"/families/{last}/assign").get_data(as_text=True)
    assert "Katarzyna Zielińska (15 z 15)" in form
    response = _assign_page(client, last, busy.id)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "prowadzi już 15 rodzin" in error_at(page, "assistant") and "art. 15 ust. 4" in page
    with app.app_context():
        db.session.merge(OfficeSettings(id=1, family_limit=2))
        db.session.commit()
        assert db.session.execute(db.select(db.func.count()).select_from(Assignment).where(
            Assignment.family_id == last)).scalar_one() == 0
    fresh = create_user("assistant")
    first, second, third = (_register(app, head, [_person(f"Ola Nowa{i}")]) for i in range(3))
    assert _assign_page(client, first, fresh.id).status_code == 302
    assert _assign_page(client, second, fresh.id).status_code == 302
    refused = _assign_page(client, third, fresh.id)
    assert refused.status_code == 409 and "prowadzi już 2 rodziny" in html.unescape(refused.get_data(as_text=True))


def test_reassignment_keeps_the_history_and_moves_the_access(app, client, create_user, login):
    head = create_user("head")
    old, new = create_user("assistant", full_name="Stara Asystentka"), create_user("assistant", full_name="Nowy Asystent")
    family_id = _register(app, head, [_person("Maria Zmiana")])
    login(head)
    assert _assign_page(client, family_id, old.id, "2026-02-01").status_code == 302
    assert _assign_page(client, family_id, new.id, "2026-03-01").status_code == 302
    with app.app_context():
        rows = db.session.execute(db.select(Assignment).where(Assignment.family_id == family_id)
                                  .order_by(Assignment.start_date)).scalars().all()
        assert [(a.assistant_id, a.start_date, a.end_date) for a in rows] == [
            (old.id, dt.date(2026, 2, 1), dt.date(2026, 2, 28)), (new.id, dt.date(2026, 3, 1), None)]
    page = client.get(f"/families/{family_id}").get_data(as_text=True)
    assert "Stara Asystentka" in page and "28 lutego 2026" in page and "Nowy Asystent" in page
    assert "Przydzielono asystenta rodziny: Nowy Asystent" in html.unescape(page)
    login(old)
    assert client.get(f"/families/{family_id}").status_code == 404
    login(new)
    assert client.get(f"/families/{family_id}").status_code == 200
    login(head)
    assert client.post(f"/families/{family_id}/assign/end", data={"end_date": "2026-04-30"}).status_code == 302
    login(new)
    assert client.get(f"/families/{family_id}").status_code == 404


def _routes(family_id, member_id):
    """Every family route with a method and a post body, for the access checks."""
    base = f"/families/{family_id}"
    return [("GET", base, {}), ("GET", f"{base}/address", {}), ("POST", f"{base}/address", {"street": "x"}),
            ("GET", f"{base}/basis", {}), ("POST", f"{base}/basis", {"basis_kind": "request"}),
            ("GET", f"{base}/members/new", {}), ("POST", f"{base}/members/new", {"full_name": "x"}),
            ("GET", f"{base}/members/{member_id}", {}), ("POST", f"{base}/members/{member_id}", {"phone": "1"}),
            ("GET", f"{base}/members/{member_id}/left", {}), ("POST", f"{base}/members/{member_id}/left", {}),
            ("GET", f"{base}/documents/new/family_consent", {}), ("POST", f"{base}/documents/new/family_consent", {})]


HEAD_ONLY = ["/social-worker", "/assign", "/assign/end"]


def _first_member(app, family_id):
    with app.app_context():
        return db.session.get(Family, family_id).members[0].id


def test_another_assistants_or_social_workers_family_is_404_on_every_route(app, client, create_user, login):
    head, mine = create_user("head"), create_user("assistant")
    family_id = _register(app, head, [_person("Ukryta Rodzina")], assistant=mine)
    member_id = _first_member(app, family_id)
    for role in ("assistant", "social_worker"):
        login(create_user(role))
        for method, url, data in _routes(family_id, member_id):
            assert client.open(url, method=method, data=data).status_code == 404, (role, method, url)
        for suffix in HEAD_ONLY:  # the role may not use these at all: no family is named
            assert client.post(f"/families/{family_id}{suffix}").status_code == 403
    login(mine)
    assert client.get(f"/families/{family_id}").status_code == 200
    assert client.get(f"/families/{family_id}/members/{member_id + 1000}").status_code == 404
    assert client.get(f"/families/{family_id}/documents/new/zz_power_of_attorney").status_code == 404
    assert client.get(f"/families/{family_id}/documents/new/nope").status_code == 404
    assert client.get(f"/families/{family_id}/basis").status_code == 403  # the assistant reads, not rules
    with app.app_context():
        reads = db.session.execute(db.select(AccessLog.user_id).where(
            AccessLog.family_id == family_id, AccessLog.action == "view")).scalars().all()
    assert set(reads) == {mine.id}  # no read by the others was logged as a read: none happened


@pytest.mark.parametrize("role", ["admin", "archivist", "dpo"])
def test_roles_without_family_pages_get_403(app, client, create_user, login, role):
    head = create_user("head")
    family_id = _register(app, head, [_person("Rodzina Niewidoczna")])
    member_id = _first_member(app, family_id)
    login(create_user(role))
    for method, url, data in _routes(family_id, member_id) + [("GET", "/families", {}), ("GET", "/families/new", {}),
                                                              ("POST", "/families/new", {})]:
        assert client.open(url, method=method, data=data).status_code == 403, (method, url)
    for suffix in HEAD_ONLY:
        assert client.post(f"/families/{family_id}{suffix}").status_code == 403
    assert 'href="/families"' not in client.get("/").get_data(as_text=True)


def test_a_change_is_recorded_and_the_issued_document_stays_as_it_was(app, client, create_user, login, monkeypatch):
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    login(worker)
    family_id = register(client)
    monkeypatch.setattr("service.web.families_views.prefill_for", lambda doctype, family: {
        "street": "ul. Testowa 1"} if doctype.slug == "family_consent" else {})
    form = client.get(f"/families/{family_id}/documents/new/family_consent").get_data(as_text=True)
    assert 'value="ul. Testowa 1"' in form and "MOPS.SPS.4011.1." in form
    from service.documents.registry import DOCUMENT_TYPES
    from tests.helpers import form_data
    doctype = DOCUMENT_TYPES.get("family_consent")
    data = form_data(doctype, {**doctype.sample_data, "street": "ul. Zaborska 17 m. 3"})
    data.pop("case_id")
    issued = client.post(f"/families/{family_id}/documents/new/family_consent", data=data)
    assert issued.status_code == 302 and issued.location.startswith("/archive/")
    doc_id = issued.location.rsplit("/", 1)[1]
    with app.app_context():
        doc = db.session.get(DocumentRecord, doc_id)
        assert doc.case_id == db.session.get(Family, family_id).case_id
        before_data, before_sha = dict(doc.data), doc.pdf_sha256
    changed = client.post(f"/families/{family_id}/address", data={
        "street": "ul. Nowa 5", "postal_code": "32-602", "town": "Oświęcim"})
    assert changed.status_code == 302
    bad = client.post(f"/families/{family_id}/address", data={"street": "", "postal_code": "3", "town": "Oświęcim"})
    assert bad.status_code == 422 and "Kod pocztowy" in html.unescape(bad.get_data(as_text=True))
    with app.app_context():
        doc = db.session.get(DocumentRecord, doc_id)
        assert doc.data == before_data and doc.pdf_sha256 == before_sha
        pdf = pipeline(app).store.path(doc.pdf_sha256, "pdf").read_bytes()
        change = db.session.execute(db.select(FamilyChange).where(FamilyChange.what == "address")).scalar_one()
        assert change.by_id == worker.id and change.at is not None
        assert change.before["street"] == "ul. Zaborska 17 m. 3" and change.after["street"] == "ul. Nowa 5"
        assert db.session.get(Family, family_id).street == "ul. Nowa 5"
        logged = db.session.execute(db.select(AccessLog).where(AccessLog.action == "family_change")).scalar_one()
        assert logged.user_id == worker.id and logged.family_id == family_id
    assert "ul. Zaborska 17" in pdf_text_normalised(pdf) and "ul. Nowa 5" not in pdf_text_normalised(pdf)
    page = html.unescape(client.get(f"/families/{family_id}").get_data(as_text=True))
    assert "Adres zamieszkania: ul. Zaborska 17 m. 3, 32-600 Oświęcim → ul. Nowa 5, 32-602 Oświęcim." in page
    assert "Zgoda rodziny" in page and "czeka na podpis" in page and f'href="/archive/{doc_id}"' in page


def test_members_are_added_corrected_and_leave_with_who_and_when(app, client, create_user, login):
    head, assistant = create_user("head"), create_user("assistant")
    login(head)
    family_id = register(client)
    member_id = _first_member(app, family_id)
    with app.test_request_context():
        assign_assistant(db.session, db.session.get(User, head.id), ORIGIN, db.session.get(Family, family_id),
                         db.session.get(User, assistant.id), dt.date(2026, 2, 1))
    login(assistant)
    duplicate = client.post(f"/families/{family_id}/members/new", data={
        "full_name": "Kuba Żmijewski", "pesel": MEMBERS[0]["pesel"], "relation": "child"})
    assert duplicate.status_code == 422
    assert "Ten numer PESEL" in error_at(html.unescape(duplicate.get_data(as_text=True)), "pesel")
    assert client.post(f"/families/{family_id}/members/new", data={
        "full_name": "Kuba Żmijewski", "birth_date": "2024-06-01", "relation": "child", "sex": "man"}).status_code == 302
    contact = client.get(f"/families/{family_id}/members/{member_id}").get_data(as_text=True)
    assert 'name="phone"' in contact and 'name="pesel"' not in contact  # the assistant: the contact only
    assert client.post(f"/families/{family_id}/members/{member_id}", data={"phone": "600 100 200"}).status_code == 302
    assert client.get(f"/families/{family_id}/members/{member_id}/left").status_code == 403
    login(head)
    assert client.post(f"/families/{family_id}/members/{member_id}/left", data={"left_on": "2026-03-01"}).status_code == 302
    page = html.unescape(client.get(f"/families/{family_id}").get_data(as_text=True))
    assert "Nowy członek rodziny: Kuba Żmijewski (dziecko)." in page
    assert "Zmiana danych osoby Łucja Żmijewska: telefon: — → 600 100 200." in page
    assert "Osoba Łucja Żmijewska nie należy już do rodziny od 1 marca 2026" in page
    assert page.index("Osoby, które nie należą już do rodziny") < page.rindex("Łucja Żmijewska")
    with app.app_context():
        whos = db.session.execute(db.select(FamilyChange.what, FamilyChange.by_id).where(
            FamilyChange.family_id == family_id).order_by(FamilyChange.id)).all()
    assert [tuple(w) for w in whos][-3:] == [("member_added", assistant.id), ("contact", assistant.id),
                                            ("member_left", head.id)]
