"""The OpenAPI description of the families' routes (service/api/families.py): paths, request
bodies with examples, and the shapes of service/api/family_json.py. Merged into /api/openapi.json
by service/api/openapi.py."""
from __future__ import annotations

from typing import Any

from ..documents import fields as common
from ..families.json_input import ASSIGNMENT_FIELDS
from ..families.models import BASIS_KINDS, RELATIONS
from ..families.registration import BASIS_CHOICES, BASIS_FIELDS, MEMBER_FIELDS, MEMBERS, Declaration
from .responses import common_responses, error, json_body, obj, ref
from .schema import field_schema, object_schema

# The bounds of GET /api/families that this description states and service/api/families.py enforces.
PER_PAGE = 50    # families per answer unless `limit` says otherwise
MAX_PER_PAGE = 200
MAX_QUERY = 200  # characters: a name is at most 160, a PESEL 11
MAX_PAGE = 10**6

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_DATE = {"type": "string", "format": "date"}
_NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
_TIME = {"type": "string", "format": "date-time"}
_URL = {"type": "string", "format": "uri"}
_STAFF = {"oneOf": [{"type": "null"}, obj({"login": _STRING, "name": _STRING})]}
_ADDRESS = obj({"street": _STRING, "postal_code": _STRING, "town": _STRING})
_FAMILY_ID = {"name": "family_id", "in": "path", "required": True, "description": "Identyfikator rodziny",
              "schema": {"type": "integer"}}
_LINKS = obj({"self": _URL, "documents": _URL, "assignments": _URL})


def _address_request(required: bool) -> dict[str, Any]:
    specs = common.address()
    return {"type": "object", "additionalProperties": False,
            "properties": {s.name: field_schema(s) for s in specs},
            **({"required": [s.name for s in specs]} if required else {})}


def registration_schema() -> dict[str, Any]:
    """The JSON Schema of a POST /api/families body (families.json_input.read_family_json)."""
    members = object_schema(MEMBER_FIELDS)
    members["description"] = "Numer PESEL albo data urodzenia każdej osoby."
    basis_names = [n for names in BASIS_FIELDS.values() for n in names]
    basis = {"type": "object", "additionalProperties": False, "required": ["kind"],
             "description": "Rodzaj podstawy i jej pola: request – request_date; court – court_name, court_division, "
                            "court_case_number, court_decision_date; referral – institution_name, letter_date, "
                            "letter_number; zz_application – application_date, situation.",
             "properties": {"kind": {"type": "string", "enum": [k for k, _ in BASIS_CHOICES],
                                     "title": "Podstawa objęcia wsparciem"},
                            **{n: field_schema(Declaration.field(n)) for n in basis_names}}}
    correspondence = _address_request(False)
    correspondence["description"] = "Tylko gdy inny niż adres zamieszkania: cały albo wcale."
    return {"type": "object", "additionalProperties": False, "required": ["members", "address", "basis"],
            "properties": {
                "members": {"type": "array", "title": MEMBERS.label, "minItems": 1, "maxItems": MEMBERS.max_entries,
                            "items": members},
                "address": _address_request(True), "correspondence_address": correspondence, "basis": basis,
                "social_worker": {**field_schema(Declaration.field("social_worker")),
                                  "description": "Login pracownika socjalnego prowadzącego sprawę; pracownik "
                                                 "socjalny zakładający teczkę jest nim, gdy pole pominie."}}}


REGISTRATION_EXAMPLE = {
    "members": [{"full_name": "Anna Kowalska", "pesel": "88031504580", "relation": "mother",
                 "phone": "600 100 200"},
                {"full_name": "Jan Kowalski", "pesel": "85072212339", "relation": "father"},
                {"full_name": "Zosia Kowalska", "birth_date": "2016-05-04", "relation": "child", "sex": "woman"}],
    "address": {"street": "ul. Słowackiego 12 m. 4", "postal_code": "32-600", "town": "Oświęcim"},
    "basis": {"kind": "request", "request_date": "2026-11-20"},
}
ASSIGNMENT_EXAMPLE = {"assistant": "asystent1", "start_date": "2026-12-01"}

_MEMBER = obj({"id": {"type": "integer"}, "full_name": _STRING, "pesel": _NULLABLE_STRING,
               "birth_date": _NULLABLE_DATE, "adult": {"type": ["boolean", "null"],
                                                       "description": "Pełnoletni dziś (null: brak daty urodzenia)."},
               "relation": {"enum": list(RELATIONS)}, "relation_label": _STRING, "sex": _STRING,
               "phone": _STRING, "email": _STRING, "left_on": _NULLABLE_DATE})
_ASSIGNMENT = obj({"id": {"type": "integer"}, "assistant": _STAFF, "start_date": _DATE, "end_date": _NULLABLE_DATE,
                   "current": {"type": "boolean"}, "took_effect": {"type": "boolean"}})

SCHEMAS: dict[str, dict[str, Any]] = {
    "Assignment": _ASSIGNMENT,
    "AssignmentCreated": {**_ASSIGNMENT, "properties": {**_ASSIGNMENT["properties"],
                                                         "links": obj({"family": _URL, "assignments": _URL})},
                          "required": [*_ASSIGNMENT["required"], "links"]},
    "FamilyDocument": obj({"id": _STRING, "type": _STRING, "title": _STRING, "created_at": _TIME, "author": _STRING,
                           "signed": {"type": "boolean"}, "signing": ref("Signing"),
                           "links": obj({"self": _URL, "pdf": _URL})}),
    "FamilySummary": obj({"id": {"type": "integer"}, "case_sign": _STRING, "name": _STRING, "support": _STRING,
                          "basis_kind": {"enum": list(BASIS_KINDS)}, "town": _STRING, "assistant": _STAFF,
                          "social_worker": _STAFF, "links": _LINKS}),
    "Family": obj({
        "id": {"type": "integer"}, "case_sign": _STRING, "case_title": _STRING, "name": _STRING,
        "support": _STRING, "support_label": _STRING, "origin": _STRING, "created_at": _TIME,
        "members": {"type": "array", "items": _MEMBER},
        "address": _ADDRESS, "correspondence_address": {"oneOf": [{"type": "null"}, _ADDRESS]},
        "basis": obj({"kind": {"enum": list(BASIS_KINDS)}, "label": _STRING, "data": {"type": "object"}}),
        "social_worker": _STAFF, "assistant": _STAFF,
        "assignments": {"type": "array", "items": ref("Assignment")},
        "documents": {"type": "array", "items": ref("FamilyDocument")},
        "changes": {"type": "array", "items": obj({"at": _TIME, "by": _STAFF, "what": _STRING,
                                                   "before": {"type": "object"}, "after": {"type": "object"}})},
        "links": _LINKS}),
    "FamilyList": obj({"families": {"type": "array", "items": ref("FamilySummary")},
                       "page": {"type": "integer"}, "limit": {"type": "integer"},
                       "has_more": {"type": "boolean", "description": "Czy jest następna strona."}}),
}


def _invalid(description: str = "Błędne dane: komunikaty przy polach") -> dict[str, Any]:
    return {"description": description, **json_body(ref("FieldErrors"))}


def _created(schema: str, description: str, where: str) -> dict[str, Any]:
    return {"description": description,
            "headers": {"Location": {"description": where, "required": True, "schema": _URL}},
            **json_body(ref(schema))}


def family_paths() -> dict[str, Any]:
    """The families' paths of the OpenAPI document."""
    registration = json_body(registration_schema())
    registration["content"]["application/json"]["example"] = REGISTRATION_EXAMPLE
    assignment = json_body({"type": "object", "additionalProperties": False, "required": ["assistant", "start_date"],
                            "properties": {s.name: field_schema(s) for s in ASSIGNMENT_FIELDS}})
    assignment["content"]["application/json"]["example"] = ASSIGNMENT_EXAMPLE
    paging = [{"name": "page", "in": "query", "required": False, "description": "Która strona (od 1)",
               "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
              {"name": "limit", "in": "query", "required": False,
               "description": f"Ile rodzin na stronie (domyślnie {PER_PAGE})",
               "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}}]
    return {
        "/api/families": {
            "get": {"summary": "Rodziny, które możesz przeglądać; wyszukiwanie po nazwisku lub numerze PESEL",
                    "operationId": "listFamilies",
                    "parameters": [{"name": "q", "in": "query", "required": False,
                                    "description": "Imię i nazwisko członka rodziny (w dowolnej kolejności, bez "
                                                   "względu na polskie litery i wielkość) albo dokładny PESEL",
                                    "schema": {"type": "string", "maxLength": MAX_QUERY}}, *paging],
                    "responses": {"200": {"description": "Lista, od najnowszej", **json_body(ref("FamilyList"))},
                                  "400": error("Znak sterujący w zapytaniu"),
                                  "422": _invalid("Błędne parametry zapytania"), **common_responses()}},
            "post": {"summary": "Załóż teczkę rodziny i otwórz jej sprawę", "operationId": "registerFamily",
                     "requestBody": {"required": True, **registration},
                     "responses": {
                         "201": _created("Family", "Założono teczkę rodziny", "Adres teczki rodziny"),
                         "409": error("Wystawianie wstrzymane: administrator musi uzupełnić i zatwierdzić profil "
                                      "urzędu (znak sprawy)"),
                         "422": _invalid(), **common_responses()}}},
        "/api/families/{family_id}": {"get": {
            "summary": "Teczka rodziny: członkowie, podstawa, przydziały, dokumenty, zmiany",
            "operationId": "getFamily", "parameters": [_FAMILY_ID],
            "responses": {"200": {"description": "Teczka", **json_body(ref("Family"))},
                          **common_responses("NotFound")}}},
        "/api/families/{family_id}/documents": {"get": {
            "summary": "Dokumenty w sprawie rodziny, ze stanem podpisywania", "operationId": "getFamilyDocuments",
            "parameters": [_FAMILY_ID],
            "responses": {"200": {"description": "Dokumenty, od najstarszego", **json_body(obj({
                "documents": {"type": "array", "items": ref("FamilyDocument")}}))},
                **common_responses("NotFound")}}},
        "/api/families/{family_id}/assignments": {
            "get": {"summary": "Przydziały asystentów rodziny, obecny i wcześniejsze",
                    "operationId": "getFamilyAssignments", "parameters": [_FAMILY_ID],
                    "responses": {"200": {"description": "Przydziały, od najstarszego", **json_body(obj({
                        "assignments": {"type": "array", "items": ref("Assignment")}}))},
                        **common_responses("NotFound")}},
            "post": {"summary": "Przydziel asystenta rodziny od dnia (kończy obecny przydział)",
                     "operationId": "assignAssistant", "parameters": [_FAMILY_ID],
                     "requestBody": {"required": True, **assignment},
                     "responses": {
                         "201": _created("AssignmentCreated", "Przydzielono", "Adres przydziałów rodziny"),
                         "409": error("Asystent prowadzi już najwyższą dopuszczalną liczbę rodzin (art. 15 ust. 4 "
                                      "ustawy o wspieraniu rodziny i systemie pieczy zastępczej)"),
                         "422": _invalid(), **common_responses("NotFound")}}},
    }
