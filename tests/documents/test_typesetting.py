"""The Polish typesetting rule (service/documents/typesetting.py) and its use in the template context."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from service.documents.context import build_context
from service.documents.legal import ZZ_AUTHORISATION
from service.documents.registry import DOCUMENT_TYPES
from service.documents.typesetting import NB_HYPHEN, NBSP, typeset
from signatures.fonts import printable

S, H = NBSP, NB_HYPHEN


@pytest.mark.parametrize("text, expected", [
    # postal codes and other numbers written with hyphens
    ("32-600 Oświęcim", f"32{H}600{S}Oświęcim"),
    ("ul. Polna 5, 32-600 Oświęcim", f"ul.{S}Polna 5, 32{H}600{S}Oświęcim"),
    ("kod 32-600.", f"kod 32{H}600."),
    ("NIP 549-10-34-225", f"NIP 549{H}10{H}34{H}225"),
    ("Kowalska-Nowak", "Kowalska-Nowak"),
    ("jan-12-3@mops-1-2.pl, 12-3", f"jan-12-3@mops-1-2.pl, 12{H}3"),
    ("https://bip.pl/a-1-2", "https://bip.pl/a-1-2"),
    # numbers in groups, number and unit, day and month
    ("tel. 501 234 567", f"tel.{S}501{S}234{S}567"),
    ("10 000 zł", f"10{S}000{S}zł"),
    ("w 2026 r. było 12 km i 5 %", f"w{S}2026{S}r. było 12{S}km i{S}5{S}%"),
    ("12 miesięcy", "12 miesięcy"),
    ("5 razy", "5 razy"),
    ("24 listopada 2026 r.", f"24{S}listopada 2026{S}r."),
    # abbreviations before numbers and names, initials
    ("§ 3 ust. 1 pkt 2 lit. a", f"§{S}3 ust.{S}1 pkt{S}2 lit.{S}a"),
    ("art. 11", f"art.{S}11"),
    ("nr 5", f"nr{S}5"),
    ("ul. Słowackiego 12 m. 4", f"ul.{S}Słowackiego 12{S}m.{S}4"),
    ("o 5 godz. a potem", f"o{S}5{S}godz. a{S}potem"),
    ("(Dz. U. z 2024 r. poz. 1829)", f"(Dz.{S}U.{S}z{S}2024{S}r. poz.{S}1829)"),
    ("J. Kowalski", f"J.{S}Kowalski"),
    ("dr Nowak", f"dr{S}Nowak"),
    # one-letter words, capital or not, in a row, after opening punctuation
    ("i w domu", f"i{S}w{S}domu"),
    ("A potem (z domu) „o tym”", f"A{S}potem (z{S}domu) „o{S}tym”"),
    ("Zofia, u nas", f"Zofia, u{S}nas"),
    ("witamina a", "witamina a"),
    ("Kowalska-a b", "Kowalska-a b"),
    ("5a b", "5a b"),
    # a dash never starts a line
    ("Urząd Miasta – Wydział", f"Urząd Miasta{S}– Wydział"),
    # line breaks stay where they are: a one-letter word may end a line the writer ended
    ("z\ndomu", "z\ndomu"),
    ("dom w\n2026 r.", f"dom w\n2026{S}r."),
    # runs of spaces keep their width
    ("i  w", f"i{S}{S}w"),
    ("", ""),
])
def test_rule(text, expected):
    assert typeset(text) == expected


def test_non_text_passes_through():
    assert typeset(None) is None and typeset(5) == 5


def test_legal_citations_are_typeset():
    citation = typeset(ZZ_AUTHORISATION.citation)
    assert citation.startswith(f"art.{S}8 ust.{S}3 pkt{S}2 ustawy z{S}dnia 4{S}listopada 2016{S}r. o{S}wsparciu")
    assert citation.endswith(f"(Dz.{S}U.{S}z{S}2024{S}r. poz.{S}1829)")


@given(st.text(alphabet=st.sampled_from(list("aiwzA 0123456789-.–\n§rkmłzx@/"))))
def test_only_spaces_and_hyphens_change(text):
    result = typeset(text)
    assert len(result) == len(text)
    assert typeset(result) == result  # idempotent
    for before, after in zip(text, result):
        assert before == after or (before == " " and after == S) or (before == "-" and after == H)


def test_characters_are_printable():
    assert printable(NBSP) and printable(NB_HYPHEN)


def test_context_typesets_every_text_and_keeps_raw():
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    data = doctype.sample_data
    data["institutions"][0]["address"] = "ul. Zaborska 2, 32-600 Oświęcim"
    data["street"] = "شارع 5 و 32-600"
    office = {"name": "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu", "postal_code": "32-600",
              "town": "Oświęcim", "phone": "33 842 24 76"}
    raw = doctype.sample_data | {"street": data["street"]}
    ctx = build_context(doctype, data, office=office, case_sign="MOPS.SPS.4011.12.2026",
                        doc_ref="Asysta 7f3a9c21", issued_on=dt.date(2026, 11, 24))
    assert ctx["office"]["name"] == f"Miejski Ośrodek Pomocy Społecznej w{S}Oświęcimiu"
    assert ctx["office"]["postal_code"] == f"32{H}600" and ctx["office"]["phone"] == f"33{S}842{S}24{S}76"
    assert ctx["postal_code"] == f"32{H}600"
    assert ctx["institutions"][0]["address"] == f"ul.{S}Zaborska 2, 32{H}600{S}Oświęcim"
    assert ctx["legal_basis"].startswith(f"art.{S}8")
    assert ctx["place_date"] == f"Oświęcim, dnia 24{S}listopada 2026{S}r."
    assert ctx["valid_from"] == f"24{S}listopada 2026{S}r."
    # right-to-left text is still isolated, around the typeset text
    assert ctx["street"] == f"\u2068شارع 5 و 32{H}600\u2069"
    assert ctx["raw"]["postal_code"] == "32-600" and ctx["raw"]["street"] == raw["street"]
    assert ctx["raw"]["institutions"][0]["address"] == "ul. Zaborska 2, 32-600 Oświęcim"
