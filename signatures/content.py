"""Marked-content sequences cut out of a content stream's bytes (ISO 32000-1 14.6).

Done on the decoded bytes with a lexer that knows only what can hide an operator (literal and
hexadecimal strings, comments) and the marked-content operators, rather than by parsing the whole
stream into objects and writing it again: for a few short sequences that took most of the time.
"""
from __future__ import annotations

import re

__all__ = ["without_sequences"]


def without_sequences(data: bytes, mcids: set[int]) -> bytes:
    """`data` (a decoded content stream) without the marked-content sequences, BDC to its EMC,
    whose inline property list has an MCID in mcids; data itself when there is none."""
    cuts = []
    for match in _BDC.finditer(data):
        if int(match.group(1)) in mcids and not _in_string(data, match.start()):
            end = _sequence_end(data, match.end())
            if end is not None:
                cuts.append((match.start(), end))
    if not cuts:
        return data
    out, at = [], 0
    for start, end in cuts:
        out.append(data[at:start])
        at = end
    out.append(data[at:])
    return b"".join(out)


# a BDC whose property list is an inline dictionary with an MCID (as LibreOffice writes them)
_BDC = re.compile(rb"/[^\s/<>\[\]()%{}]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC\b")
_TOKEN = re.compile(rb"\(|<<|<|%|\bBDC\b|\bBMC\b|\bEMC\b")
_LINE_END = re.compile(rb"[\r\n]")


def _in_string(data: bytes, pos: int) -> bool:
    """Whether pos lies inside a string or comment of the content (then it is no operator)."""
    at = 0
    while True:
        found = _TOKEN.search(data, at, pos)
        if found is None:
            return False
        end = _skip(data, found)
        if end > pos:
            return True
        at = end


def _skip(data: bytes, token: re.Match) -> int:
    """Where the token found ends: the end of a string or comment, else just after the token."""
    kind = token.group(0)
    if kind == b"(":  # a literal string: balanced parentheses, backslash escapes
        depth, i = 1, token.end()
        while i < len(data) and depth:
            c = data[i]
            if c == 0x5C:  # backslash: the next byte is escaped
                i += 2
                continue
            depth += (c == 0x28) - (c == 0x29)
            i += 1
        return i
    if kind == b"<":  # a hexadecimal string
        close = data.find(b">", token.end())
        return len(data) if close < 0 else close + 1
    if kind == b"%":
        found = _LINE_END.search(data, token.end())
        return len(data) if found is None else found.end()
    return token.end()


def _sequence_end(data: bytes, at: int) -> int | None:
    """The end of the EMC closing the sequence whose BDC ends at `at` (nested ones counted)."""
    depth = 1
    while True:
        token = _TOKEN.search(data, at)
        if token is None:
            return None
        kind = token.group(0)
        if kind in (b"BDC", b"BMC"):
            depth += 1
        elif kind == b"EMC":
            depth -= 1
            if depth == 0:
                return token.end()
        at = _skip(data, token)


