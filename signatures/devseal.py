"""Self-signed development seal (EC P-256, PKCS#12) for offices without a real seal."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID

DEV_OU = "Asysta development seal"  # the marker OfficeSeal.is_development looks for
P12_NAME = "dev-seal.p12"
PASS_NAME = "dev-seal.pass"
_CN_SUFFIX = " – pieczęć testowa (NIE DO UŻYTKU PRODUKCYJNEGO)"
_CN_FALLBACK = "Pieczęć testowa (NIE DO UŻYTKU PRODUKCYJNEGO)"
# RFC 5280 bounds CN and O to 64; cryptography counts UTF-8 bytes, so Polish letters cost 2
_UB_NAME = 64
_VALIDITY = dt.timedelta(days=5 * 365 + 1)


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _fit(text: str, limit: int = _UB_NAME) -> str:
    """Shorten text to at most limit UTF-8 bytes, marking a cut with an ellipsis."""
    if _utf8_len(text) <= limit:
        return text
    while _utf8_len(text) + _utf8_len("…") > limit:
        text = text[:-1]
    return text.rstrip() + "…"


def _common_name(office: str) -> str:
    """The CN from the brief; if the office name is too long, a CN that still says 'test seal'.

    The office name then lives (shortened at worst) only in O, which describe_subject() shows.
    """
    cn = office + _CN_SUFFIX
    return cn if _utf8_len(cn) <= _UB_NAME else _CN_FALLBACK


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable only by the owner, atomically (temp file + rename)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _build(office_name: str, passphrase: str) -> bytes:
    """Generate the key and certificate and return them as an encrypted PKCS#12."""
    key = ec.generate_private_key(ec.SECP256R1())
    office = " ".join(office_name.split())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(office)),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEV_OU),
        x509.NameAttribute(NameOID.COMMON_NAME, _common_name(office)),
    ])
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # a little slack for clocks of machines that verify the documents
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"Asysta dev seal", key, cert, None, BestAvailableEncryption(passphrase.encode())
    )


def create_dev_seal(directory: Path, office_name: str) -> tuple[Path, str]:
    """Create (once) a development seal in directory; return (p12 path, passphrase)."""
    if not office_name or not office_name.strip():
        raise ValueError("office_name must not be empty")
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    p12_path, pass_path = directory / P12_NAME, directory / PASS_NAME
    # several workers may start at once: the lock makes sure only one key pair is ever written
    lock_fd = os.open(directory / ".dev-seal.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        if p12_path.exists() and pass_path.exists():
            return p12_path, pass_path.read_text(encoding="utf-8").strip()
        passphrase = secrets.token_urlsafe(32)
        # passphrase first: a p12 without its passphrase file would be useless
        _write_private(pass_path, passphrase.encode() + b"\n")
        _write_private(p12_path, _build(office_name, passphrase))
        return p12_path, passphrase
    finally:
        os.close(lock_fd)  # closing releases the flock
