"""Pages for goal progress and sign-off: the doctor, the supervisors, the leader, the office.

The decorator states the permission; per-doctor pages check it again against the doctor's
municipality (leaders) or the supervision assignments (veileder/supervisør).
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import office_permission
from audit.services import log_export
from goals.models import DigestLink
from offices.forms import call_service, error_text, run_action, run_service
from offices.pagination import HEAVY_PAGE_SIZE, paginate
from offices.spreadsheets import escape_row
from trainees.access import (
    access_followed_trainee,
    access_own_trainee,
    own_trainee_or_missing_page,
)

from . import selectors as sel
from . import services as svc
from .forms import ActivityForm, AdviceForm, DecisionForm, GoalFilterForm, SignForm

T = "goals/"


# --- The doctor -------------------------------------------------------------------------


@office_permission("progress.view_own")
def my_progress(request, office_slug):
    trainee, missing = own_trainee_or_missing_page(request)
    if missing:
        return missing
    progress = sel.trainee_progress(request.office, trainee)
    return render(request, T + "progress.html", {**_goal_filter(request, progress), "own": True})


def _goal_filter(request, progress) -> dict:
    """The progress page's filter (status and a search word), as GET parameters."""
    form = GoalFilterForm(request.GET or None, counts=progress.counts)
    status = text = ""
    if form.is_valid():
        status, text = form.cleaned_data["status"], form.cleaned_data["q"]
    themes = sel.progress_filtered(progress, status=status, text=text)
    return {
        "progress": progress,
        "themes": themes,
        "filter_form": form,
        "filtered": bool(status or text),
        "shown": sum(len(rows) for _theme, rows in themes),
    }


@office_permission("progress.view_own")
def activity_create(request, office_slug):
    trainee = access_own_trainee(request)
    form = ActivityForm(request.POST or None, request.FILES or None, goals=sel.current_goals())
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: svc.activity_record(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Aktiviteten er registrert."))
            return redirect("my_progress", request.office.slug)
    return render(request, T + "activity_form.html", {"form": form})


@office_permission("progress.view_own")
def my_goal(request, office_slug, goal_id):
    trainee = access_own_trainee(request)
    goal = sel.goal_get(goal_id)
    progress = sel.progress_for_goal(request.office, trainee, goal)
    if request.method == "POST":
        run_action(
            request,
            lambda: svc.goal_submit(
                office=request.office, acting_user=request.user, trainee=trainee, goal=goal
            ),
            _("Målet er levert til godkjenning."),
        )
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
    trainee = access_own_trainee(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="oppnaadde-laeringsmaal.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(EXPORT_HEADER)
    writer.writerows(_export_rows(request, trainee))
    log_export(request, "oppnådde læringsmål (CSV)", subject=trainee)
    return response


@office_permission("progress.view_own")
def export_xlsx(request, office_slug):
    from io import BytesIO

    from openpyxl import Workbook

    trainee = access_own_trainee(request)
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
    log_export(request, "oppnådde læringsmål (xlsx)", subject=trainee)
    return response


# --- Supervisors --------------------------------------------------------------------------


@office_permission("progress.sign")
def sign_queue(request, office_slug):
    # Two lists on one screen, each with its own page parameter; the form signs only
    # activities shown on its page.
    activities = paginate(request, sel.activities_awaiting(request.office, request.user))
    goals = paginate(request, sel.goals_awaiting(request.office, request.user), param="maal")
    ids = [a.pk for a in activities]
    form = SignForm(
        request.POST or None,
        activities=sel.activities_by_ids(request.office, ids),
    )
    if request.method == "POST" and form.is_valid():
        saved, done = run_service(
            form,
            lambda: svc.activities_sign(
                office=request.office,
                acting_user=request.user,
                activities=form.cleaned_data["activities"].select_related("trainee"),
                comment=form.cleaned_data["comment"],
            ),
        )
        if saved:
            messages.success(
                request,
                ngettext("%(n)s aktivitet er signert.", "%(n)s aktiviteter er signert.", len(done))
                % {"n": len(done)},
            )
            return redirect("sign_queue", request.office.slug)
    context = {"activities": activities, "goals": goals, "form": form}
    return render(request, T + "sign_queue.html", context)


@office_permission("progress.sign")
def advise(request, office_slug, progress_id):
    progress = sel.progress_get(request.office, progress_id)
    if not svc.supervisor_roles(progress.trainee, request.user):
        raise PermissionDenied
    form = AdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: svc.goal_advise(
                office=request.office,
                acting_user=request.user,
                progress=progress,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Rådet er registrert."))
            return redirect("sign_queue", request.office.slug)
    context = {"p": progress, "form": form, **sel.progress_evidence(request.office, progress)}
    return render(request, T + "advise.html", context)


@office_permission("progress.sign")
def digest_link(request, office_slug, token):
    """The e-mail's single-use link. Opening it (GET) only shows a button; the button (POST)
    uses the link and goes to the case, so a mail scanner that opens links uses up nothing."""
    use = svc.digest_link_use if request.method == "POST" else svc.digest_link_check
    link, error = call_service(
        lambda: use(office=request.office, acting_user=request.user, token=token)
    )
    if error is not None:
        return render(request, T + "link_used.html", {"message": error_text(error)}, status=410)
    if request.method != "POST":
        return render(request, T + "link_open.html", {"link": link})
    if link.kind == DigestLink.Kind.ADVISE:
        return redirect("goal_advise", request.office.slug, link.progress_id)
    return redirect(f"/{request.office.slug}/signering/#aktivitet-{link.activity_id}")


# --- The municipal leader -----------------------------------------------------------------


@office_permission("progress.approve")
def approval_queue(request, office_slug):
    page = paginate(
        request,
        sel.approval_queue(
            request.office, request.access.visible_municipality_ids("progress.approve")
        ),
    )
    for p in page:
        p.missing = svc.missing_advice(p, p.advice.all())
    return render(request, T + "approval_queue.html", {"page": page})


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
        if "return" in request.POST:
            saved, _result = run_service(
                form,
                lambda: svc.goal_return(reason=form.cleaned_data["reason"], **kwargs),
                field="reason",
            )
            done = _("Målet er returnert til legen.")
        else:
            saved, _result = run_service(form, lambda: svc.goal_approve(**kwargs))
            done = _("Målet er godkjent.")
        if saved:
            messages.success(request, done)
            return redirect("approval_queue", request.office.slug)
    context = {"p": progress, "form": form, **sel.progress_evidence(request.office, progress)}
    return render(request, T + "approval_detail.html", context)


@office_permission("trainee.follow")
def trainee_progress(request, office_slug, trainee_id):
    trainee = access_followed_trainee(request, trainee_id, "progress.view")
    progress = sel.trainee_progress(request.office, trainee)
    context = {
        **_goal_filter(request, progress),
        "can_issue": request.access.can("confirmation.issue", trainee.municipality),
    }
    return render(request, T + "progress.html", context)


@office_permission("progress.view")
def overview(request, office_slug):
    sort = "navn" if request.GET.get("sorter") == "navn" else "risiko"
    order = sel.region_overview_order(
        request.office,
        request.access.visible_municipality_ids("progress.view"),
        by_name=sort == "navn",
    )
    # Standings (the rules engine) only for the doctors on this page.
    page = paginate(request, order, per_page=HEAVY_PAGE_SIZE)
    rows = sel.region_overview(request.office, list(page))
    return render(request, T + "overview.html", {"rows": rows, "page": page, "sort": sort})
