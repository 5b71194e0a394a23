from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import login_only, office_permission
from offices import clock
from offices.forms import run_service
from offices.pagination import paginate
from positions.forms import SurveySendForm
from positions.survey_services import survey_progress

from .forms import PreferenceForm
from .selectors import outbox_for_office, status_surveys, weekly_digest_wanted
from .services import preference_set
from .surveys import status_survey_send


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
            _survey, queued = result
            messages.success(
                request,
                _("Statusskjemaet er sendt: %(n)s e-poster til kommunale ledere.") % {"n": queued},
            )
            return redirect("status_survey", office_slug)
    surveys = status_surveys(request.office)
    rounds = [(s, survey_progress(s)) for s in surveys]
    return render(request, "notifications/status_survey.html", {"form": form, "rounds": rounds})
