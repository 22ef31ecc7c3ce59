"""asn1crypto fix: a definite length whose last byte is 0x80 is not an indefinite (BER) length.

asn1crypto 1.5.1 (the latest release) treats every value whose stored header ends in the byte
0x80 as indefinite-length BER, and so re-encodes it with its whole subtree from parsed children
on every dump() after the first ("force"). The header of a definite length of 128, 384, 640 …
bytes (``30 82 02 80``) ends in 0x80 too: upstream issue wbond/asn1crypto#249, still open.
In a seal the CMS parts change length with the ECDSA signature (70–72 bytes), so for a given
certificate one seal in four or so paid some 10,000 extra asn1crypto calls when, say, its
SignerInfo came to 640 bytes: seal p95 six to eight times the median.

X.690 8.1.3.6: the indefinite form is the single length octet 0x80. asn1crypto's parser keeps
the end-of-contents octets of every indefinite length it read in ``_trailer``, so a value with an
empty trailer has a definite length and needs no re-encoding: its header is rebuilt from the
contents, which for DER gives the same bytes. Real indefinite lengths are still re-encoded.
"""

from __future__ import annotations

import functools

from asn1crypto import core

__all__ = ["install"]

# The five classes whose dump() holds the ``_header[-1:] == b"\x80"`` test in asn1crypto 1.5.1.
_CLASSES = (core.Asn1Value, core.Choice, core.Primitive, core.Sequence, core.SequenceOf)


def _definite_aware(dump):
    @functools.wraps(dump)
    def wrapper(self, force=False):
        header = self._header
        if not force and header is not None and header[-1:] == b"\x80" and not self._trailer:
            self._header = None  # dump() then rebuilds only the header, without a forced re-encode
        return dump(self, force)

    wrapper.asysta_definite_aware = True
    return wrapper


def install() -> None:
    """Patch asn1crypto's dump() methods in this process; calling it again changes nothing.

    Takes and returns nothing, raises nothing. Only values that asn1crypto would have re-encoded
    although their length is definite are affected; their encoding stays the same bytes.
    """
    for cls in _CLASSES:
        dump = cls.__dict__["dump"]
        if not getattr(dump, "asysta_definite_aware", False):
            cls.dump = _definite_aware(dump)
