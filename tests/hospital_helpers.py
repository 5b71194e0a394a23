"""Builders for the hospital period: a Bergen hospital with a department, places, a trust
contact, and a doctor in Masfjorden who still needs institution service."""

from datetime import date

from django_scopes import scope

from accounts.models import Role
from hospital import services
from hospital.models import Booking, BookingStatus, InstitutionRule, TrustContact
from hospital.reference import seed_institution_rules
from municipalities.models import HealthTrust
from plans.reference import seed_rule_sets

from .conftest import member
from .trainee_factories import make_period, make_trainee


def seed_rules():
    from django.apps import apps

    seed_rule_sets(apps)
    seed_institution_rules(apps)
    return InstitutionRule.objects.get(scheme="ny")


def trust(code="BERGEN") -> HealthTrust:
    return HealthTrust.objects.get(code=code)


def make_department(office, acting_user, code="BERGEN", hospital="Haukeland", name="Akutt"):
    h = services.hospital_create(
        office=office, acting_user=acting_user, trust=trust(code), name=hospital
    )
    return services.department_create(
        office=office, acting_user=acting_user, hospital=h, name=name, goal_codes=["ALM-055"]
    )


def make_place(department, start=date(2027, 1, 1), months=6, capacity=1, acting_user=None):
    return services.place_create(
        office=department.office,
        acting_user=acting_user,
        department=department,
        start=start,
        months=months,
        capacity=capacity,
    )


def gp_doctor(office, municipality, *, start=date(2024, 1, 1), percentage=100, **kwargs):
    """A doctor in open general practice from `start`, ongoing."""
    trainee = make_trainee(office, municipality, specialisation_start=start, **kwargs)
    make_period(trainee, start=start, percentage=percentage)
    return trainee


def trust_contact(office, code="BERGEN", email="kontakt@helse-bergen.example.no"):
    """A signed-up trust contact (the membership the invitation gives, and the contact row)."""
    user = member(office, Role.TRUST_CONTACT, email=email)
    with scope(office=office):
        TrustContact.objects.create(office=office, trust=trust(code), name="Kari", email=email)
    return user


def hospital_objects(trainee) -> dict:
    """A Vest agreement with Helse Bergen and a declined booking for `trainee` (real ids for
    the tenancy meta-tests; declined, so it does not stop the sample transfer request, which
    an open booking would)."""
    from .conftest import pdf_upload
    from .factories import UserFactory

    office = trainee.office
    user = UserFactory(email="hospital-eksempel@vest.example.no")
    department = make_department(office, user)
    agreement = services.agreement_create(
        office=office,
        acting_user=user,
        trust=trust(),
        document=pdf_upload(),
        title="Utdanningsplasser",
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
    )
    place = make_place(department)
    with scope(office=office):
        booking = Booking.objects.create(
            office=office, trainee=trainee, place=place, status=BookingStatus.DECLINED
        )
    return {"booking_id": booking.pk, "trust_agreement_id": agreement.pk}
