"""How each view declares who may reach it. Every route must be classified (a test walks them).

- `public`: anyone, logged in or not.
- `login_only`: any logged-in user; the view itself limits what it shows to the user.
- `office_permission(perm)`: an office page (`/<office_slug>/…`); the middleware has already
  turned non-members away with 404; here the member's role must grant `perm` (403 otherwise;
  404 for a member who holds only a limited outside role, such as a health trust's contact).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

PUBLIC = "public"
LOGIN = "login"


def public(view):
    view.access = PUBLIC
    return view


def login_only(view):
    wrapped = login_required(view)
    wrapped.access = LOGIN
    return wrapped


def office_permission(perm: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access = getattr(request, "access", None)
            if access is None:
                raise ImproperlyConfigured(f"{view.__name__} is not under /<office_slug>/")
            if not access.can(perm):
                if access.is_limited:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access = ("office", perm)
        return wrapped

    return decorator
