"""What users found in the record (shipped defects): the application package's «Gjelder»
column showed ISO dates (2021-09-01) where every other page shows 01.09.2021, and the office's
read-log review page showed e-mail addresses where the doctor's own read log names people."""

import json
import re

import pytest
from django.core.cache import cache

from .progress_helpers import make_doctor
from .record_helpers import (
    build_package_text,
    five_year_doctor,
    issue_certificates,
    liv_lunde,
    own_client,
)


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    cache.clear()


def test_the_package_pdf_shows_what_each_document_covers_in_dd_mm_yyyy(
    vest,
    masfjorden,
    alis_masfjorden,
    veileder_masfjorden,
    leader_masfjorden,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from goals.sample_catalogue import load_sample_catalogue

    load_sample_catalogue()
    doctor, _goals = five_year_doctor(
        vest, masfjorden, alis_masfjorden, veileder_masfjorden, leader_masfjorden
    )
    issue_certificates(
        own_client(leader_masfjorden), vest, doctor, django_capture_on_commit_callbacks
    )
    doctor_client = own_client(alis_masfjorden)
    package, pdf = build_package_text(
        doctor_client, vest, doctor, django_capture_on_commit_callbacks, tmp_path
    )
    attached = " ".join(pdf.split("Vedlagte dokumenter")[1].split())
    # The first employment (01.09.2021–31.08.2023) and the current one, certified to the
    # suite's day (23.11.2026).
    assert "01.09.2021 – 31.08.2023" in attached
    assert "01.09.2026 – 23.11.2026" in attached
    assert not re.search(r"\d{4}-\d{2}-\d{2}", attached), attached

    # The JSON, read by machines, keeps the ISO dates.
    data = json.loads(
        b"".join(
            doctor_client.get(f"/vest/lege/mappe/soknadspakke/{package.pk}.json").streaming_content
        )
    )
    subjects = [d["subject"] for d in data["documents"]]
    assert "Masfjorden legekontor, 2021-09-01 – 2023-08-31" in subjects


def test_the_offices_read_log_names_the_reader_and_their_role(
    vest, masfjorden, alis_masfjorden, coordinator_vest, django_assert_max_num_queries
):
    leader = liv_lunde(vest, masfjorden)
    doctor = make_doctor(vest, masfjorden, user=alis_masfjorden)
    reader = own_client(leader)
    for _ in range(3):
        assert reader.get(f"/vest/leger/{doctor.pk}/mappe/").status_code == 200

    client = own_client(coordinator_vest)
    with django_assert_max_num_queries(12):  # the reader's name: no query per row
        html = client.get("/vest/innsynslogg/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert '<th scope="col">Hvem</th><th scope="col">Rolle</th>' in html
    assert text.count("Liv Lunde Kommunal leder") == 3
    assert "liv@masfjorden.example.no" not in text
