"""In real Chromium, CSRF on: the administrator founds an account on the page (an error first), sees
the one-time password, the list and the account's page; the head filters the access log. Every
page: no sideways scrolling from phone to desktop width and no axe-core violation (WCAG 2.1 AA).
ASYSTA_SHOTS=/some/folder saves the screenshots."""
from __future__ import annotations

import re

import pytest

from tests.signing.test_browser import live, log_in  # noqa: F401 (live: the app over HTTP, CSRF on)
from tests.web.test_accessibility import LONG_NAME, axe, check_page, chromium, new_page  # noqa: F401

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def test_accounts_and_the_access_log_in_chromium(app, live, chromium, axe, create_user):
    create_user("assistant", login="kowalska-" + "ż" * 50, full_name=LONG_NAME)
    admin = page = new_page(chromium, live)
    log_in(page, create_user("admin"))
    page.get_by_role("link", name="Zarządzaj kontami pracowników").click()
    page.get_by_role("link", name="Załóż konto").click()
    page.get_by_label("Login").fill("kzielinska")
    page.get_by_role("button", name="Załóż konto").click()
    assert page.locator("#full_name-error").inner_text() == "Podaj imię i nazwisko."
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    check_page(page, axe, "account-new-errors")
    page.get_by_label("Imię i nazwisko").fill("Katarzyna Zielińska")
    page.get_by_label("Rola").select_option(label="koordynator asystentów rodziny")
    page.get_by_role("button", name="Załóż konto").click()
    password = page.locator("code.secret").inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", password)
    check_page(page, axe, "account-one-time")
    page.get_by_role("link", name="Wróć do listy kont").click()
    check_page(page, axe, "accounts")
    page.get_by_role("link", name="Katarzyna Zielińska").click()
    check_page(page, axe, "account-edit")
    page.get_by_role("button", name="Wyłącz konto").click()
    assert "Konto kzielinska zostało wyłączone." in page.locator(".flash.success").inner_text()

    head = new_page(chromium, live)
    log_in(head, create_user("head"))
    head.get_by_role("link", name="Przeglądaj dziennik dostępu").click()
    head.get_by_label("Czynność").select_option(label="założenie konta")
    head.get_by_role("button", name="Filtruj").click()
    assert head.locator("table.list tbody tr").count() == 1
    check_page(head, axe, "access-log")
    head.get_by_label("Czynność").select_option(label="— wszystkie czynności —")
    head.get_by_label("Znak sprawy rodziny").fill("MOPS.SPS.1.1.2026")
    head.get_by_role("button", name="Filtruj").click()
    assert "Nie ma sprawy o znaku" in head.locator("#case_sign-error").inner_text()
    check_page(head, axe, "access-log-errors")
    admin.context.close()
    head.context.close()
