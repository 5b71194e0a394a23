"""Signed, verifiable confirmations: issue, verify, supersede, revoke, tamper, download."""

import hashlib
import subprocess
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from confirmations.models import Confirmation, Status
from confirmations.services import AchievedGoal, confirmation_request, confirmation_revoke
from confirmations.signing import check_pdf
from offices.permissions import Role
from trainees.models import Trainee

from .conftest import member


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    cache.clear()


@pytest.fixture
def doctor(vest, masfjorden, alis_masfjorden):
    with scope(office=vest):
        return Trainee.objects.create(
            office=vest,
            municipality=masfjorden,
            user=alis_masfjorden,
            first_name="Anna",
            last_name="Aase",
            email=alis_masfjorden.email,
            hpr_number="001234567",
            specialisation_start=date(2022, 9, 1),
        )


def goals(n: int) -> list[AchievedGoal]:
    start = date(2023, 1, 10)
    return [
        AchievedGoal(
            code=f"ALM-{i:03d}",
            title=f"Læringsmål nummer {i} om allmennmedisin",
            approved_on=start + timedelta(days=7 * i),
            approved_by="Liv Lunde",
            veileder_advice="Anbefalt",
            supervisor_advice="Anbefalt",
        )
        for i in range(1, n + 1)
    ]


@pytest.fixture
def issue(vest, leader_masfjorden, doctor, django_capture_on_commit_callbacks):
    def make(n=5, supersedes=None):
        with django_capture_on_commit_callbacks(execute=True):
            c = confirmation_request(
                office=vest,
                acting_user=leader_masfjorden,
                trainee=doctor,
                goals=goals(n),
                signer_name="Liv Lunde, kommuneoverlege",
                organisation_number="964338442",
                supersedes=supersedes,
            )
        with scope(office=vest):
            c.refresh_from_db()
        return c

    return make


def pdf_bytes(c: Confirmation) -> bytes:
    with c.pdf.open("rb") as fh:
        return fh.read()


def pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_issued_confirmation_is_signed_hashed_and_says_what_it_should(issue, dev_pki, tmp_path):
    c = issue(5)
    assert c.status == Status.ISSUED and c.serial == f"ALIS-VEST-{date.today().year}-00001"
    data = pdf_bytes(c)
    assert hashlib.sha256(data).hexdigest() == c.sha256
    check = check_pdf(data, dev_pki.ca_cert)
    assert check.ok, check
    text = pdftotext(data, tmp_path)
    for expected in (
        "Bekreftelse på oppnådde læringsmål",
        "Anna Aase",
        "001234567",
        "Masfjorden kommune",
        "964338442",
        "ALM-001",
        "ALM-005",
        "Side 1 av 1",
        c.display_code,
    ):
        assert expected in text, expected
    # An independent checker (poppler) sees the signature too.
    (tmp_path / "s.pdf").write_bytes(data)
    pdfsig = subprocess.run(["pdfsig", str(tmp_path / "s.pdf")], capture_output=True, text=True)
    assert "Signature is Valid" in pdfsig.stdout


def test_one_changed_byte_breaks_the_signature(issue, dev_pki, client):
    data = bytearray(pdf_bytes(issue(3)))
    data[len(data) // 3] ^= 0x01
    assert not check_pdf(bytes(data), dev_pki.ca_cert).intact
    page = client.post("/verify/", {"document": SimpleUploadedFile("c.pdf", bytes(data))})
    assert "Dokumentet er endret etter at det ble signert" in page.content.decode()


def test_uploading_the_exact_document_confirms_it(issue, client):
    c = issue(3)
    page = client.post("/verify/", {"document": SimpleUploadedFile("c.pdf", pdf_bytes(c))})
    assert "nøyaktig det vi utstedte" in page.content.decode()
    not_pdf = client.post("/verify/", {"document": SimpleUploadedFile("c.pdf", b"hei")})
    assert "Filen er ikke en PDF" in not_pdf.content.decode()


def test_verification_page_reports_valid_superseded_and_revoked(
    issue, client, vest, leader_masfjorden
):
    first = issue(3)
    page = client.get(f"/verify/{first.display_code}")
    assert page.status_code == 200 and "Gyldig." in page.content.decode()
    assert "Anna Aase" in page.content.decode() and "001234567" not in page.content.decode()

    second = issue(4, supersedes=first)
    page = client.get(f"/verify/{first.code}").content.decode()
    assert "Erstattet." in page and f"/verify/{second.code}" in page
    with scope(office=vest):
        assert [e.kind for e in first.events.all()] == ["bestilt", "utstedt", "erstattet"]

    confirmation_revoke(
        office=vest, acting_user=leader_masfjorden, confirmation=second, reason="Feil periode"
    )
    assert "Tilbakekalt." in client.get(f"/verify/{second.code}").content.decode()
    assert client.get("/verify/AAAA-BBBB-CCCC-DDDD").status_code == 404


def test_issued_confirmation_cannot_be_edited(issue, vest, leader_masfjorden):
    c = issue(2)
    with scope(office=vest):
        c.goals = [*c.goals, {"code": "ALM-999"}]
        with pytest.raises(ValidationError):
            c.save()
    with pytest.raises(ValidationError):
        confirmation_revoke(office=vest, acting_user=leader_masfjorden, confirmation=c, reason=" ")


def test_no_goals_no_confirmation(vest, leader_masfjorden, doctor):
    with pytest.raises(ValidationError, match="ingen godkjente læringsmål"):
        confirmation_request(
            office=vest,
            acting_user=leader_masfjorden,
            trainee=doctor,
            goals=[],
            signer_name="Liv Lunde",
        )


def test_only_the_doctor_the_leader_and_the_office_may_download(
    issue,
    client_for,
    alis_masfjorden,
    leader_masfjorden,
    coordinator_vest,
    vest,
    masfjorden,
    coordinator_nord,
):
    c = issue(2)
    url = f"/vest/bekreftelser/{c.serial}.pdf"
    for user in (alis_masfjorden, leader_masfjorden, coordinator_vest):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == pdf_bytes(c)
    other_doctor = member(vest, Role.ALIS, masfjorden, email="annen@masfjorden.example.no")
    assert client_for(other_doctor).get(url).status_code == 404  # another doctor's: not there
    bergen_leader = member(
        vest,
        Role.MUNICIPAL_LEADER,
        masfjorden.__class__.objects.get(number="4601"),
        email="l@bergen.no",
    )
    assert client_for(bergen_leader).get(url).status_code == 403
    assert client_for(coordinator_nord).get(url).status_code == 404


def test_verification_is_rate_limited(client, db):
    for _ in range(20):
        assert client.get("/verify/ABCD").status_code == 404
    limited = client.get("/verify/ABCD")
    assert limited.status_code == 429 and "For mange forsøk" in limited.content.decode()


def test_a_150_goal_confirmation_runs_over_several_pages(issue, tmp_path, dev_pki):
    c = issue(150)
    data = pdf_bytes(c)
    text = pdftotext(data, tmp_path)
    assert "ALM-150" in text and "Side 1 av" in text
    pages = int(text.split("Side 1 av ")[1].split()[0])
    assert pages >= 4
    assert check_pdf(data, dev_pki.ca_cert).ok


def test_build_task_stays_in_its_office(issue, nord):
    from confirmations.tasks import build_confirmation

    c = issue(1)
    with pytest.raises(Confirmation.DoesNotExist):
        build_confirmation(nord.pk, c.pk)
