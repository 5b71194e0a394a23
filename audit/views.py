import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import office_permission
from offices.spreadsheets import escape_row

from .selectors import reads_for_office, reads_of_own_data
from .services import log_export

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
        # Names and paths are text people chose: escaped against formula injection.
        writer.writerow(
            escape_row(
                [
                    timezone.localtime(read.at).strftime("%Y-%m-%d %H:%M:%S"),
                    read.trainee_name,
                    read.trainee_id,
                    read.what,
                    read.reader_email,
                    read.reader_roles,
                    read.ip or "",
                    read.path,
                ]
            )
        )
    log_export(request, "innsynslogg.csv" + (f" lege {trainee_id}" if trainee_id else ""))
    return response
