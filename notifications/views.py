from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import login_only, office_permission

from .forms import PreferenceForm
from .models import Preference
from .selectors import outbox_for_office
from .services import preference_set


@office_permission("notifications.view_log")
def outbox_log(request, office_slug):
    kind, recipient = request.GET.get("type", ""), request.GET.get("mottaker", "")
    rows = outbox_for_office(request.office, kind=kind, recipient=recipient)
    page = Paginator(rows, 50).get_page(request.GET.get("side"))
    return render(
        request,
        "notifications/outbox_log.html",
        {"page": page, "kind": kind, "recipient": recipient},
    )


@login_only
def preferences(request):
    current = Preference.objects.filter(user=request.user, weekly_digest=True).exists()
    form = PreferenceForm(request.POST or None, initial={"weekly_digest": current})
    if request.method == "POST" and form.is_valid():
        preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Varslingsvalget er lagret."))
        return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})
