"""Structured logs: JSON lines with request id, office and user id, no personal data; the
error page shows the request id."""

import io
import json
import logging
from unittest import mock

import pytest

from alis.logging import JsonFormatter, RequestContextFilter


@pytest.fixture
def json_log():
    """The log lines, as production writes them (JSON formatter + request context)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    loggers = [logging.getLogger("alis.request"), logging.getLogger("django.request")]
    old = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    lines = lambda: [json.loads(line) for line in stream.getvalue().splitlines()]  # noqa: E731
    yield lines
    for lg, level in zip(loggers, old, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_a_request_is_one_json_line_with_request_id_office_and_user(
    client_for, coordinator_vest, masfjorden, json_log
):
    client = client_for(coordinator_vest)
    response = client.get("/vest/kommuner/4634/")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [entry for entry in json_log() if entry["logger"] == "alis.request"]
    assert line["request_id"] == request_id
    assert line["office"] == "vest" and line["user_id"] == coordinator_vest.pk
    assert line["status"] == 200 and line["method"] == "GET"
    # The route pattern, not the path: no municipality number, token or e-mail in the log.
    assert line["route"] == "<slug:office_slug>/kommuner/<str:number>/"
    raw = json.dumps(json_log())
    assert "4634" not in raw and coordinator_vest.email not in raw


def test_the_proxy_request_id_is_kept_and_a_strange_one_replaced(client, db, json_log):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21e0"})
    assert kept["X-Request-ID"] == "lb-7f3a9c21e0"
    replaced = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert [e["request_id"] for e in json_log()] == ["lb-7f3a9c21e0", replaced["X-Request-ID"]]
    assert json_log()[0]["user_id"] is None and json_log()[0]["office"] is None


def test_the_error_page_shows_the_request_id_that_is_in_the_log(client, db, json_log):
    client.raise_request_exception = False
    with mock.patch("alis.views.render", side_effect=RuntimeError("kaputt")):
        response = client.get("/", headers={"X-Request-ID": "support-case-0042"})
    assert response.status_code == 500
    page = response.content.decode()
    assert "Noe gikk galt" in page and "support-case-0042" in page
    error = next(e for e in json_log() if e["logger"] == "django.request")
    assert error["request_id"] == "support-case-0042" and error["level"] == "ERROR"
    assert "RuntimeError: kaputt" in error["exception"]
