"""Pages for goal progress and sign-off: the doctor, the supervisors, the leader, the office.

The decorator states the permission; per-doctor pages check it again against the doctor's
municipality (leaders) or the supervision assignments (veileder/supervisør).
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import office_permission
from alis.spreadsheets import escape_row
from confirmations import services as confirmation_services
from confirmations.models import Confirmation
from municipalities.models import EducationUnitRegistration
from trainees import selectors as trainee_selectors
from trainees.models import Trainee

from . import progress_selectors as sel
from . import progress_services as svc
from .models import LearningGoal
from .progress import DigestLink
from .progress_forms import ActivityForm, AdviceForm, DecisionForm, RevokeForm, SignForm

T = "plans/progress/"


def _own_trainee(request) -> Trainee:
    trainee = trainee_selectors.trainee_for_user(request.office, request.user)
    if trainee is None:
        raise Http404
    return trainee


def _trainee(request, trainee_id: int, perm: str) -> Trainee:
    trainee = trainee_selectors.trainee_get(request.office, trainee_id)
    if not request.access.can(perm, trainee.municipality):
        raise PermissionDenied
    return trainee


def _municipality_ids(request, perm: str):
    access = request.access
    return None if access.is_coordinator else access.municipality_ids(perm)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- The doctor -------------------------------------------------------------------------


@office_permission("progress.view_own")
def my_progress(request, office_slug):
    trainee = _own_trainee(request)
    context = {"progress": sel.trainee_progress(request.office, trainee), "own": True}
    return render(request, T + "progress.html", context)


@office_permission("progress.view_own")
def activity_create(request, office_slug):
    trainee = _own_trainee(request)
    form = ActivityForm(request.POST or None, request.FILES or None, goals=sel.current_goals())
    if request.method == "POST" and form.is_valid():
        try:
            svc.activity_record(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Aktiviteten er registrert."))
            return redirect("my_progress", request.office.slug)
    return render(request, T + "activity_form.html", {"form": form})


@office_permission("progress.view_own")
def my_goal(request, office_slug, goal_id):
    trainee = _own_trainee(request)
    goal = get_object_or_404(LearningGoal, pk=goal_id)
    progress = sel.GoalProgress.objects.filter(
        office=request.office, trainee=trainee, goal=goal
    ).first()
    if request.method == "POST":
        try:
            svc.goal_submit(
                office=request.office, acting_user=request.user, trainee=trainee, goal=goal
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Målet er levert til godkjenning."))
        return redirect("my_goal", request.office.slug, goal.pk)
    context = {
        "goal": goal,
        "progress": progress,
        "activities": list(sel.activities_for_goal(request.office, trainee, goal)),
        "can_submit": progress is None or progress.status in svc.OPEN_STATUSES,
    }
    return render(request, T + "my_goal.html", context)


def _export_rows(request, trainee):
    # Titles and approvers' names are text people wrote: escaped against formula injection.
    return [
        escape_row((g.code, g.title, g.approved_on.isoformat(), g.approved_by))
        for g in sel.achieved_goals_for(request.office, trainee)
    ]


EXPORT_HEADER = ("kode", "tittel", "godkjent_dato", "godkjent_av")


@office_permission("progress.view_own")
def export_csv(request, office_slug):
    trainee = _own_trainee(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="oppnaadde-laeringsmaal.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(EXPORT_HEADER)
    writer.writerows(_export_rows(request, trainee))
    return response


@office_permission("progress.view_own")
def export_xlsx(request, office_slug):
    from io import BytesIO

    from openpyxl import Workbook

    trainee = _own_trainee(request)
    book = Workbook()
    sheet = book.active
    sheet.title = "Oppnådde læringsmål"
    sheet.append(EXPORT_HEADER)
    for row in _export_rows(request, trainee):
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="oppnaadde-laeringsmaal.xlsx"'
    return response


@office_permission("progress.view_own")
def my_confirmations(request, office_slug):
    trainee = _own_trainee(request)
    confirmations = Confirmation.objects.filter(office=request.office, trainee=trainee)
    return render(
        request, T + "confirmations.html", {"trainee": trainee, "confirmations": confirmations}
    )


# --- Supervisors --------------------------------------------------------------------------


@office_permission("progress.sign")
def sign_queue(request, office_slug):
    queue = sel.supervisor_queue(request.office, request.user)
    ids = [a.pk for a in queue["activities"]]
    form = SignForm(
        request.POST or None,
        activities=sel.LearningActivity.objects.filter(office=request.office, pk__in=ids),
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = svc.activities_sign(
                office=request.office,
                acting_user=request.user,
                activities=form.cleaned_data["activities"].select_related("trainee"),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(n)s aktivitet(er) er signert.") % {"n": len(done)})
            return redirect("sign_queue", request.office.slug)
    return render(request, T + "sign_queue.html", {**queue, "form": form})


@office_permission("progress.sign")
def advise(request, office_slug, progress_id):
    progress = sel.progress_get(request.office, progress_id)
    if not svc.supervisor_roles(progress.trainee, request.user):
        raise PermissionDenied
    form = AdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.goal_advise(
                office=request.office,
                acting_user=request.user,
                progress=progress,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Rådet er registrert."))
            return redirect("sign_queue", request.office.slug)
    context = {"p": progress, "form": form, **sel.progress_evidence(request.office, progress)}
    return render(request, T + "advise.html", context)


@office_permission("progress.sign")
def digest_link(request, office_slug, token):
    try:
        link = svc.digest_link_use(office=request.office, acting_user=request.user, token=token)
    except ValidationError as error:
        return render(request, T + "link_used.html", {"message": _error_text(error)}, status=410)
    if link.kind == DigestLink.Kind.ADVISE:
        return redirect("goal_advise", request.office.slug, link.progress_id)
    return redirect(f"/{request.office.slug}/signering/#aktivitet-{link.activity_id}")


# --- The municipal leader -----------------------------------------------------------------


@office_permission("progress.approve")
def approval_queue(request, office_slug):
    items = list(sel.approval_queue(request.office, _municipality_ids(request, "progress.approve")))
    for p in items:
        p.missing = svc.missing_advice(p, p.advice.all())
    return render(request, T + "approval_queue.html", {"items": items})


@office_permission("progress.approve")
def approval_detail(request, office_slug, progress_id):
    progress = sel.progress_get(request.office, progress_id)
    if not request.access.can("progress.approve", progress.trainee.municipality):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kwargs = {
            "office": request.office,
            "acting_user": request.user,
            "access": request.access,
            "progress": progress,
        }
        try:
            if "return" in request.POST:
                svc.goal_return(reason=form.cleaned_data["reason"], **kwargs)
                messages.success(request, _("Målet er returnert til legen."))
            else:
                svc.goal_approve(**kwargs)
                messages.success(request, _("Målet er godkjent."))
        except ValidationError as error:
            form.add_error("reason" if "return" in request.POST else None, _error_text(error))
        else:
            return redirect("approval_queue", request.office.slug)
    context = {"p": progress, "form": form, **sel.progress_evidence(request.office, progress)}
    return render(request, T + "approval_detail.html", context)


@office_permission("progress.view")
def trainee_progress(request, office_slug, trainee_id):
    trainee = _trainee(request, trainee_id, "progress.view")
    context = {
        "progress": sel.trainee_progress(request.office, trainee),
        "can_issue": request.access.can("confirmation.issue", trainee.municipality),
    }
    return render(request, T + "progress.html", context)


@office_permission("progress.view")
def overview(request, office_slug):
    rows = sel.region_overview(request.office, _municipality_ids(request, "progress.view"))
    sort = request.GET.get("sorter", "risiko")
    if sort == "navn":
        rows.sort(key=lambda r: (r.trainee.last_name, r.trainee.first_name))
    else:
        rows.sort(key=lambda r: -r.risk)
    return render(request, T + "overview.html", {"rows": rows, "sort": sort})


# --- Confirmations ------------------------------------------------------------------------


def _signer_name(request, municipality) -> str:
    name = request.user.get_full_name() or request.user.email
    return _("%(name)s, kommunal leder, %(municipality)s kommune") % {
        "name": name,
        "municipality": municipality.name,
    }


def _org_number(municipality) -> str:
    registration = EducationUnitRegistration.objects.filter(
        office=municipality.office_id, municipality=municipality, status="approved"
    ).first()
    return registration.org_number if registration else ""


def _issue(request, trainee, supersedes=None):
    return confirmation_services.confirmation_request(
        office=request.office,
        acting_user=request.user,
        trainee=trainee,
        goals=sel.achieved_goals_for(request.office, trainee),
        signer_name=_signer_name(request, trainee.municipality),
        organisation_number=_org_number(trainee.municipality),
        supersedes=supersedes,
    )


@office_permission("confirmation.issue")
def trainee_confirmations(request, office_slug, trainee_id):
    trainee = _trainee(request, trainee_id, "confirmation.issue")
    if request.method == "POST":
        try:
            _issue(request, trainee)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Bekreftelsen lages nå."))
        return redirect("trainee_confirmations", request.office.slug, trainee.pk)
    confirmations = Confirmation.objects.filter(office=request.office, trainee=trainee)
    context = {
        "trainee": trainee,
        "confirmations": confirmations,
        "leader": True,
        "achieved": len(sel.achieved_goals_for(request.office, trainee)),
        "revoke_form": RevokeForm(),
    }
    return render(request, T + "confirmations.html", context)


def _confirmation(request, confirmation_id) -> Confirmation:
    confirmation = get_object_or_404(
        Confirmation.objects.select_related("trainee", "municipality"),
        office=request.office,
        pk=confirmation_id,
    )
    access = request.access
    own = confirmation.trainee.user_id == request.user.pk
    if not (
        access.is_coordinator or own or access.can("confirmation.issue", confirmation.municipality)
    ):
        raise PermissionDenied
    return confirmation


@office_permission("confirmation.download")
def confirmation_status(request, office_slug, confirmation_id):
    """The htmx fragment polled every 2 s while a confirmation is being made."""
    c = _confirmation(request, confirmation_id)
    return render(request, T + "confirmation_status.html", {"c": c})


@require_POST
@office_permission("confirmation.issue")
def confirmation_revoke(request, office_slug, confirmation_id):
    c = _confirmation(request, confirmation_id)
    if not request.access.can("confirmation.issue", c.municipality):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    try:
        confirmation_services.confirmation_revoke(
            office=request.office,
            acting_user=request.user,
            confirmation=c,
            reason=form.data.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Bekreftelsen er tilbakekalt."))
    return redirect("trainee_confirmations", request.office.slug, c.trainee_id)


@require_POST
@office_permission("confirmation.issue")
def confirmation_supersede(request, office_slug, confirmation_id):
    c = _confirmation(request, confirmation_id)
    if not request.access.can("confirmation.issue", c.municipality):
        raise PermissionDenied
    try:
        _issue(request, c.trainee, supersedes=c)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("En ny bekreftelse som erstatter den gamle lages nå."))
    return redirect("trainee_confirmations", request.office.slug, c.trainee_id)


@require_POST
@office_permission("confirmation.issue")
def confirmations_issue_all(request, office_slug, number):
    from municipalities.selectors import municipality_get

    municipality = municipality_get(request.office, number)
    if not request.access.can("confirmation.issue", municipality):
        raise PermissionDenied
    issued = 0
    trainees = Trainee.objects.filter(
        office=request.office, municipality=municipality, status__in=["aktiv", "permisjon"]
    ).select_related("municipality")
    for trainee in trainees:
        if sel.achieved_goals_for(request.office, trainee):
            _issue(request, trainee)
            issued += 1
    messages.success(request, _("%(n)s bekreftelse(r) lages nå.") % {"n": issued})
    return redirect("approval_queue", request.office.slug)
