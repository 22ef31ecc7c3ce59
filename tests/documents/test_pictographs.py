"""A pictograph (emoji) among right-to-left letters or Arabic-Indic digits prints as itself, not as an
empty glyph of the document's font (LibreOffice 7.4 gives it no fallback there; context.printed
adds a text presentation selector). Found by the text property test: „٣😀=١۰[۰k۰k”."""
from __future__ import annotations

import pytest

from service.documents.context import printed, select_text_presentation
from service.documents.registry import DOCUMENT_TYPES
from signatures.pdfa import pdfa_report

MATTERS = ["٣😀=١۰[۰k۰k", "שלום 😀 עולם", "١ 🙂 ٣", "محمد 😀 علي", "Wniosek 😀 w sprawie"]


def test_the_selector_goes_only_where_it_is_needed():
    assert select_text_presentation("٣😀=١۰") == "٣😀\ufe0e=١۰"
    assert select_text_presentation("Wniosek 😀") == "Wniosek 😀"  # no right-to-left text: as typed
    assert select_text_presentation("שלום 😀\ufe0f") == "שלום 😀\ufe0f"  # a selector already there
    assert select_text_presentation("שלום 👍🏽 👩\u200d💻") == "שלום 👍🏽 👩\u200d💻"  # modifier, joiner
    assert select_text_presentation("שלום ★") == "שלום ★"  # BMP symbols have their glyphs
    assert "\ufe0e" in printed("שלום 😀 עולם")


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_pictographs_among_right_to_left_text_keep_their_glyphs(app, client, create_user, api_token):
    headers = api_token(create_user("assistant"))
    doctype = DOCUMENT_TYPES.get("zz_power_of_attorney")
    for matter in MATTERS:
        response = client.post("/api/documents/zz_power_of_attorney", headers=headers,
                               json={**doctype.sample_data, "scope": "specific", "matter": matter})
        assert response.status_code == 201, response.get_json()
        pdf = client.get(response.get_json()["links"]["pdf"], headers=headers)
        report = pdfa_report(pdf.data)
        pdf.close()
        assert not report.glyph_problems, (matter, report.glyph_problems)
