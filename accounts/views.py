from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from offices import clock
from offices.forms import run_service
from offices.pagination import paginate
from offices.permissions import MUNICIPALITY_ROLES, Role

from .access import login_only, office_permission, public
from .forms import (
    EndMembershipForm,
    InvitationForm,
    InvitationSignupForm,
    LanguageForm,
    MemberFilterForm,
)
from .selectors import (
    account_exists,
    invitable_municipalities,
    invitation_by_token,
    invitations_for_office,
    member_get,
    members_for_office,
    memberships_for_user,
)
from .services import (
    invitation_accept,
    invitation_create,
    invitation_problem,
    invitation_wrong_account,
    membership_end,
    user_create_from_invitation,
    user_language_set,
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
        saved, created = run_service(
            form,
            lambda: invitation_create(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            invitation, _token = created
            messages.success(
                request, _("Invitasjonen er sendt til %(email)s.") % {"email": invitation.email}
            )
            return redirect("invite", office_slug=office_slug)
    invitations = invitations_for_office(request.office, visible_ids)[:50]
    return render(request, "accounts/invite.html", {"form": form, "invitations": invitations})


@office_permission("membership.view")
def members(request, office_slug):
    """The office's people and their roles (a leader: those of their own municipalities),
    filtered by role, municipality and name, with «Avslutt rolle» where the member may."""
    access = request.access
    ids = access.visible_municipality_ids("membership.view")
    roles = [r for r in Role if ids is None or r in MUNICIPALITY_ROLES]
    form = MemberFilterForm(
        request.GET or None,
        roles=roles,
        municipalities=invitable_municipalities(request.office, ids),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = members_for_office(
        request.office,
        municipality_ids=ids,
        role=filters.get("role", ""),
        municipality=filters.get("municipality"),
        query=filters.get("q", ""),
    )
    page = paginate(request, rows)
    page.object_list = [(m, access.may_end(m)) for m in page.object_list]
    return render(request, "accounts/members.html", {"form": form, "page": page})


@office_permission("membership.end")
def member_end(request, office_slug, membership_id):
    """«Avslutt rolle»: a confirmation page (GET) and the ending itself (POST)."""
    access = request.access
    membership = member_get(
        request.office,
        membership_id,
        municipality_ids=access.visible_municipality_ids("membership.view"),
    )
    if not access.may_end(membership):
        raise PermissionDenied
    form = EndMembershipForm(request.POST or None, initial={"on": clock.today()})
    if request.method == "POST" and form.is_valid():
        saved, _result = run_service(
            form,
            lambda: membership_end(
                office=request.office,
                access=access,
                acting_user=request.user,
                membership=membership,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                request=request,
            ),
        )
        if saved:
            messages.success(
                request,
                _(
                    "Rollen som %(role)s for %(name)s er avsluttet. Tilgangen gjennom rollen "
                    "gjelder ikke lenger."
                )
                % {"role": membership.get_role_display().lower(), "name": membership.user},
            )
            return redirect("members", office_slug=office_slug)
    return render(request, "accounts/member_end.html", {"form": form, "membership": membership})


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

        def create_and_accept():
            user = user_create_from_invitation(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
            return user, invitation_accept(invitation=invitation, acting_user=user)

        saved, created = run_service(form, create_and_accept)
        if saved:
            user, membership = created
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


@public
@require_POST
def language_set(request):
    """The header's language switcher: remembered on the user (when logged in) and in the
    language cookie (for everyone), then back to the page the user came from."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or request.headers.get("referer") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("front")
    response = redirect(target)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_language_set(acting_user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
