"""Issue 10: a forged confirmation does not verify, and no uploaded file makes /verify/ fail."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from confirmations.models import Confirmation
from confirmations.pki import Pki, create_ca, issue_office_certificate, office_signing_key
from confirmations.rendering import render_pdf
from confirmations.signing import check_pdf, sign_pdf

from . import test_confirmations as confirmations_tests

# The confirmation fixtures of test_confirmations: a doctor in Masfjorden and `issue(n)`.
doctor = confirmations_tests.doctor
issue = confirmations_tests.issue
pdf_bytes = confirmations_tests.pdf_bytes


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    cache.clear()


def upload(client, data: bytes) -> str:
    response = client.post("/verify/", {"document": SimpleUploadedFile("b.pdf", data)})
    assert response.status_code == 200
    return " ".join(response.content.decode().replace("\u00a0", " ").split())


def test_the_genuine_document_verifies_and_names_the_office(issue, client, dev_pki):
    c = issue(2)
    check = check_pdf(pdf_bytes(c), dev_pki.ca_cert)
    assert check.ok and check.signer_office == "vest"
    page = upload(client, pdf_bytes(c))
    assert "nøyaktig det vi utstedte" in page and "Signert av ALIS Vest." in page
    by_code = client.get(f"/verify/{c.code}").content.decode()
    assert "ALIS Vest" in by_code


def test_a_confirmation_signed_with_a_stolen_or_home_made_key_does_not_verify(
    issue, client, tmp_path, dev_pki
):
    c = issue(2)
    attacker = Pki(tmp_path / "angriper", b"x")
    create_ca(attacker, name="ALIS-kontorene sertifikatutsteder")  # same name, other key
    p12 = issue_office_certificate(attacker, slug="vest", name="ALIS Vest")
    forged = sign_pdf(
        render_pdf(c), p12=p12, password=b"x", signer_name="Liv Lunde", location="Masfjorden"
    )
    check = check_pdf(forged, dev_pki.ca_cert)
    assert check.signed and check.intact and not check.trusted and not check.ok
    page = upload(client, forged)
    assert "Vi har ikke utstedt dette dokumentet" in page
    assert "nøyaktig det vi utstedte" not in page


def test_a_document_signed_with_another_offices_key_is_not_valid_for_this_office(
    issue, client, nord, dev_pki
):
    c = issue(2)
    nord_key, password = office_signing_key(nord)
    signed = sign_pdf(
        render_pdf(c), p12=nord_key, password=password, signer_name="X", location="Bodø"
    )
    import hashlib

    # Even if such a file were on record for the Vest confirmation, the office must match.
    with scope(office=c.office):
        Confirmation.objects.filter(pk=c.pk).update(sha256=hashlib.sha256(signed).hexdigest())
    assert check_pdf(signed, dev_pki.ca_cert).ok  # trusted CA, but Nord's key
    page = upload(client, signed)
    assert "nøyaktig det vi utstedte" not in page
    assert "Den er signert av ALIS Nord, men bekreftelsen er utstedt av ALIS Vest." in page


def deep_nesting() -> bytes:
    depth = 200_000
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /X "
        + b"[" * depth
        + b"]" * depth
        + b" >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def broken_xref(real: bytes) -> bytes:
    start = real.rfind(b"startxref")
    return real[:start] + b"startxref\n999999999\n%%EOF\n"


@pytest.mark.parametrize(
    "make",
    [
        lambda real: b"%PDF-1.7\n" + bytes(range(256)) * 200,
        lambda real: b"%PDF-",
        lambda real: real[: len(real) // 2],
        broken_xref,
        lambda real: deep_nesting(),
        lambda real: b"%PDF-1.4\n1 0 obj\n<< /Length 99999999 >>\nstream\nabc\nendstream\n",
        lambda real: real.replace(b"/ByteRange", b"/ByteRangX"),
        lambda real: real.replace(b"/Contents <", b"/Contents <zz"),
        lambda real: b"%PDF-1.4\n" + bytes(5_000_000),
    ],
    ids=[
        "garbage",
        "header-only",
        "truncated",
        "broken-xref",
        "deep-nesting",
        "bad-length",
        "no-byterange",
        "bad-contents",
        "megabytes-of-zeros",
    ],
)
def test_malformed_pdfs_give_a_clear_message_never_a_500(issue, client, make):
    page = upload(client, make(pdf_bytes(issue(1))))
    assert any(
        message in page
        for message in (
            "Filen kan ikke leses som PDF",
            "Dokumentet er endret etter at det ble signert",
            "Vi har ikke utstedt dette dokumentet",
        )
    ), page[-800:]
    assert "nøyaktig det vi utstedte" not in page


def test_check_pdf_never_raises_on_hostile_input(dev_pki):
    for data in (b"", b"%PDF-1.7", deep_nesting(), b"%PDF-1.7\n" + b"<<" * 100_000):
        check = check_pdf(data, dev_pki.ca_cert)
        assert not check.ok
    assert check_pdf(deep_nesting(), dev_pki.ca_cert).damaged is True
