"""Helpers for tests: flattening data into form posts, and finding values in a PDF's text."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

from pypdf import PdfReader
from werkzeug.datastructures import MultiDict

from service.documents.context import polish_date
from service.documents.spec import DocumentType, GroupSpec


def pdf_text(data: bytes) -> str:
    """All text of a PDF, as pypdf extracts it."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def normalise_typesetting(text: str) -> str:
    """Text with the typesetting characters read as plain ones: U+00A0 as a space, U+2011 as "-".

    Documents glue postal codes, units and one-letter words with these (service/documents/
    typesetting.py), and a PDF's text layer may keep them; compare values with this applied.
    """
    return text.replace("\u00a0", " ").replace("\u2011", "-")


def pdf_text_normalised(data: bytes) -> str:
    """pdf_text() with normalise_typesetting() applied: what a reader sees, for comparing values."""
    return normalise_typesetting(pdf_text(data))


def squash(text: str) -> str:
    """Text without any whitespace, for comparing values that may wrap across lines."""
    return re.sub(r"\s+", "", text)


def form_data(doctype: DocumentType, data: dict[str, Any]) -> dict[str, Any]:
    """The web form post for these values (groups as persons-0-full_name, booleans as 'y')."""
    out: dict[str, Any] = {"case_id": ""}
    for spec in doctype.fields:
        value = data.get(spec.name)
        if value is None:
            continue
        if isinstance(spec, GroupSpec):
            for i, row in enumerate(value):
                for key, sub in row.items():
                    out[f"{spec.name}-{i}-{key}"] = sub
        elif spec.kind == "boolean":
            if value:
                out[spec.name] = "y"
        else:
            out[spec.name] = value
    return out


class _Submission(HTMLParser):
    """Collects what a browser sends from the forms of a page (see submitted())."""

    def __init__(self, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.pairs = action, []
        self._in_form = False
        self._textarea: list[str] | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None  # its name and (value, selected)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form = self.action is None or a.get("action") == self.action
            return
        if not self._in_form or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            # buttons are sent only when clicked; a box or radio only when ticked, "on" without a value
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value") if a.get("value") is not None else "on"))
                return
            self.pairs.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = (name, [])
        elif tag == "option" and self._select is not None:
            self._select[1].append((a.get("value") or "", "selected" in a))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # a browser drops one line break right after <textarea> (WTForms writes "\r\n" there)
            self.pairs.append((name, re.sub(r"^\r?\n", "", text)))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, options = self._select
            chosen = [value for value, selected in options if selected] or [value for value, _ in options[:1]]
            self.pairs.extend((name, value) for value in chosen[:1])
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def submitted(html: str, action: str | None = None) -> MultiDict:
    """The name/value pairs a browser posts from a page's form (the form whose action attribute is
    `action`, or every form) when it is sent by a button without a name (a form's „Wystaw
    dokument”): text, hidden and other inputs, ticked boxes and radios, text areas, the chosen
    option of a list. Buttons are left out (a browser sends only the one clicked), as are
    disabled fields and anything outside the form."""
    parser = _Submission(action)
    parser.feed(html)
    parser.close()
    return MultiDict(parser.pairs)


def expected_texts(doctype: DocumentType, data: dict[str, Any]) -> list[str]:
    """What the PDF must show for these values: text as typed, dates in Polish, choice labels."""
    out: list[str] = []

    def add(spec, value):
        if value in (None, "", False, True):
            return
        if spec.kind == "date":
            out.append(polish_date(value))
        elif spec.kind == "choice":
            out.append(spec.choice_label(value))
        elif spec.kind == "multichoice":
            out.extend(spec.choice_label(v) for v in value)
        elif spec.kind in ("month", "time", "integer"):  # printed as the kind shows it („listopad 2026 r.”)
            out.append(spec.field_kind.shown(spec, value))
        else:
            out.append(spec.field_kind.shown(spec, value))  # a time „16.00”, an integer „12 000”

    # the service's own values (a visit record's assistant_login) are kept, not necessarily printed
    for spec in doctype.form_fields:
        value = data.get(spec.name)
        if isinstance(spec, GroupSpec):
            for row in value or []:
                for sub in spec.fields:
                    add(sub, row.get(sub.name))
        else:
            add(spec, value)
    return out


def issuer_role(doctype: DocumentType) -> str:
    """A staff role that may issue this type."""
    return sorted(doctype.issued_by)[0]


def download(client, url: str, **kwargs):
    """GETs a file and closes the response (send_file keeps the file open until then)."""
    response = client.get(url, **kwargs)
    data = response.get_data()
    response.close()
    return response, data


def poppler_text(data: bytes) -> str:
    """A PDF's text in reading order, by poppler's pdftotext.

    pypdf orders runs by font, so a value mixing fonts (an emoji from the fallback font inside
    Liberation Serif text) comes out shuffled; pdftotext follows the page. Typesetting characters
    are read as plain ones (normalise_typesetting).
    """
    import subprocess

    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return normalise_typesetting(out)


# The office profile every test that issues documents runs with (a fresh instance's is empty and
# unconfirmed, so nothing could be issued): the one place tests and bench/ scripts get it from.
TEST_OFFICE = {
    "name": "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu",
    "street": "ul. Zaborska 2",
    "postal_code": "32-600",
    "town": "Oświęcim",
    "phone": "33 842 11 00",
    "email": "sekretariat@mops.oswiecim.pl",
    "nip": "5490000003",
    "regon": "072543210",
    "head_name": "Anna Nowak",
    "head_title": "Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu",
    "date_town": "Oświęcim",
    "iod_email": "iod@mops.oswiecim.pl",
    "department_code": "MOPS.SPS",
    "case_sign_pattern": "{dept}.{symbol}.{number}.{year}",
}
TEST_CLASSES = {"family_support": ("4011", "BE10"), "za_zyciem": ("4012", "BE10"), "staff_time": ("1162", "B10")}


def confirm_office(confirmed_by: int | None = None) -> None:
    """In an app context: fills the office profile with TEST_OFFICE and the JRWA classes with
    TEST_CLASSES, confirmed now (by the user with id `confirmed_by`, or by nobody), and commits."""
    from service.accounts.models import utcnow
    from service.extensions import db
    from service.office.models import JrwaClass, get_profile

    profile = get_profile()
    for key, value in TEST_OFFICE.items():
        setattr(profile, key, value)
    for key, (symbol, category) in TEST_CLASSES.items():
        jrwa = db.session.get(JrwaClass, key)
        jrwa.symbol, jrwa.category = symbol, category
    profile.confirmed_at, profile.confirmed_by_id = utcnow(), confirmed_by
    db.session.commit()
