"""Signing keys: a CA, and one key + certificate per office, kept OUTSIDE the project tree.

Layout of `settings.ALIS_PKI_DIR` (default `~/.local/share/alis/pki` for development; production
requires it to be set, see alis/settings/production.py):

    ca.pem                 the CA certificate: the trust root /verify/ checks signatures against
    ca-key.pem             the CA's private key, encrypted with ALIS_SIGNING_PASSWORD (mode 0600)
    kontorer/<slug>.p12    each office's key and certificate, same password (mode 0600)

Each office signs its confirmations with its own key; the certificate names the office
(O = the office's name, OU = its slug), so /verify/ can show which office signed and refuse a
document signed by another office's key. An office without a certificate (a sixth office added as
data) gets one issued from the CA the first time it needs it, or with
`manage.py issue_office_certificates`. The directory is never under BASE_DIR, STATIC_ROOT,
the static dirs or MEDIA_ROOT (a system check enforces it), and the PDF URL fetcher
(alis/pdf.py) reads nothing outside the static roots, so no rendering path can read a key.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CA_NAME = "ALIS-kontorene sertifikatutsteder"


@dataclass(frozen=True)
class Pki:
    directory: Path
    password: bytes

    @property
    def ca_cert(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.directory / "ca-key.pem"

    def office_p12(self, slug: str) -> Path:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", slug):
            raise ValueError(f"Ugyldig kontor-kortnavn for nøkkelfil: {slug!r}")
        return self.directory / "kontorer" / f"{slug}.p12"


def configured_pki() -> Pki:
    return Pki(Path(settings.ALIS_PKI_DIR), settings.ALIS_SIGNING_PASSWORD.encode())


def trust_root_path() -> Path:
    return configured_pki().ca_cert


def _write_secret(path: Path, data: bytes) -> None:
    """Write a key file readable by its owner only (created so, never world-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _key_usage(*, sign_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certs,
        content_commitment=not sign_certs,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certs,
        crl_sign=sign_certs,
        encipher_only=False,
        decipher_only=False,
    )


def create_ca(pki: Pki, *, name: str = CA_NAME) -> None:
    """A root CA in `pki.directory` (ca.pem + encrypted ca-key.pem)."""
    now = dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NO"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ALIS-kontorene"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign_certs=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_secret(
        pki.ca_key,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(pki.password),
        ),
    )
    pki.ca_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def load_ca(pki: Pki):
    """(CA certificate, CA key); ImproperlyConfigured with a clear message when unusable."""
    if not pki.ca_cert.is_file() or not pki.ca_key.is_file():
        raise ImproperlyConfigured(
            f"Sertifikatutstederen mangler i {pki.directory} (ca.pem og ca-key.pem). "
            "Lag den med «manage.py create_dev_ca» (utvikling) eller legg inn kontorenes CA."
        )
    try:
        key = serialization.load_pem_private_key(pki.ca_key.read_bytes(), pki.password)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "ALIS_SIGNING_PASSWORD åpner ikke CA-nøkkelen i ALIS_PKI_DIR."
        ) from error
    return x509.load_pem_x509_certificate(pki.ca_cert.read_bytes()), key


def issue_office_certificate(pki: Pki, *, slug: str, name: str) -> Path:
    """Issue a key and certificate for one office from the CA; returns the PKCS#12 path."""
    ca_cert, ca_key = load_ca(pki)
    now = dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NO"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, slug),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} – bekreftelser"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign_certs=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    path = pki.office_p12(slug)
    _write_secret(
        path,
        pkcs12.serialize_key_and_certificates(
            slug.encode(), key, cert, [ca_cert], serialization.BestAvailableEncryption(pki.password)
        ),
    )
    return path


def office_signing_key(office, pki: Pki | None = None) -> tuple[Path, bytes]:
    """(PKCS#12 path, password) of the office's own key, issued on first use."""
    pki = pki or configured_pki()
    path = pki.office_p12(office.slug)
    if not path.is_file():
        issue_office_certificate(pki, slug=office.slug, name=office.name)
    return path, pki.password


def is_inside(path: Path, roots) -> bool:
    path = Path(path).resolve()
    for root in roots:
        root = Path(root).resolve()
        if path == root or path.is_relative_to(root) or root.is_relative_to(path):
            return True
    return False


def forbidden_roots() -> list[Path]:
    """Places the key directory must never be in (or contain): what a web path can reach."""
    roots = [Path(settings.BASE_DIR), Path(settings.MEDIA_ROOT)]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        roots.append(Path(entry[1] if isinstance(entry, (tuple, list)) else entry))
    return roots
