"""The families' API (register, search, read, assign, issue for a family) and `flask families`."""
from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from service.accounts.models import User
from service.api.openapi import openapi_document
from service.api.openapi_families import ASSIGNMENT_EXAMPLE, REGISTRATION_EXAMPLE
from service.archive.models import AccessLog
from service.audit import Origin
from service.documents.context import office_today
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.families.models import Family
from service.families.registration import register_family
from service.families.settings import set_family_limit
from service.office.models import JrwaClass, get_profile

ORIGIN = Origin(channel="job")
COURT = {"kind": "court", "court_name": "Sąd Rejonowy w Oświęcimiu", "court_division": "III Wydział Rodzinny i Nieletnich",
         "court_case_number": "III Nsm 77/26", "court_decision_date": "2026-10-02"}


def body(**changes):
    """The OpenAPI example registration, changed."""
    data = copy.deepcopy(REGISTRATION_EXAMPLE)
    data.update(changes)
    return data


@pytest.fixture
def staff(create_user, api_token):
    """Accounts by role (two assistants, two social workers) and their Bearer headers."""
    users = {"head": create_user("head"), "coordinator": create_user("coordinator"),
             "sw": create_user("social_worker", "pracownik1", "Tomasz Wójcik"),
             "sw2": create_user("social_worker", "pracownik2"),
             "a1": create_user("assistant", "asystent1", "Katarzyna Zielińska"),
             "a2": create_user("assistant", "asystent2", "Ewa Nowak"),
             "archivist": create_user("archivist"), "admin": create_user("admin"), "dpo": create_user("dpo")}
    return {key: (user, api_token(user)) for key, user in users.items()}


def register(client, headers, **changes):
    response = client.post("/api/families", json=body(**changes), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_register_and_read_the_file(app, client, staff):
    worker, headers = staff["sw"]
    response = client.post("/api/families", json=body(correspondence_address={
        "street": "skr. pocztowa 12", "postal_code": "32-602", "town": "Oświęcim"}), headers=headers)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert response.headers["Location"] == created["links"]["self"]
    assert created["case_sign"].startswith("MOPS") or created["case_sign"]
    assert set(created["links"]) == {"self", "documents", "assignments"}
    assert created["social_worker"] == {"login": "pracownik1", "name": "Tomasz Wójcik"}  # the registering worker

    file = client.get(f"/api/families/{created['id']}", headers=headers).get_json()
    members = {m["full_name"]: m for m in file["members"]}
    assert members["Anna Kowalska"]["birth_date"] == "1988-03-15" and members["Anna Kowalska"]["adult"] is True
    assert members["Anna Kowalska"]["relation_label"] == "matka" and members["Anna Kowalska"]["sex"] == "woman"
    assert members["Zosia Kowalska"]["adult"] is False and members["Zosia Kowalska"]["relation"] == "child"
    assert file["address"] == REGISTRATION_EXAMPLE["address"]
    assert file["correspondence_address"]["postal_code"] == "32-602"
    assert file["basis"] == {"kind": "request", "label": "wniosek pracownika socjalnego po wywiadzie środowiskowym",
                             "data": {"request_date": "2026-11-20"}}
    assert file["support"] == "family_support" and file["assignments"] == [] and file["documents"] == []
    assert file["changes"][0]["what"] == "registered" and file["changes"][0]["by"]["login"] == "pracownik1"
    with app.app_context():
        reads = db.session.execute(db.select(AccessLog).where(AccessLog.action == "view",
                                                              AccessLog.object_type == "family")).scalars().all()
        assert [(r.family_id, r.detail, r.channel) for r in reads] == [(created["id"], "api", "api")]
        family = db.session.get(Family, created["id"])
        assert family.case.jrwa_key == "family_support" and family.created_by.login == "pracownik1"


def test_register_errors_at_json_paths(client, staff):
    _, headers = staff["head"]
    members = copy.deepcopy(REGISTRATION_EXAMPLE["members"])
    members[1]["pesel"] = "85072212330"
    members[2].pop("birth_date")
    response = client.post("/api/families", headers=headers, json=body(
        members=members, address={"street": "ul. Długa 1", "postal_code": "32600", "town": "Oświęcim"},
        basis={"kind": "court", "court_name": "Sąd Rejonowy w Oświęcimiu", "colour": "red"},
        correspondence_address={"street": "ul. Krótka 2"}, social_worker="nikt", extra=1))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["members[1].pesel"] == ["Nieprawidłowy numer PESEL: błędna cyfra kontrolna."]
    assert errors["members[2].birth_date"] == ["Podaj numer PESEL albo datę urodzenia."]
    assert errors["address.postal_code"] == ["Kod pocztowy w formacie 00-000, np. 32-600."]
    assert errors["basis.court_case_number"] == ["To pole jest wymagane."]
    assert errors["basis.colour"] == errors["extra"] == ["Nieznane pole."]
    assert errors["correspondence_address.town"] == ["Podaj cały adres do korespondencji albo zostaw go pusty."]
    # the social worker is looked up once the rest is valid
    response = client.post("/api/families", headers=headers, json=body(social_worker="nikt"))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"social_worker": ["Nie ma aktywnego pracownika socjalnego o tym loginie."]}
    wrong_types = client.post("/api/families", headers=headers, json=body(address="Oświęcim", members=[{
        "full_name": 5, "relation": "mother", "pesel": "88031504580"}]))
    errors = wrong_types.get_json()["errors"]
    assert errors["address"] == ["Oczekiwano obiektu JSON."]
    assert errors["members[0].full_name"] == ["Oczekiwano tekstu (wartość w cudzysłowie)."]
    assert client.post("/api/families", headers=headers, data="x").get_json()["errors"] == {
        "": ["Treść żądania musi być obiektem JSON."]}


def test_register_roles(client, staff):
    for role in ("a1", "archivist", "admin", "dpo"):
        response = client.post("/api/families", json=body(), headers=staff[role][1])
        assert response.status_code == 403, role
    created = register(client, staff["coordinator"][1], social_worker="pracownik2")
    assert created["social_worker"]["login"] == "pracownik2"
    assert client.post("/api/families", json=body()).status_code == 401


@pytest.mark.fresh_office
def test_register_while_issuing_is_paused(client, staff):
    response = client.post("/api/families", json=body(), headers=staff["head"][1])
    assert response.status_code == 409 and "profil" in response.get_json()["error"]


def test_another_s_family_is_not_found(app, client, staff):
    created = register(client, staff["sw"][1])
    url = f"/api/families/{created['id']}"
    missing = client.get("/api/families/999999", headers=staff["sw2"][1])
    for who in ("sw2", "a1"):
        for path in (url, url + "/documents", url + "/assignments"):
            response = client.get(path, headers=staff[who][1])
            assert (response.status_code, response.get_json()) == (404, missing.get_json()), (who, path)
    assert client.get(url, headers=staff["archivist"][1]).status_code == 403
    assert client.get(url, headers=staff["admin"][1]).status_code == 403
    for who in ("head", "coordinator", "sw"):
        assert client.get(url, headers=staff[who][1]).status_code == 200, who
    assert client.post(url + "/assignments", json=ASSIGNMENT_EXAMPLE, headers=staff["head"][1]).status_code == 201
    assert client.get(url, headers=staff["a1"][1]).status_code == 200  # assigned now
    assert client.get(url, headers=staff["a2"][1]).status_code == 404
    for bad in ("abc", "99999999999999999999", "-1"):
        assert client.get(f"/api/families/{bad}", headers=staff["head"][1]).status_code == 404


def test_assign_reassign_and_refusals(client, staff):
    created = register(client, staff["sw"][1])
    url = f"/api/families/{created['id']}/assignments"
    head = staff["head"][1]
    first = client.post(url, json={"assistant": "asystent1", "start_date": "2026-11-02"}, headers=head)
    assert first.status_code == 201 and first.headers["Location"] == created["links"]["assignments"]
    assert first.get_json()["assistant"] == {"login": "asystent1", "name": "Katarzyna Zielińska"}
    second = client.post(url, json={"assistant": "asystent2", "start_date": "2026-11-20"},
                         headers=staff["coordinator"][1])
    assert second.status_code == 201
    history = client.get(url, headers=head).get_json()["assignments"]
    assert [(a["assistant"]["login"], a["start_date"], a["end_date"]) for a in history] == [
        ("asystent1", "2026-11-02", "2026-11-19"), ("asystent2", "2026-11-20", None)]
    file = client.get(created["links"]["self"], headers=head).get_json()
    assert file["assistant"]["login"] == "asystent2" and [c["what"] for c in file["changes"]][-1] == "assignment"

    def errors(payload):
        response = client.post(url, json=payload, headers=head)
        assert response.status_code == 422, response.get_json()
        return response.get_json()["errors"]

    assert errors({"assistant": "nikt", "start_date": "2026-12-01"}) == {"assistant": ["Nie ma konta o tym loginie."]}
    assert errors({"assistant": "pracownik1", "start_date": "2026-12-01"}) == {
        "assistant": ["Wybierz aktywne konto asystenta rodziny."]}
    assert list(errors({"assistant": "asystent1", "start_date": "2026-02-30"})) == ["start_date"]
    assert list(errors({"assistant": "asystent1"})) == ["start_date"]
    assert errors({"assistant": "asystent1", "start_date": "2026-11-01"}) == {"start_date": [
        "Data rozpoczęcia nie może być wcześniejsza niż początek obecnego przydziału (2026-11-20)."]}
    assert errors({"assistant": "asystent2", "start_date": "2026-12-01"}) == {
        "assistant": ["Ten asystent rodziny jest już przydzielony tej rodzinie."]}
    assert errors([]) == {"": ["Treść żądania musi być obiektem JSON."]}
    for who in ("sw", "a1"):
        assert client.post(url, json=ASSIGNMENT_EXAMPLE, headers=staff[who][1]).status_code == 403
    assert client.post("/api/families/999999/assignments", json=ASSIGNMENT_EXAMPLE, headers=head).status_code == 404


def _register_many(app, head_id: int, count: int) -> list[int]:
    with app.test_request_context():
        actor = db.session.get(User, head_id)
        data = {"members": [{"full_name": "Anna Kowalska", "pesel": None, "birth_date": dt.date(1990, 1, 1),
                             "relation": "mother"}],
                "street": "ul. Długa 1", "postal_code": "32-600", "town": "Oświęcim", "basis_kind": "request",
                "basis": {"request_date": "2026-11-02"}}
        return [register_family(db.session, actor, ORIGIN, data, office=get_profile().letterhead(),
                                jrwa=db.session.get(JrwaClass, "family_support")).id for _ in range(count)]


def test_the_sixteenth_family_is_refused_with_the_count(app, client, staff):
    head, headers = staff["head"]
    ids = _register_many(app, head.id, 16)
    for family_id in ids[:15]:
        response = client.post(f"/api/families/{family_id}/assignments", json=ASSIGNMENT_EXAMPLE, headers=headers)
        assert response.status_code == 201
    refused = client.post(f"/api/families/{ids[15]}/assignments", json=ASSIGNMENT_EXAMPLE, headers=headers)
    assert refused.status_code == 409
    message = refused.get_json()["error"]
    assert "Katarzyna Zielińska prowadzi już 15 rodzin, a może najwyżej 15" in message and "art. 15 ust. 4" in message
    # the office's lower limit counts the same way
    with app.app_context():
        set_family_limit(db.session, db.session.get(User, head.id), ORIGIN, 3)
    refused = client.post(f"/api/families/{ids[15]}/assignments", json={**ASSIGNMENT_EXAMPLE, "assistant": "asystent2"},
                          headers=headers)
    assert refused.status_code == 201
    with app.app_context():
        assert db.session.get(Family, ids[15]).current_assignment.assistant.login == "asystent2"


def test_issue_for_a_family_files_it_in_the_family_case(app, client, staff):
    created = register(client, staff["sw"][1], basis=COURT)
    family_id = created["id"]
    client.post(created["links"]["assignments"], json={"assistant": "asystent1", "start_date": "2026-11-02"},
                headers=staff["head"][1])
    assistant = staff["a1"][1]
    # only what the file cannot know: the date of the consent
    response = client.post("/api/documents/family_consent", headers=assistant, json={
        "family_id": family_id, "consent_date": office_today().isoformat()})
    assert response.status_code == 201, response.get_json()
    doc = response.get_json()
    assert doc["case_sign"] == created["case_sign"]
    assert {p["full_name"] for p in doc["data"]["persons"]} == {"Anna Kowalska", "Jan Kowalski"}
    assert doc["data"]["street"] == "ul. Słowackiego 12 m. 4"
    file = client.get(created["links"]["self"], headers=assistant).get_json()
    assert [(d["id"], d["type"], d["signed"]) for d in file["documents"]] == [(doc["id"], "family_consent", False)]
    assert file["documents"][0]["links"]["pdf"].endswith(f"/api/documents/{doc['id']}/pdf")
    assert client.get(created["links"]["documents"], headers=assistant).get_json()["documents"][0]["id"] == doc["id"]
    with app.app_context():  # no new family was made for the document
        assert db.session.execute(db.select(db.func.count()).select_from(Family)).scalar() == 1

    # the family's own case_sign works too; another case's sign with the family's id does not
    again = client.post("/api/documents/family_consent", headers=assistant, json={
        "case_sign": created["case_sign"], "consent_date": office_today().isoformat()})
    assert again.status_code == 201 and again.get_json()["case_sign"] == created["case_sign"]
    other = register(client, staff["sw2"][1])

    def family_errors(payload, headers=assistant, slug="family_consent"):
        response = client.post(f"/api/documents/{slug}", headers=headers, json=payload)
        assert response.status_code == 422, response.get_json()
        return response.get_json()["errors"]

    sample = DOCUMENT_TYPES["family_consent"].sample_data
    assert family_errors({**sample, "family_id": other["id"]}) == {
        "family_id": ["Nie ma takiej rodziny (albo nie masz do niej dostępu)."]}
    assert family_errors({**sample, "family_id": "1"})["family_id"] == [
        "Oczekiwano liczby całkowitej (identyfikatora rodziny)."]
    assert family_errors({**sample, "family_id": family_id, "case_sign": other["case_sign"]}) == {
        "case_sign": ["Nie ma takiej sprawy w klasie JRWA tego dokumentu (albo nie masz do niej dostępu)."]}
    head_other = family_errors({**sample, "family_id": family_id, "case_sign": other["case_sign"]},
                               headers=staff["head"][1])
    assert head_other == {"case_sign": ["To nie jest sprawa tej rodziny: podaj family_id albo case_sign tej samej rodziny."]}
    zz = DOCUMENT_TYPES["zz_power_of_attorney"].sample_data
    assert family_errors({**zz, "family_id": family_id}, slug="zz_power_of_attorney") == {
        "family_id": ["Ten dokument nie dotyczy wsparcia, którym objęto tę rodzinę."]}
    # what the file cannot know is still required
    assert "consent_date" in family_errors({"family_id": family_id})


def test_fields_left_out_come_from_the_file(client, staff, monkeypatch):
    """The API asks families.facts.prefill_for for the file's values; what the body sends wins."""
    import service.api.views as api_views
    created = register(client, staff["sw"][1])
    client.post(created["links"]["assignments"], json=ASSIGNMENT_EXAMPLE, headers=staff["head"][1])
    sample = DOCUMENT_TYPES["family_consent"].sample_data
    asked = []

    def prefill(doctype, family):
        asked.append((doctype.slug, family.id))
        return {**sample, "town": "Brzeszcze", "street": "ul. Z teczki 1"}

    monkeypatch.setattr(api_views, "prefill_for", prefill)
    response = client.post("/api/documents/family_consent", headers=staff["a1"][1],
                           json={"family_id": created["id"], "consent_date": "2026-11-20"})
    assert response.status_code == 201, response.get_json()
    assert asked == [("family_consent", created["id"])]
    data = response.get_json()["data"]
    assert (data["town"], data["street"], data["consent_date"]) == ("Brzeszcze", "ul. Z teczki 1", "2026-11-20")
    # an address sent in part takes none of the file's (documents.family_facts.merge)
    partial = client.post("/api/documents/family_consent", headers=staff["a1"][1],
                          json={"family_id": created["id"], "street": "ul. Podana 2"})
    assert partial.status_code == 422 and set(partial.get_json()["errors"]) == {"postal_code", "town"}


def test_samples_still_issue_without_a_family(client, staff):
    response = client.post("/api/documents/family_consent", json=DOCUMENT_TYPES["family_consent"].sample_data,
                           headers=staff["a2"][1])
    assert response.status_code == 201
    schema = client.get("/api/document-types/family_consent", headers=staff["a2"][1]).get_json()["schema"]
    assert schema["properties"]["family_id"]["type"] == "integer"
    assert {"required": ["family_id"]} in schema["anyOf"]


def test_search_folds_letters_case_and_word_order(app, client, staff):
    headers = staff["sw"][1]
    lucja = register(client, headers, members=[
        {"full_name": "Łucja Żółkiewska-Nowak", "pesel": "88031504580", "relation": "mother"},
        {"full_name": "Ignacy Żółkiewski", "birth_date": "2015-02-03", "relation": "child", "sex": "man"}])
    anna = register(client, headers, members=[{"full_name": "Anna Kowalska", "pesel": "85072212339",
                                               "relation": "father"}])
    register(client, staff["sw2"][1], members=[{"full_name": "Łucja Kowalska", "birth_date": "1990-01-01",
                                                "relation": "mother"}])

    def found(q, who="sw"):
        response = client.get("/api/families", query_string={"q": q}, headers=staff[who][1])
        assert response.status_code == 200, response.get_json()
        return [f["id"] for f in response.get_json()["families"]]

    for q in ("lucja", "ŁUCJA", "zolkiewska lucja", "  Żółkiewska   Łucja ", "zołk", "nowak", "ŁUCJA ŻÓŁKIEWSKA-NOWAK"):
        assert found(q) == [lucja["id"]], q
    assert found("ignacy zolkiewski") == [lucja["id"]]
    assert found("ignacy lucja") == []  # every word in one member's name
    assert found("kowalska") == [anna["id"]]  # the other worker's Łucja Kowalska is not visible
    assert found("88031504580") == [lucja["id"]] and found("8803150458") == []
    assert found("") == [anna["id"], lucja["id"]]
    assert found("%") == [] and found("_") == []
    assert found("lucja", "head") != [] and len(found("lucja", "head")) == 2
    assert found("lucja", "a1") == []
    summary = client.get("/api/families", query_string={"q": "anna", "limit": 1}, headers=headers).get_json()
    assert summary["limit"] == 1 and summary["families"][0]["case_sign"] == anna["case_sign"]
    pages = [client.get("/api/families", query_string={"limit": 1, "page": n}, headers=headers).get_json()
             for n in (1, 2)]
    assert [([f["id"] for f in p["families"]], p["has_more"]) for p in pages] == [([anna["id"]], True),
                                                                                 ([lucja["id"]], False)]
    bad = client.get("/api/families", query_string={"limit": "0", "page": "x"}, headers=headers)
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"limit", "page"}
    assert client.get("/api/families", query_string={"q": "x" * 201}, headers=headers).status_code == 422
    assert client.get("/api/families", headers=staff["archivist"][1]).status_code == 403
    with app.app_context():  # every search through the API is logged, never with its text
        searches = db.session.execute(db.select(AccessLog).where(AccessLog.action == "search")).scalars().all()
        assert searches and all(s.channel == "api" and "lucja" not in s.detail.lower() for s in searches)


def test_openapi_describes_the_family_routes(client, staff):
    doc = client.get("/api/openapi.json", headers=staff["a1"][1]).get_json()
    assert {"get", "post"} <= set(doc["paths"]["/api/families"])
    assert set(doc["paths"]["/api/families/{family_id}/assignments"]["post"]["responses"]) >= {
        "201", "401", "403", "404", "409", "422"}
    assert "family_id" in doc["paths"]["/api/documents/family_consent"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]["properties"]
    assert doc["components"]["schemas"]["Family"]["properties"]["members"]["items"]["properties"]["adult"]


# --- flask families … ------------------------------------------------------------------------------

def test_cli_register_list_show_assign(app, runner, staff, tmp_path):
    file = tmp_path / "rodzina.json"
    file.write_text(json.dumps(body(basis=COURT), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["families", "register", str(file), "--as", "pracownik1"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Założono teczkę rodziny nr ")
    family_id = result.output.split("nr ")[1].split(",")[0]

    listed = runner.invoke(args=["families", "list", "--q", "KOWALSKA anna", "--as", "pracownik1"])
    assert listed.exit_code == 0 and listed.output.startswith(f"{family_id}\t") and "bez asystenta" in listed.output
    assert runner.invoke(args=["families", "list", "--as", "pracownik2"]).output == "Nie znaleziono rodzin.\n"

    assigned = runner.invoke(args=["families", "assign", family_id, "asystent1", "--from", "2026-11-02",
                                   "--as", staff["head"][0].login])
    assert assigned.exit_code == 0, assigned.output
    assert assigned.output == (f"Przydzielono asystenta rodziny Katarzyna Zielińska rodzinie nr {family_id} "
                               "od 2 listopada 2026\u00a0r.\n")
    shown = runner.invoke(args=["families", "show", family_id, "--as", "asystent1"])
    assert shown.exit_code == 0, shown.output
    for text in ("Podstawa: postanowienie sądu", "court_case_number: III Nsm 77/26",
                 "Zosia Kowalska – dziecko", "osoba niepełnoletnia", "Anna Kowalska – matka",
                 "Katarzyna Zielińska (asystent1) od 2 listopada 2026\u00a0r. nadal", "Dokumenty: brak"):
        assert text in shown.output, text
    with app.app_context():
        rows = db.session.execute(db.select(AccessLog).where(AccessLog.channel == "cli")).scalars().all()
        assert {(r.action, r.family_id) for r in rows} >= {("register", int(family_id)), ("assign", int(family_id)),
                                                           ("view", int(family_id))}


def test_cli_refusals_in_polish(app, runner, staff, tmp_path):
    file = tmp_path / "rodzina.json"
    file.write_text(json.dumps(body(address={"street": "ul. Długa 1", "postal_code": "32600", "town": "Oświęcim"})),
                    encoding="utf-8")
    result = runner.invoke(args=["families", "register", str(file), "--as", "pracownik1"])
    assert result.exit_code == 1
    assert "address.postal_code: Kod pocztowy w formacie 00-000, np. 32-600." in result.output
    assert "Nic nie zapisano" in result.output
    assert "Rola „asystent rodziny” nie pozwala zakładać teczek rodzin." in runner.invoke(
        args=["families", "register", str(file), "--as", "asystent1"]).output
    assert "Nie ma aktywnego konta o loginie 'nikt'." in runner.invoke(
        args=["families", "list", "--as", "nikt"]).output
    file.write_text(json.dumps(body()), encoding="utf-8")
    family_id = runner.invoke(args=["families", "register", str(file), "--as", "pracownik1"]).output.split("nr ")[1].split(",")[0]
    hidden = runner.invoke(args=["families", "show", family_id, "--as", "pracownik2"])
    assert hidden.exit_code == 1 and f"Nie ma rodziny nr {family_id} (albo nie masz do niej dostępu)." in hidden.output
    bad_date = runner.invoke(args=["families", "assign", family_id, "asystent1", "--from", "jutro",
                                   "--as", staff["head"][0].login])
    assert bad_date.exit_code == 1 and "--from: " in bad_date.output
    with app.app_context():
        set_family_limit(db.session, db.session.get(User, staff["head"][0].id), ORIGIN, 1)
    ids = _register_many(app, staff["head"][0].id, 1)
    assert runner.invoke(args=["families", "assign", str(ids[0]), "asystent1", "--from", "2026-11-02",
                               "--as", staff["head"][0].login]).exit_code == 0
    full = runner.invoke(args=["families", "assign", family_id, "asystent1", "--from", "2026-11-02",
                               "--as", staff["head"][0].login])
    assert full.exit_code == 1 and "prowadzi już 1 rodzinę, a może najwyżej 1 jednocześnie" in full.output


# --- the limit on the office page ------------------------------------------------------------------

def test_office_page_sets_the_limit(app, client, staff, login):
    from tests.web.test_office_confirmation import office_post
    login(staff["admin"][0])
    page = client.get("/office").get_data(as_text=True)
    assert 'name="family_limit"' in page and 'value="15"' in page
    refused = client.post("/office", data=office_post(family_limit="16"))
    assert refused.status_code == 200
    assert "asystent rodziny może prowadzić najwyżej 15 rodzin jednocześnie" in refused.get_data(as_text=True)
    for typed in ("0", "abc", "١٠"):
        assert client.post("/office", data=office_post(family_limit=typed)).status_code == 200, typed
    assert client.post("/office", data=office_post(family_limit="10")).status_code == 302
    with app.app_context():
        from service.families.settings import family_limit
        assert family_limit(db.session) == 10 and get_profile().confirmed
        assert db.session.execute(db.select(AccessLog).where(AccessLog.object_type == "office_settings")).scalar_one()
    assert client.post("/office", data=office_post()).status_code == 302  # left out: unchanged
    with app.app_context():
        from service.families.settings import family_limit
        assert family_limit(db.session) == 10
