from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import office_permission

from .forms import CatalogueCompareForm, CatalogueImportForm
from .models import Catalogue
from .resources import drop_staged, parse_goals, read_table, stage_import, staged_import
from .rules import Status, evaluate
from .selectors import catalogue_compare as compare_versions
from .selectors import (
    catalogue_get,
    catalogues_overview,
    goals_for_catalogue,
    rule_set_for,
    service_periods_for,
    trainee_for_user,
)
from .services import catalogue_create


@office_permission("plan.view_own")
def my_plan(request, office_slug):
    municipalities = [m.municipality for m in request.access.memberships if m.municipality_id]
    return render(request, "plans/my_plan.html", {"municipalities": municipalities})


@office_permission("plan.view_own")
def my_requirements(request, office_slug):
    trainee = trainee_for_user(request.user, request.office)
    context = {"trainee": trainee}
    if trainee is not None:
        today = date.today()
        rule_set = rule_set_for(trainee.scheme, today)
        context["rule_set"] = rule_set
        if rule_set is not None:
            # Supervision and courses have no records yet: passed as None, they show as
            # "ikke registrert ennå" instead of a made-up number.
            context["evaluation"] = evaluate(
                rule_set.values(),
                programme_start=trainee.specialisation_start,
                on=today,
                periods=service_periods_for(trainee),
            )
            context["Status"] = Status
    return render(request, "plans/my_requirements.html", context)


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
