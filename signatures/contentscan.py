"""A fast reader of PDF content streams: operators with their operands (ISO 32000-1, 7.8.2).

pypdf's ContentStream builds a PDF object for every token and takes a few hundred milliseconds
for a page of text; the glyph check (signatures.pdfglyphs) runs on every PDF the tests produce
and needs only the operators and their operands. Operands come back as: bytes for strings
(literal or hexadecimal, escapes resolved), str for names (with the slash, e.g. "/F1"), float
for numbers, list for arrays; dictionaries (marked-content properties) are skipped. Inline
images (BI … ID data EI) are passed over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["operations"]

_DELIMITERS = rb"()<>\[\]{}/%"
_TOKEN = re.compile(rb"[\x00\t\n\x0c\r ]+|%[^\r\n]*|(\()|<([0-9A-Fa-f\x00\t\n\x0c\r ]*)>|(<<|>>)|(\[)|(\])"
                    rb"|/([^\x00\t\n\x0c\r " + _DELIMITERS + rb"]*)"
                    rb"|([+-]?(?:\d+\.?\d*|\.\d+))"
                    rb"|([^\x00\t\n\x0c\r " + _DELIMITERS + rb"]+)"
                    rb"|(.)", re.S)
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f",
            ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}
_END_OF_IMAGE = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)")


def _literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """The string starting after the '(' at pos, and the position after its closing ')'."""
    out = bytearray()
    depth = 1
    end = len(data)
    while pos < end:
        ch = data[pos]
        if ch == 0x5C:  # backslash
            pos += 1
            if pos >= end:
                break
            nxt = data[pos]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                pos += 1
            elif 0x30 <= nxt <= 0x37:  # up to three octal digits
                digits = data[pos:pos + 3]
                count = next((i for i, d in enumerate(digits) if not 0x30 <= d <= 0x37), len(digits))
                out.append(int(digits[:count], 8) & 0xFF)
                pos += count
            elif nxt == 0x0D:  # a line continuation: \ before an end of line
                pos += 2 if data[pos + 1:pos + 2] == b"\n" else 1
            elif nxt == 0x0A:
                pos += 1
            else:  # an unknown escape: the backslash is ignored
                out.append(nxt)
                pos += 1
            continue
        if ch == 0x28:
            depth += 1
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), pos + 1
        out.append(ch)
        pos += 1
    return bytes(out), pos


def operations(data: bytes) -> Iterator[tuple[list, bytes]]:
    """(operands, operator) for each operator of a decoded content stream, in order."""
    operands: list = []
    arrays: list[list] = []
    pos, end = 0, len(data)
    while pos < end:
        m = _TOKEN.match(data, pos)
        pos = m.end()
        literal, hexa, _, open_array, close_array, name, number, operator, _ = m.groups()
        target = arrays[-1] if arrays else operands
        if literal is not None:
            value, pos = _literal(data, pos)
            target.append(value)
        elif hexa is not None:
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", hexa)
            target.append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
        elif open_array is not None:
            arrays.append([])
        elif close_array is not None and arrays:
            done = arrays.pop()
            (arrays[-1] if arrays else operands).append(done)
        elif name is not None:
            target.append("/" + name.decode("latin-1"))
        elif number is not None:
            target.append(float(number))
        elif operator is not None:
            if arrays:  # an operator inside an array: a broken stream, the array ends here
                operands.extend(arrays[0:1])
                arrays.clear()
            if operator == b"BI":
                found = data.find(b"ID", pos)
                image_end = _END_OF_IMAGE.search(data, found + 3) if found >= 0 else None
                pos = image_end.end() if image_end else end
                operands = []
                continue
            if operator not in (b"true", b"false", b"null"):
                yield operands, operator
                operands = []
