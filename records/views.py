"""The doctor's record: their own page (package, own data, corrections) and the read-only page
for the leader and the office, plus the office's queue of correction requests.

Access: the decorator states the permission; a doctor reaches only their own record (their
packages are looked up under their own record, so another doctor's id is 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import office_permission
from audit.services import log_export, log_read
from offices.forms import run_action, run_service
from trainees.access import access_own_trainee, access_trainee, own_trainee_or_missing_page

from . import services
from .export import own_data_zip
from .forms import CorrectionForm, CorrectionResponseForm
from .models import PackageStatus
from .selectors import (
    correction_get,
    correction_queue,
    corrections_of_trainee,
    package_of_trainee,
    packages_for_trainee,
    recent_reads,
    trainee_record,
)


def _own_context(request, trainee, form=None) -> dict:
    return {
        "r": trainee_record(request.office, trainee),
        "own": True,
        "packages": list(packages_for_trainee(request.office, trainee)),
        "corrections": list(corrections_of_trainee(request.office, trainee)),
        "reads": recent_reads(request.office, request.user),
        "form": form or CorrectionForm(),
    }


@office_permission("record.view_own")
def my_record(request, office_slug):
    trainee, missing = own_trainee_or_missing_page(request)
    if missing:
        return missing
    return render(request, "records/record.html", _own_context(request, trainee))


@office_permission("record.view")
def trainee_record_view(request, office_slug, trainee_id):
    trainee = access_trainee(request, trainee_id, "record.view")
    log_read(request, trainee, "utdanningsmappe")
    context = {"r": trainee_record(request.office, trainee), "own": False}
    return render(request, "records/record.html", context)


@require_POST
@office_permission("record.view_own")
def package_create(request, office_slug):
    trainee = access_own_trainee(request)
    run_action(
        request,
        lambda: services.package_request(
            office=request.office, acting_user=request.user, trainee=trainee
        ),
        _("Søknadspakken lages nå. Du kan bli på siden og følge med."),
    )
    return redirect("my_training_record", request.office.slug)


@office_permission("record.view_own")
def package_progress(request, office_slug, package_id):
    """The progress box, polled by htmx every 2 s; a finished package reloads the page."""
    trainee = access_own_trainee(request)
    package = package_of_trainee(request.office, trainee, package_id)
    response = render(request, "records/_package.html", {"p": package})
    if package.is_finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _package_file(request, package_id, field: str, content_type: str):
    trainee = access_own_trainee(request)
    package = package_of_trainee(request.office, trainee, package_id)
    file = getattr(package, field)
    if package.status != PackageStatus.DONE or not file:
        raise Http404
    name = f"soknadspakke-{trainee.hpr_number}-{package.finished_at:%Y-%m-%d}.{field}"
    log_export(request, name, subject=trainee)  # the doctor's own: logged only for others
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )


@office_permission("record.view_own")
def package_pdf(request, office_slug, package_id):
    return _package_file(request, package_id, "pdf", "application/pdf")


@office_permission("record.view_own")
def package_json(request, office_slug, package_id):
    return _package_file(request, package_id, "json", "application/json")


@office_permission("record.view_own")
def own_data_download(request, office_slug):
    trainee = access_own_trainee(request)
    response = HttpResponse(own_data_zip(request.office, trainee), content_type="application/zip")
    name = f"mine-data-{trainee.hpr_number}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    log_export(request, name, subject=trainee)  # the doctor's own: logged only for others
    return response


@require_POST
@office_permission("record.view_own")
def correction_create(request, office_slug):
    trainee = access_own_trainee(request)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        saved, _result = run_service(
            form,
            lambda: services.correction_request_create(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                text=form.cleaned_data["text"],
            ),
        )
        if saved:
            messages.success(request, _("Anmodningen om retting er sendt til ALIS-kontoret."))
            return redirect("my_training_record", request.office.slug)
    return render(request, "records/record.html", _own_context(request, trainee, form), status=400)


@office_permission("correction.handle")
def corrections(request, office_slug):
    queue = correction_queue(
        request.office, request.access.visible_municipality_ids("correction.handle")
    )
    return render(
        request,
        "records/corrections.html",
        {"queue": queue, "form": CorrectionResponseForm()},
    )


@require_POST
@office_permission("correction.handle")
def correction_answer(request, office_slug, correction_id):
    correction = correction_get(request.office, correction_id)
    if not request.access.can("correction.handle", correction.trainee.municipality):
        raise PermissionDenied
    run_action(
        request,
        lambda: services.correction_resolve(
            office=request.office,
            acting_user=request.user,
            correction=correction,
            response=request.POST.get("response", ""),
        ),
        _("Svaret er lagret, og anmodningen er behandlet."),
    )
    return redirect("corrections", request.office.slug)
