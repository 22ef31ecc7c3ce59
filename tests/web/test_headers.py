"""Security headers on every response: staff pages, the signing device's pages, the API, downloads
and page images carry the strict CSP and `no-store`; only scripts and styles may be cached; no
template holds inline script or style (the CSP has no 'unsafe-inline')."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.config import ROOT
from service.headers import CONTENT_SECURITY_POLICY
from tests.helpers import download
from tests.signing.conftest import issue_document, start_remote

STRICT_CSP = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data: blob:",
    "object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'", "form-action": "'self'",
}
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csp(value: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in value.split(";") if part.strip()}


def check(response, *, stored: bool = False) -> None:
    """The response's headers: the strict CSP and the rest, and no-store unless `stored`."""
    where = f"{response.request.path} ({response.status_code})"
    assert csp(response.headers.get("Content-Security-Policy", "")) == STRICT_CSP, where
    assert "unsafe" not in response.headers["Content-Security-Policy"], where
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, (where, name)
    policy = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy, (where, policy)
    if stored:
        assert "no-store" not in response.headers.get("Cache-Control", ""), where
        return
    assert response.headers.get("Cache-Control") == "no-store", (where, response.headers.get("Cache-Control"))
    assert response.headers.get("Pragma") == "no-cache", where
    assert "Expires" not in response.headers, where


def test_the_policy_is_the_documented_one():
    assert csp(CONTENT_SECURITY_POLICY) == STRICT_CSP


def test_headers_on_pages_api_downloads_and_images(app, client, create_user, login, api_token):
    tablet = app.test_client()
    check(client.get("/login"))
    check(client.get("/nie-ma-takiej-strony"))  # the error page too
    user = create_user("assistant")
    login(user)
    for path in ("/", "/archive", "/verify", "/documents/new/family_consent"):
        check(client.get(path))
    doc_id = issue_document(client)
    check(client.get(f"/archive/{doc_id}"))
    # the archive's downloads: send_file's conditional answers and max_age must not weaken no-store
    for kind in ("pdf", "docx"):
        response, data = download(client, f"/archive/{doc_id}/{kind}")
        assert response.status_code == 200 and data
        check(response)
    response, _ = download(client, f"/archive/{doc_id}/print")
    check(response)
    # the signing device: its page, page images and the PDF shown; the vendor script may be cached
    link, session_id = start_remote(client, doc_id)
    check(client.get(f"/archive/{doc_id}/signing/{session_id}"))
    check(client.get(f"/archive/{doc_id}/signing/{session_id}/status"))
    opened = tablet.get(link)
    check(opened)
    check(tablet.get(opened.location))
    for path in (f"/podpis/{session_id}/strona/1.png", f"/podpis/{session_id}/dokument.pdf"):
        response, data = download(tablet, path)
        assert response.status_code == 200 and data, path
        check(response)
    response, _ = download(tablet, "/vendor/signature_pad.js")
    check(response, stored=True)
    # the API: JSON, the archived files, errors
    headers = api_token(user)
    check(client.get("/api/document-types", headers=headers))
    check(client.get(f"/api/documents/{doc_id}", headers=headers))
    check(client.get("/api/documents/nie-ma", headers=headers))
    check(client.get("/api/document-types"))  # 401 without a token
    for kind in ("pdf", "docx"):
        response, data = download(client, f"/api/documents/{doc_id}/{kind}", headers=headers)
        assert response.status_code == 200 and data
        check(response)
    # one open session per document: the tablet's is cancelled before the API starts another
    assert client.post(f"/archive/{doc_id}/signing/{session_id}/cancel").status_code == 302
    created = client.post(f"/api/documents/{doc_id}/signing", headers=headers)
    assert created.status_code == 201
    response, _ = download(client, created.get_json()["qr"].removeprefix("http://localhost"), headers=headers)
    check(response)


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_static_files_may_be_cached_but_carry_the_headers(client):
    for name in ("asysta.css", "signing.js"):
        response, data = download(client, f"/static/{name}")
        assert response.status_code == 200 and data
        check(response, stored=True)
    # a conditional request is still answered with the headers
    etag = download(client, "/static/asysta.css")[0].headers["ETag"]
    response, _ = download(client, "/static/asysta.css", headers={"If-None-Match": etag})
    assert response.status_code == 304
    check(response, stored=True)


TEMPLATES = ROOT / "service" / "templates"
INLINE = {
    "inline <script> (a script without src)": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_holds_inline_script_or_style():
    """The CSP allows scripts and styles from /static only: an inline one would simply not run
    (or not apply) in the browser; this catches it before anyone opens the page."""
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 10
    found = [f"{path.relative_to(ROOT)}: {what}: {match.group(0)!r}"
             for path in templates for what, pattern in INLINE.items()
             for match in pattern.finditer(Path(path).read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)
