"""Registering a family on its page: valid posts for each basis, each kind of bad input refused at
its field with what was typed kept, nothing stored on refusal, and the family's page that follows
(members of age and minors, the basis in Polish, the history)."""
from __future__ import annotations

import html

import pytest

from service.archive.models import AccessLog
from service.extensions import db
from service.families.models import Family, FamilyChange, FamilyMember
from tests.families.pages import BASES, MEMBERS, error_at, register, registration


def _count(app, model) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("kind", list(BASES))
def test_each_basis_kind_registers_with_its_fields_and_the_page_shows_them(app, client, create_user, login, kind):
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    login(worker)
    members = MEMBERS if kind != "zz_application" else [
        {"full_name": "Magdalena Wróbel", "pesel": "90110302640", "relation": "pregnant"}]
    family_id = register(client, members=members, kind=kind)
    page = html.unescape(client.get(f"/families/{family_id}").get_data(as_text=True))
    with app.app_context():
        family = db.session.get(Family, family_id)
        assert family.basis_kind == kind and family.basis == BASES[kind]
        assert family.social_worker_id == worker.id  # a social worker registering is in charge
        assert family.support == ("za_zyciem" if kind == "zz_application" else "family_support")
        sign = family.case.sign
        assert sign.startswith("MOPS.SPS.4012." if kind == "zz_application" else "MOPS.SPS.4011.")
        changes = db.session.execute(db.select(FamilyChange).where(FamilyChange.family_id == family_id)).scalars().all()
        assert [(c.what, c.by_id) for c in changes] == [("registered", worker.id)]
        views = db.session.execute(db.select(AccessLog).where(
            AccessLog.action == "view", AccessLog.object_type == "family", AccessLog.family_id == family_id)).scalars().all()
        assert [v.user_id for v in views] == [worker.id]
    assert sign in page and "Tomasz Wójcik" in page and "Zarejestrowano rodzinę" in page
    for key, value in BASES[kind].items():
        if key.endswith("_date"):
            day, month, year = value[8:], value[5:7], value[:4]
            assert f"{int(day)} stycznia {year}\u00a0r." in page, key
        elif key == "situation":
            assert "ciąża" in page
        else:
            assert value in page, key
    assert 'Wystaw: Zgoda rodziny' in page or kind == "zz_application"


def test_the_flash_names_the_case_sign(client, create_user, login):
    login(create_user("head"))
    response = client.post("/families/new", data=registration(social_worker=""), follow_redirects=True)
    assert response.status_code == 200
    assert "Zarejestrowano rodzinę. Znak sprawy: MOPS.SPS.4011.1." in response.get_data(as_text=True)


def test_minors_and_adults_follow_from_pesel_and_birth_dates(app, client, create_user, login):
    login(create_user("social_worker"))
    family_id = register(client, members=[
        {"full_name": "Łucja Żmijewska", "pesel": "88031504580", "relation": "mother"},
        {"full_name": "Antoni Żmijewski", "pesel": "15250112311", "relation": "child"},  # 1 May 2015
        {"full_name": "Zosia Żmijewska", "birth_date": "2019-05-04", "relation": "child", "sex": "woman"},
        {"full_name": "Helena Nowak", "birth_date": "1950-02-03", "relation": "grandparent", "sex": "woman"},
    ])
    page = client.get(f"/families/{family_id}").get_data(as_text=True)
    page = page[page.index("<tbody>"):]  # the members' table
    rows = {name: page[page.index(name):page.index("</tr>", page.index(name))]
            for name in ("Łucja Żmijewska", "Antoni Żmijewski", "Zosia Żmijewska", "Helena Nowak")}
    assert "osoba pełnoletnia" in rows["Łucja Żmijewska"] and "PESEL 88031504580" in rows["Łucja Żmijewska"]
    assert "osoba niepełnoletnia" in rows["Antoni Żmijewski"]
    assert "osoba niepełnoletnia" in rows["Zosia Żmijewska"] and "ur. 4 maja 2019" in rows["Zosia Żmijewska"]
    assert "osoba pełnoletnia" in rows["Helena Nowak"] and "ur. 3 lutego 1950" in rows["Helena Nowak"]
    with app.app_context():
        antoni = db.session.execute(db.select(FamilyMember).where(FamilyMember.full_name == "Antoni Żmijewski")).scalar_one()
        assert str(antoni.birth_date) == "2015-05-01" and antoni.sex == "man"  # from the PESEL


BAD = [
    # (what is wrong, the post's changes, the field id, the message at it)
    ("no PESEL and no date of birth", {"members-2-birth_date": ""}, "members-2-birth_date",
     "Podaj numer PESEL albo datę urodzenia."),
    ("PESEL and date of birth disagree", {"members-0-birth_date": "1988-03-16"}, "members-0-birth_date",
     "Data urodzenia nie zgadza się z numerem PESEL."),
    ("two members with one PESEL", {"members-1-pesel": "88031504580"}, "members-1-pesel",
     "Ten numer PESEL wpisano już przy innym członku rodziny."),
    ("a wrong PESEL checksum", {"members-0-pesel": "88031504581"}, "members-0-pesel", "błędna cyfra kontrolna"),
    ("a member without a name", {"members-1-full_name": ""}, "members-1-full_name", "To pole jest wymagane."),
    ("a partial correspondence address", {"corr_street": "ul. Krótka 1"}, "corr_postal_code",
     "Podaj cały adres do korespondencji albo zostaw go pusty."),
    ("a bad postal code", {"postal_code": "32600"}, "postal_code", "Kod pocztowy w formacie 00-000"),
    ("no basis chosen", {"basis_kind": ""}, "basis_kind", "To pole jest wymagane."),
    ("request without its date", {"request_date": ""}, "request_date", "To pole jest wymagane."),
    ("court without its case number", {"basis_kind": "court", **BASES["court"], "court_case_number": ""},
     "court_case_number", "To pole jest wymagane."),
    ("court with a bad case number", {"basis_kind": "court", **BASES["court"], "court_case_number": "zła/sygn"},
     "court_case_number", "Sygnatura akt jak na piśmie sądu"),
    ("referral without the letter's number", {"basis_kind": "referral", **BASES["referral"], "letter_number": ""},
     "letter_number", "To pole jest wymagane."),
    ("„Za życiem” without the situation", {"basis_kind": "zz_application", **BASES["zz_application"],
                                           "situation": ""}, "situation", "To pole jest wymagane."),
    ("a future date", {"request_date": "2999-01-01"}, "request_date", "Data nie może być późniejsza niż dzisiejsza."),
    ("an unknown social worker", {"social_worker": "nikt"}, "social_worker",
     "Nie ma aktywnego pracownika socjalnego o tym loginie."),
]


@pytest.mark.parametrize("what, changes, field_id, message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_at_its_field_and_what_was_typed_stays(app, client, create_user, login,
                                                                      what, changes, field_id, message):
    login(create_user("head"))
    data = {**registration(), **changes}
    response = client.post("/families/new", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422, what
    assert message in error_at(page, field_id), (what, error_at(page, field_id))
    assert f'href="#{field_id}' in page  # the error summary links to the field
    assert 'value="ul. Zaborska 17 m. 3"' in page and 'value="Łucja Żmijewska"' in page  # as typed
    assert _count(app, Family) == 0 and _count(app, FamilyMember) == 0


def test_nothing_typed_is_one_message_not_a_500(client, create_user, login):
    login(create_user("coordinator"))
    response = client.post("/families/new", data={"members-0-full_name": "\x00", "members-99999999999999999999-x": "y",
                                                  "basis_kind": "nonsense", "social_worker": "x" * 500})
    assert response.status_code == 422


def test_rows_are_added_and_removed_without_scripts(client, create_user, login):
    login(create_user("social_worker"))
    assert client.get("/families/new").get_data(as_text=True).count("data-row>") == 3
    added = client.post("/families/new", data=registration(add_row="1")).get_data(as_text=True)
    assert added.count("data-row>") == 4 and "To pole jest wymagane" not in added
    removed = html.unescape(client.post("/families/new", data=registration(remove_row="1")).get_data(as_text=True))
    assert "Grzegorz Żmijewski" not in removed and 'value="Zosia Żmijewska"' in removed
    assert 'id="members-1-full_name"' in removed and 'value="Łucja Żmijewska"' in removed


@pytest.mark.fresh_office
def test_registration_waits_for_the_office_profile(app, client, create_user, login):
    login(create_user("head"))
    response = client.post("/families/new", data=registration())
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409 and "profil" in page.lower()
    assert 'value="Grzegorz Żmijewski"' in page
    assert _count(app, Family) == 0
