"""Position pages, medical offices, and the coordinator's regional overview with export/import.

Coordinators see the whole region; a municipal leader sees and manages the positions and
medical offices of their own municipality (and of the groups it belongs to).
"""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import office_permission
from audit.services import log_export
from municipalities.selectors import municipalities_for_office
from offices import clock
from offices.forms import call_service, run_service
from offices.pagination import paginate
from offices.vocabularies import SCHEMES_NEW_OR_OLD

from .forms import (
    ImportUploadForm,
    MedicalOfficeForm,
    OfficeRulesForm,
    PositionForm,
    StatusForm,
    SurveyNoteForm,
    SurveyPositionForm,
)
from .imports import import_plan, positions_import, read_spreadsheet
from .models import EmploymentForm, Status
from .resources import overview_export
from .selectors import (
    OverviewFilters,
    groups_for_office,
    medical_office_get,
    medical_offices_for_office,
    overview_counties,
    overview_health_trusts,
    overview_positions,
    overview_summary,
    position_get,
    positions_for_office,
    status_history,
)
from .services import (
    medical_office_create,
    medical_office_update,
    office_rules,
    office_rules_update,
    position_change_status,
    position_create,
    position_update,
)
from .survey_services import survey_answer_get, survey_answer_submit, survey_positions

IMPORT_SESSION_KEY = "positions_import"


def _require_position(access, perm: str, position) -> None:
    if position.municipality_id:
        places = [position.municipality]
    else:
        places = list(position.group.municipalities.all())
    if not any(access.can(perm, m) for m in places):
        raise PermissionDenied


def _form_choices(request):
    ids = request.access.visible_municipality_ids("position.manage")
    municipalities = municipalities_for_office(request.office)
    if ids is not None:
        municipalities = municipalities.filter(pk__in=ids)
    return {
        "municipalities": municipalities,
        "groups": groups_for_office(request.office, ids),
        "medical_offices": medical_offices_for_office(request.office, ids),
    }


# --- Positions -------------------------------------------------------------------------------


@office_permission("position.view")
def position_list(request, office_slug):
    ids = request.access.visible_municipality_ids("position.view")
    positions = positions_for_office(request.office, ids)
    return render(request, "positions/list.html", {"page": paginate(request, positions)})


@office_permission("position.manage")
def position_new(request, office_slug):
    form = PositionForm(request.POST or None, **_form_choices(request))
    if request.method == "POST" and form.is_valid():
        saved, position = run_service(
            form,
            lambda: position_create(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Stillingen er opprettet som planlagt."))
            return redirect("position_detail", office_slug, position.pk)
    return render(request, "positions/form.html", {"form": form, "title": _("Ny ALIS-stilling")})


@office_permission("position.view")
def position_detail(request, office_slug, position_id):
    position = position_get(request.office, position_id)
    _require_position(request.access, "position.view", position)
    can_manage = True
    try:
        _require_position(request.access, "position.manage", position)
    except PermissionDenied:
        can_manage = False
    status_form = StatusForm(current=position.status) if can_manage else None
    context = {
        "position": position,
        "history": status_history(position),
        "can_manage": can_manage,
        "status_form": status_form,
    }
    return render(request, "positions/detail.html", context)


@office_permission("position.manage")
def position_edit(request, office_slug, position_id):
    position = position_get(request.office, position_id)
    _require_position(request.access, "position.manage", position)
    initial = {
        "municipality": position.municipality,
        "group": position.group,
        "medical_office": position.medical_office,
        "list_ceiling": position.list_ceiling,
        "employment_form": position.employment_form,
        "scheme": position.scheme,
        "applicants": position.applicants,
    }
    form = PositionForm(request.POST or None, initial=initial, **_form_choices(request))
    if request.method == "POST" and form.is_valid():
        saved, _result = run_service(
            form,
            lambda: position_update(
                office=request.office,
                acting_user=request.user,
                position=position,
                **{"group": None, **form.cleaned_data},
            ),
        )
        if saved:
            messages.success(request, _("Endringene er lagret."))
            return redirect("position_detail", office_slug, position.pk)
    title = _("Endre stilling: %(place)s") % {"place": position.place}
    return render(request, "positions/form.html", {"form": form, "title": title})


@office_permission("position.manage")
def position_status(request, office_slug, position_id):
    position = position_get(request.office, position_id)
    _require_position(request.access, "position.manage", position)
    if request.method != "POST":
        return redirect("position_detail", office_slug, position.pk)
    form = StatusForm(request.POST, current=position.status)
    if form.is_valid():
        saved, _result = run_service(
            form,
            lambda: position_change_status(
                office=request.office,
                acting_user=request.user,
                position=position,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Statusen er endret."))
            return redirect("position_detail", office_slug, position.pk)
    context = {
        "position": position,
        "history": status_history(position),
        "can_manage": True,
        "status_form": form,
    }
    return render(request, "positions/detail.html", context, status=400)


# --- Medical offices -------------------------------------------------------------------------


@office_permission("position.view")
def medical_office_list(request, office_slug):
    ids = request.access.visible_municipality_ids("position.view")
    can_manage = request.access.can("position.manage")
    form = None
    if can_manage:
        municipalities = _form_choices(request)["municipalities"]
        form = MedicalOfficeForm(request.POST or None, municipalities=municipalities)
        if request.method == "POST" and form.is_valid():
            saved, _result = run_service(
                form,
                lambda: medical_office_create(
                    office=request.office, acting_user=request.user, **form.cleaned_data
                ),
            )
            if saved:
                messages.success(request, _("Legekontoret er lagt til."))
                return redirect("medical_office_list", office_slug)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "page": paginate(request, medical_offices_for_office(request.office, ids)),
        "form": form,
    }
    return render(request, "positions/medical_offices.html", context)


@office_permission("position.manage")
def medical_office_edit(request, office_slug, medical_office_id):
    medical_office = medical_office_get(request.office, medical_office_id)
    if not request.access.can("position.manage", medical_office.municipality):
        raise PermissionDenied
    initial = {
        "municipality": medical_office.municipality,
        "name": medical_office.name,
        "ownership": medical_office.ownership,
        "address": medical_office.address,
    }
    form = MedicalOfficeForm(
        request.POST or None,
        initial=initial,
        municipalities=municipalities_for_office(request.office).filter(
            pk=medical_office.municipality_id
        ),
    )
    del form.fields["municipality"]
    if request.method == "POST" and form.is_valid():
        saved, _result = run_service(
            form,
            lambda: medical_office_update(
                office=request.office,
                acting_user=request.user,
                medical_office=medical_office,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Legekontoret er lagret."))
            return redirect("medical_office_list", office_slug)
    title = _("Endre legekontor: %(name)s") % {"name": medical_office.name}
    return render(request, "positions/form.html", {"form": form, "title": title})


# --- The coordinator's regional overview -----------------------------------------------------

COLUMNS = [
    ("kommune", gettext_lazy("Kommune")),
    ("sokere", gettext_lazy("Søkere")),
    ("legekontor", gettext_lazy("Legekontor")),
    ("listetak", gettext_lazy("Listetak")),
    ("driftsform", gettext_lazy("Driftsform")),
    ("ordning", gettext_lazy("Ordning")),
    ("status", gettext_lazy("Status")),
]


def _sort_headers(filters: OverviewFilters) -> list[dict]:
    headers = []
    for key, label in COLUMNS:
        active = filters.sort == key
        descending = active and not filters.descending
        query = filters.query(sorter=key, retning="synkende" if descending else "")
        headers.append(
            {
                "label": label,
                "url": "?" + urlencode(query),
                "aria_sort": ("descending" if filters.descending else "ascending")
                if active
                else "",
            }
        )
    return headers


def _summary_links(filters: OverviewFilters) -> dict[str, str]:
    """Each figure of the summary line links to its rows (the current filter, narrowed)."""
    narrow = {
        "filled": {"status": "besatt"},
        "total": {},
        "self_employed": {"driftsform": "naering"},
        "salaried": {"driftsform": "fastlonn"},
        "old_scheme": {"ordning": "gammel"},
        "with_supervisor": {"veileder": "ja"},
        "with_group_supervision": {"gruppeveiledning": "ja"},
        "applicants": {"sokere": "ja"},
    }
    return {key: "?" + urlencode(filters.query(**extra)) for key, extra in narrow.items()}


@office_permission("overview.view")
def overview(request, office_slug):
    filters = OverviewFilters.from_query(request.GET)
    positions = overview_positions(request.office, filters)
    query = urlencode(filters.query())
    context = {
        "page": paginate(request, positions),
        "summary": overview_summary(positions),
        "links": _summary_links(filters),
        "filters": filters,
        "headers": _sort_headers(filters),
        "counties": overview_counties(request.office),
        "health_trusts": overview_health_trusts(request.office),
        "statuses": Status.choices,
        "employment_forms": EmploymentForm.choices,
        "schemes": SCHEMES_NEW_OR_OLD,
        "query": query,
    }
    return render(request, "positions/overview.html", context)


def _export(request, file_format: str, content_type: str):
    filters = OverviewFilters.from_query(request.GET)
    content = overview_export(overview_positions(request.office, filters), file_format)
    stamp = clock.today().isoformat()
    response = HttpResponse(content, content_type=content_type)
    filename = f"alis-stillinger-{request.office.slug}-{stamp}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    log_export(request, filename)
    return response


@office_permission("overview.view")
def overview_export_xlsx(request, office_slug):
    return _export(
        request, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@office_permission("overview.view")
def overview_export_csv(request, office_slug):
    return _export(request, "csv", "text/csv; charset=utf-8")


def _preview(request, plan, pending, status=200):
    for row in plan.rows:
        row.cell_list = row.cells(plan.columns)
    context = {
        "plan": plan,
        "pending": pending,
        "interpreted": plan.interpreted_count,
        "created": plan.count("create"),
        "updated": plan.count("update"),
        "unchanged": plan.count("unchanged"),
    }
    return render(request, "positions/import_preview.html", context, status=status)


def _pending_import(request):
    """The upload waiting for confirmation, if it belongs to this user and office."""
    pending = request.session.get(IMPORT_SESSION_KEY)
    token = request.POST.get("token", "")
    if (
        not pending
        or not token
        or not secrets.compare_digest(pending["token"], token)
        or pending["office"] != request.office.pk
        or pending["user"] != request.user.pk
    ):
        return None
    return pending


@office_permission("overview.import")
def overview_import(request, office_slug):
    """Upload a spreadsheet and see what it would do; nothing is saved here."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        read, table = run_service(
            form, lambda: read_spreadsheet(upload.name, upload.read()), field="file"
        )
        if read:
            headers, rows = table
            plan = import_plan(office=request.office, headers=headers, rows=rows)
            request.session.pop(IMPORT_SESSION_KEY, None)
            if plan.has_errors:
                # Nothing can be applied: show the errors, keep nothing in the session.
                return _preview(request, plan, {"filename": upload.name[:200]})
            # The parsed rows stay on the server (in the session) until confirmed; the browser
            # only gets a random token, so what is applied is exactly what was previewed.
            pending = {
                "token": secrets.token_urlsafe(16),
                "office": request.office.pk,
                "user": request.user.pk,
                "filename": upload.name[:200],
                "headers": headers,
                "rows": rows,
            }
            request.session[IMPORT_SESSION_KEY] = pending
            return _preview(request, plan, pending)
    return render(request, "positions/import.html", {"form": form})


@office_permission("overview.import")
def overview_import_confirm(request, office_slug):
    if request.method != "POST":
        return redirect("overview_import", office_slug)
    pending = _pending_import(request)
    if pending is None:
        messages.error(request, _("Fant ikke filen du forhåndsviste. Last den opp på nytt."))
        return redirect("overview_import", office_slug)
    plan, error = call_service(
        lambda: positions_import(
            office=request.office,
            acting_user=request.user,
            headers=pending["headers"],
            rows=pending["rows"],
        )
    )
    if error is not None:
        # The office's data changed since the preview: show the rows' errors as they are now.
        plan = import_plan(office=request.office, headers=pending["headers"], rows=pending["rows"])
        messages.error(request, _("Noe er endret siden forhåndsvisningen. Ingenting er lagret."))
        return _preview(request, plan, pending, status=400)
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        _("Importen er lagret: %(created)s nye, %(updated)s oppdatert, %(unchanged)s uendret.")
        % {
            "created": plan.count("create"),
            "updated": plan.count("update"),
            "unchanged": plan.count("unchanged"),
        },
    )
    return redirect(reverse("overview", args=[office_slug]))


@office_permission("rules.manage")
def rules_edit(request, office_slug):
    rules = office_rules(request.office)
    initial = {"max_positions_per_municipality": rules.max_positions_per_municipality}
    form = OfficeRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        office_rules_update(office=request.office, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Regelen er lagret."))
        return redirect("overview", office_slug)
    title = _("Regler for ALIS-stillinger")
    return render(request, "positions/form.html", {"form": form, "title": title})


# --- The status survey: the municipal leader confirms or corrects ---------------------------


@office_permission("position.manage")
def survey_answer(request, office_slug, survey_id, number):
    answer = survey_answer_get(request.office, survey_id, number)
    if not request.access.can("position.manage", answer.municipality):
        raise PermissionDenied
    positions = survey_positions(request.office, answer.municipality)
    data = request.POST if request.method == "POST" else None
    forms = [
        (
            p,
            SurveyPositionForm(
                data,
                prefix=f"p{p.pk}",
                initial={
                    "status": p.status,
                    "applicants": p.applicants,
                    "employment_form": p.employment_form,
                    "scheme": p.scheme,
                    "group_supervision": p.group_supervision,
                    "individual_supervisor": p.individual_supervisor,
                    "individual_plan": p.individual_plan,
                },
            ),
        )
        for p in positions
    ]
    note_form = SurveyNoteForm(data, initial={"note": answer.note})
    if data is not None and note_form.is_valid() and all(f.is_valid() for _p, f in forms):
        items = [{"position": p, **f.cleaned_data} for p, f in forms]
        saved, _result = run_service(
            note_form,
            lambda: survey_answer_submit(
                office=request.office,
                acting_user=request.user,
                answer=answer,
                positions=items,
                note=note_form.cleaned_data["note"],
            ),
        )
        if saved:
            messages.success(request, _("Takk! Svaret er lagret, og stillingene er oppdatert."))
            return redirect("survey_answer", office_slug, survey_id, number)
    context = {"answer": answer, "forms": forms, "note_form": note_form}
    return render(request, "positions/survey_answer.html", context)
