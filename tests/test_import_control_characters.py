"""What a security tester found in the spreadsheet imports: a cell holding a NUL byte passed
the preview («Alle radene er i orden») and applying it failed with a server error, since
PostgreSQL stores no NUL in text. Every import now refuses control characters in a cell at
preview time, naming the row and the column, and saves nothing."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from intake.models import PopulationFigure
from intake.reference import population_import
from offices.permissions import Role
from plans.models import Catalogue, LearningGoal
from positions.models import Position

from .conftest import member
from .test_catalogue import csv_file, form_data

SAMPLE = Path(settings.BASE_DIR) / "positions" / "data" / "eksempel_stillinger.csv"


def positions_upload(client, text):
    return client.post(
        "/vest/oversikt/import/",
        {
            "file": SimpleUploadedFile(
                "stillinger.csv", text.encode("utf-8"), content_type="text/csv"
            )
        },
    )


def test_a_nul_in_a_positions_cell_is_refused_at_preview_with_its_row_and_column(
    client_for, vest, coordinator_vest
):
    client = client_for(coordinator_vest)
    text = SAMPLE.read_text(encoding="utf-8-sig")
    # Row 3 of the file (the second position): «Askvoll legekontor» with a NUL inside, and a
    # bell character further down.
    text = text.replace("Askvoll legekontor", "Askvoll\x00legekontor").replace(
        "Dale legekontor", "Dale\x07legekontor"
    )
    response = positions_upload(client, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Rad 3, kolonne «Legekontor»: Cellen inneholder et usynlig kontrolltegn (NUL) som ikke "
        "kan lagres. Slett det i regnearket og last opp filen på nytt. Filen har 2 slike celler."
    ) in page
    assert "Alle radene er i orden" not in page
    assert "positions_import" not in client.session  # nothing to confirm
    with scope(office=vest):
        assert Position.objects.filter(office=vest).count() == 0

    # The same file without them is read as before.
    response = positions_upload(client, SAMPLE.read_text(encoding="utf-8-sig"))
    assert "5 nye stillinger" in response.content.decode()


def test_a_nul_in_a_learning_goal_is_an_error_of_its_row_and_column_and_saves_nothing(
    client_for, nord
):
    client = client_for(member(nord, Role.NATIONAL_COORDINATOR, email="nasjonal@nord.example.no"))
    response = client.post(
        "/nord/laeringsmaal/import/",
        form_data(
            csv_file(
                "ALM-001;Første mål;Tema;;allmennpraksis;;",
                "ALM-002;Andre\x00mål;Tema;;;;",
            )
        ),
    )
    assert response.status_code == 302
    preview = client.get(response.url)
    errors = preview.context["staged"]["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "Tittel")]
    assert "Cellen inneholder et usynlig kontrolltegn (NUL)" in preview.content.decode()
    assert "Bekreft og importer" not in preview.content.decode()
    assert client.post(response.url).status_code == 200  # confirming anyway does nothing
    assert Catalogue.objects.count() == 0 and LearningGoal.objects.count() == 0


def test_population_figures_with_a_nul_are_refused_whole(db):
    text = (
        "kommunenummer;år;folketall;kilde\n"
        "5607;2025;5 800;SSB tabell 07459\n"
        "5628;2025;2 800;SSB\x00tabell 07459\n"
    )
    with pytest.raises(ValueError) as refused:
        population_import(text)
    assert str(refused.value) == (
        "Rad 3, kolonne «kilde»: Cellen inneholder et usynlig kontrolltegn (NUL) som ikke kan "
        "lagres. Slett det i regnearket og last opp filen på nytt."
    )
    assert not PopulationFigure.objects.filter(year=2025).exists()
