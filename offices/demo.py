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


# Demo doctors' records (trainees/ may create them too: looked up by user first, then HPR).
DEMO_TRAINEES = [
    # e-mail, office slug, kommunenummer, HPR number, signed on (Vadsø: after the start)
    ("alis.masfjorden@demo.alis.no", "vest", "4634", "9123456", (2024, 8, 15)),
    ("alis.vadso@demo.alis.no", "nord", "5607", "9234567", (2024, 9, 16)),
]


@transaction.atomic
def load_demo_agreements() -> None:
    """Office templates (one per office; the national one comes with the migrations), a signed
    agreement with experience for each demo doctor, so the claim pages show numbers."""
    from datetime import date
    from decimal import Decimal

    from django.apps import apps
    from django_scopes import scope, scopes_disabled

    from agreements.models import Agreement, AgreementTemplate
    from agreements.reference import NATIONAL_TEMPLATE_BODY, seed_agreement_reference_data
    from agreements.services import (
        agreement_create,
        agreement_sign,
        agreement_template_create,
        measure_experience_record,
    )
    from trainees.models import EmploymentForm, ServicePeriod, Trainee

    seed_agreement_reference_data(apps)
    for office in Office.objects.all():
        name = f"ALIS-avtale – mal for {office.name}"
        if not AgreementTemplate.objects.filter(office=office, name=name).exists():
            agreement_template_create(
                office=office,
                acting_user=None,
                name=name,
                description="Kontorets egen mal, bygget på den nasjonale.",
                body=NATIONAL_TEMPLATE_BODY
                + "\nKontakt {{ kontor }} ved spørsmål om avtalen eller ALIS-løpet.\n",
            )

    for email, slug, number, hpr, signed in DEMO_TRAINEES:
        office = Office.objects.get(slug=slug)
        municipality = Municipality.objects.get(number=number)
        user = User.objects.get(email=email)
        leader = User.objects.get(email=email.replace("alis.", "leder.", 1))
        with scope(office=office):
            with scopes_disabled():  # the doctor's record may already exist (trainees/ demo)
                trainee = Trainee.objects.filter(user=user).first()
            if trainee is None:
                trainee, _created = Trainee.objects.get_or_create(
                    office=office,
                    hpr_number=hpr.zfill(9),
                    defaults={
                        "municipality": municipality,
                        "user": user,
                        "first_name": user.first_name,
                        "last_name": user.last_name,
                        "email": email,
                        "specialisation_start": date(2024, 9, 1),
                        "employment_form": EmploymentForm.SALARIED,
                    },
                )
            if not ServicePeriod.objects.filter(trainee=trainee).exists():
                ServicePeriod.objects.create(
                    office=office,
                    trainee=trainee,
                    served_by=office,
                    municipality=municipality,
                    place=f"{municipality.name} legekontor",
                    arena="allmennpraksis",
                    percentage=100,
                    start=date(2024, 9, 1),
                )
            if Agreement.objects.filter(trainee=trainee).exists():
                continue
            template = AgreementTemplate.objects.get(
                office=office, name=f"ALIS-avtale – mal for {office.name}"
            )
            agreement = agreement_create(
                office=office,
                acting_user=leader,
                trainee=trainee,
                template=template,
                position_type="fastlege",
                employment_form=EmploymentForm.SALARIED,
                percentage=100,
                start=date(2024, 9, 1),
                end=date(2029, 8, 31),
                extra_supervision_hours=Decimal("2"),
                reduced_list_to=700 if slug == "vest" else 600,
                income_guarantee=Decimal("900000") if slug == "nord" else None,
                course_budget=Decimal("40000"),
                network_gatherings_per_year=4,
                own_office=True,
                backup_on_call=slug == "nord",
                on_call_load="redusert",
            )
            agreement_sign(
                office=office,
                acting_user=leader,
                agreement=agreement,
                signed_on=date(*signed),
                municipality_signatory_name=leader.get_full_name(),
                municipality_signatory_title="Kommuneoverlege",
                doctor_signatory_name=trainee.full_name,
            )
            for measure, rating, notes in [
                ("ekstra_veiledning", 5, "Ekstra veiledning første år ga trygghet i vaktene."),
                ("redusert_liste", 4, "Kortere liste ga tid til kurs, men ventelisten økte."),
                ("vaktbelastning", 3, ""),
            ]:
                measure_experience_record(
                    office=office,
                    acting_user=leader,
                    agreement=agreement,
                    measure=measure,
                    rating=rating,
                    notes=notes,
                )
