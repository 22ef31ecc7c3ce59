"""Polish typesetting of a template's own wording (the text outside its Jinja tags), for v2 templates.

`typeset_template(text) -> str` returns a docxtpl template text of the same length in which the
literal text follows service.documents.typesetting.typeset (no line break after a one-letter
word, between a number and its unit, after „art.”, „ust.”, „tel.”...), and the spaces that join
the literal text to a tag follow the same rule as if the tag were the value it prints. Text
inside {{ … }} and {% … %} is never changed. `typeset_runs(texts)` does the same for the runs of
one paragraph, so that a rule sees across run boundaries. Neither raises.

The values themselves are typeset when the context is built (service/documents/context.py);
this module only decides the joins a template adds around them. Two joins go beyond typeset():
- a postal code and its town („32-600 Oświęcim”) stay on one line: the address line of a
  Polish letter is read as one unit (Poczta Polska's address rules write it as one line);
- an identifier's label and the identifier („NIP 549-10-34-225”, „PESEL …”, „REGON …”) do not
  part, like „nr 5” or „tel. 33 …” in typeset()'s NUMBER_PREFIXES.
"""
from __future__ import annotations

import re
from typing import Sequence

from service.documents.typesetting import NBSP, typeset

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)

# What a {{ … }} prints, for the rules to look at: the first pattern that matches the expression wins.
# Identifiers, phones and dates start with a digit; anything else is read as a word.
STAND_INS = (
    (re.compile(r"postal_code"), "32-600"),
    (re.compile(r"phone"), "33 842 24 76"),
    (re.compile(r"\bnip\b"), "549-10-34-225"),
    (re.compile(r"regon"), "004201823"),
    (re.compile(r"pesel"), "85010112345"),
    (re.compile(r"loop\.index"), "1"),
    (re.compile(r"_date\b|valid_from|valid_until"), "24 listopada 2026 r."),
    (re.compile(r"town"), "Oświęcim"),
)
WORD = "Wartość"

_POSTAL_CODE_AND_TOWN = re.compile(r"(?<=\d\d[-\u2011]\d\d\d)( +)(?=[^\W\d_])")
_IDENTIFIER_LABEL = re.compile(r"(?<![\w.])(?:NIP|REGON|PESEL|KRS)( +)(?=\d)")


def _stand_in(tag: str) -> str:
    if tag.startswith("{%"):
        return ""  # a statement prints nothing: the texts around it meet
    for pattern, text in STAND_INS:
        if pattern.search(tag):
            return text
    return WORD


def _glue(pattern: re.Pattern, text: str) -> str:
    return pattern.sub(lambda m: m.group(0).replace(m.group(1), NBSP * len(m.group(1))), text)


def typeset_template(text: str) -> str:
    """`text` with its literal parts typeset for Polish and its tags unchanged; same length."""
    pieces: list[tuple[str, bool]] = []  # (original, is_tag)
    pos = 0
    for m in TAG.finditer(text):
        pieces.append((text[pos:m.start()], False))
        pieces.append((m.group(0), True))
        pos = m.end()
    pieces.append((text[pos:], False))
    # The whole paragraph as it would print, with each tag standing in for its value.
    shown = "".join(_stand_in(piece) if is_tag else piece for piece, is_tag in pieces)
    shown = _glue(_IDENTIFIER_LABEL, _glue(_POSTAL_CODE_AND_TOWN, typeset(shown)))
    out, pos = [], 0
    for piece, is_tag in pieces:
        if is_tag:
            out.append(piece)
            pos += len(_stand_in(piece))
        else:
            out.append(shown[pos:pos + len(piece)])  # typeset() keeps every character's position
            pos += len(piece)
    return "".join(out)


def typeset_runs(texts: Sequence[str]) -> list[str]:
    """typeset_template() over the concatenated runs of a paragraph, split back into the runs."""
    whole = typeset_template("".join(texts))
    out, pos = [], 0
    for text in texts:
        out.append(whole[pos:pos + len(text)])
        pos += len(text)
    return out
