"""The national workspace, under /<office_slug>/nasjonalt/: every office's coordinators read it
(`national.view`); the office that coordinates today writes what only it may
(`national.coordinate`); each office follows up what is given to it (checked in the services)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import office_permission, public
from offices import clock
from offices.forms import run_action, run_service

from . import publishing, selectors, services
from .forms import (
    ActionItemForm,
    AdvertisementForm,
    ApproveForm,
    DecisionForm,
    ExperienceFilterForm,
    MeetingForm,
    MinutesForm,
    PositionFilterForm,
    RoutineForm,
    RoutineVersionForm,
    SearchForm,
    TaskForm,
    TaskReassignForm,
    TaskStatusForm,
)
from .models import MeetingKind
from .signals import public_generation

VIEW, COORDINATE = "national.view", "national.coordinate"


def _base(request) -> dict:
    """What every workspace page shows: whether this office coordinates today, and who does."""
    today = clock.today()
    return {
        "coordinating": request.access.can(COORDINATE),
        "coordination": selectors.coordination(today),
        "today": today,
    }


@office_permission(VIEW)
def home(request, office_slug):
    office, today = request.office, clock.today()
    return render(
        request,
        "national/home.html",
        {
            **_base(request),
            "action_items": selectors.open_action_items(office),
            "tasks": selectors.tasks(responsible=office, open_only=True),
            "meetings": selectors.upcoming_meetings(today),
            "routines_due": selectors.routines_due(office, today, services.reminder_window()),
        },
    )


# --- Meetings --------------------------------------------------------------------------------

# The meeting list's filters (the coordinating office's inbox cards link them).
NO_NOTICE, COMING = "uten-innkalling", "kommende"


@office_permission(VIEW)
def meeting_list(request, office_slug):
    kind = request.GET.get("type", "")
    kind = kind if kind in MeetingKind.values else ""
    meetings = selectors.meetings(kind)
    # The inbox cards' filters, by the cards' own rules: meetings in the next 30 days, and those
    # of them whose notice is not sent.
    now, shown = clock.now(), ""
    if request.GET.get(NO_NOTICE) == "1":
        meetings, shown = meetings.filter(pk__in=selectors.notices_missing(now)), NO_NOTICE
    elif request.GET.get(COMING) == "1":
        meetings, shown = meetings.filter(pk__in=selectors.meetings_coming(now)), COMING
    return render(
        request,
        "national/meeting_list.html",
        {
            **_base(request),
            "meetings": meetings.order_by("starts_at") if shown else meetings,
            "kind": kind,
            "kinds": MeetingKind.choices,
            "shown": shown,
        },
    )


@office_permission(COORDINATE)
def meeting_create(request, office_slug):
    form = MeetingForm(request.POST or None, initial={"kind": request.GET.get("type", "")})
    if request.method == "POST" and form.is_valid():
        saved, meeting = run_service(
            form,
            lambda: services.meeting_create(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Møtet er opprettet."))
            return redirect("national_meeting", office_slug, meeting.pk)
    return render(request, "national/meeting_form.html", {**_base(request), "form": form})


@office_permission(VIEW)
def meeting_detail(request, office_slug, meeting_id):
    return _meeting_page(request, selectors.meeting_get(meeting_id))


@require_POST
@office_permission(COORDINATE)
def meeting_notice(request, office_slug, meeting_id):
    meeting = selectors.meeting_get(meeting_id)
    done, count = run_action(
        request,
        lambda: services.meeting_send_notice(
            office=request.office, acting_user=request.user, meeting=meeting
        ),
    )
    if done:
        messages.success(
            request, _("Innkallingen er lagt i utboksen til %(n)s mottakere.") % {"n": count}
        )
    return redirect("national_meeting", office_slug, meeting.pk)


@office_permission(COORDINATE)
def meeting_minutes(request, office_slug, meeting_id):
    meeting = selectors.meeting_get(meeting_id)
    attendances = list(meeting.attendances.all())
    form = MinutesForm(
        request.POST or None, initial={"minutes": meeting.minutes, "chair": meeting.chair}
    )
    if request.method == "POST":
        attendance = {
            a.office_id: (
                request.POST.get(f"present-{a.office_id}") == "on",
                request.POST.get(f"names-{a.office_id}", "").strip(),
            )
            for a in attendances
        }
        for a in attendances:  # keep what was typed if the form comes back
            a.present, a.names = attendance[a.office_id]
        if form.is_valid():
            saved, _meeting = run_service(
                form,
                lambda: services.meeting_record_minutes(
                    office=request.office,
                    acting_user=request.user,
                    meeting=meeting,
                    attendance=attendance,
                    **form.cleaned_data,
                ),
            )
            if saved:
                messages.success(request, _("Referatet og oppmøtet er lagret."))
                return redirect("national_meeting", office_slug, meeting.pk)
    return render(
        request,
        "national/minutes_form.html",
        {**_base(request), "meeting": meeting, "form": form, "attendances": attendances},
    )


def _meeting_page(request, meeting, **forms):
    """The meeting page, with the decision and action item forms (a failed one as posted)."""
    return render(
        request,
        "national/meeting_detail.html",
        {
            **_base(request),
            "meeting": meeting,
            "decision_form": forms.get("decision_form") or DecisionForm(),
            "action_form": forms.get("action_form") or ActionItemForm(),
        },
    )


def _add_to_meeting(request, meeting_id, form_class, service, success, form_name):
    """Add a decision or an action item to a meeting from its page's form."""
    meeting = selectors.meeting_get(meeting_id)
    form = form_class(request.POST)
    if form.is_valid():
        saved, _row = run_service(
            form,
            lambda: service(
                office=request.office,
                acting_user=request.user,
                meeting=meeting,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, success)
            return redirect("national_meeting", request.office.slug, meeting.pk)
    return _meeting_page(request, meeting, **{form_name: form})


@require_POST
@office_permission(COORDINATE)
def decision_add(request, office_slug, meeting_id):
    return _add_to_meeting(
        request,
        meeting_id,
        DecisionForm,
        services.decision_add,
        _("Vedtaket er lagt til."),
        "decision_form",
    )


@require_POST
@office_permission(COORDINATE)
def action_add(request, office_slug, meeting_id):
    return _add_to_meeting(
        request,
        meeting_id,
        ActionItemForm,
        services.action_item_add,
        _("Oppfølgingspunktet er lagt til."),
        "action_form",
    )


@require_POST
@office_permission(VIEW)
def action_done(request, office_slug, action_id):
    item = selectors.action_item_get(action_id)
    run_action(
        request,
        lambda: services.action_item_complete(
            office=request.office, acting_user=request.user, item=item
        ),
        success=_("«%(t)s» er markert som utført.") % {"t": item.text},
    )
    if request.POST.get("next") == "home":
        return redirect("national_home", office_slug)
    return redirect("national_meeting", office_slug, item.meeting_id)


# --- Tasks -----------------------------------------------------------------------------------


@office_permission(VIEW)
def task_list(request, office_slug):
    mine = request.GET.get("vis") != "alle"
    return render(
        request,
        "national/task_list.html",
        {
            **_base(request),
            "tasks": selectors.tasks(responsible=request.office if mine else None),
            "mine": mine,
        },
    )


@office_permission(COORDINATE)
def task_create(request, office_slug):
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved, task = run_service(
            form,
            lambda: services.task_assign(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(
                request,
                _("Oppgaven er gitt til %(o)s.") % {"o": task.responsible_office.name},
            )
            return redirect("national_tasks", office_slug)
    return render(request, "national/task_form.html", {**_base(request), "form": form})


@office_permission(VIEW)
def task_detail(request, office_slug, task_id):
    task = selectors.task_get(task_id)
    base = _base(request)
    own = task.responsible_office_id == request.office.pk
    form_class = TaskReassignForm if base["coordinating"] else TaskStatusForm
    initial = {
        "status": task.status,
        "status_note": task.status_note,
        "responsible_office": task.responsible_office_id,
        "deadline": task.deadline,
    }
    form = form_class(request.POST or None, initial=initial)
    may_edit = own or base["coordinating"]
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            saved, _t = run_service(
                form,
                lambda: services.task_update(
                    office=request.office,
                    acting_user=request.user,
                    task=task,
                    **form.cleaned_data,
                ),
            )
            if saved:
                messages.success(request, _("Oppgaven er oppdatert."))
                return redirect("national_task", office_slug, task.pk)
    return render(
        request,
        "national/task_detail.html",
        {**base, "task": task, "form": form if may_edit else None},
    )


# --- Routines --------------------------------------------------------------------------------


@office_permission(VIEW)
def routine_list(request, office_slug):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    routines = selectors.routines(query)
    # ?utkast=1 (the inbox card's link): routines with a draft waiting for approval.
    drafts = request.GET.get("utkast") == "1"
    if drafts:
        routines = routines.filter(pk__in=selectors.routines_to_approve())
    # ?gjennomgang=1 (the inbox card's link): the office's own routines due for review.
    review = request.GET.get("gjennomgang") == "1"
    if review:
        routines = routines.filter(
            pk__in=selectors.routines_to_review(request.office, clock.today()).values("pk")
        )
    context = {
        "routines": routines,
        "form": form,
        "query": query,
        "drafts": drafts,
        "review": review,
    }
    return render(request, "national/routine_list.html", {**_base(request), **context})


@office_permission(COORDINATE)
def routine_create(request, office_slug):
    form = RoutineForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("change_note", None)
        saved, routine = run_service(
            form,
            lambda: services.routine_create(
                office=request.office, acting_user=request.user, **data
            ),
        )
        if saved:
            messages.success(request, _("Rutinen er opprettet. Godkjenn første versjon."))
            return redirect("national_routine", office_slug, routine.pk)
    return render(request, "national/routine_form.html", {**_base(request), "form": form})


def _routine_page(request, routine, approve_form=None):
    """The routine with its current version, a waiting draft (and, for the coordinating
    office, the approval form) and the archive of every version."""
    base = _base(request)
    return render(
        request,
        "national/routine_detail.html",
        {
            **base,
            "routine": routine,
            "current": selectors.current_version(routine),
            "draft": selectors.draft_version(routine),
            "may_write": base["coordinating"] or routine.owner_office_id == request.office.pk,
            "approve_form": approve_form
            or ApproveForm(initial={"review_due": selectors.approval_review_default(routine)}),
        },
    )


@office_permission(VIEW)
def routine_detail(request, office_slug, routine_id):
    return _routine_page(request, selectors.routine_get(routine_id))


@office_permission(VIEW)
def routine_version_detail(request, office_slug, routine_id, version_id):
    routine = selectors.routine_get(routine_id)
    version = selectors.version_get(routine, version_id)
    return render(
        request,
        "national/version_detail.html",
        {**_base(request), "routine": routine, "version": version},
    )


@office_permission(VIEW)
def routine_version_add(request, office_slug, routine_id):
    routine = selectors.routine_get(routine_id)
    base = _base(request)
    if not (base["coordinating"] or routine.owner_office_id == request.office.pk):
        raise Http404
    current = selectors.current_version(routine)
    form = RoutineVersionForm(
        request.POST or None,
        request.FILES or None,
        initial={"body": current.body if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        saved, _v = run_service(
            form,
            lambda: services.routine_version_add(
                office=request.office,
                acting_user=request.user,
                routine=routine,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Den nye versjonen venter på godkjenning."))
            return redirect("national_routine", office_slug, routine.pk)
    return render(
        request,
        "national/version_form.html",
        {**base, "routine": routine, "form": form},
    )


@require_POST
@office_permission(COORDINATE)
def routine_version_approve(request, office_slug, routine_id, version_id):
    routine = selectors.routine_get(routine_id)
    version = selectors.version_get(routine, version_id)
    form = ApproveForm(request.POST)
    if form.is_valid():
        saved, _v = run_service(
            form,
            lambda: services.routine_version_approve(
                office=request.office,
                acting_user=request.user,
                version=version,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(
                request, _("Versjon %(n)s er godkjent og gjelder nå.") % {"n": version.number}
            )
            return redirect("national_routine", office_slug, routine.pk)
    return _routine_page(request, routine, form)


@office_permission(VIEW)
def routine_attachment(request, office_slug, routine_id, version_id):
    routine = selectors.routine_get(routine_id)
    version = selectors.version_get(routine, version_id)
    return _pdf_response(routine, version)


def _pdf_response(routine, version):
    if not version.attachment:
        raise Http404
    return FileResponse(
        version.attachment.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"rutine-{routine.pk}-v{version.number}.pdf",
    )


# --- Experience ------------------------------------------------------------------------------


@office_permission(VIEW)
def experience(request, office_slug):
    form = ExperienceFilterForm(request.GET or None)
    measure = form.cleaned_data["measure"] if form.is_valid() else ""
    return render(
        request,
        "national/experience.html",
        {
            **_base(request),
            "form": form,
            "rows": selectors.national_experience(measure or None),
            "threshold": selectors.ANONYMITY_THRESHOLD,
        },
    )


# --- Advertisements of the office's positions ------------------------------------------------


@office_permission("position.advertise")
def advertisement_list(request, office_slug):
    return render(
        request,
        "national/advertisement_list.html",
        {**_base(request), "positions": selectors.advertised_positions_of_office(request.office)},
    )


@office_permission("position.advertise")
def advertisement_edit(request, office_slug, position_id):
    position = selectors.position_for_office(request.office, position_id)
    current = getattr(position, "advertisement", None)
    initial = (
        {"url": current.url, "deadline": current.deadline, "description": current.description}
        if current
        else {}
    )
    form = AdvertisementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved, _a = run_service(
            form,
            lambda: services.advertisement_save(
                office=request.office,
                acting_user=request.user,
                position=position,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Utlysningen er lagret."))
            return redirect("national_advertisements", office_slug)
    return render(
        request,
        "national/advertisement_form.html",
        {**_base(request), "position": position, "form": form},
    )


# === The open website (no login) ============================================================
#
# Fast and cacheable: the lists render inside `{% cache %}` fragments keyed on a generation
# number that every save of what they show moves on (national.signals), and anonymous visitors
# get `Cache-Control: public, max-age=300`. Nothing needs JavaScript.

PUBLIC_MAX_AGE = 300


def _sets_csrf_cookie(request) -> bool:
    # The CSRF middleware adds its cookie after the view, when the page used the token.
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def cacheable(response, request):
    """Anonymous visitors' copies may be cached for PUBLIC_MAX_AGE; signed-in users' not, nor
    a response that sets a cookie (a shared cache must never hand one visitor's CSRF cookie
    to the next)."""
    if request.user.is_authenticated or response.cookies or _sets_csrf_cookie(request):
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def front_context() -> dict:
    """What the front page shows below its introduction (alis.views.front)."""
    return {
        "public_generation": public_generation(),
        "public_offices": selectors.offices_public,  # called only when the fragment is built
        "public_coordination": lambda: selectors.coordination(clock.today()),
    }


def _position_filters(request) -> tuple[PositionFilterForm, dict]:
    today = clock.today()
    form = PositionFilterForm(request.GET or None, choices=selectors.filter_choices(today))
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    return form, filters


@public
def public_positions(request):
    form, filters = _position_filters(request)
    today = clock.today()
    response = render(
        request,
        "national/public/positions.html",
        {
            "form": form,
            "filters": urlencode(sorted(filters.items())),
            "positions": lambda: [
                publishing.position_view(p)
                for p in selectors.public_positions(today=today, **filters)
            ],
            "public_generation": public_generation(),
            "today": today,
        },
    )
    return cacheable(response, request)


@public
def public_position(request, position_id):
    today = clock.today()
    position = selectors.public_position_get(position_id, today)
    view = publishing.position_view(position)
    url = request.build_absolute_uri(reverse("public_position", args=[position.pk]))
    response = render(
        request,
        "national/public/position.html",
        {"p": view, "job_posting": publishing.json_ld(publishing.job_posting(view, url))},
    )
    return cacheable(response, request)


@public
def positions_feed(request):
    _form, filters = _position_filters(request)
    positions = selectors.public_positions(today=clock.today(), **filters)
    body = publishing.atom_feed(
        [publishing.position_view(p) for p in positions],
        feed_url=request.build_absolute_uri(),
        site_url=request.build_absolute_uri(reverse("public_positions")),
        item_url=lambda pk: request.build_absolute_uri(reverse("public_position", args=[pk])),
    )
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    return cacheable(response, request)


@public
def positions_json(request):
    _form, filters = _position_filters(request)
    positions = selectors.public_positions(today=clock.today(), **filters)
    data = {
        "stillinger": [
            publishing.position_json(
                publishing.position_view(p),
                request.build_absolute_uri(reverse("public_position", args=[p.pk])),
            )
            for p in positions
        ]
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    return cacheable(response, request)


@public
def public_routines(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    response = render(
        request,
        "national/public/routines.html",
        {"form": form, "query": query, "routines": selectors.routines(query, public_only=True)},
    )
    return cacheable(response, request)


@public
def public_routine(request, routine_id):
    routine = selectors.routine_get(routine_id, public_only=True)
    current = selectors.current_version(routine)
    if current is None:
        raise Http404
    response = render(
        request, "national/public/routine.html", {"routine": routine, "current": current}
    )
    return cacheable(response, request)


@public
def public_routine_attachment(request, routine_id):
    routine = selectors.routine_get(routine_id, public_only=True)
    current = selectors.current_version(routine)
    if current is None:
        raise Http404
    return _pdf_response(routine, current)
