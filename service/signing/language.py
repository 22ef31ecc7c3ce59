"""The language of the signing page on the family's device: Polish, Ukrainian or English.

Only the pages of the device blueprint (the signing page, the code form, the closed and done pages)
follow the family's language; every staff page stays Polish, and so does the document itself. The
choice, in order:
  1. `?lang=pl|uk|en` on the address (the visible switch's links carry it); it is remembered in the
     browser's session cookie for the signing session it was made in (or, on the code form and the
     one-time link, carried over by the redirects to the session's page);
  2. the choice remembered for this signing session;
  3. the browser's `Accept-Language` (RFC 9110, 12.5.4), best match among pl, uk, en;
  4. Polish.
The choice for one signing session is not carried to the next family's session on a shared tablet.

WCAG 2.1, 3.1.1 (language of page: <html lang> follows the choice) and 3.1.2 (language of parts:
the switch's links and the document's Polish text carry their own lang).
"""
from __future__ import annotations

from babel import Locale
from flask import has_request_context, request, session as web_session

# The languages of the signing page, each with its own name (what a reader of it looks for).
LANGUAGES = {"pl": "Polski", "uk": "Українська", "en": "English"}
DEFAULT = "pl"
SESSION_KEY = "signing_language"  # {"session": signing session id or "", "lang": code}


def requested() -> str | None:
    """The language asked for with `?lang=` on this request, if it is one of LANGUAGES."""
    value = request.args.get("lang", "")
    return value if value in LANGUAGES else None


def _signing_session_id() -> str:
    return (request.view_args or {}).get("session_id", "") or ""


def remember() -> None:
    """Keeps a `?lang=` choice for the signing session of this address (before_request of the
    device pages). Returns nothing; a missing or unknown `?lang=` changes nothing."""
    lang = requested()
    if lang is not None:
        web_session[SESSION_KEY] = {"session": _signing_session_id(), "lang": lang}


def current() -> str:
    """The language of this request: the device pages' choice as above, "pl" for every other page.

    Used as Flask-Babel's locale selector (also called with only an app context, e.g. in a CLI
    command: Polish then). Returns a key of LANGUAGES."""
    if not has_request_context() or request.blueprint != "device":
        return DEFAULT
    lang = requested()
    if lang is not None:
        return lang
    stored, session_id = web_session.get(SESSION_KEY), _signing_session_id()
    if isinstance(stored, dict) and stored.get("lang") in LANGUAGES and session_id \
            and stored.get("session") == session_id:
        return stored["lang"]
    return from_browser()


def from_browser() -> str:
    """The best of LANGUAGES for this request's `Accept-Language`, else DEFAULT.

    RFC 4647, 3.4 (lookup) over the ranges in order of quality (RFC 9110, 12.5.4): each range is
    tried whole, then by its primary subtag, before the next, less wanted range; so „uk-UA,pl;q=0.9”
    gives Ukrainian. (Werkzeug's best_match tries every range exactly first and would give Polish.)
    A range with q=0 is refused; „*” and languages not offered fall through to the next. Returns a
    key of LANGUAGES."""
    for value, quality in request.accept_languages:  # sorted by quality, the header's order kept
        if quality <= 0:
            continue
        primary = value.lower().replace("_", "-").split("-", 1)[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT


def polish_name(lang: str) -> str:
    """The language's name in Polish, lower case, as the evidence page prints it („ukraiński”).
    Takes a key of LANGUAGES (anything else is returned as it is)."""
    if lang not in LANGUAGES:
        return lang
    return Locale.parse(lang).get_display_name("pl")
