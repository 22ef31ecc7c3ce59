"""Documents in proper Polish: gender and number of the persons, names declined with Morfeusz 2, and
every document type rendered for a woman, a man, an unknown name and several persons with no slash
form and the agreements its declaration expects."""
from __future__ import annotations

import copy
import datetime as dt
import io
import re
import threading
from dataclasses import dataclass

import pytest
from docx import Document
from docx.oxml.ns import qn

from service.documents import grammar
from service.documents.context import build_context
from service.documents.grammar import (Person, Persons, agree, agree_number, decline, gender_from_first_name,
                                       gender_from_pesel, gender_of, make_person, named, sex_problem)
from service.documents.registry import DOCUMENT_TYPES
from service.documents.render import RenderError, render_docx
from service.documents.spec import PERSON_VARIANTS, PersonRef
from tests.helpers import form_data, issuer_role, normalise_typesetting, poppler_text
from tests.families.visits import family_for

WOMAN_PESEL = "88031504580"  # tenth digit 8: even, a woman
MAN_PESEL = "85072212339"  # tenth digit 3: odd, a man


# ---------------------------------------------------------------------------- gender

def test_gender_from_pesel_sex_digit():
    assert gender_from_pesel(WOMAN_PESEL) == "f"
    assert gender_from_pesel(MAN_PESEL) == "m"
    assert gender_from_pesel("88031504581") is None  # wrong checksum
    assert gender_from_pesel("") is None and gender_from_pesel(None) is None


@pytest.mark.parametrize(("name", "gender"), [
    ("Anna Kowalska", "f"), ("Małgorzata Dąbrowska-Śliwińska", "f"), ("Jan Kowalski", "m"),
    ("Tomasz Wójcik", "m"), ("Barbara Nowak", "f"), ("Krzysztof Nowak", "m"),
    ("Ołena Kowalenko", None), ("Oleksandr Szewczenko", None), ("Олена Коваленко", None),
    ("Sasha Kowalski", None), ("", None),
])
def test_gender_from_first_name(name, gender):
    assert gender_from_first_name(name) == gender


def test_gender_sources_in_order():
    # The PESEL decides, then the staff member's choice, then the dictionary.
    assert gender_of("Jan Kowalski", WOMAN_PESEL, "m") == "f"
    assert gender_of("Jan Kowalski", None, "f") == "f"
    assert gender_of("Jan Kowalski", None, None) == "m"
    assert gender_of("Ołena Kowalenko", None, None) is None
    assert gender_of("Ołena Kowalenko", None, "f") == "f"


def test_sex_field_messages():
    assert "nie wynika ona z numeru PESEL ani z imienia „Ołena”" in sex_problem("Ołena Kowalenko", None, None)
    assert sex_problem("Ołena Kowalenko", None, "f") is None
    assert sex_problem("Ołena Kowalenko", WOMAN_PESEL, None) is None
    assert sex_problem("Anna Kowalska", None, None) is None
    assert "nie zgadza się z numerem PESEL (według niego: kobieta)" in sex_problem("Anna Kowalska", WOMAN_PESEL, "m")
    assert sex_problem("", None, None) is None


# ---------------------------------------------------------------------------- declension

@pytest.mark.parametrize(("name", "gender", "forms"), [
    ("Małgorzata Dąbrowska-Śliwińska", "f",
     ["Małgorzaty Dąbrowskiej-Śliwińskiej", "Małgorzacie Dąbrowskiej-Śliwińskiej", "Małgorzatę Dąbrowską-Śliwińską",
      "Małgorzatą Dąbrowską-Śliwińską", "Małgorzacie Dąbrowskiej-Śliwińskiej"]),
    ("Jan Kowalski", "m", ["Jana Kowalskiego", "Janowi Kowalskiemu", "Jana Kowalskiego", "Janem Kowalskim",
                           "Janie Kowalskim"]),
    ("Katarzyna Zielińska", "f", ["Katarzyny Zielińskiej", "Katarzynie Zielińskiej", "Katarzynę Zielińską",
                                  "Katarzyną Zielińską", "Katarzynie Zielińskiej"]),
    # A woman's surname of the masculine pattern does not decline; a man's does.
    ("Katarzyna Nowak", "f", ["Katarzyny Nowak", "Katarzynie Nowak", "Katarzynę Nowak", "Katarzyną Nowak",
                              "Katarzynie Nowak"]),
    ("Anna Kowalski", "f", ["Anny Kowalski", "Annie Kowalski", "Annę Kowalski", "Anną Kowalski", "Annie Kowalski"]),
    ("Tomasz Wójcik", "m", ["Tomasza Wójcika", "Tomaszowi Wójcikowi", "Tomasza Wójcika", "Tomaszem Wójcikiem",
                            "Tomaszu Wójciku"]),
    ("Anna Maria Kowalska", "f", ["Anny Marii Kowalskiej", "Annie Marii Kowalskiej", "Annę Marię Kowalską",
                                  "Anną Marią Kowalską", "Annie Marii Kowalskiej"]),
    ("KATARZYNA ZIELIŃSKA", "f", ["KATARZYNY ZIELIŃSKIEJ", "KATARZYNIE ZIELIŃSKIEJ", "KATARZYNĘ ZIELIŃSKĄ",
                                  "KATARZYNĄ ZIELIŃSKĄ", "KATARZYNIE ZIELIŃSKIEJ"]),
])
def test_known_names_in_every_case(name, gender, forms):
    assert [decline(name, case, gender) for case in ("gen", "dat", "acc", "inst", "loc")] == forms
    assert decline(name, "nom", gender) == name


@pytest.mark.parametrize("name", [
    "Ołena Kowalenko",  # Ukrainian given name in Latin letters: not in SGJP (Morfeusz answers ign)
    "Oleksandr Szewczenko",
    "Олена Коваленко",  # Cyrillic: never put through a Polish dictionary
    "Seán O'Connor", "Anna D'Angelo",  # apostrophes
    "Anna", "J. Kowalski", "anna kowalska",  # one word, an initial, not written as a name
    "Jan Maria Rokita",  # „Maria” is not a man's given name in the dictionary: not guessed
    "Kowalska Anna",  # surname first: „Anna” is not a surname
    "Anna Kowalska-", "Anna  -Kowalska",
])
@pytest.mark.parametrize("gender", ["f", "m"])
def test_unknown_or_unsafe_names_are_not_declined(name, gender):
    assert all(decline(name, case, gender) is None for case in ("gen", "dat", "acc", "inst", "loc"))


def test_unknown_name_signalled_by_morfeusz_ign():
    # The fallback is driven by the dictionary itself: this is what Morfeusz 2 says of the word.
    assert [i[2][2] for i in grammar._analyse("Ołena")] == ["ign"]
    assert decline("Ołena Kowalenko", "acc", "f") is None
    # ...while a known given name with the same surname declines (the surname is indeclinable for her).
    assert decline("Katarzyna Kowalenko", "acc", "f") == "Katarzynę Kowalenko"


def test_name_of_the_wrong_gender_is_not_declined():
    # „Katarzyna” is no man's name and „Zielińska” no man's surname: nothing is made up.
    assert decline("Katarzyna Zielińska", "acc", "m") is None


def test_decline_refuses_unknown_case():
    with pytest.raises(ValueError):
        decline("Jan Kowalski", "voc", "m")


def test_one_morfeusz_shared_by_threads():
    names = [("Małgorzata Dąbrowska-Śliwińska", "f"), ("Jan Kowalski", "m"), ("Tomasz Wójcik", "m"),
             ("Zofia Kowalska-Źródłowska", "f")]
    expected = {(n, g, c): grammar.decline.__wrapped__(n, c, g) for n, g in names for c in grammar.CASES}
    results, errors = [], []

    def work():
        try:
            for _ in range(30):
                for n, g in names:
                    for c in grammar.CASES:
                        results.append(((n, g, c), grammar.decline.__wrapped__(n, c, g)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(expected[key] == value for key, value in results)


# ---------------------------------------------------------------------------- filters

def test_named_filter():
    kasia = make_person("Katarzyna Zielińska", "f")
    jan = make_person("Jan Kowalski", "m")
    olena = make_person("Ołena Kowalenko", "f")
    nobody = make_person("Sasha Kowalenko", None)
    assert named(kasia, "acc") == "Panią Katarzynę Zielińską"
    assert named(kasia, "inst", honorific=False) == "Katarzyną Zielińską"
    assert named(jan, "acc") == "Pana Jana Kowalskiego"
    assert named(jan) == "Pan Jan Kowalski"
    assert named(olena) == "Pani Ołena Kowalenko"
    assert named(olena, "acc") == "Panią o\u00a0imieniu i\u00a0nazwisku Ołena Kowalenko"
    assert named(olena, "inst") == "Panią o\u00a0imieniu i\u00a0nazwisku Ołena Kowalenko"
    assert named(nobody, "acc") == "osobę o\u00a0imieniu i\u00a0nazwisku Sasha Kowalenko"
    assert named(make_person("Ołena Maria Kowalenko", "f"), "gen") == \
        "Pani o\u00a0imionach i\u00a0nazwisku Ołena Maria Kowalenko"
    with pytest.raises(ValueError):
        named(kasia, "vocative")


def test_agree_filters():
    anna, jan = make_person("Anna Kowalska", "f"), make_person("Jan Kowalski", "m")
    zofia = make_person("Zofia Nowak", "f")
    forms = ("podpisana", "podpisany", "podpisane", "podpisani")
    assert agree(anna, *forms) == "podpisana"
    assert agree(jan, *forms) == "podpisany"
    assert agree(Persons((anna,)), *forms) == "podpisana"
    assert agree(Persons((anna, zofia)), *forms) == "podpisane"
    assert agree(Persons((anna, jan)), *forms) == "podpisani"
    assert agree(Persons((jan, make_person("Piotr Nowak", "m"))), *forms) == "podpisani"
    # the honorific of a group: „Panów” for men only, „Państwa” for a woman and a man together
    you = ("Pani", "Pana", "Pań", "Państwa", "Panów")
    assert agree(Persons((jan, make_person("Piotr Nowak", "m"))), *you) == "Panów"
    assert agree(Persons((anna, jan)), *you) == "Państwa"
    assert agree(Persons((anna, zofia)), *you) == "Pań"
    assert agree(jan, *you) == "Pana"
    assert agree_number(Persons((anna,)), "wyrażam", "wyrażamy") == "wyrażam"
    assert agree_number(Persons((anna, jan)), "wyrażam", "wyrażamy") == "wyrażamy"
    with pytest.raises(ValueError):
        agree(make_person("Sasha Nowak", None), "a", "b")
    with pytest.raises(ValueError):
        agree(Persons((anna, jan)), "podpisana", "podpisany")


# ---------------------------------------------------------------------------- every document type

@dataclass(frozen=True)
class Someone:
    """A person of a variant, with the name in each case written by hand (not by Morfeusz)."""

    nom: str
    pesel: str | None = None
    sex: str | None = None
    gen: str = ""
    dat: str = ""
    acc: str = ""
    inst: str = ""
    loc: str = ""

    def __str__(self) -> str:
        return self.nom


WOMAN = Someone("Małgorzata Dąbrowska-Śliwińska", WOMAN_PESEL, gen="Małgorzaty Dąbrowskiej-Śliwińskiej",
                dat="Małgorzacie Dąbrowskiej-Śliwińskiej", acc="Małgorzatę Dąbrowską-Śliwińską",
                inst="Małgorzatą Dąbrowską-Śliwińską", loc="Małgorzacie Dąbrowskiej-Śliwińskiej")
MAN = Someone("Jan Kowalski", MAN_PESEL, gen="Jana Kowalskiego", dat="Janowi Kowalskiemu", acc="Jana Kowalskiego",
              inst="Janem Kowalskim", loc="Janie Kowalskim")
# Unknown to the dictionary, gender from the staff member's choice (or the PESEL where one is required).
UNKNOWN = Someone("Ołena Kowalenko", None, "f")
SECOND_WOMAN = Someone("Zofia Kowalska-Źródłowska")  # no PESEL: the gender from her first name
SECOND_MAN = Someone("Barnaba Kot")  # a man's name ending in -a; a surname that is a common noun
PEOPLE = {"woman": [WOMAN], "man": [MAN], "unknown": [UNKNOWN], "several": [WOMAN, MAN],
          "women": [WOMAN, SECOND_WOMAN], "men": [MAN, SECOND_MAN]}
assert set(PEOPLE) == set(PERSON_VARIANTS)

# word/word (podpisana/y, Pani/Pana, a/a) and word(s) forms (poinformowana/y(i), zamieszkał(a)); not
# numbers (2016/679, III Nsm 123/26, 95/46/WE) nor addresses (links and e-mail)
SLASH_FORM = re.compile(r"(?<![\w/])[^\W\d_]+/[^\W\d_]+|[^\W\d_]\((?:[^\W\d_]{1,3})\)")
ADDRESS = re.compile(r"\S*(?:://|www\.|@)\S*")
OFFICE = dict(name="Miejski Ośrodek Pomocy Społecznej w Oświęcimiu", street="ul. Wyspiańskiego 10",
              postal_code="32-600", town="Oświęcim", phone="33 842 24 76", email="sekretariat@mops.oswiecim.pl",
              nip="549-10-34-225", regon="004201823", head_name="Anna Nowak",
              head_title="Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu", iod_email="iod@mops.oswiecim.pl")


def slash_forms(text: str) -> list[str]:
    """The slash and bracket forms of a text (addresses and links left out)."""
    return SLASH_FORM.findall(ADDRESS.sub(" ", text))


def _fill(values: dict, doctype, ref: PersonRef, who: Someone) -> None:
    values[ref.name] = who.nom
    if ref.pesel:
        pesel_spec = doctype.field(ref.group).fields if ref.group else None
        required = (next(f for f in pesel_spec if f.name == ref.pesel) if pesel_spec
                    else doctype.field(ref.pesel)).required
        pesel = who.pesel or (WOMAN_PESEL if required and who.sex == "f" else None)
        if pesel:
            values[ref.pesel] = pesel
        else:
            values.pop(ref.pesel, None)
    if ref.sex:
        if who.sex:
            values[ref.sex] = who.sex
        else:
            values.pop(ref.sex, None)


def variant_data(doctype, ref: PersonRef, variant: str) -> dict:
    """The type's sample with the persons of `ref` replaced by those of `variant`."""
    data = copy.deepcopy(doctype.sample_data)
    people = PEOPLE[variant]
    if ref.group:
        rows = data[ref.group]
        data[ref.group] = []
        for i, who in enumerate(people):
            row = dict(rows[min(i, len(rows) - 1)])
            _fill(row, doctype, ref, who)
            data[ref.group].append(row)
    else:
        _fill(data, doctype, ref, people[0])
    return data


def variants(ref: PersonRef) -> list[str]:
    """The variants that apply: several persons only where the persons are a group."""
    return [v for v in PERSON_VARIANTS if ref.group or v not in ("several", "women", "men")]


CASES = [(doctype, ref, variant) for doctype in DOCUMENT_TYPES for ref in doctype.persons
         for variant in variants(ref)]


def docx_text(data: bytes) -> str:
    """The text of a DOCX, one paragraph a line, typesetting characters read as plain ones."""
    doc = Document(io.BytesIO(data))
    parts = [doc.element.body] + [s.footer._element for s in doc.sections]
    return normalise_typesetting("\n".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                                           for part in parts for p in part.iter(qn("w:p"))))


def check_wording(text: str, doctype, ref: PersonRef, variant: str) -> None:
    """No slash form, the persons named, and every phrase the declaration expects for the variant."""
    assert not slash_forms(text), slash_forms(text)
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert not re.search(r"(?<!\.)\.\.(?!\.)", text), "a doubled full stop"
    for who in PEOPLE[variant]:
        forms = [f for f in (who.nom, who.gen, who.dat, who.acc, who.inst, who.loc) if f]
        assert any(form in text for form in forms), f"{who.nom} missing"
    for phrase in ref.expect.get(variant, ()):
        wanted = normalise_typesetting(phrase.format(name=PEOPLE[variant][0]))
        assert wanted in text, f"{doctype.slug} ({ref.key}, {variant}): {wanted!r} not in the document"
    if variant == "unknown":
        # Never declined by guess: no form of „Ołena” but the nominative.
        assert not re.search(r"Ołen(?!a\b)", text) and "Kowalenk" not in text.replace("Kowalenko", "")


def test_every_declared_person_has_expectations():
    # Each declared person names real fields and says what a woman, a man and a name unknown to the
    # dictionary read (and several persons, for a group): the render test below checks them.
    assert all(doctype.persons for doctype in DOCUMENT_TYPES if doctype.slug in
               ("family_consent", "assignment_letter", "zz_power_of_attorney"))
    for doctype in DOCUMENT_TYPES:
        for ref in doctype.persons:
            assert {"woman", "man", "unknown"} <= set(ref.expect), (doctype.slug, ref.key)
            if ref.group:
                assert {"several", "women", "men"} <= set(ref.expect), (doctype.slug, ref.key)
            fields = doctype.field(ref.group).fields if ref.group else doctype.fields
            names = {f.name for f in fields}
            assert {ref.name, ref.pesel or ref.name, ref.sex or ref.name} <= names


@pytest.mark.parametrize(("doctype", "ref", "variant"), CASES,
                         ids=[f"{d.slug}-{r.key}-{v}" for d, r, v in CASES])
def test_document_agrees_with_its_persons(doctype, ref, variant):
    data = variant_data(doctype, ref, variant)
    for person_ref in doctype.persons:  # the data is what the form would accept
        rows = data.get(person_ref.group, []) if person_ref.group else [data]
        for row in rows:
            assert sex_problem(row.get(person_ref.name), row.get(person_ref.pesel or ""),
                               row.get(person_ref.sex or "")) is None
    ctx = build_context(doctype, data, office=OFFICE, case_sign="MOPS.SPS.4011.12.2026", doc_ref="Asysta 7f3a9c21",
                        issued_on=dt.date(2026, 11, 24))
    check_wording(docx_text(render_docx(doctype.template_path, ctx)), doctype, ref, variant)


def test_slash_form_pattern():
    assert slash_forms("Ja, niżej podpisana/y") == ["podpisana/y"]
    assert slash_forms("Zostałam/em (zostaliśmy) poinformowana/y(i)") == ["Zostałam/em", "poinformowana/y"]
    assert slash_forms("zamieszkał(a), poinformowana(y)") == ["ł(a)", "a(y)"]
    assert slash_forms("3. a/a") == ["a/a"]
    assert not slash_forms("(UE) 2016/679, 95/46/WE, sygn. akt III Nsm 123/26, https://bip.ops.pl/a/b, 1/2")


def test_hostile_names_stay_text():
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    data = doctype.sample_data | {"assistant_name": "Anna <w:t>{{ x }}</w:t> & Kowalska", "assistant_sex": "f",
                                  "principal_name": "مرحبا Kowalska"}
    ctx = build_context(doctype, data, office=OFFICE, case_sign="X", doc_ref="r", issued_on=dt.date(2026, 11, 24))
    text = docx_text(render_docx(doctype.template_path, ctx))
    assert "upoważniam Panią o imieniu i nazwisku Anna <w:t>{{ x }}</w:t> & Kowalska, zatrudnioną" in text
    assert "\u2068مرحبا Kowalska\u2069" in text  # bidi-isolated as every other value


def test_unknown_gender_is_a_render_error_not_a_guess():
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    data = doctype.sample_data | {"assistant_name": "Sasha Kowalenko"}
    ctx = build_context(doctype, data, office=OFFICE, case_sign="X", doc_ref="r", issued_on=dt.date(2026, 11, 24))
    with pytest.raises(RenderError):
        render_docx(doctype.template_path, ctx)


# ---------------------------------------------------------------------------- through the web, to PDF

@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
# Types whose wording names no person in a gendered form (a visit record's captions) have no persons.
@pytest.mark.parametrize("doctype", [t for t in DOCUMENT_TYPES if t.persons], ids=lambda t: t.slug)
def test_issued_pdf_agrees(app, client, create_user, login, doctype):
    """One real issue per type (LibreOffice, seal): a man acting, an unknown name for the next person;
    a type whose wording agrees with nobody (persons=()) is issued from its sample, without slash forms."""
    user = create_user(issuer_role(doctype))
    login(user)
    first, *rest = doctype.persons or (None,)
    data = doctype.sample_data if first is None else variant_data(doctype, first, "man")
    for ref in rest:
        data = {**data, **{k: v for k, v in variant_data(doctype, ref, "unknown").items()
                           if k in (ref.name, ref.sex, ref.pesel)}}
    # a type whose rules are the family's file (DocumentType.needs) is issued for a family that has them
    url = (f"/families/{family_for(app, doctype, user)}/documents/new/{doctype.slug}" if doctype.needs
           else f"/documents/new/{doctype.slug}")
    response = client.post(url, data=form_data(doctype, data))
    assert response.status_code == 302, response.get_data(as_text=True)
    doc_id = response.location.rsplit("/", 1)[-1]
    pdf = client.get(f"/archive/{doc_id}/pdf")
    text = re.sub(r"\s+", " ", poppler_text(pdf.get_data()))
    pdf.close()
    assert not slash_forms(text), slash_forms(text)
    if first is None:
        return
    for phrase in first.expect["man"]:
        assert re.sub(r"\s+", " ", phrase.format(name=MAN)) in text
    for ref in rest:
        for phrase in ref.expect["unknown"]:
            assert re.sub(r"\s+", " ", phrase.format(name=UNKNOWN).replace("\u00a0", " ")) in text


def test_form_asks_for_sex_when_nothing_tells(app, client, create_user, login):
    doctype = DOCUMENT_TYPES["family_consent"]
    login(create_user(issuer_role(doctype)))
    data = doctype.sample_data
    data["persons"] = [{"full_name": "Ołena Kowalenko", "role": "matka"}]
    data["assistant_name"] = "Oleksandr Szewczenko"
    response = client.post(f"/documents/new/{doctype.slug}", data=form_data(doctype, data))
    page = response.get_data(as_text=True)
    assert response.status_code == 422  # the form again, with the messages at the fields
    assert "nie wynika ona z numeru PESEL ani z imienia „Ołena”" in page
    assert "nie wynika ona z numeru PESEL ani z imienia „Oleksandr”" in page
    data["persons"][0]["sex"] = "f"
    data["assistant_sex"] = "m"
    response = client.post(f"/documents/new/{doctype.slug}", data=form_data(doctype, data))
    assert response.status_code == 302, response.get_data(as_text=True)
    # A choice contradicting the PESEL is refused at the field.
    data["persons"][0].update(pesel=MAN_PESEL, sex="f")
    response = client.post(f"/documents/new/{doctype.slug}", data=form_data(doctype, data))
    assert response.status_code == 422  # the form again, with the messages at the fields
    assert "Płeć nie zgadza się z numerem PESEL (według niego: mężczyzna)" in response.get_data(as_text=True)


def test_document_page_shows_choices_in_polish(app, client, create_user, login):
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    login(create_user(issuer_role(doctype)))
    data = doctype.sample_data | {"assistant_name": "Ołena Kowalenko", "assistant_sex": "f"}
    response = client.post(f"/documents/new/{doctype.slug}", data=form_data(doctype, data))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.location).get_data(as_text=True)
    table = page[page.index("Dane wprowadzone do dokumentu"):]
    assert "Upoważnienie szczególne (do jednej sprawy)" in table
    assert "uzyskiwanie informacji o przysługującym wsparciu i o stanie spraw; składanie wniosków" in table
    assert "Płeć asystenta rodziny</th>" in table and "<td>kobieta</td>" in table
    assert "24 listopada 2026\u00a0r." in table  # valid_from as a Polish date, not 2026-11-24
    for key in ("specific", "obtain_information", "file_applications", ">f<", "2026-11-24"):
        assert key not in table, key
    assert not slash_forms(re.sub(r"<[^>]+>", " ", table))
    assert "Wystawił(a)" not in page


def test_person_gender_of_a_signer_slot():
    from service.documents.context import person_gender
    consent = DOCUMENT_TYPES["family_consent"]
    data = variant_data(consent, consent.persons[0], "several")
    slot = consent.signers[0]
    assert [person_gender(consent, data, slot.name_field, slot.repeat_over, i) for i in range(3)] == ["f", "m", None]
    data["persons"][0] = {"full_name": "Ołena Kowalenko", "sex": "f", "role": "matka"}
    assert person_gender(consent, data, "full_name", "persons", 0) == "f"
    poa = DOCUMENT_TYPES["zz_power_of_attorney"]
    assert person_gender(poa, poa.sample_data, "principal_name") == "f"  # from the PESEL


# ---------------------------------------------------------------------------- found by trying it as an office would

def test_nominative_is_the_name_as_typed_whatever_its_letters():
    # Only the other cases need the dictionary: „jest Pani Олена Коваленко”, not „jest Pani
    # o imieniu i nazwisku Олена Коваленко”.
    assert named(make_person("Олена Коваленко", "f")) == "Pani Олена Коваленко"
    assert named(make_person("Seán O'Connor", "m")) == "Pan Seán O'Connor"
    assert named(make_person("Seán O'Connor", "m"), "inst") == "Panem o\u00a0imieniu i\u00a0nazwisku Seán O'Connor"
    assert named(make_person("Sasha  O'Neill", None), honorific=False) == "Sasha O'Neill"


@pytest.mark.parametrize(("name", "gender"), [("anna kowalska", "f"), ("jan kowalski", "m"), ("ANNA KOWALSKA", "f"),
                                              ("JAN KOWALSKI", "m")])
def test_gender_from_a_first_name_in_lower_case_or_capitals(name, gender):
    assert gender_from_first_name(name) == gender
    assert sex_problem(name, None, None) is None  # the form does not ask what the name says


def test_pesel_of_the_other_sex_than_the_first_name():
    from service.documents.grammar import pesel_problem
    assert pesel_problem("Jan Kowalski", WOMAN_PESEL, None) == (
        "Ten numer PESEL jest numerem kobiety, a „Jan” to imię męskie. Sprawdź, czy to numer PESEL tej osoby; "
        "jeśli tak, wybierz płeć „kobieta”.")
    assert pesel_problem("Anna Kowalska", MAN_PESEL, None, can_choose=False) == (
        "Ten numer PESEL jest numerem mężczyzny, a „Anna” to imię żeńskie. Sprawdź, czy to numer PESEL tej osoby.")
    assert pesel_problem("Jan Kowalski", WOMAN_PESEL, "f") is None  # confirmed by the staff member
    assert pesel_problem("Jan Maria Rokita", MAN_PESEL, None) is None  # the first name decides
    assert pesel_problem("Ołena Kowalenko", MAN_PESEL, None) is None  # the dictionary cannot tell
    assert pesel_problem("Anna Kowalska", WOMAN_PESEL, None) is None
    assert pesel_problem("Jan Kowalski", None, None) is None


def test_form_refuses_a_pesel_of_the_other_sex_at_the_pesel_field(app, client, create_user, login):
    # The wife's PESEL copied for the husband would print „Ja, niżej podpisana Jan Kowalski”.
    doctype = DOCUMENT_TYPES["zz_power_of_attorney"]
    login(create_user(issuer_role(doctype)))
    data = doctype.sample_data | {"principal_name": "Jan Kowalski", "principal_pesel": WOMAN_PESEL}
    response = client.post(f"/documents/new/{doctype.slug}", data=form_data(doctype, data))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ten numer PESEL jest numerem kobiety, a „Jan” to imię męskie." in page
    assert 'id="principal_pesel-error"' in page or "principal_pesel" in page
    assert WOMAN_PESEL in page and "Jan Kowalski" in page  # what was typed is kept
    response = client.post(f"/documents/new/{doctype.slug}", data=form_data(doctype, data | {"principal_sex": "f"}))
    assert response.status_code == 302, response.get_data(as_text=True)


def test_api_one_message_per_field_for_persons(client, create_user, api_token):
    headers = api_token(create_user("assistant"))
    poa = DOCUMENT_TYPES["zz_power_of_attorney"].sample_data | {"principal_name": "Jan Kowalski",
                                                                   "principal_pesel": WOMAN_PESEL}
    response = client.post("/api/documents/zz_power_of_attorney", json=poa, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"principal_pesel": [
        "Ten numer PESEL jest numerem kobiety, a „Jan” to imię męskie. Sprawdź, czy to numer PESEL tej osoby; "
        "jeśli tak, wybierz płeć „kobieta”."]}
    consent = DOCUMENT_TYPES["family_consent"].sample_data
    consent["persons"] = [{"full_name": "Ołena Kowalenko", "role": "matka", "sex": "kobieta"}]
    response = client.post("/api/documents/family_consent", json=consent, headers=headers)
    assert response.status_code == 422
    # the unknown choice is the one message; „Wybierz płeć” would only repeat it
    assert response.get_json()["errors"] == {"persons[0].sex": ["Wybrano nieznaną opcję."]}
    described = client.get("/api/document-types/zz_power_of_attorney", headers=headers).get_json()
    sex_field = next(f for f in described["fields"] if f["name"] == "principal_sex")
    assert sex_field["kind"] == "choice" and sex_field["required"] is False
    assert sex_field["choices"] == [{"value": "f", "label": "kobieta"}, {"value": "m", "label": "mężczyzna"}]


def test_api_asks_for_sex_at_each_person_and_describes_the_field(client, create_user, api_token):
    headers = api_token(create_user("assistant"))
    consent = DOCUMENT_TYPES["family_consent"].sample_data
    consent["persons"] = [{"full_name": "Ołena Kowalenko", "role": "matka"},
                          {"full_name": "Tetiana Szewczenko", "role": "babcia", "sex": "f"}]
    consent["assistant_name"] = "Mykoła Kowalenko"
    response = client.post("/api/documents/family_consent", json=consent, headers=headers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"persons[0].sex", "assistant_sex"}
    assert errors["persons[0].sex"] == [
        "Wybierz płeć: nie wynika ona z numeru PESEL ani z imienia „Ołena”, a od niej zależy forma słów w dokumencie "
        "(np. „podpisana” albo „podpisany”)."]
    described = client.get("/api/document-types/family_consent", headers=headers).get_json()
    row = {f["name"]: f for f in next(f for f in described["fields"] if f["name"] == "persons")["fields"]}
    assert row["sex"]["label"] == "Płeć" and row["sex"]["required"] is False
    assert "nie wynika z numeru PESEL ani z imienia" in row["sex"]["help"]


def test_form_keeps_what_was_typed_when_it_asks_for_sex(app, client, create_user, login):
    doctype = DOCUMENT_TYPES["family_consent"]
    login(create_user(issuer_role(doctype)))
    data = doctype.sample_data
    data["persons"] = [{"full_name": "Ołena Kowalenko", "role": "matka"},
                       {"full_name": "Jan Kowalski", "pesel": WOMAN_PESEL, "role": "ojciec"}]
    page = client.post(f"/documents/new/{doctype.slug}", data=form_data(doctype, data)).get_data(as_text=True)
    assert 'value="Ołena Kowalenko"' in page and 'value="Jan Kowalski"' in page and f'value="{WOMAN_PESEL}"' in page
    assert "imienia „Ołena”" in page and "Ten numer PESEL jest numerem kobiety, a „Jan” to imię męskie." in page
