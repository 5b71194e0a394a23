"""Demo data for the embedded default: documented logins for every role (see README)."""

from allauth.account.models import EmailAddress
from django.db import transaction

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
