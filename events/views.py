"""Pages for learning activities and gatherings: office pages under /<office>/arrangementer/,
and the open pages (public list, e-mail confirmation, personal page, calendar feed)."""

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import office_permission, public
from offices import clock
from offices.forms import call_service, error_summary, run_action, run_service
from offices.pagination import paginate
from offices.selectors import office_get
from trainees.selectors import trainee_get, trainees_for_office

from . import selectors, services
from .calendar import event_ics, feed_ics
from .forms import ActivityForm, EvaluationForm, EventForm, PublicSignupForm, SignupOnBehalfForm
from .models import SignupStatus


def _to_event(request, event):
    return redirect("event_detail", request.office.slug, event.pk)


def _leader_municipality_ids(request) -> set[int] | None:
    """None for the office (every doctor); a leader's municipalities otherwise."""
    access = request.access
    if access.can("event.manage"):
        return None
    return access.municipality_ids("event.signup_others")


def _leader_trainees(request):
    return trainees_for_office(request.office, municipality_ids=_leader_municipality_ids(request))


# --- Everyone: the list, an event, own sign-up ----------------------------------------------------


@office_permission("event.view")
def event_list(request, office_slug):
    office = request.office
    feed = selectors.calendar_feed_of(request.user)
    feed_url = feed and request.build_absolute_uri(reverse("event_feed", args=[feed.token]))
    now = timezone.now()
    return render(
        request,
        "events/event_list.html",
        {
            "events": selectors.events_for_office(office, upcoming_from=now),
            "past": paginate(
                request, selectors.past_events_for_office(office, now), param="tidligere"
            ),
            "my_signups": selectors.my_signups(office, request.user),
            "feed_url": feed_url,
        },
    )


@require_POST
@office_permission("event.view")
def calendar_feed_create(request, office_slug):
    """The button that makes the user's personal calendar address (opening the list only reads;
    an address made before stays the same)."""
    services.calendar_feed_for(user=request.user)
    return redirect(reverse("event_list", args=[office_slug]) + "#kalender")


@office_permission("event.view")
def event_detail(request, office_slug, event_id):
    office = request.office
    event = selectors.event_get(office, event_id)
    on_behalf, doctors_signed_up = None, []
    if request.access.can("event.signup_others"):
        on_behalf = SignupOnBehalfForm(trainees=_leader_trainees(request))
        doctors_signed_up = selectors.signups_for_doctors(
            office, event, _leader_municipality_ids(request)
        )
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "signup": selectors.my_signup(office, event, request.user),
            "on_behalf": on_behalf,
            "doctors_signed_up": [s for s in doctors_signed_up if s.user_id != request.user.pk],
            "organiser": event.office_id == office.pk and request.access.can("event.manage"),
            "runs_event": request.access.can("event.manage")
            and selectors.runs_event(office, event),
            "now": timezone.now(),
            "Status": SignupStatus,
        },
    )


@require_POST
@office_permission("event.view")
def signup_self(request, office_slug, event_id):
    office = request.office
    event = selectors.event_get(office, event_id)
    ok, signup = run_action(
        request,
        lambda: services.signup_create(
            office=office, acting_user=request.user, event=event, user=request.user
        ),
        _("Påmeldingen er registrert."),
    )
    if ok and signup.status == SignupStatus.WAITING:
        messages.info(request, _("Arrangementet er fullt: du står på venteliste."))
    return _to_event(request, event)


@require_POST
@office_permission("event.signup_others")
def signup_on_behalf(request, office_slug, event_id):
    office = request.office
    event = selectors.event_get(office, event_id)
    form = SignupOnBehalfForm(request.POST, trainees=_leader_trainees(request))
    if form.is_valid():
        trainee = form.cleaned_data["trainee"]
        run_action(
            request,
            lambda: services.signup_create(
                office=office, acting_user=request.user, event=event, trainee=trainee
            ),
            _("%(name)s er meldt på.") % {"name": trainee.full_name},
        )
    else:
        messages.error(request, _("Velg en ALIS-lege."))
    return _to_event(request, event)


@office_permission("event.view")
def signup_cancel(request, office_slug, signup_id):
    """GET asks «Vil du melde deg av …?»; only the answer (POST with bekreft=ja) cancels."""
    signup = selectors.signup_get(request.office, signup_id)
    if not services.signup_may_act_for(request.access, request.user, signup):
        raise Http404
    own = signup.user_id == request.user.pk
    if request.method == "POST" and request.POST.get("bekreft") == "ja":
        run_action(
            request,
            lambda: services.signup_cancel(
                signup=signup, acting_user=request.user, access=request.access
            ),
            _("Du er meldt av.") if own else _("%(name)s er meldt av.") % {"name": signup.name},
        )
        return redirect("event_detail", office_slug, signup.event_id)
    return render(
        request,
        "events/signup_cancel.html",
        {"signup": signup, "event": signup.event, "own": own, "Status": SignupStatus},
    )


@require_POST
@office_permission("event.view")
def offer_accept(request, office_slug, signup_id):
    signup = selectors.signup_get(request.office, signup_id)
    run_action(
        request,
        lambda: services.offer_accept(signup=signup, acting_user=request.user),
        _("Plassen er din. Velkommen!"),
    )
    return redirect("event_detail", office_slug, signup.event_id)


@office_permission("event.view")
def event_calendar(request, office_slug, event_id):
    event = selectors.event_get(request.office, event_id)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="arrangement-{event.pk}.ics"'
    return response


@office_permission("event.view")
def evaluate(request, office_slug, event_id):
    office = request.office
    event = selectors.event_get(office, event_id)
    signup = selectors.my_signup(office, event, request.user)
    if signup is None or not signup.attended:
        messages.info(request, _("Evalueringen er for dem som deltok på arrangementet."))
        return _to_event(request, event)
    form = EvaluationForm(request.POST or None, questions=event.activity.questions)
    if request.method == "POST" and form.is_valid():
        saved, _answer = run_service(
            form,
            lambda: services.evaluation_submit(
                signup=signup,
                acting_user=request.user,
                scores=form.scores(),
                overall=form.cleaned_data["overall"],
                comment=form.cleaned_data["comment"],
            ),
        )
        if saved:
            messages.success(request, _("Takk for evalueringen!"))
            return _to_event(request, event)
    return render(request, "events/evaluate.html", {"event": event, "form": form})


# --- The organiser --------------------------------------------------------------------------------


@office_permission("event.manage")
def catalogue(request, office_slug):
    office = request.office
    form = ActivityForm(
        request.POST or None, can_share_nationally=request.access.can("national.view_reports")
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "goal_codes"}
        saved, activity = run_service(
            form,
            lambda: services.activity_save(
                office=office,
                acting_user=request.user,
                goals=form.cleaned_data["goal_codes"],
                **data,
            ),
        )
        if saved:
            messages.success(request, _("«%(t)s» er lagt i katalogen.") % {"t": activity.title})
            return redirect("event_catalogue", office_slug)
    return render(
        request,
        "events/catalogue.html",
        {"activities": selectors.activities_for_office(office), "form": form},
    )


@require_POST
@office_permission("event.manage")
def activity_copy(request, office_slug, activity_id):
    activity = selectors.activity_get(request.office, activity_id)
    copy = services.activity_copy(
        office=request.office, acting_user=request.user, activity=activity
    )
    messages.success(request, _("«%(t)s» er kopiert til kontorets katalog.") % {"t": copy.title})
    return redirect("event_catalogue", office_slug)


@office_permission("event.manage")
def event_create(request, office_slug):
    office = request.office
    activities = selectors.activities_for_office(office)
    form = EventForm(request.POST or None, office=office, activities=activities)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        co_offices = data.pop("co_offices")
        activity = data.pop("activity")
        saved, event = run_service(
            form,
            lambda: services.event_create(
                office=office,
                acting_user=request.user,
                activity=activity,
                co_offices=co_offices,
                **data,
            ),
        )
        if saved:
            messages.success(request, _("Arrangementet er opprettet."))
            return _to_event(request, event)
    return render(request, "events/event_form.html", _form_context(form))


@office_permission("event.manage")
def event_edit(request, office_slug, event_id):
    """The organiser office changes its event; those signed up are told what changed."""
    office = request.office
    event = selectors.event_get_organised(office, event_id)
    form = EventForm(request.POST or None, instance=event, office=office, activities=None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        co_offices = data.pop("co_offices")
        saved, result = run_service(
            form,
            lambda: services.event_update(
                office=office,
                acting_user=request.user,
                event=selectors.event_get_organised(office, event_id),
                co_offices=co_offices,
                **data,
            ),
        )
        if saved:
            _event, told = result
            messages.success(
                request,
                ngettext(
                    "Endringene er lagret. %(n)s påmeldt har fått beskjed.",
                    "Endringene er lagret. %(n)s påmeldte har fått beskjed.",
                    told,
                )
                % {"n": told},
            )
            return _to_event(request, event)
    return render(request, "events/event_form.html", _form_context(form, event=event))


def _form_context(form, **context) -> dict:
    return {"form": form, "errors": error_summary(form) if form.is_bound else [], **context}


@office_permission("event.manage")
def attendance(request, office_slug, event_id):
    office = request.office
    event = selectors.event_get_run(office, event_id)
    signups = selectors.event_signups(event)
    if request.method == "POST":
        present = {int(pk) for pk in request.POST.getlist("attended") if pk.isdigit()}
        confirmed = [s.pk for s in signups if s.status == SignupStatus.CONFIRMED]
        saved, changed = run_action(
            request,
            lambda: services.attendance_record(
                office=office,
                acting_user=request.user,
                event=event,
                attended={pk: pk in present for pk in confirmed},
            ),
        )
        if saved:
            messages.success(request, _("Oppmøte lagret (%(n)s endret).") % {"n": changed})
            return redirect("event_attendance", office_slug, event.pk)
    return render(
        request,
        "events/attendance.html",
        {
            "event": event,
            "signups": signups,
            "Status": SignupStatus,
            "not_yet": timezone.now() < event.starts_at,
        },
    )


@office_permission("event.manage")
def evaluation_results(request, office_slug, event_id):
    event = selectors.event_get_run(request.office, event_id)
    return render(
        request,
        "events/evaluation_results.html",
        {"event": event, "summary": selectors.evaluation_summary(event)},
    )


@office_permission("event.manage")
def overview(request, office_slug):
    office = request.office
    return render(
        request,
        "events/overview.html",
        {
            "rows": selectors.office_overview(office),
            "missing": selectors.doctors_missing_courses(office, clock.today()),
        },
    )


@require_POST
@office_permission("event.manage")
def invite(request, office_slug):
    office = request.office
    try:
        trainee = trainee_get(office, int(request.POST.get("trainee", "")))
        event = selectors.event_get(office, int(request.POST.get("event", "")))
    except ValueError as exc:
        raise Http404 from exc
    sent = services.invitation_send(
        office=office, acting_user=request.user, trainee=trainee, event=event
    )
    if sent:
        messages.success(request, _("Invitasjonen er sendt til %(n)s.") % {"n": trainee.full_name})
    else:
        messages.info(request, _("%(n)s er allerede invitert.") % {"n": trainee.full_name})
    return redirect("event_overview", office_slug)


# --- Open pages (no login) ------------------------------------------------------------------------


@public
def public_list(request, office):
    office = office_get(office)
    form = PublicSignupForm(request.POST or None)
    chosen = None
    if request.method == "POST":
        wanted = request.POST.get("event")
        chosen = next((e for e in selectors.public_events(office) if str(e.pk) == wanted), None)
        if chosen is None:
            raise Http404
        if form.is_valid():
            sent, _signup = run_service(
                form,
                lambda: services.signup_public(office=office, event=chosen, **form.cleaned_data),
            )
            if sent:
                return render(
                    request,
                    "events/public_sent.html",
                    {"office_public": office, "email": form.cleaned_data["email"], "event": chosen},
                )
    return render(
        request,
        "events/public_list.html",
        {
            "office_public": office,
            "events": selectors.public_events(office),
            "form": form,
            "chosen": chosen,
        },
    )


@public
def public_verify(request, token):
    if request.method != "POST":
        return render(request, "events/public_verify.html", {"token": token})
    signup, error = call_service(lambda: services.signup_verify(token=token))
    if error is not None:
        return render(
            request, "events/public_verify.html", {"token": token, "errors": error.messages}
        )
    return redirect("event_public_manage", services.manage_token(signup))


def _signup_from_token(token: str):
    try:
        pk = signing.loads(token, salt=services.MANAGE_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    return selectors.signup_by_pk(pk)


@public
def public_manage(request, token):
    signup = _signup_from_token(token)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel" and request.POST.get("bekreft") != "ja":
            return render(  # the question first; only the answer cancels
                request,
                "events/public_manage.html",
                {
                    "signup": signup,
                    "event": signup.event,
                    "token": token,
                    "Status": SignupStatus,
                    "confirm_cancel": True,
                },
            )
        if action == "cancel":
            call, text = (lambda: services.signup_cancel(signup=signup)), _("Du er meldt av.")
        elif action == "accept":
            call, text = (lambda: services.offer_accept(signup=signup)), _("Plassen er din.")
        else:
            raise Http404
        run_action(request, call, text)
        return redirect("event_public_manage", token)
    return render(
        request,
        "events/public_manage.html",
        {"signup": signup, "event": signup.event, "token": token, "Status": SignupStatus},
    )


@public
def public_calendar(request, token):
    signup = _signup_from_token(token)
    if signup.status not in (SignupStatus.CONFIRMED, SignupStatus.OFFERED):
        raise Http404
    response = HttpResponse(event_ics(signup.event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="arrangement.ics"'
    return response


@public
def feed(request, token):
    calendar_feed, events = selectors.feed_events(token)
    body = feed_ics(events, name=_("ALIS-arrangementer"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # One person's sign-ups behind a secret address: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response
