"""One calculation everywhere: every page and report that shows a doctor's status or finish date
agrees with `plans.standing` for the same doctors, and the doctor's "Hvor står jeg" page says
what a person computing by hand would say."""

import re
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from django_scopes import scope

from plans.models import PlanVersion
from plans.rules import Status
from plans.services import plan_version_create
from plans.standing import standing, standings

from .progress_helpers import make_doctor
from .trainee_factories import make_group, make_period

pytestmark = pytest.mark.dates

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _approve(version, leader):
    PlanVersion.objects.filter(pk=version.pk).update(
        approved_at=timezone.now(), approved_by=leader, acknowledged_at=timezone.now()
    )


@pytest.fixture
def doctors(frozen, vest, masfjorden, alis_masfjorden, leader_masfjorden):
    """Anna: full-time open practice since 1 Jan 2023, an approved plan with the institution
    period in 2027, enough supervision, group supervision and every course: on track.
    Bjørn: 60 % open practice since 1 Jan 2024, no plan, no supervision: at risk."""
    from trainees.models import CourseRecord, GroupMeeting, SupervisionSession

    anna = make_doctor(vest, masfjorden, user=alis_masfjorden)
    bjorn = make_doctor(
        vest,
        masfjorden,
        first_name="Bjørn",
        last_name="Berg",
        email="bjorn@example.no",
        hpr_number="002234567",
        specialisation_start=date(2024, 1, 1),
    )
    with scope(office=vest):
        make_period(anna, start=date(2023, 1, 1), end=None)
        make_period(bjorn, start=date(2024, 1, 1), end=None, percentage=60)
        group = make_group(vest, [anna], start=date(2023, 1, 1))
        for k in range(46):  # January 2023–October 2026: 4 h of supervision, 3 h in the group
            day = date(2023 + k // 12, k % 12 + 1, 10)
            SupervisionSession.objects.create(
                office=vest, trainee=anna, day=day, hours=Decimal("4"), topics="Vakt"
            )
            GroupMeeting.objects.create(office=vest, group=group, day=day, hours=Decimal("3"))
        for meeting in GroupMeeting.objects.filter(office=vest, group=group):
            meeting.attendees.add(anna)
        for kind, title, hours in [
            ("A", "Grunnkurs A", 20),
            ("B", "Grunnkurs B", 20),
            ("C", "Grunnkurs C", 20),
            ("D", "Grunnkurs D", 20),
            ("akutt", "Akuttmedisin", 40),
            *[("emne", f"Emnekurs {n}", 15) for n in range(6)],
        ]:
            CourseRecord.objects.create(
                office=vest,
                trainee=anna,
                kind=kind,
                title=title,
                hours=Decimal(hours),
                completed_on=date(2024, 6, 1),
            )
        version = plan_version_create(
            office=vest,
            acting_user=leader_masfjorden,
            trainee=anna,
            data={"target_completion": date(2027, 12, 31)},
            arenas=[
                dict(
                    arena="allmennpraksis",
                    place="Legekontoret",
                    start=date(2023, 1, 1),
                    end=date(2026, 12, 31),
                    percentage=100,
                    goals=[],
                ),
                dict(
                    arena="institusjon",
                    place="Haukeland",
                    start=date(2027, 1, 1),
                    end=date(2027, 6, 30),
                    percentage=100,
                    goals=[],
                ),
                dict(
                    arena="allmennpraksis",
                    place="Legekontoret",
                    start=date(2027, 7, 1),
                    end=date(2027, 12, 31),
                    percentage=100,
                    goals=[],
                ),
            ],
        )
        _approve(version, leader_masfjorden)
    return anna, bjorn


def test_the_standing_is_what_a_person_computes_by_hand(doctors, vest):
    anna, bjorn = doctors
    with scope(office=vest):
        a, b = standing(anna), standing(bjorn)
    # Anna: open practice January 2023–December 2026 (48 months) and July–December 2027 (6)
    # = 54 (the cap), institution January–June 2027 (6): 60 counted months on 31 Dec 2027.
    assert a.projected_completion == date(2027, 12, 31)
    assert a.deciding.key == "total"
    assert a.get("institution").projected == date(2027, 6, 30)
    # Open practice 2 years: reached at the end of December 2024.
    assert a.get("open").status == Status.MET and a.get("open").projected == date(2024, 12, 31)
    assert a.status == Status.ON_TRACK
    # Bjørn: 60 % of January 2024–October 2026 (34 months) + 23/30 of November = 20.86 months
    # of open practice; no institution is planned or served, so nothing reaches the total.
    assert b.get("open").credited == (34 + Fraction(23, 30)) * Fraction(3, 5)
    assert b.projected_completion is None
    assert b.deciding.key == "institution"
    assert b.status == Status.AT_RISK and b.at_risk


def _summary(page: str) -> tuple[str, str]:
    match = re.search(r'data-standing="([^"]*)" data-finish="([^"]*)"', page)
    assert match, "the page shows no standing"
    return match.group(1), match.group(2)


def _expected(s) -> tuple[str, str]:
    finish = s.projected_completion.isoformat() if s.projected_completion else ""
    return s.status.value, finish


def _doctor_pages_agree(client, slug, pk, expected):
    """The standing page, the record page and the plan page of one doctor (leader, office)."""
    for url in (
        f"/{slug}/leger/{pk}/hvor-star/",
        f"/{slug}/leger/{pk}/",
        f"/{slug}/leger/{pk}/plan/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert _summary(page.content.decode()) == expected, url


def _overviews_agree(client, slug, trainees, official):
    """The progress overview and the supervision overview, row by row."""
    page = client.get(f"/{slug}/framdrift/oversikt/").content.decode()
    for t in trainees:
        status = re.search(
            rf'data-standing="([^"]+)"><a class="ds-link" href="/{slug}/leger/{t.pk}/hvor-star/"',
            page,
        ).group(1)
        assert status == official[t.pk].status.value, t
    page = client.get(f"/{slug}/veiledningsoversikt/").content.decode()
    for t in trainees:
        row = re.search(rf"(?s)/{slug}/leger/{t.pk}/veiledningslogg/.*?</tr>", page).group(0)
        assert re.search(r'data-standing="([^"]+)"', row).group(1) == official[t.pk].status.value
        assert ("Ligger etter" in row) == official[t.pk].supervision_behind, t


def test_every_page_and_report_agrees_with_the_one_standing(
    doctors, vest, client_for, alis_masfjorden, leader_masfjorden, coordinator_vest
):
    from notifications.reminders import supervision_behind
    from reports.selectors import projected_completions, regional_figures

    anna, bjorn = doctors
    with scope(office=vest):
        expected = {t.pk: _expected(standing(t)) for t in (anna, bjorn)}
        official = {t.pk: standing(t) for t in (anna, bjorn)}
    assert expected[anna.pk] == ("i_rute", "2027-12-31")
    assert expected[bjorn.pk] == ("i_fare", "")

    # The doctor's own pages: Hvor står jeg, Min plan, Mine opplysninger.
    doctor = client_for(alis_masfjorden)
    for url in ("/vest/min-plan/krav/", "/vest/min-plan/", "/vest/lege/"):
        assert _summary(doctor.get(url).content.decode()) == expected[anna.pk], url
    # The leader's and the coordinator's doctor pages (one client: log in as each in turn).
    for user in (leader_masfjorden, coordinator_vest):
        client = client_for(user)
        for t in (anna, bjorn):
            _doctor_pages_agree(client, "vest", t.pk, expected[t.pk])
    # The progress overview and the supervision overview, row by row.
    _overviews_agree(client_for(leader_masfjorden), "vest", (anna, bjorn), official)
    assert official[anna.pk].supervision_behind is False
    assert official[bjorn.pk].supervision_behind is True
    # The report: at risk and completion years from the same standings.
    with scope(office=vest):
        figures = regional_figures(vest, TODAY)
        assert figures["doctors_at_risk"] == 1
        assert figures["doctors_supervision_compliant"] == 1
        assert projected_completions(vest, TODAY) == {"2027": 1, "ukjent": 1}
        # Reminders: "behind with supervision" goes out for Bjørn only.
        reminders = list(supervision_behind(vest, TODAY))
    assert {r.subject for r in reminders} == {"Veiledningen til Bjørn Berg ligger etter"}


def test_a_draft_plan_is_a_preview_never_the_official_answer(
    doctors, vest, client_for, alis_masfjorden, leader_masfjorden
):
    anna, _bjorn = doctors
    with scope(office=vest):
        # A draft that moves the institution period a year later (2028): if approved, the
        # total is reached at the end of 2028.
        plan_version_create(
            office=vest,
            acting_user=leader_masfjorden,
            trainee=anna,
            data={"target_completion": date(2028, 12, 31)},
            arenas=[
                dict(
                    arena="allmennpraksis",
                    place="Legekontoret",
                    start=date(2023, 1, 1),
                    end=date(2027, 12, 31),
                    percentage=100,
                    goals=[],
                ),
                dict(
                    arena="institusjon",
                    place="Haukeland",
                    start=date(2028, 1, 1),
                    end=date(2028, 6, 30),
                    percentage=100,
                    goals=[],
                ),
            ],
        )
        assert standing(anna).projected_completion == date(2027, 12, 31)
    page = client_for(alis_masfjorden).get("/vest/min-plan/krav/").content.decode()
    assert _summary(page) == ("i_rute", "2027-12-31")
    # Open practice 2023–2027 = 60 months, 54 count; + 6 of institution on 30 Jun 2028.
    assert "Hvis planutkastet (versjon 2) godkjennes: 30.06.2028" in page


def test_a_plan_that_falls_short_continues_at_the_current_pace(
    frozen, vest, masfjorden, leader_masfjorden
):
    # Full-time open practice since 1 Jan 2023 (ongoing); the approved plan books the
    # institution period January–June 2025 and then ends: after the plan, the current pace
    # (full-time open practice) goes on. Counted by 30 Jun 2025: open 24 (2023–2024) + 6
    # institution = 30; open practice from July 2025 adds 30 more → 31 Dec 2027.
    doctor = make_doctor(vest, masfjorden)
    with scope(office=vest):
        make_period(doctor, start=date(2023, 1, 1), end=None)
        version = plan_version_create(
            office=vest,
            acting_user=leader_masfjorden,
            trainee=doctor,
            data={},
            arenas=[
                dict(
                    arena="institusjon",
                    place="Haukeland",
                    start=date(2025, 1, 1),
                    end=date(2025, 6, 30),
                    percentage=100,
                    goals=[],
                ),
            ],
        )
        _approve(version, leader_masfjorden)
        assert standing(doctor, date(2024, 12, 31)).projected_completion == date(2027, 12, 31)


def test_status_tags_have_their_colour_and_their_text(doctors, client_for, alis_masfjorden):
    page = client_for(alis_masfjorden).get("/vest/min-plan/krav/").content.decode()
    # The template used to compare with a StrEnum (which Django calls), so every tag was grey.
    assert '<span class="ds-tag" data-color="success">Oppfylt</span>' in page
    assert '<span class="ds-tag" data-color="info">I rute</span>' in page
    assert 'data-color="neutral"' not in page
    assert "<progress" in page and "Det neste du bør gjøre" in page
    assert "ALM" not in page or "godkjent" in page


def test_the_veileder_sees_the_page_of_their_own_doctors_only(
    doctors, client_for, veileder_masfjorden, vest
):
    from .progress_helpers import link_supervisor

    anna, bjorn = doctors
    link_supervisor(anna, veileder_masfjorden)
    client = client_for(veileder_masfjorden)
    assert client.get(f"/vest/leger/{anna.pk}/hvor-star/").status_code == 200
    assert client.get(f"/vest/leger/{bjorn.pk}/hvor-star/").status_code == 403


# --- The headline: what decides the date, what is behind, in the reader's words ------------------

DU = re.compile(r"\b(du|deg|din|ditt|dine|Du|Deg|Din|Ditt|Dine)\b")


def _section(page: str, start: str, end: str) -> str:
    first = page.index(start)
    return page[first : page.index(end, first)]


def test_the_headline_says_what_decides_the_date_and_what_is_behind(
    doctors, client_for, alis_masfjorden, leader_masfjorden
):
    anna, bjorn = doctors
    page = client_for(alis_masfjorden).get("/vest/min-plan/krav/").content.decode()
    # Anna: every requirement met or on track; the total decides 31.12.2027 and is on track.
    assert (
        "Du er beregnet ferdig 31.12.2027, når kravet «Samlet tjeneste» er nådd. "
        "Det kravet er i rute." in page
    )
    assert "Alle de andre kravene er oppfylt eller i rute." in page
    # Bjørn (as the leader reads it): no institution period, so no date; the overall tag says
    # "I fare" and the line under it says which requirements are behind and by how much.
    # Supervision: 60 % of January 2024–October 2026 and 23/30 of November = 20.86 months of
    # service × 3.5 h = 73.01 h owed, none held.
    page = client_for(leader_masfjorden).get(f"/vest/leger/{bjorn.pk}/hvor-star/")
    summary = _section(page.content.decode(), 'class="standing-summary"', "</div>")
    assert '<span class="ds-tag" data-color="warning">I fare</span>' in summary
    assert (
        "Vi kan ikke beregne når Bjørn Berg blir ferdig: verken planen eller dagens takt fører "
        "fram til kravet «Institusjonstjeneste»." in summary
    )
    assert "Ligger etter: Samlet tjeneste (i fare, mangler " in summary
    assert "Individuell veiledning (i fare, mangler 73 t)" in summary
    # The courses are recommended, not required (domain brief), and Bjørn has no legevakt: his
    # missing courses are no longer among what is behind (before: "Kurs (i fare, mangler
    # grunnkurs A, B, C, D; …)").
    assert "kurs" not in summary.split("Ligger etter:")[1].lower()
    assert "Institusjonstjeneste (" not in summary.split("Ligger etter:")[1]  # said above


def test_others_read_about_the_doctor_by_name_the_doctor_reads_du(
    doctors,
    vest,
    client_for,
    alis_masfjorden,
    leader_masfjorden,
    coordinator_vest,
    veileder_masfjorden,
):
    from .progress_helpers import link_supervisor

    anna, bjorn = doctors
    link_supervisor(bjorn, veileder_masfjorden)
    own = client_for(alis_masfjorden).get("/vest/min-plan/krav/").content.decode()
    mine = _section(own, "<h1", 'id="how"')
    assert "Hvor står jeg?" in mine and "Når blir du ferdig?" in mine
    assert "Det neste du bør gjøre" in mine and "Kravene og hvor du står" in mine
    for user in (leader_masfjorden, coordinator_vest, veileder_masfjorden):
        page = client_for(user).get(f"/vest/leger/{bjorn.pk}/hvor-star/").content.decode()
        theirs = _section(page, "<h1", 'id="how"')
        assert DU.findall(theirs) == [], user.email
        assert "Når blir Bjørn Berg ferdig?" in theirs
        assert "Det neste som bør gjøres" in theirs
        assert "Institusjonstjenesten til Bjørn Berg må bookes (mangler 6 mnd)." in theirs
        assert "Bjørn Berg må ta igjen 73 t individuell veiledning" in theirs
    # The same headline on the leader's record page and plan page.
    client = client_for(leader_masfjorden)
    for url in (f"/vest/leger/{bjorn.pk}/", f"/vest/leger/{bjorn.pk}/plan/"):
        summary = _section(client.get(url).content.decode(), 'class="standing-summary"', "</div>")
        assert "Vi kan ikke beregne når Bjørn Berg blir ferdig" in summary, url
        assert DU.findall(summary) == [], url
    # The doctor's own record and plan pages say "du".
    client = client_for(alis_masfjorden)
    for url in ("/vest/lege/", "/vest/min-plan/"):
        summary = _section(client.get(url).content.decode(), 'class="standing-summary"', "</div>")
        assert "Du er beregnet ferdig 31.12.2027" in summary, url


# --- The demo doctors ----------------------------------------------------------------------------


@pytest.fixture
def demo(frozen, db):
    from demo.seed import load_demo_plans_and_supervision, load_demo_trainees, load_demo_users
    from goals.sample_catalogue import load_sample_catalogue

    load_demo_users()
    load_sample_catalogue()
    load_demo_trainees()
    load_demo_plans_and_supervision()


def test_the_demo_doctors_parental_leave_adds_no_supervision_owed(demo, client_for):
    from accounts.models import User
    from offices.models import Office
    from trainees.models import Trainee

    vest = Office.objects.get(slug="vest")
    doctor = User.objects.get(email="alis.masfjorden@demo.alis.no")
    with scope(office=vest):
        anna = Trainee.objects.get(office=vest, user=doctor)
        s = standing(anna)
    # Service from 1 Aug 2024: August 2024–January 2025 full time (6 months), 89 days of
    # parental leave February–April 2025 (no service), from May 2025 60 % + 40 % = full time:
    # May 2025–October 2026 (18 months) and 23/30 of November = 24 23/30 months × 3.5 h
    # = 86.68 h. Counting the leave months too would ask 10.5 h more (97.18 h).
    assert s.compliance.required == Fraction(7, 2) * (24 + Fraction(23, 30))
    page = client_for(doctor).get("/vest/min-plan/krav/").content.decode()
    row = re.search(r'(?s)data-requirement="supervision".*?</tr>', page).group(0)
    assert " av 86,7 t hittil" in row


def test_every_page_and_report_agrees_for_every_demo_doctor(demo, client_for):
    from accounts.models import User
    from notifications.reminders import supervision_behind
    from offices.models import Office
    from reports.selectors import projected_completions, regional_figures
    from trainees.models import Trainee
    from trainees.selectors import IN_TRAINING

    logins = {
        "vest": ("alis.masfjorden", "leder.masfjorden", "koordinator.vest"),
        "nord": ("alis.vadso", "leder.vadso", "koordinator.nord"),
    }
    for slug, (doctor_login, leader_login, coordinator_login) in logins.items():
        office = Office.objects.get(slug=slug)
        doctor, leader, coordinator = (
            User.objects.get(email=f"{login}@demo.alis.no")
            for login in (doctor_login, leader_login, coordinator_login)
        )
        with scope(office=office):
            trainees = list(Trainee.objects.filter(office=office, status__in=IN_TRAINING))
            batch = standings(trainees, TODAY)
            one = {t.pk: standing(t, TODAY) for t in trainees}
            own = Trainee.objects.get(office=office, user=doctor)
        # The batch read and the single read give the same answer for every doctor.
        for t in trainees:
            assert _expected(batch[t.pk]) == _expected(one[t.pk]), t
            assert batch[t.pk].requirements == one[t.pk].requirements, t
        expected = {pk: _expected(s) for pk, s in one.items()}
        # The doctor's own pages.
        client = client_for(doctor)
        for url in (f"/{slug}/min-plan/krav/", f"/{slug}/min-plan/", f"/{slug}/lege/"):
            assert _summary(client.get(url).content.decode()) == expected[own.pk], url
        # The leader's and the coordinator's pages of the doctor.
        for user in (leader, coordinator):
            _doctor_pages_agree(client_for(user), slug, own.pk, expected[own.pk])
        # The overviews, row by row, for every doctor of the office.
        _overviews_agree(client_for(coordinator), slug, trainees, one)
        # The report and the reminders count the same standings.
        with scope(office=office):
            started = [t for t in trainees if t.specialisation_start <= TODAY]
            figures = regional_figures(office, TODAY)
            years = projected_completions(office, TODAY)
            reminded = {r.subject for r in supervision_behind(office, TODAY)}
        assert figures["doctors_at_risk"] == sum(one[t.pk].at_risk for t in started)
        assert sum(years.values()) == len(started)
        assert years.get("ukjent", 0) == sum(
            one[t.pk].projected_completion is None for t in started
        )
        behind = {f"Veiledningen til {t.full_name} ligger etter" for t in trainees}
        assert (
            reminded
            == {
                f"Veiledningen til {t.full_name} ligger etter"
                for t in trainees
                if one[t.pk].supervision_behind
            }
            & behind
        )


def test_an_answer_is_computed_once_and_again_when_an_input_changes(vest, masfjorden, monkeypatch):
    """The engine's answer is kept per doctor under a digest of its inputs: the same inputs
    give the kept answer without computing, a new supervision session gives a new answer."""
    from plans import standing as module
    from trainees.services import session_create

    from .trainee_factories import make_trainee

    doctor = make_trainee(vest, masfjorden, specialisation_start=date(2024, 1, 1))
    with scope(office=vest):
        make_period(doctor, start=date(2024, 1, 1), end=None)
    module._RESULTS.clear()
    computed = []
    real = module.evaluate
    monkeypatch.setattr(module, "evaluate", lambda *a, **k: computed.append(1) or real(*a, **k))
    on = date(2025, 1, 1)

    with scope(office=vest):
        first = standing(doctor, on, with_goals=False)
        again = standing(doctor, on, with_goals=False)
    assert len(computed) == 1
    assert again.get("supervision").credited == first.get("supervision").credited == 0

    with scope(office=vest):
        session_create(
            office=vest, acting_user=None, trainee=doctor, day=date(2024, 6, 3), hours=Decimal("2")
        )
        after = standing(doctor, on, with_goals=False)
    assert len(computed) == 2
    assert after.get("supervision").credited == 2  # the one session of 2 hours
