from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import login_only, office_permission
from audit.services import log_export
from offices import clock
from offices.forms import run_service
from offices.pagination import paginate
from positions.forms import SurveySendForm
from positions.survey_services import survey_progress

from .forms import PreferenceForm
from .selectors import outbox_for_office, status_survey_get, status_surveys, weekly_digest_wanted
from .services import preference_set
from .surveys import status_survey_send, survey_letters_pdf, unreached_answers, unreached_csv


@office_permission("notifications.view_log")
def outbox_log(request, office_slug):
    kind, recipient = request.GET.get("type", ""), request.GET.get("mottaker", "")
    rows = outbox_for_office(request.office, kind=kind, recipient=recipient)
    page = paginate(request, rows)
    return render(
        request,
        "notifications/outbox_log.html",
        {"page": page, "kind": kind, "recipient": recipient},
    )


@login_only
def preferences(request):
    current = weekly_digest_wanted(request.user)
    form = PreferenceForm(request.POST or None, initial={"weekly_digest": current})
    if request.method == "POST" and form.is_valid():
        preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Varslingsvalget er lagret."))
        return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@office_permission("overview.import")
def status_survey(request, office_slug):
    """The coordinator sends the positions status survey and sees who has answered."""
    form = SurveySendForm(request.POST or None, initial={"period": clock.today().strftime("%Y-%m")})
    if request.method == "POST" and form.is_valid():
        sent, result = run_service(
            form,
            lambda: status_survey_send(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
            field="period",
        )
        if sent:
            messages.success(request, _sent_message(result.queued))
            if result.without_leader:
                messages.warning(request, _without_leader_message(result.without_leader))
            return redirect("status_survey", office_slug)
    surveys = status_surveys(request.office)
    rounds = [(s, survey_progress(s), unreached_answers(s)) for s in surveys]
    return render(request, "notifications/status_survey.html", {"form": form, "rounds": rounds})


def _sent_message(queued: int) -> str:
    return ngettext(
        "Statusskjemaet er sendt: %(n)s e-post til kommunale ledere.",
        "Statusskjemaet er sendt: %(n)s e-poster til kommunale ledere.",
        queued,
    ) % {"n": queued}


def _without_leader_message(municipalities) -> str:
    names = ", ".join(m.name for m in municipalities)
    return ngettext(
        "%(n)s kommune fikk ikke skjemaet fordi den ikke har noen aktiv kommunal leder: "
        "%(names)s. Send dem brev (PDF) eller registrer svaret deres selv, fra listen nedenfor.",
        "%(n)s kommuner fikk ikke skjemaet fordi de ikke har noen aktiv kommunal leder: "
        "%(names)s. Send dem brev (PDF) eller registrer svaret deres selv, fra listen nedenfor.",
        len(municipalities),
    ) % {"n": len(municipalities), "names": names}


def _unreached_download(request, survey_id, make, suffix: str, content_type: str):
    survey = status_survey_get(request.office, survey_id)
    content = make(survey, unreached_answers(survey))
    filename = f"statusskjema-{survey.period}-{suffix}"
    log_export(request, filename)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@office_permission("overview.import")
def status_survey_letters(request, office_slug, survey_id):
    """Letters (PDF) to the municipalities the round's e-mails could not reach."""
    return _unreached_download(
        request, survey_id, survey_letters_pdf, "brev.pdf", "application/pdf"
    )


@office_permission("overview.import")
def status_survey_unreached_csv(request, office_slug, survey_id):
    """The same municipalities as a list (CSV)."""
    return _unreached_download(
        request, survey_id, unreached_csv, "uten-leder.csv", "text/csv; charset=utf-8"
    )
