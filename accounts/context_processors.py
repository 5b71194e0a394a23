def office_access(request):
    """Expose the office and the user's access to it (set by OfficeScopeMiddleware)."""
    return {"office": getattr(request, "office", None), "access": getattr(request, "access", None)}


def session_limits(request):
    """Seconds of inactivity before logout, for the countdown in the base template."""
    from django.conf import settings

    return {
        "session_idle_seconds": settings.ALIS_SESSION_IDLE_MINUTES * 60,
        # Whether this deployment has ID-porten or HelseID, from settings: the header link on
        # every page must not cost a query (allauth's get_providers reads its app table).
        "national_login_enabled": bool(
            settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS")
        ),
    }
