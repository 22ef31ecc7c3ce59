"""Bad input: the form comes back with Polish messages at the fields, keeps what was typed,
and nothing is numbered, stored or archived."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from service.archive.models import DocumentRecord
from service.families.models import Case
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from tests.helpers import form_data, issuer_role


def archived(app) -> tuple[int, int, list]:
    with app.app_context():
        docs = db.session.scalar(select(func.count()).select_from(DocumentRecord))
        cases = db.session.scalar(select(func.count()).select_from(Case))
    files = [p for p in app.config["ARCHIVE_DIR"].rglob("*") if p.is_file()] if app.config["ARCHIVE_DIR"].exists() else []
    return docs, cases, files


def error_next_to(html: str, field_id: str) -> str:
    """The error message shown inside the field's block."""
    block = re.search(rf'<div class="field has-error[^"]*"[^>]*>(?:(?!<div class="field).)*?id="{re.escape(field_id)}"'
                      rf'(?:(?!<div class="field).)*?<p class="error" id="[^"]*-error">([^<]+)</p>', html, re.S)
    assert block, f"no error shown next to {field_id}"
    return block.group(1)


def post(client, slug, changes):
    doctype = DOCUMENT_TYPES[slug]
    data = form_data(doctype, doctype.sample_data)
    data.update(changes)
    return client.post(f"/documents/new/{slug}", data=data)


@pytest.fixture
def as_issuer(create_user, login):
    def go(slug):
        return login(create_user(issuer_role(DOCUMENT_TYPES[slug])))
    return go


def test_invalid_pesel(app, as_issuer):
    client = as_issuer("zz_power_of_attorney")
    response = post(client, "zz_power_of_attorney", {"principal_pesel": "90110302641", "principal_name": "Zofia Żółć"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_next_to(html, "principal_pesel") == "Nieprawidłowy numer PESEL: błędna cyfra kontrolna."
    assert 'value="90110302641"' in html and 'value="Zofia Żółć"' in html
    assert archived(app) == (0, 0, [])


@pytest.mark.parametrize("pesel, message", [
    ("1234", "PESEL musi składać się z 11 cyfr."),
    ("88133104580", "Nieprawidłowy numer PESEL: zawiera niemożliwą datę urodzenia."),
])
def test_pesel_shape_and_date(app, as_issuer, pesel, message):
    client = as_issuer("family_consent")
    html = post(client, "family_consent", {"persons-0-pesel": pesel}).get_data(as_text=True)
    assert error_next_to(html, "persons-0-pesel") == message


def test_dates_in_wrong_order(app, as_issuer):
    client = as_issuer("zz_power_of_attorney")
    response = post(client, "zz_power_of_attorney", {"valid_from": "2026-12-01", "valid_until": "2026-11-30"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_next_to(html, "valid_until") == "Data końca ważności nie może być wcześniejsza niż data początku."
    assert archived(app) == (0, 0, [])


def test_start_before_request(app, as_issuer):
    client = as_issuer("assignment_letter")
    html = post(client, "assignment_letter", {"request_date": "2026-11-20", "start_date": "2026-11-19"}).get_data(as_text=True)
    assert error_next_to(html, "start_date") == "Data rozpoczęcia nie może być wcześniejsza niż data wniosku."


def test_missing_required_fields(app, as_issuer):
    client = as_issuer("assignment_letter")
    response = post(client, "assignment_letter", {"assistant_name": "", "street": "   ", "basis": "court",
                                                  "court_name": "", "addressee_name": "Jan Żak"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("assistant_name", "street", "court_name"):
        assert error_next_to(html, field) == "To pole jest wymagane."
    assert 'value="Jan Żak"' in html
    assert "Popraw następujące błędy" in html and "<title>Błąd: " in html
    assert archived(app) == (0, 0, [])


def test_group_needs_one_row_and_complete_rows(app, as_issuer):
    client = as_issuer("family_consent")
    empty_rows = {f"persons-{i}-{k}": "" for i in range(2) for k in ("full_name", "pesel", "role")}
    html = post(client, "family_consent", empty_rows).get_data(as_text=True)
    assert "Uzupełnij co najmniej 1 pozycję." in html
    html = post(client, "family_consent", {"persons-1-role": "", "persons-1-full_name": ""} | {
        "persons-1-pesel": "85072212339"}).get_data(as_text=True)
    assert error_next_to(html, "persons-1-full_name") == "To pole jest wymagane."


def test_wrong_formats(app, as_issuer):
    client = as_issuer("assignment_letter")
    html = post(client, "assignment_letter", {"postal_code": "32600", "assistant_email": "nie-email",
                                              "assistant_phone": "abc", "start_date": "31.02.2026"}).get_data(as_text=True)
    assert error_next_to(html, "postal_code") == "Kod pocztowy w formacie 00-000, np. 32-600."
    assert error_next_to(html, "assistant_email").startswith("Podaj poprawny adres e-mail")
    assert error_next_to(html, "assistant_phone").startswith("Podaj numer telefonu")
    assert error_next_to(html, "start_date") == "Podaj poprawną datę w formacie RRRR-MM-DD lub DD.MM.RRRR."


def test_polish_date_format_is_accepted(app, as_issuer):
    client = as_issuer("assignment_letter")
    response = post(client, "assignment_letter", {"start_date": "01.12.2026"})
    assert response.status_code == 302


def test_future_consent_refused(app, as_issuer):
    client = as_issuer("family_consent")
    html = post(client, "family_consent", {"consent_date": "2999-01-01"}).get_data(as_text=True)
    assert error_next_to(html, "consent_date") == "Data nie może być późniejsza niż dzisiejsza."


def test_csrf_is_on(app, create_user):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    user = create_user("assistant")
    response = client.post("/login", data={"login": user.login, "password": "haslo-" + user.login})
    assert response.status_code == 400


def summary_links(html: str) -> dict[str, str]:
    """The error summary's links: {href: text}."""
    box = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert box, "no error summary"
    return dict(re.findall(r'<a href="(#[^"]+)">([^<]+)</a>', box.group(1)))


def test_every_error_in_one_round_with_a_summary_linking_to_each_field(app, as_issuer):
    client = as_issuer("zz_power_of_attorney")
    response = post(client, "zz_power_of_attorney", {
        "principal_name": "", "valid_from": "2026-11-24", "valid_until": "2026-11-01", "scope": "",
        "institutions-0-name": "", "institutions-0-address": "", "institutions-1-name": "",
        "institutions-1-address": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<title>Błąd: " in html
    links = summary_links(html)
    # the dates' order is reported together with the missing fields, not in a second round
    assert links["#valid_until"] == "Ważne do: Data końca ważności nie może być wcześniejsza niż data początku."
    assert links["#principal_name"] == "Osoba upoważniająca: To pole jest wymagane."
    assert links["#scope-0"] == "Rodzaj upoważnienia: To pole jest wymagane."  # a radio group: its first radio
    assert links["#institutions-0-name"].endswith("Uzupełnij co najmniej 1 pozycję.")
    field = re.search(r'<input[^>]*id="valid_until"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and "valid_until-error" in field
    assert 'id="valid_until-error"' in html


def test_a_conditionally_required_field_is_marked_as_the_choice_stands(app, as_issuer):
    client = as_issuer("zz_power_of_attorney")

    def matter(html: str) -> tuple[str, str]:
        box = re.search(r'<div class="field[^"]*" data-required-if="scope" data-required-value="specific">.*?</div>',
                        html, re.S).group(0)
        return re.search(r"<textarea[^>]*>", box).group(0), re.search(r'<span class="req"[^>]*>', box).group(0)

    textarea, marker = matter(client.get("/documents/new/zz_power_of_attorney").get_data(as_text=True))
    assert "aria-required" not in textarea and " hidden" in marker
    textarea, marker = matter(post(client, "zz_power_of_attorney", {"scope": "specific", "matter": "",
                                                                    "principal_name": ""}).get_data(as_text=True))
    assert 'aria-required="true"' in textarea and " hidden" not in marker
    textarea, marker = matter(post(client, "zz_power_of_attorney", {"scope": "general",
                                                                    "principal_name": ""}).get_data(as_text=True))
    assert "aria-required" not in textarea and " hidden" in marker


def test_an_upload_over_the_request_limit_is_refused_at_its_field(app, client, create_user, login):
    """413 on the scan upload and the seal check: the form again with the message at the file's field;
    a request without a login gets the general page, not the form."""
    import io
    app.config["MAX_CONTENT_LENGTH"] = 1024
    big = b"%PDF-1.4\n" + b"0" * 2048
    anonymous = client.post("/scans", data={"file": (io.BytesIO(big), "skan.pdf")}, content_type="multipart/form-data")
    assert anonymous.status_code in (302, 413) and 'id="file"' not in anonymous.get_data(as_text=True)
    login(create_user("assistant"))
    for path in ("/scans", "/verify"):
        response = client.post(path, data={"file": (io.BytesIO(big), "skan.pdf")}, content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 413, path
        assert 'aria-invalid="true"' in page and "największy dopuszczalny plik ma 1 kB" in page, path
        assert "Plik jest za duży" in page and 'href="#file"' in page, path
