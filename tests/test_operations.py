"""Health check, production settings and security headers."""

import subprocess
import sys
from unittest import mock

from django.conf import settings

from tests.conftest import production_env


def test_healthz_reports_database_and_no_broker_in_embedded_mode(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "not configured"}


def test_healthz_is_503_when_the_database_does_not_answer(client, db):
    with mock.patch("alis.views.connection.cursor", side_effect=OSError("nede")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_healthz_checks_the_broker_when_one_is_configured(client, db):
    from alis.celery import app

    old = app.conf.broker_url, settings.CELERY_TASK_ALWAYS_EAGER
    try:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.broker_url = settings.TEST_REDIS_URL
        ok = client.get("/healthz")
        assert ok.status_code == 200 and ok.json()["broker"] == "ok"
        app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
        down = client.get("/healthz")
        assert down.status_code == 503 and down.json()["broker"] == "error"
    finally:
        app.conf.broker_url, settings.CELERY_TASK_ALWAYS_EAGER = old


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    env = production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get("/konto/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert 'lang="nb"' in response.content.decode()
