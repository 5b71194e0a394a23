"""The doctor's record as a cold reader meets it (issue 22, second round): the figures say
what they count and read the same on the page and in the signed package; a correction request
reaches the office's inbox and e-mail and the answer reaches the doctor; the own-data zip reads
without a database manual; the read log names people; /verify/ words each document by its kind."""

import io
import json
import re
import zipfile
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_scopes import scope

from audit.models import ReadAccess
from notifications.models import Outbox
from offices.permissions import Role
from records.models import CorrectionRequest

from .conftest import member
from .grant_helpers import pilot_claim, signed_doctor
from .progress_helpers import make_doctor
from .record_helpers import (
    build_package_text,
    five_year_doctor,
    issue_certificates,
    liv_lunde,
    own_client,
)
from .trainee_factories import make_period
from .translation_helpers import pending_translations


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    cache.clear()


def english_from_pending():
    return pending_translations("en", "fix4")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def history(vest, masfjorden, alis_masfjorden, veileder_masfjorden, leader_masfjorden):
    from goals.sample_catalogue import load_sample_catalogue

    load_sample_catalogue()
    return five_year_doctor(
        vest, masfjorden, alis_masfjorden, veileder_masfjorden, leader_masfjorden
    )


# --- 1, 3, 5: the figures, the same on the page and in the package ---------------------------


def test_sessions_and_hours_read_the_same_on_the_page_and_in_the_signed_package(
    history,
    vest,
    leader_masfjorden,
    alis_masfjorden,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    doctor, _goals = history
    year = 2026  # the suite's frozen clock
    issue_certificates(
        own_client(leader_masfjorden), vest, doctor, django_capture_on_commit_callbacks
    )
    doctor_client = own_client(alis_masfjorden)
    page = text_of(doctor_client.get("/vest/lege/mappe/").content.decode())
    # Ten sessions of two hours: 10 sessions, 20 hours (never "10 timer"). The requirement,
    # 4 h a month for 10.5 months a year (3.5 h a month) pro rata for the service, to
    # 23.11.2026: 2021 Sep–Dec 4 × 3.5 = 14; 2022 nine months beside the leave 31.5; 2023–2025
    # 42 each; 2026 10 23/30 months 37.68; in all 209.18 h, shown to one decimal.
    sentence = "Individuell veiledning: 10 økter, 20 t i alt mot 209,2 t som kreves så langt."
    years = (
        "2021 0 t 14 t 2022 4 t 31,5 t 2023 4 t 42 t 2024 4 t 42 t 2025 4 t 42 t 2026 4 t 37,7 t"
    )
    assert sentence in page and years in page
    assert "timer registrert" not in page
    # Three group meetings of 3 hours; the course of 30 hours.
    assert "9 t på 3 møter" in page and "Grunnkurs A (Grunnkurs A, 30 t)" in page

    _package, pdf = build_package_text(
        doctor_client, vest, doctor, django_capture_on_commit_callbacks, tmp_path, layout=True
    )
    flat = re.sub(r"\s+", " ", pdf)
    # The same sentence and the same figures as the page, in the same rounding (the table
    # compared without spaces: pdftotext sets "0 t" in a narrow cell as "0t").
    assert sentence in flat
    assert years.replace(" ", "") in flat.replace(" ", "")
    assert "timer registrert" not in flat
    assert not re.search(r"\d+,\d\d\b", flat.split("Vedlagte dokumenter")[0]), "two decimals"
    assert "9 t (3 møter)" in flat
    # Serial numbers stay whole on one line in the tables (no "TJA-" / "VEST-2026-…").
    for n in range(1, 6):
        assert re.search(rf"TJA-VEST-{year}-0000{n}\b", pdf), n
    assert not re.search(r"(TJA|ALIS)-\s*$", pdf, re.M)


def test_a_credited_period_is_marked_once(history, vest, masfjorden, alis_masfjorden):
    doctor, _goals = history
    make_period(
        doctor,
        place="Haukeland universitetssjukehus",
        arena="institusjon",
        percentage=100,
        start=date(2019, 1, 1),
        end=date(2019, 6, 30),
        credited=True,
    )
    page = text_of(own_client(alis_masfjorden).get("/vest/lege/mappe/").content.decode())
    assert page.count("godskrevet") == 1
    assert "Haukeland universitetssjukehus (godskrevet)" in page


# --- 2: correction requests reach the office, and the answer the doctor ----------------------


def inbox_card(html: str, key: str) -> str:
    match = re.search(rf'data-inbox="{key}">(.*?)</div>', html, re.S)
    assert match, f"no card {key}"
    return re.sub(r"\s+", " ", match.group(1))


def test_a_correction_request_reaches_the_inbox_and_the_mail_and_the_answer_the_doctor(
    vest, masfjorden, alis_masfjorden, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = member(
        vest, Role.COORDINATOR, email="kari@vest.example.no", first_name="Kari", last_name="K"
    )
    leader = member(
        vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no", language="en"
    )
    other_municipality = vest.municipalities.exclude(pk=masfjorden.pk).first()
    other_leader = member(
        vest, Role.MUNICIPAL_LEADER, other_municipality, email="leder@annen.example.no"
    )
    doctor = make_doctor(vest, masfjorden, user=alis_masfjorden)
    inbox = reverse("inbox", args=["vest"])
    for user in (coordinator, leader, other_leader):
        html = own_client(user).get(inbox).content.decode()
        assert "href" not in inbox_card(html, "corrections")  # nothing waits: no link

    with english_from_pending(), django_capture_on_commit_callbacks(execute=True):
        response = own_client(alis_masfjorden).post(
            "/vest/lege/mappe/retting/", {"text": "Legevakten var 40 %, ikke 50 %."}
        )
    assert response.status_code == 302
    card = inbox_card(own_client(coordinator).get(inbox).content.decode(), "corrections")
    assert "Rettingskrav" in card and "1 rettingskrav venter på svar" in card
    assert 'href="/vest/rettinger/"' in card
    card = inbox_card(own_client(leader).get(inbox).content.decode(), "corrections")
    assert 'href="/vest/rettinger/"' in card and ">1 " in card  # in English for her
    # The leader of another municipality may not answer it, and is not asked to.
    html = own_client(other_leader).get(inbox).content.decode()
    assert "Ingenting venter" in inbox_card(html, "corrections")
    sent = {m.to[0]: m for m in mailoutbox}
    assert sorted(sent) == ["kari@vest.example.no", "liv@masfjorden.example.no"]
    assert sent["kari@vest.example.no"].subject == "Anmodning om retting fra Anna Aase"
    assert "/vest/rettinger/" in sent["kari@vest.example.no"].body
    # The leader chose English: the e-mail is in English.
    assert sent["liv@masfjorden.example.no"].subject == "Request for correction from Anna Aase"
    # What the doctor wrote stays in the system.
    assert "40 %" not in sent["kari@vest.example.no"].body

    mailoutbox.clear()
    with scope(office=vest):
        correction = CorrectionRequest.objects.get(trainee=doctor)
    with django_capture_on_commit_callbacks(execute=True):
        own_client(leader).post(f"/vest/rettinger/{correction.pk}/", {"response": "Rettet."})
    assert [m.to for m in mailoutbox] == [["alis@masfjorden.example.no"]]
    assert mailoutbox[0].subject == "Svar på anmodningen din om retting"
    assert "/vest/lege/mappe/#retting" in mailoutbox[0].body
    html = own_client(coordinator).get(inbox).content.decode()
    assert "Ingenting venter" in inbox_card(html, "corrections")
    with scope(office=vest):
        assert Outbox.objects.filter(kind__startswith="retting").count() == 3


# --- 6: the own-data zip reads without a database manual ------------------------------------


def test_own_data_names_what_the_ids_mean_and_files_have_their_ending(
    vest, masfjorden, alis_masfjorden
):
    coordinator = member(
        vest, Role.COORDINATOR, email="kari@vest.example.no", first_name="Kari", last_name="K"
    )
    doctor = signed_doctor(vest, masfjorden, hpr="1234567")
    with scope(office=vest):
        doctor.user = alis_masfjorden
        doctor.save()
    pilot_claim(vest, coordinator, doctor)  # one expense with a PNG receipt
    response = own_client(alis_masfjorden).get("/vest/lege/mappe/mine-data.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names[0] == "README.txt"
    readme = archive.read("README.txt").decode()
    assert "Anna Aase (HPR 001234567)" in readme and "mine-data.json" in readme
    assert "trainees.ServicePeriod: 1" in readme
    data = json.loads(archive.read("mine-data.json"))
    period = data["rows"]["trainees.ServicePeriod"][0]
    # The ids stay (portable), with their meaning beside them.
    assert period["fields"]["municipality"] == masfjorden.pk
    assert period["names"]["municipality"] == str(masfjorden)
    assert period["names"]["office"] == str(vest)
    assert period["names"]["arena"] == "Åpen uselektert allmennpraksis"
    claim = data["rows"]["grants.Claim"][0]
    assert claim["names"]["created_by"] == "Kari K"
    # The receipt was stored under a random name without an ending; in the zip it is a .png.
    receipts = [n for n in names if n.startswith("filer/tilskudd/kvitteringer/")]
    assert len(receipts) == 1 and receipts[0].endswith(".png")
    expense = data["rows"]["grants.ExpenseLine"][0]
    assert expense["names"]["receipt"] == receipts[0]
    assert expense["names"]["category"] == "Kursavgift"


# --- 7: the read log names people -------------------------------------------------------------


def test_the_read_log_on_the_record_page_names_the_reader_with_their_role(
    vest, masfjorden, alis_masfjorden
):
    leader = liv_lunde(vest, masfjorden)
    doctor = make_doctor(vest, masfjorden, user=alis_masfjorden)
    assert own_client(leader).get(f"/vest/leger/{doctor.pk}/mappe/").status_code == 200
    with scope(office=vest):
        assert ReadAccess.objects.filter(trainee_id=doctor.pk).count() == 1
    for url in ("/vest/lege/mappe/", reverse("my_read_log", args=["vest"])):
        page = text_of(own_client(alis_masfjorden).get(url).content.decode())
        assert "Liv Lunde" in page, url
        assert "liv@masfjorden.example.no" not in page, url
        assert "Kommunal leder" in page, url


# --- 8: /verify/ words each document by its kind ----------------------------------------------


def test_verify_words_a_service_certificate_as_one(
    history, vest, leader_masfjorden, client, django_capture_on_commit_callbacks
):
    doctor, _goals = history
    certificate = issue_certificates(
        own_client(leader_masfjorden), vest, doctor, django_capture_on_commit_callbacks
    )[0]
    html = client.get(f"/verify/{certificate.code}").content.decode()
    assert re.search(r"<title>\s*Kontroller tjenesteattest", html)
    page = text_of(html)
    assert "Gyldig. Tjenesteattesten er utstedt av oss og gjelder." in page
    assert "Bekreftelsen" not in page and "læringsmål" not in page
    wrong = text_of(client.get("/verify/AAAABBBBCCCCDDDD").content.decode())
    assert "Kontroller at koden er skrevet riktig." in wrong
    assert "skrevet av riktig" not in wrong
    start = client.get("/verify/").content.decode()
    assert "Kontroller et signert dokument" in start and "på læringsmål" not in start
