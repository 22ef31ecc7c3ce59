"""The OpenAPI 3.1 description of the JSON API, generated from the document registry.

`openapi_document(server_url) -> dict` is served at /api/openapi.json. Every operation lists every
status code it can answer with and the body of each (service/api/responses.py); request bodies carry
their type's sample as an example. tests/api/test_fuzz.py fuzzes the API against this document.
"""
from __future__ import annotations

from typing import Any

from ..documents.registry import DOCUMENT_TYPES
from .openapi_deadlines import SCHEMAS as DEADLINE_SCHEMAS, deadline_paths
from .openapi_families import SCHEMAS as FAMILY_SCHEMAS, family_paths
from .responses import RESPONSES, SCHEMAS, common_responses, error, json_body, ref
from .schema import request_schema

_DOC_ID = {"name": "id", "in": "path", "required": True, "description": "Identyfikator dokumentu",
           "schema": {"type": "string"}}


def _file(description: str, mime: str) -> dict[str, Any]:
    return {"description": description, "content": {mime: {"schema": {"type": "string", "format": "binary"}}}}


def _paths() -> dict[str, Any]:
    slugs = [t.slug for t in DOCUMENT_TYPES]
    paths: dict[str, Any] = {
        "/api/document-types": {"get": {
            "summary": "Rodzaje dokumentów", "operationId": "listDocumentTypes",
            "responses": {"200": {"description": "Lista", **json_body(ref("DocumentTypeList"))},
                          **common_responses()}}},
        "/api/document-types/{slug}": {"get": {
            "summary": "Opis rodzaju dokumentu: pola z przykładowymi wartościami", "operationId": "getDocumentType",
            "parameters": [{"name": "slug", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": slugs}}],
            "responses": {"200": {"description": "Opis", **json_body(ref("DocumentType"))},
                          **common_responses("NotFound")}}},
        "/api/documents/{id}": {"get": {
            "summary": "Metadane wystawionego dokumentu", "operationId": "getDocument", "parameters": [_DOC_ID],
            "responses": {"200": {"description": "Metadane", **json_body(ref("Document"))},
                          **common_responses("NotFound")}}},
        "/api/documents/{id}/signing": {"post": {
            "summary": "Rozpocznij podpisywanie na innym urządzeniu: jednorazowy link, kod i kod QR",
            "operationId": "startSigning", "parameters": [_DOC_ID],
            "responses": {"201": {"description": "Sesja podpisywania (stan, podpisujący, link, kod, qr)",
                                  **json_body(ref("SigningStarted"))},
                          "409": error("Dokument już podpisany, podpisywany albo bez miejsc na podpisy"),
                          **common_responses("NotFound")}}},
        "/api/signing-links/{code}/qr.png": {"get": {
            "summary": "Kod QR jednorazowego linku do podpisu", "operationId": "getSigningQr",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _file("Obraz PNG", "image/png"), **common_responses("NotFound")}}},
        "/api/documents/{id}/signed/{signed_id}.pdf": {"get": {
            "summary": "Podpisana, opieczętowana wersja dokumentu (z kartą dowodową)", "operationId": "getSignedPdf",
            "parameters": [_DOC_ID, {"name": "signed_id", "in": "path", "required": True,
                                     "schema": {"type": "string"}}],
            "responses": {"200": _file("Plik PDF/A", "application/pdf"), **common_responses("NotFound")}}},
    }
    for kind, mime in (("pdf", "application/pdf"),
                       ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")):
        paths[f"/api/documents/{{id}}/{kind}"] = {"get": {
            "summary": f"Plik {kind.upper()} z archiwum", "operationId": f"getDocument{kind.title()}",
            "parameters": [_DOC_ID],
            "responses": {"200": _file("Plik", mime), **common_responses("NotFound")}}}
    for doctype in DOCUMENT_TYPES:
        body = json_body(request_schema(doctype))
        body["content"]["application/json"]["example"] = doctype.sample_data
        paths[f"/api/documents/{doctype.slug}"] = {"post": {
            "summary": f"Wystaw: {doctype.title}", "operationId": f"issue_{doctype.slug}",
            "requestBody": {"required": True, **body},
            "responses": {
                "201": {"description": "Wystawiono, opieczętowano i zarchiwizowano",
                        "headers": {"Location": {"description": "Adres metadanych dokumentu", "required": True,
                                                 "schema": {"type": "string", "format": "uri"}}},
                        **json_body(ref("Document"))},
                "409": error("Wystawianie wstrzymane: administrator musi uzupełnić i zatwierdzić profil urzędu; "
                             "albo inne żądanie zmieniło w tej chwili teczkę rodziny (drugi nowy plan zastępujący "
                             "ten sam plan, drugie sprawozdanie kończące pracę, drugie sprawozdanie z czasu pracy "
                             "zakładające sprawę asystenta): dokumentu nie zapisano"),
                "422": {"description": "Błędne dane: komunikaty przy polach (także family_id: rodzina, do której "
                                       "nie masz dostępu, dokument nie dotyczy jej wsparcia albo jej teczka nie "
                                       "pozwala go teraz wystawić)",
                        **json_body(ref("FieldErrors"))},
                **common_responses("Unavailable")}}}
    paths.update(family_paths())
    paths.update(deadline_paths())
    return paths


def openapi_document(server_url: str) -> dict[str, Any]:
    """The OpenAPI document served at /api/openapi.json, with `server_url` as its only server."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Asysta API", "version": "1",
                 "description": "Teczki rodzin i wystawianie dokumentów asystenta rodziny: dane JSON → DOCX "
                                "i PDF/A opatrzony pieczęcią urzędu, zarchiwizowany w sprawie rodziny."},
        "servers": [{"url": server_url}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {**SCHEMAS, **FAMILY_SCHEMAS, **DEADLINE_SCHEMAS}, "responses": RESPONSES},
        "security": [{"bearer": []}],
        "paths": _paths(),
    }
