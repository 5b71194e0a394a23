import re

import pytest
from django_scopes import scope

from municipalities.models import Municipality
from offices.permissions import Role
from tests.conftest import member
from tests.factories import PASSWORD
from tests.trainee_factories import make_trainee

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def test_leader_makes_a_plan_version_doctor_acknowledges_leader_approves(page, vest):
    masfjorden = Municipality.objects.get(number="4634")
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    doctor_user = member(vest, Role.ALIS, masfjorden, email="kari@masfjorden.example.no")
    trainee = make_trainee(vest, masfjorden, first_name="Kari", last_name="Nordmann")
    with scope(office=vest):
        trainee.user = doctor_user
        trainee.save()

    log_in(page, "liv@masfjorden.example.no", PASSWORD)
    accessible(page)
    page.goto(f"/vest/leger/{trainee.pk}/plan/")
    accessible(page)
    page.get_by_role("link", name="Lag planen").click()
    page.wait_for_url(re.compile(r"/plan/ny-versjon/$"))
    accessible(page)
    page.get_by_label("Tidligere kompetanse").fill("LIS1 i Bergen 2022–2023")
    page.locator("#id_arena-0-arena").select_option("allmennpraksis")
    page.locator("#id_arena-0-place").fill("Masfjorden legekontor")
    page.locator("#id_arena-0-start").fill("2024-01-01")
    page.locator("#id_arena-0-end").fill("2028-06-30")
    page.get_by_role("button", name="Lagre ny versjon").click()
    page.wait_for_url(re.compile(r"/plan/$"))
    accessible(page)
    assert page.get_by_text("Utkast").first.is_visible()

    page.context.clear_cookies()
    log_in(page, "kari@masfjorden.example.no", PASSWORD)
    accessible(page)
    page.goto("/vest/min-plan/")
    accessible(page)
    page.get_by_role("button", name="Bekreft versjon 1").click()
    page.wait_for_url(re.compile(r"/min-plan/$"))
    accessible(page)
    assert page.get_by_text("Bekreftet av legen").first.is_visible()

    page.context.clear_cookies()
    log_in(page, "liv@masfjorden.example.no", PASSWORD)
    accessible(page)
    page.goto(f"/vest/leger/{trainee.pk}/plan/")
    accessible(page)
    page.get_by_role("button", name="Godkjenn versjon 1").click()
    page.wait_for_url(re.compile(r"/plan/$"))
    accessible(page)
    assert page.get_by_text("Godkjent av leder").first.is_visible()


def test_supervision_pages_are_accessible(page, vest):
    from datetime import date
    from decimal import Decimal

    from tests.trainee_factories import make_group, make_plan_version
    from trainees import services

    masfjorden = Municipality.objects.get(number="4634")
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    trainee = make_trainee(vest, masfjorden, first_name="Kari", last_name="Nordmann")
    services.session_create(
        office=vest,
        acting_user=None,
        trainee=trainee,
        day=date(2024, 3, 5),
        hours=Decimal("2"),
        topics="Legevakt",
        minutes="Privat",
    )
    group = make_group(vest, [trainee])
    make_plan_version(trainee, supervisors="Sara")
    make_plan_version(trainee, supervisors="Sara og Per")

    log_in(page, "liv@masfjorden.example.no", PASSWORD)
    accessible(page)
    for url in (
        "/vest/veiledningsoversikt/",
        f"/vest/leger/{trainee.pk}/veiledningslogg/",
        f"/vest/leger/{trainee.pk}/veiledningslogg/ny/",
        f"/vest/veiledningsgrupper/{group.pk}/moter/",
        f"/vest/leger/{trainee.pk}/plan/sammenlign/?fra=1&til=2",
        f"/vest/leger/{trainee.pk}/plan/1/",
    ):
        page.goto(url)
        accessible(page)
    assert page.get_by_role("heading", level=1).is_visible()
