"""The signing page in the family's language (issue 9): Polish, Ukrainian, English from Babel
catalogues; the choice by ?lang=, remembered for the session, or Accept-Language; staff pages stay
Polish; the language kept with each signature and printed on the evidence page; the paper way."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader
from sqlalchemy import select

from service import pipeline
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.i18n import TRANSLATIONS, compile_catalogues
from service.signing import device_views
from service.signing.models import Signature, SignedDocument, SigningEvent, SigningSession
from signatures import capture
from tests.signing.conftest import issue_document, start_remote
from tests.signing.drawing import signature_post

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("uk", "en")
UK_STATEMENT = "Підтверджую ознайомлення зі змістом документа."
EN_STATEMENT = "I confirm that I have read the document."


def catalogue(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_of_the_template_is_translated_and_none_is_fuzzy(lang):
    with (TRANSLATIONS / "messages.pot").open("rb") as pot:
        wanted = {m.id for m in read_po(pot) if m.id}
    translated = catalogue(lang)
    have = {m.id: m for m in translated if m.id}
    assert wanted - set(have) == set(), "run pybabel update (README, Translations)"
    assert [m.id for m in have.values() if not m.string] == []
    assert [m.id for m in have.values() if m.fuzzy] == [] and not translated.fuzzy
    for message in have.values():  # every %(name)s placeholder kept, none invented
        assert set(re.findall(r"%\(\w+\)s", message.id)) == set(re.findall(r"%\(\w+\)s", message.string)), message.id


def test_the_template_is_what_pybabel_extracts_from_the_code(tmp_path):
    """Nothing marked in the code is missing from messages.pot (a new text must be extracted)."""
    from babel.messages.frontend import CommandLineInterface

    out = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_", "-k", "_l",
                                "-k", "lazy_gettext", "--no-location", "-o", str(out), str(ROOT)])
    with out.open("rb") as fresh, (TRANSLATIONS / "messages.pot").open("rb") as kept:
        assert {m.id for m in read_po(fresh) if m.id} == {m.id for m in read_po(kept) if m.id}


def test_every_document_type_says_what_signing_it_means_in_three_languages():
    for lang in TRANSLATED:
        strings = {m.id: m.string for m in catalogue(lang) if m.id}
        for doctype in DOCUMENT_TYPES:
            assert len(doctype.signing_summary) > 40, doctype.slug
            assert strings.get(doctype.signing_summary), f"{doctype.slug}: no {lang} translation of signing_summary"
    assert "signing_summary" in {f.name for f in __import__("dataclasses").fields(type(DOCUMENT_TYPES["family_consent"]))
                                 if f.default is __import__("dataclasses").MISSING}  # required of every new type


def test_the_messages_of_signature_capture_are_marked_as_they_are():
    assert set(device_views.CAPTURE_MESSAGES) == {capture.UNREADABLE, capture.INVALID_STROKES, capture.TOO_SMALL,
                                                  capture.EMPTY, capture.BLANK_IMAGE}
    assert all(key == value for key, value in device_views.CAPTURE_MESSAGES.items())


def test_missing_or_stale_compiled_catalogues_are_compiled(tmp_path):
    folder = tmp_path / "uk" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "messages.po"
    po.write_bytes((TRANSLATIONS / "uk" / "LC_MESSAGES" / "messages.po").read_bytes())
    assert compile_catalogues(tmp_path) == [folder / "messages.mo"]
    assert compile_catalogues(tmp_path) == []  # up to date
    mo = folder / "messages.mo"
    import os
    os.utime(mo, (po.stat().st_mtime - 10, po.stat().st_mtime - 10))
    assert compile_catalogues(tmp_path) == [mo]


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_language_from_the_address_the_browser_and_the_session(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    address = f"/podpis/{session_id}"
    polish = page_text(tablet.get(address))
    assert '<html lang="pl">' in polish and "Potwierdzam zapoznanie się z treścią dokumentu." in polish
    assert "/" not in re.search(r"<span>([^<]*zapozna[^<]*)</span>", polish).group(1)  # no slash form
    by_browser = page_text(tablet.get(address, headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}))
    assert '<html lang="uk">' in by_browser and UK_STATEMENT in by_browser
    assert "Цей документ – згода на співпрацю з асистентом сім’ї" in by_browser  # what signing it means
    assert page_text(tablet.get(address, headers={"Accept-Language": "de-DE,fr;q=0.8"})).count('<html lang="pl">') == 1
    # ?lang= wins over the browser, and is kept for the rest of this signing session
    english = page_text(tablet.get(address + "?lang=en", headers={"Accept-Language": "uk"}))
    assert '<html lang="en">' in english and EN_STATEMENT in english
    assert '<html lang="en">' in page_text(tablet.get(address, headers={"Accept-Language": "uk"}))
    # the switch: each language in its own name, with its lang, the current one marked
    assert re.search(r'<a href="[^"]*lang=uk" lang="uk" hreflang="uk">Українська</a>', english)
    assert re.search(r'<a href="[^"]*lang=en" lang="en" hreflang="en" aria-current="true">English</a>', english)
    assert 'lang="pl" hreflang="pl">Polski</a>' in english
    # the document's own text is marked as Polish inside the English page
    assert '<h1 lang="pl">Zgoda rodziny na współpracę z asystentem rodziny</h1>' in english
    # staff pages stay Polish whatever the browser asks for
    staff_page = page_text(staff.get(f"/archive/{doc_id}", headers={"Accept-Language": "uk"}))
    assert '<html lang="pl">' in staff_page and "Anuluj podpisywanie" in staff_page  # a session is open


def test_the_choice_is_not_carried_to_the_next_familys_session(app, staff, tablet):
    first = start_remote(staff, issue_document(staff))
    tablet.get(first[0] + "?lang=uk", follow_redirects=True)
    assert UK_STATEMENT in page_text(tablet.get(f"/podpis/{first[1]}"))
    staff.post(f"/archive/{first_doc(app, first[1])}/signing/{first[1]}/cancel")
    second = start_remote(staff, issue_document(staff))
    tablet.get(second[0])
    assert '<html lang="pl">' in page_text(tablet.get(f"/podpis/{second[1]}"))


def first_doc(app, session_id: str) -> str:
    with app.app_context():
        return db.session.get(SigningSession, session_id).document_id


def test_code_form_and_closed_pages_follow_the_language(app, tablet):
    form = page_text(tablet.get("/s?lang=uk"))
    assert '<html lang="uk">' in form and "Введіть код, який видно на екрані працівника центру." in form
    refused = tablet.post("/s?lang=en", data={"code": ""})
    assert "Enter the code, e.g. ABCD-2345." in page_text(refused)
    unknown = tablet.get("/s/ABCD2345?lang=en")
    assert unknown.status_code == 410 and "There is no such link" in page_text(unknown)
    # the switch of a refused link leads to the code form, not to the link again
    assert 'href="/s?lang=uk"' in page_text(unknown)


def test_a_refused_step_in_ukrainian_keeps_the_drawing_and_the_trail_stays_polish(app, staff, tablet):
    link, session_id = start_remote(staff, issue_document(staff))
    tablet.get(link + "?lang=uk", follow_redirects=True)
    response = tablet.post(f"/podpis/{session_id}", data={"position": 0, **signature_post()})
    page = page_text(response)
    assert response.status_code == 422
    assert "Позначте підтвердження ознайомлення зі змістом документа" in page
    assert "data-restore=" in page
    with app.app_context():
        detail = db.session.execute(select(SigningEvent.detail).where(SigningEvent.action == "refused")).scalar_one()
    assert detail.startswith("Zaznacz potwierdzenie zapoznania się")


def test_the_language_of_each_signature_is_kept_and_printed_on_the_evidence_page(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link + "?lang=uk", follow_redirects=True)
    first = tablet.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y", **signature_post()})
    assert first.status_code == 302
    assert "Дякуємо, підпис поставлено. Тепер підписує: Jan Kowalski." in page_text(tablet.get(first.location))
    tablet.get(f"/podpis/{session_id}?lang=en")
    last = tablet.post(f"/podpis/{session_id}", data={"position": 1, "read_confirmed": "y", **signature_post()})
    assert last.status_code == 302
    done = tablet.get(last.location)
    assert done.status_code == 410 and "The document has been signed" in page_text(done)
    with app.app_context():
        assert db.session.execute(select(Signature.language).order_by(Signature.position)).scalars().all() \
            == ["uk", "en"]
        signed = db.session.execute(select(SignedDocument)).scalar_one()
        pdf = pipeline(app).store.read(signed.pdf_sha256, "pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert re.search(r"Język strony podpisu\s*ukraiński", text) and re.search(r"Język strony podpisu\s*angielski", text)


def test_the_family_can_choose_paper(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link + "?lang=en", follow_redirects=True)
    page = page_text(tablet.get(f"/podpis/{session_id}"))
    assert "I would rather sign on paper" in page and "Yes, I will sign on paper" in page
    ended = tablet.post(f"/podpis/{session_id}/papier")
    assert ended.status_code == 410 and "You will sign the document on paper" in page_text(ended)
    again = tablet.get(f"/podpis/{session_id}")
    assert again.status_code == 410 and "You will sign the document on paper" in page_text(again)
    with app.app_context():
        session = db.session.get(SigningSession, session_id)
        assert session.state() == "cancelled" and session.paper_requested_at is not None
        assert session.cancelled_by_id is None
        actions = db.session.execute(select(SigningEvent.action).where(SigningEvent.session_id == session_id)
                                     .order_by(SigningEvent.id)).scalars().all()
        assert actions[-1] == "paper_requested"
    status = staff.get(f"/archive/{doc_id}/signing/{session_id}/status").get_json()
    assert status["state"] == "cancelled" and "rodzina wybrała podpis na papierze" in status["state_label"]
    document = page_text(staff.get(f"/archive/{doc_id}"))
    assert "Rodzina wybrała na tablecie podpis na papierze" in document
    assert "Wydrukuj do podpisu (z kodem QR)" in document
    # once staff start a new tablet round, the note goes
    start_remote(staff, doc_id)
    assert "Rodzina wybrała na tablecie podpis na papierze" not in page_text(staff.get(f"/archive/{doc_id}"))


def test_another_device_cannot_end_the_session_for_paper(app, staff, tablet):
    link, session_id = start_remote(staff, issue_document(staff))
    tablet.get(link)
    stranger = app.test_client()
    assert stranger.post(f"/podpis/{session_id}/papier").status_code == 410
    with app.app_context():
        assert db.session.get(SigningSession, session_id).paper_requested_at is None


def test_a_wrong_staff_password_is_shown_at_its_field_and_the_drawing_is_kept(app, client, create_user, login):
    head = create_user("head", full_name="Barbara Nowak")
    login(head)
    doc_id = issue_document(client, "assignment_letter")
    session_id = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"}).location.rsplit("/", 1)[1]
    response = client.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y", "login": head.login,
                                                           "password": "zle-haslo", **signature_post()})
    page = page_text(response)
    assert response.status_code == 422 and "data-restore=" in page
    assert re.search(r'<input[^>]*aria-describedby="password-error"[^>]*aria-invalid="true"|'
                     r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="password-error"', page)
    assert re.search(r'<p class="error" id="password-error" role="alert">Nieprawidłowy login lub hasło', page)


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # no database work: once
def test_outside_a_request_the_language_is_polish(app):
    from flask_babel import get_locale, gettext

    with app.app_context():  # e.g. a CLI command: no request to choose from
        assert str(get_locale()) == "pl" and gettext("Podpisz") == "Podpisz"


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # no database work: once
def test_the_wait_after_too_many_tries_is_said_in_the_pages_language(app):
    import datetime as dt

    from service.accounts import throttle

    until = throttle.now() + dt.timedelta(minutes=5)
    time = until.astimezone(throttle.WARSAW).strftime("%H:%M")
    with app.test_request_context("/s?lang=uk"):
        assert device_views.wait_message(until) == f"Забагато невдалих спроб. Спробуйте ще раз після {time}."
    with app.test_request_context("/s"):  # Polish: word for word what the login page says
        assert device_views.wait_message(until) == throttle.Throttled(until).message


@pytest.mark.parametrize("header, lang", [
    ("uk-UA,pl;q=0.9", "uk"),  # a Ukrainian browser with Polish second (Firefox, Safari send no bare „uk”)
    ("en-GB,pl;q=0.5", "en"),
    ("ru,uk;q=0.8,pl;q=0.7", "uk"),  # Russian is not offered: the next language by quality
    ("pl;q=0,en-US", "en"),  # q=0: „not this one”
    ("*", "pl"),
    ("ru", "pl"),
    ("UK-ua", "uk"),
    ("uk;q=abc,en;q=0.5", "en"),  # an unreadable quality counts as none (RFC 9110, 12.4.2)
])
def test_the_browser_language_is_chosen_by_quality_then_by_primary_subtag(app, staff, tablet, header, lang):
    """RFC 4647, 3.4 lookup over the ranges in order of quality: „uk-UA” asks for Ukrainian before
    „pl;q=0.9” asks for Polish, though only the latter matches exactly."""
    link, session_id = start_remote(staff, issue_document(staff))
    tablet.get(link)
    page = tablet.get(f"/podpis/{session_id}", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
