"""Structured logs: JSON lines with request id, office and user id, no personal data; the
error page shows the request id."""

import io
import json
import logging
from unittest import mock

import pytest
from celery import signals

from alis.logging import JsonFormatter, RequestContextFilter, _request_id


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


class _Task:
    """What Celery's task signals pass: a task whose `request` holds the message's headers."""

    def __init__(self, **headers):
        self.request = type("Request", (), headers)()


def test_a_task_logs_its_id_and_the_id_of_the_request_that_queued_it(json_log):
    """The web process puts the request id on the task's message (Celery's publish signal);
    the worker runs the task with it: every line the task logs has task_id and request_id."""
    headers = {}
    token = _request_id.set("req-0001-abcd")
    signals.before_task_publish.send(sender="reports.tasks.build", headers=headers, body=None)
    _request_id.reset(token)
    assert headers == {"alis_request_id": "req-0001-abcd"}

    # In the worker: the message headers are on task.request.
    task = _Task(**headers)
    log = logging.getLogger("alis.request")
    signals.task_prerun.send(sender=task, task_id="task-42", task=task, args=(), kwargs={})
    log.info("inside the task")
    signals.task_postrun.send(sender=task, task_id="task-42", task=task, args=(), kwargs={})
    log.info("after the task")
    inside, after = json_log()
    assert (inside["task_id"], inside["request_id"]) == ("task-42", "req-0001-abcd")
    assert (after["task_id"], after["request_id"]) == (None, None)


def test_a_task_queued_by_beat_logs_its_id_alone(json_log):
    task = _Task()
    signals.task_prerun.send(sender=task, task_id="task-7", task=task, args=(), kwargs={})
    logging.getLogger("alis.request").info("nightly sweep")
    signals.task_postrun.send(sender=task, task_id="task-7", task=task, args=(), kwargs={})
    [line] = json_log()
    assert (line["task_id"], line["request_id"]) == ("task-7", None)
