"""A family's file made from documents alone: for cases opened before families existed (the 0010
migration) and for a document issued without a family (issuing.issue_document).

What a document knows of its family: the persons it names (a consent's signatories, an
authorisation's principal, an assignment letter's addressees), their PESEL and sex where given,
the address, and for an assignment letter the basis of support. Everything else stays empty, and
the basis "unknown" (do uzupełnienia), for staff to complete on the family's page.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from .people import birth_date_from_pesel, fold, sex_from_pesel

# The JRWA class keys of the document types (DocumentType.jrwa_key) are the supports.
SUPPORT_OF_CLASS = {"family_support": "family_support", "za_zyciem": "za_zyciem"}
_RELATION_WORDS = {"matka": "mother", "ojciec": "father", "opiekun prawny": "guardian", "opiekunka prawna": "guardian",
                   "opiekun": "guardian", "opiekunka": "guardian", "dziecko": "child", "syn": "child",
                   "córka": "child", "babcia": "grandparent", "dziadek": "grandparent"}
# Words of an addressee line before the names („Szanowni Państwo”, „Sz. P.”, „Rodzina”), and what
# follows a name without being one („wraz z dziećmi”, „z rodziną”).
_HONORIFIC = re.compile(r"^(?:(?:szanown[aiy]|sz\.|w\.?\s*p\.|p\.|rodzina|pani|pan|państwo|panie|panowie)\s+)+",
                        re.IGNORECASE)
_COMPANY = re.compile(r"\s+(?:wraz\s+z|razem\s+z|z)\s.*$", re.IGNORECASE)


def relation_from_text(text: str) -> str:
    """The relation key for a role typed in a document ('matka' -> 'mother'), else 'other'."""
    return _RELATION_WORDS.get(" ".join((text or "").lower().split()), "other")


# A document's „Płeć” choice (grammar.SEX_CHOICES: "f", "m") or the file's own words.
_SEXES = {"f": "woman", "m": "man", "woman": "woman", "man": "man"}


def _person(name: str, pesel: str = "", sex: str = "", relation: str = "other") -> dict[str, Any]:
    pesel = pesel if birth_date_from_pesel(pesel) else ""
    return {"full_name": name, "pesel": pesel or None, "birth_date": birth_date_from_pesel(pesel),
            "sex": sex_from_pesel(pesel) or _SEXES.get(sex, ""), "relation": relation}


def members_from_document(slug: str, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The persons a document names, as family-member values: full_name, pesel (or None),
    birth_date (from the PESEL, or None), sex ('woman', 'man' or ''), relation (a RELATIONS key)."""
    # a consent's and the rules' signatories, a request's whole family (children too)
    rows = {"family_consent": "persons", "cooperation_rules": "persons", "assistant_request": "members"}.get(slug)
    if rows:
        return [_person(p.get("full_name", ""), p.get("pesel") or "", p.get("sex") or "",
                        relation_from_text(p.get("role", ""))) for p in data.get(rows) or [] if p.get("full_name")]
    if slug == "zz_power_of_attorney" and data.get("principal_name"):
        return [_person(data["principal_name"], data.get("principal_pesel") or "", data.get("principal_sex") or "")]
    if slug == "assignment_letter" and data.get("addressee_name"):
        # "Pani Anna Kowalska i Pan Jan Kowalski": the names without their honorifics. A line
        # typed freely names no one by a first name and surname („Szanowni Państwo Kowalscy”,
        # „Rodzina Kowalskich”): a name is two or more words, the first and the last capitalised
        # („Anna de Vries” is one); anything else is dropped.
        parts = re.split(r"\s*(?:,|\bi\b|\boraz\b)\s*", _COMPANY.sub("", data["addressee_name"]))
        found = []
        for part in parts:
            name = _HONORIFIC.sub("", part).strip()
            if len(name.split()) >= 2 and name[0].isupper() and name.split()[-1][0].isupper():
                # „Pani” or „Pan” directly before the name tells the sex
                word = part.split()[0].lower() if part.split() else ""
                found.append(_person(name, sex={"pani": "woman", "pan": "man"}.get(word, "")))
        return found
    return []


def address_from_document(data: Mapping[str, Any]) -> dict[str, str]:
    """The address a document gives (street, postal_code, town), empty strings where it gives none."""
    return {key: str(data.get(key) or "") for key in ("street", "postal_code", "town")}


def basis_from_document(slug: str, data: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """(basis_kind, basis) an assignment letter or a social worker's request states; ("unknown", {})
    for any other document."""
    if slug == "assistant_request" and data.get("request_date") and not data.get("court_ordered"):
        return "request", {"request_date": str(data["request_date"])}
    if slug == "assignment_letter" and data.get("basis") == "request" and data.get("request_date"):
        return "request", {"request_date": str(data["request_date"])}
    if slug == "assignment_letter" and data.get("basis") == "court":
        return "court", {"court_name": str(data.get("court_name") or ""),
                         "court_case_number": str(data.get("court_case_number") or ""),
                         "court_decision_date": str(data.get("court_decision_date") or "")}
    return "unknown", {}


def _same_person(members: list[dict[str, Any]], person: dict[str, Any]) -> dict[str, Any] | None:
    """The earlier member who is `person`: the same PESEL, or the same name (folded) where one of
    the two has no PESEL (a consent's „Anna Kowalska” with her PESEL and a letter's „Pani Anna
    Kowalska” are one person; a father and a son of one name with two PESELs are two)."""
    name = fold(person["full_name"])
    for member in members:
        if person["pesel"] and member["pesel"] == person["pesel"]:
            return member
        if fold(member["full_name"]) == name and not (person["pesel"] and member["pesel"]):
            return member
    return None


def _complete(member: dict[str, Any], person: dict[str, Any]) -> None:
    """Fills what the earlier mention of a member lacked from a later one (PESEL, date of birth,
    sex, a relation other than 'other')."""
    for key in ("pesel", "birth_date", "sex"):
        if not member[key] and person[key]:
            member[key] = person[key]
    if member["relation"] == "other":
        member["relation"] = person["relation"]


def file_from_documents(documents: list[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
    """What the documents of one case (slug, data), oldest first, tell of its family: members (each
    person once: _same_person; the first mention wins, later ones fill what it lacked), address (the latest document's),
    basis_kind and basis (the latest assignment letter's)."""
    members: list[dict[str, Any]] = []
    address = {"street": "", "postal_code": "", "town": ""}
    basis_kind, basis = "unknown", {}
    for slug, data in documents:
        for person in members_from_document(slug, data):
            same = _same_person(members, person)
            if same is None:
                members.append(person)
            else:
                _complete(same, person)
        found = address_from_document(data)
        if any(found.values()):
            address = found
        kind, found_basis = basis_from_document(slug, data)
        if kind != "unknown":
            basis_kind, basis = kind, found_basis
    return {"members": members, "address": address, "basis_kind": basis_kind, "basis": basis}


def files_for_existing_cases(connection: sa.engine.Connection) -> int:
    """Makes a family's file for every case that has none (the 0010 migration); returns how many.

    Works on the tables as revision 0010 creates them (SQLAlchemy Core, no ORM models, which
    follow later revisions). The case's assignee becomes the social worker in charge, or, for an
    assistant, the assistant assigned from the day the case was opened; the head's cases get
    neither (the head sees every family).
    """
    meta = sa.MetaData()
    cases, documents, users, families, members, assignments, changes = (
        sa.Table(name, meta, autoload_with=connection)
        for name in ("cases", "documents", "users", "families", "family_members", "assignments", "family_changes"))
    made = 0
    existing = {row.case_id for row in connection.execute(sa.select(families.c.case_id))}
    for case in connection.execute(sa.select(cases).order_by(cases.c.id)).all():
        if case.id in existing:
            continue
        docs = connection.execute(sa.select(documents.c.slug, documents.c.data)
                                  .where(documents.c.case_id == case.id).order_by(documents.c.created_at)).all()
        found = file_from_documents([(d.slug, d.data or {}) for d in docs])
        role = connection.execute(sa.select(users.c.role).where(users.c.id == case.assignee_id)).scalar()
        created = case.created_at
        family_id = connection.execute(families.insert().values(
            case_id=case.id, support=SUPPORT_OF_CLASS.get(case.jrwa_key, "family_support"),
            basis_kind=found["basis_kind"], basis=found["basis"], **found["address"],
            corr_street="", corr_postal_code="", corr_town="",
            social_worker_id=case.assignee_id if role == "social_worker" else None,
            origin="migration", created_at=created, created_by_id=None, updated_at=None)
            .returning(families.c.id)).scalar()
        for position, person in enumerate(found["members"]):
            connection.execute(members.insert().values(
                family_id=family_id, position=position, full_name=person["full_name"][:160],
                name_folded=fold(person["full_name"])[:160], pesel=person["pesel"], birth_date=person["birth_date"],
                sex=person["sex"], relation=person["relation"], phone="", email="", left_on=None))
        if role == "assistant":
            start = created.date() if isinstance(created, dt.datetime) else dt.date.today()
            connection.execute(assignments.insert().values(
                family_id=family_id, assistant_id=case.assignee_id, start_date=start, end_date=None,
                created_at=created, created_by_id=None, ended_by_id=None))
        connection.execute(changes.insert().values(family_id=family_id, at=created, by_id=None, what="registered",
                                                   before={}, after={"origin": "migration"}))
        made += 1
    return made
