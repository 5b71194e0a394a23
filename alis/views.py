from allauth.socialaccount.views import connections
from django.conf import settings
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render

from accounts.access import login_only, public
from national.views import cacheable, front_context


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool | None:
    """None when no broker is configured (tasks run in-process)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    from alis.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@public
def healthz(request):
    database = _database_ok()
    broker = _broker_ok()
    healthy = database and broker is not False
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database else "error",
        "broker": {None: "not configured", True: "ok", False: "error"}[broker],
    }
    return JsonResponse(body, status=200 if healthy else 503)


@public
def front(request):
    return cacheable(render(request, "front.html", front_context()), request)


@login_only
def national_login_connections(request):
    """allauth's page for linking a national login to the account; without a provider enabled
    in this deployment it would be an empty dead end, so it does not exist."""
    if not settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]:
        raise Http404
    return connections(request)
