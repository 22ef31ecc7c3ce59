"""Polish typesetting of the values printed in documents: where a line may not break.

`typeset(text) -> str` returns the text with some spaces turned into NO-BREAK SPACE (U+00A0) and
some hyphens into NON-BREAKING HYPHEN (U+2011); nothing else changes, and line breaks ("\\n") are
kept. It is idempotent and never raises. The rules are those of Polish composition (the former
standard PN-83/P-55366 „Zasady składania tekstów w języku polskim” and the editorial rules built
on it), as far as they concern the data people type:

- no break inside a number written with hyphens: a postal code (32-600), a NIP (549-10-34-225),
  an ISO date; the hyphen becomes U+2011 (not inside e-mail addresses or links);
- no break between a postal code and the town after it (32-600 Oświęcim);
- no break inside a number written in groups (a phone number 501 234 567, an amount 10 000);
- no break between a number and the unit or abbreviation after it (2026 r., 12 km, 100 zł, 5 %,
  see UNITS), nor between a day and its month (24 listopada);
- no break between an abbreviation and the number or name it introduces (art. 8, ust. 1, § 3,
  nr 5, ul. Zwycięstwa, Dz. U., see NUMBER_PREFIXES and NAME_PREFIXES), nor after an initial (J. Kowalski);
- no one-letter word (a, i, o, u, w, z, capital or not) at the end of a line;
- no line beginning with a dash: the space before „–” or „—” does not break.

Why these characters: LibreOffice honours both when it lays out a DOCX, draws U+2011 with the
hyphen glyph of the run's font (Liberation Serif and Sans have no U+2011 glyph of their own, so
signatures.fonts.printable() counts it as needing none), and the PDF's text layer then reads "-"
for it and U+00A0 for the no-break space.
"""
from __future__ import annotations

import re

__all__ = ["NBSP", "NB_HYPHEN", "ONE_LETTER_WORDS", "NUMBER_PREFIXES", "NAME_PREFIXES", "UNITS", "MONTHS",
           "typeset"]

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"

# The one-letter words of Polish: conjunctions and prepositions („sierotki”).
ONE_LETTER_WORDS = frozenset("aiouwzAIOUWZ")

# Units and abbreviations written after a number.
UNITS = (
    "r.", "w.", "zł", "gr", "tys.", "mln", "mld", "euro", "EUR", "PLN", "USD",
    "km", "m", "m.", "cm", "mm", "m²", "m2", "ha", "kg", "dag", "g", "t", "l", "ml",
    "h", "godz.", "min", "min.", "s", "sek.", "%", "‰", "°C", "°",
    "szt.", "os.", "str.", "s.", "tyg.", "mies.",
)

# Abbreviations written before the number they introduce (art. 8, nr 5, godz. 12.00)...
NUMBER_PREFIXES = (
    "art.", "Art.", "ust.", "pkt", "poz.", "par.", "§", "§§", "nr", "Nr", "nr.", "Nr.", "m.", "lok.",
    "pok.", "tel.", "Tel.", "str.", "s.", "t.", "godz.", "ok.", "sygn.", "Sygn.",
)
# ...and before the name or letter they introduce (ul. Zwycięstwa, Dz. U., dr Nowak, lit. a).
NAME_PREFIXES = (
    "ul.", "Ul.", "al.", "Al.", "pl.", "Pl.", "os.", "Os.", "lit.", "Dz.", "św.", "dr", "Dr", "prof.",
    "Prof.", "mgr", "Mgr", "inż.", "ks.", "Ks.", "im.", "gen.", "p.",
)

MONTHS = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
          "września", "października", "listopada", "grudnia")

# Where a word starts: at the beginning, after a space (also a no-break one) or opening punctuation.
_WORD_START = r"(?<![^\s(\[{„\"'«‚“\u2068])"
_WORD_END = r"(?![\w\u2011-])"
_SPACES = r"[ \u00a0]+"


def _alternatives(words) -> str:
    # longest first, so "m." wins over "m" and "§§" over "§"
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_HYPHEN_IN_NUMBER = re.compile(r"(?<=\d)-(?=\d)")
_URL_OR_EMAIL = re.compile(r"\S*(?:@|://|www\.)\S*")
_POSTAL_TOWN = re.compile(rf"(?<!\d)(\d{{2}}[-\u2011]\d{{3}}){_SPACES}(?=[^\W\d_])")
_DIGIT_GROUPS = re.compile(rf"(?<=\d){_SPACES}(?=\d)")
_BEFORE_DASH = re.compile(rf"(?<=\S){_SPACES}(?=[–—])")
_BEFORE_NUMBER = re.compile(rf"{_WORD_START}({_alternatives(NUMBER_PREFIXES)}){_SPACES}(?=\d)")
_BEFORE_NAME = re.compile(rf"{_WORD_START}({_alternatives(NAME_PREFIXES)}){_SPACES}(?=[\w(„\"])")
_INITIAL = re.compile(rf"{_WORD_START}([^\W\d_]\.){_SPACES}(?=[^\W\d_])")
_BEFORE_UNIT = re.compile(rf"(?<=\d){_SPACES}({_alternatives(UNITS)}){_WORD_END}")
_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}}){_SPACES}(?=(?:{_alternatives(MONTHS)})\b)")
_ONE_LETTER = re.compile(rf"{_WORD_START}([{''.join(sorted(ONE_LETTER_WORDS))}]){_SPACES}(?=\S)")


def _glue(match: re.Match) -> str:
    # Every space of the run becomes a no-break one, so the text keeps its width.
    spaces = match.group(0)[len(match.group(1)):] if match.groups() else match.group(0)
    return (match.group(1) if match.groups() else "") + NBSP * len(spaces)


def _hyphens(text: str) -> str:
    out, pos = [], 0
    for link in _URL_OR_EMAIL.finditer(text):  # an address is copied from the PDF: keep its "-"
        out.append(_HYPHEN_IN_NUMBER.sub(NB_HYPHEN, text[pos:link.start()]))
        out.append(link.group(0))
        pos = link.end()
    out.append(_HYPHEN_IN_NUMBER.sub(NB_HYPHEN, text[pos:]))
    return "".join(out)


def _initial(match: re.Match) -> str:
    # Only a capital is an initial: "r. poz." must stay breakable, "J. Kowalski" must not.
    return _glue(match) if match.group(1)[0].isupper() else match.group(0)


def _before_unit(match: re.Match) -> str:
    unit = match.group(1)
    return NBSP * (len(match.group(0)) - len(unit)) + unit


def typeset(text: str) -> str:
    """`text` with no-break spaces and hyphens where Polish composition forbids a line break.

    Takes any str (other values are returned as they are, so callers may pass whatever a
    context holds); returns a str of the same length. See the module docstring for the rules.
    """
    if not isinstance(text, str) or not text:
        return text
    text = _hyphens(text)
    text = _POSTAL_TOWN.sub(_glue, text)
    text = _DIGIT_GROUPS.sub(_glue, text)
    text = _BEFORE_DASH.sub(_glue, text)
    text = _BEFORE_NUMBER.sub(_glue, text)
    text = _BEFORE_NAME.sub(_glue, text)
    text = _INITIAL.sub(_initial, text)
    text = _BEFORE_UNIT.sub(_before_unit, text)
    text = _DAY_MONTH.sub(_glue, text)
    return _ONE_LETTER.sub(_glue, text)
