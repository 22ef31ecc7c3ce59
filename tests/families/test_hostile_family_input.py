"""Registering and changing a family with input nobody planned for: a body nested too deep, a
file saved by Windows Notepad, a digit that is not ASCII where a row number is expected, rows the
page never offers, a family of children only, the same person typed twice, a correspondence
address copied from the residence, a PESEL pasted in full-width digits, a PESEL corrected on the
member's page. Each is refused at its field in Polish (nothing stored) or taken as meant; none is
a 500."""
from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest

from service.api.openapi_families import REGISTRATION_EXAMPLE
from service.extensions import db
from service.families.models import Case, Family, FamilyMember
from tests.families.pages import MEMBERS, error_at, register, registration

DEEP = '{"members":' * 5000 + "[]" + "}" * 5000


def _count(app, model) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


@pytest.fixture
def head(create_user, api_token):
    user = create_user("head", "kierownik")
    return user, api_token(user)


def test_a_body_nested_deeper_than_python_reads_is_refused_as_not_json(app, client, head, create_user):
    _, headers = head
    response = client.post("/api/families", data=DEEP, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"": ["Treść żądania musi być obiektem JSON."]}
    family = client.post("/api/families", json=REGISTRATION_EXAMPLE, headers=headers).get_json()
    create_user("assistant", "asystent1")
    response = client.post(f"/api/families/{family['id']}/assignments", data=DEEP,
                           content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert _count(app, Family) == 1


def test_cli_reads_a_file_saved_with_a_byte_order_mark_and_refuses_one_nested_too_deep(app, runner, tmp_path, head):
    bom = tmp_path / "notatnik.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(REGISTRATION_EXAMPLE, ensure_ascii=False).encode())
    result = runner.invoke(args=["families", "register", str(bom), "--as", "kierownik"])
    assert result.exit_code == 0, result.output
    assert "Założono teczkę rodziny nr 1" in result.output
    deep = tmp_path / "gleboki.json"
    deep.write_text(DEEP)
    result = runner.invoke(args=["families", "register", str(deep), "--as", "kierownik"])
    assert result.exit_code == 1 and not isinstance(result.exception, RecursionError)
    assert "Plik nie jest poprawnym JSON-em" in result.output
    assert _count(app, Family) == 1


def test_cli_list_refuses_a_page_number_no_database_can_hold(runner, head):
    result = runner.invoke(args=["families", "list", "--page", "99999999999999999999", "--as", "kierownik"])
    assert result.exit_code == 2 and "--page" in result.output


def test_a_remove_row_value_of_a_non_ascii_digit_shows_the_form_again(client, create_user, login):
    login(create_user("social_worker"))
    for value in ("²", "١", "99999999999999999999"):
        response = client.post("/families/new", data=registration(remove_row=value))
        assert response.status_code == 200, value
        assert "Łucja Żmijewska" in response.get_data(as_text=True)


def test_the_assign_page_refuses_an_assistant_not_on_its_list(app, client, create_user, login):
    login(create_user("head"))
    family_id = register(client)
    create_user("assistant", "asystent1")
    for value in ("²", "99999999999999999999", "-1"):
        response = client.post(f"/families/{family_id}/assign", data={"assistant": value, "start_date": "2026-11-02"})
        assert response.status_code == 422, value
        assert error_at(response.get_data(as_text=True), "assistant") == "Wybierz aktywne konto asystenta rodziny."


def test_a_sex_not_among_the_choices_gets_one_message(client, create_user, login):
    login(create_user("social_worker"))
    members = copy.deepcopy(MEMBERS)
    members[0]["sex"] = "kobieta"
    response = client.post("/families/new", data=registration(members=members))
    assert response.status_code == 422
    assert error_at(response.get_data(as_text=True), "members-0-sex") == "Wybrano nieznaną opcję."


def test_more_member_rows_than_the_page_offers_are_refused_not_dropped(app, client, create_user, login):
    login(create_user("social_worker"))
    members = [*MEMBERS[:2], *({"full_name": f"Dziecko {i}", "birth_date": "2015-01-01", "relation": "child",
                                "sex": "woman"} for i in range(12))]
    response = client.post("/families/new", data=registration(members=members))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Najwyżej 12 osób w rodzinie." in page
    assert _count(app, Family) == _count(app, Case) == _count(app, FamilyMember) == 0


def test_a_family_of_children_only_is_refused(app, client, create_user, login, head):
    login(create_user("social_worker"))
    children = [{"full_name": "Zosia Żmijewska", "birth_date": "2019-05-04", "relation": "child", "sex": "woman"},
                {"full_name": "Antoni Żmijewski", "pesel": "15250112311", "relation": "child"}]
    response = client.post("/families/new", data=registration(members=children))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Rodzina nie może składać się z samych dzieci" in page and "Antoni Żmijewski" in page
    _, headers = head
    api = client.post("/api/families", headers=headers, json={**REGISTRATION_EXAMPLE, "members": children})
    assert api.status_code == 422 and "members" in api.get_json()["errors"]
    assert _count(app, Family) == _count(app, Case) == 0


def test_the_same_person_typed_twice_is_refused_at_the_second_row(app, client, create_user, login):
    login(create_user("social_worker"))
    twice = [*MEMBERS, {"full_name": "zosia  ŻMIJEWSKA", "birth_date": "04.05.2019", "relation": "child",
                        "sex": "woman"}]
    response = client.post("/families/new", data=registration(members=twice))
    assert response.status_code == 422
    assert error_at(response.get_data(as_text=True), "members-3-full_name") == (
        "Tę osobę wpisano już wyżej (to samo imię i nazwisko oraz data urodzenia).")
    assert _count(app, Family) == 0
    # twins: the same day, other names
    twins = [*MEMBERS, {"full_name": "Jaś Żmijewski", "birth_date": "2019-05-04", "relation": "child", "sex": "man"}]
    register(client, members=twins)


def test_a_correspondence_address_equal_to_the_residence_is_not_kept(app, client, create_user, login):
    login(create_user("social_worker"))
    family_id = register(client, corr_street="ul.  Zaborska 17 m. 3", corr_postal_code="32-600", corr_town="oświęcim")
    with app.app_context():
        family = db.session.get(Family, family_id)
        assert (family.corr_street, family.corr_postal_code, family.corr_town) == ("", "", "")
    response = client.post(f"/families/{family_id}/address", data={
        "street": "ul. Krótka 2", "postal_code": "32-602", "town": "Oświęcim",
        "corr_street": "ul. Krótka 2", "corr_postal_code": "32-602", "corr_town": "Oświęcim"})
    assert response.status_code == 302
    with app.app_context():
        family = db.session.get(Family, family_id)
        assert family.street == "ul. Krótka 2" and family.corr_street == ""
    assert "jak adres zamieszkania" in client.get(f"/families/{family_id}").get_data(as_text=True)


def test_search_reads_a_pasted_pesel_and_name_as_registration_does(client, create_user, login):
    login(create_user("social_worker"))
    register(client)
    for query in ("８８０３１５０４５８０", "880315\u201304580", "88031504580\u200b", "Żmi\u00adjewska", "łucja\u200b"):
        page = client.get("/families", query_string={"q": query}).get_data(as_text=True)
        assert "Łucja Żmijewska" in page, query
    page = client.get("/families", query_string={"q": "88031504581"}).get_data(as_text=True)
    assert "Łucja Żmijewska" not in page  # a wrong checksum matches no number, not even in part


def test_correcting_a_pesel_on_the_member_page_needs_no_other_field(app, client, create_user, login):
    login(create_user("social_worker"))
    family_id = register(client)
    with app.app_context():
        member = db.session.execute(db.select(FamilyMember).where(FamilyMember.pesel == "88031504580")).scalar_one()
        member_id = member.id
    page = client.get(f"/families/{family_id}/members/{member_id}").get_data(as_text=True)
    assert 'value="1988-03-15"' not in page  # the date follows from the PESEL: not typed again
    # a typo in the PESEL (another day, the other sex) is corrected in the PESEL alone
    response = client.post(f"/families/{family_id}/members/{member_id}", data={
        "full_name": "Łucja Żmijewska", "pesel": "90110302640", "birth_date": "", "relation": "mother", "sex": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        member = db.session.get(FamilyMember, member_id)
        assert member.birth_date == dt.date(1990, 11, 3) and member.sex == "woman"


def _token(page: str) -> str:
    match = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', page) or re.search(
        r'type="hidden" name="submission" value="([0-9a-f]{32})"', page) or re.search(
        r'id="submission" name="submission" type="hidden" value="([0-9a-f]{32})"', page)
    assert match, "the registration form carries no submission token"
    return match.group(1)


def test_the_same_registration_form_sent_twice_registers_one_family(app, client, create_user, login):
    login(create_user("social_worker"))
    token = _token(client.get("/families/new").get_data(as_text=True))
    first = client.post("/families/new", data=registration(submission=token))
    assert first.status_code == 302
    second = client.post("/families/new", data=registration(submission=token), follow_redirects=True)
    assert second.status_code == 200 and second.request.path == first.location
    assert "Ten formularz już wysłano" in second.get_data(as_text=True)
    assert _count(app, Family) == _count(app, Case) == 1
    # a form shown again (an error, a row added) keeps its token; a new form has a new one
    kept = client.post("/families/new", data=registration(submission=token, add_row="1")).get_data(as_text=True)
    assert _token(kept) == token
    assert _token(client.get("/families/new").get_data(as_text=True)) != token
    register(client)  # no token (a page from before the change): registered as before
    assert _count(app, Family) == 2
