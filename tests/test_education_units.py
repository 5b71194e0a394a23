"""Municipalities as education units: registration, decision, general plan, agreements."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from accounts.models import Membership
from municipalities import services
from municipalities.models import (
    CooperationAgreement,
    EducationPlan,
    EducationUnitRegistration,
    Municipality,
)
from municipalities.tasks import send_registration_emails
from offices.permissions import Role
from tests.conftest import PDF_BYTES, REGISTRATION_DATA, member, pdf_upload
from tests.factories import UserFactory


def form_data(municipality, **overrides):
    return {"municipality": municipality.pk, **REGISTRATION_DATA, **overrides}


def registrations():
    # Cross-office on purpose: tests look at every row, whatever office it went to.
    with scopes_disabled():
        return list(EducationUnitRegistration.objects.all())


@pytest.fixture
def health_chief(db):
    """Signed up on their own: no memberships anywhere."""
    return UserFactory(email="helsesjef@masfjorden.example.no")


def submit(client, municipality, **overrides):
    return client.post("/registrering/", form_data(municipality, **overrides))


# --- Registration --------------------------------------------------------------------------------


def test_health_chief_registers_and_coordinator_approves(
    client, client_for, health_chief, coordinator_vest, masfjorden, vest,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = client_for(health_chief)
    home = client.get("/hjem/")
    assert "Registrer kommunen som utdanningsvirksomhet" in home.content.decode()
    assert client.get("/registrering/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, masfjorden, org_number="964 338 531")
    assert response.status_code == 302
    [registration] = registrations()
    assert (registration.office, registration.status) == (vest, "pending")
    assert registration.org_number == "964338531"
    # Both sides hear about it: a receipt to the applicant, a notice to the office.
    assert len(mail.outbox) == 2
    to_applicant, to_office = mail.outbox
    # The contact address typed into the form is not verified: it gets nothing (issue 10).
    assert set(to_applicant.to) == {health_chief.email}
    assert "mottatt" in to_applicant.subject
    assert coordinator_vest.email in to_office.to and "post@alis-vest.no" in to_office.to
    assert f"/vest/registreringer/{registration.pk}/" in to_office.body
    assert "Venter på behandling" in client.get("/registrering/").content.decode()

    mail.outbox.clear()
    client = client_for(coordinator_vest)
    municipality_page = client.get("/vest/kommuner/4634/").content.decode()
    assert f'href="/vest/registreringer/{registration.pk}/">Behandle registreringen' in (
        municipality_page
    )
    listing = client.get("/vest/registreringer/").content.decode()
    assert "Masfjorden (4634)" in listing
    assert client.get(f"/vest/registreringer/{registration.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/vest/registreringer/{registration.pk}/", {"action": "approve"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "approved" and registration.decided_by == coordinator_vest
    assert Membership.objects.filter(
        user=health_chief, office=vest, role=Role.MUNICIPAL_LEADER, municipality=masfjorden
    ).exists()
    assert len(mail.outbox) == 2
    to_applicant, to_office = mail.outbox
    assert health_chief.email in to_applicant.to and "godkjent" in to_applicant.subject
    assert coordinator_vest.email in to_office.to and "godkjent" in to_office.subject
    assert "/vest/kommuner/4634/" in to_applicant.body

    # The chief is now the municipality's leader: home leads to their inbox, which starts
    # them on the checklist and links the municipality's page.
    client = client_for(health_chief)
    response = client.get("/hjem/", follow=True)
    assert response.redirect_chain[-1][0] == "/vest/innboks/"
    assert "Kom i gang" in response.content.decode()
    assert "/vest/kommuner/4634/" in response.content.decode()
    # The checklist's first step is the general plan.
    assert "Skriv den generelle utdanningsplanen" in response.content.decode()
    municipality_page = client.get("/vest/kommuner/4634/").content.decode()
    assert "Godkjent" in municipality_page and "Lag planen" in municipality_page


def test_wrong_check_digit_is_explained_nothing_saved_input_kept(
    client_for, health_chief, masfjorden
):
    response = submit(client_for(health_chief), masfjorden, org_number="964338532")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Organisasjonsnummeret er ikke gyldig (kontrollsifferet stemmer ikke)." in page
    assert registrations() == []
    assert 'value="964338532"' in page
    assert 'value="Liv Lunde"' in page
    assert f'<option value="{masfjorden.pk}" selected>' in page


def test_orgnr_of_wrong_length_has_its_own_message(client_for, health_chief, masfjorden):
    page = submit(client_for(health_chief), masfjorden, org_number="12345").content.decode()
    assert "Organisasjonsnummeret må være ni sifre" in page
    assert registrations() == []


def test_second_registration_refused_when_one_is_approved(
    client_for, masfjorden_unit, health_chief, masfjorden
):
    page = submit(client_for(UserFactory()), masfjorden).content.decode()
    assert "allerede godkjent som utdanningsvirksomhet" in page
    assert len(registrations()) == 1


def test_same_user_cannot_duplicate_a_pending_registration(client_for, health_chief, masfjorden):
    client = client_for(health_chief)
    assert submit(client, masfjorden).status_code == 302
    page = submit(client, masfjorden).content.decode()
    assert "venter på behandling" in page
    assert len(registrations()) == 1


def test_approval_refused_when_another_was_approved_meanwhile(
    client_for, coordinator_vest, masfjorden, vest
):
    first = services.unit_registration_submit(
        acting_user=UserFactory(), municipality=masfjorden, **REGISTRATION_DATA
    )
    second = services.unit_registration_submit(
        acting_user=UserFactory(), municipality=masfjorden, **REGISTRATION_DATA
    )
    services.unit_registration_approve(
        office=vest, acting_user=coordinator_vest, registration=first
    )
    response = client_for(coordinator_vest).post(
        f"/vest/registreringer/{second.pk}/", {"action": "approve"}
    )
    assert response.status_code == 200
    assert "allerede godkjent som utdanningsvirksomhet" in response.content.decode()
    second.refresh_from_db()
    assert second.status == "pending"
    assert not Membership.objects.filter(user=second.applicant).exists()


def test_reject_needs_a_reason_and_tells_both_sides(
    client_for, coordinator_vest, health_chief, masfjorden, django_capture_on_commit_callbacks
):
    registration = services.unit_registration_submit(
        acting_user=health_chief, municipality=masfjorden, **REGISTRATION_DATA
    )
    client = client_for(coordinator_vest)
    url = f"/vest/registreringer/{registration.pk}/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "reject", "reason": "  "})
    assert response.status_code == 200
    assert "Skriv en begrunnelse" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "pending" and mail.outbox == []

    reason = "Organisasjonsnummeret hører til et annet foretak."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "reject", "reason": reason})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "rejected" and registration.rejection_reason == reason
    assert [health_chief.email in m.to for m in mail.outbox] == [True, False]
    assert all(reason in m.body for m in mail.outbox)
    assert not Membership.objects.filter(user=health_chief).exists()
    # A rejected registration can be followed by a new one.
    assert submit(client_for(health_chief), masfjorden).status_code == 302


def test_decided_registration_cannot_be_decided_again(
    client_for, coordinator_vest, masfjorden_unit
):
    url = f"/vest/registreringer/{masfjorden_unit['registration'].pk}/"
    response = client_for(coordinator_vest).post(url, {"action": "reject", "reason": "Nei"})
    assert "allerede behandlet" in response.content.decode()
    masfjorden_unit["registration"].refresh_from_db()
    assert masfjorden_unit["registration"].status == "approved"


def test_leader_and_doctor_cannot_decide_registrations(
    client_for, leader_masfjorden, alis_masfjorden, masfjorden_unit
):
    for user in (leader_masfjorden, alis_masfjorden):
        client = client_for(user)
        assert client.get("/vest/registreringer/").status_code == 403
        url = f"/vest/registreringer/{masfjorden_unit['registration'].pk}/"
        assert client.post(url, {"action": "approve"}).status_code == 403


def test_email_task_stays_in_its_office(masfjorden_unit, nord):
    with pytest.raises(EducationUnitRegistration.DoesNotExist):
        send_registration_emails(nord.pk, masfjorden_unit["registration"].pk, "approved")
    assert mail.outbox == []


# --- Office routes work for the office (so the outsiders' 404 is about access) -------------------


def arena_post(arenas, note="", initial=0):
    data = {
        "note": note,
        "arena-TOTAL_FORMS": str(len(arenas)),
        "arena-INITIAL_FORMS": str(initial),
        "arena-MIN_NUM_FORMS": "0",
        "arena-MAX_NUM_FORMS": "1000",
    }
    for i, arena in enumerate(arenas):
        for key, value in arena.items():
            data[f"arena-{i}-{key}"] = value
    return data


def test_leader_edits_plan_and_old_versions_stay_readable(
    client_for, leader_masfjorden, masfjorden_unit
):
    client = client_for(leader_masfjorden)
    edit = client.get("/vest/kommuner/4634/utdanningsplan/endre/").content.decode()
    assert 'value="Masfjorden legekontor"' in edit  # pre-filled from version 1
    agreement = masfjorden_unit["agreement"]
    response = client.post(
        "/vest/kommuner/4634/utdanningsplan/endre/",
        arena_post(
            [
                {
                    "arena_type": "allmennpraksis",
                    "name": "Masfjorden legesenter",
                    "goal_codes": "alm-001, ALM-002",
                },
                {
                    "arena_type": "institusjon",
                    "name": "Haukeland universitetssjukehus",
                    "agreement": agreement.pk,
                    "goal_codes": "ALM-055",
                    "DELETE": "on",
                },
                {"arena_type": "legevakt", "name": "Nordhordland legevakt", "goal_codes": ""},
            ],
            note="Nytt navn på legekontoret, legevakt lagt til",
            initial=2,
        ),
    )
    assert response.status_code == 302
    with scope(office=masfjorden_unit["plan"].office):
        plans = list(EducationPlan.objects.order_by("version"))
        assert [p.version for p in plans] == [1, 2]
        assert [(a.name, a.goal_codes) for a in plans[1].arenas.all()] == [
            ("Masfjorden legesenter", ["ALM-001", "ALM-002"]),
            ("Nordhordland legevakt", []),
        ]
        assert plans[1].created_by == leader_masfjorden
    old = client.get("/vest/kommuner/4634/utdanningsplan/1/").content.decode()
    assert "Masfjorden legekontor" in old and "Haukeland" in old
    assert "eldre versjon" in old
    new = client.get("/vest/kommuner/4634/utdanningsplan/2/").content.decode()
    assert "Masfjorden legesenter" in new and "eldre versjon" not in new
    versions = client.get("/vest/kommuner/4634/utdanningsplan/").content.decode()
    assert "Versjon 1" in versions and "Versjon 2" in versions
    assert "legevakt lagt til" in versions


def test_plan_rejects_bad_goal_codes_and_keeps_input(client_for, coordinator_vest, masfjorden):
    response = client_for(coordinator_vest).post(
        "/vest/kommuner/4634/utdanningsplan/endre/",
        arena_post([{"arena_type": "sykehjem", "name": "Sætre sjukeheim", "goal_codes": "ALM-1"}]),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Disse kodene er ikke gyldige: ALM-1" in page
    assert 'value="Sætre sjukeheim"' in page
    with scope(office=masfjorden.office):
        assert not EducationPlan.objects.exists()


def test_leader_of_another_municipality_cannot_edit(client_for, masfjorden_unit, vest):
    fedje = Municipality.objects.get(number="4633")
    other_leader = member(vest, Role.MUNICIPAL_LEADER, fedje)
    client = client_for(other_leader)
    agreement = masfjorden_unit["agreement"]
    for url in (
        "/vest/kommuner/4634/",
        "/vest/kommuner/4634/utdanningsplan/",
        "/vest/kommuner/4634/utdanningsplan/1/",
        "/vest/kommuner/4634/utdanningsplan/endre/",
        "/vest/kommuner/4634/samarbeidsavtaler/ny/",
        f"/vest/kommuner/4634/samarbeidsavtaler/{agreement.pk}/dokument/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        "/vest/kommuner/4634/utdanningsplan/endre/",
        arena_post([{"arena_type": "sykehjem", "name": "X", "goal_codes": ""}]),
    )
    assert response.status_code == 403
    with scope(office=vest):
        assert EducationPlan.objects.count() == 1


def test_doctor_cannot_edit_or_download(client_for, alis_masfjorden, masfjorden_unit):
    client = client_for(alis_masfjorden)
    agreement = masfjorden_unit["agreement"]
    assert client.get("/vest/kommuner/4634/utdanningsplan/endre/").status_code == 403
    url = f"/vest/kommuner/4634/samarbeidsavtaler/{agreement.pk}/dokument/"
    assert client.get(url).status_code == 403


# --- Cooperation agreements ----------------------------------------------------------------------


def agreement_post(document, **overrides):
    return {
        "counterparty_type": "helseforetak",
        "counterparty_name": "Helse Førde HF",
        "arena_types": ["institusjon", "legevakt"],
        "start": "2025-08-01",
        "end": "2027-07-31",
        "document": document,
        **overrides,
    }


def agreements_for(office):
    with scope(office=office):
        return list(CooperationAgreement.objects.all())


def test_leader_adds_agreement_and_downloads_document(client_for, leader_masfjorden, vest):
    client = client_for(leader_masfjorden)
    response = client.post(
        "/vest/kommuner/4634/samarbeidsavtaler/ny/", agreement_post(pdf_upload("Signert.pdf"))
    )
    assert response.status_code == 302
    [agreement] = agreements_for(vest)
    assert agreement.arena_types == ["institusjon", "legevakt"]
    page = client.get("/vest/kommuner/4634/").content.decode()
    assert "Helse Førde HF" in page and "Institusjon (sykehus o.l.), Legevakt" in page
    download = client.get(f"/vest/kommuner/4634/samarbeidsavtaler/{agreement.pk}/dokument/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "Signert.pdf" in download["Content-Disposition"]


def test_agreement_with_another_municipality(client_for, coordinator_vest, vest):
    gulen = Municipality.objects.get(number="4635")
    response = client_for(coordinator_vest).post(
        "/vest/kommuner/4634/samarbeidsavtaler/ny/",
        agreement_post(
            pdf_upload(), counterparty_type="kommune", counterparty_name="",
            counterparty_municipality=gulen.pk, arena_types=["legevakt"],
        ),
    )  # fmt: skip
    assert response.status_code == 302
    [agreement] = agreements_for(vest)
    assert agreement.counterparty == "Gulen kommune"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf_upload("avtale.docx"), "Dokumentet må være en PDF-fil"),
        (pdf_upload("avtale.pdf", b"PK\x03\x04 not a pdf"), "Filen er ikke en PDF"),
        (
            pdf_upload("stor.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024)),
            "Filen er for stor (10,0 MB). Største tillatte størrelse er 10 MB.",
        ),
    ],
    ids=["extension", "content", "size"],
)
def test_upload_rejects_non_pdf_and_oversize(client_for, coordinator_vest, vest, upload, message):
    response = client_for(coordinator_vest).post(
        "/vest/kommuner/4634/samarbeidsavtaler/ny/", agreement_post(upload)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Helse Førde HF"' in page  # the rest of the form is kept
    assert agreements_for(vest) == []


def test_agreement_period_must_be_in_order(client_for, coordinator_vest, vest):
    response = client_for(coordinator_vest).post(
        "/vest/kommuner/4634/samarbeidsavtaler/ny/",
        agreement_post(pdf_upload(), start="2026-01-01", end="2025-01-01"),
    )
    assert "Sluttdatoen kan ikke være før startdatoen." in response.content.decode()
    assert agreements_for(vest) == []


# --- Overview and moves --------------------------------------------------------------------------


def test_dashboard_shows_each_municipality_status(client_for, coordinator_vest, masfjorden_unit):
    fedje, gulen = Municipality.objects.filter(number__in=["4633", "4635"]).order_by("number")
    services.unit_registration_submit(
        acting_user=UserFactory(), municipality=fedje, **REGISTRATION_DATA
    )
    rejected = services.unit_registration_submit(
        acting_user=UserFactory(), municipality=gulen, **REGISTRATION_DATA
    )
    services.unit_registration_reject(
        office=gulen.office, acting_user=coordinator_vest, registration=rejected, reason="Feil"
    )
    page = client_for(coordinator_vest).get("/vest/?fylke=Vestland").content.decode()
    approved_on = masfjorden_unit["registration"].decided_at
    rows = {
        name: page.split(f">{name}</a></td>")[1].split("</tr>")[0]
        for name in ("Masfjorden", "Fedje", "Gulen", "Bergen")
    }
    assert f"Godkjent {approved_on.astimezone().day}." in rows["Masfjorden"]
    assert "Venter på behandling" in rows["Fedje"]
    assert "Avslått" in rows["Gulen"]
    assert "Ikke registrert" in rows["Bergen"]


def test_unit_follows_a_moved_municipality(masfjorden_unit, masfjorden, nord, vest):
    services.municipalities_move(numbers=["4634"], to_office=nord)
    with scope(office=nord):
        assert EducationUnitRegistration.objects.filter(municipality=masfjorden).count() == 1
        assert EducationPlan.objects.get(municipality=masfjorden).arenas.count() == 2
        assert CooperationAgreement.objects.filter(municipality=masfjorden).count() == 1
    with scope(office=vest):
        assert not EducationUnitRegistration.objects.exists()


# --- Query counts do not grow with rows ----------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def more_rows(vest, coordinator_vest, masfjorden):
    """Ten more registrations, agreements and arenas in Vest."""
    others = Municipality.objects.filter(office=vest).exclude(pk=masfjorden.pk)[:10]
    agreements = []
    for m in others:
        services.unit_registration_submit(
            acting_user=UserFactory(), municipality=m, **REGISTRATION_DATA
        )
        agreements.append(
            services.cooperation_agreement_create(
                office=vest,
                acting_user=coordinator_vest,
                municipality=masfjorden,
                counterparty_type="kommune",
                counterparty_municipality=m,
                arena_types=["legevakt"],
                start="2025-01-01",
                document=pdf_upload(),
            )
        )
    services.education_plan_create_version(
        office=vest,
        acting_user=coordinator_vest,
        municipality=masfjorden,
        arenas=[
            {"arena_type": "legevakt", "name": f"Legevakt {a.pk}", "agreement": a}
            for a in agreements
        ],
    )


PAGES = {
    "/vest/": 9,
    "/vest/registreringer/": 6,
    "/vest/kommuner/4634/": 11,
    "/vest/kommuner/4634/utdanningsplan/": 6,
    "/vest/kommuner/4634/utdanningsplan/1/": 8,
    "/vest/kommuner/4634/utdanningsplan/endre/": 9,
}


def test_query_counts_are_pinned_and_do_not_grow(
    client_for, coordinator_vest, masfjorden_unit, vest, masfjorden,
    django_assert_max_num_queries,
):  # fmt: skip
    client = client_for(coordinator_vest)
    before = {url: count_queries(client, url) for url in PAGES}
    more_rows(vest, coordinator_vest, masfjorden)
    for url, pinned in PAGES.items():
        with django_assert_max_num_queries(pinned):
            client.get(url.replace("utdanningsplan/1/", "utdanningsplan/2/"))
        after = count_queries(client, url.replace("utdanningsplan/1/", "utdanningsplan/2/"))
        assert after == before[url], url


def test_admin_lists_units_across_offices_read_only(client, masfjorden_unit):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    for name, obj in [
        ("educationunitregistration", masfjorden_unit["registration"]),
        ("educationplan", masfjorden_unit["plan"]),
        ("cooperationagreement", masfjorden_unit["agreement"]),
    ]:
        listing = client.get(f"/admin/municipalities/{name}/")
        assert listing.status_code == 200 and "Masfjorden" in listing.content.decode()
        assert client.get(f"/admin/municipalities/{name}/{obj.pk}/change/").status_code == 200
        assert client.get(f"/admin/municipalities/{name}/{obj.pk}/history/").status_code == 200
        assert client.get(f"/admin/municipalities/{name}/add/").status_code == 403


# --- Issue 10: no take-over by registration; unverified addresses get nothing ---------------------


def test_registration_refused_when_the_municipality_has_an_active_leader(
    client_for, health_chief, masfjorden, leader_masfjorden
):
    page = submit(client_for(health_chief), masfjorden).content.decode()
    assert "Masfjorden har allerede en aktiv kommunal leder i ALIS" in page
    assert leader_masfjorden.email not in page
    assert registrations() == []
    # The leader themself may still register.
    assert submit(client_for(leader_masfjorden), masfjorden).status_code == 302


def test_verified_contact_address_gets_the_receipt(
    client_for, health_chief, masfjorden, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=health_chief, email=REGISTRATION_DATA["contact_email"], verified=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(client_for(health_chief), masfjorden)
    assert set(mail.outbox[0].to) == {health_chief.email, REGISTRATION_DATA["contact_email"]}


def test_a_leader_given_access_after_the_registration_is_flagged_and_blocks_approval(
    client, health_chief, coordinator_vest, vest, masfjorden, django_capture_on_commit_callbacks
):
    from django.test import Client

    applicant = Client()
    applicant.force_login(health_chief)
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(applicant, masfjorden).status_code == 302
    [registration] = registrations()
    # Meanwhile the office gives someone else the leader role for Masfjorden.
    member(vest, Role.MUNICIPAL_LEADER, masfjorden, email="ny.leder@masfjorden.example.no")
    office = Client()
    office.force_login(coordinator_vest)
    url = f"/vest/registreringer/{registration.pk}/"
    page = office.get(url).content.decode()
    assert "Konflikt: kommunen har allerede en aktiv leder" in page
    assert "ny.leder@masfjorden.example.no" in page
    response = office.post(url, {"action": "approve"})
    assert response.status_code == 200
    assert "har fått en aktiv kommunal leder" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "pending"
    assert not Membership.objects.filter(user=health_chief, role=Role.MUNICIPAL_LEADER).exists()
    # Declining still works, with the reason.
    response = office.post(url, {"action": "reject", "reason": "Kommunen har allerede leder."})
    assert response.status_code == 302


def _registration_by(user, masfjorden, **data):
    with scopes_disabled():
        return services.unit_registration_submit(
            acting_user=user, municipality=masfjorden, **{**REGISTRATION_DATA, **data}
        )


def test_addresses_get_registration_mail_only_when_verified_whatever_their_case(
    health_chief, masfjorden, vest, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=health_chief, email="Kari.Kontakt@Masfjorden.example.no", verified=True
    )
    with django_capture_on_commit_callbacks(execute=False):
        registration = _registration_by(health_chief, masfjorden)
    send_registration_emails.delay(vest.pk, registration.pk, "submitted")
    assert set(mail.outbox[0].to) == {health_chief.email, REGISTRATION_DATA["contact_email"]}


def test_an_unverified_account_address_gets_nothing(
    health_chief, masfjorden, vest, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=health_chief).update(verified=False)
    with django_capture_on_commit_callbacks(execute=False):
        registration = _registration_by(health_chief, masfjorden)
    send_registration_emails.delay(vest.pk, registration.pk, "submitted")
    recipients = {address for message in mail.outbox for address in message.to}
    assert health_chief.email not in recipients
    assert REGISTRATION_DATA["contact_email"] not in recipients
    assert "post@alis-vest.no" in recipients  # the office side still hears about it
