"""The learning-goal catalogue: sample data, import with preview, versions side by side."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from goals.sample_catalogue import (
    SAMPLE_NAME,
    V2_ADDED,
    V2_CHANGED,
    V2_FILE,
    V2_REMOVED,
    load_sample_catalogue,
)
from offices.permissions import Role
from plans.models import Catalogue, CatalogueKind, LearningGoal
from plans.services import catalogue_create

from .conftest import member

HEADER = "Kode;Tittel;Tema;Anbefalte læringsaktiviteter;Typisk arena;Gyldig fra;Gyldig til"


@pytest.fixture
def national(nord):
    # Nord holds the coordinating role 2025–2026 (offices/reference.py).
    return member(nord, Role.NATIONAL_COORDINATOR, email="nasjonal@nord.example.no")


@pytest.fixture
def sample(db):
    return load_sample_catalogue()


def csv_file(*lines, name="maal.csv"):
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode("utf-8-sig"))


def form_data(upload, version="2026", kind="ALM", **extra):
    return {
        "file": upload,
        "kind": kind,
        "specialty": "allmennmedisin",
        "version": version,
        "name": "Læringsmål i allmennmedisin",
        "valid_from": "2026-03-01",
        "valid_to": "",
        "note": "",
        **extra,
    }


def upload(client, data):
    response = client.post("/nord/laeringsmaal/import/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


# --- Sample catalogue ---------------------------------------------------------------------------


def test_sample_catalogue_has_enough_goals_in_the_real_format(sample):
    alm, fkm = sample
    assert alm.name == fkm.name == SAMPLE_NAME and alm.is_sample
    alm_codes = list(alm.goals.values_list("code", flat=True))
    fkm_codes = list(fkm.goals.values_list("code", flat=True))
    assert len(alm_codes) >= 60 and len(fkm_codes) >= 20
    assert all(re.fullmatch(r"ALM-\d{3}", c) for c in alm_codes)
    assert all(re.fullmatch(r"FKM-\d{2}", c) for c in fkm_codes)
    institution = set(alm.goals.filter(typical_arena="institusjon").values_list("code", flat=True))
    assert {"ALM-055", "ALM-085"} <= institution
    assert not alm.goals.filter(title="").exists() and not alm.goals.filter(theme="").exists()
    # Loading again changes nothing.
    assert load_sample_catalogue() == [alm, fkm]
    assert Catalogue.objects.count() == 2


# --- Preview with errors ------------------------------------------------------------------------


def test_preview_lists_every_error_by_row_and_column_and_saves_nothing(client_for, national):
    client = client_for(national)
    url = upload(
        client,
        form_data(
            csv_file(
                "ALM-001;Første mål;Tema;;allmennpraksis;;",
                "ALM-1;Feil kode;Tema;;;;",
                "ALM-001;Samme kode igjen;Tema;;;;",
                "ALM-004;Ukjent arena;Tema;;månen;;",
                "ALM-005;;Tema;;;;",
                "ALM-006;Feil dato;Tema;;;31.02.2026;",
                "ALM-007;Baklengs;Tema;;;01.03.2026;2025-01-01",
                "FKM-01;Feil type;Tema;;;;",
            )
        ),
    )
    response = client.get(url)
    assert response.status_code == 200
    errors = {(e["row"], e["column"]) for e in response.context["staged"]["errors"]}
    assert errors == {
        (3, "Kode"),  # bad format
        (4, "Kode"),  # duplicate of row 2
        (5, "Typisk arena"),
        (6, "Tittel"),
        (7, "Gyldig fra"),
        (8, "Gyldig til"),
        (9, "Kode"),  # FKM code in an ALM file
    }
    page = response.content.decode()
    assert "Koden ALM-001 står også på rad 2." in page
    assert "Ukjent arena «månen»" in page
    assert "Bekreft og importer" not in page
    # Confirming anyway does nothing.
    assert client.post(url).status_code == 200
    assert Catalogue.objects.count() == 0 and LearningGoal.objects.count() == 0


def test_missing_columns_and_unreadable_files(client_for, national):
    client = client_for(national)
    bad_header = SimpleUploadedFile("maal.csv", b"Nummer;Navn\nALM-001;x\n")
    response = client.get(upload(client, form_data(bad_header)))
    columns = {e["column"] for e in response.context["staged"]["errors"]}
    assert columns == {"Kode", "Tittel"}
    broken = SimpleUploadedFile("maal.xlsx", b"dette er ikke et regneark")
    response = client.post("/nord/laeringsmaal/import/", form_data(broken))
    assert response.status_code == 200
    assert "kunne ikke leses som et Excel-ark" in response.content.decode()
    wrong_type = SimpleUploadedFile("maal.pdf", b"%PDF")
    response = client.post("/nord/laeringsmaal/import/", form_data(wrong_type))
    assert "Velg en .xlsx- eller .csv-fil." in response.content.decode()
    # The form keeps what was typed.
    assert 'value="2026"' in response.content.decode()
    assert Catalogue.objects.count() == 0


def test_existing_version_is_refused_before_upload(client_for, national, sample):
    client = client_for(national)
    response = client.post(
        "/nord/laeringsmaal/import/",
        form_data(csv_file("ALM-001;Mål;Tema;;;;"), version="eksempel-2019"),
    )
    assert response.status_code == 200
    assert "Versjonen finnes allerede" in response.content.decode()


# --- Confirm: a new version beside the old -------------------------------------------------------


def test_v2_sample_file_becomes_a_new_version_beside_the_old(client_for, national, sample):
    old_alm, _fkm = sample
    client = client_for(national)
    with open(V2_FILE, "rb") as fh:
        v2 = SimpleUploadedFile("eksempel_alm_v2.xlsx", fh.read())
    url = upload(client, form_data(v2, version="eksempel-2026"))
    preview = client.get(url)
    assert preview.context["staged"]["errors"] == []
    assert "Bekreft og importer" in preview.content.decode()
    assert Catalogue.objects.count() == 2  # nothing saved by the preview

    response = client.post(url)
    new = Catalogue.objects.get(version="eksempel-2026")
    assert response.status_code == 302 and response.url == f"/nord/laeringsmaal/{new.pk}/"
    assert new.imported_by == national and new.source_filename == "eksempel_alm_v2.xlsx"
    assert new.goals.count() == 65 - len(V2_REMOVED) + len(V2_ADDED)
    # The old version is untouched and still complete.
    assert old_alm.goals.count() == 65
    assert LearningGoal.objects.filter(catalogue=old_alm, code="ALM-063").exists()
    # The staged rows are gone: confirming twice does not import twice.
    assert client.post(url).status_code == 404
    assert Catalogue.objects.filter(kind=CatalogueKind.ALM).count() == 2


def test_confirm_uses_the_server_side_rows_not_the_posted_data(client_for, national):
    client = client_for(national)
    url = upload(client, form_data(csv_file("ALM-001;Fra filen;Tema;;;;")))
    client.post(url, {"rows": "ALM-999;Forfalsket"})
    assert list(LearningGoal.objects.values_list("code", "title")) == [("ALM-001", "Fra filen")]


def test_a_staged_upload_belongs_to_its_user(client_for, national, nord, client):
    url = upload(client_for(national), form_data(csv_file("ALM-001;Mål;Tema;;;;")))
    other = member(nord, Role.NATIONAL_COORDINATOR, email="annen@nord.example.no")
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Catalogue.objects.count() == 0


def test_service_is_all_or_nothing(db):
    with pytest.raises(ValidationError, match="Rad 2, code"):
        catalogue_create(
            acting_user=None,
            kind="ALM",
            version="x",
            name="x",
            valid_from="2026-03-01",
            rows=[
                {"code": "ALM-001", "title": "God"},
                {"code": "FKM-01", "title": "Feil type"},
            ],
        )
    assert Catalogue.objects.count() == 0 and LearningGoal.objects.count() == 0


# --- Who may import -----------------------------------------------------------------------------


def test_only_the_coordinating_offices_national_coordinator_may_import(
    client_for, coordinator_nord, vest
):
    assert client_for(coordinator_nord).get("/nord/laeringsmaal/import/").status_code == 403
    # A national coordinator of an office that is not coordinating now may not either.
    outside = member(vest, Role.NATIONAL_COORDINATOR, email="nasjonal@vest.example.no")
    assert client_for(outside).get("/vest/laeringsmaal/import/").status_code == 403


def test_everyone_with_an_office_role_may_browse(client_for, alis_masfjorden, sample):
    client = client_for(alis_masfjorden)
    response = client.get("/vest/laeringsmaal/")
    assert response.status_code == 200
    assert "Importer en ny versjon" not in response.content.decode()
    response = client.get(f"/vest/laeringsmaal/{sample[0].pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "ALM-055" in page and "ikke den offisielle listen" in page
    response = client.get(f"/vest/laeringsmaal/{sample[0].pk}/", {"q": "legevakt"})
    assert "ALM-011" in response.content.decode() and "ALM-001" not in response.content.decode()


# --- Comparison ---------------------------------------------------------------------------------


def test_comparison_shows_added_removed_and_changed_side_by_side(client_for, national, sample):
    client = client_for(national)
    with open(V2_FILE, "rb") as fh:
        v2 = SimpleUploadedFile("eksempel_alm_v2.xlsx", fh.read())
    client.post(upload(client, form_data(v2, version="eksempel-2026")))
    old, new = sample[0], Catalogue.objects.get(version="eksempel-2026")
    response = client.get("/nord/laeringsmaal/sammenlign/", {"fra": old.pk, "til": new.pk})
    assert response.status_code == 200
    diff = response.context["diff"]
    assert [g.code for g in diff.removed] == V2_REMOVED
    assert [g.code for g in diff.added] == [f"ALM-{n:03d}" for n, *_ in V2_ADDED]
    assert {c.code for c in diff.changed} == set(V2_CHANGED)
    assert diff.unchanged == 65 - len(V2_REMOVED) - len(V2_CHANGED)
    change = next(c for c in diff.changed if c.code == "ALM-042")
    assert [(str(n), str(a), str(b)) for n, a, b in change.fields] == [
        ("typisk arena", "Sykehjem", "Kommunal akutt døgnenhet")
    ]
    page = response.content.decode()
    assert "Bruke EKG, spirometri og enkel ultralyd i allmennpraksis" in page  # before
    assert "Bruke EKG, spirometri og ultralyd ved pasientnær diagnostikk" in page  # after


def test_comparing_different_kinds_is_refused(client_for, national, sample):
    alm, fkm = sample
    response = client_for(national).get(
        "/nord/laeringsmaal/sammenlign/", {"fra": alm.pk, "til": fkm.pk}
    )
    assert response.context["diff"] is None
    assert "samme type" in response.content.decode()


# --- Query counts -------------------------------------------------------------------------------


def _catalogue_with(n: int, version: str) -> Catalogue:
    rows = [
        {"code": f"ALM-{i:03d}", "title": f"Mål {i}", "theme": f"Tema {i % 7}"}
        for i in range(1, n + 1)
    ]
    return catalogue_create(
        acting_user=None,
        kind="ALM",
        version=version,
        name="Test",
        valid_from="2026-03-01",
        rows=rows,
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_catalogue_pages_cost_the_same_queries_for_150_goals_as_for_10(client_for, alis_masfjorden):
    client = client_for(alis_masfjorden)
    small, large = _catalogue_with(10, "liten"), _catalogue_with(150, "stor")
    detail_small = _queries(client, f"/vest/laeringsmaal/{small.pk}/")
    detail_large = _queries(client, f"/vest/laeringsmaal/{large.pk}/")
    assert detail_small == detail_large
    compare = f"/vest/laeringsmaal/sammenlign/?fra={small.pk}&til={large.pk}"
    list_queries = _queries(client, "/vest/laeringsmaal/")
    compare_queries = _queries(client, compare)
    for i in range(3):
        _catalogue_with(150, f"flere-{i}")
    assert _queries(client, "/vest/laeringsmaal/") == list_queries
    assert _queries(client, compare) == compare_queries
    # Pinned: session, user, office, memberships, …; then the page's own reads.
    assert (detail_large, list_queries, compare_queries) == (6, 8, 10)


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("maal.xlsx", buffer.getvalue())


def test_xlsx_dates_and_arena_labels_are_understood(client_for, national):
    from datetime import date

    client = client_for(national)
    upload_file = _xlsx(
        [
            HEADER.split(";"),
            ["FKM-01", "Etikk", "Etikk", "", "Legevakt", date(2026, 3, 1), "31.12.2030"],
            ["FKM-02", "Lov", "Lovverk", "", "", None, None],
        ]
    )
    client.post(upload(client, form_data(upload_file, kind="FKM")))
    goal = LearningGoal.objects.get(code="FKM-01")
    assert goal.typical_arena == "legevakt"
    assert (goal.valid_from, goal.valid_to) == (date(2026, 3, 1), date(2030, 12, 31))
