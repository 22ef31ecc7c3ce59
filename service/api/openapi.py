"""The OpenAPI 3.1 description of the JSON API, generated from the document registry."""
from __future__ import annotations

from typing import Any

from ..documents.registry import DOCUMENT_TYPES
from .schema import request_schema

_ERR = {"type": "object", "properties": {"error": {"type": "string"}}}
_FIELD_ERRORS = {"type": "object", "properties": {"errors": {
    "type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "description": "Komunikaty po polsku dla każdego błędnego pola, np. \"persons[0].pesel\"."}}}
_CREATED = {"type": "object", "properties": {
    "id": {"type": "string"}, "case_sign": {"type": "string"},
    "links": {"type": "object", "properties": {k: {"type": "string"} for k in ("self", "pdf", "docx")}}}}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def openapi_document(server_url: str) -> dict[str, Any]:
    """The OpenAPI document served at /api/openapi.json."""
    common = {"401": {"description": "Brak lub nieważny token", **_json(_ERR)},
              "403": {"description": "Rola nie pozwala na tę operację", **_json(_ERR)}}
    paths: dict[str, Any] = {
        "/api/document-types": {"get": {"summary": "Rodzaje dokumentów", "operationId": "listDocumentTypes",
                                        "responses": {"200": {"description": "Lista"}, **common}}},
        "/api/document-types/{slug}": {"get": {
            "summary": "Opis rodzaju dokumentu: pola z przykładowymi wartościami", "operationId": "getDocumentType",
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Opis"}, "404": {"description": "Nie ma takiego rodzaju"}, **common}}},
        "/api/documents/{id}": {"get": {
            "summary": "Metadane wystawionego dokumentu", "operationId": "getDocument",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Metadane"}, "404": {"description": "Brak dokumentu"}, **common}}},
    }
    id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    paths["/api/documents/{id}/signing"] = {"post": {
        "summary": "Rozpocznij podpisywanie na innym urządzeniu: jednorazowy link, kod i kod QR",
        "operationId": "startSigning", "parameters": id_param,
        "responses": {"201": {"description": "Sesja podpisywania (stan, podpisujący, link, kod, qr)"},
                      "404": {"description": "Brak dokumentu"},
                      "409": {"description": "Dokument już podpisany albo bez miejsc na podpisy", **_json(_ERR)},
                      **common}}}
    paths["/api/signing-links/{code}/qr.png"] = {"get": {
        "summary": "Kod QR jednorazowego linku do podpisu", "operationId": "getSigningQr",
        "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "Obraz PNG", "content": {"image/png": {}}},
                      "404": {"description": "Brak"}, **common}}}
    paths["/api/documents/{id}/signed/{signed_id}.pdf"] = {"get": {
        "summary": "Podpisana, opieczętowana wersja dokumentu (z kartą dowodową)", "operationId": "getSignedPdf",
        "parameters": id_param + [{"name": "signed_id", "in": "path", "required": True,
                                   "schema": {"type": "string"}}],
        "responses": {"200": {"description": "Plik", "content": {"application/pdf": {}}},
                      "404": {"description": "Brak"}, **common}}}
    for kind, mime in (("pdf", "application/pdf"),
                       ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")):
        paths[f"/api/documents/{{id}}/{kind}"] = {"get": {
            "summary": f"Plik {kind.upper()} z archiwum", "operationId": f"getDocument{kind.title()}",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Plik", "content": {mime: {}}}, "404": {"description": "Brak"},
                          **common}}}
    for doctype in DOCUMENT_TYPES:
        paths[f"/api/documents/{doctype.slug}"] = {"post": {
            "summary": f"Wystaw: {doctype.title}", "operationId": f"issue_{doctype.slug}",
            "requestBody": {"required": True, **_json(request_schema(doctype))},
            "responses": {
                "201": {"description": "Wystawiono, opieczętowano i zarchiwizowano", **_json(_CREATED)},
                "422": {"description": "Błędne dane", **_json(_FIELD_ERRORS)},
                "503": {"description": "Konwersja do PDF nie powiodła się", **_json(_ERR)}, **common}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Asysta API", "version": "1",
                 "description": "Wystawianie dokumentów asystenta rodziny: dane JSON → DOCX i PDF/A "
                                "opatrzony pieczęcią urzędu, zarchiwizowany w sprawie."},
        "servers": [{"url": server_url}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }
