from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from offices.permissions import Role

from .access import login_only, office_permission, public
from .forms import InvitationForm, InvitationSignupForm
from .selectors import (
    account_exists,
    invitable_municipalities,
    invitation_by_token,
    invitations_for_office,
    memberships_for_user,
)
from .services import (
    invitation_accept,
    invitation_create,
    invitation_problem,
    invitation_wrong_account,
    user_create_from_invitation,
)


def home_url(membership) -> str:
    """Where a membership's work starts."""
    slug = membership.office.slug
    if membership.role == Role.ALIS:
        return reverse("my_requirements", args=[slug])
    if membership.role == Role.TRUST_CONTACT:
        return reverse("hospital_bookings", args=[slug])
    # Coordinators, leaders, veiledere and supervisører start in their work inbox (inbox/).
    return reverse("inbox", args=[slug])


@login_only
def home(request):
    memberships = list(memberships_for_user(request.user))
    if len(memberships) == 1:
        return redirect(home_url(memberships[0]))
    entries = [(m, home_url(m)) for m in memberships]
    # Health chiefs start here: people without roles yet, and municipal leaders.
    show_registration = not memberships or any(m.role == Role.MUNICIPAL_LEADER for m in memberships)
    return render(
        request,
        "accounts/home.html",
        {"entries": entries, "show_registration": show_registration},
    )


@office_permission("invitation.create")
def invite(request, office_slug):
    access = request.access
    roles = access.invitable_roles()
    visible_ids = None if access.is_coordinator else access.municipality_ids("invitation.create")
    municipalities = invitable_municipalities(request.office, visible_ids)
    form = InvitationForm(request.POST or None, roles=roles, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = invitation_create(
                office=request.office, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitasjonen er sendt til %(email)s.") % {"email": invitation.email}
            )
            return redirect("invite", office_slug=office_slug)
    invitations = invitations_for_office(request.office, visible_ids)[:50]
    return render(request, "accounts/invite.html", {"form": form, "invitations": invitations})


@public
def invitation_accept_view(request, token):
    # The invitee is not a member of the office yet, so there is no request scope: the token
    # is the authorisation, and everything after the lookup runs in the invitation's office.
    with scopes_disabled():
        invitation = invitation_by_token(token)
    problem = invitation_problem(invitation)
    if problem:
        return render(
            request,
            "accounts/invitation_problem.html",
            {"problem": problem},
            status=410 if invitation else 404,
        )
    with scope(office=invitation.office):
        return _accept(request, invitation)


def _accept(request, invitation):
    existing = account_exists(invitation.email)
    if request.user.is_authenticated:
        wrong_account = invitation_wrong_account(invitation, request.user)
        if wrong_account:
            return render(
                request,
                "accounts/invitation_accept.html",
                {"invitation": invitation, "wrong_account": wrong_account},
                status=403,
            )
        if request.method == "POST":
            membership = invitation_accept(invitation=invitation, acting_user=request.user)
            messages.success(
                request,
                _("Velkommen! Du har nå tilgang som %(role)s.")
                % {"role": membership.get_role_display().lower()},
            )
            return redirect(home_url(membership))
        return render(request, "accounts/invitation_accept.html", {"invitation": invitation})
    if existing:
        return render(
            request,
            "accounts/invitation_accept.html",
            {"invitation": invitation, "login_needed": True},
        )
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create_from_invitation(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
            membership = invitation_accept(invitation=invitation, acting_user=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            perform_login(request, user, email_verification="none")
            messages.success(
                request,
                _("Kontoen er opprettet, og du har tilgang som %(role)s.")
                % {"role": membership.get_role_display().lower()},
            )
            return redirect(home_url(membership))
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


@login_only
@require_POST
def session_keepalive(request):
    """The countdown's "Fortsett": the request itself renews the idle clock (middleware)."""
    return JsonResponse({"idle_seconds": settings.ALIS_SESSION_IDLE_MINUTES * 60})
