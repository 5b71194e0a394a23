import hashlib

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django_ratelimit.core import is_ratelimited

from accounts.access import office_permission, public
from audit.services import log_read

from .forms import VerifyCodeForm, VerifyFileForm
from .models import Confirmation, Event, Status
from .selectors import confirmation_by_hash, confirmation_for_verification

# Public pages: enough for people checking papers, far too few to guess 79-bit codes.
VERIFY_RATE = "20/m"


def _limited(request) -> bool:
    return is_ratelimited(request, group="verify", key="ip", rate=VERIFY_RATE, increment=True)


@public
def verify_start(request):
    if _limited(request):
        return render(request, "confirmations/rate_limited.html", status=429)
    code_form = VerifyCodeForm(request.GET or None)
    if request.GET and code_form.is_valid():
        return redirect("verify", code=code_form.cleaned_data["code"].strip())
    file_form = VerifyFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and file_form.is_valid():
        result = _check_upload(file_form.cleaned_data["document"].read())
    return render(
        request,
        "confirmations/verify_start.html",
        {"code_form": code_form, "file_form": file_form, "result": result},
    )


def _check_upload(data: bytes) -> dict:
    from .pki import configured_signing
    from .signing import check_pdf

    match = confirmation_by_hash(hashlib.sha256(data).hexdigest())
    signature = check_pdf(data, configured_signing()[2])
    return {"match": match, "signature": signature}


@public
def verify(request, code):
    if _limited(request):
        return render(request, "confirmations/rate_limited.html", status=429)
    confirmation = confirmation_for_verification(code)
    status = 200 if confirmation else 404
    return render(
        request, "confirmations/verify.html", {"c": confirmation, "code": code}, status=status
    )


@office_permission("confirmation.download")
def download(request, office_slug, serial):
    confirmation = (
        Confirmation.objects.select_related("trainee", "municipality")
        .filter(office=request.office, serial=serial)
        .first()
    )
    if confirmation is None or confirmation.status == Status.PENDING or not confirmation.pdf:
        raise Http404
    access = request.access
    own_doctor = confirmation.trainee.user_id == request.user.pk and "alis" in access.roles
    if not (
        access.is_coordinator
        or own_doctor
        or access.can("confirmation.download_for_municipality", confirmation.municipality)
    ):
        raise PermissionDenied
    log_read(request, confirmation.trainee, f"bekreftelse {confirmation.serial}")
    Event.objects.create(
        office=request.office,
        confirmation=confirmation,
        kind=Event.Kind.DOWNLOADED,
        by=request.user,
    )
    return FileResponse(
        confirmation.pdf.open("rb"),
        as_attachment=True,
        filename=f"{confirmation.serial}.pdf",
        content_type="application/pdf",
    )
