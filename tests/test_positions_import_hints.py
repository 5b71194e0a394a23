"""What the coordinators found in the import preview and the export (shipped defects): a row
whose list ceiling changed silently became a new position; «Tana + Lebesby» had no «Tolket
som» line once the cooperation existed; «Status fra» was exported as a date-time."""

import io
from datetime import datetime

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from positions.imports import import_plan, positions_import, read_spreadsheet

from .position_helpers import planned_bodo_legevakt

HEADER = (
    "Kommune;Antall søkere;Legekontor;Listetak;Driftsform ved ansettelse;Ny eller gammel ordning"
)


def csv_rows(*lines):
    return read_spreadsheet("stillinger.csv", "\n".join([HEADER, *lines]).encode("utf-8"))


def upload(client, *lines):
    text = "\n".join([HEADER, *lines])
    return client.post(
        "/nord/oversikt/import/",
        {"file": SimpleUploadedFile("stillinger.csv", text.encode(), content_type="text/csv")},
    )


@pytest.fixture
def bodo_legevakt(nord, coordinator_nord):
    """Nord's planned position at Bodø legevakt, list ceiling 1100, salaried, new scheme."""
    return planned_bodo_legevakt(nord, coordinator_nord)


def test_a_row_whose_list_ceiling_changed_says_it_may_be_the_existing_position(
    client_for, nord, coordinator_nord, bodo_legevakt
):
    headers, rows = csv_rows("Bodø;2;Bodø legevakt;1200;Fastlønn;Ny")
    plan = import_plan(office=nord, headers=headers, rows=rows)
    (row,) = plan.rows
    assert row.action == "create"
    assert row.notes == [
        "Kan være eksisterende stilling Bodø – Bodø legevakt (planlagt); forskjellen er "
        "Listetak: 1100 → 1200. Importen oppretter en ny stilling. Er det samme stilling, "
        "endre den i oversikten først og last opp filen på nytt."
    ]

    # The coordinator sees it in the preview, beside «Opprettes».
    html = upload(client_for(coordinator_nord), "Bodø;2;Bodø legevakt;1200;Fastlønn;Ny")
    html = html.content.decode()
    assert "Kan være eksisterende stilling Bodø – Bodø legevakt (planlagt)" in html
    assert "Listetak: 1100 → 1200" in html
    assert "1 rad som opprettes, ligner en eksisterende stilling" in html


def test_no_hint_when_the_row_is_the_position_or_clearly_another_one(
    nord, coordinator_nord, bodo_legevakt
):
    headers, rows = csv_rows("Bodø;2;Bodø legevakt;1100;Fastlønn;Ny")  # the position itself
    (row,) = import_plan(office=nord, headers=headers, rows=rows).rows
    assert (row.action, row.notes) == ("unchanged", [])
    headers, rows = csv_rows(
        "Bodø;1;Bodø legesenter;800;Næring;Gammel",  # four fields differ: another position
        "Tromsø;1;Bodø legevakt;1100;Fastlønn;Ny",  # another municipality
    )
    plan = import_plan(office=nord, headers=headers, rows=rows)
    assert [r.action for r in plan.rows] == ["create", "create"]
    assert not any("Kan være" in n for r in plan.rows for n in r.notes)


def test_a_renamed_medical_office_is_hinted_too_but_a_matched_position_is_not_offered_twice(
    nord, coordinator_nord, bodo_legevakt
):
    # The first row is the existing position (exactly); the second could only have been it.
    headers, rows = csv_rows(
        "Bodø;2;Bodø legevakt;1100;Fastlønn;Ny",
        "Bodø;3;Bodø legesenter;1100;Fastlønn;Ny",
    )
    plan = import_plan(office=nord, headers=headers, rows=rows)
    assert [r.action for r in plan.rows] == ["unchanged", "create"]
    assert not any("Kan være" in n for n in plan.rows[1].notes)

    headers, rows = csv_rows("Bodø;3;Bodø legesenter;1100;Fastlønn;Ny")
    (row,) = import_plan(office=nord, headers=headers, rows=rows).rows
    assert (
        "Kan være eksisterende stilling Bodø – Bodø legevakt (planlagt); forskjellen er "
        "Legekontor: Bodø legevakt → Bodø legesenter."
    ) in row.notes[-1]


def test_a_known_cooperation_written_with_plus_is_shown_as_interpreted(
    client_for, nord, coordinator_nord
):
    line = "Tana + Lebesby;?;Tana legekontor;900;Fastlønn;Ny"
    headers, rows = csv_rows(line)
    positions_import(office=nord, acting_user=coordinator_nord, headers=headers, rows=rows)

    # The cooperation now exists under that very name; the cell is still interpreted.
    (row,) = import_plan(office=nord, headers=headers, rows=rows).rows
    assert row.action == "unchanged"
    assert row.understood["Kommune"] == "Samarbeidet «Tana + Lebesby» (5624, 5628)"
    html = upload(client_for(coordinator_nord), line).content.decode()
    assert "Tolket som:" in html
    assert "Samarbeidet «Tana + Lebesby» (5624, 5628)" in html


def test_status_fra_is_exported_as_a_date_shown_dd_mm_yyyy(
    client_for, nord, coordinator_nord, bodo_legevakt
):
    client = client_for(coordinator_nord)
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/nord/oversikt/eksport.xlsx").content)
    ).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Status fra") + 1)
    assert cell.is_date
    assert cell.number_format == "dd.mm.yyyy"
    assert cell.value == datetime(2026, 3, 1)  # Excel keeps a date as midnight of the day

    text = client.get("/nord/oversikt/eksport.csv").content.decode("utf-8-sig")
    head, line = text.splitlines()[:2]
    assert line.split(";")[head.split(";").index("Status fra")] == "01.03.2026"
