"""Property: any text in any field of any document type gets its document or a Polish message.

For every field of every type in the registry, the sample value is replaced by arbitrary Unicode
(all planes, separators, invisible format characters, other scripts' digits, full-width forms;
surrogate-free, since JSON cannot carry them to a real client) while the other fields keep their
samples. The real API must answer 201 or 422 with Polish messages, never 500; for every 201 the
stored value is the normalised one and the archived PDF's text shows it.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st

from service.documents.context import polish_date
from service.documents.grammar import CASES, decline, gender_of
from service.documents.registry import DOCUMENT_TYPES
from service.documents.spec import GroupSpec
from service.documents.text import LINE_BREAKS, normalize_block, normalize_identifier, normalize_line
from service.forms_builder import IDENTIFIER_KINDS
from tests.helpers import download, issuer_role, poppler_text

SEPARATORS = sorted(LINE_BREAKS) + ["\r\n", "\t", "\x1f", "\u3000", "\u2003", "\u00a0", "\u2800"]
INVISIBLE = ["\u200b", "\u00ad", "\ufeff", "\u2060", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066",
             "\u2069", "\u200c", "\u200d", "\u034f", "\u3164", "\ufe0f", "\U000e0041", "\u061c"]
FOREIGN_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳०१२३৪৫๑๒༣၅"
FULL_WIDTH = "０１２３４５６７８９－／ＡＢｚ"
WORDS = ["Anna", "Kowalska", "Żółć", "gęślą", "ნინო", "ბერიძე", "Олена", "Шевченко", "Ελένη", "Հայկ",
         "שרה", "مريم", "می\u200cخواهم", "😀", "👩\u200d💻", "32-600", "90110302640", "III Nsm 123/26",
         "501 234 567", "a", "z", "&", "<b>", "{{ x }}", "\u0301", "ı", "ß", "Ǆ", "ﬁ"]

characters = st.characters(blacklist_categories=("Cs",))
piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS), st.sampled_from(INVISIBLE),
                  st.sampled_from(FOREIGN_DIGITS), st.sampled_from(FULL_WIDTH), characters)
pasted = st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS), st.sampled_from(INVISIBLE))


def field_paths():
    """(doctype, path, spec) for every field, a group's fields in its first row as (group, 0, name)."""
    for doctype in DOCUMENT_TYPES:
        for spec in doctype.form_fields:  # the by_service ones are never sent
            if isinstance(spec, GroupSpec):
                for sub in spec.fields:
                    yield doctype, (spec.name, 0, sub.name), sub
            else:
                yield doctype, (spec.name,), spec


FIELDS = list(field_paths())


def variants(sample):
    """The sample as people paste it: full-width, a separator or an invisible character inside."""
    text = str(sample if not isinstance(sample, list) else (sample[0] if sample else ""))
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    inserted = st.tuples(st.integers(0, len(text)), st.sampled_from(SEPARATORS + INVISIBLE + list(FOREIGN_DIGITS)))
    return st.one_of(st.just(full_width),
                     inserted.map(lambda pair: text[:pair[0]] + pair[1] + text[pair[0]:]))


@st.composite
def case(draw):
    doctype, path, spec = draw(st.sampled_from(FIELDS))
    value = draw(st.one_of(st.text(characters, max_size=30),
                           st.lists(piece, max_size=10).map("".join),
                           st.lists(pasted, min_size=1, max_size=8).map("".join),  # mostly printable
                           variants(spec.sample)))
    return doctype, path, spec, value


def posted(doctype, path, spec, value) -> dict:
    data = doctype.sample_data
    if spec.required_if:  # make the field apply (court data are only printed for a court's decision)
        data[spec.required_if[0]] = spec.required_if[1]
    if len(path) == 3:
        data[path[0]][path[1]][path[2]] = value
    else:
        data[path[0]] = value
    return data


def normalised(spec, value: str) -> str | None:
    if spec.kind == "textarea":
        out = normalize_block(value)
    elif spec.kind in IDENTIFIER_KINDS:
        out = normalize_identifier(value)
        if spec.kind in ("pesel", "nip"):
            out = re.sub(r"[\s-]", "", out)
    else:
        out = normalize_line(value)
    return out or None


POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]|\b(?:Znak|Podaj|Wpisz|Wybierz|Oczekiwano|PESEL|Kod|Sygnatura|Data|"
                    r"pole|Nieprawidłowy|Nieznane|nie)\b")


def _comparable(text: str) -> str:
    # Compared as read: compatibility forms folded, whitespace and the typesetting's no-break
    # characters ignored, invisible characters (which no extraction reports) and marks dropped.
    text = unicodedata.normalize("NFKC", text.replace("\u2011", "-"))
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cf", "Mn", "Me")
                   and c not in "\u3164\u034f")


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def shown(value: str, text: str) -> bool:
    """Whether the PDF text shows the value: literally, or with right-to-left runs in visual order."""
    v, t = _comparable(value), _comparable(text)
    if v in t:
        return True
    # Arabic-Indic digits (bidi class AN) make a right-to-left run of the neutrals between them too
    # (UAX #9, N1): "٣😀=١" is drawn, and extracted, as "٣=😀١".
    if not any(_rtl(c) or unicodedata.bidirectional(c) == "AN" for c in v):
        return False
    # Bidi runs come out in visual order, their neutral neighbours moved: each run of letters of
    # one direction, and each run of digits, must be there (reversed, for right-to-left), and
    # every character as often as the value has it.
    lines = [line for line in map(_comparable, text.splitlines()) if line]
    for part in re.findall(r"[^\W\d_]+|\d+", v):
        for run in _direction_runs(part):
            if run not in t and run[::-1] not in t and not _wrapped(run, lines):
                return False
    return Counter(v) <= Counter(t)


def _wrapped(run: str, lines: list[str]) -> bool:
    """Whether a run broken over lines is there: in a narrow table cell a word longer than the
    column is broken, and each line is drawn (and extracted) in its own visual order, so the run
    comes out in pieces, each at the start or end of an extracted line, either way round."""
    def at_edge(piece: str) -> bool:
        return any(line.startswith(p) or line.endswith(p) for line in lines for p in (piece, piece[::-1]))

    reached = [True] + [False] * len(run)
    for i in range(len(run)):
        if reached[i]:
            for j in range(i + 1, len(run) + 1):
                reached[j] = reached[j] or at_edge(run[i:j])
    return reached[-1]


def _direction_runs(word: str) -> list[str]:
    runs: list[str] = []
    for ch in word:
        last = runs[-1][-1] if runs else ""
        # Arabic-Indic (AN) and Extended Arabic-Indic (EN) digits side by side are separate runs
        if runs and _rtl(last) == _rtl(ch) and last.isdigit() == ch.isdigit() \
                and (not ch.isdigit() or unicodedata.bidirectional(last) == unicodedata.bidirectional(ch)):
            runs[-1] += ch
        else:
            runs.append(ch)
    return runs


def expected_in_pdf(spec, stored):
    if spec.kind == "date":
        return polish_date(stored)
    if spec.kind == "choice":
        return spec.choice_label(stored)
    if spec.kind in ("multichoice", "boolean"):
        return None
    return stored


def declined(doctype, path, data) -> list[str]:
    """The other cases of the name at `path` when it is a declared person's name (grammar.py)."""
    ref = next((r for r in doctype.persons if r.name == path[-1] and r.group == (path[0] if len(path) == 3 else None)),
               None)
    if ref is None:
        return []
    values = data[path[0]][path[1]] if len(path) == 3 else data
    name = values.get(ref.name, "")
    gender = gender_of(name, values.get(ref.pesel) if ref.pesel else None, values.get(ref.sex) if ref.sex else None)
    return [form for case in CASES[1:] if gender and (form := decline(name, case, gender))]


def _issue_example(slug, path, value):
    doctype = DOCUMENT_TYPES[slug]
    spec = doctype.field(path[0])
    if isinstance(spec, GroupSpec):
        spec = next(f for f in spec.fields if f.name == path[2])
    return doctype, path, spec, value


# Each example costs a LibreOffice conversion when accepted, so the run is bounded (about a minute
# here) and not shrunk: a failing example is reported as found. Runs on SQLite only: the text
# rule does not depend on the database.
@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
@settings(max_examples=110, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(case=case())
@example(case=_issue_example("zz_power_of_attorney", ("principal_pesel",), "９０１１０３０２６４０"))
@example(case=_issue_example("family_consent", ("persons", 0, "full_name"), "Anna\u000bKowalska"))
@example(case=_issue_example("zz_power_of_attorney", ("principal_pesel",), "90210112345"))
@example(case=_issue_example("zz_power_of_attorney", ("matter",), "Wniosek\u2028o świadczenie\u000b\u200bz\tklauzulą"))
# a right-to-left word longer than a narrow table column, broken over its lines (_wrapped)
@example(case=_issue_example("work_plan", ("actions", 0, "responsible"),
                             "32-600\u200c0\u0301\u034fשרה90110302640می\u200cخواهم\x1b\u2069"))
def test_any_text_in_any_field(app, client, headers_by_slug, case):
    doctype, path, spec, value = case
    headers = headers_by_slug(doctype)
    data = posted(doctype, path, spec, value)
    response = client.post(f"/api/documents/{doctype.slug}", json=data, headers=headers)
    assert response.status_code in (201, 422), (response.status_code, response.get_data(as_text=True)[:500])
    event(f"{response.status_code} {spec.kind}")  # shown by --hypothesis-show-statistics
    body = response.get_json()
    if response.status_code == 422:
        messages = [m for msgs in body["errors"].values() for m in msgs]
        assert messages and all(isinstance(m, str) and POLISH.search(m) for m in messages), body
        return
    stored = body["data"].get(path[0])
    row = data[path[0]][path[1]] if len(path) == 3 else {}
    if len(path) == 3 and normalised(spec, value) is None and not any(v for k, v in row.items() if k != path[2]):
        # a row left with nothing in it is no row (forms_builder.cleaned_data drops it): one row fewer
        assert len(stored) == len(doctype.sample_data[path[0]]) - 1, (path, value, stored)
        return
    if len(path) == 3:
        stored = stored[path[1]].get(path[2]) if stored and len(stored) > path[1] else None
    if spec.kind in ("text", "textarea") or spec.kind in IDENTIFIER_KINDS:
        assert stored == normalised(spec, value), (value, stored)
    expected = expected_in_pdf(spec, stored) if stored is not None else None
    if expected:
        _, pdf = download(client, body["links"]["pdf"], headers=headers)
        text = poppler_text(pdf)
        # A person's name may be printed only in another case („upoważniam Panią Katarzynę Zielińską”)
        forms = [expected, *declined(doctype, path, body["data"])]
        assert any(shown(form, text) for form in forms), (path, value, forms)


@pytest.fixture
def headers_by_slug(create_user, api_token):
    """headers_by_slug(doctype) -> the Bearer header of an issuer of that type, one per type."""
    made: dict[str, dict[str, str]] = {}

    def get(doctype):
        if doctype.slug not in made:
            # The head: every example opens a new family's file, and an assistant may have at most
            # 15 families at a time (art. 15 ust. 4), which a property test passes quickly.
            role = "head" if "head" in doctype.issued_by else issuer_role(doctype)
            made[doctype.slug] = api_token(create_user(role))
        return made[doctype.slug]

    return get
