"""Writes for agreements, agreement templates and measure experience."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import User
from offices import clock
from offices.models import Office
from offices.owned import ensure_same_office
from trainees.models import Trainee

from .models import (
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    AgreementTemplateVersion,
    MeasureExperience,
)
from .rendering import TemplateBodyError, validate_body

# The fields of an agreement a leader fills in (everything but parties, template and signing).
TERM_FIELDS = (
    "position_type",
    "employment_form",
    "percentage",
    "start",
    "end",
    "hired_through_temp_agency",
    "extra_supervision_hours",
    "reduced_list_to",
    "income_guarantee",
    "practice_compensation",
    "course_budget",
    "network_gatherings_per_year",
    "own_office",
    "backup_on_call",
    "on_call_load",
    "other_measures",
)


def _check_terms(terms: dict) -> None:
    unknown = set(terms) - set(TERM_FIELDS)
    if unknown:
        raise TypeError(f"Ukjente avtalefelt: {sorted(unknown)}")


def _current_version(template: AgreementTemplate) -> AgreementTemplateVersion:
    version = template.versions.order_by("-number").first()
    if version is None:
        raise ValidationError({"template": _("Malen har ingen tekst ennå.")})
    return version


@transaction.atomic
def agreement_create(
    *, office: Office, acting_user: User, trainee: Trainee, template: AgreementTemplate, **terms
) -> Agreement:
    """A draft agreement for a doctor of the office, made from the template's current version."""
    _check_terms(terms)
    if template.office_id not in (None, office.pk):
        raise ValidationError({"template": _("Malen hører til et annet ALIS-kontor.")})
    agreement = Agreement(
        office=office,
        municipality=trainee.municipality,
        trainee=trainee,
        template_version=_current_version(template),
        created_by=acting_user,
        **terms,
    )
    with scope(office=office):
        agreement.full_clean()
        agreement.save()
    return agreement


def _ensure_draft(agreement: Agreement) -> None:
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(
            _("Avtalen er signert og kan ikke endres. Lag en endringsavtale i stedet.")
        )


@transaction.atomic
def agreement_update(
    *, office: Office, acting_user: User, agreement: Agreement, **terms
) -> Agreement:
    """Change the terms of a draft. Signed agreements are never edited."""
    _check_terms(terms)
    with scope(office=office):
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk, office=office)
        _ensure_draft(agreement)
        for name, value in terms.items():
            setattr(agreement, name, value)
        agreement.full_clean()
        agreement.save()
    return agreement


@transaction.atomic
def agreement_sign(
    *,
    office: Office,
    acting_user: User,
    agreement: Agreement,
    signed_on: date,
    municipality_signatory_name: str,
    municipality_signatory_title: str,
    doctor_signatory_name: str,
) -> Agreement:
    """Record that both parties signed. From `signed_on` the agreement counts for grants; an
    amendment replaces the agreement it changes. The PDF is stored after commit."""
    from .tasks import agreement_store_pdf

    if signed_on > clock.today():
        raise ValidationError({"signed_on": _("Signeringsdatoen kan ikke være i fremtiden.")})
    if not municipality_signatory_name.strip() or not doctor_signatory_name.strip():
        raise ValidationError(_("Oppgi hvem som signerte for kommunen og for legen."))
    with scope(office=office):
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk, office=office)
        _ensure_draft(agreement)
        agreement.status = AgreementStatus.SIGNED
        agreement.signed_on = signed_on
        agreement.municipality_signatory_name = municipality_signatory_name.strip()
        agreement.municipality_signatory_title = municipality_signatory_title.strip()
        agreement.doctor_signatory_name = doctor_signatory_name.strip()
        agreement.signed_recorded_by = acting_user
        agreement.full_clean()
        agreement.save()
        if agreement.supersedes_id:
            previous = Agreement.objects.select_for_update().get(
                pk=agreement.supersedes_id, office=office
            )
            previous.status = AgreementStatus.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
    agreement_store_pdf.delay_on_commit(office.pk, agreement.pk)
    return agreement


@transaction.atomic
def agreement_amend(*, office: Office, acting_user: User, agreement: Agreement) -> Agreement:
    """Start an amendment: a draft copy of a signed agreement, on its template's newest version."""
    if agreement.status != AgreementStatus.SIGNED:
        raise ValidationError(_("Bare en gjeldende, signert avtale kan endres med endringsavtale."))
    with scope(office=office):
        if agreement.amendments.filter(status=AgreementStatus.DRAFT).exists():
            raise ValidationError(_("Det finnes allerede et utkast til endringsavtale."))
        amendment = Agreement(
            office=office,
            municipality=agreement.municipality,
            trainee=agreement.trainee,
            template_version=_current_version(agreement.template_version.template),
            supersedes=agreement,
            created_by=acting_user,
            **{name: getattr(agreement, name) for name in TERM_FIELDS},
        )
        amendment.full_clean()
        amendment.save()
    return amendment


def _validate_body(body: str) -> None:
    try:
        validate_body(body)
    except TemplateBodyError as error:
        raise ValidationError({"body": str(error)}) from None


@transaction.atomic
def agreement_template_create(
    *,
    office: Office,
    acting_user: User,
    name: str,
    body: str,
    description: str = "",
    national: bool = False,
) -> AgreementTemplate:
    """A new template (the office's own, or national) with its first version."""
    _validate_body(body)
    template = AgreementTemplate(
        office=None if national else office, name=name.strip(), description=description.strip()
    )
    template.full_clean()
    template.save()
    AgreementTemplateVersion.objects.create(
        template=template,
        number=1,
        body=body,
        change_note=_("Første versjon"),
        created_by=acting_user,
    )
    return template


@transaction.atomic
def agreement_template_revise(
    *, office: Office, acting_user: User, template: AgreementTemplate, body: str, change_note: str
) -> AgreementTemplateVersion:
    """Every change is a new version; agreements keep the version they were made from."""
    if template.office_id not in (None, office.pk):
        raise ValidationError(_("Malen hører til et annet ALIS-kontor."))
    _validate_body(body)
    template = AgreementTemplate.objects.select_for_update().get(pk=template.pk)
    current = template.versions.order_by("-number").first()
    if current is not None and current.body == body:
        raise ValidationError({"body": _("Teksten er uendret, så det blir ingen ny versjon.")})
    version = AgreementTemplateVersion(
        template=template,
        number=(current.number if current else 0) + 1,
        body=body,
        change_note=change_note.strip(),
        created_by=acting_user,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def measure_experience_record(
    *,
    office: Office,
    acting_user: User,
    agreement: Agreement,
    measure: str,
    rating: int,
    notes: str = "",
) -> MeasureExperience:
    """Record (or update) how one measure of an agreement worked."""
    ensure_same_office(office, agreement, message=_("Avtalen hører til et annet ALIS-kontor."))
    if measure not in agreement.measures_in_use():
        raise ValidationError({"measure": _("Avtalen har ikke dette tiltaket.")})
    with scope(office=office):
        experience = MeasureExperience.objects.filter(
            office=office, agreement=agreement, measure=measure
        ).first() or MeasureExperience(office=office, agreement=agreement, measure=measure)
        experience.rating = rating
        experience.notes = notes.strip()
        experience.recorded_by = acting_user
        experience.recorded_at = timezone.now()
        experience.full_clean()
        experience.save()
    return experience
