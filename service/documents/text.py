"""One normalisation for every text a person types or pastes, web and API alike (pure functions).

The rule: a stored value is either printed as the person sees it, or refused with a message at
the field. So every value is first normalised (this module's `normalize_*` functions, which never
refuse), then checked (`refusal`, `foreign_digits`), which return a Polish message or None.

- Free text and names: Unicode NFC (UAX #15). Line and paragraph separators are the mandatory
  breaks of UAX #14 (classes BK, CR, LF, NL: \\n \\r \\v \\f U+0085 U+2028 U+2029) and the bidi
  paragraph separators of UAX #9 (class B: U+001C–U+001E); in a one-line field each becomes a
  space (Word's Shift+Enter is \\v: "Anna\\vKowalska" must not print as "AnnaKowalska"), in a
  multi-line field a line break "\\n". A tab or U+001F (bidi class S, segment separators) and
  every space separator (Zs) become a plain space in both: a tab would jump to a tab stop of the
  template, and an ideographic or em space is not something a person chose on purpose. Only the
  no-break spaces U+00A0 and U+202F stay, as they keep words together deliberately. One-line
  fields collapse runs of spaces; multi-line fields keep them inside a line (indentation).
- Invisible characters (Unicode category Cf and the Default_Ignorable_Code_Point property of
  DerivedCoreProperties.txt: soft hyphen, zero-width space, BOM, word joiner, LRM/RLM, bidi
  embeddings, overrides and isolates, tags, Hangul fillers...) are removed from every value:
  they show nothing, make equal-looking names differ for search, and bidi controls can make a
  value display other characters than it holds (the renderer adds its own isolates). Two kinds
  are kept, in free text and names alike, only where they change what is drawn:
  ZWJ/ZWNJ (U+200D, U+200C) next to a virama (Indic conjuncts), between two letters of a
  joining script (Persian "می‌خواهم" needs ZWNJ), and ZWJ inside an emoji sequence (👩‍💻);
  variation selectors directly after a visible character (❤️, CJK ideographic variants).
  Elsewhere they are removed like the rest.
- Other control characters (Cc) and lone surrogates (Cs) cannot be printed or stored in XML:
  they are removed. A value whose characters fall outside Unicode's assigned characters (Cn,
  including noncharacters) or in a private-use area (Co), or that no installed font can draw
  (signatures.fonts.unprintable_chars, fontconfig's view of what LibreOffice can print), is
  refused with a message naming the character.
- Identifiers (PESEL, NIP, REGON, postal code, phone, case and court case numbers, e-mail) are
  read after compatibility normalisation NFKC (full-width "９" becomes "9", "Ⅲ" becomes "III"),
  with every dash (category Pd, U+2212 minus) read as "-" and every invisible character removed.
  They accept ASCII digits only: `foreign_digits` names a digit of another script (Unicode
  property Numeric_Type=Decimal: Arabic-Indic, Devanagari, Bengali...).
"""
from __future__ import annotations

import re
import unicodedata

from signatures.fonts import unprintable_chars

__all__ = ["LINE_BREAKS", "normalize_line", "normalize_block", "normalize_identifier", "refusal",
           "foreign_digits", "char_label"]

# UAX #14 mandatory breaks (BK, CR, LF, NL) and UAX #9 paragraph separators (bidi class B).
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Spaces that keep their neighbours together on purpose (Polish typesetting uses them).
_NO_BREAK_SPACES = frozenset("\u00a0\u202f")
# Printed blank although not a space separator: read as a space.
_BLANK_LOOKING = frozenset("\t\x1f\u2800")
ZWNJ, ZWJ = "\u200c", "\u200d"

# Default_Ignorable_Code_Point, DerivedCoreProperties.txt (Unicode 14.0), as inclusive ranges.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
_VARIATION_SELECTORS = ((0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
# Scripts whose letters join, where ZWJ/ZWNJ choose a letter's form (Unicode ArabicShaping.txt).
_JOINING_SCRIPTS = frozenset({"ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "MANDAIC", "PHAGS-PA", "MANICHAEAN",
                              "PSALTER", "HANIFI", "SOGDIAN", "CHORASMIAN", "ADLAM"})
_DASHES = re.compile("[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d\u058a\u05be\u1400\u1806\u2e17\u2e1a"
                     "\u2e3a\u2e3b\u2e40\u301c\u3030\u30a0\ufe31\ufe32\U00010ead]")
_SPACES = re.compile(" {2,}")
# More than one empty line in a row prints only blank paper (1,990 pasted line breaks made a
# 37-page document): a paragraph break is enough.
_BLANK_LINES = re.compile("\n{3,}")
# Full-width ASCII (U+FF01–U+FF5E, and the ideographic space) as typed by East Asian keyboards:
# no text font here draws it, and it is read as the ASCII it stands for (UAX #11 width folding).
_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _in(ranges: tuple[tuple[int, int], ...], ch: str) -> bool:
    cp = ord(ch)
    return any(first <= cp <= last for first, last in ranges)


def _ignorable(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or _in(_DEFAULT_IGNORABLE, ch)


def _joining_letter(ch: str | None) -> bool:
    if ch is None or not unicodedata.category(ch).startswith("L"):
        return False
    return unicodedata.name(ch, "").split(" ")[0] in _JOINING_SCRIPTS


def _emoji_part(ch: str | None) -> bool:
    # Symbols (So), emoji modifiers (U+1F3FB–U+1F3FF, Sk) and the emoji presentation selector.
    return ch is not None and (unicodedata.category(ch) == "So" or 0x1F3FB <= ord(ch) <= 0x1F3FF
                               or ch == "\ufe0f")


def _joiner_matters(ch: str, prev: str | None, nxt: str | None) -> bool:
    if not (_visible(prev) and _visible(nxt)):  # a joiner joins two visible characters or nothing
        return False
    if unicodedata.combining(prev) == 9 or unicodedata.combining(nxt) == 9:  # virama: Indic scripts
        return True
    if unicodedata.category(prev).startswith("M"):  # a mark (harakat) on a letter of a joining script
        return _joining_letter(nxt)
    if _joining_letter(prev) and _joining_letter(nxt):
        return True
    return ch == ZWJ and _emoji_part(prev) and unicodedata.category(nxt) == "So"


def _visible(ch: str | None) -> bool:
    return ch is not None and not ch.isspace() and not _ignorable(ch)


def _normalize(value: str, line_break: str, *, keep_joiners: bool) -> str:
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").translate(_FULL_WIDTH))
    out: list[str] = []
    for i, ch in enumerate(value):
        cat = unicodedata.category(ch)
        prev = out[-1] if out else None
        if ch in LINE_BREAKS:
            out.append(line_break)
        elif ch in _BLANK_LOOKING or (cat == "Zs" and ch not in _NO_BREAK_SPACES):
            out.append(" ")
        elif cat in ("Cc", "Cs"):
            continue
        elif ch in (ZWJ, ZWNJ):
            nxt = value[i + 1] if i + 1 < len(value) else None
            if keep_joiners and _joiner_matters(ch, prev, nxt):
                out.append(ch)
        elif _in(_VARIATION_SELECTORS, ch):
            if keep_joiners and _visible(prev):
                out.append(ch)
        elif _ignorable(ch):
            continue
        else:
            out.append(ch)
    # Removing a character may bring a letter and its combining mark together: compose again.
    return unicodedata.normalize("NFC", "".join(out))


def normalize_line(value: str) -> str:
    """A one-line value (name, street, town...) as it is stored and printed.

    Takes any str; returns NFC text without control or invisible characters, every separator
    read as one space, runs of spaces collapsed, no surrounding spaces. Never raises.
    """
    return _SPACES.sub(" ", _normalize(value, " ", keep_joiners=True)).strip()


def normalize_block(value: str) -> str:
    """A multi-line value (textarea): like normalize_line, but separators become "\\n".

    Spaces inside a line are kept; trailing spaces of every line and blank lines at both ends are
    removed. Never raises.
    """
    text = _normalize(value, "\n", keep_joiners=True)
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return _BLANK_LINES.sub("\n\n", text)


def normalize_identifier(value: str) -> str:
    """An identifier (PESEL, NIP, phone, postal code, case number, e-mail) as it is read.

    NFKC (UAX #15: full-width and other compatibility digits and letters become ASCII), every dash
    read as "-", invisible characters removed, separators read as spaces, runs of spaces collapsed.
    Digits of other scripts are kept, so that `foreign_digits` can name them. Never raises.
    """
    text = unicodedata.normalize("NFKC", value)
    text = _DASHES.sub("-", text)
    text = _normalize(text, " ", keep_joiners=False)
    return _SPACES.sub(" ", text).strip()


def char_label(ch: str) -> str:
    """„ż” (U+017C): a character as a message shows it; a combining mark on a dotted circle."""
    shown = "\u25cc" + ch if unicodedata.category(ch).startswith("M") else ch
    return f"„{shown}” (U+{ord(ch):04X})"


def refusal(value: str) -> str | None:
    """The Polish message refusing a normalised value that cannot be printed as seen, or None.

    Refused: unassigned code points and noncharacters (Cn), private-use characters (Co) and any
    character no installed font can draw (it would print as a blank or a box, the .notdef glyph
    that ISO 19005-2, 6.2.11.8 forbids). The message names at most three characters.
    """
    if not value:
        return None
    if unicodedata.category(value[0]).startswith("M"):
        # A mark has nothing to sit on: alone it prints as a floating accent, a name that is blank.
        return (f"Wartość zaczyna się od znaku łączącego {char_label(value[0])} (np. samego akcentu), "
                "który nie ma litery, nad którą mógłby się znaleźć – usuń go.")
    for ch in value:
        cat = unicodedata.category(ch)
        if cat == "Cn":
            return (f"Znak o kodzie U+{ord(ch):04X} nie jest przypisany w standardzie Unicode "
                    "i nie może zostać wydrukowany – usuń go.")
        if cat == "Co":
            return (f"Znak o kodzie U+{ord(ch):04X} pochodzi z obszaru prywatnego Unicode (np. ikona "
                    "z innego programu) i nie może zostać wydrukowany – usuń go lub zastąp.")
    missing = unprintable_chars(value)
    if not missing:
        return None
    if len(missing) == 1:
        return f"Znak {char_label(missing[0])} nie może zostać wydrukowany w dokumencie – usuń go lub zastąp."
    named = ", ".join(char_label(ch) for ch in missing[:3]) + (" i inne" if len(missing) > 3 else "")
    return f"Znaki {named} nie mogą zostać wydrukowane w dokumencie – usuń je lub zastąp."


def foreign_digits(value: str) -> str | None:
    """The Polish message for a digit of another script in an identifier, or None.

    A decimal digit (unicodedata.decimal) outside ASCII 0–9 that NFKC did not turn into ASCII,
    e.g. Arabic-Indic "٣" or Devanagari "३": the person is asked to type 0–9.
    """
    for ch in value:
        if not ("0" <= ch <= "9") and unicodedata.decimal(ch, None) is not None:
            return f"Znak {char_label(ch)} to cyfra innego pisma – wpisz numer cyframi 0–9."
    return None
