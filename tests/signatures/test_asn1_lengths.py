"""asn1crypto keeps a parsed value's bytes when its definite length merely ends in the byte 0x80.

Without signatures.asn1_lengths, asn1crypto re-encodes such a value from its parsed children on
every dump (it takes the length for the indefinite form), which is what made one seal in four
several times slower. A BER-only detail inside (TRUE written as 0x01, which DER writes as 0xFF)
shows whether the value was re-encoded.
"""

from __future__ import annotations

import pytest
from asn1crypto import core

import signatures  # noqa: F401  (installs the fix, as every use of the signatures package does)


class _Flagged(core.Sequence):
    _fields = [("flag", core.Boolean), ("data", core.OctetString)]


class _Flags(core.SequenceOf):
    _child_spec = core.Boolean


def _length(n: int) -> bytes:
    """DER length octets of n (X.690 8.1.3)."""
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _flagged(length: int) -> bytes:
    """A SEQUENCE of the given content length: BER TRUE (01 01 01), then an OCTET STRING filler."""
    flag = b"\x01\x01\x01"
    filler = length - len(flag) - 1 - len(_length(length - len(flag) - 3))
    octets = b"\x04" + _length(filler) + b"x" * filler
    assert len(flag + octets) == length
    return b"\x30" + _length(length) + flag + octets


@pytest.mark.parametrize("length", [0x80, 0x180, 0x280, 0x1080])
def test_a_definite_length_ending_in_0x80_keeps_the_parsed_bytes(length):
    der = _flagged(length)
    assert _length(length)[-1] == 0x80
    value = _Flagged.load(der)
    assert value.dump() == der
    assert value.dump() == der  # the second dump too (asn1crypto then keeps its own header)
    assert value["flag"].native is True


def test_a_sequence_of_whose_length_ends_in_0x80_keeps_the_parsed_bytes():
    items = b"\x01\x01\x01" * 128  # 384 bytes = 0x0180
    ber = b"\x30\x82\x01\x80" + items
    value = _Flags.load(ber)
    assert value.dump() == ber
    assert value.native == [True] * 128


def test_an_indefinite_length_is_still_re_encoded_as_der():
    ber = b"\x30\x80" + b"\x01\x01\x01" + b"\x04\x01x" + b"\x00\x00"
    value = _Flagged.load(ber)
    assert value.dump() == b"\x30\x06\x01\x01\xff\x04\x01x"


def test_a_changed_value_is_encoded_afresh():
    der = _flagged(0x280)
    value = _Flagged.load(der)
    value["flag"] = False
    assert value.dump() == b"\x30\x82\x02\x80\x01\x01\x00" + der[7:]
