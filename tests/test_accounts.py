"""Login by e-mail, each role's home, invitations and two-factor for coordinators."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from accounts.models import Invitation, Membership, User
from accounts.services import invitation_create
from offices.permissions import Role

from .conftest import member
from .factories import PASSWORD


def test_login_is_by_email_and_lands_on_the_role_home(client, coordinator_vest):
    response = client.post(
        "/konto/login/", {"login": "koordinator@vest.example.no", "password": PASSWORD}
    )
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.url == "/vest/innboks/"


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        # The working roles start in their inbox (issue 14); the doctor on "Hvor står jeg".
        ("coordinator_vest", "/vest/innboks/"),
        ("leader_masfjorden", "/vest/innboks/"),
        ("alis_masfjorden", "/vest/min-plan/krav/"),
        ("veileder_masfjorden", "/vest/innboks/"),
        ("leader_vadso", "/nord/innboks/"),
    ],
)
def test_each_role_lands_on_its_own_home(db, request, client_for, persona, home):
    client = client_for(request.getfixturevalue(persona))
    response = client.get("/hjem/")
    assert response.status_code == 302 and response.url == home
    assert client.get(home).status_code == 200


def test_alis_home_shows_empty_state_until_plans_exist(client_for, alis_masfjorden):
    page = client_for(alis_masfjorden).get("/vest/min-plan/").content.decode()
    assert "Du har ingen individuell utdanningsplan ennå" in page


def test_user_in_two_offices_chooses_where_to_start(client_for, vest, nord, vadso, masfjorden):
    user = member(vest, Role.SUPERVISOR, masfjorden, email="to.regioner@example.no")
    Membership.objects.create(user=user, office=nord, role=Role.SUPERVISOR, municipality=vadso)
    client = client_for(user)
    page = client.get("/hjem/").content.decode()
    assert "ALIS Vest" in page and "ALIS Nord" in page
    assert client.get("/vest/veiledning/").status_code == 200
    assert client.get("/nord/veiledning/").status_code == 200


def _invite(client, office_slug, **data):
    return client.post(f"/{office_slug}/invitasjoner/", data)


def _link_from_last_mail() -> str:
    body = mail.outbox[-1].body
    return re.search(r"http://\S+/invitasjon/(\S+)/", body).group(0)


def test_coordinator_invites_a_leader_who_signs_up_through_the_link(
    client, client_for, coordinator_vest, masfjorden, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(
            client_for(coordinator_vest),
            "vest",
            email="Ny.Leder@Masfjorden.example.no",
            role="leder",
            municipality=masfjorden.pk,
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.leder@masfjorden.example.no"]
    assert "kommunal leder" in message.body and "Masfjorden" in message.body
    assert "14 dager" in message.body
    link = _link_from_last_mail()
    path = link.split("127.0.0.1:8000")[1]

    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and "Opprett konto" in page.content.decode()
    # A mismatched password keeps what was typed and creates nothing.
    response = client.post(
        path,
        {"first_name": "Nora", "last_name": "Nes", "password1": "x-lang-nok-1", "password2": "y"},
    )
    assert "Passordene er ikke like" in response.content.decode()
    assert 'value="Nora"' in response.content.decode()
    assert not User.objects.filter(email="ny.leder@masfjorden.example.no").exists()

    response = client.post(
        path,
        {
            "first_name": "Nora",
            "last_name": "Nes",
            "password1": "fjord-og-fjell-2026",
            "password2": "fjord-og-fjell-2026",
        },
    )
    assert response.status_code == 302 and response.url == "/vest/innboks/"
    user = User.objects.get(email="ny.leder@masfjorden.example.no")
    assert user.emailaddress_set.get().verified
    assert Membership.objects.filter(
        user=user, role="leder", municipality=masfjorden, office__slug="vest"
    ).exists()
    assert client.get("/vest/kommuner/4634/").status_code == 200

    # The link is single-use.
    client.logout()
    reused = client.get(path)
    assert reused.status_code == 410
    assert "allerede brukt" in reused.content.decode()


def test_existing_user_logs_in_and_accepts(
    client_for, vest, coordinator_vest, masfjorden, alis_vadso
):
    _inv, token = invitation_create(
        office=vest,
        acting_user=coordinator_vest,
        email=alis_vadso.email,
        role=Role.MUNICIPAL_LEADER,
        municipality=masfjorden,
    )
    client = client_for(alis_vadso)
    response = client.post(f"/invitasjon/{token}/")
    assert response.url == "/vest/innboks/"
    assert client.get("/vest/kommuner/4634/").status_code == 200


def test_invitation_cannot_be_accepted_by_another_account(
    client_for, vest, coordinator_vest, masfjorden, alis_vadso
):
    _inv, token = invitation_create(
        office=vest,
        acting_user=coordinator_vest,
        email="ny.leder@masfjorden.example.no",
        role=Role.MUNICIPAL_LEADER,
        municipality=masfjorden,
    )
    client = client_for(alis_vadso)  # logged in as someone else, who got hold of the link
    page = client.get(f"/invitasjon/{token}/")
    assert page.status_code == 403
    text = page.content.decode()
    assert "Invitasjonen ble sendt til ny.leder@masfjorden.example.no" in text
    assert f"du er logget inn som {alis_vadso.email}" in text
    assert "Godta invitasjonen" not in text
    assert client.post(f"/invitasjon/{token}/").status_code == 403
    assert not Membership.objects.filter(user=alis_vadso, office=vest).exists()
    with scope(office=vest):
        assert Invitation.objects.get().accepted_at is None


def test_expired_link_gets_a_clear_message(client, vest, coordinator_vest, masfjorden):
    invitation, token = invitation_create(
        office=vest,
        acting_user=coordinator_vest,
        email="sen@example.no",
        role=Role.MUNICIPAL_LEADER,
        municipality=masfjorden,
    )
    with scope(office=vest):
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    response = client.get(f"/invitasjon/{token}/")
    assert response.status_code == 410
    assert "utløpt" in response.content.decode()
    assert client.get("/invitasjon/feil-token/").status_code == 404


def test_leader_invites_doctors_only_for_own_municipality(
    client_for, leader_masfjorden, masfjorden, django_capture_on_commit_callbacks
):
    client = client_for(leader_masfjorden)
    page = client.get("/vest/invitasjoner/").content.decode()
    assert "ALIS-lege" in page and "Kontorkoordinator" not in page
    assert "Bergen" not in page  # only Masfjorden offered
    with django_capture_on_commit_callbacks(execute=True):
        ok = _invite(
            client, "vest", email="alis2@example.no", role="alis", municipality=masfjorden.pk
        )
    assert ok.status_code == 302 and len(mail.outbox) == 1
    bergen = masfjorden.__class__.objects.get(number="4601")
    refused = _invite(client, "vest", email="x@example.no", role="alis", municipality=bergen.pk)
    assert refused.status_code == 200 and len(mail.outbox) == 1
    escalate = _invite(
        client, "vest", email="y@example.no", role="leder", municipality=masfjorden.pk
    )
    assert escalate.status_code == 200 and len(mail.outbox) == 1


def test_doctor_cannot_invite(client_for, alis_masfjorden):
    assert client_for(alis_masfjorden).get("/vest/invitasjoner/").status_code == 403


def test_coordinator_without_totp_is_sent_to_set_it_up(client_for, coordinator_vest, settings):
    settings.ALIS_REQUIRE_MFA_FOR_COORDINATORS = True
    client = client_for(coordinator_vest)
    response = client.get("/vest/")
    assert response.status_code == 302 and response.url == "/konto/2fa/totp/activate/"
    Authenticator.objects.create(user=coordinator_vest, type=Authenticator.Type.TOTP, data={})
    assert client.get("/vest/").status_code == 200


def test_two_factor_is_not_forced_on_other_roles(client_for, leader_masfjorden, settings):
    settings.ALIS_REQUIRE_MFA_FOR_COORDINATORS = True
    assert client_for(leader_masfjorden).get("/vest/kommuner/4634/").status_code == 200


def test_invitation_task_stays_in_its_office(vest, nord, coordinator_vest, masfjorden):
    from accounts.tasks import send_invitation_email

    invitation, token = invitation_create(
        office=vest,
        acting_user=coordinator_vest,
        email="a@example.no",
        role=Role.MUNICIPAL_LEADER,
        municipality=masfjorden,
    )
    with pytest.raises(Invitation.DoesNotExist):
        send_invitation_email(nord.pk, invitation.pk, token)
    send_invitation_email(vest.pk, invitation.pk, token)
    assert mail.outbox[-1].to == ["a@example.no"]


def test_self_service_signup_requires_email_verification(client, db):
    response = client.post(
        "/konto/signup/",
        {
            "first_name": "Nora",
            "last_name": "Nyland",
            "email": "ny@kommune.example.no",
            "password1": "lang-og-trygg-2026",
            "password2": "lang-og-trygg-2026",
        },
    )
    assert response.status_code == 302
    assert mail.outbox[-1].subject == "[ALIS] Vennligst bekreft din e-postadresse"
    client.logout()
    login = client.post(
        "/konto/login/", {"login": "ny@kommune.example.no", "password": "lang-og-trygg-2026"}
    )
    assert login.url == "/konto/confirm-email/"  # not in before the address is verified
    link = re.search(r"http://\S+/konto/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    client.post(urlparse(link).path)
    assert User.objects.get(email="ny@kommune.example.no").emailaddress_set.get().verified


def test_password_reset_sends_a_link(client, coordinator_vest):
    client.post("/konto/password/reset/", {"email": coordinator_vest.email})
    assert mail.outbox[-1].to == [coordinator_vest.email]
    assert "/konto/password/reset/key/" in mail.outbox[-1].body


def test_the_linking_page_does_not_exist_when_no_national_login_is_configured(
    client, coordinator_vest, settings
):
    """Without ID-porten or HelseID in this deployment, "Kontotilkoblinger" would be an empty
    dead end ("Legg til en tredjepartskonto" with nothing under it)."""
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    client.force_login(coordinator_vest)
    assert client.get("/konto/3rdparty/").status_code == 404
