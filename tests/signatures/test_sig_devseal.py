"""Development seal: generation, idempotence, file permissions, certificate contents."""

from __future__ import annotations

import datetime as dt
import stat

import pytest

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from signatures.devseal import create_dev_seal
from signatures.seal import OfficeSeal, SealError

OFFICE = "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu"


def _load(p12, passphrase):
    return pkcs12.load_key_and_certificates(p12.read_bytes(), passphrase.encode())


def test_creates_files_with_owner_only_permissions(tmp_path):
    p12, passphrase = create_dev_seal(tmp_path / "seal", OFFICE)
    assert p12 == tmp_path / "seal" / "dev-seal.p12"
    pass_file = tmp_path / "seal" / "dev-seal.pass"
    for path in (p12, pass_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert pass_file.read_text().strip() == passphrase
    assert len(passphrase) >= 32


def test_is_idempotent(tmp_path):
    first = create_dev_seal(tmp_path, OFFICE)
    content = first[0].read_bytes()
    second = create_dev_seal(tmp_path, "Inna nazwa")
    assert second == first
    assert first[0].read_bytes() == content


def test_certificate_contents(tmp_path):
    key, cert, _ = _load(*create_dev_seal(tmp_path, OFFICE))
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    subject = cert.subject
    # the brief's CN does not fit 64 bytes with a typical office name: the marker is kept
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "Pieczęć testowa (NIE DO UŻYTKU PRODUKCYJNEGO)")
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == OFFICE
    assert subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "PL"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == (
        "Asysta development seal")
    assert cert.issuer == subject
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert dt.timedelta(days=5 * 365) <= lifetime <= dt.timedelta(days=5 * 366 + 1)


def test_short_office_name_goes_into_common_name(tmp_path):
    _, cert, _ = _load(*create_dev_seal(tmp_path, "GOPS Kęty"))
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "GOPS Kęty – pieczęć testowa (NIE DO UŻYTKU PRODUKCYJNEGO)")


def test_long_office_name_still_fits_x509_bounds(tmp_path):
    long_name = "Miejski Ośrodek Pomocy Rodzinie im. św. Jana Pawła II w Kędzierzynie-Koźlu i okolicach"
    _, cert, _ = _load(*create_dev_seal(tmp_path, long_name))
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    org = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert len(org.encode()) <= 64 and org.endswith("…") and long_name.startswith(org[:-1])
    assert "NIE DO UŻYTKU PRODUKCYJNEGO" in cn and len(cn.encode()) <= 64


def test_office_seal_properties(office_seal):
    assert office_seal.is_development
    assert OFFICE in office_seal.subject
    assert len(office_seal.fingerprint) == 64
    assert office_seal.certificate.subject.native["country_name"] == "PL"


def test_load_with_wrong_passphrase_raises_seal_error(tmp_path):
    p12, _ = create_dev_seal(tmp_path, OFFICE)
    with pytest.raises(SealError):
        OfficeSeal.load(p12, "zle-haslo")
    with pytest.raises(SealError):
        OfficeSeal.load(tmp_path / "missing.p12", "x")
