from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import login_only, office_permission
from offices import clock
from offices.forms import call_service, error_text, run_service
from offices.pagination import paginate

from . import selectors
from .forms import (
    AgreementForm,
    ArenaFormSet,
    ContactForm,
    PlanForm,
    ProfileForm,
    RegistrationForm,
    RejectForm,
)
from .models import RegistrationStatus
from .selectors import municipality_get
from .services import (
    PROFILE_FIELDS,
    contact_follow_up_done,
    contact_log_add,
    cooperation_agreement_create,
    education_plan_create_version,
    other_active_leaders,
    profile_update,
    unit_registration_approve,
    unit_registration_reject,
    unit_registration_submit,
)


def _municipality(request, number, perm):
    """The office's municipality, if the user's role grants `perm` for it (403 otherwise)."""
    municipality = municipality_get(request.office, number)
    if not request.access.can(perm, municipality):
        raise PermissionDenied
    return municipality


@office_permission("municipality.view")
def detail(request, office_slug, number):
    municipality = _municipality(request, number, "municipality.view")
    office = request.office
    context = {
        "municipality": municipality,
        "unit": selectors.unit_status_for(office, municipality),
        "plan": selectors.education_plan_current(office, municipality),
        "agreements": selectors.cooperation_agreements_for(office, municipality),
        "can_edit_plan": request.access.can("education_plan.edit", municipality),
        "can_add_agreement": request.access.can("cooperation_agreement.edit", municipality),
        "can_download": request.access.can("cooperation_agreement.download", municipality),
    }
    if request.access.can("municipality.keep_profile"):
        context.update(
            can_keep_profile=True,
            profile=selectors.profile_for(office, municipality),
            last_contact=selectors.contact_log_for(office, municipality).first(),
        )
    return render(request, "municipalities/detail.html", context)


# --- Registration as education unit -------------------------------------------------------------


@login_only
def unit_registration(request):
    """A health chief registers their municipality (no office membership needed)."""
    form = RegistrationForm(
        request.POST or None, municipalities=selectors.municipalities_for_registration()
    )
    if request.method == "POST" and form.is_valid():
        saved, registration = run_service(
            form,
            lambda: unit_registration_submit(acting_user=request.user, **form.cleaned_data),
        )
        if saved:
            messages.success(
                request,
                _(
                    "Registreringen av %(municipality)s er sendt til %(office)s. Du får "
                    "e-post når den er behandlet."
                )
                % {
                    "municipality": registration.municipality.name,
                    "office": registration.office.name,
                },
            )
            return redirect("unit_registration")
    own = selectors.registrations_for_applicant(request.user)
    return render(request, "municipalities/registration_form.html", {"form": form, "own": own})


@office_permission("unit_registration.decide")
def unit_registration_list(request, office_slug):
    office = request.office
    context = {
        "pending": selectors.registrations_for_office(office, status=RegistrationStatus.PENDING),
        "decided": selectors.registrations_for_office(office).exclude(
            status=RegistrationStatus.PENDING
        )[:50],
    }
    return render(request, "municipalities/registration_list.html", context)


@office_permission("unit_registration.decide")
def unit_registration_detail(request, office_slug, registration_id):
    """Shows one registration; POST `action=approve`, or `action=reject` with a reason."""
    registration = selectors.registration_get(request.office, registration_id)
    action = request.POST.get("action")
    reject_form = RejectForm(request.POST if action == "reject" else None)
    problem = None
    if request.method == "POST" and (action == "approve" or reject_form.is_valid()):
        message, error = call_service(lambda: _decide(request, registration, action, reject_form))
        if error is not None:
            problem = error_text(error)
        else:
            messages.success(request, message)
            return redirect("unit_registration_list", office_slug=office_slug)
    context = {
        "registration": registration,
        "reject_form": reject_form,
        "problem": problem,
        "conflict": other_active_leaders(registration) if registration.is_pending else [],
    }
    return render(request, "municipalities/registration_detail.html", context)


def _decide(request, registration, action, reject_form) -> str:
    """Approve or reject through the services; returns the confirmation for the coordinator."""
    name = registration.municipality.name
    if action == "approve":
        unit_registration_approve(
            office=request.office, acting_user=request.user, registration=registration
        )
        return _("%(m)s er godkjent som utdanningsvirksomhet. Søkeren er nå kommunal leder.") % {
            "m": name
        }
    unit_registration_reject(
        office=request.office,
        acting_user=request.user,
        registration=registration,
        **reject_form.cleaned_data,
    )
    return _("Registreringen av %(m)s er avslått.") % {"m": name}


# --- General education plan ---------------------------------------------------------------------


@office_permission("municipality.view")
def plan_versions(request, office_slug, number):
    municipality = _municipality(request, number, "municipality.view")
    versions = selectors.education_plan_versions(request.office, municipality)
    context = {
        "municipality": municipality,
        "versions": versions,
        "can_edit_plan": request.access.can("education_plan.edit", municipality),
    }
    return render(request, "municipalities/plan_versions.html", context)


@office_permission("municipality.view")
def plan_version(request, office_slug, number, version):
    municipality = _municipality(request, number, "municipality.view")
    plan = selectors.education_plan_get(request.office, municipality, version)
    current = selectors.education_plan_versions(request.office, municipality).first()
    context = {"municipality": municipality, "plan": plan, "is_current": plan.pk == current.pk}
    return render(request, "municipalities/plan_version.html", context)


def _arena_initial(plan) -> list[dict]:
    if plan is None:
        return []
    return [
        {
            "arena_type": a.arena_type,
            "name": a.name,
            "description": a.description,
            "agreement": a.agreement_id,
            "goal_codes": ", ".join(a.goal_codes),
        }
        for a in plan.arenas.all()
    ]


@office_permission("education_plan.edit")
def plan_edit(request, office_slug, number):
    """Edit the general plan: saving writes a new version, pre-filled from the current one."""
    municipality = _municipality(request, number, "education_plan.edit")
    current = selectors.education_plan_current(request.office, municipality)
    agreements = {
        a.pk: a for a in selectors.cooperation_agreements_for(request.office, municipality)
    }
    form = PlanForm(request.POST or None)
    formset = ArenaFormSet(
        request.POST or None,
        initial=_arena_initial(current),
        form_kwargs={"agreements": agreements},
        prefix="arena",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved, plan = run_service(
            form,
            lambda: education_plan_create_version(
                office=request.office,
                acting_user=request.user,
                municipality=municipality,
                arenas=formset.arenas(),
                note=form.cleaned_data["note"],
            ),
        )
        if saved:
            messages.success(request, _("Versjon %(v)s av planen er lagret.") % {"v": plan.version})
            return redirect("municipality_detail", office_slug=office_slug, number=number)
    context = {
        "municipality": municipality,
        "current": current,
        "form": form,
        "formset": formset,
    }
    return render(request, "municipalities/plan_edit.html", context)


# --- Cooperation agreements ---------------------------------------------------------------------


@office_permission("cooperation_agreement.edit")
def agreement_create(request, office_slug, number):
    municipality = _municipality(request, number, "cooperation_agreement.edit")
    form = AgreementForm(
        request.POST or None,
        request.FILES or None,
        municipalities=selectors.municipalities_for_registration().exclude(pk=municipality.pk),
    )
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: cooperation_agreement_create(
                office=request.office,
                acting_user=request.user,
                municipality=municipality,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Samarbeidsavtalen er lagret."))
            return redirect("municipality_detail", office_slug=office_slug, number=number)
    return render(
        request, "municipalities/agreement_form.html", {"municipality": municipality, "form": form}
    )


@office_permission("cooperation_agreement.download")
def agreement_document(request, office_slug, number, cooperation_id):
    municipality = _municipality(request, number, "cooperation_agreement.download")
    agreement = selectors.cooperation_agreement_get(request.office, municipality, cooperation_id)
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=agreement.document_name or "samarbeidsavtale.pdf",
        content_type="application/pdf",
    )


# --- The office's profile of a municipality and its contact log ----------------------------------


@office_permission("municipality.keep_profile")
def profile_edit(request, office_slug, number):
    municipality = _municipality(request, number, "municipality.keep_profile")
    profile = selectors.profile_for(request.office, municipality)
    initial = {f: getattr(profile, f) for f in PROFILE_FIELDS} if profile else {}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile_update(
            office=request.office,
            acting_user=request.user,
            municipality=municipality,
            **form.cleaned_data,
        )
        messages.success(request, _("Kommuneprofilen er lagret."))
        return redirect("municipality_detail", office_slug=office_slug, number=number)
    return render(
        request, "municipalities/profile_edit.html", {"municipality": municipality, "form": form}
    )


@office_permission("municipality.keep_profile")
def contact_log(request, office_slug, number):
    municipality = _municipality(request, number, "municipality.keep_profile")
    form = ContactForm(request.POST or None, initial={"date": clock.today()})
    if request.method == "POST" and "done" in request.POST:
        entry = get_object_or_404(
            selectors.contact_log_for(request.office, municipality), pk=request.POST.get("done")
        )
        contact_follow_up_done(office=request.office, acting_user=request.user, entry=entry)
        messages.success(request, _("Oppfølgingen er markert som gjort."))
        return redirect("contact_log", office_slug=office_slug, number=number)
    if request.method == "POST" and form.is_valid():
        contact_log_add(
            office=request.office,
            acting_user=request.user,
            municipality=municipality,
            **form.cleaned_data,
        )
        messages.success(request, _("Kontakten er lagt i loggen."))
        return redirect("contact_log", office_slug=office_slug, number=number)
    return render(
        request,
        "municipalities/contact_log.html",
        {
            "municipality": municipality,
            "form": form,
            "entries": selectors.contact_log_for(request.office, municipality),
            "today": clock.today(),
        },
    )


# --- The office dashboard: the region's municipalities ---------------------------------------

NO_CONTACT_MONTHS = 6  # "no contact for N months" on the dashboard
FOLLOW_UP_HORIZON = timedelta(days=7)


@office_permission("office.view_dashboard")
def dashboard(request, office_slug):
    today = clock.today()
    no_contact_since = selectors.months_before(today, NO_CONTACT_MONTHS)
    filters = {
        "query": request.GET.get("q", ""),
        "county": request.GET.get("fylke", ""),
        "trouble": request.GET.get("problemer") == "1",
        "sami": request.GET.get("samisk") == "1",
        "no_contact_since": no_contact_since if request.GET.get("uten_kontakt") == "1" else None,
    }
    municipalities = selectors.municipalities_for_office(request.office, **filters)
    page = paginate(request, municipalities)
    context = {
        **filters,
        "page": page,
        "total": page.paginator.count,
        "no_contact": filters["no_contact_since"] is not None,
        "no_contact_months": NO_CONTACT_MONTHS,
    }
    if request.htmx:
        return render(request, "offices/_municipality_table.html", context)
    # ?forfalt=1 (the inbox card's link): every follow-up due today or earlier, by the card's
    # own rule; otherwise the next week's, the first 20.
    overdue_only = request.GET.get("forfalt") == "1"
    if overdue_only:
        follow_ups = selectors.follow_ups_due(request.office, until=today)
    else:
        follow_ups = selectors.follow_ups_due(request.office, until=today + FOLLOW_UP_HORIZON)[:20]
    context.update(
        counties=selectors.counties_for_office(request.office),
        follow_ups=follow_ups,
        overdue_only=overdue_only,
        today=today,
        stale_count=selectors.municipalities_for_office(
            request.office, no_contact_since=no_contact_since
        ).count(),
    )
    return render(request, "offices/dashboard.html", context)
