"""Pages for ALIS doctors, their periods and supervisors, the supervisor pool and groups.

Access: the decorator states the permission; a leader's permission holds only for their own
municipality, so views that show one doctor check it again against the doctor's municipality.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import office_permission
from alis.forms import run_service
from audit.services import log_read
from municipalities.selectors import municipalities_for_office, municipality_get

from . import selectors, services
from .forms import (
    AssignmentEndForm,
    AssignmentForm,
    ContactForm,
    CourseRecordForm,
    GroupForm,
    GroupMeetingForm,
    ServicePeriodForm,
    SessionForm,
    SupervisorForm,
    TraineeForm,
    TransferForm,
)
from .models import ServicePeriod, SupervisorAssignment, SupervisorRole


def _municipality_ids(request, perm: str) -> set[int] | None:
    """None for coordinators (the whole region); a leader's own municipalities otherwise."""
    access = request.access
    return None if access.is_coordinator else access.municipality_ids(perm)


def _require(request, perm: str, municipality) -> None:
    if not request.access.can(perm, municipality):
        raise PermissionDenied


def _form_page(request, form, *, title: str, submit: str, cancel: str, intro: str = ""):
    context = {"form": form, "title": title, "submit": submit, "cancel": cancel, "intro": intro}
    return render(request, "trainees/form.html", context)


def _trainee(request, trainee_id: int, perm: str = "trainee.view"):
    trainee = selectors.trainee_get(request.office, trainee_id)
    _require(request, perm, trainee.municipality)
    return trainee


# --- ALIS doctors ---------------------------------------------------------------------------


@office_permission("trainee.view")
def trainee_list(request, office_slug):
    query = request.GET.get("q", "")
    trainees = selectors.trainees_for_office(
        request.office, municipality_ids=_municipality_ids(request, "trainee.view"), query=query
    )
    return render(request, "trainees/trainee_list.html", {"trainees": trainees, "query": query})


@office_permission("trainee.manage")
def trainee_create(request, office_slug):
    municipalities = municipalities_for_office(request.office)
    ids = _municipality_ids(request, "trainee.manage")
    if ids is not None:
        municipalities = municipalities.filter(pk__in=ids)
    form = TraineeForm(
        request.POST or None,
        office=request.office,
        municipalities=municipalities,
        municipality_ids=ids,
    )
    if request.method == "POST" and form.is_valid():
        saved, trainee = run_service(
            form,
            lambda: services.trainee_create(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("%(name)s er registrert.") % {"name": trainee})
            return redirect("trainee_detail", office_slug, trainee.pk)
    return _form_page(
        request,
        form,
        title=_("Ny ALIS-lege"),
        submit=_("Registrer legen"),
        cancel=_url("trainee_list", office_slug),
        intro=_("Fødselsnummer skal ikke registreres; HPR-nummeret identifiserer legen."),
    )


@office_permission("trainee.view")
def trainee_detail(request, office_slug, trainee_id):
    trainee = _trainee(request, trainee_id)
    log_read(request, trainee, "legeoppføring")
    context = _trainee_context(trainee)
    context["can_manage"] = request.access.can("trainee.manage", trainee.municipality)
    return render(request, "trainees/trainee_detail.html", context)


def _trainee_context(trainee) -> dict:
    periods = list(selectors.periods_for_trainee(trainee))
    assignments = list(selectors.assignments_for_trainee(trainee))
    today = date.today()
    return {
        "trainee": trainee,
        "periods": periods,
        "summary": selectors.service_summary(periods, today),
        "veileders": [a for a in assignments if a.role == "veileder"],
        "supervisors": [a for a in assignments if a.role == "supervisor"],
        "groups": selectors.groups_for_trainee(trainee),
        "history": selectors.trainee_history(trainee),
        "today": today,
    }


@office_permission("trainee.manage")
def trainee_edit(request, office_slug, trainee_id):
    trainee = _trainee(request, trainee_id, "trainee.manage")
    form = TraineeForm(
        request.POST or None,
        instance=trainee,
        office=request.office,
        municipality_ids=_municipality_ids(request, "trainee.manage"),
    )
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: services.trainee_update(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Endringene er lagret."))
            return redirect("trainee_detail", office_slug, trainee.pk)
    return _form_page(
        request,
        form,
        title=_("Endre %(name)s") % {"name": trainee},
        submit=_("Lagre"),
        cancel=_url("trainee_detail", office_slug, trainee.pk),
        intro=_("Bytte av kommune gjøres med «Overfør til annen kommune» på legens side."),
    )


@office_permission("trainee.manage")
def trainee_transfer(request, office_slug, trainee_id):
    trainee = _trainee(request, trainee_id, "trainee.manage")
    form = TransferForm(request.POST or None, exclude=trainee.municipality)
    if request.method == "POST" and form.is_valid():
        saved, result = run_service(
            form,
            lambda: services.trainee_transfer(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                **form.cleaned_data,
            ),
        )
        if saved:
            return _after_transfer(request, office_slug, result)
    return _form_page(
        request,
        form,
        title=_("Overfør %(name)s til annen kommune") % {"name": trainee},
        submit=_("Overfør"),
        cancel=_url("trainee_detail", office_slug, trainee.pk),
        intro=_(
            "Hele historikken følger legen. Løpende perioder avsluttes dagen før. Flytter legen "
            "til en kommune i en annen region, overtar det ALIS-kontoret alt; dere beholder "
            "lesetilgang til periodene dere hadde ansvar for."
        ),
    )


def _after_transfer(request, office_slug, result):
    trainee = result.trainee
    if trainee.office_id == request.office.pk and request.access.can(
        "trainee.view", trainee.municipality
    ):
        messages.success(
            request,
            _("%(name)s er overført til %(m)s.") % {"name": trainee, "m": trainee.municipality},
        )
        return redirect("trainee_detail", office_slug, trainee.pk)
    messages.success(
        request,
        _(
            "%(name)s er overført til %(m)s, som betjenes av %(office)s. Periodene dere hadde "
            "ansvar for finner dere under «Tidligere leger»."
        )
        % {"name": trainee, "m": trainee.municipality, "office": trainee.office},
    )
    return redirect("trainee_list", office_slug)


@office_permission("trainee.view")
def former_trainees(request, office_slug):
    doctors = selectors.periods_served_for_former_office(
        request.office, municipality_ids=_municipality_ids(request, "trainee.view")
    )
    return render(request, "trainees/former_list.html", {"doctors": doctors})


# --- The doctor's own page ------------------------------------------------------------------


def _own_trainee(request):
    trainee = selectors.trainee_for_user(request.office, request.user)
    if trainee is None:
        # Linking on first visit covers a doctor who got their account after being registered.
        trainee = services.trainee_link_for_user(office=request.office, user=request.user)
    return trainee


@office_permission("trainee.view_own")
def my_record(request, office_slug):
    trainee = _own_trainee(request)
    if trainee is None:
        return render(request, "trainees/my_record_missing.html")
    context = _trainee_context(trainee)
    return render(request, "trainees/my_record.html", context)


@office_permission("trainee.view_own")
def my_contact(request, office_slug):
    trainee = _own_trainee(request)
    if trainee is None:
        raise Http404
    initial = {"email": trainee.email, "phone": trainee.phone}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: services.trainee_update_contact(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Kontaktopplysningene er oppdatert."))
            return redirect("my_record", office_slug)
    return _form_page(
        request,
        form,
        title=_("Endre kontaktopplysninger"),
        submit=_("Lagre"),
        cancel=_url("my_record", office_slug),
        intro=_("Andre endringer (f.eks. HPR-nummer eller ordning) gjør kommunens leder."),
    )


# --- Service periods ------------------------------------------------------------------------


def _period(request, trainee, period_id) -> ServicePeriod:
    return get_object_or_404(
        ServicePeriod.objects.filter(office=request.office, trainee=trainee), pk=period_id
    )


@office_permission("trainee.manage")
def period_create(request, office_slug, trainee_id):
    trainee = _trainee(request, trainee_id, "trainee.manage")
    return _period_form(request, office_slug, trainee, None)


@office_permission("trainee.manage")
def period_edit(request, office_slug, trainee_id, period_id):
    trainee = _trainee(request, trainee_id, "trainee.manage")
    return _period_form(request, office_slug, trainee, _period(request, trainee, period_id))


def _period_form(request, office_slug, trainee, period):
    form = ServicePeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        common = {"office": request.office, "acting_user": request.user, **form.cleaned_data}
        saved, _unused = run_service(
            form,
            lambda: (
                services.period_create(trainee=trainee, **common)
                if period is None
                else services.period_update(period=period, **common)
            ),
        )
        if saved:
            messages.success(request, _("Tjenesteperioden er lagret."))
            return redirect("trainee_detail", office_slug, trainee.pk)
    title = _("Ny tjenesteperiode") if period is None else _("Endre tjenesteperiode")
    return _form_page(
        request,
        form,
        title=f"{title} – {trainee}",
        submit=_("Lagre perioden"),
        cancel=_url("trainee_detail", office_slug, trainee.pk),
        intro=_(
            "Permisjon registreres som egen periode og teller ikke som tjeneste. Samtidige "
            "perioder kan til sammen være høyst 100 %."
        ),
    )


@office_permission("trainee.manage")
@require_http_methods(["GET", "POST"])
def period_delete(request, office_slug, trainee_id, period_id):
    trainee = _trainee(request, trainee_id, "trainee.manage")
    period = _period(request, trainee, period_id)
    if request.method == "POST":
        services.period_delete(office=request.office, acting_user=request.user, period=period)
        messages.success(request, _("Tjenesteperioden er slettet."))
        return redirect("trainee_detail", office_slug, trainee.pk)
    return render(request, "trainees/period_delete.html", {"trainee": trainee, "period": period})


# --- Supervisors ----------------------------------------------------------------------------


@office_permission("trainee.manage")
def assignment_create(request, office_slug, trainee_id):
    trainee = _trainee(request, trainee_id, "trainee.manage")
    supervisors = selectors.supervisors_for_municipality(
        request.office, trainee.municipality, only_free=False
    )
    form = AssignmentForm(request.POST or None, supervisors=supervisors)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["supervisor"]
        saved, _unused = run_service(
            form,
            lambda: services.assignment_create(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Veiledningen er registrert."))
            if form.cleaned_data["role"] == "veileder" and chosen.free <= 0:
                messages.warning(
                    request,
                    _(
                        "%(name)s er nå veileder for flere ALIS-leger enn kapasiteten "
                        "(%(capacity)s). Avtal det med veilederen og ALIS-kontoret."
                    )
                    % {"name": chosen.name, "capacity": chosen.capacity},
                )
            return redirect("trainee_detail", office_slug, trainee.pk)
    return _form_page(
        request,
        form,
        title=_("Veileder eller supervisør for %(name)s") % {"name": trainee},
        submit=_("Oppnevn"),
        cancel=_url("trainee_detail", office_slug, trainee.pk),
        intro=_(
            "Legen har én veileder om gangen: en ny veileder avslutter den forrige dagen før. "
            "Veilederen skal være spesialist i allmennmedisin; unntak krever begrunnelse og "
            "sluttdato. Supervisører kan det være flere av."
        ),
    )


@office_permission("trainee.manage")
def assignment_end(request, office_slug, trainee_id, assignment_id):
    trainee = _trainee(request, trainee_id, "trainee.manage")
    assignment = get_object_or_404(
        SupervisorAssignment.objects.filter(office=request.office, trainee=trainee),
        pk=assignment_id,
    )
    form = AssignmentEndForm(request.POST or None, initial={"end": date.today()})
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: services.assignment_end(
                office=request.office,
                acting_user=request.user,
                assignment=assignment,
                end=form.cleaned_data["end"],
            ),
        )
        if saved:
            messages.success(request, _("Veiledningen er avsluttet."))
            return redirect("trainee_detail", office_slug, trainee.pk)
    return _form_page(
        request,
        form,
        title=_("Avslutt %(role)s %(name)s")
        % {"role": assignment.get_role_display().lower(), "name": assignment.supervisor_name},
        submit=_("Avslutt"),
        cancel=_url("trainee_detail", office_slug, trainee.pk),
    )


# --- Supervisor pool ------------------------------------------------------------------------


@office_permission("supervisor.view_pool")
def pool_list(request, office_slug):
    access = request.access
    number = request.GET.get("kommune", "")
    own = [m.municipality for m in access.memberships if m.role == "leder"]
    municipality = municipality_get(request.office, number) if number else None
    if municipality is None and not access.is_coordinator and own:
        municipality = own[0]
    show_all = request.GET.get("alle") == "1"
    if municipality is not None:
        supervisors = selectors.supervisors_for_municipality(
            request.office, municipality, only_free=not show_all
        )
    else:
        supervisors = selectors.supervisors_with_load(request.office).order_by("name")
    context = {
        "supervisors": supervisors,
        "municipality": municipality,
        "own_municipalities": own,
        "show_all": show_all,
        "can_manage": access.can("supervisor.manage_pool"),
        "municipalities": municipalities_for_office(request.office),
    }
    return render(request, "trainees/pool_list.html", context)


@office_permission("supervisor.manage_pool")
def pool_create(request, office_slug):
    return _pool_form(request, office_slug, None)


@office_permission("supervisor.manage_pool")
def pool_edit(request, office_slug, supervisor_id):
    supervisor = get_object_or_404(
        selectors.supervisors_with_load(request.office), pk=supervisor_id
    )
    return _pool_form(request, office_slug, supervisor)


def _pool_form(request, office_slug, supervisor):
    form = SupervisorForm(request.POST or None, instance=supervisor, office=request.office)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        municipalities = list(data.pop("municipalities"))
        saved, _unused = run_service(
            form,
            lambda: services.supervisor_save(
                office=request.office,
                acting_user=request.user,
                supervisor=supervisor,
                municipalities=municipalities,
                **data,
            ),
        )
        if saved:
            messages.success(request, _("%(name)s er lagret i veilederpoolen.") % data)
            return redirect("pool_list", office_slug)
    return _form_page(
        request,
        form,
        title=_("Ny i veilederpoolen")
        if supervisor is None
        else _("Endre %(n)s") % {"n": supervisor},
        submit=_("Lagre"),
        cancel=_url("pool_list", office_slug),
    )


@office_permission("supervisor.view_capacity")
def capacity(request, office_slug):
    overview = selectors.capacity_overview(request.office)
    return render(request, "trainees/capacity.html", overview)


# --- Group supervision ----------------------------------------------------------------------


@office_permission("group.manage")
def group_list(request, office_slug):
    groups = selectors.groups_for_office(
        request.office,
        municipality_ids=_municipality_ids(request, "group.manage"),
        user=request.user,
    )
    return render(request, "trainees/group_list.html", {"groups": groups})


@office_permission("group.manage")
def group_create(request, office_slug):
    return _group_form(request, office_slug, None)


@office_permission("group.manage")
def group_edit(request, office_slug, group_id):
    groups = selectors.groups_for_office(
        request.office,
        municipality_ids=_municipality_ids(request, "group.manage"),
        user=request.user,
    )
    group = get_object_or_404(groups, pk=group_id)
    return _group_form(request, office_slug, group)


def _group_form(request, office_slug, group):
    ids = _municipality_ids(request, "group.manage")
    trainees = selectors.trainees_for_office(request.office, municipality_ids=ids)
    form = GroupForm(request.POST or None, instance=group, office=request.office, trainees=trainees)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = list(data.pop("members"))
        if group is not None and ids is not None:
            # A leader sees only their own doctors; the other members stay in the group.
            members += [t for t in group.members.all() if t.municipality_id not in ids]
        saved, _unused = run_service(
            form,
            lambda: services.group_save(
                office=request.office,
                acting_user=request.user,
                group=group,
                members=members,
                **data,
            ),
        )
        if saved:
            messages.success(request, _("Veiledningsgruppen er lagret."))
            return redirect("group_list", office_slug)
    return _form_page(
        request,
        form,
        title=_("Ny veiledningsgruppe") if group is None else _("Endre %(n)s") % {"n": group},
        submit=_("Lagre"),
        cancel=_url("group_list", office_slug),
        intro=_(
            "Gruppeveiledning: 2 år og 120 timer, minst ett av årene i åpen uselektert praksis."
        ),
    )


# --- The supervisor's own page (kept from the foundation) -----------------------------------


@office_permission("supervision.view_own")
def supervisor_home(request, office_slug):
    municipalities = [m.municipality for m in request.access.memberships if m.municipality_id]
    assignments = (
        SupervisorAssignment.objects.filter(office=request.office, supervisor__user=request.user)
        .filter(selectors.not_ended(date.today()))
        .select_related("trainee__municipality")
        .order_by("trainee__last_name")
    )
    context = {"municipalities": municipalities, "assignments": assignments}
    return render(request, "trainees/supervisor_home.html", context)


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# --- Supervision log ------------------------------------------------------------------------


def _log_trainee(request, trainee_id: int, perm: str):
    """A doctor whose log the user may see: leaders and the office by municipality; a veileder
    or supervisør only for the doctors they are assigned to."""
    trainee = selectors.trainee_get(request.office, trainee_id)
    _require(request, perm, trainee.municipality)
    if not request.access.can("trainee.view", trainee.municipality) and not (
        selectors.is_veileder_of(request.user, trainee)
    ):
        if selectors.was_supervisor_of(request.user, trainee):
            raise Http404  # the assignment has ended: so has the access
        raise PermissionDenied
    return trainee


def _compliance(trainee, sessions_records):
    from plans.rules import supervision_compliance
    from plans.selectors import rule_set_for

    today = date.today()
    rule_set = rule_set_for(trainee.scheme, today)
    if rule_set is None:
        return None
    return supervision_compliance(
        sessions_records,
        rule_set.values(),
        programme_start=trainee.specialisation_start,
        on=today,
    )


def _log_context(request, trainee) -> dict:
    with_minutes = selectors.can_read_minutes(request.user, trainee)
    sessions = list(selectors.sessions_for_trainee(trainee, with_minutes=with_minutes))
    records, _group = selectors.supervision_inputs(trainee)
    return {
        "trainee": trainee,
        "sessions": sessions,
        "with_minutes": with_minutes,
        "meetings": list(selectors.group_attendance_for_trainee(trainee)),
        "compliance": _compliance(trainee, records),
    }


@office_permission("supervision_log.view")
def supervision_log(request, office_slug, trainee_id):
    trainee = _log_trainee(request, trainee_id, "supervision_log.view")
    log_read(request, trainee, "veiledningslogg")
    context = _log_context(request, trainee)
    context["can_record"] = request.access.can("supervision_log.record", trainee.municipality)
    return render(request, "trainees/supervision_log.html", context)


@office_permission("supervision_log.view_own")
def my_supervision(request, office_slug):
    trainee = _own_trainee(request)
    if trainee is None:
        return render(request, "trainees/my_record_missing.html")
    context = _log_context(request, trainee)
    context["own"] = True
    return render(request, "trainees/supervision_log.html", context)


@office_permission("supervision_log.record")
def session_new(request, office_slug, trainee_id):
    from plans.forms import current_goals

    trainee = _log_trainee(request, trainee_id, "supervision_log.record")
    assignments = selectors.assignments_for_trainee(trainee).filter(role=SupervisorRole.VEILEDER)
    form = SessionForm(request.POST or None, assignments=assignments, goals=current_goals())
    if not selectors.can_read_minutes(request.user, trainee):
        # Whoever may not read the minutes cannot write them either.
        del form.fields["minutes"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        goals = data.pop("goals")
        saved, _unused = run_service(
            form,
            lambda: services.session_create(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                goals=goals,
                **data,
            ),
        )
        if saved:
            messages.success(request, _("Veiledningen er registrert."))
            return redirect("supervision_log", office_slug, trainee.pk)
    return _form_page(
        request,
        form,
        title=_("Registrer veiledning for %(n)s") % {"n": trainee.full_name},
        submit=_("Lagre"),
        cancel=_url("supervision_log", office_slug, trainee.pk),
        intro=_("Referatet kan bare legen og veilederen lese."),
    )


@office_permission("group.manage")
def group_meetings(request, office_slug, group_id):
    groups = selectors.groups_for_office(
        request.office,
        municipality_ids=_municipality_ids(request, "group.manage"),
        user=request.user,
    )
    group = get_object_or_404(groups, pk=group_id)
    form = GroupMeetingForm(request.POST or None, members=group.members.all())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved, _unused = run_service(
            form,
            lambda: services.group_meeting_create(
                office=request.office,
                acting_user=request.user,
                group=group,
                day=data["day"],
                hours=data["hours"],
                attendees=list(data["attendees"]),
            ),
        )
        if saved:
            messages.success(request, _("Møtet er registrert."))
            return redirect("group_meetings", office_slug, group.pk)
    context = {"group": group, "form": form, "meetings": selectors.meetings_for_group(group)}
    return render(request, "trainees/group_meetings.html", context)


@office_permission("supervision_log.overview")
def compliance_overview(request, office_slug):
    rows = selectors.compliance_overview(
        request.office,
        municipality_ids=_municipality_ids(request, "supervision_log.overview"),
        today=date.today(),
    )
    behind = sum(1 for r in rows if r.compliance and r.compliance.behind)
    context = {"rows": rows, "behind": behind}
    return render(request, "trainees/compliance_overview.html", context)


# --- Courses taken ----------------------------------------------------------------------------


def _courses_page(request, trainee, *, back: str):
    form = CourseRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: services.course_record_add(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Kurset er registrert."))
            return redirect(request.path)
    courses = selectors.courses_for_trainee(request.office, trainee)
    return render(
        request,
        "trainees/courses.html",
        {"trainee": trainee, "form": form, "courses": courses, "back": back},
    )


@office_permission("trainee.manage")
def trainee_courses(request, office_slug, trainee_id):
    from django.urls import reverse

    trainee = _trainee(request, trainee_id, "trainee.manage")
    return _courses_page(
        request, trainee, back=reverse("trainee_detail", args=[office_slug, trainee.pk])
    )


@office_permission("trainee.view_own")
def my_courses(request, office_slug):
    from django.urls import reverse

    trainee = _own_trainee(request)
    if trainee is None:
        raise Http404
    return _courses_page(request, trainee, back=reverse("my_record", args=[office_slug]))
