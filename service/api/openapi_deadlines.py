"""The OpenAPI description of the deadlines' routes (service/api/deadlines.py). Merged into
/api/openapi.json by service/api/openapi.py."""
from __future__ import annotations

from typing import Any

from ..families.deadlines import LABELS, STATUS_LABELS
from .responses import common_responses, json_body, obj, ref

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_DATE = {"type": "string", "format": "date"}
_STAFF = {"oneOf": [{"type": "null"}, obj({"id": {"type": "integer"}, "name": _STRING})]}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Deadline": obj({
        "kind": {"enum": list(LABELS)}, "label": _STRING,
        "family_id": {"type": ["integer", "null"], "description": "null: własne sprawozdanie asystenta"},
        "case_sign": _NULLABLE_STRING, "due": _DATE,
        "status": {"enum": list(STATUS_LABELS), "description": "overdue – zaległy; soon – w ciągu 7 dni; "
                                                              "later – później; met – spełniony"},
        "status_label": _STRING, "when": {"type": "string", "description": "np. „zaległe od 3 dni”"},
        "responsible": {"enum": ["assistant", "social_worker"]}, "assistant": _STAFF, "social_worker": _STAFF,
        "met_by": {"type": ["string", "null"], "description": "Identyfikator dokumentu, który spełnił termin"},
        "met_on": {"type": ["string", "null"], "format": "date"},
        "period": {"type": ["string", "null"], "description": "Miesiąc sprawozdania, RRRR-MM"},
        "uid": _STRING}),
    "DeadlineList": obj({"today": {**_DATE, "description": "Dzień, na który policzono stan (Europe/Warsaw)"},
                         "deadlines": {"type": "array", "items": ref("Deadline")}}),
}


def deadline_paths() -> dict[str, Any]:
    """The deadlines' paths of the OpenAPI document."""
    family_id = {"name": "family_id", "in": "path", "required": True, "description": "Identyfikator rodziny",
                 "schema": {"type": "integer"}}
    return {
        "/api/families/{family_id}/deadlines": {"get": {
            "summary": "Terminy pracy z rodziną (także spełnione), od najwcześniejszego",
            "operationId": "getFamilyDeadlines", "parameters": [family_id],
            "responses": {"200": {"description": "Terminy", **json_body(ref("DeadlineList"))},
                          **common_responses("NotFound")}}},
        "/api/deadlines": {"get": {
            "summary": "Twoje terminy: asystenta – jego rodzin i sprawozdań z czasu pracy; pracownika socjalnego – "
                       "rodzin, których sprawy prowadzi; kierownika i koordynatora – wszystkie",
            "operationId": "listDeadlines",
            "responses": {"200": {"description": "Terminy", **json_body(ref("DeadlineList"))},
                          **common_responses()}}},
    }
