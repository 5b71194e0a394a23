"""Pages for ALIS doctors, their periods and supervisors, the supervisor pool and groups.

Access: the decorator states the permission; a leader's permission holds only for their own
municipality, so views that show one doctor check it again against the doctor's municipality.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import office_permission
from audit.models import SecurityEvent
from audit.services import log_event, log_read
from municipalities.selectors import municipalities_for_office, municipality_get
from offices import clock
from offices.forms import call_service, error_text, run_service
from offices.pagination import paginate
from offices.permissions import Role

from . import selectors, services
from .access import access_own_trainee, access_trainee
from .forms import (
    AssignmentEndForm,
    AssignmentForm,
    ContactForm,
    CourseRecordForm,
    DeclineTransferForm,
    GroupForm,
    GroupMeetingForm,
    ServicePeriodForm,
    SupervisorForm,
    TraineeForm,
    TransferForm,
)
from .models import ServicePeriod

Kind = SecurityEvent.Kind
# The doctor list's filter for doctors in training without a veileder (the inbox card links it).
WITHOUT_VEILEDER = "uten-veileder"


def _form_page(request, form, *, title: str, submit: str, cancel: str, intro: str = ""):
    context = {"form": form, "title": title, "submit": submit, "cancel": cancel, "intro": intro}
    return render(request, "trainees/form.html", context)


# --- ALIS doctors ---------------------------------------------------------------------------


@office_permission("trainee.view")
def trainee_list(request, office_slug):
    query = request.GET.get("q", "")
    # «uten-veileder»: the inbox card's doctors, by the card's own rule.
    without_veileder = request.GET.get(WITHOUT_VEILEDER) == "1"
    trainees = selectors.trainees_for_office(
        request.office,
        municipality_ids=request.access.visible_municipality_ids("trainee.view"),
        query=query,
        only_without_veileder=without_veileder,
    )
    page = paginate(request, trainees)
    context = {"page": page, "query": query, "without_veileder": without_veileder}
    if request.access.can("transfer.decide"):
        context["incoming_pending"] = selectors.transfers_incoming_pending_count(request.office)
    return render(request, "trainees/trainee_list.html", context)


@office_permission("trainee.manage")
def trainee_create(request, office_slug):
    municipalities = municipalities_for_office(request.office)
    ids = request.access.visible_municipality_ids("trainee.manage")
    if ids is not None:
        municipalities = municipalities.filter(pk__in=ids)
    form = TraineeForm(
        request.POST or None,
        office=request.office,
        municipalities=municipalities,
        municipality_ids=ids,
        can_invite=Role.ALIS in request.access.invitable_roles(),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        invite = data.pop("invite", False)
        saved, trainee = run_service(
            form,
            lambda: services.trainee_register(
                office=request.office, acting_user=request.user, invite=invite, **data
            ),
        )
        if saved:
            if invite:
                text = _("%(name)s er registrert, og invitasjonen er sendt til %(email)s.")
            else:
                text = _("%(name)s er registrert.")
            messages.success(request, text % {"name": trainee, "email": trainee.email})
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
    trainee = access_trainee(request, trainee_id)
    log_read(request, trainee, "legeoppføring")
    context = _trainee_context(trainee)
    context["can_manage"] = request.access.can("trainee.manage", trainee.municipality)
    context["pending_transfer"] = selectors.pending_transfer_for(trainee)
    return render(request, "trainees/trainee_detail.html", context)


def _trainee_context(trainee) -> dict:
    periods = list(selectors.periods_for_trainee(trainee))
    assignments = list(selectors.assignments_for_trainee(trainee))
    today = clock.today()
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
    trainee = access_trainee(request, trainee_id, "trainee.manage")
    form = TraineeForm(
        request.POST or None,
        instance=trainee,
        office=request.office,
        municipality_ids=request.access.visible_municipality_ids("trainee.manage"),
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
    """Another municipality of the office: the doctor moves now. One served by another office:
    a request that office accepts or declines; nothing moves before it accepts."""
    trainee = access_trainee(request, trainee_id, "trainee.manage")
    form = TransferForm(request.POST or None, exclude=trainee.municipality)
    if request.method == "POST" and form.is_valid():
        to_other_office = form.cleaned_data["to_municipality"].office_id != request.office.pk
        service = services.transfer_request_create if to_other_office else services.trainee_transfer
        saved, result = run_service(
            form,
            lambda: service(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                access=request.access,
                **form.cleaned_data,
            ),
        )
        if saved and to_other_office:
            _log_transfer(request, Kind.TRANSFER_REQUESTED, result)
            messages.success(
                request,
                _(
                    "Forespørselen er sendt til %(office)s. %(name)s flyttes først når de "
                    "godtar den; svaret ser dere under «Overføringer»."
                )
                % {"office": result.to_office, "name": trainee},
            )
            return redirect("trainee_detail", office_slug, trainee.pk)
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
            "til en kommune i en annen region, sendes en forespørsel til det ALIS-kontoret: "
            "legen flyttes først når de godtar, og da overtar de alt; dere beholder "
            "lesetilgang til periodene dere hadde ansvar for."
        ),
    )


def _log_transfer(request, kind, transfer) -> None:
    log_event(
        kind=kind,
        request=request,
        user=request.user,
        detail=(
            f"{transfer.trainee_name} (HPR {transfer.hpr_number}): "
            f"{transfer.from_municipality.name} ({transfer.office.name}) → "
            f"{transfer.to_municipality.name} ({transfer.to_office.name}) fra {transfer.on}"
        ),
    )


@office_permission("trainee.manage")
def transfer_list(request, office_slug):
    """Requests to and from other offices: the receiving coordinator answers here, the sender
    follows the outcome (a leader sees those from their own municipality)."""
    ids = request.access.visible_municipality_ids("trainee.manage")
    context = {
        "outgoing": selectors.transfers_outgoing(request.office, municipality_ids=ids)[:100],
        "incoming": (
            selectors.transfers_incoming(request.office)[:100]
            if request.access.can("transfer.decide")
            else None
        ),
    }
    return render(request, "trainees/transfer_list.html", context)


@office_permission("trainee.manage")
def transfer_detail(request, office_slug, transfer_id):
    """One request; POST `action=accept`, `action=decline` with a reason (the receiving
    office's coordinators), or `action=withdraw` (the sender)."""
    ids = request.access.visible_municipality_ids("trainee.manage")
    transfer = selectors.transfer_get(request.office, transfer_id, municipality_ids=ids)
    incoming = transfer.to_office_id == request.office.pk
    can_answer = incoming and request.access.can("transfer.decide")
    action = request.POST.get("action")
    decline_form = DeclineTransferForm(request.POST if action == "decline" else None)
    problem = None
    if request.method == "POST" and transfer.is_pending:
        if action in ("accept", "decline") and not can_answer:
            raise PermissionDenied
        if action == "withdraw" and incoming:
            raise PermissionDenied
        if action in ("accept", "withdraw") or decline_form.is_valid():
            message, error = call_service(
                lambda: _answer_transfer(request, transfer, action, decline_form)
            )
            if error is not None:
                problem = error_text(error)
            else:
                messages.success(request, message)
                return redirect("transfer_list", office_slug)
    context = {
        "transfer": transfer,
        "incoming": incoming,
        "can_answer": can_answer and transfer.is_pending,
        "can_withdraw": not incoming and transfer.is_pending,
        "decline_form": decline_form,
        "problem": problem,
    }
    return render(request, "trainees/transfer_detail.html", context)


def _answer_transfer(request, transfer, action, decline_form) -> str:
    """Runs the answer through the services and logs it; returns the confirmation."""
    common = {"office": request.office, "acting_user": request.user, "transfer": transfer}
    name = transfer.trainee_name
    if action == "accept":
        result = services.transfer_request_accept(**common)
        _log_transfer(request, Kind.TRANSFER_ACCEPTED, transfer)
        return _("%(name)s er overført til %(m)s. Hele historikken er nå hos dere.") % {
            "name": result.trainee,
            "m": result.trainee.municipality,
        }
    if action == "withdraw":
        services.transfer_request_withdraw(**common)
        _log_transfer(request, Kind.TRANSFER_WITHDRAWN, transfer)
        return _("Forespørselen om å overføre %(name)s er trukket tilbake.") % {"name": name}
    services.transfer_request_decline(**common, **decline_form.cleaned_data)
    _log_transfer(request, Kind.TRANSFER_DECLINED, transfer)
    return _("Overføringen av %(name)s er avslått. Legen blir værende.") % {"name": name}


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
        request.office, municipality_ids=request.access.visible_municipality_ids("trainee.view")
    )
    return render(request, "trainees/former_list.html", {"doctors": doctors})


# --- The doctor's own page ------------------------------------------------------------------


@office_permission("trainee.view_own")
def my_record(request, office_slug):
    trainee = selectors.trainee_for_user(request.office, request.user)
    if trainee is None:
        # Registered before they had an account: the doctor links the record themselves.
        if request.method == "POST":
            if services.trainee_link_for_user(office=request.office, user=request.user):
                return redirect("my_record", request.office.slug)
        linkable = selectors.linkable_trainee(request.office, request.user)
        return render(request, "trainees/my_record_missing.html", {"linkable": linkable})
    context = _trainee_context(trainee)
    return render(request, "trainees/my_record.html", context)


@office_permission("trainee.view_own")
def my_contact(request, office_slug):
    trainee = access_own_trainee(request)
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
    return selectors.period_get(request.office, trainee, period_id)


@office_permission("trainee.manage")
def period_create(request, office_slug, trainee_id):
    trainee = access_trainee(request, trainee_id, "trainee.manage")
    return _period_form(request, office_slug, trainee, None)


@office_permission("trainee.manage")
def period_edit(request, office_slug, trainee_id, period_id):
    trainee = access_trainee(request, trainee_id, "trainee.manage")
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
    trainee = access_trainee(request, trainee_id, "trainee.manage")
    period = _period(request, trainee, period_id)
    if request.method == "POST":
        services.period_delete(office=request.office, acting_user=request.user, period=period)
        messages.success(request, _("Tjenesteperioden er slettet."))
        return redirect("trainee_detail", office_slug, trainee.pk)
    return render(request, "trainees/period_delete.html", {"trainee": trainee, "period": period})


# --- Supervisors ----------------------------------------------------------------------------


@office_permission("trainee.manage")
def assignment_create(request, office_slug, trainee_id):
    trainee = access_trainee(request, trainee_id, "trainee.manage")
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
    trainee = access_trainee(request, trainee_id, "trainee.manage")
    assignment = selectors.assignment_get(request.office, trainee, assignment_id)
    form = AssignmentEndForm(request.POST or None, initial={"end": clock.today()})
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
        supervisors = selectors.supervisors_with_load(request.office).order_by("name", "pk")
    context = {
        "page": paginate(request, supervisors),
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
        municipality_ids=request.access.visible_municipality_ids("group.manage"),
        user=request.user,
    )
    trusts = selectors.groups_by_health_trust(groups)
    return render(request, "trainees/group_list.html", {"groups": groups, "trusts": trusts})


@office_permission("group.manage")
def group_create(request, office_slug):
    return _group_form(request, office_slug, None)


@office_permission("group.manage")
def group_edit(request, office_slug, group_id):
    groups = selectors.groups_for_office(
        request.office,
        municipality_ids=request.access.visible_municipality_ids("group.manage"),
        user=request.user,
    )
    group = get_object_or_404(groups, pk=group_id)
    return _group_form(request, office_slug, group)


def _group_form(request, office_slug, group):
    ids = request.access.visible_municipality_ids("group.manage")
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
    assignments = selectors.current_assignments_of_supervisor(
        request.office, request.user, today=clock.today()
    )
    context = {"municipalities": municipalities, "assignments": assignments}
    return render(request, "trainees/supervisor_home.html", context)


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# --- Supervision log ------------------------------------------------------------------------


@office_permission("group.manage")
def group_meetings(request, office_slug, group_id):
    groups = selectors.groups_for_office(
        request.office,
        municipality_ids=request.access.visible_municipality_ids("group.manage"),
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

    trainee = access_trainee(request, trainee_id, "trainee.manage")
    return _courses_page(
        request, trainee, back=reverse("trainee_detail", args=[office_slug, trainee.pk])
    )


@office_permission("trainee.view_own")
def my_courses(request, office_slug):
    from django.urls import reverse

    trainee = access_own_trainee(request)
    return _courses_page(request, trainee, back=reverse("my_record", args=[office_slug]))
