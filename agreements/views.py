from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import office_permission
from audit.services import log_export
from offices.forms import run_action, run_service
from offices.pagination import paginate
from offices.pdf import RenderLimitError
from offices.permissions import can_view_agreement

from . import selectors, services
from .forms import (
    AgreementCreateForm,
    AgreementSignForm,
    AgreementTermsForm,
    MeasureExperienceForm,
    TemplateCreateForm,
    TemplateReviseForm,
)
from .models import AgreementStatus
from .rendering import PLACEHOLDERS, TemplateBodyError, agreement_pdf, measure_lines


def _visible_agreement(request, agreement_id):
    agreement = selectors.agreement_get(request.office, agreement_id)
    if not can_view_agreement(request.access, request.user, agreement):
        raise PermissionDenied
    return agreement


def _editable_agreement(request, agreement_id):
    agreement = selectors.agreement_get(request.office, agreement_id)
    if not request.access.can("agreement.edit", agreement.municipality):
        raise PermissionDenied
    return agreement


@office_permission("agreement.view")
def agreement_list(request, office_slug):
    access = request.access
    if access.can("agreement.view_municipality"):
        ids = access.visible_municipality_ids("agreement.view")
        agreements = selectors.agreements_for_office(request.office, municipality_ids=ids)
    else:
        agreements = selectors.agreements_for_office(request.office, user=request.user)
    return render(request, "agreements/list.html", {"page": paginate(request, agreements)})


@office_permission("agreement.edit")
def agreement_create(request, office_slug):
    ids = request.access.visible_municipality_ids("agreement.edit")
    form = AgreementCreateForm(
        request.POST or None,
        trainees=selectors.trainees_for_agreements(request.office, ids),
        templates=selectors.templates_for_office(request.office, active_only=True),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        trainee, template = data.pop("trainee"), data.pop("template")
        saved, agreement = run_service(
            form,
            lambda: services.agreement_create(
                office=request.office,
                acting_user=request.user,
                trainee=trainee,
                template=template,
                **data,
            ),
        )
        if saved:
            messages.success(request, _("Utkastet til ALIS-avtale er lagret."))
            return redirect("agreement_detail", office_slug, agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "agreement": None})


@office_permission("agreement.view")
def agreement_detail(request, office_slug, agreement_id):
    agreement = _visible_agreement(request, agreement_id)
    experiences = selectors.experiences_for_agreement(agreement)
    context = {
        "agreement": agreement,
        "measures": [(m, text, experiences.get(m)) for m, text in measure_lines(agreement)],
        "can_edit": request.access.can("agreement.edit", agreement.municipality),
        "can_record": request.access.can("agreement.record_experience", agreement.municipality),
    }
    return render(request, "agreements/detail.html", context)


@office_permission("agreement.edit")
def agreement_update(request, office_slug, agreement_id):
    agreement = _editable_agreement(request, agreement_id)
    if agreement.status != AgreementStatus.DRAFT:
        messages.error(
            request, _("Avtalen er signert og kan ikke endres. Lag en endringsavtale i stedet.")
        )
        return redirect("agreement_detail", office_slug, agreement.pk)
    form = AgreementTermsForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: services.agreement_update(
                office=request.office,
                acting_user=request.user,
                agreement=agreement,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Endringene i utkastet er lagret."))
            return redirect("agreement_detail", office_slug, agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "agreement": agreement})


@office_permission("agreement.edit")
def agreement_sign(request, office_slug, agreement_id):
    agreement = _editable_agreement(request, agreement_id)
    if agreement.status != AgreementStatus.DRAFT:
        messages.error(request, _("Avtalen er allerede signert."))
        return redirect("agreement_detail", office_slug, agreement.pk)
    form = AgreementSignForm(
        request.POST or None, initial={"doctor_signatory_name": agreement.trainee.full_name}
    )
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: services.agreement_sign(
                office=request.office,
                acting_user=request.user,
                agreement=agreement,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Avtalen er registrert som signert."))
            return redirect("agreement_detail", office_slug, agreement.pk)
    return render(request, "agreements/sign.html", {"form": form, "agreement": agreement})


@require_POST
@office_permission("agreement.edit")
def agreement_amend(request, office_slug, agreement_id):
    agreement = _editable_agreement(request, agreement_id)
    done, amendment = run_action(
        request,
        lambda: services.agreement_amend(
            office=request.office, acting_user=request.user, agreement=agreement
        ),
        _("Utkast til endringsavtale er laget. Endre det og signer."),
    )
    if not done:
        return redirect("agreement_detail", office_slug, agreement.pk)
    return redirect("agreement_update", office_slug, amendment.pk)


@office_permission("agreement.view")
def agreement_pdf_view(request, office_slug, agreement_id):
    agreement = _visible_agreement(request, agreement_id)
    filename = f"alis-avtale-{agreement.pk}.pdf"
    what = f"ALIS-avtale {agreement.pk} (PDF)"
    if agreement.pdf:
        log_export(request, what, subject=agreement.trainee)
        return FileResponse(
            agreement.pdf.open("rb"), content_type="application/pdf", filename=filename
        )
    # Drafts (and signed ones whose stored file is not made yet) render on request; the
    # cache key changes with every save, so an edit never serves a stale PDF.
    key = f"agreement-pdf:{agreement.office_id}:{agreement.pk}:{agreement.updated_at.timestamp()}"
    pdf = cache.get(key)
    if pdf is None:
        try:
            pdf = agreement_pdf(agreement)
        except (TemplateBodyError, RenderLimitError) as error:
            messages.error(request, _("PDF-en kan ikke lages: %(error)s") % {"error": error})
            return redirect("agreement_detail", office_slug, agreement.pk)
        cache.set(key, pdf, 60 * 60)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    log_export(request, what, subject=agreement.trainee)
    return response


@office_permission("agreement.record_experience")
def agreement_experience(request, office_slug, agreement_id):
    agreement = selectors.agreement_get(request.office, agreement_id)
    if not request.access.can("agreement.record_experience", agreement.municipality):
        raise PermissionDenied
    measures = agreement.measures_in_use()
    form = MeasureExperienceForm(
        request.POST or None, measures=measures, initial={"measure": request.GET.get("tiltak")}
    )
    if request.method == "POST" and form.is_valid():
        saved, _unused = run_service(
            form,
            lambda: services.measure_experience_record(
                office=request.office,
                acting_user=request.user,
                agreement=agreement,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Erfaringen er lagret."))
            return redirect("agreement_detail", office_slug, agreement.pk)
    return render(
        request, "agreements/experience_form.html", {"form": form, "agreement": agreement}
    )


@office_permission("experience.view_overview")
def experience_overview(request, office_slug):
    return render(
        request,
        "agreements/experience_overview.html",
        selectors.experience_overview(request.office),
    )


@office_permission("agreement_template.view")
def template_list(request, office_slug):
    templates = selectors.templates_for_office(request.office)
    return render(request, "agreements/template_list.html", {"templates": templates})


@office_permission("agreement_template.manage")
def template_create(request, office_slug):
    allow_national = request.access.can("agreement_template.manage_national")
    form = TemplateCreateForm(request.POST or None, allow_national=allow_national)
    if request.method == "POST" and form.is_valid():
        saved, template = run_service(
            form,
            lambda: services.agreement_template_create(
                office=request.office, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Malen er lagret som versjon 1."))
            return redirect("agreement_template_detail", office_slug, template.pk)
    return render(
        request,
        "agreements/template_form.html",
        {"form": form, "template": None, "placeholders": PLACEHOLDERS},
    )


@office_permission("agreement_template.view")
def template_detail(request, office_slug, template_id):
    template = selectors.template_get(request.office, template_id)
    perm = (
        "agreement_template.manage_national"
        if template.is_national
        else "agreement_template.manage"
    )
    can_revise = request.access.can(perm)
    versions = list(selectors.template_versions(template))
    form = None
    if can_revise:
        initial = {"body": versions[0].body if versions else ""}
        form = TemplateReviseForm(request.POST or None, initial=initial)
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        saved, version = run_service(
            form,
            lambda: services.agreement_template_revise(
                office=request.office,
                acting_user=request.user,
                template=template,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(
                request, _("Ny versjon %(n)s av malen er lagret.") % {"n": version.number}
            )
            return redirect("agreement_template_detail", office_slug, template.pk)
    context = {
        "template": template,
        "versions": versions,
        "form": form,
        "placeholders": PLACEHOLDERS,
    }
    return render(request, "agreements/template_detail.html", context)
