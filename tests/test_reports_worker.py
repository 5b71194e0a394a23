"""A report ordered on the page is built by a real Celery worker through Redis."""

import time

from django_scopes import scope

from offices.permissions import Role
from reports.models import Report, ReportStatus

from .celery_worker import celery_worker_process  # noqa: F401 - fixture
from .conftest import member


def test_lag_rapport_is_built_by_a_real_worker(celery_worker_process, client, vest):  # noqa: F811
    coordinator = member(vest, Role.COORDINATOR, email="k@vest.example.no")
    client.force_login(coordinator)
    response = client.post("/vest/rapporter/ny/")
    report_id = int(response.url.rstrip("/").rsplit("/", 1)[-1])
    deadline = time.monotonic() + 60
    with scope(office=vest):
        while time.monotonic() < deadline:
            report = Report.objects.get(pk=report_id)
            if report.is_finished:
                break
            time.sleep(0.2)
    log = (celery_worker_process.parent / "worker.log").read_text()
    assert report.status == ReportStatus.DONE, log[-3000:]
    assert report.progress == 100
    assert report.data["office"] == "ALIS Vest"
    assert report.xlsx.name.endswith(".xlsx") and report.pdf.name.endswith(".pdf")
    done = client.get(f"/vest/rapporter/{report_id}/fremdrift/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
