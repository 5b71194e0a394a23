"""Report pages: the office's regional reports and, for the coordinating office's national
coordinator, the national ones. Figures come from the stored snapshot, so a page costs the same
few queries however many doctors the region has."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import office_permission
from audit.services import log_export

from .models import Kind, ReportStatus
from .rendering import report_context
from .selectors import report_get, reports_for_office
from .services import report_request

NATIONAL_PERM = "national.view_reports"


def _list(request, kind: str, template: str):
    reports = list(reports_for_office(request.office, kind)[:60])
    latest = next((r for r in reports if r.status == ReportStatus.DONE), None)
    context = {
        "reports": reports,
        "latest": report_context(latest) if latest else None,
        "kind": kind,
        "working": any(not r.is_finished for r in reports),
    }
    return render(request, template, context)


@office_permission("report.view")
def report_list(request, office_slug):
    return _list(request, Kind.REGIONAL, "reports/list.html")


@office_permission(NATIONAL_PERM)
def national_list(request, office_slug):
    return _list(request, Kind.NATIONAL, "reports/national_list.html")


def _create(request, kind: str):
    report = report_request(office=request.office, acting_user=request.user, kind=kind)
    # Without a worker the report is built before this line: say so, not "being made".
    report = _get(request, report.pk)
    if not report.is_finished:
        messages.info(request, _("Rapporten lages. Siden oppdateres når den er ferdig."))
    return redirect("report_detail", office_slug=request.office.slug, report_id=report.pk)


@require_POST
@office_permission("report.create")
def report_create(request, office_slug):
    return _create(request, Kind.REGIONAL)


@require_POST
@office_permission(NATIONAL_PERM)
def national_create(request, office_slug):
    return _create(request, Kind.NATIONAL)


def _get(request, report_id: int):
    report = report_get(request.office, report_id)
    if report.kind == Kind.NATIONAL and not request.access.can(NATIONAL_PERM):
        raise PermissionDenied
    return report


@office_permission("report.view")
def report_detail(request, office_slug, report_id):
    report = _get(request, report_id)
    return render(request, "reports/detail.html", report_context(report))


@office_permission("report.view")
def report_progress(request, office_slug, report_id):
    """The progress box, polled by htmx every 2 s; a finished report reloads the page."""
    report = _get(request, report_id)
    response = render(request, "reports/_progress.html", {"report": report})
    if report.is_finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _download(request, report_id: int, field: str, content_type: str) -> HttpResponse:
    report = _get(request, report_id)
    file = getattr(report, field)
    if report.status != ReportStatus.DONE or not file:
        raise Http404
    name = f"alis-rapport-{report.office.slug}-{report.kind}-{report.period:%Y-%m-%d}.{field}"
    log_export(request, name)
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )


@office_permission("report.view")
def report_xlsx(request, office_slug, report_id):
    return _download(
        request,
        report_id,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@office_permission("report.view")
def report_pdf(request, office_slug, report_id):
    return _download(request, report_id, "pdf", "application/pdf")
