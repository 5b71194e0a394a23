"""The coordinator's real spreadsheet, as it is (issue 13): a messy Nord table with every kind
of cell the coordinators write is read, each interpretation shown, applied all-or-nothing,
summed up as the coordinators report it, and exported and imported back without changes."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django_scopes import scope

from municipalities.models import HealthTrustArea, Municipality
from positions.imports import import_plan, positions_import, read_spreadsheet
from positions.models import MedicalOffice, MunicipalityGroup, Position, PositionStatusChange

from .position_helpers import planned_bodo_legevakt

MESSY = Path(settings.BASE_DIR) / "positions" / "data" / "eksempel_rekruttering_nord.csv"


def messy():
    return read_spreadsheet("rekruttering.csv", MESSY.read_bytes())


@pytest.fixture
def planned_bodo(nord, coordinator_nord):
    """A position Nord already has as planned; the table says it is filled."""
    return planned_bodo_legevakt(nord, coordinator_nord)


def test_every_municipality_has_a_health_trust_area_and_former_names_resolve(db):
    today = date(2026, 11, 23)
    assert Municipality.objects.count() == 357
    assert HealthTrustArea.objects.valid_on(today).count() == 357
    trust = {
        a.municipality.number: a.health_trust.name
        for a in HealthTrustArea.objects.valid_on(today).select_related(
            "health_trust", "municipality"
        )
    }
    assert trust["5530"] == "Universitetssykehuset Nord-Norge HF (UNN)"
    assert trust["1806"] == "Universitetssykehuset Nord-Norge HF (UNN)"
    assert trust["1804"] == "Nordlandssykehuset HF"
    assert trust["1833"] == "Helgelandssykehuset HF"
    assert trust["4634"] == "Helse Bergen HF"
    assert trust["4645"] == "Helse Førde HF"
    assert trust["1106"] == "Helse Fonna HF"
    assert trust["5037"] == "Helse Nord-Trøndelag HF"
    assert trust["3201"] == "Vestre Viken HF"
    assert trust["0301"].startswith("Oslo universitetssykehus HF")
    assert Municipality.objects.get(former_names__name="Nye Senja").number == "5530"
    assert Municipality.objects.get(former_names__name="Nye Narvik").number == "1806"


def test_headers_written_differently_are_recognised_and_named_in_the_preview(nord):
    headers, rows = messy()
    plan = import_plan(office=nord, headers=headers, rows=rows)
    assert plan.renamed_columns == [
        ("Listestørrelse", "Listetak"),
        ("Gruppe veiledning", "Gruppeveiledning"),
        ("Individuelle veileder", "Individuell veileder"),
        ("IP", "Individuell plan"),
        ("HF", "Helseforetak"),
    ]
    assert plan.ignored_columns == []


def test_each_kind_of_cell_is_interpreted_and_shown_beside_the_original(nord, planned_bodo):
    headers, rows = messy()
    plan = import_plan(office=nord, headers=headers, rows=rows)
    assert not plan.has_errors, [r.errors for r in plan.rows]
    senja, narvik_a, narvik_b, tana, vadso, bodo = plan.rows

    # A pre-merger name, through the name history, with the suggestion shown.
    assert senja.fields["municipality"].number == "5530"
    assert senja.understood["Kommune"].startswith(
        "Senja (5530): «Nye Senja» er et navn fra før 2020."
    )
    assert narvik_a.fields["municipality"].number == "1806"
    # A sum of applicants per advertisement round.
    assert senja.fields["applicants"] == 4
    assert senja.understood["Antall søkere"] == "1 + 3 = 4 søkere (summen av utlysningene)"
    # An uncertain value keeps its uncertainty.
    assert (senja.fields["employment_form"], senja.fields["employment_uncertain"]) == (
        "naering",
        True,
    )
    assert senja.understood["Driftsform ved ansettelse"] == "Næring, usikkert"
    # Coordinator facts.
    assert (
        senja.fields["group_supervision"],
        senja.fields["individual_supervisor"],
        senja.fields["individual_plan"],
    ) == ("ja", "ja", "pagar")

    # Applicants shared between positions.
    assert (narvik_a.fields["applicants"], narvik_a.fields["applicants_shared"]) == (12, True)
    assert narvik_a.understood["Antall søkere"] == (
        "12 søkere felles med en annen stilling (telles én gang i summen)"
    )
    # A shared list: no list ceiling, the word kept as a note.
    assert (narvik_a.fields["list_ceiling"], narvik_a.fields["list_note"]) == (None, "Deleliste")
    assert narvik_a.understood["Listetak"] == "Uten listetak; «Delt liste» lagres som merknad"
    # A value with a note that is a date.
    assert narvik_a.fields["employment_note"] == "1/1-20"
    assert narvik_a.fields["employment_note_date"] == date(2020, 1, 1)
    assert narvik_a.understood["Driftsform ved ansettelse"] == (
        "Fastlønn, merknad «1/1-20», dato 01.01.2020"
    )
    assert (narvik_a.fields["scheme"], narvik_a.fields["scheme_uncertain"]) == ("gammel", True)
    assert narvik_a.understood["Ny eller gammel ordning"] == "Gammel, usikkert"
    assert (
        narvik_a.fields["individual_supervisor"],
        narvik_a.fields["individual_supervisor_note"],
    ) == ("ja", "i Evenes")
    assert narvik_a.fields["individual_plan"] == ""  # empty: not known
    # A note that is not a date.
    assert (narvik_b.fields["employment_note"], narvik_b.fields["employment_note_date"]) == (
        "sluttet",
        None,
    )
    assert narvik_b.fields["group_supervision"] == "ferdig"

    # A cooperation written as «Tana + Lebesby» becomes the cooperating group.
    assert tana.fields["new_group_members"][0].name == "Tana"
    assert tana.understood["Kommune"] == (
        "Interkommunalt samarbeid Tana + Lebesby (5628, 5624); det opprettes"
    )
    assert plan.new_groups == ["Tana + Lebesby"]
    # Unknown is stored as unknown, not 0.
    assert tana.fields["applicants"] is None
    assert tana.understood["Antall søkere"] == "Ukjent antall"
    assert (vadso.fields["applicants"], vadso.fields["applicants_text"]) == (
        None,
        "Skal bli utlyst",
    )
    assert (
        vadso.understood["Antall søkere"] == "Ukjent antall; «Skal bli utlyst» lagres som merknad"
    )
    assert vadso.fields["group_supervision"] == "" and vadso.fields["individual_supervisor"] == ""

    # The health trust written in the table is checked against the register.
    assert "Helseforetak" not in senja.understood and "Helseforetak" not in tana.understood
    assert bodo.understood["Helseforetak"] == (
        "Registeret har Bodø i Nordlandssykehuset HF; oversikten grupperer etter registeret"
    )
    # A planned position imported as filled, in one go.
    assert bodo.action == "update" and bodo.position == planned_bodo
    assert "Status: Planlagt → Utlyst → Besatt" in bodo.notes
    assert [r.action for r in plan.rows] == ["create"] * 5 + ["update"]


def test_what_nobody_could_interpret_is_an_error_with_row_column_and_suggestion(nord):
    headers, rows = messy()
    bad = {**rows[0], "Kommune": "Tromsøø", "Antall søkere": "3 eller 4?", "IP": "Kanskje"}
    plan = import_plan(office=nord, headers=headers, rows=[*rows, bad])
    row = plan.rows[-1]
    assert row.line == 8
    assert row.errors["Kommune"] == (
        "Finner ingen kommune som heter «Tromsøø» i ALIS Nord. Sjekk stavemåten, eller skriv "
        "kommunenummeret. Mente du «Tromsø»?"
    )
    assert row.errors["Antall søkere"].startswith("Forstår ikke «3 eller 4?». Skriv et tall")
    assert row.errors["Individuell plan"] == (
        "Skriv «Ja», «Nei», «Ferdig» eller «Pågår», eller la cellen stå tom."
    )
    assert [bool(r.errors) for r in plan.rows] == [False] * 6 + [True]


def count(office):
    with scope(office=office):
        return (
            Position.objects.filter(office=office).count(),
            MedicalOffice.objects.filter(office=office).count(),
            MunicipalityGroup.objects.filter(office=office).count(),
            PositionStatusChange.objects.filter(office=office).count(),
        )


def test_all_or_nothing_then_applied_with_history(nord, coordinator_nord, planned_bodo):
    headers, rows = messy()
    before = count(nord)
    assert before == (1, 1, 0, 1)
    bad = {**rows[0], "Listestørrelse": "99999"}
    with pytest.raises(ValidationError):
        positions_import(
            office=nord, acting_user=coordinator_nord, headers=headers, rows=[*rows, bad]
        )
    assert count(nord) == before

    positions_import(office=nord, acting_user=coordinator_nord, headers=headers, rows=rows)
    # 5 new positions; 5 new medical offices (Bodø legevakt existed); the Tana + Lebesby group;
    # status rows: 5 «created» + utlyst and besatt for Bodø.
    assert count(nord) == (6, 6, 1, 1 + 5 + 2)
    with scope(office=nord):
        bodo = Position.objects.get(pk=planned_bodo.pk)
        assert (bodo.status, bodo.applicants, bodo.applicants_text) == ("besatt", 10, "4 + 6")
        steps = list(bodo.status_changes.order_by("date", "created_at", "pk"))
        assert [(s.status, s.date) for s in steps] == [
            ("planlagt", date(2026, 3, 1)),
            ("utlyst", date(2026, 11, 23)),
            ("besatt", date(2026, 11, 23)),
        ]
        group = MunicipalityGroup.objects.get(office=nord)
        assert group.name == "Tana + Lebesby"
        assert sorted(m.number for m in group.municipalities.all()) == ["5624", "5628"]
        tana = Position.objects.get(group=group)
        assert tana.medical_office.municipality.name == "Tana"
        assert tana.applicants is None
        senja = Position.objects.get(municipality__number="5530")
        assert senja.history.count() == 1  # the audit trail has the bulk-created row


def summary(html):
    text = re.search(r'id="oppsummering">(.*?)</p>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


def test_summary_line_as_the_coordinators_report_it(
    client_for, nord, coordinator_nord, planned_bodo
):
    headers, rows = messy()
    positions_import(office=nord, acting_user=coordinator_nord, headers=headers, rows=rows)
    client = client_for(coordinator_nord)
    html = client.get("/nord/oversikt/").content.decode()
    # Six positions, Bodø filled. Næring: Senja (uncertain). Fastlønn: both Narvik, Tana +
    # Lebesby, Bodø. Old scheme: Narvik legevakt. Veileder: Senja, Narvik legevakt, Bodø.
    # Group supervision: Senja (Ja), Narvik legesenter (Ferdig), Bodø (Ja). Applicants: 4 +
    # 12 (shared by the two Narvik rows, once) + 10 = 26; Tana + Lebesby and Vadsø unknown.
    assert summary(html) == (
        "1 av 6 stillinger besatt · 0 utlyst · 0 ledige · 5 planlagt · 1 i næring "
        "· 4 på fastlønn · 1 i gammel ordning · 3 med individuell veileder "
        "· 3 med gruppeveiledning · 26 søkere (2 stillinger med ukjent antall)"
    )
    # Each figure links to its rows.
    assert 'href="?veileder=ja&amp;sorter=kommune"' in html
    html = client.get("/nord/oversikt/?veileder=ja").content.decode()
    assert summary(html).startswith("1 av 3 stillinger besatt")
    html = client.get("/nord/oversikt/?gruppeveiledning=ja&ordning=gammel").content.decode()
    assert summary(html).startswith("0 av 0 stillinger besatt")
    # Grouped and filtered by health trust, as the coordinators' own tables are.
    html = client.get("/nord/oversikt/?gruppering=helseforetak").content.decode()
    assert "Universitetssykehuset Nord-Norge HF (UNN) (3)" in html
    assert "Finnmarkssykehuset HF (2)" in html and "Nordlandssykehuset HF (1)" in html
    html = client.get("/nord/oversikt/?helseforetak=Finnmarkssykehuset+HF").content.decode()
    assert summary(html).startswith("0 av 2 stillinger besatt")
    assert summary(html).endswith("0 søkere (2 stillinger med ukjent antall)")


def test_export_then_import_changes_nothing(client_for, nord, coordinator_nord, planned_bodo):
    headers, rows = messy()
    positions_import(office=nord, acting_user=coordinator_nord, headers=headers, rows=rows)
    client = client_for(coordinator_nord)
    for name in ("eksport.csv", "eksport.xlsx"):
        content = client.get(f"/nord/oversikt/{name}").content
        headers, rows = read_spreadsheet(name, content)
        plan = import_plan(office=nord, headers=headers, rows=rows)
        assert not plan.has_errors, [r.errors for r in plan.rows]
        assert [r.action for r in plan.rows] == ["unchanged"] * 6, [r.notes for r in plan.rows]
        assert not plan.ignored_columns
    narvik = next(r for r in rows if r["Legekontor"] == "Narvik legevakt")
    assert (narvik["Antall søkere"], narvik["Listetak"]) == ("12 (felles)", "Deleliste")
    assert narvik["Driftsform ved ansettelse"] == "Fastlønn (1/1-20)"
    assert narvik["Individuell veileder"] == "Ja (i Evenes)"
    before = count(nord)
    positions_import(office=nord, acting_user=coordinator_nord, headers=headers, rows=rows)
    assert count(nord) == before
