from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import office_permission
from audit.services import log_read
from offices import clock
from offices.forms import run_action, run_service
from offices.pagination import HEAVY_PAGE_SIZE, paginate
from trainees import selectors as trainee_selectors
from trainees import services as trainee_services
from trainees.access import access_followed_trainee, access_own_trainee, access_trainee
from trainees.forms import SessionForm
from trainees.models import SupervisorRole
from trainees.selectors import (
    assignments_for_trainee,
    groups_for_trainee,
)

from .forms import (
    ArenaFormSet,
    CatalogueCompareForm,
    CatalogueImportForm,
    CourseFormSet,
    PlanCompareForm,
    PlanVersionForm,
    arena_initial,
    course_initial,
    current_goals,
    filled_rows,
    version_initial,
)
from .resources import drop_staged, parse_goals, read_table, stage_import, staged_import
from .selectors import catalogue_compare as compare_versions
from .selectors import (
    catalogue_get,
    catalogues_overview,
    goals_for_catalogue,
    plan_compare,
    plan_version_get,
    plan_versions,
    plans_awaiting_approval,
    revision_due,
)
from .services import (
    catalogue_create,
    plan_version_acknowledge,
    plan_version_approve,
    plan_version_create,
)
from .standing import ComplianceRow, standing, standings


@office_permission("plan.view_own")
def my_plan(request, office_slug):
    municipalities = [m.municipality for m in request.access.memberships if m.municipality_id]
    trainee = trainee_selectors.trainee_for_user(request.office, request.user)
    versions = plan_versions(trainee) if trainee is not None else []
    context = {
        "municipalities": municipalities,
        "trainee": trainee,
        "versions": versions,
        "current": versions[0] if versions else None,
        "revision_due": revision_due(versions, clock.today()),
        "compare_form": _compare_form(versions),
        "standing": standing(trainee, with_goals=False) if trainee is not None else None,
    }
    return render(request, "plans/my_plan.html", context)


@office_permission("plan.acknowledge")
@require_POST
def my_plan_acknowledge(request, office_slug, plan_version):
    trainee = access_own_trainee(request)
    version = plan_version_get(trainee, plan_version)
    run_action(
        request,
        lambda: plan_version_acknowledge(
            office=request.office, acting_user=request.user, version=version
        ),
        _("Du har bekreftet versjon %(n)s av planen.") % {"n": version.number},
    )
    return redirect("my_plan", office_slug)


@office_permission("plan.view_own")
def my_plan_compare(request, office_slug):
    trainee = trainee_selectors.trainee_for_user(request.office, request.user)
    versions = plan_versions(trainee) if trainee is not None else []
    return _compare_page(request, trainee, versions, back=reverse("my_plan", args=[office_slug]))


@office_permission("plan.view_own")
def my_requirements(request, office_slug):
    """The doctor's home: "Hvor står jeg" (the one standing, see plans.standing)."""
    trainee = trainee_selectors.trainee_for_user(request.office, request.user)
    return render(request, "plans/my_requirements.html", _standing_context(trainee, own=True))


@office_permission("trainee.follow")
def trainee_standing(request, office_slug, trainee_id):
    """The same page for the doctor's veileder or supervisør, the leader and the office."""
    trainee = access_followed_trainee(request, trainee_id, "trainee.view")
    return render(request, "plans/my_requirements.html", _standing_context(trainee, own=False))


def _standing_context(trainee, *, own: bool) -> dict:
    context = {"trainee": trainee, "own": own}
    if trainee is None:
        return context
    current = standing(trainee)
    context.update(standing=current, rule_set=current.rule_set, evaluation=current.evaluation)
    context["plan_version"] = current.plan_version
    versions = plan_versions(trainee)
    draft = versions[0] if versions and not versions[0].approved_at else None
    if draft is not None and current.rule_set is not None:
        context["preview"] = standing(trainee, current.on, preview=draft, with_goals=False)
    return context


# --- Individual plans for leaders and the office -------------------------------------------------


def _compare_form(versions, data=None):
    if len(versions) < 2:
        return None
    numbers = [v.number for v in versions]
    initial = {"fra": numbers[1], "til": numbers[0]}
    return PlanCompareForm(data, numbers=numbers, initial=initial)


@office_permission("trainee.follow")
def plan_detail(request, office_slug, trainee_id):
    trainee = access_followed_trainee(request, trainee_id, "plan.view")
    log_read(request, trainee, "utdanningsplan")
    versions = plan_versions(trainee)
    context = {
        "trainee": trainee,
        "versions": versions,
        "current": versions[0] if versions else None,
        "revision_due": revision_due(versions, clock.today()),
        "can_edit": request.access.can("plan.edit", trainee.municipality),
        "can_approve": request.access.can("plan.approve", trainee.municipality),
        "compare_form": _compare_form(versions),
        "standing": standing(trainee, with_goals=False),
    }
    return render(request, "plans/plan_detail.html", context)


@office_permission("plan.approve")
def plan_approval_queue(request, office_slug):
    """The leader's queue: plan versions the doctor has acknowledged, waiting for approval."""
    ids = request.access.visible_municipality_ids("plan.approve")
    page = paginate(request, plans_awaiting_approval(request.office, ids))
    return render(request, "plans/approval_queue.html", {"page": page})


@office_permission("trainee.follow")
def plan_version_detail(request, office_slug, trainee_id, plan_version):
    trainee = access_followed_trainee(request, trainee_id, "plan.view")
    version = plan_version_get(trainee, plan_version)
    context = {
        "trainee": trainee,
        "version": version,
        "can_approve": request.access.can("plan.approve", trainee.municipality),
    }
    return render(request, "plans/plan_version.html", context)


@office_permission("plan.edit")
def plan_version_new(request, office_slug, trainee_id):
    trainee = access_trainee(request, trainee_id, "plan.edit")
    versions = plan_versions(trainee)
    latest = versions[0] if versions else None
    data = request.POST if request.method == "POST" else None
    goals = current_goals()
    form = PlanVersionForm(
        data,
        initial=version_initial(latest),
        trainee=trainee,
        assignments=assignments_for_trainee(trainee).select_related("supervisor"),
        groups=groups_for_trainee(trainee),
    )
    arenas = ArenaFormSet(
        data, prefix="arena", initial=arena_initial(latest), form_kwargs={"goals": goals}
    )
    courses = CourseFormSet(data, prefix="kurs", initial=course_initial(latest))
    if data is not None and form.is_valid() and arenas.is_valid() and courses.is_valid():
        fields = dict(form.cleaned_data)
        credited = fields.pop("credited_goals")
        saved, version = run_service(
            form,
            lambda: plan_version_create(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                data=fields,
                credited_goals=credited,
                arenas=filled_rows(arenas),
                courses=filled_rows(courses),
            ),
        )
        if saved:
            messages.success(
                request, _("Versjon %(n)s av planen er lagret.") % {"n": version.number}
            )
            return redirect("plan_detail", office_slug, trainee.pk)
    context = {
        "trainee": trainee,
        "form": form,
        "arenas": arenas,
        "courses": courses,
        "latest": latest,
    }
    return render(request, "plans/plan_version_form.html", context)


@office_permission("plan.approve")
@require_POST
def plan_version_approve_view(request, office_slug, trainee_id, plan_version):
    trainee = access_trainee(request, trainee_id, "plan.approve")
    version = plan_version_get(trainee, plan_version)
    run_action(
        request,
        lambda: plan_version_approve(
            office=request.office, acting_user=request.user, version=version
        ),
        _("Versjon %(n)s er godkjent.") % {"n": version.number},
    )
    return redirect("plan_detail", office_slug, trainee.pk)


@office_permission("trainee.follow")
def plan_compare_view(request, office_slug, trainee_id):
    trainee = access_followed_trainee(request, trainee_id, "plan.view")
    back = reverse("plan_detail", args=[office_slug, trainee.pk])
    return _compare_page(request, trainee, plan_versions(trainee), back=back)


def _compare_page(request, trainee, versions, *, back: str):
    form = _compare_form(versions, request.GET or None)
    diff = None
    if form is not None and form.is_valid():
        by_number = {v.number: v for v in versions}
        diff = plan_compare(
            by_number[form.cleaned_data["fra"]], by_number[form.cleaned_data["til"]]
        )
    context = {"trainee": trainee, "form": form, "diff": diff, "back": back}
    return render(request, "plans/plan_compare.html", context)


@office_permission("catalogue.view")
def catalogue_list(request, office_slug):
    catalogues = list(catalogues_overview())
    form = CatalogueCompareForm(catalogues=catalogues_overview())
    return render(
        request, "plans/catalogue_list.html", {"catalogues": catalogues, "compare_form": form}
    )


@office_permission("catalogue.view")
def catalogue_detail(request, office_slug, catalogue_id):
    catalogue = catalogue_get(catalogue_id)
    query = request.GET.get("q", "")
    goals = list(goals_for_catalogue(catalogue, query=query))
    return render(
        request,
        "plans/catalogue_detail.html",
        {"catalogue": catalogue, "goals": goals, "query": query},
    )


@office_permission("catalogue.view")
def catalogue_compare(request, office_slug):
    form = CatalogueCompareForm(request.GET or None, catalogues=catalogues_overview())
    diff = None
    if form.is_valid():
        diff = compare_versions(form.cleaned_data["fra"], form.cleaned_data["til"])
    return render(request, "plans/catalogue_compare.html", {"form": form, "diff": diff})


@office_permission("catalogue.import")
def catalogue_import(request, office_slug):
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = parse_goals(read_table(upload), form.cleaned_data["kind"])
        except ValueError as error:
            form.add_error("file", str(error))
        else:
            token = stage_import(
                request.session,
                user=request.user,
                meta=form.meta(),
                parsed=parsed,
                filename=upload.name,
            )
            return redirect("catalogue_import_preview", office_slug=office_slug, token=token)
    return render(request, "plans/catalogue_import.html", {"form": form})


@office_permission("catalogue.import")
def catalogue_import_preview(request, office_slug, token):
    staged = staged_import(request.session, user=request.user, token=token)
    if staged is None:
        raise Http404
    if request.method == "POST" and not staged["errors"]:
        created, catalogue = run_action(
            request,
            lambda: catalogue_create(
                acting_user=request.user,
                rows=staged["rows"],
                source_filename=staged["filename"],
                **_catalogue_fields(staged["meta"]),
            ),
        )
        if created:
            drop_staged(request.session, token)
            messages.success(
                request,
                _(
                    "Versjon %(v)s er importert med %(n)s læringsmål. "
                    "Tidligere versjoner er beholdt."
                )
                % {"v": catalogue.version, "n": len(staged["rows"])},
            )
            return redirect("catalogue_detail", office_slug=office_slug, catalogue_id=catalogue.pk)
    return render(request, "plans/catalogue_import_preview.html", {"staged": staged})


def _catalogue_fields(meta: dict) -> dict:
    fields = dict(meta)
    fields["valid_from"] = date.fromisoformat(meta["valid_from"])
    fields["valid_to"] = date.fromisoformat(meta["valid_to"]) if meta["valid_to"] else None
    return fields


# --- Supervision log: the sessions, and how they measure up to the rules ------------------


def _log_trainee(request, trainee_id: int, perm: str):
    """A doctor whose log the user may see: leaders and the office by municipality; a veileder
    for the doctors they are assigned to, whichever municipality their membership names (404
    once the assignment has ended). `perm` is checked by the view's decorator."""
    return access_followed_trainee(request, trainee_id, "trainee.view")


def _log_context(request, trainee) -> dict:
    with_minutes = trainee_selectors.can_read_minutes(request.user, trainee)
    sessions = list(trainee_selectors.sessions_for_trainee(trainee, with_minutes=with_minutes))
    return {
        "trainee": trainee,
        "sessions": sessions,
        "with_minutes": with_minutes,
        "meetings": list(trainee_selectors.group_attendance_for_trainee(trainee)),
        "compliance": standing(trainee, with_goals=False).compliance,
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
    trainee = trainee_selectors.trainee_for_user(request.office, request.user)
    if trainee is None:
        return redirect("my_record", request.office.slug)
    context = _log_context(request, trainee)
    context["own"] = True
    return render(request, "trainees/supervision_log.html", context)


@office_permission("supervision_log.record")
def session_new(request, office_slug, trainee_id):
    trainee = _log_trainee(request, trainee_id, "supervision_log.record")
    assignments = trainee_selectors.assignments_for_trainee(trainee).filter(
        role=SupervisorRole.VEILEDER
    )
    form = SessionForm(request.POST or None, assignments=assignments, goals=current_goals())
    if not trainee_selectors.can_read_minutes(request.user, trainee):
        # Whoever may not read the minutes cannot write them either.
        del form.fields["minutes"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        goals = data.pop("goals")
        saved, _unused = run_service(
            form,
            lambda: trainee_services.session_create(
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
    context = {
        "form": form,
        "title": _("Registrer veiledning for %(n)s") % {"n": trainee.full_name},
        "submit": _("Lagre"),
        "cancel": reverse("supervision_log", args=[office_slug, trainee.pk]),
        "intro": _("Referatet kan bare legen og veilederen lese."),
    }
    return render(request, "trainees/form.html", context)


# The overview's filter for doctors with no session logged in NO_SESSION_DAYS (the inbox card
# links it).
WITHOUT_SESSION = "uten-veiledning"


@office_permission("supervision_log.overview")
def compliance_overview(request, office_slug):
    today = clock.today()
    trainees = trainee_selectors.office_trainees_in_training(
        request.office, request.access.visible_municipality_ids("supervision_log.overview")
    )
    # «uten-veiledning»: the inbox card's doctors, by the card's own rule.
    without_session = request.GET.get(WITHOUT_SESSION) == "1"
    if without_session:
        trainees = trainees.filter(
            pk__in=trainee_selectors.without_recent_session(request.office, today).values("pk")
        )
    # Standings (the rules engine) only for the doctors on this page.
    page = paginate(request, trainees, per_page=HEAVY_PAGE_SIZE)
    by_id = standings(page.object_list, today)
    rows = [ComplianceRow(t, by_id[t.pk]) for t in page.object_list]
    behind = sum(1 for r in rows if r.behind)
    context = {
        "rows": rows,
        "page": page,
        "behind": behind,
        "without_session": without_session,
        "no_session_days": trainee_selectors.NO_SESSION_DAYS,
    }
    return render(request, "trainees/compliance_overview.html", context)
