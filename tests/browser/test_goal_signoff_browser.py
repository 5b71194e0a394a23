import re

import pytest
from django_scopes import scope

from goals import services as svc
from goals.models import GoalProgress
from goals.sample_catalogue import load_sample_catalogue
from municipalities.models import Municipality
from offices.models import Office
from offices.permissions import Role
from tests.conftest import member
from tests.factories import PASSWORD
from tests.progress_helpers import first_goals, link_supervisor, make_doctor
from trainees.models import SupervisorRole

from .conftest import accessible, log_in

pytestmark = pytest.mark.browser


def switch_user(page, email):
    page.context.clear_cookies()
    log_in(page, email, PASSWORD)
    accessible(page)


def test_doctor_submits_veileder_signs_and_advises_leader_approves(page):
    vest = Office.objects.get(slug="vest")
    masfjorden = Municipality.objects.get(number="4634")
    load_sample_catalogue()
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="liv@masfjorden.example.no")
    doctor_user = member(vest, Role.ALIS, masfjorden, email="anna@masfjorden.example.no")
    veileder = member(vest, Role.VEILEDER, masfjorden, email="vidar@masfjorden.example.no")
    supervisor = member(vest, Role.SUPERVISOR, masfjorden, email="siri@masfjorden.example.no")
    doctor = make_doctor(vest, masfjorden, user=doctor_user)
    link_supervisor(doctor, veileder)
    link_supervisor(doctor, supervisor, SupervisorRole.SUPERVISOR, name="Siri Sande")
    goal = first_goals(1)[0]

    switch_user(page, "anna@masfjorden.example.no")
    page.goto("/vest/framdrift/")
    accessible(page)
    page.get_by_role("link", name="Registrer læringsaktivitet").click()
    accessible(page)
    page.get_by_label("Læringsmål").select_option(str(goal.pk))
    page.get_by_label("Type aktivitet").select_option("klinisk")
    page.get_by_label("Dato").fill("2025-03-01")
    page.get_by_label("Beskrivelse").fill("Tjue konsultasjoner med diabetes")
    page.get_by_role("button", name="Lagre aktivitet").click()
    page.wait_for_url(re.compile(r"/vest/framdrift/$"))
    accessible(page)
    page.get_by_role("link", name=goal.code, exact=True).click()
    accessible(page)
    page.get_by_role("button", name="Lever målet til godkjenning").click()
    page.wait_for_load_state("load")
    accessible(page)
    assert page.get_by_text("Målet er levert til godkjenning.").is_visible()

    with scope(office=vest):
        progress = GoalProgress.objects.get(trainee=doctor, goal=goal)
    svc.goal_advise(
        office=vest, acting_user=supervisor, progress=progress, text="Enig", recommend=True
    )

    switch_user(page, "vidar@masfjorden.example.no")
    page.goto("/vest/signering/")
    accessible(page)
    page.get_by_label(re.compile("Tjue konsultasjoner")).check()
    page.get_by_role("button", name="Signer valgte").click()
    page.wait_for_url(re.compile(r"/vest/signering/$"))
    accessible(page)
    assert page.get_by_text("1 aktivitet er signert.").is_visible()
    page.get_by_role("link", name=re.compile(goal.code)).click()
    accessible(page)
    page.get_by_label("Råd").fill("Trygg på dette målet")
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Gi råd").click()
    page.wait_for_url(re.compile(r"/vest/signering/$"))
    accessible(page)

    switch_user(page, "liv@masfjorden.example.no")
    page.goto("/vest/godkjenning/")
    accessible(page)
    page.get_by_role("link", name=re.compile(goal.code)).click()
    accessible(page)
    assert page.get_by_text("Trygg på dette målet").is_visible()
    page.get_by_role("button", name="Godkjenn målet").click()
    page.wait_for_url(re.compile(r"/vest/godkjenning/$"))
    accessible(page)
    assert page.get_by_text("Målet er godkjent.").is_visible()
