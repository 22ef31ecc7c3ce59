"""The security headers of every response, and `no-store` on everything that may carry family data.

ASVS 4.0.3: 14.4.1–14.4.7 (Content-Type options, CSP, X-Frame-Options / frame-ancestors,
Referrer-Policy, HSTS), 8.2.1 (no caching of sensitive data in the browser), 3.4 (cookies, with
service/transport.py). The policy has no 'unsafe-inline': the templates hold no <script>, <style>,
style="" or on…="" (tests/web/test_headers.py scans them); scripts and styles live in static/.
"""
from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.datastructures import Headers

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Signing links carry their one-time code: no address of this service goes to another site.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"  # RFC 6797; one year, as ASVS 14.4.5 asks
# Code and styles only, the same for everyone: the browser may keep these. Everything else may
# carry family data (pages, PDFs, DOCX, page images, scans, the API) and is never stored.
CACHEABLE_ENDPOINTS = frozenset({"static", "device.signature_pad_js"})


def init_app(app: Flask) -> None:
    """Registers the after_request hook that sets the headers on every Flask response."""
    app.after_request(set_headers)


def set_headers(response):
    """after_request: the headers above; HSTS on HTTPS requests when HTTPS is configured;
    `Cache-Control: no-store` on every response but code and styles. Returns the response."""
    protect_headers(response.headers, cacheable=request.endpoint in CACHEABLE_ENDPOINTS)
    if current_app.config.get("HTTPS") and request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def protect_headers(headers: Headers, cacheable: bool = False) -> None:
    """Sets the security headers on `headers` (in place), replacing what a view or send_file set:
    send_file's max_age, ETag-based `no-cache` or Expires must not let a browser keep a file."""
    # A view sending an untrusted file (the original of an uploaded scan) adds `sandbox`: kept
    sandboxed = "sandbox" in headers.get("Content-Security-Policy", "")
    for name, value in HEADERS.items():
        headers[name] = value
    if sandboxed:
        headers["Content-Security-Policy"] = f"{CONTENT_SECURITY_POLICY}; sandbox"
    if not cacheable:
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"  # HTTP/1.0 caches
        headers.pop("Expires", None)
