"""Building blocks for agreement and grant tests: doctors, service periods, agreements."""

from datetime import date
from decimal import Decimal

from django_scopes import scope

from agreements.models import Agreement, AgreementStatus, AgreementTemplate
from agreements.reference import NATIONAL_TEMPLATE_NAME
from agreements.services import agreement_template_create
from trainees.models import ServicePeriod, Trainee


def make_trainee(office, municipality, *, hpr="1234567", first="Anna", last="Aase", user=None):
    with scope(office=office):
        return Trainee.objects.create(
            office=office,
            municipality=municipality,
            user=user,
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@example.no",
            hpr_number=hpr.zfill(9),
            specialisation_start=date(2024, 9, 1),
        )


def add_service(trainee, *, start=date(2024, 8, 1), end=None, percentage=100, is_leave=False):
    with scope(office=trainee.office):
        return ServicePeriod.objects.create(
            office=trainee.office,
            trainee=trainee,
            served_by=trainee.office,
            municipality=trainee.municipality,
            place="Masfjorden legekontor",
            arena="allmennpraksis",
            percentage=percentage,
            start=start,
            end=end,
            is_leave=is_leave,
        )


def national_template():
    return AgreementTemplate.objects.get(name=NATIONAL_TEMPLATE_NAME, office=None)


def office_template(office, user=None, name="Vest-mal"):
    return agreement_template_create(
        office=office,
        acting_user=user,
        name=name,
        body="Avtale for {{ lege }} i {{ kommune }}.\n\n{% for t in tiltak %}{{ t }}\n{% endfor %}",
    )


def make_agreement(trainee, *, signed_on=None, **terms) -> Agreement:
    values = {
        "position_type": "fastlege",
        "employment_form": "fastlonn",
        "percentage": 100,
        "start": date(2024, 9, 1),
        "end": date(2029, 8, 31),
        "extra_supervision_hours": Decimal("2"),
        "reduced_list_to": 800,
        "course_budget": Decimal("30000"),
        "own_office": True,
    }
    values.update(terms)
    with scope(office=trainee.office):
        return Agreement.objects.create(
            office=trainee.office,
            municipality=trainee.municipality,
            trainee=trainee,
            template_version=national_template().versions.order_by("-number").first(),
            status=AgreementStatus.SIGNED if signed_on else AgreementStatus.DRAFT,
            signed_on=signed_on,
            municipality_signatory_name="Liv Lunde" if signed_on else "",
            municipality_signatory_title="Kommuneoverlege" if signed_on else "",
            doctor_signatory_name=trainee.full_name if signed_on else "",
            **values,
        )
