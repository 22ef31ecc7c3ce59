"""Edge cases of documents filled from the family's file and of assignments, found by trying them
as staff would: an override of one prefilled value, future-dated reassignment, the limit."""
from __future__ import annotations

import datetime as dt
import re

from service.documents.context import office_today

TODAY = office_today()
ADDRESS = {"street": "ul. Zwycięstwa 5", "postal_code": "32-600", "town": "Oświęcim"}


def _za_zyciem(client, headers, social_worker: str) -> int:
    body = {"members": [{"full_name": "Magdalena Wróbel", "pesel": "90110302640", "relation": "pregnant"}],
            "address": ADDRESS, "social_worker": social_worker,
            "basis": {"kind": "zz_application", "application_date": "2026-11-02", "situation": "pregnancy"}}
    response = client.post("/api/families", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


POA_EXTRAS = {"scope": "general", "actions": ["obtain_information"], "valid_from": TODAY.isoformat(),
              "institutions": [{"name": "Urząd Miasta Oświęcim"}]}


def test_an_overridden_person_takes_none_of_the_files_values_for_that_person(client, create_user, api_token):
    # principal_name alone sent: the file's PESEL (and phone) of another person must not be kept
    # under the new name; the client is asked for that person's PESEL instead.
    head = create_user("head")
    worker = create_user("social_worker")
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    headers = api_token(head)
    family_id = _za_zyciem(client, headers, worker.login)
    assigned = client.post(f"/api/families/{family_id}/assignments", headers=headers,
                           json={"assistant": assistant.login, "start_date": "2026-11-02"})
    assert assigned.status_code == 201
    response = client.post("/api/documents/zz_power_of_attorney", headers=headers,
                           json={"family_id": family_id, "principal_name": "Jan Wróbel", **POA_EXTRAS})
    assert response.status_code == 422, response.get_json()
    assert "principal_pesel" in response.get_json()["errors"]
    # the same person named with their own PESEL issues; the address sent in part is asked for whole
    response = client.post("/api/documents/zz_power_of_attorney", headers=headers,
                           json={"family_id": family_id, "principal_name": "Jan Wróbel",
                                 "principal_pesel": "85072212339", "street": "ul. Inna 1", **POA_EXTRAS})
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["errors"]) == {"postal_code", "town"}
    response = client.post("/api/documents/zz_power_of_attorney", headers=headers,
                           json={"family_id": family_id, "principal_name": "Jan Wróbel",
                                 "principal_pesel": "85072212339", **POA_EXTRAS})
    assert response.status_code == 201, response.get_json()
    # a value the file lacks, or one sent unchanged, keeps the file's partners
    response = client.post("/api/documents/zz_power_of_attorney", headers=headers,
                           json={"family_id": family_id, "principal_phone": "600 100 200",
                                 "principal_name": "Magdalena Wróbel", "street": "ul. Zwycięstwa 5", **POA_EXTRAS})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["principal_pesel"] == "90110302640"
    # nothing sent for the principal: the file's values, as before
    response = client.post("/api/documents/zz_power_of_attorney", headers=headers,
                           json={"family_id": family_id, **POA_EXTRAS})
    assert response.status_code == 201, response.get_json()


def test_an_assistant_keeps_the_family_until_the_assignment_ends(client, create_user, api_token, app):
    # The head reassigns from a later date (or ends the assignment on a later date): the old
    # assistant still works with the family until then, so still reads it and it still counts
    # towards their limit; after the end date it is gone.
    from service.families.settings import set_family_limit
    from tests.families.files import ORIGIN

    head = create_user("head")
    worker = create_user("social_worker")
    old, new = create_user("assistant"), create_user("assistant")
    headers, old_headers = api_token(head), api_token(old)
    first, second = _za_zyciem(client, headers, worker.login), _za_zyciem(client, headers, worker.login)
    start = (TODAY - dt.timedelta(days=30)).isoformat()
    for family_id in (first, second):
        assert client.post(f"/api/families/{family_id}/assignments", headers=headers,
                           json={"assistant": old.login, "start_date": start}).status_code == 201
    later = (TODAY + dt.timedelta(days=14)).isoformat()
    assert client.post(f"/api/families/{first}/assignments", headers=headers,
                       json={"assistant": new.login, "start_date": later}).status_code == 201
    assert client.get(f"/api/families/{first}", headers=old_headers).status_code == 200
    assert client.get(f"/api/families/{first}", headers=api_token(new)).status_code == 200
    # the old assistant still has two families until the day before `later`: a limit of 2 refuses a third
    with app.test_request_context():
        from service.accounts.models import User
        from service.extensions import db
        set_family_limit(db.session, db.session.get(User, head.id), ORIGIN, 2)
    third = _za_zyciem(client, headers, worker.login)
    refused = client.post(f"/api/families/{third}/assignments", headers=headers,
                          json={"assistant": old.login, "start_date": TODAY.isoformat()})
    assert refused.status_code == 409 and "2 rodziny" in refused.get_json()["error"]
    # an assignment that ended yesterday frees the place and hides the family
    with app.test_request_context():
        from service.accounts.models import User
        from service.extensions import db
        from service.families.assignments import end_assignment
        from service.families.models import Family
        end_assignment(db.session, db.session.get(User, head.id), ORIGIN, db.session.get(Family, second),
                       TODAY - dt.timedelta(days=1))
    assert client.get(f"/api/families/{second}", headers=old_headers).status_code == 404
    assert client.post(f"/api/families/{third}/assignments", headers=headers,
                       json={"assistant": old.login, "start_date": TODAY.isoformat()}).status_code == 201


def _family_of_document(client, headers, response) -> dict:
    assert response.status_code == 201, response.get_json()
    found = client.get("/api/families", headers=headers).get_json()["families"]
    case = response.get_json()["case_sign"]
    family_id = next(f["id"] for f in found if f["case_sign"] == case)
    return client.get(f"/api/families/{family_id}", headers=headers).get_json()


def test_a_letters_free_text_addressee_gives_only_persons_names(client, create_user, api_token):
    # A document issued without a family (and the 0010 migration, by the same function) makes the
    # family's members from the addressee line: salutations, plural surnames and „wraz z dziećmi”
    # are no member's name.
    from service.documents.registry import DOCUMENT_TYPES

    worker = create_user("social_worker")
    headers = api_token(worker)
    expected = {
        "Szanowni Państwo Kowalscy": [],
        "Pani Anna Nowak-Kowalska wraz z dziećmi": ["Anna Nowak-Kowalska"],
        "Szanowna Pani Ewa Lis z rodziną": ["Ewa Lis"],
        "Pani Anna de Vries": ["Anna de Vries"],
        "Rodzina Kowalskich": [],
        "Pani Anna Kowalska i Pan Jan Kowalski": ["Anna Kowalska", "Jan Kowalski"],
        "Олена Коваленко i Андрій Коваленко": ["Олена Коваленко", "Андрій Коваленко"],
    }
    sample = DOCUMENT_TYPES["assignment_letter"].sample_data
    for addressee, names in expected.items():
        response = client.post("/api/documents/assignment_letter", headers=headers,
                               json={**sample, "addressee_name": addressee})
        family = _family_of_document(client, headers, response)
        assert [m["full_name"] for m in family["members"]] == names, addressee


def test_a_person_of_unknown_age_named_in_a_consent_consents_again(client, create_user, api_token):
    # A consent's person without a PESEL gives a member with no date of birth: the file cannot tell
    # their age, but they consented as an adult, so the next consent names them again (a child
    # still never: the relation says so).
    from service.documents.registry import DOCUMENT_TYPES

    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    headers = api_token(worker)
    sample = DOCUMENT_TYPES["family_consent"].sample_data
    persons = [{"full_name": "Anna Kowalska", "sex": "f", "role": "matka"},
               {"full_name": "Jan Kowalski", "pesel": "85072212339", "role": "ojciec"}]
    response = client.post("/api/documents/family_consent", headers=headers, json={**sample, "persons": persons})
    family = _family_of_document(client, headers, response)
    assert [m.get("sex") for m in family["members"]] == ["woman", "man"]  # the consent's „Płeć” kept
    again = client.post("/api/documents/family_consent", headers=headers,
                        json={"family_id": family["id"], "consent_date": TODAY.isoformat()})
    assert again.status_code == 201, again.get_json()
    named = client.get(again.get_json()["links"]["self"], headers=headers).get_json()["data"]["persons"]
    assert [p["full_name"] for p in named] == ["Anna Kowalska", "Jan Kowalski"]


def test_adults_the_consent_has_no_row_for_are_named_on_the_form(client, create_user, api_token, login):
    # Six adults, a consent of at most four persons: the form says who is left out, so the staff
    # member issues a second consent for them rather than lose them unnoticed.
    import html

    head = create_user("head")
    relations = ["mother", "father", "grandparent", "sibling", "other", "partner"]
    members = [{"full_name": f"{first} Wielka", "birth_date": f"19{70 + i}-01-01", "sex": "woman", "relation": r}
               for i, (first, r) in enumerate(zip(["Anna", "Beata", "Celina", "Dorota", "Ewa", "Fiona"], relations))]
    body = {"members": members, "address": ADDRESS, "basis": {"kind": "request", "request_date": "2026-11-02"}}
    response = client.post("/api/families", json=body, headers=api_token(head))
    assert response.status_code == 201, response.get_json()
    login(head)
    page = html.unescape(client.get(f"/families/{response.get_json()['id']}/documents/new/family_consent")
                         .get_data(as_text=True))
    assert 'value="Dorota Wielka"' in page and 'value="Ewa Wielka"' not in page
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "zabrakło miejsca w tym dokumencie: Ewa Wielka i Fiona Wielka. Wystaw dla nich osobny dokument." in text
    couple = client.get("/families/1/documents/new/assignment_letter").get_data(as_text=True)
    assert "zabrakło miejsca" not in couple


def test_a_new_assignment_after_an_ended_one_does_not_overlap_it(client, create_user, api_token, app):
    # Ended on 20 November, then a new assistant „from 1 November”: two assistants on the same
    # days of the history. Refused at start_date; from the end date on it is accepted.
    from tests.families.files import ORIGIN

    head = create_user("head")
    worker = create_user("social_worker")
    first, second = create_user("assistant"), create_user("assistant")
    headers = api_token(head)
    family_id = _za_zyciem(client, headers, worker.login)
    assert client.post(f"/api/families/{family_id}/assignments", headers=headers,
                       json={"assistant": first.login, "start_date": "2026-10-01"}).status_code == 201
    with app.test_request_context():
        from service.accounts.models import User
        from service.extensions import db
        from service.families.assignments import end_assignment
        from service.families.models import Family
        end_assignment(db.session, db.session.get(User, head.id), ORIGIN, db.session.get(Family, family_id),
                       dt.date(2026, 11, 20))
    refused = client.post(f"/api/families/{family_id}/assignments", headers=headers,
                          json={"assistant": second.login, "start_date": "2026-11-01"})
    assert refused.status_code == 422, refused.get_json()
    assert "2026-11-20" in refused.get_json()["errors"]["start_date"][0]
    assert client.post(f"/api/families/{family_id}/assignments", headers=headers,
                       json={"assistant": second.login, "start_date": "2026-11-21"}).status_code == 201
    history = client.get(f"/api/families/{family_id}/assignments", headers=headers).get_json()["assignments"]
    assert [(a["start_date"], a["end_date"]) for a in history] == [("2026-10-01", "2026-11-20"), ("2026-11-21", None)]


def test_changes_to_the_file_leave_issued_documents_and_fill_the_next_ones(app, client, create_user, login):
    # A consent issued; then the address changes, a child is added, the father leaves, another
    # assistant takes over. The consent's data and files stay; the next consent has the new values.
    from service import pipeline
    from service.accounts.models import User
    from service.archive.models import DocumentRecord
    from service.documents.registry import DOCUMENT_TYPES
    from service.extensions import db
    from service.families import changes
    from service.families.assignments import assign_assistant
    from service.families.facts import prefill_for
    from service.families.models import Family
    from tests.families.files import ORIGIN, family_data, issue_consent, register

    head = create_user("head")
    first, second = create_user("assistant", full_name="Katarzyna Zielińska"), create_user("assistant", full_name="Piotr Nowy")
    with app.test_request_context():
        family_id = register(head.id, family_data("Anna Kowalska", "Jan Kowalski", "Zosia Kowalska"),
                             assistant_id=first.id)
        doc_id = issue_consent(head.id, family_id)
        doc = db.session.get(DocumentRecord, doc_id)
        before = (dict(doc.data), doc.pdf_sha256, doc.docx_sha256)
        actor, family = db.session.get(User, head.id), db.session.get(Family, family_id)
        changes.change_address(db.session, actor, ORIGIN, family, {
            "street": "ul. Nowa 5", "postal_code": "32-602", "town": "Oświęcim",
            "corr_street": "", "corr_postal_code": "", "corr_town": ""})
        changes.add_member(db.session, actor, ORIGIN, db.session.get(Family, family_id), {
            "full_name": "Kuba Kowalski", "pesel": None, "birth_date": dt.date(2024, 6, 1), "relation": "child",
            "sex": "man", "phone": "", "email": ""})
        family = db.session.get(Family, family_id)
        father = next(m for m in family.members if m.full_name == "Jan Kowalski")
        changes.member_left(db.session, actor, ORIGIN, family, father, TODAY)
        assign_assistant(db.session, actor, ORIGIN, db.session.get(Family, family_id),
                         db.session.get(User, second.id), TODAY)
        doc = db.session.get(DocumentRecord, doc_id)
        assert (dict(doc.data), doc.pdf_sha256, doc.docx_sha256) == before
        store = pipeline(app).store
        assert store.read(doc.pdf_sha256, "pdf") and store.read(doc.docx_sha256, "docx")  # SHA-256 checked
        values = prefill_for(DOCUMENT_TYPES["family_consent"], db.session.get(Family, family_id))
    assert [p["full_name"] for p in values["persons"]] == ["Anna Kowalska"]
    assert (values["street"], values["postal_code"], values["assistant_name"]) == ("ul. Nowa 5", "32-602", "Piotr Nowy")
    login(head)
    page = client.get(f"/families/{family_id}").get_data(as_text=True)
    assert f'href="/archive/{doc_id}"' in page
