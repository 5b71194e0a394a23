"""Reads for agreements, templates and experience. Every query filters on the
office explicitly (the request scope is the second net) and fetches related rows up front."""

from __future__ import annotations

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404

from trainees.models import Trainee

from .models import (
    MEASURE_FIELDS,
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    AgreementTemplateVersion,
    MeasureExperience,
    MeasureType,
)

# Agreements that are or were in force: they count for grants and for experience.
IN_FORCE = (AgreementStatus.SIGNED, AgreementStatus.SUPERSEDED)


def agreements_for_office(
    office, *, municipality_ids: set[int] | None = None, user=None
) -> QuerySet[Agreement]:
    """The office's agreements; limited to some municipalities (leaders) or to the doctor
    whose user account is `user` (doctors)."""
    qs = Agreement.objects.filter(office=office).select_related(
        "municipality", "trainee", "template_version__template"
    )
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    if user is not None:
        qs = qs.filter(trainee__user=user)
    return qs.order_by("municipality__name", "trainee__last_name", "-created_at", "pk")


def agreement_get(office, agreement_id: int) -> Agreement:
    """One agreement of the office, or 404 (also when it belongs to another office)."""
    return get_object_or_404(
        Agreement.objects.select_related(
            "office",
            "municipality",
            "trainee",
            "template_version__template",
            "supersedes",
            "signed_recorded_by",
        ),
        office=office,
        pk=agreement_id,
    )


def trainees_for_agreements(office, municipality_ids: set[int] | None) -> QuerySet[Trainee]:
    qs = Trainee.objects.filter(office=office).select_related("municipality")
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs.order_by("last_name", "first_name")


def _templates_visible(office) -> Q:
    return Q(office=office) | Q(office__isnull=True)


def templates_for_office(office, *, active_only: bool = False) -> QuerySet[AgreementTemplate]:
    """The office's own templates and the national ones, with their latest version number."""
    qs = AgreementTemplate.objects.filter(_templates_visible(office))
    if active_only:
        qs = qs.filter(is_active=True)
    return (
        qs.annotate(latest_version=Max("versions__number"))
        .filter(latest_version__isnull=False)
        .select_related("office")
        .order_by("office", "name")
    )


def template_get(office, template_id: int) -> AgreementTemplate:
    return get_object_or_404(
        AgreementTemplate.objects.filter(_templates_visible(office)).select_related("office"),
        pk=template_id,
    )


def template_versions(template: AgreementTemplate) -> QuerySet[AgreementTemplateVersion]:
    return template.versions.select_related("created_by").order_by("-number")


def template_current_version(template: AgreementTemplate) -> AgreementTemplateVersion:
    return template.versions.order_by("-number").first()


def experiences_for_agreement(agreement: Agreement) -> dict[str, MeasureExperience]:
    return {
        e.measure: e
        for e in MeasureExperience.objects.filter(office=agreement.office_id, agreement=agreement)
    }


def experience_overview(office) -> dict[str, object]:
    """Per measure type: municipalities using it (agreements in force), ratings and notes.

    Three queries whatever the number of agreements: one conditional aggregate for use, one
    grouped aggregate for ratings, one list of notes.
    """
    in_force = Agreement.objects.filter(office=office, status__in=IN_FORCE)
    usage = in_force.aggregate(
        **{
            measure: Count("municipality", distinct=True, filter=Q(**lookup))
            for measure, (_field, lookup) in MEASURE_FIELDS.items()
        },
        total_municipalities=Count("municipality", distinct=True),
    )
    ratings = {
        row["measure"]: row
        for row in MeasureExperience.objects.filter(office=office)
        .values("measure")
        .annotate(average=Avg("rating"), count=Count("id"))
    }
    notes = (
        MeasureExperience.objects.filter(office=office)
        .exclude(notes="")
        .select_related("agreement__municipality")
        .order_by("measure", "-recorded_at")
    )
    notes_by_measure: dict[str, list[MeasureExperience]] = {}
    for note in notes:
        notes_by_measure.setdefault(note.measure, []).append(note)
    rows = [
        {
            "measure": measure,
            "label": MeasureType(measure).label,
            "municipalities": usage[measure],
            "ratings": ratings.get(measure, {}).get("count", 0),
            "average": ratings.get(measure, {}).get("average"),
            "notes": notes_by_measure.get(measure, []),
        }
        for measure in MEASURE_FIELDS
    ]
    return {"rows": rows, "total_municipalities": usage["total_municipalities"]}
