"""Helpers of the family pages' tests: a registration post, registering through the page."""
from __future__ import annotations

import re
from typing import Any

MEMBERS = [
    {"full_name": "Łucja Żmijewska", "pesel": "88031504580", "relation": "mother"},
    {"full_name": "Grzegorz Żmijewski", "pesel": "85072212339", "relation": "father"},
    {"full_name": "Zosia Żmijewska", "birth_date": "2019-05-04", "relation": "child", "sex": "woman"},
]
BASES = {
    "request": {"request_date": "2026-01-20"},
    "court": {"court_name": "Sąd Rejonowy w Oświęcimiu", "court_division": "III Wydział Rodzinny i Nieletnich",
              "court_case_number": "III Nsm 77/26", "court_decision_date": "2026-01-10"},
    "referral": {"institution_name": "Szkoła Podstawowa nr 3 w Oświęcimiu", "letter_date": "2026-01-12",
                 "letter_number": "SP3.4420.15.2026"},
    "zz_application": {"application_date": "2026-01-18", "situation": "pregnancy"},
}


def registration(members: list[dict[str, Any]] | None = None, kind: str = "request", **extra: Any) -> dict[str, Any]:
    """The form post of /families/new: members as members-<i>-<field>, the address, the basis."""
    data: dict[str, Any] = {"street": "ul. Zaborska 17 m. 3", "postal_code": "32-600", "town": "Oświęcim",
                            "basis_kind": kind, **BASES.get(kind, {})}
    for i, member in enumerate(MEMBERS if members is None else members):
        for key, value in member.items():
            data[f"members-{i}-{key}"] = value
    data.update(extra)
    return data


def register(client, **kwargs) -> int:
    """Registers a family through the page (the client is logged in); returns its id."""
    response = client.post("/families/new", data=registration(**kwargs))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(re.search(r"/families/(\d+)$", response.location).group(1))


def error_at(page: str, field_id: str) -> str:
    """The message shown at the field with this id ("" if none)."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', page)
    return match.group(1) if match else ""
