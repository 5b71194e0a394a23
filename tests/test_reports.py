"""Regional and national status reports: figures from known data, small-count suppression,
Excel/PDF contents, background generation with progress, and who may see what."""

import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.utils import timezone
from django_scopes import scope
from openpyxl import load_workbook

from offices.permissions import Role
from positions.services import position_create
from reports.figures import (
    HIDDEN_TOTAL,
    SUPPRESSED,
    suppress,
    suppress_national,
    suppress_small_counts,
)
from reports.models import Kind, Report, ReportStatus
from reports.selectors import regional_figures
from reports.services import report_request

from .conftest import member
from .trainee_factories import (
    make_assignment,
    make_group,
    make_period,
    make_supervisor,
    make_trainee,
)

ON = date(2026, 6, 1)


@pytest.fixture
def national_coordinator(nord):
    # Nord holds the coordinating role in 2025–2026 (offices/reference.py).
    return member(nord, Role.NATIONAL_COORDINATOR, email="nasjonal@nord.example.no")


def vest_region(vest, masfjorden, coordinator):
    """Known data in Vest: see test_regional_figures_are_computed_from_known_data."""
    from municipalities.models import Municipality

    bergen = Municipality.objects.get(number="4601")
    for place, form, scheme, status in (
        (masfjorden, "fastlonn", "ny", "besatt"),
        (masfjorden, "naering", "ny", "utlyst"),
        (bergen, "fastlonn", "gammel", "planlagt"),
        (bergen, "naering", "ny", "avsluttet"),
    ):
        position_create(
            office=vest,
            acting_user=coordinator,
            municipality=place,
            employment_form=form,
            scheme=scheme,
            status=status,
        )
    with scope(office=vest):
        supervisor = make_supervisor(vest, [masfjorden], capacity=5)
        anna = make_trainee(vest, masfjorden, first_name="Anna", last_name="Aase")
        make_assignment(anna, supervisor, start=date(2024, 1, 1))
        make_group(vest, [anna], start=date(2025, 1, 1))
        # Anna has a plan, full-time open practice from 1 Jan 2024 and 4 h of supervision in
        # each month from January 2024 to May 2026: 29 × 4 = 116 h ≥ what the standing asks
        # so far, 3.5 h a month of service from 1 Jan 2024 to 1 Jun 2026 = 3.5 × (29 + 1/30)
        # = 101.6 h: not behind.
        from decimal import Decimal

        from plans.models import IndividualPlan
        from trainees.models import SupervisionSession

        IndividualPlan.objects.create(office=vest, trainee=anna)
        make_period(anna, start=date(2024, 1, 1), end=None)
        for k in range(29):
            day = date(2024 + k // 12, k % 12 + 1, 10)
            SupervisionSession.objects.create(
                office=vest, trainee=anna, day=day, hours=Decimal("4"), topics="Vakt"
            )
        make_trainee(  # old scheme, no veileder: at risk
            vest,
            masfjorden,
            first_name="Bjørn",
            last_name="Berg",
            hpr_number="2234567",
            scheme="gammel",
            specialisation_start=date(2022, 3, 1),
        )
        carl = make_trainee(  # new scheme, started 2019: behind, at risk
            vest,
            masfjorden,
            first_name="Carl",
            last_name="Carlsen",
            hpr_number="3234567",
            specialisation_start=date(2019, 3, 1),
        )
        make_assignment(carl, supervisor, start=date(2019, 3, 1))
        # Carl: open practice March 2019–August 2023 (54 months, the cap) and institution from
        # September 2023: 60 counted months at the end of February 2024 → completed in 2024.
        make_period(carl, start=date(2019, 3, 1), end=date(2023, 8, 31))
        make_period(carl, start=date(2023, 9, 1), end=None, arena="institusjon")
        make_trainee(  # completed: not in training
            vest,
            masfjorden,
            first_name="Dina",
            last_name="Dahl",
            hpr_number="4234567",
            status="fullfort",
            specialisation_start=date(2018, 1, 1),
        )
        make_trainee(  # on leave without veileder: counted, not at risk
            vest,
            masfjorden,
            first_name="Eva",
            last_name="Eide",
            hpr_number="5234567",
            status="permisjon",
            specialisation_start=date(2025, 1, 1),
        )


def test_regional_figures_are_computed_from_known_data(vest, masfjorden, coordinator_vest):
    vest_region(vest, masfjorden, coordinator_vest)
    with scope(office=vest):
        figures = regional_figures(vest, ON)
    assert figures == {
        "positions_total": 3,
        "positions_filled": 1,
        "positions_salaried": 2,
        "positions_self_employed": 1,
        "positions_applicant_chooses": 0,
        "positions_new_scheme": 2,
        "positions_old_scheme": 1,
        "doctors_active": 4,
        "doctors_new_scheme": 3,
        "doctors_old_scheme": 1,
        "doctors_converted": 0,
        "doctors_with_veileder": 2,
        "doctors_without_veileder": 2,
        "doctors_in_group": 1,
        "doctors_with_plan": 1,
        # Supervision is owed per month of service: Anna is ahead; Bjørn and Eva have no
        # service registered, so they owe nothing yet; Carl owes 3.5 × 60 = 210 h with none.
        "doctors_supervision_compliant": 3,
        # The one standing: Anna has no institution period and Bjørn and Eva no service, so
        # nothing projects their total (at risk, completion unknown); Carl completed the
        # service in February 2024 without supervision (not met; his missing courses are only
        # recommended and count for nothing here), counted in this year.
        "doctors_at_risk": 4,
        "completions": {"2026": 1, "ukjent": 3},
    }


def test_suppression_hides_one_to_four_and_keeps_zero_and_five():
    assert [suppress(n) for n in (0, 1, 4, 5, 120, None)] == [
        0,
        SUPPRESSED,
        SUPPRESSED,
        5,
        120,
        None,
    ]
    shown = suppress_small_counts({"doctors_active": 3, "completions": {"2027": 2, "2028": 9}})
    assert shown["doctors_active"] == SUPPRESSED
    assert shown["completions"] == {"2027": SUPPRESSED, "2028": 9}
    assert shown["positions_total"] is None


def test_country_total_is_hidden_where_it_would_reveal_a_suppressed_office_count():
    vest = {"doctors_active": 3, "doctors_in_group": 0, "completions": {"2027": 2, "2028": 1}}
    nord = {"doctors_active": 10, "doctors_in_group": 5, "completions": {"2027": 5, "2028": 5}}
    country = {"doctors_active": 13, "doctors_in_group": 5, "completions": {"2027": 7, "2028": 6}}
    (shown_vest, shown_nord), shown_country = suppress_national([vest, nord], country)
    assert shown_vest["doctors_active"] == SUPPRESSED
    # 13 − 10 would give Vest's 3 back; so would the country's completion years (7 + 6) minus
    # Nord's 10: more than the country's total is hidden.
    assert shown_country["doctors_active"] == HIDDEN_TOTAL
    assert HIDDEN_TOTAL in (shown_nord["doctors_active"], *shown_country["completions"].values())
    assert shown_vest["completions"] == {"2027": SUPPRESSED, "2028": SUPPRESSED}
    # Nothing small hangs on the group counts (10 − 5 and 13 − 5 are not small).
    assert shown_country["doctors_in_group"] == 5 and shown_nord["doctors_in_group"] == 5


def test_country_total_is_shown_when_the_suppressed_offices_add_up_to_five_or_more():
    """Three offices below five (2, 1 and 3: together 6) and two shown (7 and 13): the total,
    26, gives back only that the three hidden ones add up to 6, which identifies none of them.
    Two offices at 1 and 2 (together 3) beside 7 would tell that they are 1 and 2: hidden."""
    offices = [{"doctors_active": n, "completions": {}} for n in (2, 1, 3, 7, 13)]
    country = {"doctors_active": 26, "completions": {}}
    shown, shown_country = suppress_national(offices, country)
    assert [o["doctors_active"] for o in shown] == [SUPPRESSED] * 3 + [7, 13]
    assert shown_country["doctors_active"] == 26

    offices = [{"doctors_active": n, "completions": {}} for n in (1, 2, 7)]
    _shown, shown_country = suppress_national(offices, {"doctors_active": 10, "completions": {}})
    assert shown_country["doctors_active"] == HIDDEN_TOTAL


def build(office, user, kind, capture, period=ON):
    with scope(office=office), capture(execute=True):
        report = report_request(office=office, acting_user=user, kind=kind, period=period)
    with scope(office=office):
        report.refresh_from_db()
    return report


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def xlsx_cells(data: bytes) -> list:
    sheet = load_workbook(BytesIO(data)).active
    return [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


def test_regional_report_page_excel_and_pdf(
    client_for, vest, masfjorden, coordinator_vest, django_capture_on_commit_callbacks
):
    vest_region(vest, masfjorden, coordinator_vest)
    report = build(vest, coordinator_vest, Kind.REGIONAL, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.DONE and report.progress == 100

    client = client_for(coordinator_vest)
    page = client.get(f"/vest/rapporter/{report.pk}/").content.decode()
    assert "Statusrapport for ALIS Vest per 01.06.2026" in page
    assert '<title id="graf-stillinger-tittel">Stillinger</title>' in page
    assert '<th scope="row">Leger med krav i fare eller ikke oppfylt</th><td>4</td>' in page
    assert '<th scope="row">Leger med individuell utdanningsplan</th><td>1</td>' in page

    xlsx = client.get(f"/vest/rapporter/{report.pk}/rapport.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    cells = xlsx_cells(b"".join(xlsx.streaming_content))
    row = cells.index("Leger med krav i fare eller ikke oppfylt")
    assert cells[row + 1] == 4
    assert cells[cells.index("Stillinger besatt") + 1] == 1

    pdf = client.get(f"/vest/rapporter/{report.pk}/rapport.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content))
    assert "Statusrapport for ALIS Vest" in text
    assert any(
        "Leger uten individuell veileder" in line and line.split()[-1] == "2"
        for line in text.splitlines()
    )


def test_regional_report_is_grouped_by_health_trust(
    client_for, vest, masfjorden, coordinator_vest, django_capture_on_commit_callbacks
):
    """Masfjorden and Bergen lie in Helse Bergen's area, Gulen in Helse Førde's. Helse Bergen:
    the three positions of `vest_region` that are not ended (1 filled; 2 fastlønn, 1 næring;
    1 old scheme; no applicant counts) and its four doctors in training (Anna and Carl with a
    veileder, Anna in a group). Helse Førde: one filled fastlønn position with 3 applicants and
    one doctor without veileder or group."""
    from municipalities.models import Municipality

    vest_region(vest, masfjorden, coordinator_vest)
    gulen = Municipality.objects.get(number="4635")
    position_create(
        office=vest,
        acting_user=coordinator_vest,
        municipality=gulen,
        employment_form="fastlonn",
        scheme="ny",
        status="besatt",
        applicants=3,
    )
    with scope(office=vest):
        make_trainee(vest, gulen, first_name="Gina", hpr_number="6234567", email="g@example.no")
    report = build(vest, coordinator_vest, Kind.REGIONAL, django_capture_on_commit_callbacks)
    assert report.data["by_trust"] == [
        {
            "trust": "Helse Bergen HF",
            "figures": {
                "positions_total": 3,
                "positions_filled": 1,
                "positions_salaried": 2,
                "positions_self_employed": 1,
                "positions_old_scheme": 1,
                "applicants": 0,
                "doctors_active": 4,
                "doctors_with_veileder": 2,
                "doctors_in_group": 1,
            },
        },
        {
            "trust": "Helse Førde HF",
            "figures": {
                "positions_total": 1,
                "positions_filled": 1,
                "positions_salaried": 1,
                "positions_self_employed": 0,
                "positions_old_scheme": 0,
                "applicants": 3,
                "doctors_active": 1,
                "doctors_with_veileder": 0,
                "doctors_in_group": 0,
            },
        },
    ]
    client = client_for(coordinator_vest)
    page = " ".join(client.get(f"/vest/rapporter/{report.pk}/").content.decode().split())
    assert "<caption>Per helseforetak</caption>" in page
    assert (
        '<th scope="row">Helse Førde HF</th><td>1</td><td>1</td><td>1</td><td>0</td><td>0</td>'
        "<td>3</td><td>1</td><td>0</td><td>0</td>"
    ) in page
    assert (
        '<th scope="row">I alt</th><td>4</td><td>2</td><td>3</td><td>1</td><td>1</td>'
        "<td>3</td><td>5</td><td>2</td><td>1</td>"
    ) in page
    cells = xlsx_cells(
        b"".join(client.get(f"/vest/rapporter/{report.pk}/rapport.xlsx").streaming_content)
    )
    row = cells.index("Helse Bergen HF")
    assert cells[row : row + 10] == ["Helse Bergen HF", 3, 1, 2, 1, 1, 0, 4, 2, 1]
    text = pdf_text(
        b"".join(client.get(f"/vest/rapporter/{report.pk}/rapport.pdf").streaming_content)
    )
    by_trust = text[text.index("Per helseforetak") :]
    assert "Bergen" in by_trust and "Førde" in by_trust


def test_national_report_has_no_names_and_suppresses_small_counts(
    client_for,
    vest,
    nord,
    masfjorden,
    coordinator_vest,
    national_coordinator,
    django_capture_on_commit_callbacks,
):
    vest_region(vest, masfjorden, coordinator_vest)
    report = build(nord, national_coordinator, Kind.NATIONAL, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.DONE
    vest_figures = next(r for r in report.data["offices"] if r["office"] == "ALIS Vest")
    assert vest_figures["figures"]["doctors_active"] == SUPPRESSED  # 4 doctors
    # The only office with doctors: the country's count is Vest's, small, and hidden as such.
    assert report.data["country"]["doctors_at_risk"] == SUPPRESSED
    assert report.data["country"]["doctors_active"] == SUPPRESSED
    assert report.data["country"]["positions_total"] in (SUPPRESSED, HIDDEN_TOTAL)

    client = client_for(national_coordinator)
    page = client.get(f"/nord/rapporter/{report.pk}/").content.decode()
    xlsx = xlsx_cells(
        b"".join(client.get(f"/nord/rapporter/{report.pk}/rapport.xlsx").streaming_content)
    )
    pdf = pdf_text(
        b"".join(client.get(f"/nord/rapporter/{report.pk}/rapport.pdf").streaming_content)
    )
    for shown in (page, " ".join(map(str, xlsx)), pdf):
        for name in ("Anna", "Aase", "Bjørn", "Carlsen", "Eide", "Vidar", "1234567"):
            assert name not in shown
        assert "Hele landet" in shown and "ALIS Vest" in shown
    assert "&lt;5" in page
    assert SUPPRESSED in xlsx
    assert 4 not in xlsx and 2 not in xlsx
    assert "<5" in pdf


def test_national_report_shows_large_counts(
    vest,
    nord,
    masfjorden,
    coordinator_vest,
    national_coordinator,
    django_capture_on_commit_callbacks,
):
    with scope(office=vest):
        for n in range(6):
            make_trainee(vest, masfjorden, hpr_number=f"{7000000 + n}", email=f"l{n}@example.no")
    report = build(nord, national_coordinator, Kind.NATIONAL, django_capture_on_commit_callbacks)
    vest_figures = next(r for r in report.data["offices"] if r["office"] == "ALIS Vest")["figures"]
    assert vest_figures["doctors_active"] == 6
    assert vest_figures["doctors_without_veileder"] == 6
    assert report.data["country"]["doctors_active"] == 6
    assert report.data["country"]["doctors_with_veileder"] == 0


def test_lag_rapport_queues_builds_and_keeps_earlier_reports(
    client_for, vest, coordinator_vest, django_capture_on_commit_callbacks
):
    client = client_for(coordinator_vest)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/vest/rapporter/ny/")
    with scope(office=vest):
        report = Report.objects.get()
    assert response.status_code == 302 and response.url == f"/vest/rapporter/{report.pk}/"
    assert (report.status, report.progress, report.created_by) == (
        ReportStatus.QUEUED,
        0,
        coordinator_vest,
    )
    # Not finished: the page polls the progress every 2 s.
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "I kø: 0 %" in page
    progress = client.get(f"/vest/rapporter/{report.pk}/fremdrift/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in progress

    for callback in callbacks:  # the commit: the task runs (in-process in tests)
        callback()
    progress = client.get(f"/vest/rapporter/{report.pk}/fremdrift/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    assert "Rapporten er ferdig." in progress.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/vest/rapporter/ny/")
    with scope(office=vest):
        assert Report.objects.filter(status=ReportStatus.DONE).count() == 2
    listing = client.get("/vest/rapporter/").content.decode()
    assert listing.count("rapport.xlsx") == 2 and listing.count("rapport.pdf") == 2


def test_progress_is_saved_step_by_step_while_building(
    nord, national_coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import services

    saved = []
    original = services._progress

    def spy(report, percent):
        original(report, percent)
        # Read back from the database: a page polling now would see this value.
        saved.append(Report.objects.values_list("status", "progress").get(pk=report.pk))

    monkeypatch.setattr(services, "_progress", spy)
    build(nord, national_coordinator, Kind.NATIONAL, django_capture_on_commit_callbacks)
    # One step per office (5 offices), then the Excel file; done is 100.
    assert saved == [("lages", p) for p in (16, 27, 38, 49, 60, 75)]


def test_build_task_stays_in_its_office(
    vest, nord, coordinator_vest, django_capture_on_commit_callbacks
):
    from reports.tasks import build_report

    with scope(office=vest), django_capture_on_commit_callbacks(execute=False):
        report = report_request(office=vest, acting_user=coordinator_vest, period=ON)
    # Given another office's id, the task does not find (or build) Vest's report.
    with pytest.raises(Report.DoesNotExist):
        build_report.apply(args=[nord.pk, report.pk], throw=True)
    with scope(office=vest):
        report.refresh_from_db()
        assert report.status == ReportStatus.QUEUED
    assert build_report.apply(args=[vest.pk, report.pk], throw=True).get() == ReportStatus.DONE
    with scope(office=vest):
        report.refresh_from_db()
        assert report.data["office"] == "ALIS Vest"


def test_monthly_beat_fans_out_one_per_office_and_national(
    db, django_capture_on_commit_callbacks, settings
):
    from offices.models import Office
    from reports.tasks import monthly_reports

    assert (
        settings.CELERY_BEAT_SCHEDULE["monthly-reports"]["task"] == "reports.tasks.monthly_reports"
    )
    with django_capture_on_commit_callbacks(execute=True):
        queued = monthly_reports.apply().get()
    offices = list(Office.objects.all())
    assert queued == len(offices) + 1
    for office in offices:
        with scope(office=office):
            kinds = sorted(Report.objects.filter(office=office).values_list("kind", flat=True))
            assert Report.objects.filter(office=office, status=ReportStatus.DONE).count() == len(
                kinds
            )
        expected = (
            ["nasjonal", "regional"]
            if office.is_coordinating(timezone.localdate())
            else ["regional"]
        )
        assert kinds == expected, office
    # Run again the same day (beat restarted): nothing more is queued.
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reports.apply().get() == 0


def test_only_the_national_coordinator_of_the_coordinating_office_reaches_national_reports(
    client_for,
    vest,
    nord,
    coordinator_nord,
    national_coordinator,
    django_capture_on_commit_callbacks,
):
    report = build(nord, national_coordinator, Kind.NATIONAL, django_capture_on_commit_callbacks)
    client = client_for(coordinator_nord)  # a coordinator, not the national coordinator
    for url in (
        "/nord/rapporter/nasjonal/",
        f"/nord/rapporter/{report.pk}/",
        f"/nord/rapporter/{report.pk}/rapport.pdf",
        f"/nord/rapporter/{report.pk}/rapport.xlsx",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/nord/rapporter/nasjonal/ny/").status_code == 403
    assert "Nasjonale rapporter" not in client.get("/nord/rapporter/").content.decode()
    # A national coordinator in an office that does not hold the role is refused too.
    vest_national = member(vest, Role.NATIONAL_COORDINATOR, email="nasjonal@vest.example.no")
    assert client_for(vest_national).get("/vest/rapporter/nasjonal/").status_code == 403
    ok = client_for(national_coordinator)
    assert ok.get("/nord/rapporter/nasjonal/").status_code == 200
    assert ok.get(f"/nord/rapporter/{report.pk}/").status_code == 200


def test_other_office_gets_404_on_report_routes(
    client_for, vest, coordinator_vest, coordinator_nord, django_capture_on_commit_callbacks
):
    report = build(vest, coordinator_vest, Kind.REGIONAL, django_capture_on_commit_callbacks)
    client = client_for(coordinator_nord)
    for url in (
        "/vest/rapporter/",
        f"/vest/rapporter/{report.pk}/",
        f"/vest/rapporter/{report.pk}/rapport.pdf",
        f"/vest/rapporter/{report.pk}/fremdrift/",
    ):
        assert client.get(url).status_code == 404, url
    # Vest's report id inside Nord's own pages does not exist either.
    assert client.get(f"/nord/rapporter/{report.pk}/").status_code == 404
    assert client.get(f"/nord/rapporter/{report.pk}/rapport.xlsx").status_code == 404


def test_leader_cannot_see_reports(client_for, leader_masfjorden):
    assert client_for(leader_masfjorden).get("/vest/rapporter/").status_code == 403


def test_report_page_queries_do_not_grow_with_rows(
    client_for,
    vest,
    masfjorden,
    coordinator_vest,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    client = client_for(coordinator_vest)
    build(vest, coordinator_vest, Kind.REGIONAL, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(20) as small:
        assert client.get("/vest/rapporter/").status_code == 200
    vest_region(vest, masfjorden, coordinator_vest)
    for _n in range(4):
        build(vest, coordinator_vest, Kind.REGIONAL, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(20) as big:
        assert client.get("/vest/rapporter/").status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)


def test_figures_queries_do_not_grow_with_doctors(vest, masfjorden, coordinator_vest):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    vest_region(vest, masfjorden, coordinator_vest)
    with scope(office=vest), CaptureQueriesContext(connection) as four:
        regional_figures(vest, ON)
    # The aggregates are a fixed number of queries, and the one standing (`plans.standing`)
    # reads every doctor's inputs at once: ten more doctors in training, with periods and
    # supervision, read the same number of queries.
    from trainees.models import SupervisionSession

    for n in range(10):
        with scope(office=vest):
            t = make_trainee(vest, masfjorden, hpr_number=f"66{n:05d}", email=f"lege{n}@example.no")
            make_period(t, start=date(2024, 1, 1), end=None)
            SupervisionSession.objects.create(
                office=vest, trainee=t, day=date(2024, 2, 1), hours=2, topics="Vakt"
            )
    with scope(office=vest), CaptureQueriesContext(connection) as fourteen:
        figures = regional_figures(vest, ON)
    assert figures["doctors_active"] == 14
    assert len(fourteen.captured_queries) == len(four.captured_queries)


NORD_FIGURES = {
    # Five salaried, filled positions in the new scheme.
    "positions_total": 5,
    "positions_filled": 5,
    "positions_salaried": 5,
    "positions_self_employed": 0,
    "positions_applicant_chooses": 0,
    "positions_new_scheme": 5,
    "positions_old_scheme": 0,
    # Six new-scheme doctors without veileder, group or plan.
    "doctors_active": 6,
    "doctors_new_scheme": 6,
    "doctors_old_scheme": 0,
    "doctors_converted": 0,
    "doctors_with_veileder": 0,
    "doctors_without_veileder": 6,
    "doctors_in_group": 0,
    "doctors_with_plan": 0,
    # Three have served full time in open practice since 1 Jan 2024 without supervision: they
    # owe 3.5 h a month of service and have none (behind); three have no service and owe
    # nothing yet.
    "doctors_supervision_compliant": 3,
    # No institution period and (for three) no service: nothing projects the total for any.
    "doctors_at_risk": 6,
    "completions": {"ukjent": 6},
}


def nord_region(nord, vadso, coordinator):
    from municipalities.models import Municipality

    # One position in each of five municipalities (an office allows two active per place).
    for place in Municipality.objects.filter(office=nord, is_active=True).order_by("number")[:5]:
        position_create(
            office=nord,
            acting_user=coordinator,
            municipality=place,
            employment_form="fastlonn",
            scheme="ny",
            status="besatt",
        )
    with scope(office=nord):
        for n in range(6):
            doctor = make_trainee(
                nord, vadso, hpr_number=f"{8100000 + n}", email=f"nord{n}@example.no"
            )
            if n < 3:
                make_period(doctor, start=date(2024, 1, 1), end=None)


def test_national_figures_are_each_offices_figures_computed_in_one_pass(
    vest, nord, masfjorden, vadso, coordinator_vest, coordinator_nord
):
    from django_scopes import scope as multi_scope

    from reports.figures import suppress_small_counts
    from reports.national import national_figures
    from reports.selectors import figures_by_office

    vest_region(vest, masfjorden, coordinator_vest)
    nord_region(nord, vadso, coordinator_nord)
    with multi_scope(office=[vest, nord]):
        figures = figures_by_office([vest, nord], ON)
    assert figures[nord.pk] == NORD_FIGURES
    with scope(office=vest):  # the regional report of Vest gives the same as the batch
        assert figures[vest.pk] == regional_figures(vest, ON)
    assert figures[vest.pk]["doctors_at_risk"] == 4
    assert figures[vest.pk]["completions"] == {"2026": 1, "ukjent": 3}

    national = national_figures(ON)
    rows = {row["office"]: row["figures"] for row in national["offices"]}
    # Each of Nord's counts as it is, "<5" exactly where it is 1–4, or hidden ("skjult")
    # where the others would give a small count back (tests/test_report_suppression.py).
    for key, value in suppress_small_counts(NORD_FIGURES).items():
        if key != "completions":
            assert rows["ALIS Nord"][key] in (
                (value,) if value == SUPPRESSED else (value, HIDDEN_TOTAL)
            ), key
    assert rows["ALIS Nord"]["doctors_supervision_compliant"] == SUPPRESSED  # 3
    assert rows["ALIS Vest"]["doctors_active"] == SUPPRESSED  # 4
    assert rows["ALIS Øst"]["doctors_active"] in (0, HIDDEN_TOTAL)
    # Totals of the country: the sum where no small office count could be subtracted out.
    # (a zero is hidden only where nothing else could protect a small count)
    assert national["country"]["doctors_converted"] in (0, HIDDEN_TOTAL)
    assert national["country"]["positions_applicant_chooses"] in (0, HIDDEN_TOTAL)
    assert national["country"]["doctors_active"] == HIDDEN_TOTAL  # 4 + 6 would reveal Vest's 4


def test_national_figures_queries_do_not_grow_with_offices_or_doctors(
    vest, nord, masfjorden, vadso, coordinator_vest, coordinator_nord
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.national import national_figures

    vest_region(vest, masfjorden, coordinator_vest)
    with CaptureQueriesContext(connection) as one_office:
        national_figures(ON)
    nord_region(nord, vadso, coordinator_nord)
    with CaptureQueriesContext(connection) as two_offices:
        national_figures(ON)
    assert len(two_offices.captured_queries) == len(one_office.captured_queries)
    # A day with no stored answers (plans.stored): the stored answers counted, then again in
    # one snapshot with the engine's inputs for the others (eight queries), and the counts.
    assert len(one_office.captured_queries) <= 14
