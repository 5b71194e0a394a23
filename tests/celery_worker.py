"""A real Celery worker on the machine's Redis, for the tests that prove the queue works."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection


def _assert_redis_answers(url: str) -> None:
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=3).close()
    except OSError as error:  # a missing service fails the suite; it is never skipped
        pytest.fail(f"Redis svarer ikke på {url}: {error}")


def _drop_broker_pools(app) -> None:
    """Forget pooled connections and producers made for the previous broker URL."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start `celery worker` against Redis and the test database; route this process's tasks
    to it. Yields the folder where the worker's e-mails land (file backend)."""
    from alis.celery import app

    redis_url = settings.TEST_REDIS_URL
    _assert_redis_answers(redis_url)
    queue = f"alis-test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alis.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # tasks the worker enqueues stay on this queue
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    pidfile = tmp_path / "worker.pid"
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "alis",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "-Q",
            queue,
            "--pidfile",
            str(pidfile),
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.broker_url, app.conf.task_always_eager = redis_url, False
    app.conf.task_default_queue = queue
    _drop_broker_pools(app)
    try:
        yield mail_dir
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue = saved
        _drop_broker_pools(app)
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def wait_for_files(folder: Path, count: int, timeout: float = 120) -> list[Path]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.iterdir())
        if len(files) >= count:
            return files
        time.sleep(0.2)
    log = (folder.parent / "worker.log").read_text()
    raise AssertionError(
        f"Arbeideren leverte ikke {count} e-post(er) innen {timeout}s.\n{log[-3000:]}"
    )


def wait_for_text(folder: Path, text: str, timeout: float = 120) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in folder.iterdir():
            if text in path.read_text():
                return path
        time.sleep(0.2)
    log = (folder.parent / "worker.log").read_text()
    raise AssertionError(f"Ingen e-post med «{text}» innen {timeout}s.\n{log[-3000:]}")
