"""Demo data for the embedded default: documented logins for every role (see README)."""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from accounts.models import Membership, User
from agreements.models import Agreement, AgreementTemplate
from agreements.reference import NATIONAL_TEMPLATE_BODY, seed_agreement_reference_data
from agreements.services import (
    agreement_create,
    agreement_sign,
    agreement_template_create,
    measure_experience_record,
)
from confirmations import services as confirmation_services
from confirmations.models import Confirmation
from confirmations.models import Kind as DocumentKind
from confirmations.pki import configured_pki
from confirmations.selectors import certificates_by_period, organisation_number_for
from goals import services as svc
from goals.models import GoalProgress
from goals.selectors import achieved_goals_for, current_goals
from grants import services as grant_services
from grants.models import Claim as GrantClaim
from grants.models import Scheme as GrantScheme
from grants.models import ShareInvoice
from grants.reference import NORD as NORD_SCHEME
from grants.reference import VEST_PILOT
from hospital import services as hospital_services
from hospital.models import Booking, BookingStatus, Hospital, Place, TrustContact
from municipalities.models import (
    ContactLogEntry,
    CooperationAgreement,
    EducationPlan,
    EducationUnitRegistration,
    HealthTrust,
    LearningArena,
    Municipality,
)
from municipalities.services import contact_log_add, profile_update
from notifications.surveys import status_survey_send
from offices import clock
from offices.models import Office
from offices.permissions import OfficeAccess, Role
from offices.vocabularies import EmploymentForm
from plans.models import IndividualPlan, LearningGoal, PlanVersion
from plans.rules import add_months
from plans.services import plan_version_create
from positions.models import MedicalOffice, MunicipalityGroup, Position, Status
from positions.services import position_change_status, position_create
from positions.survey import StatusSurvey, SurveyAnswer
from positions.survey_services import ANSWER_FIELDS, survey_answer_submit, survey_positions
from records.models import ApplicationPackage, PackageStatus
from records.services import package_request
from trainees import services
from trainees.models import (
    GroupMeeting,
    ServicePeriod,
    SupervisionGroup,
    SupervisionSession,
    Supervisor,
    SupervisorAssignment,
    Trainee,
    normalize_hpr,
)
from trainees.selectors import periods_for_trainee

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
    # The second assessor of Nord's recruitment rounds (intake/demo_data.py scores with her).
    ("koordinator2.nord@demo.alis.no", "Kristin", "Kvalsund", "nord", Role.COORDINATOR, None),
    ("nasjonal@demo.alis.no", "Nina", "Nasjonal", None, Role.NATIONAL_COORDINATOR, None),
    ("leder.masfjorden@demo.alis.no", "Liv", "Lunde", "vest", Role.MUNICIPAL_LEADER, "4634"),
    ("veileder.masfjorden@demo.alis.no", "Vidar", "Vik", "vest", Role.VEILEDER, "4634"),
    ("alis.masfjorden@demo.alis.no", "Anna", "Aase", "vest", Role.ALIS, "4634"),
    # A supervisør with a login, so the demo doctor's goals can have a supervisør's advice.
    ("supervisor.masfjorden@demo.alis.no", "Siri", "Sande", "vest", Role.SUPERVISOR, "4634"),
    ("leder.vadso@demo.alis.no", "Lars", "Lyngmo", "nord", Role.MUNICIPAL_LEADER, "5607"),
    ("alis.vadso@demo.alis.no", "Ahmed", "Ali", "nord", Role.ALIS, "5607"),
    # Helse Bergen's contact for GP training places (sees only Helse Bergen's requests).
    ("kontakt.helsebergen@demo.alis.no", "Hege", "Haukeland", "vest", Role.TRUST_CONTACT, None),
]


def coordinating_office() -> Office:

    return Office.objects.coordinating_on(clock.today()).first() or Office.objects.get(slug="nord")


@transaction.atomic
def load_demo_users() -> list[User]:
    users = []
    for email, first, last, slug, role, number in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        # A demo user made earlier without a password (e.g. by an older demo) gets one too.
        if created or not user.password or not user.has_usable_password():
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

    from django_scopes import scope

    made = 0
    today = clock.today()
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


# --- Education units -----------------------------------------------------------------------------
# Every office shows approved, pending and rejected registrations. Masfjorden and Vadsø are
# approved, with a general plan and an agreement with their health trust. Applicants without a
# demo login above get one: helsesjef.<kommunenummer>@demo.alis.no.
DEMO_UNITS = [
    # (kommunenummer, status, applicant e-mail or None for a generated health chief)
    ("4634", "approved", "leder.masfjorden@demo.alis.no"),
    ("4640", "approved", None),
    ("4633", "pending", None),
    ("1144", "pending", None),
    ("1133", "rejected", None),
    ("5607", "approved", "leder.vadso@demo.alis.no"),
    ("1865", "approved", None),
    ("5614", "pending", None),
    ("5636", "pending", None),
    ("1853", "rejected", None),
    ("5021", "approved", None),
    ("1573", "pending", None),
    ("5044", "pending", None),
    ("1520", "rejected", None),
    ("4211", "approved", None),
    ("4218", "pending", None),
    ("4020", "pending", None),
    ("3909", "rejected", None),
    ("3435", "approved", None),
    ("3413", "pending", None),
    ("3226", "pending", None),
    ("0301", "rejected", None),
]
DEMO_REJECTION = (
    "Organisasjonsnummeret hører til et kommunalt foretak, ikke kommunen. Send registreringen "
    "på nytt med kommunens eget organisasjonsnummer."
)

# kommunenummer → (health trust, hospital, arenas in the municipality: (type, name, goals)).
DEMO_PLANS = {
    "4634": (
        "Helse Bergen HF",
        "Haukeland universitetssjukehus",
        [
            ("allmennpraksis", "Masfjorden legekontor", ["ALM-001", "ALM-010", "FKM-01"]),
            ("legevakt", "Nordhordland legevakt", ["ALM-020", "ALM-021"]),
            ("sykehjem", "Masfjorden sjukeheim", ["ALM-040", "FKM-12"]),
        ],
    ),
    "5607": (
        "Finnmarkssykehuset HF",
        "Kirkenes sykehus",
        [
            ("allmennpraksis", "Vadsø legesenter", ["ALM-001", "ALM-011", "FKM-02"]),
            ("legevakt", "Vadsø legevakt", ["ALM-020"]),
            ("helsestasjon", "Vadsø helsestasjon", ["ALM-060", "FKM-15"]),
        ],
    ),
}


def demo_orgnr(number: str) -> str:
    """A valid (check digit and all) made-up organisation number for a municipality."""
    from stdnum.no import orgnr

    for suffix in range(1000):
        for check in "0123456789":
            candidate = f"9{int(number):04d}{suffix:03d}{check}"
            if orgnr.is_valid(candidate):
                return candidate
    raise ValueError(number)


def demo_pdf(title: str) -> bytes:
    """A small, well-formed one-page PDF standing in for a signed agreement."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _demo_applicant(number: str, email: str | None, municipality) -> User:
    if email:
        return User.objects.get(email=email)
    email = f"helsesjef.{number}@demo.alis.no"
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": "Helsesjef", "last_name": municipality.name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def load_demo_education_units() -> int:
    """Registrations in every office, plans and agreements for Masfjorden and Vadsø.
    Idempotent: rows that exist are left as they are. Returns the number of registrations."""
    from datetime import date, timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from django_scopes import scope

    now = timezone.now()
    for i, (number, status, email) in enumerate(DEMO_UNITS):
        municipality = Municipality.objects.select_related("office").get(number=number)
        office = municipality.office
        applicant = _demo_applicant(number, email, municipality)
        coordinator = User.objects.get(email=f"koordinator.{office.slug}@demo.alis.no")
        with scope(office=office):
            registration, created = EducationUnitRegistration.objects.get_or_create(
                municipality=municipality,
                applicant=applicant,
                defaults={
                    "office": office,
                    "status": status,
                    "org_number": demo_orgnr(number),
                    "leader_name": applicant.get_full_name(),
                    "leader_title": "Kommuneoverlege",
                    "leader_email": applicant.email,
                    "contact_name": f"Kontakt {municipality.name}",
                    "contact_email": f"postmottak.{number}@demo.alis.no",
                    "contact_phone": f"77 {number[:2]} {number[2:]} 00",
                    "submitted_at": now - timedelta(days=60 - i),
                    "decided_at": None if status == "pending" else now - timedelta(days=30 - i),
                    "decided_by": None if status == "pending" else coordinator,
                    "rejection_reason": DEMO_REJECTION if status == "rejected" else "",
                    "hdir_registered_on": date(2024, 3, 1) if status == "approved" else None,
                    "hdir_reference": f"24/{1000 + i}" if status == "approved" else "",
                },
            )
            if created:
                registration.full_clean()
        if registration.status == "approved":
            Membership.objects.get_or_create(
                user=applicant, office=office, role=Role.MUNICIPAL_LEADER, municipality=municipality
            )
        if number not in DEMO_PLANS:
            continue
        trust, hospital, arenas = DEMO_PLANS[number]
        with scope(office=office):
            agreement = CooperationAgreement.objects.filter(
                municipality=municipality, counterparty_name=trust
            ).first()
            if agreement is None:
                agreement = CooperationAgreement(
                    office=office,
                    municipality=municipality,
                    counterparty_type="helseforetak",
                    counterparty_name=trust,
                    arena_types=["institusjon"],
                    start=date(2024, 1, 1),
                    end=date(2027, 12, 31),
                    document=ContentFile(
                        demo_pdf(f"Samarbeidsavtale {municipality.name} - {trust}"),
                        name="samarbeidsavtale.pdf",
                    ),
                    document_name=f"Samarbeidsavtale {municipality.name} {trust}.pdf",
                    created_by=applicant,
                )
                agreement.full_clean()
                agreement.save()
            if not EducationPlan.objects.filter(municipality=municipality).exists():
                plan = EducationPlan.objects.create(
                    office=office,
                    municipality=municipality,
                    version=1,
                    note="Første versjon",
                    created_by=applicant,
                )
                rows = [(t, name, goals, None) for t, name, goals in arenas]
                rows.append(("institusjon", hospital, ["ALM-055", "ALM-085"], agreement))
                LearningArena.objects.bulk_create(
                    LearningArena(
                        office=office,
                        plan=plan,
                        position=pos,
                        arena_type=t,
                        name=name,
                        goal_codes=goals,
                        agreement=agr,
                    )
                    for pos, (t, name, goals, agr) in enumerate(rows)
                )
    return len(DEMO_UNITS)


# --- The office's profile of its municipalities and the contact log -----------------------------

# Municipalities in the administrative area for Sámi language (a selection).
DEMO_SAMI = ["5610", "5612", "5628", "5636", "5614", "5041", "5025"]
DEMO_TROUBLE = {
    "nord": [
        ("5607", "To ubesatte fastlegehjemler siste år"),
        ("5628", "Ingen søkere på to utlysninger"),
    ],
    "midt": [("1573", "Høy turnover, tre leger på to år")],
    "vest": [
        ("4640", "Vanskelig å rekruttere til legevakt"),
        ("4634", "Liten kommune, lang reisevei"),
    ],
    "sor": [("4218", "Ingen søkere på siste utlysning")],
    "ost": [("3413", "Mangler veileder lokalt")],
}
DEMO_CONTACTS = [
    # (days ago, channel, people, notes, follow-up in days from today or None)
    (
        200,
        "mote",
        "Kommuneoverlege og personalsjef",
        "Gjennomgang av ALIS-avtale og tilskudd.",
        None,
    ),
    (40, "telefon", "Kommuneoverlege", "Spørsmål om veileder for ny ALIS.", -3),
    (10, "video", "Helse- og omsorgssjef", "Planlegger utlysning av ny ALIS-stilling.", 5),
]


@transaction.atomic
def load_demo_contacts() -> int:
    """Flags on some municipalities and a contact log with follow-ups in every office."""
    from datetime import timedelta

    from django_scopes import scope

    today = clock.today()
    made = 0
    for office in Office.objects.all():
        coordinator = User.objects.filter(email=f"koordinator.{office.slug}@demo.alis.no").first()
        if coordinator is None:
            continue
        with scope(office=office):
            if ContactLogEntry.objects.filter(office=office).exists():
                continue
        for number, reason in DEMO_TROUBLE.get(office.slug, []):
            profile_update(
                office=office,
                acting_user=coordinator,
                municipality=Municipality.objects.get(number=number),
                recruitment_trouble=True,
                recruitment_reason=reason,
                sami_area=number in DEMO_SAMI,
            )
        for number in DEMO_SAMI:
            m = Municipality.objects.get(number=number)
            if m.office_id == office.pk and number not in dict(DEMO_TROUBLE.get(office.slug, [])):
                profile_update(
                    office=office, acting_user=coordinator, municipality=m, sami_area=True
                )
        for m in _demo_municipalities(office)[:3]:
            for days_ago, channel, people, notes, follow_up in DEMO_CONTACTS:
                contact_log_add(
                    office=office,
                    acting_user=coordinator,
                    municipality=m,
                    date=today - timedelta(days=days_ago),
                    channel=channel,
                    people=f"{people}, {m.name}",
                    notes=notes,
                    follow_up_on=None if follow_up is None else today + timedelta(days=follow_up),
                )
                made += 1
    return made


# Demo doctors' records (trainees/ may create them too: looked up by user first, then HPR).
DEMO_AGREEMENT_DOCTORS = [
    # e-mail, office slug, kommunenummer, HPR number, signed on (Vadsø: after the start)
    ("alis.masfjorden@demo.alis.no", "vest", "4634", "1234567", (2024, 8, 15)),
    ("alis.vadso@demo.alis.no", "nord", "5607", "7654321", (2024, 9, 16)),
]


@transaction.atomic
def load_demo_agreements() -> None:
    """Office templates (one per office; the national one comes with the migrations), a signed
    agreement with experience for each demo doctor, so the claim pages show numbers."""
    from datetime import date
    from decimal import Decimal

    from django.apps import apps
    from django_scopes import scope, scopes_disabled

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

    for email, slug, number, hpr, signed in DEMO_AGREEMENT_DOCTORS:
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


def _demo_hold_position(office, trainee):
    """A doctor without a position takes a filled one in their municipality that nobody holds,
    so the positions overview shows who holds it (also for a demo loaded before this)."""
    if trainee.position_id is not None:
        return
    position = (
        Position.objects.filter(
            office=office,
            municipality=trainee.municipality,
            status=Status.FILLED,
            holders__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if position is not None:
        services.trainee_update(office=office, acting_user=None, trainee=trainee, position=position)


def _demo_periods(trainee, place):
    """A full-time year, a leave, then part-time general practice beside out-of-hours work."""

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
            place="Haukeland universitetssjukehus",
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
            for trainee, _created in doctors:
                _demo_hold_position(office, trainee)
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


# --- Goal progress: the Masfjorden doctor's goals in every state ------------------------------

DEMO_GOAL_STATES = ["godkjent", "godkjent", "godkjent", "leder", "rad", "returnert", "signering"]


def load_demo_goal_progress() -> None:
    """The Masfjorden demo doctor with goals in every state: approved (with advice), submitted
    and waiting for the leader, submitted and waiting for advice, returned with a reason, and
    activities waiting for the veileder's sign-off. Idempotent: does nothing once loaded.
    No confirmations are issued here (signing needs the dev CA)."""
    from django_scopes import scope

    office = Office.objects.get(slug="vest")
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.alis.no")}
    doctor_user, veileder = users["alis.masfjorden"], users["veileder.masfjorden"]
    supervisor_user, leader = users["supervisor.masfjorden"], users["leder.masfjorden"]
    with scope(office=office):
        doctor = Trainee.objects.filter(office=office, user=doctor_user).first()
        if doctor is None:
            doctor = Trainee.objects.get(office=office, hpr_number="001234567")
            doctor.user = doctor_user
            doctor.save(update_fields=["user"])
        if GoalProgress.objects.filter(office=office, trainee=doctor).exists():
            return
        masfjorden = doctor.municipality
        for user, role, name in (
            (veileder, "veileder", "Vidar Vik"),
            (supervisor_user, "supervisor", "Siri Sande"),
        ):
            assignment = SupervisorAssignment.objects.filter(
                office=office, trainee=doctor, role=role, end__isnull=True
            ).first()
            if assignment is None:
                person = Supervisor.objects.filter(office=office, name=name).first()
                person = person or services.supervisor_save(
                    office=office,
                    acting_user=None,
                    municipalities=[masfjorden],
                    name=name,
                    email=user.email,
                )
                assignment = services.assignment_create(
                    office=office,
                    acting_user=None,
                    trainee=doctor,
                    supervisor=person,
                    role=role,
                    start=date(2024, 8, 1),
                )
            if assignment.supervisor.user_id != user.pk:
                assignment.supervisor.user = user
                assignment.supervisor.save(update_fields=["user"])
        access = OfficeAccess(
            office=office, memberships=list(Membership.objects.filter(user=leader, office=office))
        )
        goals = list(current_goals()[: len(DEMO_GOAL_STATES)])
        for i, (goal, state) in enumerate(zip(goals, DEMO_GOAL_STATES, strict=True)):
            day = date(2024, 9, 1 + i)
            kw = {"office": office, "trainee": doctor, "goals": [goal], "date": day}
            first = svc.activity_record(
                acting_user=doctor_user,
                kind="klinisk",
                description=f"Konsultasjoner knyttet til {goal.code}, med refleksjonsnotat.",
                **kw,
            )
            second = svc.activity_record(
                acting_user=doctor_user,
                kind="veiledning",
                description=f"Tema {goal.code} drøftet i veiledning.",
                **kw,
            )
            if state == "signering":
                continue  # both activities wait for the veileder's sign-off
            svc.activities_sign(office=office, acting_user=veileder, activities=[first, second])
            progress = svc.goal_submit(
                office=office, acting_user=doctor_user, trainee=doctor, goal=goal
            )
            if state == "rad":
                continue
            for user in (veileder, supervisor_user):
                svc.goal_advise(
                    office=office,
                    acting_user=user,
                    progress=progress,
                    recommend=True,
                    text="Legen har vist god kompetanse på dette målet i praksis.",
                )
            if state == "godkjent":
                svc.goal_approve(
                    office=office, acting_user=leader, access=access, progress=progress
                )
            elif state == "returnert":
                svc.goal_return(
                    office=office,
                    acting_user=leader,
                    access=access,
                    progress=progress,
                    reason="Beskriv arbeidet med pasientene nærmere i et refleksjonsnotat.",
                )


@transaction.atomic
def load_demo_plans_and_supervision() -> None:
    """The Masfjorden demo doctor: an individual plan with two versions (v1 approved more than a
    year ago, v2 acknowledged by the doctor and waiting for the leader), supervision sessions
    over the last 18 months with some months missing (so compliance shows "behind"), and
    group meetings with attendance. The Vadsø doctor has no plan on purpose (the "plan
    missing" reminder). Idempotent: nothing is added where the rows already exist."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone
    from django_scopes import scope

    office = Office.objects.filter(slug="vest").first()
    user = User.objects.filter(email="alis.masfjorden@demo.alis.no").first()
    leader = User.objects.filter(email="leder.masfjorden@demo.alis.no").first()
    if office is None or user is None:
        return
    with scope(office=office):
        trainee = Trainee.objects.filter(office=office, email=user.email).first()
        if trainee is None:
            return
        if trainee.user_id is None:
            trainee.user = user
            trainee.save(update_fields=["user"])
        veileder = (
            SupervisorAssignment.objects.filter(office=office, trainee=trainee, role="veileder")
            .order_by("-start")
            .first()
        )
        group = SupervisionGroup.objects.filter(office=office, members=trainee).first()
        goals = {g.code: g for g in LearningGoal.objects.filter(catalogue__valid_to__isnull=True)}
        today = clock.today()

        if not IndividualPlan.objects.filter(office=office, trainee=trainee).exists():
            arenas = [
                dict(
                    arena="allmennpraksis",
                    place="Masfjorden legekontor",
                    start=date(2024, 8, 1),
                    end=date(2027, 7, 31),
                    percentage=100,
                    goals=[goals[c] for c in ("ALM-001", "ALM-002", "FKM-01") if c in goals],
                ),
                dict(
                    arena="institusjon",
                    place="Haukeland universitetssjukehus",
                    start=date(2027, 8, 1),
                    end=date(2028, 1, 31),
                    percentage=100,
                    goals=[goals[c] for c in ("ALM-055", "ALM-085") if c in goals],
                ),
                dict(
                    arena="allmennpraksis",
                    place="Masfjorden legekontor",
                    start=date(2028, 2, 1),
                    end=date(2029, 7, 31),
                    percentage=100,
                ),
            ]
            courses = [
                dict(kind="A", title="Grunnkurs A", hours=Decimal("20"), planned=date(2024, 11, 1)),
                dict(
                    kind="akutt",
                    title="Akuttmedisinkurs",
                    hours=Decimal("40"),
                    planned=date(2025, 3, 1),
                ),
            ]
            common = dict(
                prior_competence="LIS1 ved Haugesund sjukehus og Sveio kommune (2022–2023).",
                veileder=veileder,
                supervisors="Siri Supervisør (Masfjorden legekontor)",
                group=group,
                institution_module=6,
                institution_place="Haukeland universitetssjukehus",
                institution_start=date(2027, 8, 1),
                target_completion=date(2029, 7, 31),
            )
            v1 = plan_version_create(
                office=office,
                acting_user=leader,
                trainee=trainee,
                data=common,
                arenas=arenas,
                courses=courses,
            )
            approved = timezone.now() - timedelta(days=400)
            PlanVersion.objects.filter(pk=v1.pk).update(
                created_at=approved - timedelta(days=14),
                acknowledged_at=approved - timedelta(days=7),
                acknowledged_by=user,
                approved_at=approved,
                approved_by=leader,
            )
            # The yearly revision: the legevakt share and a topic course were added.
            arenas[0] = dict(arenas[0], end=date(2025, 4, 30))
            arenas.insert(
                1,
                dict(
                    arena="allmennpraksis",
                    place="Masfjorden legekontor",
                    start=date(2025, 5, 1),
                    end=date(2027, 7, 31),
                    percentage=60,
                ),
            )
            arenas.insert(
                2,
                dict(
                    arena="legevakt",
                    place="Nordhordland legevakt",
                    start=date(2025, 5, 1),
                    end=date(2027, 7, 31),
                    percentage=40,
                ),
            )
            courses.append(
                dict(
                    kind="emne",
                    title="Barn og unges helse",
                    hours=Decimal("15"),
                    planned=date(2026, 4, 1),
                )
            )
            v2 = plan_version_create(
                office=office,
                acting_user=leader,
                trainee=trainee,
                data={**common, "note": "Årlig revisjon."},
                arenas=arenas,
                courses=courses,
            )
            PlanVersion.objects.filter(pk=v2.pk).update(
                created_at=timezone.now() - timedelta(days=10),
                acknowledged_at=timezone.now() - timedelta(days=3),
                acknowledged_by=user,
            )

        if not SupervisionSession.objects.filter(office=office, trainee=trainee).exists():
            start = add_months(today.replace(day=1), -18)
            for i in range(18):
                if i % 4 == 3 or i in (7, 8):  # months without supervision: behind
                    continue
                month = add_months(start, i)
                for day, hours in ((5, "2"), (19, "1.5")):
                    services.session_create(
                        office=office,
                        acting_user=None,
                        trainee=trainee,
                        day=month.replace(day=day),
                        hours=Decimal(hours),
                        assignment=veileder,
                        topics="Kontinuitet og multimorbiditet" if i % 2 else "Legevakt og triage",
                        minutes="Demo-referat: bare legen og veilederen ser dette.",
                    )

        if (
            group is not None
            and not GroupMeeting.objects.filter(office=office, group=group).exists()
        ):
            members = list(group.members.all())
            for i in range(12):
                day = add_months(today.replace(day=10), -12 + i)
                if day < group.start:
                    continue
                attendees = [m for m in members if not (m.pk == trainee.pk and i == 4)]
                services.group_meeting_create(
                    office=office,
                    acting_user=None,
                    group=group,
                    day=day,
                    hours=Decimal("3"),
                    attendees=attendees,
                )


# --- Grants (grants app) ------------------------------------------------------------------------

# Per office: the scheme and five doctors (kommunenummer, first, last, HPR or the login's e-mail,
# agreement %); the first is the doctor with a login (and the agreement the demo gave them).
# Each doctor's claim for 2025 is in another state; the first also has a claim for 2024 that
# the office has reported to the auditor.
DEMO_GRANT_DOCTORS = {
    "vest": (
        VEST_PILOT,
        [
            ("4634", "Anna", "Aase", "alis.masfjorden@demo.alis.no", 100),
            ("4634", "Trine", "Tangen", "9600001", 100),
            ("4601", "Ulf", "Utne", "9600002", 60),
            ("4601", "Vera", "Vatle", "9600003", 100),
            ("4635", "Otto", "Opheim", "9600004", 100),
        ],
    ),
    "nord": (
        NORD_SCHEME,
        [
            ("5607", "Ahmed", "Ali", "alis.vadso@demo.alis.no", 100),
            ("5607", "Nora", "Nesseby", "9700001", 100),
            ("1804", "Per", "Polar", "9700002", 60),
            ("1804", "Rut", "Rognan", "9700003", 100),
            ("5501", "Sven", "Skjervøy", "9700004", 100),
        ],
    ),
}
# Expense lines on the Vest pilot claims: (category, day, amount, description, fund covers it).
DEMO_EXPENSES = [
    ("kurs", (2025, 3, 12), "14500", "Grunnkurs B, kursavgift", False),
    ("veiledningsgruppe", (2025, 5, 20), "8000", "Veiledningsgruppe, vårsemesteret", False),
    ("vikar", (2025, 10, 6), "42000", "Vikar under kurs, to uker", False),
    ("kurs", (2025, 11, 3), "6000", "Akuttmedisinkurs (dekkes av fondet)", True),
]


def _demo_grant_doctor(office, leader, number, first, last, hpr, percentage):
    """The doctor (by HPR), with service from 1 Sep 2024 and a signed agreement."""
    from datetime import date

    from django_scopes import scopes_disabled

    municipality = Municipality.objects.get(number=number)
    with scopes_disabled():
        if "@" in hpr:
            return Trainee.objects.get(office=office, user__email=hpr)
        trainee = Trainee.objects.filter(office=office, hpr_number=hpr.zfill(9)).first()
    if trainee is None:
        trainee = Trainee.objects.create(
            office=office,
            municipality=municipality,
            first_name=first,
            last_name=last,
            email=_demo_email(first, last),
            hpr_number=hpr.zfill(9),
            specialisation_start=date(2024, 9, 1),
            employment_form=EmploymentForm.SALARIED,
        )
        ServicePeriod.objects.create(
            office=office,
            trainee=trainee,
            served_by=office,
            municipality=trainee.municipality,
            place=f"{trainee.municipality.name} legekontor",
            arena="allmennpraksis",
            percentage=percentage,
            start=date(2024, 9, 1),
        )
    if not Agreement.objects.filter(trainee=trainee, status="signert").exists():
        Agreement.objects.create(
            office=office,
            municipality=trainee.municipality,
            trainee=trainee,
            template_version=AgreementTemplate.objects.get(office=None).versions.first(),
            status="signert",
            position_type="fastlege",
            employment_form=EmploymentForm.SALARIED,
            percentage=percentage,
            start=date(2024, 9, 1),
            end=date(2029, 8, 31),
            signed_on=date(2024, 8, 20),
            municipality_signatory_name=leader.get_full_name() if leader else "Kommuneoverlege",
            municipality_signatory_title="Kommuneoverlege",
            doctor_signatory_name=trainee.full_name,
        )
    return trainee


def load_demo_grants() -> None:
    """One claim in each state (draft, submitted, approved, partly approved, paid, reported)
    for two schemes: the ALIS Vest pilot (expenses with receipts, the municipal share invoiced
    — one invoice paid, one overdue) and ALIS Nord's flat rate. Idempotent."""
    from django_scopes import scope

    for slug, (scheme_name, doctors) in DEMO_GRANT_DOCTORS.items():
        office = Office.objects.get(slug=slug)
        with scope(office=office):
            if not GrantClaim.objects.filter(office=office).exists():
                _demo_grants_for_office(office, GrantScheme.objects.get(name=scheme_name), doctors)


def _demo_grants_for_office(office, scheme, doctors) -> None:
    from datetime import date, timedelta
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    today = clock.today()
    coordinator = User.objects.get(email=f"koordinator.{office.slug}@demo.alis.no")
    leader = Membership.objects.filter(
        office=office, role=Role.MUNICIPAL_LEADER, is_active=True
    ).first()
    leader = leader.user if leader else coordinator
    if scheme.municipal_share:
        grant_services.invoice_profile_save(
            office=office,
            acting_user=coordinator,
            invoice_name=f"{office.name} (vertskommune)",
            org_number=demo_orgnr(office.seat.number if office.seat else "4601"),
            address=f"{office.name}, postboks 1",
            account_number="1234.56.78903",
            payment_days=30,
        )
    trainees = [_demo_grant_doctor(office, leader, *d) for d in doctors]

    def claim_for(trainee, year):
        claim = grant_services.claim_create(
            office=office, acting_user=leader, trainee=trainee, scheme=scheme, year=year
        )
        if scheme.kind == "utgifter":
            for category, day, amount, text, fund in DEMO_EXPENSES:
                day = date(*day).replace(year=year)
                if not claim.year_start <= day <= claim.year_end:
                    continue
                grant_services.expense_add(
                    office=office,
                    acting_user=leader,
                    claim=claim,
                    category=category,
                    day=day,
                    amount=Decimal(amount),
                    description=text,
                    covered_by_fund=fund,
                    receipt=SimpleUploadedFile("kvittering.pdf", demo_pdf(f"Kvittering: {text}")),
                )
        return claim

    def submit(claim):
        return grant_services.claim_submit(office=office, acting_user=leader, claim=claim)

    def decide(claim, amount=None, reason=""):
        return grant_services.claim_decide(
            office=office,
            acting_user=coordinator,
            claim=claim,
            approved_amount=claim.claimed_amount if amount is None else amount,
            reason=reason,
        )

    def pay(claim, day):
        return grant_services.claim_mark_paid(
            office=office, acting_user=coordinator, claim=claim, paid_on=day
        )

    # Reported: the first doctor's 2024 (September–December) claim, paid and reported.
    reported = decide(submit(claim_for(trainees[0], 2024)))
    pay(reported, date(2025, 2, 14))
    grant_services.settlement_report(
        office=office, acting_user=coordinator, scheme=scheme, year=2024
    )
    # 2025: paid, partly approved, approved, submitted, draft.
    paid = decide(submit(claim_for(trainees[0], 2025)))
    pay(paid, date(2026, 2, 16))
    partly = submit(claim_for(trainees[2], 2025))
    decide(
        partly,
        (partly.claimed_amount * Decimal("0.8")).quantize(Decimal("1")),
        "Vikarutgiftene er bare delvis dokumentert.",
    )
    approved = decide(submit(claim_for(trainees[3], 2025)))
    submit(claim_for(trainees[4], 2025))
    claim_for(trainees[1], 2025)  # draft

    if scheme.municipal_share:
        first = grant_services.invoice_create(office=office, acting_user=coordinator, claim=paid)
        grant_services.invoice_record_payment(
            office=office,
            acting_user=coordinator,
            invoice=first,
            paid_on=today,
            paid_amount=first.amount,
        )
        overdue = grant_services.invoice_create(
            office=office, acting_user=coordinator, claim=approved
        )
        ShareInvoice.objects.filter(pk=overdue.pk).update(
            issued_on=today - timedelta(days=45), due_on=today - timedelta(days=15)
        )


# --- The hospital period: two trusts in Vest with agreements, places and a doctor in each state --

# (kommunenummer, first, last, hpr, months before the coming half-year the doctor started, state)
DEMO_HOSPITAL_DOCTORS = [
    ("4601", "Henrik", "Haugland", "9310001", 30, "sendt"),
    ("4634", "Ingrid", "Isdal", "9310002", 30, "bekreftet"),
    ("1106", "Jon", "Juvik", "9310003", 30, "foreslatt"),
    ("4617", "Kari", "Kvinnherad", "9310004", 42, "gjennomfort"),
    ("4631", "Lars", "Lindås", "9310005", 48, "avslatt"),
]
DEMO_TRUSTS = [
    ("BERGEN", "Haukeland universitetssjukehus", ["Akuttmottaket", "Psykiatrisk klinikk"]),
    (
        "FONNA",
        "Haugesund sjukehus",
        ["Medisinsk avdeling (geriatri)", "Barne- og ungdomsklinikken"],
    ),
]
DEMO_GOALS = {
    "Akuttmottaket": ["ALM-055"],
    "Psykiatrisk klinikk": ["ALM-085"],
    "Medisinsk avdeling (geriatri)": ["ALM-055"],
    "Barne- og ungdomsklinikken": ["ALM-085"],
}


def _coming_half_year(today: date) -> date:
    return date(today.year, 7, 1) if today.month <= 6 else date(today.year + 1, 1, 1)


def _hospital_reference(office, coordinator, start: date) -> dict:
    """Hospitals, departments, an agreement per trust (two years from `start`, 4- and 6-month
    modules each half-year) and their places; returns departments by name."""
    from django_scopes import scope

    departments = {}
    for code, hospital_name, names in DEMO_TRUSTS:
        trust = HealthTrust.objects.get(code=code)
        hospital = hospital_services.hospital_create(
            office=office, acting_user=coordinator, trust=trust, name=hospital_name
        )
        for name in names:
            departments[name] = hospital_services.department_create(
                office=office,
                acting_user=coordinator,
                hospital=hospital,
                name=name,
                goal_codes=DEMO_GOALS[name],
            )
        agreement = hospital_services.agreement_create(
            office=office,
            acting_user=coordinator,
            trust=trust,
            document=ContentFile(demo_pdf(f"Avtale {trust.name}"), name="avtale.pdf"),
            title=f"Utdanningsplasser for allmennleger, {trust.name}",
            start=add_months(start, -6),
            end=add_months(start, 24) - timedelta(days=1),
            places_four=1,
            places_six=1,
            contacts=f"Kontakt for utdanningsplasser, {trust.name} (demo)",
        )
        hospital_services.places_generate(
            office=office,
            acting_user=coordinator,
            agreement=agreement,
            department=departments[names[0]],
        )
        with scope(office=office):
            TrustContact.objects.get_or_create(
                office=office,
                trust=trust,
                email=f"kontakt.{code.lower().replace('bergen', 'helsebergen')}@demo.alis.no",
                defaults={"name": f"Kontaktperson {trust.name}"},
            )
    return departments


@transaction.atomic
def load_demo_hospital() -> None:
    """Vest: Helse Bergen and Helse Fonna with hospitals, departments, agreements and module
    places, and a doctor in each state of the booking flow (requested and waiting, confirmed
    into the plan, another module proposed, served as a service period, declined and still
    without a place). Dates follow today's clock. Idempotent: does nothing once loaded."""
    from django_scopes import scope

    office = Office.objects.get(slug="vest")
    with scope(office=office):
        if Hospital.objects.filter(office=office).exists():
            return
    coordinator = User.objects.get(email="koordinator.vest@demo.alis.no")
    leader = User.objects.get(email="leder.masfjorden@demo.alis.no")
    contact = User.objects.get(email="kontakt.helsebergen@demo.alis.no")
    start = _coming_half_year(clock.today())
    _hospital_reference(office, coordinator, start)
    with scope(office=office):
        places = {
            (p.department.name, p.start, p.months): p
            for p in Place.objects.filter(office=office).select_related("department")
        }
    for number, first, last, hpr, months_before, state in DEMO_HOSPITAL_DOCTORS:
        begun = add_months(start, -months_before)
        trainee, _created = _demo_trainee(office, number, first, last, hpr)
        with scope(office=office):
            Trainee.objects.filter(pk=trainee.pk).update(specialisation_start=begun)
            trainee.refresh_from_db()
        services.period_create(
            office=office,
            acting_user=None,
            trainee=trainee,
            place=f"{trainee.municipality.name} legekontor",
            arena="allmennpraksis",
            percentage=100,
            start=begun,
        )
        fonna = number in ("1106", "4617")
        department = "Akuttmottaket" if not fonna else "Medisinsk avdeling (geriatri)"
        if state == "gjennomfort":
            _served_booking(
                office, coordinator, trainee, places[(department, add_months(start, -6), 6)]
            )
            continue
        place = places[(department, start, 4 if state == "avslatt" else 6)]
        booking = hospital_services.booking_request(
            office=office,
            acting_user=leader if number == "4634" else coordinator,
            trainee=trainee,
            place=place,
            wishes="Ønsker akuttmedisin (demo)",
        )
        if state == "bekreftet":
            hospital_services.booking_confirm(
                office=office, acting_user=contact, booking=booking, answer="Velkommen!"
            )
        elif state == "foreslatt":
            other = places[(department, add_months(start, 6), 4)]
            hospital_services.booking_propose(
                office=office,
                acting_user=coordinator,
                booking=booking,
                place=other,
                answer="Januar er fullt; juli passer.",
            )
        elif state == "avslatt":
            hospital_services.booking_decline(
                office=office,
                acting_user=contact,
                booking=booking,
                answer="Ingen veileder ledig i perioden.",
            )
        elif state == "sendt":
            # Waiting with the trust for three weeks: the 14-day reminder goes out.
            with scope(office=office):
                Booking.objects.filter(pk=booking.pk).update(
                    requested_at=timezone.now() - timedelta(days=21)
                )


def _served_booking(office, coordinator, trainee, place) -> None:
    """A module that began (up to) half a year ago, booked then, now registered as service."""
    from django_scopes import scope

    with scope(office=office):
        booking = Booking.objects.create(
            office=office,
            trainee=trainee,
            place=place,
            status=BookingStatus.CONFIRMED,
            requested_by=coordinator,
            requested_at=timezone.now() - timedelta(days=270),
        )
        booking.plan_version = hospital_services.plan_from_booking(
            office=office, acting_user=coordinator, booking=booking
        )
        booking.save(update_fields=["plan_version"])
    hospital_services.booking_serve(office=office, acting_user=coordinator, booking=booking)


# --- The Vest demo doctor's signed record: certificates, a confirmation, the package -----------


def load_demo_record() -> str:
    """The Masfjorden demo doctor gets a service certificate for every employment, a
    confirmation of the approved goals, and a finished application package — signed with the
    development CA (`manage.py create_dev_ca`). Without a CA nothing is signed and the demo says
    so. Idempotent: what exists is kept. Returns a line for the command's output."""
    from django_scopes import scope

    office = Office.objects.filter(slug="vest").first()
    doctor_user = User.objects.filter(email="alis.masfjorden@demo.alis.no").first()
    leader = User.objects.filter(email="leder.masfjorden@demo.alis.no").first()
    if office is None or doctor_user is None or leader is None:
        return "Utdanningsmappe: demobrukerne mangler"
    if not configured_pki().ca_cert.is_file():
        return "Utdanningsmappe: ingen sertifikatutsteder (kjør manage.py create_dev_ca)"
    with scope(office=office):
        doctor = Trainee.objects.filter(office=office, user=doctor_user).first()
        if doctor is None:
            return "Utdanningsmappe: demolegen mangler"
        if ApplicationPackage.objects.filter(
            office=office, trainee=doctor, status=PackageStatus.DONE
        ).exists():
            return "Utdanningsmappe: søknadspakken finnes"
        municipality = doctor.municipality
        signer = f"{leader.get_full_name()}, kommunal leder, {municipality.name} kommune"
        orgnr = organisation_number_for(municipality)
        periods = list(periods_for_trainee(doctor))
        try:
            for period, certificate in certificates_by_period(office, doctor, periods):
                if certificate is None:
                    confirmation_services.service_certificate_request(
                        office=office,
                        acting_user=leader,
                        period=period,
                        leaves=[p for p in periods if p.is_leave],
                        signer_name=signer,
                        organisation_number=orgnr,
                    )
            goals = achieved_goals_for(office, doctor)
            if (
                goals
                and not Confirmation.objects.filter(
                    office=office, trainee=doctor, kind=DocumentKind.GOALS
                ).exists()
            ):
                confirmation_services.confirmation_request(
                    office=office,
                    acting_user=leader,
                    trainee=doctor,
                    goals=goals,
                    signer_name=signer,
                    organisation_number=orgnr,
                )
            package = package_request(office=office, acting_user=doctor_user, trainee=doctor)
        except ImproperlyConfigured as error:
            return f"Utdanningsmappe: signering er ikke satt opp ({error})"
        package.refresh_from_db()
    return f"Utdanningsmappe for {doctor.full_name}: søknadspakke {package.get_status_display()}"


def load_demo_status_survey() -> None:
    """A positions status survey in ALIS Vest sent ten days ago: Masfjorden's leader has
    answered (confirmed as it was), the others have not, so the morning sweep reminds their
    leaders; the municipalities without a leader are listed on the page with letters (PDF).
    An office that already has a round is left as it is."""
    from django_scopes import scope

    office = Office.objects.get(slug="vest")
    with scope(office=office):
        if StatusSurvey.objects.filter(office=office).exists():
            return
    coordinator = User.objects.get(email="koordinator.vest@demo.alis.no")
    sent = status_survey_send(
        office=office, acting_user=coordinator, period=f"{clock.today():%Y-%m}"
    )
    with scope(office=office):
        StatusSurvey.objects.filter(pk=sent.survey.pk).update(
            created_at=timezone.now() - timedelta(days=10)
        )
        answer = SurveyAnswer.objects.filter(
            survey=sent.survey, municipality__number="4634"
        ).first()
    if answer is None:
        return
    leader = User.objects.get(email="leder.masfjorden@demo.alis.no")
    items = [
        {"position": p, "status": p.status, **{f: getattr(p, f) for f in ANSWER_FIELDS}}
        for p in survey_positions(office, answer.municipality)
    ]
    survey_answer_submit(
        office=office,
        acting_user=leader,
        answer=answer,
        positions=items,
        note="Alt stemmer. Vi lyser ut den ledige stillingen på nytt i januar.",
    )
