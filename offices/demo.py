"""Demo data for the embedded default: documented logins for every role (see README)."""

from allauth.account.models import EmailAddress
from django.db import models, transaction

from accounts.models import Membership, Role, User
from municipalities.models import Municipality

from .models import Office

DEMO_PASSWORD = "alis-demo-2026"

# (e-mail, first name, last name, office slug or None for the coordinating office,
#  role, kommunenummer or None)
DEMO_USERS = [
    *[
        (f"koordinator.{slug}@demo.alis.no", "Koordinator", name, slug, Role.COORDINATOR, None)
        for slug, name in [
            ("nord", "Nord"),
            ("midt", "Midt"),
            ("vest", "Vest"),
            ("sor", "Sør"),
            ("ost", "Øst"),
        ]
    ],
    ("nasjonal@demo.alis.no", "Nina", "Nasjonal", None, Role.NATIONAL_COORDINATOR, None),
    ("leder.masfjorden@demo.alis.no", "Liv", "Lunde", "vest", Role.MUNICIPAL_LEADER, "4634"),
    ("veileder.masfjorden@demo.alis.no", "Vidar", "Vik", "vest", Role.VEILEDER, "4634"),
    ("alis.masfjorden@demo.alis.no", "Anna", "Aase", "vest", Role.ALIS, "4634"),
    ("leder.vadso@demo.alis.no", "Lars", "Lyngmo", "nord", Role.MUNICIPAL_LEADER, "5607"),
    ("alis.vadso@demo.alis.no", "Ahmed", "Ali", "nord", Role.ALIS, "5607"),
]


def coordinating_office() -> Office:
    from datetime import date

    return Office.objects.coordinating_on(date.today()).first() or Office.objects.get(slug="nord")


@transaction.atomic
def load_demo_users() -> list[User]:
    users = []
    for email, first, last, slug, role, number in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        office = Office.objects.get(slug=slug) if slug else coordinating_office()
        municipality = Municipality.objects.get(number=number) if number else None
        Membership.objects.get_or_create(
            user=user, office=office, role=role, municipality=municipality
        )
        users.append(user)
    return users


# --- Positions and medical offices: a lively region in every office -------------------------

# Municipalities shown first in each office (the personas' own are among them); the rest of
# the five come from the office's register in number order.
DEMO_FEATURED = {
    "vest": ["4634", "4601", "4635", "4651"],
    "nord": ["5607", "1804", "5601", "1818"],
}
# (status path, employment form, scheme, list ceiling, applicants, ownership of the office)
DEMO_POSITIONS = [
    (["planlagt", "utlyst", "besatt"], "fastlonn", "ny", 800, 3, "kommunal"),
    (["planlagt", "utlyst", "besatt"], "naering", "ny", 1100, 2, "privat"),
    (["planlagt", "utlyst"], "valgfritt", "ny", 700, 1, "kommunal"),
    (["planlagt", "utlyst", "besatt", "ledig"], "fastlonn", "gammel", 900, 0, "kommunal"),
    (["planlagt"], "fastlonn", "ny", 600, 0, "kommunal"),
    (["planlagt", "utlyst", "besatt"], "naering", "gammel", 1000, 4, "privat"),
    (["planlagt", "utlyst", "besatt", "avsluttet"], "fastlonn", "ny", 750, 2, "kommunal"),
    (["planlagt", "utlyst", "besatt"], "fastlonn", "ny", 850, 5, "kommunal"),
]


def _demo_municipalities(office: Office) -> list[Municipality]:
    featured = DEMO_FEATURED.get(office.slug, [])
    chosen = list(Municipality.objects.filter(number__in=featured, office=office))
    chosen.sort(key=lambda m: featured.index(m.number))
    rest = Municipality.objects.filter(office=office, is_active=True).exclude(number__in=featured)
    if office.seat_id:
        rest = rest.order_by(
            models.Case(models.When(pk=office.seat_id, then=0), default=1), "number"
        )
    return (chosen + list(rest[: 5 - len(chosen)]))[:5]


@transaction.atomic
def load_demo_positions() -> int:
    """Medical offices and positions in every status for every office. Offices that already
    have positions are left as they are, so the command can run again. Returns positions made."""
    from datetime import timedelta

    from django.utils import timezone
    from django_scopes import scope

    from positions.models import MedicalOffice, MunicipalityGroup, Position
    from positions.services import position_change_status, position_create

    made = 0
    today = timezone.localdate()
    for office in Office.objects.all():
        coordinator = User.objects.filter(
            memberships__office=office, memberships__role=Role.COORDINATOR
        ).first()
        with scope(office=office):
            if Position.objects.filter(office=office).exists():
                continue
            municipalities = _demo_municipalities(office)
            specs = [
                (municipalities[i % len(municipalities)], None, spec)
                for i, spec in enumerate(DEMO_POSITIONS)
            ]
            if office.slug == "nord":
                group, _ = MunicipalityGroup.objects.get_or_create(
                    office=office, name="Tana + Lebesby"
                )
                group.municipalities.set(Municipality.objects.filter(number__in=["5628", "5624"]))
                tana = Municipality.objects.get(number="5628")
                specs.append((tana, group, DEMO_POSITIONS[0]))
            for municipality, group, (path, form, scheme, ceiling, applicants, owner) in specs:
                suffix = "legesenter" if owner == "privat" else "legekontor"
                medical_office, _ = MedicalOffice.objects.get_or_create(
                    office=office,
                    municipality=municipality,
                    name=f"{municipality.name} {suffix}",
                    defaults={"ownership": owner, "address": f"Sentrum, {municipality.name}"},
                )
                start = today - timedelta(days=90 * len(path))
                position = position_create(
                    office=office,
                    acting_user=coordinator,
                    municipality=None if group else municipality,
                    group=group,
                    medical_office=medical_office,
                    list_ceiling=ceiling,
                    employment_form=form,
                    scheme=scheme,
                    applicants=applicants,
                    status_date=start,
                )
                for step, status in enumerate(path[1:], start=1):
                    position_change_status(
                        office=office,
                        acting_user=coordinator,
                        position=position,
                        status=status,
                        on=start + timedelta(days=90 * step),
                    )
                made += 1
    return made
