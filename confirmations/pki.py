"""Signing certificates: load the education unit's or office's PKCS#12, or make a local CA for
development and the demo (`manage.py create_dev_ca`)."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings


@dataclass(frozen=True)
class DevPki:
    root_pem: Path
    signer_p12: Path
    password: bytes


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NO"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ALIS-kontorene (utvikling)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def create_dev_pki(*, p12_path: Path, root_path: Path, password: bytes, signer_name: str) -> DevPki:
    """A root CA and one signing certificate issued by it. For development and tests only."""
    p12_path.parent.mkdir(parents=True, exist_ok=True)
    root_path.parent.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("ALIS utviklings-CA")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    pki = DevPki(root_path, p12_path, password)
    pki.root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    pki.signer_p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"alis-signer",
            key,
            cert,
            [root],
            serialization.BestAvailableEncryption(password),
        )
    )
    return pki


def configured_signing() -> tuple[Path, bytes, Path]:
    """(PKCS#12 file, its password, trusted root PEM) from settings."""
    return (
        Path(settings.ALIS_SIGNING_P12),
        settings.ALIS_SIGNING_PASSWORD.encode(),
        Path(settings.ALIS_SIGNING_TRUST_ROOT),
    )
