"""Nobody sees another office's data. Every route is classified; office routes 404 for outsiders."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import ScopeError, scope

from accounts.access import LOGIN, PUBLIC
from accounts.models import Invitation
from accounts.services import invitation_create

# Third-party route groups, classified as a whole by their prefix.
THIRD_PARTY_PREFIXES = {
    "admin/": "Django admin: staff only, guarded by admin itself",
    "konto/": "django-allauth: login, sign-up, password reset, MFA (public or own account)",
}


# One real object of the Vest office per URL argument, so outsiders are tested on real ids.
# A new URL argument without an entry here fails the suite.
def sample_kwargs(vest_objects):
    from goals.sample_catalogue import load_sample_catalogue

    from .trainee_factories import vest_trainee_objects

    trainees = vest_trainee_objects(vest_objects["municipality"])
    return {
        "number": vest_objects["municipality"].number,
        "trainee_id": trainees["trainee"].pk,
        "period_id": trainees["period"].pk,
        "assignment_id": trainees["assignment"].pk,
        "supervisor_id": trainees["supervisor"].pk,
        "group_id": trainees["group"].pk,
        "plan_version": trainees["plan_version"].number,
        "position_id": vest_objects["position"].pk,
        "medical_office_id": vest_objects["medical_office"].pk,
        "serial": vest_objects["confirmation"].serial,
        "registration_id": vest_objects["registration"].pk,
        "version": vest_objects["plan"].version,
        "cooperation_id": vest_objects["agreement"].pk,
        "agreement_id": vest_objects["alis_agreement"].pk,
        "template_id": vest_objects["template"].pk,
        "scheme_id": vest_objects["grant"]["scheme"].pk,
        "year": vest_objects["grant"]["claim"].year_start.year,
        "claim_id": vest_objects["grant"]["claim"].pk,
        "expense_id": vest_objects["grant"]["expense"].pk,
        "invoice_id": vest_objects["grant"]["invoice"].pk,
        "report_id": vest_objects["report"].pk,
        # The catalogue is national reference data (not office-owned): a real one all the same.
        "catalogue_id": load_sample_catalogue()[0].pk,
        # A staged import's key lives in the importer's session; outsiders are stopped before.
        "token": "eksempelnokkel",
        "goal_id": load_sample_catalogue()[0].goals.first().pk,
        "progress_id": _goal_progress(trainees["trainee"]).pk,
        "confirmation_id": vest_objects["confirmation"].pk,
        **_record_kwargs(trainees["trainee"]),
        **_event_kwargs(trainees["trainee"]),
        **_hospital_kwargs(trainees["trainee"]),
        "survey_id": _status_survey(vest_objects["position"]).pk,
        # Vest asks Midt (a third office) to take the doctor: Nord's coordinator gets 404.
        "transfer_id": _transfer_to_midt(trainees["trainee"]).pk,
        **_intake_kwargs(vest_objects["municipality"], trainees["trainee"].office),
        # A veileder's role in Vest (the members page, «Avslutt rolle»).
        "membership_id": _vest_membership(trainees["trainee"].office).pk,
        **_national_kwargs(trainees["trainee"].office),
    }


def _national_kwargs(vest):
    """A national meeting with an action item for Vest, a task and a routine with a version
    (national/): rows of all the offices together, not of one."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.core.files.base import ContentFile

    from national.models import ActionItem, Meeting, NationalTask, Routine, RoutineVersion

    meeting = Meeting.objects.create(
        title="Fellesmøte",
        starts_at=datetime(2026, 12, 8, 10, tzinfo=ZoneInfo("Europe/Oslo")),
        secretary_office=vest,
    )
    item = ActionItem.objects.create(
        meeting=meeting, text="Skriv utkast", owner_office=vest, due=date(2027, 1, 15)
    )
    task = NationalTask.objects.create(
        title="Kartlegg",
        responsible_office=vest,
        deadline=date(2027, 3, 1),
        assigned_by_office=vest,
    )
    routine = Routine.objects.create(title="Rutine", owner_office=vest, review_due=date(2027, 6, 1))
    version = RoutineVersion(routine=routine, number=1, body="Tekst", written_by_office=vest)
    version.attachment.save("v1.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {
        "meeting_id": meeting.pk,
        "action_id": item.pk,
        "task_id": task.pk,
        "routine_id": routine.pk,
        "version_id": version.pk,
    }


def _intake_kwargs(municipality, vest):
    """A decided Vest recruitment round with Masfjorden's application and offer (intake/)."""
    from .intake_helpers import decided_round

    return decided_round(vest, municipality)


def _vest_membership(vest):
    from offices.permissions import Role

    from .factories import MembershipFactory

    return MembershipFactory(office=vest, role=Role.VEILEDER)


def _transfer_to_midt(trainee):
    from datetime import date

    from municipalities.models import Municipality
    from trainees.services import transfer_request_create

    return transfer_request_create(
        office=trainee.office,
        acting_user=None,
        trainee=trainee,
        to_municipality=Municipality.objects.get(number="5001"),
        on=date(2027, 1, 1),
    )


def _record_kwargs(trainee):
    """A Vest application package and correction request (records/)."""
    from records.models import ApplicationPackage, CorrectionRequest

    with scope(office=trainee.office):
        package = ApplicationPackage.objects.create(office=trainee.office, trainee=trainee)
        correction = CorrectionRequest.objects.create(
            office=trainee.office, trainee=trainee, text="Feil dato"
        )
    return {"package_id": package.pk, "correction_id": correction.pk}


def _event_kwargs(trainee):
    """A Vest catalogue entry, event and sign-up (events/)."""
    from events.services import signup_create

    from .event_helpers import make_event

    event = make_event(trainee.office)
    signup = signup_create(office=trainee.office, acting_user=None, event=event, trainee=trainee)
    return {"activity_id": event.activity_id, "event_id": event.pk, "signup_id": signup.pk}


def _hospital_kwargs(trainee):
    """A Vest agreement with a trust and a booking of a place (hospital/)."""
    from .hospital_helpers import hospital_objects

    return hospital_objects(trainee)


def _status_survey(position):
    from positions.survey_services import status_survey_create

    return status_survey_create(office=position.office, acting_user=None, period="2026-11")


def _goal_progress(trainee):
    from goals.models import GoalProgress, GoalStatus
    from goals.sample_catalogue import load_sample_catalogue

    with scope(office=trainee.office):
        return GoalProgress.objects.create(
            office=trainee.office,
            trainee=trainee,
            goal=load_sample_catalogue()[0].goals.first(),
            status=GoalStatus.SUBMITTED,
            submission=1,
        )


def vest_objects_for(vest, coordinator, municipality):
    """Real objects of the Vest office, one per kind a URL can name."""
    from positions.services import medical_office_create, position_create

    medical_office = medical_office_create(
        office=vest,
        acting_user=coordinator,
        municipality=municipality,
        name="Masfjorden legekontor",
        ownership="kommunal",
    )
    position = position_create(
        office=vest,
        acting_user=coordinator,
        municipality=municipality,
        medical_office=medical_office,
        list_ceiling=800,
        employment_form="fastlonn",
        scheme="ny",
    )
    return {
        "municipality": municipality,
        "position": position,
        "medical_office": medical_office,
        "confirmation": _issued_confirmation(vest, coordinator, municipality),
        "report": _finished_report(vest, coordinator),
        **_agreement_objects(vest, municipality),
    }


def _agreement_objects(vest, municipality):
    from datetime import date

    from .agreement_helpers import make_agreement, make_trainee, office_template
    from .grant_helpers import vest_grant_objects

    trainee = make_trainee(vest, municipality, hpr="7654322")
    return {
        "alis_agreement": make_agreement(trainee, signed_on=date(2024, 8, 15)),
        "template": office_template(vest),
        "grant": vest_grant_objects(vest, None, municipality),
    }


def _issued_confirmation(vest, coordinator, municipality):
    from datetime import date

    from django.core.files.base import ContentFile

    from confirmations.models import Confirmation, Status
    from trainees.models import Trainee

    with scope(office=vest):
        trainee = Trainee.objects.create(
            office=vest,
            municipality=municipality,
            first_name="Test",
            last_name="Lege",
            email="t@example.no",
            hpr_number="000765432",
            specialisation_start=date(2024, 1, 1),
        )
        confirmation = Confirmation(
            office=vest,
            municipality=municipality,
            trainee=trainee,
            serial="ALIS-VEST-2026-00001",
            status=Status.ISSUED,
            signer_name="Test",
            requested_by=coordinator,
        )
        confirmation.pdf.save("t.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        confirmation.save()
    return confirmation


def _finished_report(vest, coordinator):
    from datetime import date

    from django.core.files.base import ContentFile

    from reports.models import Report, ReportStatus

    with scope(office=vest):
        report = Report(
            office=vest,
            kind="regional",
            period=date(2026, 6, 1),
            status=ReportStatus.DONE,
            progress=100,
            created_by=coordinator,
        )
        report.xlsx.save("r.xlsx", ContentFile(b"PK test"), save=False)
        report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        report.save()
    return report


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def all_routes():
    return list(walk(get_resolver().url_patterns))


def office_routes():
    return [(route, p) for route, p in all_routes() if route.startswith("<slug:office_slug>/")]


def test_every_route_is_classified():
    unclassified = []
    for route, pattern in all_routes():
        access = getattr(pattern.callback, "access", None)
        if access in (PUBLIC, LOGIN) or (isinstance(access, tuple) and access[0] == "office"):
            continue
        if route.startswith(tuple(THIRD_PARTY_PREFIXES)):
            continue
        unclassified.append(route)
    assert unclassified == [], "Ruter uten tilgangsklassifisering: " + ", ".join(unclassified)


def test_office_routes_are_office_permission_views():
    for route, pattern in office_routes():
        access = getattr(pattern.callback, "access", None)
        assert isinstance(access, tuple) and access[0] == "office", route


def _url_for(pattern, kwargs, office_slug):
    names = set(pattern.pattern.regex.groupindex) - {"office_slug"}
    missing = names - set(kwargs)
    assert not missing, (
        f"Mangler eksempelverdi for {missing} i {pattern.name}: legg til i sample_kwargs"
    )
    return reverse(
        pattern.name, kwargs={"office_slug": office_slug, **{k: kwargs[k] for k in names}}
    )


@pytest.fixture
def vest_route_kwargs(vest, coordinator_vest, masfjorden, masfjorden_unit):
    """A real Vest object for every URL argument of the office routes."""
    return sample_kwargs(
        {**vest_objects_for(vest, coordinator_vest, masfjorden), **masfjorden_unit}
    )


def test_own_coordinator_reaches_every_office_route_their_role_allows(
    client_for, coordinator_vest, vest_route_kwargs
):
    from offices.permissions import NATIONAL_PERMISSIONS, PERMISSIONS, Role

    client = client_for(coordinator_vest)
    for _route, pattern in office_routes():
        url = _url_for(pattern, vest_route_kwargs, "vest")
        perm = pattern.callback.access[1]
        # National permissions hold only while the office coordinates (Nord on the suite's day).
        allowed = Role.COORDINATOR in PERMISSIONS[perm] and perm not in NATIONAL_PERMISSIONS
        # 405: a POST-only action answered to a GET.
        expected = (200, 302, 405) if allowed else (403, 405)
        assert client.get(url).status_code in expected, url


def test_outsiders_get_404_on_every_office_route(
    client_for, coordinator_nord, leader_vadso, coordinator_vest, vest_route_kwargs
):
    kwargs = vest_route_kwargs
    routes = office_routes()
    assert len(routes) >= 5
    for outsider in (coordinator_nord, leader_vadso):
        client = client_for(outsider)
        for _route, pattern in routes:
            url = _url_for(pattern, kwargs, "vest")
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
    # The same URLs exist for the office's own coordinator (so the 404 above is about access).
    client = client_for(coordinator_vest)
    assert (
        client.get(
            _url_for(dict(office_routes())["<slug:office_slug>/"], kwargs, "vest")
        ).status_code
        == 200
    )


# URL arguments that name an office-owned row (or a municipality of the office). Catalogue and
# goal ids are national reference data; a staged import's token lives in the session.
OFFICE_OBJECT_ARGS = {
    "number",
    "trainee_id",
    "period_id",
    "assignment_id",
    "supervisor_id",
    "group_id",
    "plan_version",
    "position_id",
    "medical_office_id",
    "serial",
    "registration_id",
    "version",
    "cooperation_id",
    "agreement_id",
    "template_id",
    "report_id",
    "progress_id",
    "confirmation_id",
    "transfer_id",
    "membership_id",
    "activity_id",
    "event_id",
    "signup_id",
    "survey_id",
    "claim_id",
    "scheme_id",
    "expense_id",
    "invoice_id",
    "booking_id",
    "trust_agreement_id",
    "package_id",
    "correction_id",
    "round_id",
    "application_id",
    "offer_id",
}
# URL arguments that name no office's row, and why.
NATIONAL_ARGS = {
    "catalogue_id": "learning-goal catalogues are national reference data",
    "goal_id": "learning goals are national reference data",
    "token": "a staged import's token lives in the user's session",
    "year": "a grant year is a number, not a row (the scheme beside it is checked)",
    # National cooperation (national/): rows of all the offices together, read by every
    # office's coordinators; writes are checked against the coordinating role and the owner.
    "meeting_id": "a joint meeting of all the offices",
    "action_id": "an action item of a joint meeting (its owner office is checked when written)",
    "task_id": "a national task (its responsible office is checked when written)",
    "routine_id": "a shared routine of all the offices",
    "version_id": "a version of a shared routine",
}


def test_every_url_argument_is_an_office_row_or_explained():
    """A new route cannot skip the foreign-id test below by naming its argument differently."""
    names = set()
    for _route, pattern in office_routes():
        names |= set(pattern.pattern.regex.groupindex) - {"office_slug"}
    assert names - OFFICE_OBJECT_ARGS - set(NATIONAL_ARGS) == set()


def _form_with_foreign_ids(vest_route_kwargs, masfjorden):
    """A filled-in form that names Vest's rows in every field a form of ours may have."""
    data = {k: v for k, v in vest_route_kwargs.items() if k != "token"}
    data.update(
        municipality=masfjorden.pk,
        to_municipality=masfjorden.pk,
        trainee=vest_route_kwargs["trainee_id"],
        supervisor=vest_route_kwargs["supervisor_id"],
        group=vest_route_kwargs["group_id"],
        position=vest_route_kwargs["position_id"],
        on="2026-12-01",
        start="2026-12-01",
        day="2026-12-01",
        reason="Test",
        note="Test",
    )
    return data


def test_coordinator_in_own_office_gets_404_for_another_offices_ids(
    client_for, coordinator_nord, coordinator_vest, masfjorden, vest_route_kwargs
):
    """Nord's coordinator, in Nord's pages, names Vest's rows: GET and a real POST are both 404
    (also for POST-only actions, which must not answer 405 before checking the row); the same
    request in Vest's pages by Vest's coordinator is not 404, so the 404 is about the office."""
    data = _form_with_foreign_ids(vest_route_kwargs, masfjorden)
    nord, vest = client_for(coordinator_nord), client_for(coordinator_vest)
    checked = []
    for _route, pattern in office_routes():
        names = set(pattern.pattern.regex.groupindex) - {"office_slug"}
        if not names & OFFICE_OBJECT_ARGS:
            continue
        foreign = _url_for(pattern, vest_route_kwargs, "nord")
        own = _url_for(pattern, vest_route_kwargs, "vest")
        assert nord.get(foreign).status_code == 404, foreign
        assert nord.post(foreign, data).status_code == 404, foreign
        assert vest.get(own).status_code != 404, own
        checked.append(pattern.name)
    assert {
        "trainee_transfer",
        "period_delete",
        "confirmation_revoke",
        "transfer_detail",
        "member_end",
    } <= set(checked)


def test_anonymous_user_is_sent_to_login_from_office_pages(client, vest):
    response = client.get("/vest/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_unknown_office_is_404_like_a_foreign_one(client_for, coordinator_vest):
    assert client_for(coordinator_vest).get("/finnesikke/").status_code == 404


def test_a_municipality_of_another_office_is_404_inside_my_office(client_for, coordinator_vest):
    client = client_for(coordinator_vest)
    assert client.get("/vest/kommuner/4634/").status_code == 200
    # Vadsø exists, but belongs to Nord: in Vest's pages it does not exist.
    assert client.get("/vest/kommuner/5607/").status_code == 404


def test_query_on_office_owned_model_outside_a_scope_raises(
    db, vest, coordinator_vest, masfjorden, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invitation_create(
            office=vest,
            acting_user=coordinator_vest,
            email="ny@masfjorden.example.no",
            role="leder",
            municipality=masfjorden,
        )
    with pytest.raises(ScopeError):
        list(Invitation.objects.all())
    with pytest.raises(ScopeError):
        Invitation.objects.filter(email="ny@masfjorden.example.no").count()
    with scope(office=vest):
        assert Invitation.objects.count() == 1
    with scope(office=Invitation._meta.get_field("office").related_model.objects.get(slug="nord")):
        assert Invitation.objects.count() == 0


def test_member_without_the_role_gets_403_not_the_page(client_for, alis_masfjorden):
    client = client_for(alis_masfjorden)
    assert client.get("/vest/").status_code == 403
    assert client.get("/vest/min-plan/").status_code == 200


def test_leader_sees_own_municipality_only(client_for, leader_masfjorden):
    client = client_for(leader_masfjorden)
    assert client.get("/vest/kommuner/4634/").status_code == 200
    assert client.get("/vest/kommuner/4601/").status_code == 403
