import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import office_permission

from .models import SecurityEvent
from .selectors import reads_for_office, reads_of_own_data
from .services import log_event

PAGE = 500


@office_permission("read_log.view_own")
def my_read_log(request, office_slug):
    reads = reads_of_own_data(request.office, request.user)[:PAGE]
    return render(request, "audit/my_read_log.html", {"reads": reads})


def _trainee_filter(request) -> int | None:
    value = request.GET.get("lege", "")
    return int(value) if value.isdigit() else None


@office_permission("read_log.review")
def read_log(request, office_slug):
    trainee_id = _trainee_filter(request)
    reads = reads_for_office(request.office, trainee_id=trainee_id)[:PAGE]
    return render(request, "audit/read_log.html", {"reads": reads, "trainee_id": trainee_id})


def _cell(value) -> str:
    # A spreadsheet must not run a name someone chose as a formula.
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@office_permission("read_log.review")
def read_log_export(request, office_slug):
    trainee_id = _trainee_filter(request)
    reads = reads_for_office(request.office, trainee_id=trainee_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="innsynslogg.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Tidspunkt", "Lege", "Lege-id", "Hva", "Lest av", "Roller", "IP", "Adresse"])
    for read in reads.iterator():
        writer.writerow(
            [
                _cell(timezone.localtime(read.at).strftime("%Y-%m-%d %H:%M:%S")),
                _cell(read.trainee_name),
                read.trainee_id,
                _cell(read.what),
                _cell(read.reader_email),
                _cell(read.reader_roles),
                read.ip or "",
                _cell(read.path),
            ]
        )
    log_event(
        kind=SecurityEvent.Kind.EXPORT,
        request=request,
        user=request.user,
        detail="innsynslogg.csv" + (f" lege {trainee_id}" if trainee_id else ""),
    )
    return response
