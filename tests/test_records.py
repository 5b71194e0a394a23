"""The doctor's whole record: the page, service certificates, the signed application package with
every document attached unchanged, the JSON and its schema, own data, corrections, retention."""

import hashlib
import io
import json
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.test import Client
from django_scopes import scope

from confirmations.models import Confirmation, Status
from offices import clock
from offices.permissions import Role
from records.models import ApplicationPackage, CorrectionRequest, PackageStatus

from .conftest import member
from .pdf_checks import assert_pdfa_3b
from .record_helpers import five_year_doctor, issue_certificates, service_periods

SCHEMA = Path(__file__).resolve().parent.parent / "records/schema/application-package.schema.json"


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    cache.clear()


@pytest.fixture
def history(vest, masfjorden, alis_masfjorden, veileder_masfjorden, leader_masfjorden):
    from goals.sample_catalogue import load_sample_catalogue

    load_sample_catalogue()
    return five_year_doctor(
        vest, masfjorden, alis_masfjorden, veileder_masfjorden, leader_masfjorden
    )


def own_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def embedded_files(pdf: bytes) -> dict[str, bytes]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    return {str(names[i]): names[i + 1]["/EF"]["/F"].data for i in range(0, len(names), 2)}


def pyhanko_check(pdf: bytes, trust_root: Path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from confirmations.signing import load_trust_root

    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    context = ValidationContext(trust_roots=[load_trust_root(trust_root)], allow_fetching=False)
    return validate_pdf_signature(signatures[0], context), signatures[0].coverage.name


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def test_package_for_a_five_year_history(
    history,
    vest,
    leader_masfjorden,
    alis_masfjorden,
    dev_pki,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    doctor, goals = history
    year = clock.today().year
    leader = own_client(leader_masfjorden)
    certificates = issue_certificates(leader, vest, doctor, django_capture_on_commit_callbacks)
    assert [c.serial for c in certificates] == [f"TJA-VEST-{year}-0000{n}" for n in range(1, 6)]
    assert {c.status for c in certificates} == {Status.ISSUED}
    # The first employment had a leave inside it: its certificate says so.
    assert certificates[0].facts["leaves"] == [
        {"from": "2022-03-01", "to": "2022-05-31", "note": "Foreldrepermisjon"}
    ]
    # A correction: the first certificate is superseded by a new one (only that one travels).
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(f"/vest/bekreftelser/{certificates[0].pk}/erstatt/")
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(f"/vest/leger/{doctor.pk}/bekreftelser/")  # the confirmation of goals
    with scope(office=vest):
        valid = list(
            Confirmation.objects.filter(trainee=doctor, status=Status.ISSUED).order_by("serial")
        )
    expected = [f"ALIS-VEST-{year}-00001"] + [f"TJA-VEST-{year}-0000{n}" for n in range(2, 7)]
    assert [c.serial for c in valid] == expected

    doctor_client = own_client(alis_masfjorden)
    with django_capture_on_commit_callbacks(execute=True):
        response = doctor_client.post("/vest/lege/mappe/soknadspakke/")
    assert response.status_code == 302
    with scope(office=vest):
        package = ApplicationPackage.objects.get(trainee=doctor)
    assert (package.status, package.progress) == (PackageStatus.DONE, 100)
    done = doctor_client.get(
        f"/vest/lege/mappe/soknadspakke/{package.pk}/fremdrift/", HTTP_HX_REQUEST="true"
    )
    assert done["HX-Refresh"] == "true"
    assert "er klar" in doctor_client.get("/vest/lege/mappe/").content.decode()

    pdf = download(doctor_client.get(f"/vest/lege/mappe/soknadspakke/{package.pk}.pdf"))
    bundle = tmp_path / "pakke.pdf"
    bundle.write_bytes(pdf)
    pdfsig = subprocess.run(["pdfsig", str(bundle)], capture_output=True, text=True)
    assert "Signature is Valid" in pdfsig.stdout and "Total document signed" in pdfsig.stdout
    info = subprocess.run(["pdfinfo", str(bundle)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    # PDF/A-3b as far as we can check it: declared, output intent, every font embedded (the
    # signature stamp's too), tagged with language and title.
    facts = assert_pdfa_3b(pdf)
    assert facts.title == "Søknadspakke – spesialist i allmennmedisin – Anna Aase"
    status, coverage = pyhanko_check(pdf, dev_pki.ca_cert)
    assert status.intact and status.valid and status.trusted and coverage == "ENTIRE_FILE"

    # Every document is inside, byte for byte, and still verifies on its own.
    files = embedded_files(pdf)
    assert sorted(files) == sorted([f"{s}.pdf" for s in expected] + ["soknadspakke.json"])
    for c in valid:
        inner = files[f"{c.serial}.pdf"]
        assert hashlib.sha256(inner).hexdigest() == c.sha256
        status, coverage = pyhanko_check(inner, dev_pki.ca_cert)
        assert status.intact and status.valid and status.trusted and coverage == "ENTIRE_FILE"
        assert_pdfa_3b(inner)
        inner_path = tmp_path / f"{c.serial}.pdf"
        inner_path.write_bytes(inner)
        assert (
            "Signature is Valid"
            in subprocess.run(["pdfsig", str(inner_path)], capture_output=True, text=True).stdout
        )

    # The JSON: the same content inside the PDF and as its own download, valid by the schema.
    data = json.loads(
        download(doctor_client.get(f"/vest/lege/mappe/soknadspakke/{package.pk}.json"))
    )
    assert json.loads(files["soknadspakke.json"]) == data
    jsonschema.validate(
        data, json.loads(SCHEMA.read_text()), format_checker=jsonschema.FormatChecker()
    )
    assert data["doctor"]["hpr_number"] == "001234567"
    assert [p["start"] for p in data["service_periods"]] == [
        "2021-09-01",
        "2022-03-01",
        "2023-09-01",
        "2024-03-01",
        "2024-03-01",
        "2026-09-01",
    ]
    assert [p["certificate"] for p in data["service_periods"]] == [
        f"TJA-VEST-{year}-00006",
        None,  # the leave
        f"TJA-VEST-{year}-00002",
        f"TJA-VEST-{year}-00003",
        f"TJA-VEST-{year}-00004",
        f"TJA-VEST-{year}-00005",
    ]
    assert sorted(d["serial"] for d in data["documents"]) == expected
    assert [g["code"] for g in data["learning_goals"]["approved"]] == [g.code for g in goals]
    assert data["courses"][0]["title"] == "Grunnkurs A"
    supervision = data["supervision"]
    assert supervision["individual"]["sessions"] == 10
    assert supervision["individual"]["hours"] == 20.0  # 10 sessions of 2 hours
    assert [(y["year"], y["hours"]) for y in supervision["individual"]["years"]] == [
        (2021, 0.0),
        (2022, 4.0),
        (2023, 4.0),
        (2024, 4.0),
        (2025, 4.0),
        (2026, 4.0),
    ]
    assert supervision["groups"][0]["hours_attended"] == 9.0  # three meetings of 3 hours
    assert {s["name"] for s in supervision["supervisors"]} == {"Vera Veileder", "Sofie Sup"}
    assert {r["key"] for r in data["requirements"]["items"]} >= {"total", "supervision"}


def test_a_doctor_can_never_download_another_doctors_data(
    history,
    vest,
    masfjorden,
    leader_masfjorden,
    alis_masfjorden,
    alis_vadso,
    django_capture_on_commit_callbacks,
):
    doctor, _goals = history
    with django_capture_on_commit_callbacks(execute=True):
        own_client(leader_masfjorden).post(f"/vest/leger/{doctor.pk}/bekreftelser/")
        own_client(alis_masfjorden).post("/vest/lege/mappe/soknadspakke/")
    with scope(office=vest):
        package = ApplicationPackage.objects.get(trainee=doctor)
        confirmation = Confirmation.objects.get(trainee=doctor, status=Status.ISSUED)
    assert package.status == PackageStatus.DONE
    urls = [
        f"/vest/lege/mappe/soknadspakke/{package.pk}.pdf",
        f"/vest/lege/mappe/soknadspakke/{package.pk}.json",
        f"/vest/lege/mappe/soknadspakke/{package.pk}/fremdrift/",
        f"/vest/bekreftelser/{confirmation.serial}.pdf",  # a signed document of the first one
    ]
    # Another doctor in the same municipality: the package does not exist for them.
    from .progress_helpers import make_doctor

    other_user = member(vest, Role.ALIS, masfjorden, email="bjorn@example.no")
    other = make_doctor(vest, masfjorden, user=other_user, hpr_number="007654321", first_name="B")
    other_client = own_client(other_user)
    for url in urls:
        assert other_client.get(url).status_code == 404, url
    # Their own data holds nothing of the first doctor.
    archive = zipfile.ZipFile(
        io.BytesIO(other_client.get("/vest/lege/mappe/mine-data.zip").content)
    )
    text = archive.read("mine-data.json").decode()
    assert other.hpr_number in text and "001234567" not in text
    assert not [n for n in archive.namelist() if n.startswith("filer/")]
    # A doctor of another office: 404, like any outsider.
    for url in urls + ["/vest/lege/mappe/", "/vest/lege/mappe/mine-data.zip"]:
        assert own_client(alis_vadso).get(url).status_code == 404, url
    # The owner gets the files.
    owner = own_client(alis_masfjorden)
    assert [owner.get(url).status_code for url in urls] == [200, 200, 200, 200]


def test_only_the_doctor_downloads_the_package(
    history,
    vest,
    leader_masfjorden,
    coordinator_vest,
    alis_masfjorden,
    django_capture_on_commit_callbacks,
):
    doctor, _goals = history
    with django_capture_on_commit_callbacks(execute=True):
        own_client(alis_masfjorden).post("/vest/lege/mappe/soknadspakke/")
    with scope(office=vest):
        package = ApplicationPackage.objects.get(trainee=doctor)
    for user in (leader_masfjorden, coordinator_vest):
        client = own_client(user)
        assert client.get(f"/vest/lege/mappe/soknadspakke/{package.pk}.pdf").status_code == 403
        assert client.post("/vest/lege/mappe/soknadspakke/").status_code == 403


def test_leader_and_office_read_the_record_and_the_doctor_sees_who(
    history,
    vest,
    masfjorden,
    leader_masfjorden,
    coordinator_vest,
    coordinator_nord,
    alis_masfjorden,
):
    doctor, goals = history
    page = own_client(leader_masfjorden).get(f"/vest/leger/{doctor.pk}/mappe/")
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        "Haukeland universitetssjukehus",
        "Nordhordland legevakt",
        "Vera Veileder",
        "Gruppe Nordhordland",
        "Grunnkurs A",
        goals[0].code,
        "Krav og status",
    ):
        assert expected in text, expected
    assert "Lag søknadspakke" not in text and "Be om retting" not in text  # read-only
    assert own_client(coordinator_vest).get(f"/vest/leger/{doctor.pk}/mappe/").status_code == 200
    other_leader = member(
        vest,
        Role.MUNICIPAL_LEADER,
        vest.municipalities.exclude(pk=masfjorden.pk).first(),
        email="leder@annen.example.no",
    )
    assert own_client(other_leader).get(f"/vest/leger/{doctor.pk}/mappe/").status_code == 403
    assert own_client(coordinator_nord).get(f"/vest/leger/{doctor.pk}/mappe/").status_code == 404
    mine = own_client(alis_masfjorden).get("/vest/lege/mappe/").content.decode()
    # Who read it, by name and role (the e-mail addresses are not what the doctor knows).
    for reader, role in (
        (leader_masfjorden, "Kommunal leder"),
        (coordinator_vest, "Kontorkoordinator"),
    ):
        assert f"{reader.get_full_name()} ({role})" in mine
    assert "leder@masfjorden.example.no" not in mine
    assert "Lag søknadspakke" in mine


def test_own_data_holds_everything_with_the_signed_files(
    history, vest, leader_masfjorden, alis_masfjorden, django_capture_on_commit_callbacks
):
    doctor, _goals = history
    issue_certificates(
        own_client(leader_masfjorden), vest, doctor, django_capture_on_commit_callbacks
    )
    response = own_client(alis_masfjorden).get("/vest/lege/mappe/mine-data.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("mine-data.json"))
    assert len(data["rows"]["trainees.ServicePeriod"]) == 6
    assert len(data["rows"]["trainees.SupervisionSession"]) == 10
    # The doctor's own minutes are theirs to see.
    assert data["rows"]["trainees.SupervisionSession"][0]["fields"]["minutes"] == "Privat referat"
    assert len(data["rows"]["confirmations.Confirmation"]) == 5
    assert data["summary"]["doctor"]["hpr_number"] == "001234567"
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert len(pdfs) == 5 and all(archive.read(n).startswith(b"%PDF") for n in pdfs)


def test_service_certificate_verifies_and_follows_the_rules(
    history, vest, leader_masfjorden, client, django_capture_on_commit_callbacks
):
    doctor, _goals = history
    leader = own_client(leader_masfjorden)
    certificates = issue_certificates(leader, vest, doctor, django_capture_on_commit_callbacks)
    first = certificates[0]
    page = client.get(f"/verify/{first.code}").content.decode()
    assert "Kontroller tjenesteattest" in page and "Masfjorden legekontor" in page
    assert "01.09.2021 – 31.08.2023" in page and "Gyldig" in page
    # Issuing again for the same employment is refused with a clear message.
    period = service_periods(vest, doctor)[0]
    response = leader.post(f"/vest/leger/{doctor.pk}/tjenesteattester/{period.pk}/", follow=True)
    assert "har allerede en gyldig tjenesteattest" in response.content.decode()
    # A leave gets none.
    with scope(office=vest):
        leave = doctor.service_periods.get(is_leave=True)
    response = leader.post(f"/vest/leger/{doctor.pk}/tjenesteattester/{leave.pk}/", follow=True)
    assert "får ingen tjenesteattest" in response.content.decode()
    # Immutable once issued; revoked with a reason, and the public page says so.
    from django.core.exceptions import ValidationError

    with scope(office=vest):
        first.facts = {**first.facts, "percentage": 20}
        with pytest.raises(ValidationError):
            first.save()
    leader.post(f"/vest/bekreftelser/{first.pk}/tilbakekall/", {"reason": "Feil stillingsprosent"})
    assert "Tilbakekalt" in client.get(f"/verify/{first.code}").content.decode()


def test_correction_request_goes_to_the_office_and_back(
    history, vest, coordinator_vest, leader_masfjorden, alis_masfjorden
):
    doctor, _goals = history
    doctor_client = own_client(alis_masfjorden)
    response = doctor_client.post("/vest/lege/mappe/retting/", {"text": "   "})
    assert response.status_code == 400
    assert "Skriv hva som er feil, og hva som er riktig." in response.content.decode()
    with scope(office=vest):
        assert not CorrectionRequest.objects.filter(trainee=doctor).exists()
    text = "Legevaktperioden var 40 %, ikke 50 %."
    assert doctor_client.post("/vest/lege/mappe/retting/", {"text": text}).status_code == 302
    queue = own_client(coordinator_vest).get("/vest/rettinger/").content.decode()
    assert text in queue and doctor.full_name in queue
    with scope(office=vest):
        correction = CorrectionRequest.objects.get(trainee=doctor)
    leader = own_client(leader_masfjorden)
    leader.post(f"/vest/rettinger/{correction.pk}/", {"response": ""})
    with scope(office=vest):
        correction.refresh_from_db()
    assert correction.status == "apen"  # an answer is required
    leader.post(f"/vest/rettinger/{correction.pk}/", {"response": "Rettet til 40 %."})
    assert "Ingen anmodninger venter" in leader.get("/vest/rettinger/").content.decode()
    mine = doctor_client.get("/vest/lege/mappe/").content.decode()
    assert "Rettet til 40 %." in mine and "Behandlet" in mine


# --- Retention ---------------------------------------------------------------------------------


def _left_doctor(vest, masfjorden, hpr, *, served_to: date, left_on: date):
    """A doctor who served from 1 Jan four years before `served_to` and left on `left_on`."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from trainees.services import trainee_update

    from .trainee_factories import make_period, make_trainee

    start = date(served_to.year - 3, 1, 1)
    oslo = ZoneInfo("Europe/Oslo")
    with time_machine.travel(datetime(start.year, 1, 2, 12, tzinfo=oslo), tick=False):
        trainee = make_trainee(
            vest, masfjorden, hpr_number=hpr, email=f"{hpr}@example.no", specialisation_start=start
        )
    make_period(trainee, start=start, end=served_to)
    with time_machine.travel(datetime.combine(left_on, datetime.min.time(), oslo), tick=False):
        trainee_update(office=vest, acting_user=None, trainee=trainee, status="sluttet")
    return trainee


@pytest.mark.dates
def test_a_record_is_deleted_after_its_retention_period_leaving_only_statistics(
    vest, masfjorden, coordinator_vest, settings, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from audit.models import ReadAccess
    from confirmations.models import Event
    from records.models import RetentionStatistic
    from records.services import records_purge
    from trainees.models import ServicePeriod, Trainee

    settings.ALIS_RECORD_RETENTION_YEARS = 10
    # Served 2010–2013 full time (4 years), marked as left on 1 Feb 2014: kept to 1 Feb 2024.
    gone = _left_doctor(
        vest, masfjorden, "1111111", served_to=date(2013, 12, 31), left_on=date(2014, 2, 1)
    )
    kept = _left_doctor(
        vest, masfjorden, "2222222", served_to=date(2019, 12, 31), left_on=date(2020, 1, 15)
    )
    with scope(office=vest):
        old = Confirmation(
            office=vest,
            municipality=masfjorden,
            trainee=gone,
            serial="ALIS-VEST-2013-00001",
            status=Status.SUPERSEDED,
            signer_name="Leder",
            requested_by=coordinator_vest,
        )
        old.pdf.save("gammel.pdf", ContentFile(b"%PDF-1.7 gammel"), save=False)
        old.save()
        new = Confirmation.objects.create(
            office=vest,
            municipality=masfjorden,
            trainee=gone,
            serial="ALIS-VEST-2013-00002",
            status=Status.ISSUED,
            signer_name="Leder",
            requested_by=coordinator_vest,
            supersedes=old,
        )
        Event.objects.create(office=vest, confirmation=new, kind=Event.Kind.ISSUED)
        ReadAccess.objects.create(
            office=vest,
            reader=coordinator_vest,
            reader_email="k@example.no",
            trainee_id=gone.pk,
            trainee_name=gone.full_name,
            what="legeoppføring",
            path="/",
        )

    assert records_purge(today=date(2024, 1, 31)) == 0
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are gone
        assert records_purge(today=date(2024, 2, 1)) == 1
    with scope(office=vest):
        assert list(Trainee.objects.values_list("hpr_number", flat=True)) == ["002222222"]
        assert not ServicePeriod.objects.filter(trainee_id=gone.pk).exists()
        assert not Confirmation.objects.filter(serial__startswith="ALIS-VEST-2013").exists()
        assert not ReadAccess.objects.filter(trainee_id=gone.pk).exists()
        stats = list(
            RetentionStatistic.objects.values_list(
                "year_left", "scheme", "outcome", "doctors", "service_years"
            )
        )
    # Nothing of the person stays in the change history either.
    assert not Trainee.history.filter(id=gone.pk).exists()
    assert not ServicePeriod.history.filter(trainee_id=gone.pk).exists()
    assert stats == [(2014, "ny", "sluttet", 1, Decimal("4.0"))]
    assert not default_storage.exists(old.pdf.name)
    # The one who left in 2020 is kept until 2030.
    assert records_purge(today=date(2030, 1, 14)) == 0
    assert records_purge(today=date(2030, 1, 15)) == 1
    assert kept.pk not in [t for t in Trainee.history.values_list("id", flat=True)]


def test_retention_runs_every_night_from_beat(settings):
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "records.tasks.purge_expired_records" in entries


def test_the_demo_doctor_in_vest_has_a_complete_package(
    vest, dev_pki, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from trainees.models import Trainee

    for _run in range(2):  # a second run adds nothing
        with django_capture_on_commit_callbacks(execute=True):  # tasks run as in the demo
            call_command("load_demo", stdout=io.StringIO())
    with scope(office=vest):
        doctor = Trainee.objects.get(user__email="alis.masfjorden@demo.alis.no")
        package = ApplicationPackage.objects.get(trainee=doctor)
        valid = list(Confirmation.objects.filter(trainee=doctor, status=Status.ISSUED))
    assert package.status == PackageStatus.DONE
    # Four employments (the leave gets none) and one confirmation of the three approved goals.
    assert sorted(c.kind for c in valid) == ["laeringsmal"] + ["tjenesteattest"] * 4
    with package.pdf.open("rb") as handle:
        pdf = handle.read()
    files = embedded_files(pdf)
    assert sorted(files) == sorted([f"{c.serial}.pdf" for c in valid] + ["soknadspakke.json"])
    for c in valid:
        status, _coverage = pyhanko_check(files[f"{c.serial}.pdf"], dev_pki.ca_cert)
        assert status.intact and status.valid and status.trusted
    status, _coverage = pyhanko_check(pdf, dev_pki.ca_cert)
    assert status.intact and status.valid and status.trusted
    assert_pdfa_3b(pdf)
    data = json.loads(files["soknadspakke.json"])
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert len(data["learning_goals"]["approved"]) == 3
    # The period credited from before ALIS is marked once, not "(godskrevet …) (godskrevet)".
    page = own_client(doctor.user).get("/vest/lege/mappe/").content.decode()
    assert page.count("godskrevet") == 1
