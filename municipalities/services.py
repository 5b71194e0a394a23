"""Writes to the municipality register (importing an updated list, moving between offices) and
to the municipalities' education units: registration, general education plan, cooperation
agreements."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, User
from offices import clock
from offices.dates import short_date
from offices.models import Office
from offices.owned import ensure_same_office, office_owned_models, rows_move, rows_of_municipality
from offices.permissions import Role
from offices.reference import office_slug_for_county

from .models import (
    ContactLogEntry,
    CooperationAgreement,
    EducationPlan,
    EducationUnitRegistration,
    LearningArena,
    Municipality,
    MunicipalityProfile,
    OfficeAssignment,
    RegistrationStatus,
)

NUMBER_RE = re.compile(r"^\d{4}$")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0


def _validate_rows(
    rows: list[dict[str, str]], offices_by_slug: dict[str, Office], default_office: Office | None
) -> list[str]:
    errors, seen = [], set()
    existing = set(Municipality.objects.values_list("number", flat=True))
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        number, name, county = row.get("number", ""), row.get("name", ""), row.get("county", "")
        if not NUMBER_RE.match(number):
            errors.append(f"Linje {line}: kommunenummer «{number}» må være fire sifre.")
            continue
        if number in seen:
            errors.append(f"Linje {line}: kommunenummer {number} står flere ganger i filen.")
        seen.add(number)
        if not name:
            errors.append(f"Linje {line}: kommunenavn mangler for {number}.")
        if not county:
            errors.append(f"Linje {line}: fylke mangler for {number}.")
        slug = office_slug_for_county(number)
        if number not in existing and default_office is None and slug not in offices_by_slug:
            errors.append(
                f"Linje {line}: finner ikke ALIS-kontor for fylkesnummer {number[:2]}; "
                "oppgi kontor med --kontor."
            )
    return errors


@transaction.atomic
def municipalities_import(
    *,
    rows: list[dict[str, str]],
    default_office: Office | None = None,
    deactivate_missing: bool = True,
    dry_run: bool = False,
) -> ImportReport:
    """Bring the register in line with an updated list. All rows are checked first; any error
    raises ValidationError and nothing is changed. Municipalities missing from the list are
    kept (with their history) but marked inactive."""
    offices_by_slug = {o.slug: o for o in Office.objects.all()}
    errors = _validate_rows(rows, offices_by_slug, default_office)
    if errors:
        raise ValidationError(errors)
    report = ImportReport()
    current = {m.number: m for m in Municipality.objects.all()}
    today = clock.today()
    for row in rows:
        number = row["number"]
        m = current.get(number)
        if m is None:
            office = default_office or offices_by_slug[office_slug_for_county(number)]
            m = Municipality.objects.create(
                number=number, name=row["name"], county=row["county"], office=office
            )
            OfficeAssignment.objects.create(
                municipality=m, office=office, start=today, note="Ny i kommunelisten"
            )
            report.created.append(number)
        elif (m.name, m.county, m.is_active) != (row["name"], row["county"], True):
            m.name, m.county, m.is_active = row["name"], row["county"], True
            m.save()
            report.changed.append(number)
        else:
            report.unchanged += 1
    if deactivate_missing:
        listed = {r["number"] for r in rows}
        for number, m in current.items():
            if number not in listed and m.is_active:
                m.is_active = False
                m.save()
                report.deactivated.append(number)
    if dry_run:
        transaction.set_rollback(True)
    return report


@transaction.atomic
def municipalities_move(
    *, numbers: list[str], to_office: Office, on: date | None = None, note: str = ""
) -> list[Municipality]:
    """Move municipalities to another office from `on` (default today), keeping the history:
    the old assignment is closed the day before, a new one opened, and the memberships and
    open invitations bound to those municipalities follow them to the new office."""
    on = on or clock.today()
    found = {
        m.number: m for m in Municipality.objects.select_for_update().filter(number__in=numbers)
    }
    missing = sorted(set(numbers) - set(found))
    if missing:
        raise ValidationError(f"Ukjente kommunenummer: {', '.join(missing)}. Ingenting er flyttet.")
    moved = []
    for number in numbers:
        m = found[number]
        if m.office_id == to_office.pk:
            continue
        open_assignment = m.office_assignments.filter(end__isnull=True).first()
        if open_assignment:
            if open_assignment.start >= on:
                raise ValidationError(f"{m}: flyttedato må være etter {open_assignment.start}.")
            open_assignment.end = on - timedelta(days=1)
            open_assignment.save(update_fields=["end"])
        OfficeAssignment.objects.create(municipality=m, office=to_office, start=on, note=note)
        old_office = m.office
        m.office = to_office
        m.save(update_fields=["office"])
        for membership in Membership.objects.filter(municipality=m):
            membership.office = to_office
            membership.save(update_fields=["office"])
        # A move is cross-office by nature: it re-homes rows from the old office's scope.
        with scopes_disabled():
            for model in office_owned_models():
                rows = rows_of_municipality(model, m).filter(office=old_office)
                if model.trainee_path is None and model.municipality_path:
                    # A row serving several municipalities stays while one of them stays.
                    rows = rows.exclude(**{f"{model.municipality_path}__office": old_office})
                rows_move(rows, to_office=to_office, reason=note or f"Fulgte {m} til {to_office}")
        moved.append(m)
    return moved


# --- Education units ---------------------------------------------------------------------------


def _approved_problem(registration: EducationUnitRegistration | None) -> str | None:
    if registration is None:
        return None
    return _(
        "%(municipality)s kommune er allerede godkjent som utdanningsvirksomhet "
        "(%(date)s). Det kan bare være én godkjent registrering per kommune. Ta kontakt "
        "med kommunens leder eller %(office)s hvis opplysningene skal endres."
    ) % {
        "municipality": registration.municipality.name,
        "date": short_date(registration.decided_at),
        "office": registration.office.name,
    }


def _approved_for(municipality: Municipality) -> EducationUnitRegistration | None:
    return (
        EducationUnitRegistration.objects.filter(
            municipality=municipality, status=RegistrationStatus.APPROVED
        )
        .select_related("municipality", "office")
        .first()
    )


@transaction.atomic
def unit_registration_submit(
    *,
    acting_user: User,
    municipality: Municipality,
    org_number: str,
    leader_name: str,
    leader_title: str,
    leader_email: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    hdir_registered_on=None,
    hdir_reference: str = "",
) -> EducationUnitRegistration:
    """A health chief applies for their municipality to become an education unit.

    Called outside any office (the applicant is usually not a member yet): the registration
    belongs to the municipality's office, and everything runs in that office's scope.
    Refused while the municipality has an approved unit, or the same person already has one
    pending for it."""
    from .tasks import send_registration_emails

    # Serialise submissions and decisions for one municipality.
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    office = municipality.office
    with scope(office=office):
        problem = _approved_problem(_approved_for(municipality))
        if problem:
            raise ValidationError(problem)
        if (
            Membership.objects.filter(
                office=office,
                municipality=municipality,
                role=Role.MUNICIPAL_LEADER,
                is_active=True,
            )
            .exclude(user=acting_user)
            .exists()
        ):
            # Someone already leads the municipality here: a registration by another account
            # would hand its data to a stranger. Say no more than that.
            raise ValidationError(
                _(
                    "%(municipality)s har allerede en aktiv kommunal leder i ALIS. Ta kontakt "
                    "med %(office)s hvis du skal overta, så gir de deg tilgang."
                )
                % {"municipality": municipality.name, "office": office.name}
            )
        if EducationUnitRegistration.objects.filter(
            municipality=municipality, applicant=acting_user, status=RegistrationStatus.PENDING
        ).exists():
            raise ValidationError(
                _(
                    "Du har allerede sendt en registrering for %(municipality)s som venter på "
                    "behandling hos %(office)s. Du får e-post når den er behandlet."
                )
                % {"municipality": municipality.name, "office": office.name}
            )
        registration = EducationUnitRegistration(
            office=office,
            municipality=municipality,
            applicant=acting_user,
            org_number=org_number,
            leader_name=leader_name,
            leader_title=leader_title,
            leader_email=leader_email,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            hdir_registered_on=hdir_registered_on,
            hdir_reference=hdir_reference,
        )
        registration.full_clean()
        registration.save()
    send_registration_emails.delay_on_commit(office.pk, registration.pk, "submitted")
    return registration


def other_active_leaders(registration: EducationUnitRegistration) -> list[Membership]:
    """Active municipal leaders of the registration's municipality other than the applicant:
    a conflict the coordinator must settle before approving."""
    return list(
        Membership.objects.filter(
            office=registration.office,
            municipality=registration.municipality,
            role=Role.MUNICIPAL_LEADER,
            is_active=True,
        )
        .exclude(user_id=registration.applicant_id)
        .select_related("user")
    )


def _lock_pending(office: Office, registration: EducationUnitRegistration):
    Municipality.objects.select_for_update().get(pk=registration.municipality_id)
    with scope(office=office):
        registration = (
            EducationUnitRegistration.objects.select_for_update()
            .select_related("municipality")
            .get(pk=registration.pk, office=office)
        )
    if not registration.is_pending:
        raise ValidationError(
            _("Registreringen er allerede behandlet (%(status)s).")
            % {"status": registration.get_status_display().lower()}
        )
    return registration


@transaction.atomic
def unit_registration_approve(
    *, office: Office, acting_user: User, registration: EducationUnitRegistration
) -> EducationUnitRegistration:
    """Approve: the municipality becomes an education unit and the applicant its municipal
    leader in this office. Refused if another registration was approved in the meantime."""
    from .tasks import send_registration_emails

    registration = _lock_pending(office, registration)
    with scope(office=office):
        problem = _approved_problem(_approved_for(registration.municipality))
        if problem:
            raise ValidationError(problem)
        leaders = other_active_leaders(registration)
        if leaders:
            # A leader was given access after the registration was sent: approving would hand
            # the municipality to a second person unasked. The coordinator settles it first.
            raise ValidationError(
                _(
                    "%(m)s har fått en aktiv kommunal leder (%(who)s) etter at registreringen "
                    "ble sendt. Avklar med kommunen hvem som skal være leder: avslå "
                    "registreringen, eller fjern den andre lederens tilgang først."
                )
                % {
                    "m": registration.municipality.name,
                    "who": ", ".join(str(m.user) for m in leaders),
                }
            )
        registration.status = RegistrationStatus.APPROVED
        registration.decided_at = timezone.now()
        registration.decided_by = acting_user
        registration.full_clean()
        registration.save()
    membership, _created = Membership.objects.get_or_create(
        user_id=registration.applicant_id,
        office=office,
        role=Role.MUNICIPAL_LEADER,
        municipality=registration.municipality,
    )
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    send_registration_emails.delay_on_commit(office.pk, registration.pk, "approved")
    return registration


@transaction.atomic
def unit_registration_reject(
    *, office: Office, acting_user: User, registration: EducationUnitRegistration, reason: str
) -> EducationUnitRegistration:
    """Reject with a reason the applicant will read in the e-mail."""
    from .tasks import send_registration_emails

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Skriv en begrunnelse. Den sendes til kommunen sammen med avslaget.")}
        )
    registration = _lock_pending(office, registration)
    with scope(office=office):
        registration.status = RegistrationStatus.REJECTED
        registration.rejection_reason = reason
        registration.decided_at = timezone.now()
        registration.decided_by = acting_user
        registration.full_clean()
        registration.save()
    send_registration_emails.delay_on_commit(office.pk, registration.pk, "rejected")
    return registration


def _check_in_office(office: Office, municipality: Municipality) -> None:
    ensure_same_office(office, municipality, message=_("Kommunen hører ikke til dette kontoret."))


@transaction.atomic
def education_plan_create_version(
    *,
    office: Office,
    acting_user: User,
    municipality: Municipality,
    arenas: list[dict],
    note: str = "",
) -> EducationPlan:
    """Write a new version of the general education plan with these arenas (dicts with
    arena_type, name, description, agreement, goal_codes). Earlier versions stay as they were."""
    _check_in_office(office, municipality)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    with scope(office=office):
        latest = EducationPlan.objects.filter(municipality=municipality).order_by("-version")
        number = (latest.values_list("version", flat=True).first() or 0) + 1
        plan = EducationPlan(
            office=office,
            municipality=municipality,
            version=number,
            note=note,
            created_by=acting_user,
        )
        plan.full_clean()
        plan.save()
        for position, data in enumerate(arenas):
            agreement = data.get("agreement")
            if agreement is not None and agreement.municipality_id != municipality.pk:
                raise ValidationError(_("Samarbeidsavtalen hører til en annen kommune."))
            arena = LearningArena(
                office=office,
                plan=plan,
                position=position,
                arena_type=data["arena_type"],
                name=data["name"],
                description=data.get("description", ""),
                agreement=agreement,
                goal_codes=list(data.get("goal_codes") or []),
            )
            arena.full_clean()
            arena.save()
    return plan


@transaction.atomic
def cooperation_agreement_create(
    *,
    office: Office,
    acting_user: User,
    municipality: Municipality,
    counterparty_type: str,
    arena_types: list[str],
    start,
    document,
    end=None,
    counterparty_name: str = "",
    counterparty_municipality: Municipality | None = None,
) -> CooperationAgreement:
    _check_in_office(office, municipality)
    if counterparty_type != "kommune":
        counterparty_municipality = None
    elif counterparty_municipality is not None:
        counterparty_name = ""
    agreement = CooperationAgreement(
        office=office,
        municipality=municipality,
        counterparty_type=counterparty_type,
        counterparty_name=counterparty_name.strip(),
        counterparty_municipality=counterparty_municipality,
        arena_types=list(arena_types),
        start=start,
        end=end,
        document=document,
        document_name=(getattr(document, "name", "") or "avtale.pdf")[-200:],
        created_by=acting_user,
    )
    with scope(office=office):
        agreement.full_clean()
        agreement.save()
    return agreement


PROFILE_FIELDS = ("recruitment_trouble", "recruitment_reason", "sami_area", "cooperation", "note")


@transaction.atomic
def profile_update(*, office, acting_user, municipality, **fields) -> MunicipalityProfile:
    """Set the office's flags on a municipality (creates the profile the first time)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Ukjente felt: {unknown}")
    with scope(office=office):
        profile = MunicipalityProfile.objects.filter(
            office=office, municipality=municipality
        ).first() or MunicipalityProfile(office=office, municipality=municipality)
        for name, value in fields.items():
            setattr(profile, name, value)
        if not profile.recruitment_trouble:
            profile.recruitment_reason = ""
        profile.updated_by = acting_user
        profile.full_clean()
        profile.save()
    return profile


@transaction.atomic
def contact_log_add(
    *, office, acting_user, municipality, date, channel, people, notes, follow_up_on=None
) -> ContactLogEntry:
    ensure_same_office(office, municipality, message=_("Kommunen hører ikke til dette kontoret."))
    with scope(office=office):
        entry = ContactLogEntry(
            office=office,
            municipality=municipality,
            date=date,
            channel=channel,
            people=people,
            notes=notes,
            follow_up_on=follow_up_on,
            created_by=acting_user,
        )
        entry.full_clean()
        entry.save()
    return entry


@transaction.atomic
def contact_follow_up_done(*, office, acting_user, entry) -> None:
    with scope(office=office):
        entry.follow_up_done = True
        entry.save(update_fields=["follow_up_done"])
