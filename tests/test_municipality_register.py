"""Importing an updated municipality list and moving municipalities between offices."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope

from accounts.models import Invitation, Membership
from accounts.services import invitation_create
from municipalities.models import Municipality, OfficeAssignment
from offices.models import Office
from offices.reference import MUNICIPALITY_CSV


def _write(path, lines):
    path.write_text("\ufeffkommunenummer;kommunenavn;fylke\n" + "\n".join(lines) + "\n", "utf-8")
    return path


def _reference_lines():
    return MUNICIPALITY_CSV.read_text("utf-8-sig").splitlines()[1:]


def test_import_updates_names_adds_new_and_keeps_missing_as_inactive(db, tmp_path, capsys):
    lines = [line for line in _reference_lines() if not line.startswith("4634;")]
    lines = [line.replace("3103;Moss;", "3103;Moss kommune;") for line in lines]
    lines.append("5699;Nykommune;Finnmark")
    call_command("import_municipalities", str(_write(tmp_path / "ny.csv", lines)))
    assert Municipality.objects.get(number="3103").name == "Moss kommune"
    new = Municipality.objects.get(number="5699")
    assert new.office.slug == "nord"
    assert new.office_assignments.get().end is None
    masfjorden = Municipality.objects.get(number="4634")
    assert not masfjorden.is_active  # kept with its history, not deleted
    assert "opprettet 1, endret 1, merket inaktive 1" in capsys.readouterr().out


def test_import_with_a_bad_row_changes_nothing(db, tmp_path):
    lines = _reference_lines()
    lines[0] = lines[0].replace("Oslo", "Oslo by")
    lines += ["12;For kort;Agder", "7777;;Ukjent", "3103;Moss igjen;Østfold"]
    with pytest.raises(CommandError) as error:
        call_command("import_municipalities", str(_write(tmp_path / "feil.csv", lines)))
    text = str(error.value)
    assert "Ingenting er endret" in text
    assert "Linje 359: kommunenummer «12» må være fire sifre" in text
    assert "kommunenavn mangler for 7777" in text
    assert "3103 står flere ganger" in text
    assert Municipality.objects.get(number="0301").name == "Oslo"
    assert Municipality.objects.count() == 357


def test_dry_run_reports_without_saving(db, tmp_path, capsys):
    lines = [*_reference_lines(), "5698;Prøvekommune;Finnmark"]
    call_command("import_municipalities", str(_write(tmp_path / "t.csv", lines)), "--tørrkjøring")
    assert "ville ha opprettet 1" in capsys.readouterr().out
    assert not Municipality.objects.filter(number="5698").exists()


def test_splitting_oslo_off_into_a_sixth_office_loses_nothing(
    db, client_for, coordinator_vest, django_capture_on_commit_callbacks
):
    ost = Office.objects.get(slug="ost")
    oslo_municipality = Municipality.objects.get(number="0301")
    from offices.permissions import Role
    from tests.conftest import member

    leader = member(ost, Role.MUNICIPAL_LEADER, oslo_municipality, email="leder@oslo.example.no")
    coordinator_ost = member(ost, Role.COORDINATOR, email="k@ost.example.no")
    with django_capture_on_commit_callbacks(execute=False):
        invitation_create(
            office=ost,
            acting_user=coordinator_ost,
            email="ny@oslo.example.no",
            role=Role.MUNICIPAL_LEADER,
            municipality=oslo_municipality,
        )

    oslo = Office.objects.create(name="ALIS Oslo", slug="oslo")
    call_command("move_municipalities", "0301", "--til", "oslo", "--fra-dato", "2026-12-01")

    oslo_municipality.refresh_from_db()
    assert oslo_municipality.office == oslo
    history = list(oslo_municipality.office_assignments.order_by("start"))
    assert [(a.office.slug, a.start, a.end) for a in history] == [
        ("ost", date(2024, 1, 1), date(2026, 11, 30)),
        ("oslo", date(2026, 12, 1), None),
    ]
    assert Membership.objects.get(user=leader).office == oslo
    with scope(office=oslo):
        assert Invitation.objects.filter(email="ny@oslo.example.no").exists()
    with scope(office=ost):
        assert not Invitation.objects.exists()
    # Øst no longer lists Oslo; the leader now works in the Oslo office.
    ost_page = client_for(coordinator_ost).get("/ost/?q=0301").content.decode()
    assert "0 kommuner" in ost_page
    assert client_for(leader).get("/oslo/kommuner/0301/").status_code == 200
    assert client_for(leader).get("/ost/kommuner/0301/").status_code == 404
    assert OfficeAssignment.objects.count() == 358


def test_move_with_unknown_number_moves_nothing(db):
    with pytest.raises(CommandError, match="Ukjente kommunenummer: 9999"):
        call_command("move_municipalities", "0301", "9999", "--til", "sor")
    assert Municipality.objects.get(number="0301").office.slug == "ost"
