"""A field required only while a yes/no field is ticked (FieldSpec.required_if ("court_ordered",
True): the court's name, case number and date of a request the court ordered; the reason of a
monitoring note that asks for renewed support). The page writes True as "true" and static/forms.js
reads a checkbox as ticked or not: its value is "y" ticked or not (WTForms' BooleanField), which
never equalled the "True" the page wrote, so the mark „*” and aria-required went with every page
load and every tick, and after a refusal the fields the server had just required looked optional."""
from __future__ import annotations

import re

import pytest

from tests.signing.test_browser import POLISH, TABLET, browser, live, log_in  # noqa: F401 (fixtures)

FORM = "/documents/new/assistant_request"
COURT_FIELDS = ("court_name", "court_case_number", "court_decision_date")


def test_the_page_writes_a_yes_no_value_as_the_script_reads_it(app, login, create_user):
    page = login(create_user("social_worker")).get(FORM).get_data(as_text=True)
    for name in COURT_FIELDS:
        assert re.search(rf'data-required-if="court_ordered" data-required-value="true"[^>]*>\s*<label for="{name}"',
                         page), name
    assert 'data-required-if="family_consented" data-required-value="true"' in page
    assert 'data-required-value="True"' not in page


def _required(page, name: str) -> tuple[bool, str | None]:
    """Whether the field's „*” shows, and its aria-required."""
    box = page.locator(f".field:has(> label[for='{name}'])")
    return box.locator(".req").is_visible(), page.locator(f"#{name}").get_attribute("aria-required")


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_ticking_the_court_order_makes_its_fields_required_and_unticking_optional(app, live, browser,  # noqa: F811
                                                                                    create_user):
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    page = browser.new_context(viewport=TABLET, base_url=live, locale=POLISH).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, worker)
    page.goto(FORM)
    court = page.get_by_label("Sąd zobowiązał rodzinę do współpracy z asystentem rodziny")
    assert not court.is_checked()
    assert [_required(page, n) for n in COURT_FIELDS] == [(False, None)] * 3
    court.check()
    assert [_required(page, n) for n in COURT_FIELDS] == [(True, "true")] * 3
    court.uncheck()
    assert [_required(page, n) for n in COURT_FIELDS] == [(False, None)] * 3

    # ticked and sent without the court's data: the page shown again says the fields are required,
    # and the script, reading the ticked box, keeps them marked so
    court.check()
    page.get_by_role("button", name="Wystaw dokument").last.click()
    page.locator(".error-summary").wait_for()
    assert page.get_by_label("Sąd zobowiązał rodzinę do współpracy z asystentem rodziny").is_checked()
    for name in COURT_FIELDS:
        assert page.locator(f"#{name}-error").inner_text() == "To pole jest wymagane."
    assert [_required(page, n) for n in COURT_FIELDS] == [(True, "true")] * 3
    consent = page.get_by_label("Data wyrażenia zgody przez rodzinę")
    assert consent.get_attribute("aria-required") is None  # the family's consent not ticked
    page.get_by_label("Rodzina wyraziła zgodę na współpracę z asystentem rodziny").check()
    assert _required(page, "consent_date") == (True, "true")
    assert errors == []
