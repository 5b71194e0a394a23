"""Issue 10, "Bad input": streaming spreadsheet limits, request size limits, formula escaping,
attachments checked by content."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from offices.spreadsheets import check_spreadsheet, escape_formula
from positions.imports import read_spreadsheet

from . import test_goal_signoff as signoff
from .progress_helpers import approve_goal, first_goals

# Fixtures of the sign-off tests: a Masfjorden doctor with a veileder and a supervisor.
_storage = signoff._storage
catalogue = signoff.catalogue
doctor = signoff.doctor
supervisor_masfjorden = signoff.supervisor_masfjorden
team = signoff.team


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+47 1234", "'+47 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ola Nordmann", "Ola Nordmann"),
        (-5, -5),
        (None, None),
    ],
)
def test_formula_escape(value, expected):
    assert escape_formula(value) == expected


def test_names_users_choose_are_escaped_in_the_progress_export(
    client_for, vest, team, veileder_masfjorden, supervisor_masfjorden, leader_masfjorden,
    alis_masfjorden,
):  # fmt: skip
    from openpyxl import load_workbook

    leader_masfjorden.first_name, leader_masfjorden.last_name = '=HYPERLINK("http://x")', "Y"
    leader_masfjorden.save()
    goal = first_goals(1)[0]
    access = signoff.leader_access(vest, leader_masfjorden)
    approve_goal(team, goal, veileder_masfjorden, supervisor_masfjorden, leader_masfjorden, access)
    client = client_for(alis_masfjorden)
    text = client.get("/vest/framdrift/eksport.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == [
        goal.code,
        goal.title,
        date.today().isoformat(),
        '\'=HYPERLINK("http://x") Y',
    ]
    book = load_workbook(io.BytesIO(client.get("/vest/framdrift/eksport.xlsx").content))
    values = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert values[1][3] == '\'=HYPERLINK("http://x") Y'


def xlsx_with_rows(n: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Kommune", "Legekontor"])
    for i in range(n):
        sheet.append([f"Kommune {i}", "Legekontoret"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_too_many_rows_are_refused_while_streaming(monkeypatch):
    content = xlsx_with_rows(2001)
    # The check must come before the full parse: make the full parser explode if reached.
    from import_export.formats import base_formats

    def boom(*args, **kwargs):
        raise AssertionError("full parse reached")

    monkeypatch.setattr(base_formats.XLSX, "create_dataset", boom)
    with pytest.raises(ValidationError, match="mer enn 2000 rader"):
        read_spreadsheet("stillinger.xlsx", content)
    csv_content = ("Kommune;Legekontor\n" + "Alver;Legekontoret\n" * 2001).encode()
    monkeypatch.setattr(base_formats.CSV, "create_dataset", boom)
    with pytest.raises(ValidationError, match="mer enn 2000 rader"):
        read_spreadsheet("stillinger.csv", csv_content)


def test_a_file_within_the_limits_passes_the_check():
    check_spreadsheet("a.xlsx", xlsx_with_rows(2000), max_bytes=5 * 1024 * 1024, max_rows=2000)
    headers, rows = read_spreadsheet("a.xlsx", xlsx_with_rows(3))
    assert headers == ["Kommune", "Legekontor"] and len(rows) == 3


def test_a_zip_bomb_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    content = out.getvalue()
    assert len(content) < 5 * 1024 * 1024
    with pytest.raises(ValidationError, match="for stort når det pakkes ut"):
        read_spreadsheet("bombe.xlsx", content)


def test_an_oversized_file_is_refused_by_size():
    with pytest.raises(ValidationError, match="for stor"):
        read_spreadsheet("stor.csv", b"a;b\n" * (2 * 1024 * 1024))


def test_request_body_over_the_limit_gets_413_before_upload_handling(client, settings, db):
    settings.ALIS_MAX_REQUEST_BYTES = 1000
    response = client.post(
        "/verify/", {"document": SimpleUploadedFile("c.pdf", b"%PDF-" + b"x" * 5000)}
    )
    assert response.status_code == 413
    assert "Forespørselen er for stor" in response.content.decode()
    small = client.post("/verify/", {"document": SimpleUploadedFile("c.pdf", b"hei")})
    assert small.status_code == 200


def test_request_limits_are_configured():
    from django.conf import settings

    assert settings.ALIS_MAX_REQUEST_BYTES == 21 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.MIDDLEWARE.index("offices.uploads.RequestSizeLimitMiddleware") <= 2


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("notat.pdf", b"%PDF-1.4\n%%EOF\n", True),
        ("bilde.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, True),
        ("bilde.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, True),
        ("notat.pdf", b"<html><script>alert(1)</script></html>", False),
        ("bilde.png", b"MZ\x90\x00 windows program", False),
        ("notat.pdf.html", b"<html></html>", False),
    ],
)
def test_activity_attachments_are_checked_by_content(
    client_for, team, alis_masfjorden, name, content, accepted
):
    goal = first_goals(1)[0]
    response = client_for(alis_masfjorden).post(
        "/vest/framdrift/aktivitet/ny/",
        {
            "goals": [goal.pk],
            "kind": "klinisk",
            "date": "2025-03-01",
            "description": "Konsultasjoner",
            "attachment": SimpleUploadedFile(name, content),
        },
    )
    if accepted:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        page = response.content.decode()
        assert "Vedlegget må være en PDF-, PNG- eller JPG-fil." in page
        assert "Innholdet i filen er sjekket" in page
        assert "Konsultasjoner" in page  # what the doctor typed is kept
