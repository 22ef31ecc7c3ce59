"""Edge cases of documents filled from the family's file and of assignments, found by trying them
as staff would: an override of one prefilled value, future-dated reassignment, the limit."""
from __future__ import annotations

import datetime as dt

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
    # nothing sent for the principal: the file's values, as before
    response = client.post("/api/documents/zz_power_of_attorney", headers=headers,
                           json={"family_id": family_id, **POA_EXTRAS})
    assert response.status_code == 201, response.get_json()
