from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import office_permission
from audit.services import log_read
from trainees.selectors import (
    assignments_for_trainee,
    groups_for_trainee,
    periods_for_trainee,
    supervision_inputs,
    trainee_get,
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
from .models import Catalogue
from .resources import drop_staged, parse_goals, read_table, stage_import, staged_import
from .rules import Course, Period, Status, evaluate
from .selectors import catalogue_compare as compare_versions
from .selectors import (
    catalogue_get,
    catalogues_overview,
    goals_for_catalogue,
    plan_compare,
    plan_periods,
    plan_version_get,
    plan_versions,
    revision_due,
    rule_set_for,
    trainee_for_user,
)
from .services import (
    catalogue_create,
    plan_version_acknowledge,
    plan_version_approve,
    plan_version_create,
)


@office_permission("plan.view_own")
def my_plan(request, office_slug):
    municipalities = [m.municipality for m in request.access.memberships if m.municipality_id]
    trainee = trainee_for_user(request.user, request.office)
    versions = plan_versions(trainee) if trainee is not None else []
    context = {
        "municipalities": municipalities,
        "trainee": trainee,
        "versions": versions,
        "current": versions[0] if versions else None,
        "revision_due": revision_due(versions, date.today()),
        "compare_form": _compare_form(versions),
    }
    return render(request, "plans/my_plan.html", context)


@office_permission("plan.acknowledge")
@require_POST
def my_plan_acknowledge(request, office_slug, plan_version):
    trainee = trainee_for_user(request.user, request.office)
    if trainee is None:
        raise Http404
    version = plan_version_get(trainee, plan_version)
    try:
        plan_version_acknowledge(office=request.office, acting_user=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Du har bekreftet versjon %(n)s av planen.") % {"n": version.number}
        )
    return redirect("my_plan", office_slug)


@office_permission("plan.view_own")
def my_plan_compare(request, office_slug):
    trainee = trainee_for_user(request.user, request.office)
    versions = plan_versions(trainee) if trainee is not None else []
    return _compare_page(request, trainee, versions, back=reverse("my_plan", args=[office_slug]))


@office_permission("plan.view_own")
def my_requirements(request, office_slug):
    trainee = trainee_for_user(request.user, request.office)
    return render(request, "plans/my_requirements.html", _requirements_context(trainee))


def _requirements_context(trainee) -> dict:
    context = {"trainee": trainee}
    if trainee is None:
        return context
    today = date.today()
    rule_set = rule_set_for(trainee.scheme, today)
    context["rule_set"] = rule_set
    if rule_set is None:
        return context
    periods = list(periods_for_trainee(trainee))
    sessions, group = supervision_inputs(trainee, periods)
    versions = plan_versions(trainee)
    version = _plan_in_force(versions)
    from trainees.selectors import courses_for_trainee

    courses = [
        Course(c.kind, c.hours, c.completed_on)
        for c in courses_for_trainee(trainee.office_id, trainee)
    ]
    context["evaluation"] = evaluate(
        rule_set.values(),
        programme_start=trainee.specialisation_start,
        on=today,
        periods=[
            Period(p.start, p.end, p.percentage, p.arena, is_leave=p.is_leave, credited=p.credited)
            for p in periods
        ],
        supervision=sessions,
        group=group,
        courses=courses,
        plan=plan_periods(version),
        target=version.target_completion if version else None,
    )
    context["plan_version"] = version
    context["Status"] = Status
    return context


def _plan_in_force(versions):
    """The latest approved version, or the latest version when none is approved yet."""
    approved = [v for v in versions if v.approved_at]
    return approved[0] if approved else (versions[0] if versions else None)


# --- Individual plans for leaders and the office -------------------------------------------------


def _plan_trainee(request, trainee_id: int, perm: str):
    trainee = trainee_get(request.office, trainee_id)
    if not request.access.can(perm, trainee.municipality):
        raise PermissionDenied
    return trainee


def _compare_form(versions, data=None):
    if len(versions) < 2:
        return None
    numbers = [v.number for v in versions]
    initial = {"fra": numbers[1], "til": numbers[0]}
    return PlanCompareForm(data, numbers=numbers, initial=initial)


@office_permission("plan.view")
def plan_detail(request, office_slug, trainee_id):
    trainee = _plan_trainee(request, trainee_id, "plan.view")
    log_read(request, trainee, "utdanningsplan")
    versions = plan_versions(trainee)
    context = {
        "trainee": trainee,
        "versions": versions,
        "current": versions[0] if versions else None,
        "revision_due": revision_due(versions, date.today()),
        "can_edit": request.access.can("plan.edit", trainee.municipality),
        "can_approve": request.access.can("plan.approve", trainee.municipality),
        "compare_form": _compare_form(versions),
    }
    return render(request, "plans/plan_detail.html", context)


@office_permission("plan.view")
def plan_version_detail(request, office_slug, trainee_id, plan_version):
    trainee = _plan_trainee(request, trainee_id, "plan.view")
    version = plan_version_get(trainee, plan_version)
    context = {
        "trainee": trainee,
        "version": version,
        "can_approve": request.access.can("plan.approve", trainee.municipality),
    }
    return render(request, "plans/plan_version.html", context)


@office_permission("plan.edit")
def plan_version_new(request, office_slug, trainee_id):
    trainee = _plan_trainee(request, trainee_id, "plan.edit")
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
        try:
            version = plan_version_create(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                data=fields,
                credited_goals=credited,
                arenas=filled_rows(arenas),
                courses=filled_rows(courses),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
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
    trainee = _plan_trainee(request, trainee_id, "plan.approve")
    version = plan_version_get(trainee, plan_version)
    try:
        plan_version_approve(office=request.office, acting_user=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Versjon %(n)s er godkjent.") % {"n": version.number})
    return redirect("plan_detail", office_slug, trainee.pk)


@office_permission("plan.view")
def plan_compare_view(request, office_slug, trainee_id):
    trainee = _plan_trainee(request, trainee_id, "plan.view")
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
    form = CatalogueCompareForm(catalogues=Catalogue.objects.all())
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
    form = CatalogueCompareForm(request.GET or None, catalogues=Catalogue.objects.all())
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
        try:
            catalogue = catalogue_create(
                acting_user=request.user,
                rows=staged["rows"],
                source_filename=staged["filename"],
                **_catalogue_fields(staged["meta"]),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
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
