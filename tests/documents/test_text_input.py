"""One normalisation for all text input, web and API alike, and plausible identity data.

The examples of issue 7 (full-width PESEL, Word's Shift+Enter, a PESEL born in 2090) are here as
tests through the API and the web form; the rules behind them are tested on the pure functions.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from service.archive.models import DocumentRecord
from service.documents.registry import DOCUMENT_TYPES
from service.documents.text import (foreign_digits, normalize_block, normalize_identifier, normalize_line,
                                    refusal)
from service.extensions import db
from service.forms_base import FlaskTextForm, TextForm
from signatures.fonts import printable
from tests.helpers import download, form_data, issuer_role, pdf_text
from tests.web.test_validation import error_next_to

FULL_WIDTH_PESEL = "９０１１０３０２６４０"
FUTURE_PESEL = "90210112345"  # valid check digit, born 1 January 2090


def make_pesel(born: dt.date, serial: str = "0124") -> str:
    """A PESEL with a correct check digit for this date of birth (Dz.U. 2024 poz. 736, art. 15).

    The serial's last digit is the sex digit: even (the default) for a woman, as the samples'
    names are women's (a man's number for „Magdalena” is refused as another person's PESEL).
    """
    month = born.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[born.year // 100]
    digits = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial}"
    check = (10 - sum(int(d) * w for d, w in zip(digits, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3))) % 10) % 10
    return digits + str(check)


def unprintable_letter() -> str:
    """An assigned letter that no installed font draws (found, not assumed: fonts may be added)."""
    for cp in range(0x10000, 0x30000):
        ch = chr(cp)
        if unicodedata.category(ch) == "Lo" and not printable(ch):
            return ch
    raise AssertionError("every letter is printable: the test needs another unprintable character")


def spaced(text: str) -> str:
    """PDF text with every kind of whitespace (no-break spaces of the typesetting too) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u2011", "-"))


# --- the rule, on the pure functions ---

@pytest.mark.parametrize("raw, line, block", [
    ("Anna\u000bKowalska", "Anna Kowalska", "Anna\nKowalska"),  # Word's Shift+Enter
    ("Anna\r\nKowalska", "Anna Kowalska", "Anna\nKowalska"),
    ("a\u2028b\u2029c\u0085d\x0ce\x1cf", "a b c d e f", "a\nb\nc\nd\ne\nf"),
    ("a\tb\x1fc", "a b c", "a b c"),  # tabs are spaces, not line breaks (UAX #14: not BK)
    ("  Jan \u3000\u2003 Kowalski  ", "Jan Kowalski", "Jan \u3000\u2003 Kowalski".replace("\u3000", " ").replace("\u2003", " ")),
    ("Jan\u00a0Kowalski", "Jan\u00a0Kowalski", "Jan\u00a0Kowalski"),  # a no-break space is kept
    ("Ko\u200bwal\u00adska\ufeff\u2060", "Kowalska", "Kowalska"),  # invisible format characters
    ("\u202eakslawoK\u202c", "akslawoK", "akslawoK"),  # no bidi override
    ("A\u200dB", "AB", "AB"),  # a joiner between Latin letters changes nothing
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
     "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),  # Persian needs its ZWNJ
    ("\U0001F469\u200d\U0001F4BB", "\U0001F469\u200d\U0001F4BB", "\U0001F469\u200d\U0001F4BB"),  # emoji sequence
    ("Zo\u0301\u200bfia", "Zófia", "Zófia"),  # composed (NFC) after removal
    ("A\x00B\x07C\x1bD\ud800E", "ABCDE", "ABCDE"),  # controls and lone surrogates
])
def test_normalisation(raw, line, block):
    assert normalize_line(raw) == line
    assert normalize_block(raw) == block
    assert normalize_line(line) == line and normalize_block(block) == block  # idempotent


def test_identifiers_are_read_after_nfkc():
    assert normalize_identifier(FULL_WIDTH_PESEL) == "90110302640"
    assert normalize_identifier("３２－６００") == "32-600"
    assert normalize_identifier("32\u2013600") == "32-600"  # an en dash from Word
    assert normalize_identifier("\u2162 Nsm 123/26") == "III Nsm 123/26"  # the Roman numeral three
    assert normalize_identifier("501\u00a0234\u200b567") == "501 234567"
    for foreign, name in (("\u0663", "U+0663"), ("\u0969", "U+0969"), ("\u09e9", "U+09E9")):
        message = foreign_digits(normalize_identifier(f"32-6{foreign}0"))
        assert message and name in message and "cyfra innego pisma" in message and "0–9" in message
    assert foreign_digits("32-600") is None


def test_what_cannot_be_printed_is_refused_with_its_name():
    letter = unprintable_letter()
    assert refusal(f"Anna {letter}") == (f"Znak „{letter}” (U+{ord(letter):04X}) nie może zostać "
                                         "wydrukowany w dokumencie – usuń go lub zastąp.")
    assert "obszaru prywatnego" in refusal("Anna \ue000")
    assert "nie jest przypisany" in refusal("Anna \u0378")
    assert "nie jest przypisany" in refusal("Anna \U0010FFFF")  # a noncharacter
    assert refusal("Zażółć gęślą jaźń ნინო ბერიძე Олена 😀") is None


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # no database work: once
def test_every_text_field_of_every_form_is_normalised(app):
    from wtforms import PasswordField, StringField, TextAreaField

    class Row(TextForm):
        name = StringField()

    class Page(FlaskTextForm):
        name = StringField()
        note = TextAreaField()
        secret = PasswordField()

    from werkzeug.datastructures import MultiDict
    with app.test_request_context():
        form = Page(formdata=MultiDict({"name": " Anna\u000bKowalska\u200b ", "note": "a\u2028b",
                                        "secret": " pass\u000bword "}), meta={"csrf": False})
        assert form.validate()
        assert (form.name.data, form.note.data, form.secret.data) == ("Anna Kowalska", "a\nb", " pass\u000bword ")
        row = Row(formdata=MultiDict({"name": "x\ue000"}))
        assert not row.validate() and "obszaru prywatnego" in row.name.errors[0]
        assert len(row.name.errors) == 1


# --- the examples of the issue, through the API and the web form ---

@pytest.fixture
def api(client, create_user, api_token):
    def post(slug, changes=None, rows=None):
        doctype = DOCUMENT_TYPES[slug]
        data = doctype.sample_data | (changes or {})
        if rows:
            data["persons"] = rows
        return client.post(f"/api/documents/{slug}", json=data,
                           headers=api_token(create_user(issuer_role(doctype))))
    return post


def _pdf(client, response):
    return pdf_text(download(client, response.get_json()["links"]["pdf"],
                             headers={"Authorization": response.request.headers["Authorization"]})[1])


def test_api_full_width_pesel_is_stored_and_printed_as_ascii(client, api):
    response = api("zz_power_of_attorney", {"principal_pesel": FULL_WIDTH_PESEL})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["principal_pesel"] == "90110302640"
    assert "90110302640" in _pdf(client, response)


def test_api_shift_enter_separates_words(client, api):
    response = api("family_consent", rows=[{"full_name": "Anna\u000bKowalska", "role": "matka"}])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["persons"][0]["full_name"] == "Anna Kowalska"
    text = spaced(_pdf(client, response))
    assert "Anna Kowalska" in text and "AnnaKowalska" not in text


def test_api_pesel_from_the_future_is_refused(app, api):
    response = api("zz_power_of_attorney", {"principal_pesel": FUTURE_PESEL})
    assert response.status_code == 422
    message = response.get_json()["errors"]["principal_pesel"][0]
    assert message.startswith("Nieprawidłowy numer PESEL: wynika z niego data urodzenia 1 stycznia 2090")
    with app.app_context():
        assert db.session.scalar(select(DocumentRecord.id)) is None


@pytest.mark.parametrize("slug, field", [("zz_power_of_attorney", "principal_pesel"),
                                         ("family_consent", "persons[0].pesel")])
def test_api_minor_acting_for_themselves_is_refused(api, slug, field):
    today = dt.date.today()
    minor = make_pesel(dt.date(today.year - 16, 1, 1))  # 16 all year long
    adult = make_pesel(dt.date(today.year - 18, today.month, 1) - dt.timedelta(days=1))  # just 18
    if slug == "family_consent":
        refused = api(slug, rows=[{"full_name": "Ola Kowalska", "pesel": minor, "role": "córka"}])
    else:
        refused = api(slug, {"principal_pesel": minor})
    assert refused.status_code == 422
    message = refused.get_json()["errors"][field][0]
    assert "ma 16 lat" in message and "opiekun prawny" in message and "podpisuje" in message
    if slug == "zz_power_of_attorney":
        assert api(slug, {"principal_pesel": adult}).status_code == 201


def test_api_foreign_digits_and_unprintable_characters_are_refused_at_the_field(api):
    response = api("zz_power_of_attorney", {"principal_pesel": "\u0669\u0660\u0661\u0661\u0660\u0663\u0660"
                                                               "\u0662\u0666\u0664\u0660",
                                            "postal_code": "\u0969\u0968-600"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["principal_pesel"] == ["Znak „٩” (U+0669) to cyfra innego pisma – wpisz numer cyframi 0–9."]
    assert errors["postal_code"] == ["Znak „३” (U+0969) to cyfra innego pisma – wpisz numer cyframi 0–9."]
    letter = unprintable_letter()
    response = api("zz_power_of_attorney", {"principal_name": f"Magdalena {letter}"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["principal_name"] == [
        f"Znak „{letter}” (U+{ord(letter):04X}) nie może zostać wydrukowany w dokumencie – usuń go lub zastąp."]


def test_api_court_case_number_is_an_identifier(client, api):
    response = api("assignment_letter", {"basis": "court", "court_case_number": "\u2162 Nsm １２３/２６"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["court_case_number"] == "III Nsm 123/26"
    assert "III Nsm 123/26" in spaced(_pdf(client, response))
    response = api("assignment_letter", {"basis": "court", "court_case_number": "III Nsm \u0661\u0662/26"})
    assert "cyfra innego pisma" in response.get_json()["errors"]["court_case_number"][0]
    response = api("assignment_letter", {"basis": "court", "court_case_number": "sygnatura"})
    assert response.get_json()["errors"]["court_case_number"][0].startswith("Sygnatura akt jak na piśmie sądu")


@pytest.fixture
def web(app, client, create_user, login):
    def post(slug, changes):
        login(create_user(issuer_role(DOCUMENT_TYPES[slug])))
        doctype = DOCUMENT_TYPES[slug]
        return client.post(f"/documents/new/{slug}", data=form_data(doctype, doctype.sample_data) | changes)
    return post


def _web_document(app, client, response):
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    doc_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    with app.app_context():
        data = db.session.get(DocumentRecord, doc_id).data
    return data, pdf_text(download(client, f"/archive/{doc_id}/pdf")[1])


def test_web_full_width_pesel_and_shift_enter(app, client, web):
    data, text = _web_document(app, client, web("zz_power_of_attorney", {"principal_pesel": FULL_WIDTH_PESEL}))
    assert data["principal_pesel"] == "90110302640" and "90110302640" in text
    data, text = _web_document(app, client, web("family_consent", {"persons-0-full_name": "Anna\u000bKowalska"}))
    assert data["persons"][0]["full_name"] == "Anna Kowalska"
    assert "Anna Kowalska" in spaced(text) and "AnnaKowalska" not in spaced(text)


def test_web_future_pesel_and_foreign_digits_shown_at_the_field(app, web):
    response = web("zz_power_of_attorney", {"principal_pesel": FUTURE_PESEL, "postal_code": "\u0663\u0662-600"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_next_to(html, "principal_pesel").startswith(
        "Nieprawidłowy numer PESEL: wynika z niego data urodzenia 1 stycznia 2090")
    assert error_next_to(html, "postal_code") == "Znak „٣” (U+0663) to cyfra innego pisma – wpisz numer cyframi 0–9."
    assert f'value="{FUTURE_PESEL}"' in html  # what was typed stays in the form


def test_office_form_reads_identifiers_after_nfkc(app, client, create_user, login):
    from tests.archive.test_verify_and_office import office_form
    login(create_user("admin"))
    html = client.post("/office", data=office_form(regon="\u0660\u0667\u0662543210")).get_data(as_text=True)
    assert "cyfra innego pisma" in html
    assert client.post("/office", data=office_form(postal_code="２６－６３１", town="Jastrzębia\u200b")).status_code == 302
    from service.office.models import get_profile
    with app.app_context():
        profile = get_profile()
        assert (profile.postal_code, profile.town) == ("26-631", "Jastrzębia")
    # a part of every case sign: read like the identifier the sign is looked up as
    assert client.post("/office", data=office_form(department_code="MOPS–SPS")).status_code == 302
    with app.app_context():
        assert get_profile().department_code == "MOPS-SPS"
    html = client.post("/office", data=office_form(department_code="مكتب")).get_data(as_text=True)
    assert "Oznaczenie komórki: litery, cyfry" in html


def test_a_value_of_only_invisible_characters_is_no_value(app):
    from werkzeug.datastructures import MultiDict

    from service.forms_builder import form_class
    from tests.helpers import form_data as flat
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    with app.test_request_context():
        data = flat(doctype, doctype.sample_data) | {"principal_phone": "\u200b\u00ad\u2028",
                                                     "principal_name": "\u200b\ufeff", "valid_until": ""}
        form = form_class(doctype)(formdata=MultiDict(data), meta={"csrf": False})
        assert not form.validate()
        assert form.principal_name.errors == ["To pole jest wymagane."]
        assert form.principal_phone.errors == [] and "principal_phone" not in form.cleaned_data()
        assert form.valid_until.errors == []


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(st.text(st.characters(blacklist_categories=("Cs",))) | st.lists(st.sampled_from(
    ["\u200c", "\u200d", "\ufe0f", "\u200b", " ", "\n", "\u0301", "\u0645", "\u094d", "\u0915", "a",
     "\U0001F469", "\u00ad", "\u2028", "\u000b", "\uff19", "\u0663"])).map("".join))
def test_normalisation_is_stable(value):
    """Normalising twice changes nothing, and nothing that should go survives."""
    for normalize in (normalize_line, normalize_block, normalize_identifier):
        once = normalize(value)
        assert normalize(once) == once
        assert not any(unicodedata.category(c) in ("Cc", "Cs") and c != "\n" for c in once)
        assert "\u200b" not in once and "\u00ad" not in once
    assert "\n" not in normalize_line(value) and "\n" not in normalize_identifier(value)
    assert "\uff19" not in normalize_identifier(value)


# --- further inputs of the same kinds (found by trying the service as a new office would) ---

def test_api_implausible_dates_and_pesel_of_the_1800s_are_refused(api):
    response = api("zz_power_of_attorney", {"principal_pesel": make_pesel(dt.date(1890, 9, 3))})
    assert response.status_code == 422
    assert "3 września 1890" in response.get_json()["errors"]["principal_pesel"][0]
    response = api("family_consent", {"consent_date": "0001-01-01"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["consent_date"] == [
        "Podaj datę nie wcześniejszą niż 1 stycznia 1900\u00a0r."]


def test_api_dates_are_read_like_identifiers(api):
    today = dt.date.today()
    typed = f" {today:%d.%m.%Y}\n".translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    response = api("family_consent", {"consent_date": typed})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["consent_date"] == today.isoformat()


def test_validation_judges_today_in_warsaw(monkeypatch, api):
    import service.forms_kinds as forms_kinds  # the date checks of each kind of field
    from service.documents.context import WARSAW, office_today

    assert office_today() == dt.datetime.now(WARSAW).date()
    # The server's clock zone is behind Warsaw at midnight: the forms must ask Warsaw, not the host.
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(forms_kinds, "office_today", lambda: tomorrow)
    response = api("family_consent", {"consent_date": tomorrow.isoformat()})
    assert response.status_code == 201, response.get_json()


def test_api_a_number_where_text_is_expected_is_refused(api):
    for value in (12345, 1e300, True, {"a": 1}):
        response = api("family_consent", {"assistant_name": value})
        assert response.status_code == 422
        assert response.get_json()["errors"]["assistant_name"][0].startswith("Oczekiwano")


def test_api_a_name_of_combining_marks_only_is_refused(api):
    response = api("family_consent", rows=[{"full_name": "\u0328\u0301", "role": "matka"}])
    assert response.status_code == 422
    assert "znaku łączącego" in response.get_json()["errors"]["persons[0].full_name"][0]


def test_full_width_letters_are_read_as_ascii_and_blank_lines_collapse(client, api):
    response = api("zz_power_of_attorney", {"principal_name": "Ａｎｎａ　Ｋｏｗａｌｓｋａ",
                                            "matter": "Sprawa A" + "\n" * 1990 + "Sprawa B"})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["principal_name"] == "Anna Kowalska"
    assert data["matter"] == "Sprawa A\n\nSprawa B"
    assert normalize_block("a\n\n\n\nb") == "a\n\nb"
