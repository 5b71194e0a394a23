import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from accounts.access import office_permission, public
from audit.services import log_export, log_read
from goals.selectors import achieved_goals_for
from municipalities.selectors import municipality_get
from offices.forms import run_action
from offices.selectors import office_by_slug
from trainees.access import access_trainee, own_trainee_or_missing_page
from trainees.selectors import period_get, periods_for_trainee, trainees_in_training

from . import services
from .forms import RevokeForm, VerifyCodeForm, VerifyFileForm
from .models import Confirmation, Status
from .selectors import (
    certificates_by_period,
    confirmation_by_hash,
    confirmation_by_serial,
    confirmation_for_verification,
    confirmation_get,
    confirmations_for_trainee,
    issued_file_by_hash,
    organisation_number_for,
)

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
    from .pki import trust_root_path
    from .signing import check_pdf

    sha256 = hashlib.sha256(data).hexdigest()
    match = confirmation_by_hash(sha256)
    # Not a confirmation: perhaps another signed file of ours (the application package).
    issued_file = None if match else issued_file_by_hash(sha256)
    signature = check_pdf(data, trust_root_path())
    signed_by = None
    if signature.ok:
        signed_by = office_by_slug(signature.signer_office)
    # Valid only when signed with the key of the office that issued it.
    issuer_id = match.office_id if match else issued_file.office_id if issued_file else None
    office_ok = bool(issuer_id and signed_by and signed_by.pk == issuer_id)
    return {
        "match": match,
        "issued_file": issued_file,
        "signature": signature,
        "signed_by": signed_by,
        "office_ok": office_ok,
    }


def _refuse(access):
    """Someone who may not see a confirmation. A doctor (or anyone whose roles never show
    other people's confirmations) gets 404, as if it did not exist: a 403 would tell them that
    the serial or id is someone's. A leader of another municipality gets 403."""
    if access.is_coordinator or access.can("confirmation.issue"):
        raise PermissionDenied
    raise Http404


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
    confirmation = confirmation_by_serial(request.office, serial)
    if confirmation is None or confirmation.status == Status.PENDING or not confirmation.pdf:
        raise Http404
    access = request.access
    own_doctor = confirmation.trainee.user_id == request.user.pk and "alis" in access.roles
    if not (
        access.is_coordinator
        or own_doctor
        or access.can("confirmation.download_for_municipality", confirmation.municipality)
    ):
        _refuse(access)
    log_read(request, confirmation.trainee, f"bekreftelse {confirmation.serial}")
    services.confirmation_downloaded(
        office=request.office, confirmation=confirmation, acting_user=request.user
    )
    log_export(request, f"bekreftelse {confirmation.serial}", subject=confirmation.trainee)
    return FileResponse(
        confirmation.pdf.open("rb"),
        as_attachment=True,
        filename=f"{confirmation.serial}.pdf",
        content_type="application/pdf",
    )


# --- Confirmations of a doctor's achieved goals (office pages) ----------------------------


@office_permission("progress.view_own")
def my_confirmations(request, office_slug):
    trainee, missing = own_trainee_or_missing_page(request)
    if missing:
        return missing
    confirmations = confirmations_for_trainee(request.office, trainee)
    return render(
        request,
        "confirmations/confirmations.html",
        {"trainee": trainee, "confirmations": confirmations, "own": True},
    )


def _signer_name(request, municipality) -> str:
    name = request.user.get_full_name() or request.user.email
    return _("%(name)s, kommunal leder, %(municipality)s kommune") % {
        "name": name,
        "municipality": municipality.name,
    }


def _issue(request, trainee, supersedes=None):
    return services.confirmation_request(
        office=request.office,
        acting_user=request.user,
        trainee=trainee,
        goals=achieved_goals_for(request.office, trainee),
        signer_name=_signer_name(request, trainee.municipality),
        organisation_number=organisation_number_for(trainee.municipality),
        supersedes=supersedes,
    )


def _issue_certificate(request, period, supersedes=None):
    municipality = services.certificate_municipality(period)
    if not request.access.can("confirmation.issue", municipality):
        raise PermissionDenied
    return services.service_certificate_request(
        office=request.office,
        acting_user=request.user,
        period=period,
        leaves=[p for p in periods_for_trainee(period.trainee) if p.is_leave],
        signer_name=_signer_name(request, municipality),
        organisation_number=organisation_number_for(municipality),
        supersedes=supersedes,
    )


@require_POST
@office_permission("confirmation.issue")
def service_certificate_issue(request, office_slug, trainee_id, period_id):
    trainee = access_trainee(request, trainee_id, "confirmation.issue")
    period = period_get(request.office, trainee, period_id)
    run_action(
        request, lambda: _issue_certificate(request, period), _("Tjenesteattesten lages nå.")
    )
    return redirect("trainee_confirmations", request.office.slug, trainee.pk)


@office_permission("confirmation.issue")
def trainee_confirmations(request, office_slug, trainee_id):
    trainee = access_trainee(request, trainee_id, "confirmation.issue")
    if request.method == "POST":
        run_action(request, lambda: _issue(request, trainee), _("Bekreftelsen lages nå."))
        return redirect("trainee_confirmations", request.office.slug, trainee.pk)
    confirmations = confirmations_for_trainee(request.office, trainee)
    context = {
        "trainee": trainee,
        "confirmations": confirmations,
        "leader": True,
        "achieved": len(achieved_goals_for(request.office, trainee)),
        "periods": certificates_by_period(request.office, trainee, periods_for_trainee(trainee)),
        "revoke_form": RevokeForm(),
    }
    return render(request, "confirmations/confirmations.html", context)


def _confirmation(request, confirmation_id) -> Confirmation:
    confirmation = confirmation_get(request.office, confirmation_id)
    access = request.access
    own = confirmation.trainee.user_id == request.user.pk
    if not (
        access.is_coordinator or own or access.can("confirmation.issue", confirmation.municipality)
    ):
        _refuse(access)
    return confirmation


@office_permission("confirmation.download")
def confirmation_status(request, office_slug, confirmation_id):
    """The htmx fragment polled every 2 s while a confirmation is being made."""
    c = _confirmation(request, confirmation_id)
    return render(request, "confirmations/confirmation_status.html", {"c": c})


@require_POST
@office_permission("confirmation.issue")
def confirmation_revoke(request, office_slug, confirmation_id):
    c = _confirmation(request, confirmation_id)
    if not request.access.can("confirmation.issue", c.municipality):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    run_action(
        request,
        lambda: services.confirmation_revoke(
            office=request.office,
            acting_user=request.user,
            confirmation=c,
            reason=form.data.get("reason", ""),
        ),
        _("Dokumentet er tilbakekalt."),
    )
    return redirect("trainee_confirmations", request.office.slug, c.trainee_id)


@require_POST
@office_permission("confirmation.issue")
def confirmation_supersede(request, office_slug, confirmation_id):
    c = _confirmation(request, confirmation_id)
    if not request.access.can("confirmation.issue", c.municipality):
        raise PermissionDenied

    def reissue():
        if not c.is_service_certificate:
            return _issue(request, c.trainee, supersedes=c)
        if c.service_period is None:
            raise ValidationError(_("Perioden attesten gjelder, finnes ikke lenger."))
        return _issue_certificate(request, c.service_period, supersedes=c)

    run_action(request, reissue, _("Et nytt dokument som erstatter det gamle lages nå."))
    return redirect("trainee_confirmations", request.office.slug, c.trainee_id)


@require_POST
@office_permission("confirmation.issue")
def confirmations_issue_all(request, office_slug, number):
    municipality = municipality_get(request.office, number)
    if not request.access.can("confirmation.issue", municipality):
        raise PermissionDenied
    issued = 0
    trainees = trainees_in_training(request.office, municipality)
    for trainee in trainees:
        if achieved_goals_for(request.office, trainee):
            _issue(request, trainee)
            issued += 1
    messages.success(
        request,
        ngettext("%(n)s bekreftelse lages nå.", "%(n)s bekreftelser lages nå.", issued)
        % {"n": issued},
    )
    return redirect("approval_queue", request.office.slug)
