"""Invisible PAdES B-B office seal, applied as an incremental update that keeps PDF/A valid."""

from __future__ import annotations

import asyncio
import hashlib
import io
from pathlib import Path

from asn1crypto import cms as asn1_cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
from pyhanko.pdf_utils.generic import TextStringObject, pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.sign import signers
from pyhanko.sign.attributes import CMSAttributeProvider, SignedAttributeProviderSpec
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.signers import constants
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .devseal import DEV_OU

__all__ = ["OfficeSeal", "SealError", "describe_subject", "DEV_OU"]

DEFAULT_REASON = "Pieczęć elektroniczna urzędu"
FIELD_NAME = "PieczecUrzedu"


class SealError(Exception):
    """The seal could not be loaded or applied."""


def describe_subject(cert: asn1_x509.Certificate) -> str:
    """Human-readable signer: CN, plus O when the CN does not already contain it."""
    native = cert.subject.native

    def first(key: str) -> str | None:
        value = native.get(key)
        return ", ".join(value) if isinstance(value, list) else value

    cn, org = first("common_name"), first("organization_name")
    if cn and org and org not in cn:
        return f"{cn}, {org}"
    return cn or org or cert.subject.human_friendly


class _FixedAttribute(CMSAttributeProvider):
    """A signed attribute that never changes, kept as DER and handed out freshly parsed."""

    def __init__(self, der: bytes):
        self._der = der

    async def get_attribute(self, dry_run=False) -> asn1_cms.CMSAttribute:
        # A loaded (not built) asn1crypto value dumps its stored bytes; a freshly built one is
        # re-serialised again and again while the CMS around it is assembled (most of a seal).
        return asn1_cms.CMSAttribute.load(self._der)


class _PadesAttributes(SignedAttributeProviderSpec):
    """PAdES B-B signed attributes besides content-type and message-digest (ETSI EN 319 142-1,
    baseline level B-B): signing-certificate-v2 only, as pyHanko's own PAdES spec gives; the
    signing-time attribute must not be present there (the time is the dictionary's /M)."""

    def __init__(self, signing_certificate_v2: bytes):
        self._providers = [_FixedAttribute(signing_certificate_v2)]

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str):
        return iter(self._providers)


class _ParsedKeySigner(signers.SimpleSigner):
    """SimpleSigner that keeps the parsed private key (stock one re-parses it per signature)."""

    def __init__(self, pyca_key, **kwargs):
        super().__init__(**kwargs)
        self._pyca_key = pyca_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mech = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        algo = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
        key = self._pyca_key
        if digest_algorithm in algo:
            h = algo[digest_algorithm]()
            if mech == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ec.ECDSA(h))
            if mech == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, padding.PKCS1v15(), h)
        # anything unusual (PSS parameters, EdDSA...): pyHanko's slower but complete path
        return super().sign_raw(data, digest_algorithm)


class _Pdf17Signer(signers.PdfSigner):
    """PdfSigner that never raises the document to PDF 2.0.

    pyHanko adds the ISO/TS 32002 extension for ECDSA keys and with it catalog /Version 2.0;
    PDF/A-2 is built on PDF 1.7 (ISO 32000-1), where PAdES with ECDSA is normal practice.
    """

    def register_extensions(self, pdf_out, *, md_algorithm: str):
        pdf_out.ensure_output_version(version=(1, 7))
        if pdf_out.output_version < (2, 0):
            pdf_out.register_extension(constants.ESIC_EXTENSION_1)


def align_info_with_xmp(writer: IncrementalPdfFileWriter) -> None:
    """Pre-empt pyHanko's Info/XMP disagreement that breaks PDF/A (ISO 19005-2, 6.6.2.3.1).

    On write pyHanko sets XMP pdf:Producer to exactly VENDOR but appends "; VENDOR" to an
    existing Info /Producer; with /Producer already equal to VENDOR it leaves Info alone.
    It also writes "now" separately to Info /ModDate and xmp:ModifyDate, which can straddle
    a second; dropping the Info entry (optional in PDF/A) leaves the XMP as the only date.
    """
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is None:
        return  # pyHanko then writes XMP only: nothing to disagree with
    info = info_ref.get_object()
    info[pdf_name("/Producer")] = TextStringObject(VENDOR)
    if "/ModDate" in info:
        del info["/ModDate"]
    if hasattr(info_ref, "reference"):
        writer.mark_update(info_ref)


class OfficeSeal:
    """An office's sealing key and certificate, parsed once and reused by every thread."""

    def __init__(self, pyca_key, pyca_cert, extra_certs=()):
        self._pyca_key = pyca_key
        self._cert_der = pyca_cert.public_bytes(Encoding.DER)
        self._key_der = pyca_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        self._extra_der = [c.public_bytes(Encoding.DER) for c in extra_certs]
        self.certificate: asn1_x509.Certificate = asn1_x509.Certificate.load(self._cert_der)
        self.fingerprint: str = hashlib.sha256(self._cert_der).hexdigest()
        self._signing_certificate_v2 = simple_cms_attribute(
            "signing_certificate_v2", as_signing_certificate_v2(asn1_x509.Certificate.load(self._cert_der))).dump()
        self._bytes_reserved = self._container_size()

    def _container_size(self) -> int:
        """Room for the CMS in /Contents (hex digits): pyHanko's own estimate, made once.

        Without it pyHanko builds a whole dummy CMS before every seal to measure it. The CMS
        differs between seals only in the message digest and the signature value (an ECDSA
        DER signature varies by a few bytes), so pyHanko's 50 % margin is ample.
        """
        dummy = asyncio.run(self._signer().async_sign(bytes(32), "sha256", dry_run=True, use_pades=True))
        hex_len = len(dummy.dump()) * 2
        return hex_len + 2 * (hex_len // 4)

    @classmethod
    def load(cls, p12_path: Path, passphrase: str | bytes) -> OfficeSeal:
        """Parse a PKCS#12 file (key, certificate and optional chain)."""
        if isinstance(passphrase, str):
            passphrase = passphrase.encode("utf-8")
        try:
            data = Path(p12_path).read_bytes()
            key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase or None)
        except (OSError, ValueError, TypeError) as exc:
            raise SealError(f"Cannot load the seal from {p12_path}: {exc}") from exc
        if key is None or cert is None:
            raise SealError(f"{p12_path} contains no private key or no certificate")
        return cls(key, cert, extra or ())

    @property
    def subject(self) -> str:
        return describe_subject(self.certificate)

    @property
    def is_development(self) -> bool:
        ou = self.certificate.subject.native.get("organizational_unit_name")
        return DEV_OU in (ou if isinstance(ou, list) else [ou])

    def _signer(self) -> _ParsedKeySigner:
        # Fresh signer and fresh asn1crypto objects per call: asn1crypto objects are mutable
        # and lazily parsed/serialised, so sharing them between sealing threads is unsafe.
        # Loading DER is lazy and cheap; the expensive part (the private key) stays parsed.
        registry = SimpleCertificateStore()
        registry.register_multiple(asn1_x509.Certificate.load(der) for der in self._extra_der)
        signer = _ParsedKeySigner(
            self._pyca_key,
            signing_cert=asn1_x509.Certificate.load(self._cert_der),
            signing_key=asn1_keys.PrivateKeyInfo.load(self._key_der),
            cert_registry=registry,
        )
        signer.signed_attr_prov_spec = _PadesAttributes(self._signing_certificate_v2)
        return signer

    def seal(self, pdf: bytes, *, reason: str = DEFAULT_REASON, location: str | None = None) -> bytes:
        """Return pdf with an invisible PAdES B-B seal appended as an incremental update."""
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            existing = len(list(enumerate_sig_fields(writer.prev)))
            align_info_with_xmp(writer)
            meta = signers.PdfSignatureMetadata(
                field_name=FIELD_NAME if not existing else f"{FIELD_NAME}{existing + 1}",
                md_algorithm="sha256",
                subfilter=SigSeedSubFilter.PADES,
                reason=reason,
                location=location,
            )
            # no stamp style / no box: pyHanko then makes a zero-size widget without appearance
            out = _Pdf17Signer(meta, signer=self._signer()).sign_pdf(writer, bytes_reserved=self._bytes_reserved)
            return out.getvalue()
        except SealError:
            raise
        except Exception as exc:  # pyHanko raises many types for broken input
            raise SealError(f"Sealing failed: {exc}") from exc
