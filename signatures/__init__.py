"""PDF sealing (PAdES), seal verification and PDF/A checks for Asysta; no Flask here."""

from .asn1_lengths import install as _install_asn1_lengths

# before any CMS is built or read: see asn1_lengths (a seal in four re-encoded its whole CMS)
_install_asn1_lengths()
