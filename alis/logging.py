"""Structured logs: one JSON object per line, each carrying the request id, the office and
the user id of the request it belongs to — and never personal data.

`RequestIdMiddleware` gives every request an id (the proxy's `X-Request-ID` when it is a
plain token, a new one otherwise), returns it in the `X-Request-ID` header, shows it on the
error page, and logs one line per request with the *route pattern* (never the path: paths
hold invitation tokens, verification codes, municipality numbers) and the status.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from celery import signals

_request: ContextVar = ContextVar("alis_request", default=None)
_request_id: ContextVar[str | None] = ContextVar("alis_request_id", default=None)
_task_id: ContextVar[str | None] = ContextVar("alis_task_id", default=None)
REQUEST_ID_HEADER = "alis_request_id"
_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

log = logging.getLogger("alis.request")


def current_request_id() -> str | None:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        tokens = _request.set(request), _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": match.route if match else None,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000),
                },
            )
            return response
        finally:
            _request.reset(tokens[0])
            _request_id.reset(tokens[1])


def _task_published(headers=None, **kwargs):
    """Queued during a request: the task's message carries the request's id."""
    request_id = _request_id.get()
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


def _task_started(task_id=None, task=None, **kwargs):
    queued_by = getattr(getattr(task, "request", None), REQUEST_ID_HEADER, None)
    tokens = (_task_id.set(task_id), _request_id.set(queued_by or _request_id.get()))
    if task is not None:
        task.request.alis_log_tokens = tokens


def _task_finished(task=None, **kwargs):
    tokens = getattr(getattr(task, "request", None), "alis_log_tokens", None)
    if tokens:
        _task_id.reset(tokens[0])
        _request_id.reset(tokens[1])


def connect_celery_signals() -> None:
    signals.before_task_publish.connect(_task_published, weak=False, dispatch_uid="alis_log_pub")
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="alis_log_prerun")
    signals.task_postrun.connect(_task_finished, weak=False, dispatch_uid="alis_log_postrun")


class RequestContextFilter(logging.Filter):
    """Adds request_id, office and user_id to every record logged during a request, and
    task_id (with the request id that queued the task) to those logged in a Celery task."""

    def filter(self, record):
        request = _request.get()
        record.request_id = _request_id.get()
        record.task_id = _task_id.get()
        office = getattr(request, "office", None)
        record.office = getattr(office, "slug", None)
        user = getattr(request, "user", None) if request is not None else None
        record.user_id = user.pk if user is not None and user.is_authenticated else None
        return True


# Attributes of a LogRecord that are not "extra" fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Never written out: Django attaches the request (headers, cookies, path) to its own records.
_NEVER = {"request", "args"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Django's request loggers put the path in the message
    ("Not Found: /invitasjon/<token>/"); for those the message is replaced by the status."""

    def format(self, record):
        message = record.getMessage()
        if record.name in ("django.request", "django.security.csrf") or record.name.startswith(
            "django.security"
        ):
            message = f"{record.name}: {getattr(record, 'status_code', '')}".strip()
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "request_id": getattr(record, "request_id", None),
            "office": getattr(record, "office", None),
            "user_id": getattr(record, "user_id", None),
            "task_id": getattr(record, "task_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _NEVER and key not in entry:
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(*, json_lines: bool, level: str = "INFO") -> dict:
    """LOGGING for settings: JSON lines (production) or readable text (development)."""
    text = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "alis.logging.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "alis.logging.JsonFormatter"},
            "text": {"format": text},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_context"],
                "formatter": "json" if json_lines else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Every request is logged once by RequestIdMiddleware; in development only at DEBUG.
            "alis.request": {"level": "INFO" if json_lines else "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
