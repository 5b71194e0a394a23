"""Demo data for the embedded default: documented logins for every role (see README)."""

from datetime import date

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


# --- ALIS doctors, supervisors and groups (trainees app) ------------------------------------

# Per office: (kommunenummer, first name, last name, HPR, status) of demo doctors, beside the
# two with logins (Masfjorden and Vadsø) below. Numbers are made up.
DEMO_TRAINEES = {
    "nord": [("1804", "Bodil", "Berg", "9100001"), ("5501", "Tor", "Tromsø", "9100002")],
    "midt": [("5001", "Marit", "Moe", "9200001"), ("1508", "Knut", "Ålesund", "9200002")],
    "vest": [
        ("4601", "Berit", "Bjørke", "9300001"),
        ("4635", "Geir", "Gulen", "9300002"),
        ("4635", "Siri", "Solund", "9300003"),
    ],
    "sor": [("4204", "Kristin", "Kvam", "9400001"), ("3907", "Sander", "Sand", "9400002")],
    "ost": [("3403", "Hanne", "Hamar", "9500001"), ("0301", "Ola", "Oslo", "9500002")],
}
# Per office: (name, specialty or None for general practice, capacity, kommunenummer served).
DEMO_POOL = {
    "nord": [
        ("Nils Nordli", None, 2, ["1804", "5607"]),
        ("Eva Ekkerøy", None, 1, ["5607", "5605"]),
        ("Ivar Indre", "Indremedisin", 2, ["1804"]),
    ],
    "midt": [("Mona Midtbø", None, 2, ["5001"]), ("Siv Sunndal", None, 1, ["1508"])],
    "vest": [
        ("Vidar Vik", None, 2, ["4634", "4630", "4635"]),
        ("Hilde Hordvik", None, 3, ["4601", "4630"]),
        ("Randi Rogne", None, 0, ["4635"]),
        ("Petter Psyk", "Psykiatri", 1, ["4601"]),
    ],
    "sor": [("Synne Sørli", None, 2, ["4204"]), ("Arne Agder", None, 1, ["3907"])],
    "ost": [("Øystein Øst", None, 2, ["3403"]), ("Olga Oslo", None, 1, ["0301"])],
}


def _demo_email(*names: str) -> str:
    local = ".".join(names).lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "a"), (" ", ".")):
        local = local.replace(a, b)
    return f"{local}@demo.alis.no"


def _demo_trainee(office, number, first, last, hpr, *, email=None, user=None):
    from django_scopes import scope

    from trainees import services
    from trainees.models import Trainee, normalize_hpr

    with scope(office=office):
        existing = Trainee.objects.filter(office=office, hpr_number=normalize_hpr(hpr)).first()
        if existing:
            return existing, False
    trainee = services.trainee_create(
        office=office,
        acting_user=None,
        municipality=Municipality.objects.get(number=number),
        first_name=first,
        last_name=last,
        email=email or _demo_email(first, last),
        hpr_number=hpr,
        specialisation_start=date(2024, 8, 1),
        employment_form="fastlonn",
    )
    return trainee, True


def _demo_periods(trainee, place):
    """A full-time year, a leave, then part-time general practice beside out-of-hours work."""
    from trainees import services

    periods = [
        dict(arena="allmennpraksis", percentage=100, start=date(2024, 8, 1), end=date(2025, 1, 31)),
        dict(
            arena="annet",
            percentage=100,
            start=date(2025, 2, 1),
            end=date(2025, 4, 30),
            is_leave=True,
            place="Foreldrepermisjon",
        ),
        dict(arena="allmennpraksis", percentage=60, start=date(2025, 5, 1), end=None),
        dict(arena="legevakt", percentage=40, start=date(2025, 5, 1), end=None, place="Legevakt"),
        dict(
            arena="institusjon",
            percentage=100,
            start=date(2019, 1, 1),
            end=date(2019, 6, 30),
            credited=True,
            place="Sykehus (godskrevet fra før ALIS)",
        ),
    ]
    for data in periods:
        data.setdefault("place", place)
        services.period_create(office=trainee.office, acting_user=None, trainee=trainee, **data)


@transaction.atomic
def load_demo_trainees() -> None:
    """Doctors in every office (two with logins), a supervisor pool per office, a veileder
    for some doctors (others lack one, so the capacity page has something to show) and a
    supervision group per office. Idempotent: existing rows are left as they are."""
    from django_scopes import scope

    from trainees import services
    from trainees.models import SupervisionGroup, Supervisor

    for office in Office.objects.all():
        with scope(office=office):
            pool = {}
            for name, other, capacity, numbers in DEMO_POOL.get(office.slug, []):
                supervisor = Supervisor.objects.filter(office=office, name=name).first()
                if supervisor is None:
                    user = User.objects.filter(email="veileder.masfjorden@demo.alis.no").first()
                    supervisor = services.supervisor_save(
                        office=office,
                        acting_user=None,
                        municipalities=list(
                            Municipality.objects.filter(number__in=numbers, office=office)
                        ),
                        name=name,
                        user=user if name == "Vidar Vik" else None,
                        email=_demo_email(name),
                        specialty="annen" if other else "allmennmedisin",
                        other_specialty=other or "",
                        capacity=capacity,
                        course_completed=date(2022, 5, 1),
                    )
                pool[name] = supervisor
            doctors = []
            for number, first, last, hpr in DEMO_TRAINEES.get(office.slug, []):
                if Municipality.objects.filter(number=number, office=office).exists():
                    doctors.append(_demo_trainee(office, number, first, last, hpr))
            logins = {
                "vest": ("4634", "Anna", "Aase", "1234567", "alis.masfjorden@demo.alis.no"),
                "nord": ("5607", "Ahmed", "Ali", "7654321", "alis.vadso@demo.alis.no"),
            }
            if office.slug in logins:
                number, first, last, hpr, email = logins[office.slug]
                doctors.insert(0, _demo_trainee(office, number, first, last, hpr, email=email))
            for i, (trainee, created) in enumerate(doctors):
                if not created:
                    continue
                _demo_periods(trainee, f"{trainee.municipality.name} legekontor")
                # Every other doctor gets a veileder from the pool serving them.
                candidates = [
                    s for s in pool.values() if trainee.municipality in s.municipalities.all()
                ]
                if i % 2 == 0 and candidates and candidates[0].is_specialist:
                    services.assignment_create(
                        office=office,
                        acting_user=None,
                        trainee=trainee,
                        supervisor=candidates[0],
                        role="veileder",
                        start=date(2024, 8, 1),
                    )
            if doctors and not SupervisionGroup.objects.filter(office=office).exists():
                services.group_save(
                    office=office,
                    acting_user=None,
                    members=[t for t, _created in doctors],
                    name=f"Veiledningsgruppe {office.name} 2024–2026",
                    leader_name="Gunnar Gruppeleder",
                    start=date(2024, 9, 1),
                    end=date(2026, 6, 30),
                    hours_held=36,
                )
