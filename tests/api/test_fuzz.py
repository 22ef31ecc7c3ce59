"""Schemathesis fuzzing of the JSON API, driven by its own /api/openapi.json: no answer is a 500,
and every answer (status code, content type, headers, body) is one the document describes.

Run once, on SQLite: the API's conformance does not depend on the database, and issuing goes
through real LibreOffice, so the examples per operation are bounded (EXAMPLES) and derandomised."""
from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_headers_conformance,
    response_schema_conformance, status_code_conformance)

from service.api.openapi import openapi_document
from service.api.openapi_families import ASSIGNMENT_EXAMPLE, REGISTRATION_EXAMPLE
from service.documents.registry import DOCUMENT_TYPES
from service.families.monthly_issue import REPORTS
from service.roles import Role

EXAMPLES = 8  # per operation and pass of generated data
EXISTING = 3  # per operation on the existing document: only the headers vary
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance,
               response_headers_conformance, response_schema_conformance]
OPERATIONS = sum(len(methods) for methods in openapi_document("http://localhost")["paths"].values())


@pytest.fixture
def api(app, client, create_user, api_token):
    """(schema, headers, real path parameters): the OpenAPI document as the app serves it, a head's
    token, the id of an issued document with an open signing session and that session's code, and
    a registered family (the assistant of the assignment example exists)."""
    headers = api_token(create_user("head"))
    create_user("assistant", login=ASSIGNMENT_EXAMPLE["assistant"])
    family = client.post("/api/families", json=REGISTRATION_EXAMPLE, headers=headers)
    assert family.status_code == 201, family.get_json()
    doctype = DOCUMENT_TYPES["family_consent"]
    issued = client.post(f"/api/documents/{doctype.slug}", json=doctype.sample_data, headers=headers)
    assert issued.status_code == 201, issued.get_json()
    doc_id = issued.get_json()["id"]
    signing = client.post(f"/api/documents/{doc_id}/signing", headers=headers)
    assert signing.status_code == 201, signing.get_json()
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, headers=dict(headers))
    return schema, headers, {"id": doc_id, "code": signing.get_json()["code"], "family_id": family.get_json()["id"]}


def fuzz(operation, headers, statuses, *, mode=GenerationMode.POSITIVE, examples=EXAMPLES, **fixed) -> None:
    """Calls one operation `examples` times with generated data and checks every answer."""
    checks = CONFORMANCE + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def answers(case):
        response = case.call_and_validate(headers=headers, checks=checks)
        statuses[operation.label, response.status_code] += 1

    answers()


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
# Schemathesis' WSGI transport never closes the file a send_file() answer streams from: the
# warning is about the test's client, not the service (a real server closes it).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_api_answers_as_documented(api):
    schema, headers, real = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == OPERATIONS
    statuses: Counter = Counter()
    for operation in operations:
        # Generated values: made-up ids and slugs, bodies that fit the JSON Schema or break it.
        fuzz(operation, headers, statuses)
        fuzz(operation, headers, statuses, mode=GenerationMode.NEGATIVE)
        # The same operations on things that exist, so that successful answers are checked too.
        path = {name: real[name] for name in ("id", "code", "family_id") if name in operation.path_parameters}
        if path and "signed_id" not in operation.path_parameters:
            fuzz(operation, headers, statuses, examples=EXISTING, path_parameters=path)
        # The documented example body (on the real family): 201 with what was made.
        for example in operation.body:
            if "example" in example.definition:
                case = operation.Case(body=example.definition["example"], media_type="application/json",
                                      path_parameters=path or None)
                response = case.call_and_validate(headers=headers, checks=CONFORMANCE)
                statuses[operation.label, response.status_code] += 1

    # The fuzzing reached every kind of answer it should check: the test could fail on each.
    seen = {status for (_, status) in statuses}
    assert {200, 201, 401, 404, 422} <= seen, statuses
    # with the head's token: each type the head may issue was issued (the others are refused, 403)
    # (a monthly report's example names no family and the fuzzed office has no visit records: it is
    # refused with 422 at family_id or month; tests/api/test_monthly_reports_api.py posts the samples
    # for a family with a month of visit records; so is a type that needs a family's file, which
    # never opens a new case: families.lifecycle.check_needs)
    for doctype in DOCUMENT_TYPES:
        expected = (403 if Role.HEAD not in doctype.issued_by
                    else 422 if doctype.slug in REPORTS or doctype.needs else 201)
        assert statuses[f"POST /api/documents/{doctype.slug}", expected] >= 1, (doctype.slug, statuses)
    for label in ("POST /api/families", "POST /api/families/{family_id}/assignments",
                  "GET /api/families/{family_id}", "GET /api/families", "GET /api/families/{family_id}/deadlines",
                  "GET /api/deadlines"):
        assert statuses[label, 200 if label.startswith("GET") else 201] >= 1, statuses


def test_every_operation_documents_its_errors():
    document = openapi_document("http://localhost")
    responses = document["components"]["responses"]
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            answers = operation["responses"]
            assert {"401", "403"} <= set(answers), (method, path)
            if "{" in path:
                assert "404" in answers, (method, path)
            for status, answer in answers.items():
                answer = responses[answer["$ref"].rsplit("/", 1)[-1]] if "$ref" in answer else answer
                assert answer.get("content"), f"{method} {path} {status} has no body described"
    for doctype in DOCUMENT_TYPES:
        issue = document["paths"][f"/api/documents/{doctype.slug}"]["post"]
        assert issue["responses"]["503"] == {"$ref": "#/components/responses/Unavailable"}
        assert issue["requestBody"]["content"]["application/json"]["example"] == doctype.sample_data
    assert responses["Unavailable"]["headers"]["Retry-After"]["required"] is True
