from datetime import date

from django.db.models import (
    Case,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from .models import (
    ContactLogEntry,
    CooperationAgreement,
    EducationPlan,
    EducationUnitRegistration,
    HealthTrustArea,
    LearningArena,
    Municipality,
    MunicipalityProfile,
    RegistrationStatus,
)


def _unit_registrations_first_approved(office) -> QuerySet[EducationUnitRegistration]:
    """A municipality's registrations, the one that tells its status first: the approved one,
    otherwise the latest."""
    return EducationUnitRegistration.objects.filter(office=office).order_by(
        Case(
            When(status=RegistrationStatus.APPROVED, then=0),
            default=1,
            output_field=IntegerField(),
        ),
        "-submitted_at",
    )


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def municipalities_for_office(
    office,
    *,
    query: str = "",
    county: str = "",
    trouble: bool = False,
    sami: bool = False,
    no_contact_since: date | None = None,
) -> QuerySet[Municipality]:
    """The municipalities an office serves now, optionally searched by name or number, each
    annotated in the same query with its education-unit status (`unit_status`,
    `unit_decided_at`; None when it never registered), the office's flags (`recruitment_trouble`,
    `sami_area`, `cooperation`) and the date of the last contact (`last_contact`)."""
    status = _unit_registrations_first_approved(office).filter(municipality=OuterRef("pk"))
    profile = MunicipalityProfile.objects.filter(office=office, municipality=OuterRef("pk"))
    qs = Municipality.objects.filter(office=office, is_active=True).annotate(
        unit_status=Subquery(status.values("status")[:1]),
        unit_decided_at=Subquery(status.values("decided_at")[:1]),
        recruitment_trouble=Subquery(profile.values("recruitment_trouble")[:1]),
        recruitment_reason=Subquery(profile.values("recruitment_reason")[:1]),
        sami_area=Subquery(profile.values("sami_area")[:1]),
        cooperation=Subquery(profile.values("cooperation")[:1]),
        last_contact=Max("contact_log__date", filter=Q(contact_log__office=office)),
    )
    if trouble:
        qs = qs.filter(recruitment_trouble=True)
    if sami:
        qs = qs.filter(sami_area=True)
    if no_contact_since:
        qs = qs.filter(Q(last_contact__lt=no_contact_since) | Q(last_contact__isnull=True))
    if query:
        query = query.strip()
        qs = qs.filter(Q(name__icontains=query) | Q(number__startswith=query))
    if county:
        qs = qs.filter(county=county)
    return qs.order_by("county", "name")


def counties_for_office(office) -> list[str]:
    return list(
        Municipality.objects.filter(office=office, is_active=True)
        .order_by("county")
        .values_list("county", flat=True)
        .distinct()
    )


def municipality_get(office, number: str) -> Municipality:
    """One municipality of the office, or 404 (also when it belongs to another office)."""
    return get_object_or_404(
        Municipality.objects.select_related("office"), office=office, number=number
    )


def municipalities_for_registration() -> QuerySet[Municipality]:
    """Every active municipality in the register (reference data), for the applicant's choice."""
    return Municipality.objects.filter(is_active=True).order_by("name", "number")


def registrations_for_applicant(user) -> list[EducationUnitRegistration]:
    """The user's own registrations, whichever office they went to. The applicant need not be a
    member of any office, so there is no office scope to run in: the filter on the applicant is
    what limits the rows (scopes disabled on purpose, reads only)."""
    with scopes_disabled():
        return list(
            EducationUnitRegistration.objects.filter(applicant=user)
            .select_related("municipality", "office")
            .order_by("-submitted_at")
        )


def registrations_for_office(office, *, status: str | None = None):
    qs = EducationUnitRegistration.objects.filter(office=office).select_related(
        "municipality", "applicant", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("submitted_at" if status == RegistrationStatus.PENDING else "-submitted_at")


def registration_get(office, registration_id: int) -> EducationUnitRegistration:
    return get_object_or_404(
        EducationUnitRegistration.objects.select_related(
            "municipality", "applicant", "decided_by", "office"
        ),
        office=office,
        pk=registration_id,
    )


def unit_status_for(office, municipality) -> EducationUnitRegistration | None:
    """The registration that tells the municipality's status (approved first, else latest)."""
    return (
        _unit_registrations_first_approved(office)
        .filter(municipality=municipality)
        .select_related("decided_by")
        .first()
    )


def _arenas():
    return Prefetch(
        "arenas",
        queryset=LearningArena.objects.select_related(
            "agreement", "agreement__counterparty_municipality"
        ).order_by("position", "pk"),
    )


def education_plan_versions(office, municipality) -> QuerySet[EducationPlan]:
    return (
        EducationPlan.objects.filter(office=office, municipality=municipality)
        .select_related("created_by")
        .order_by("-version")
    )


def education_plan_current(office, municipality) -> EducationPlan | None:
    return education_plan_versions(office, municipality).prefetch_related(_arenas()).first()


def education_plan_get(office, municipality, version: int) -> EducationPlan:
    return get_object_or_404(
        education_plan_versions(office, municipality).prefetch_related(_arenas()),
        version=version,
    )


def cooperation_agreements_for(office, municipality) -> QuerySet[CooperationAgreement]:
    return (
        CooperationAgreement.objects.filter(office=office, municipality=municipality)
        .select_related("counterparty_municipality")
        .order_by("-start", "pk")
    )


def cooperation_agreement_get(office, municipality, agreement_id: int) -> CooperationAgreement:
    return get_object_or_404(cooperation_agreements_for(office, municipality), pk=agreement_id)


def profile_for(office, municipality) -> MunicipalityProfile | None:
    return MunicipalityProfile.objects.filter(office=office, municipality=municipality).first()


def contact_log_for(office, municipality) -> QuerySet[ContactLogEntry]:
    return ContactLogEntry.objects.filter(office=office, municipality=municipality).select_related(
        "created_by"
    )


def follow_ups_due(office, *, until: date) -> QuerySet[ContactLogEntry]:
    """Open follow-ups due on or before `until` (overdue ones first)."""
    return (
        ContactLogEntry.objects.filter(
            office=office, follow_up_done=False, follow_up_on__isnull=False, follow_up_on__lte=until
        )
        .select_related("municipality")
        .order_by("follow_up_on", "municipality__name")
    )


def health_trust_names(municipality_ids, on: date) -> dict[int, str]:
    """The name of the health trust (OSO area) each municipality lies in on `on`."""
    areas = HealthTrustArea.objects.valid_on(on).filter(municipality_id__in=set(municipality_ids))
    return dict(areas.values_list("municipality_id", "health_trust__name"))
