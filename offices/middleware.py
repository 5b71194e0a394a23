"""The one middleware that scopes each request to its office."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_scopes import scope

from offices.assurance import session_is_two_factor
from offices.permissions import OfficeAccess

from .models import Office


def _mfa_enabled(user) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


class OfficeScopeMiddleware:
    """For URLs under `/<office_slug>/`: resolve the office, require membership, scope the request.

    A user without an active membership in the office gets 404, exactly as for an office
    that does not exist. View and template rendering both run inside `scope(office=…)`, so a
    query on an office-owned model that forgets to filter still cannot leave the office.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            slug = resolve(request.path_info).kwargs.get("office_slug")
        except Resolver404:
            slug = None
        if slug is None:
            return self.get_response(request)
        office = Office.objects.filter(slug=slug).first()
        if office is None:
            # Not a page at all (any first path segment matches `<office_slug>/`): the site's
            # 404 page, for a visitor who is not logged in too, not the login page. The
            # offices are public (the front page names them), so this tells nobody anything.
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # accounts.Membership through the user (accounts sits above this kernel).
        memberships = list(
            request.user.memberships.filter(office=office, is_active=True).select_related(
                "municipality"
            )
        )
        if not memberships:
            raise Http404
        request.office = office
        request.access = OfficeAccess(office=office, memberships=memberships)
        # TOTP on the account, or a national login at level substantial/high in this session.
        if (
            settings.ALIS_REQUIRE_MFA_FOR_COORDINATORS
            and request.access.is_coordinator
            and not _mfa_enabled(request.user)
            and not session_is_two_factor(request)
        ):
            messages.warning(
                request,
                _(
                    "Som koordinator må du slå på tofaktorinnlogging før du "
                    "får se personopplysninger."
                ),
            )
            return redirect("mfa_activate_totp")
        with scope(office=office):
            return self.get_response(request)
