"""What waits for each role: counts for the home inbox.

Every function runs a fixed number of queries, whatever the number of rows (the tests pin
them): counts are single `COUNT` queries or subquery annotations, never loops over rows."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from accounts.models import Invitation
from agreements.models import Agreement, AgreementStatus
from confirmations.models import Confirmation
from confirmations.models import Status as ConfirmationStatus
from events.selectors import attendance_missing_count
from goals.models import GoalProgress, GoalStatus
from goals.selectors import activities_awaiting, goals_awaiting
from grants.selectors import claims_to_decide, claims_unsent, overdue_invoices
from hospital.models import Booking, BookingStatus
from hospital.selectors import waiting_bookings
from intake import selectors as intake_selectors
from municipalities.models import (
    EducationPlan,
    EducationUnitRegistration,
    Municipality,
    RegistrationStatus,
)
from municipalities.selectors import follow_ups_due
from offices import clock
from offices.permissions import Role
from plans.models import PlanVersion
from positions.models import Position
from records.selectors import correction_queue
from trainees import selectors as trainee_selectors
from trainees.models import (
    SupervisorAssignment,
    SupervisorRole,
    Trainee,
)
from trainees.selectors import IN_TRAINING, not_ended, transfers_incoming_pending_count

# Agreements whose end falls within this many days are "ending".
AGREEMENT_ENDING_DAYS = 90


def _in_training(office, municipality_ids: set[int] | None) -> QuerySet[Trainee]:
    qs = Trainee.objects.filter(office=office, status__in=IN_TRAINING)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs


def without_veileder_count(office, municipality_ids: set[int] | None, today: date) -> int:
    """Doctors in training with no current veileder (the rule: trainees.selectors)."""
    qs = trainee_selectors.without_veileder(office, today)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs.count()


def without_recent_session_count(office, municipality_ids: set[int] | None, today: date) -> int:
    """Doctors in training with no session logged in NO_SESSION_DAYS (trainees.selectors)."""
    qs = trainee_selectors.without_recent_session(office, today)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs.count()


def coordinator_counts(office, today: date) -> dict[str, int]:
    """The office's queues, one query each (9 queries)."""
    return {
        "registrations": EducationUnitRegistration.objects.filter(
            office=office, status=RegistrationStatus.PENDING
        ).count(),
        "follow_ups": follow_ups_due(office, until=today).count(),
        "transfers": transfers_incoming_pending_count(office),
        "corrections": correction_queue(office, None).count(),
        "claims": claims_to_decide(office).count(),
        "invoices": overdue_invoices(office, today).count(),
        "bookings": waiting_bookings(office).count(),
        "without_veileder": without_veileder_count(office, None, today),
        "behind": without_recent_session_count(office, None, today),
        "attendance_missing": attendance_missing_count(office, clock.now()),
    }


def coordinator_intake(office, user, today: date) -> dict[str, intake_selectors.Waiting]:
    """Recruitment rounds (intake/): applications the user has still to score, and open rounds
    whose deadline is near or passed (2 queries)."""
    return {
        "intake_assess": intake_selectors.applications_to_assess(office, user),
        "intake_deadlines": intake_selectors.rounds_closing_soon(office, today),
    }


def _confirmation_due(office, municipality_ids: set[int]) -> QuerySet[Trainee]:
    """Doctors with a goal approved after their latest confirmation (or with approved goals and
    no confirmation at all)."""
    latest_confirmation = (
        Confirmation.objects.filter(
            office=office,
            trainee_id=OuterRef("pk"),
            status__in=(ConfirmationStatus.PENDING, ConfirmationStatus.ISSUED),
        )
        .order_by("-requested_at")
        .values("requested_at")[:1]
    )
    latest_approval = (
        GoalProgress.objects.filter(
            office=office, trainee_id=OuterRef("pk"), status=GoalStatus.APPROVED
        )
        .order_by(F("decided_at").desc(nulls_last=True))
        .values("decided_at")[:1]
    )
    return (
        _in_training(office, municipality_ids)
        .annotate(confirmed=Subquery(latest_confirmation), approved=Subquery(latest_approval))
        .filter(approved__isnull=False)
        .filter(Q(confirmed__isnull=True) | Q(approved__gt=F("confirmed")))
    )


def leader_counts(office, municipality_ids: set[int], today: date) -> dict[str, int]:
    """The queues of the leader's municipalities, one query each (8 queries)."""
    in_municipalities = {"trainee__municipality_id__in": municipality_ids}
    return {
        "goals": GoalProgress.objects.filter(
            office=office, status=GoalStatus.SUBMITTED, **in_municipalities
        ).count(),
        "plans": PlanVersion.objects.filter(
            office=office,
            plan__trainee__municipality_id__in=municipality_ids,
            acknowledged_at__isnull=False,
            approved_at__isnull=True,
        ).count(),
        "corrections": correction_queue(office, municipality_ids).count(),
        "confirmations": _confirmation_due(office, municipality_ids).count(),
        "proposals": Booking.objects.filter(
            office=office, status=BookingStatus.PROPOSED, **in_municipalities
        ).count(),
        "agreements": Agreement.objects.filter(
            office=office,
            municipality_id__in=municipality_ids,
            status=AgreementStatus.SIGNED,
            end__gte=today,
            end__lte=today + timedelta(days=AGREEMENT_ENDING_DAYS),
        ).count(),
        "claims": claims_unsent(office, municipality_ids).count(),
        "without_veileder": without_veileder_count(office, municipality_ids, today),
    }


def leader_intake(
    office, municipality_ids: set[int], today: date
) -> dict[str, intake_selectors.Waiting]:
    """Recruitment rounds (intake/) for the leader's municipalities: invitations not answered
    with a submitted application, and offers not answered (2 queries)."""
    return {
        "intake_invitations": intake_selectors.open_invitations(office, municipality_ids, today),
        "intake_offers": intake_selectors.open_offers(office, municipality_ids),
    }


@dataclass(frozen=True)
class StartChecklist:
    """A new leader's first steps, in order, for one municipality."""

    municipality: Municipality
    has_plan: bool
    has_position: bool
    has_doctor: bool
    has_invitation: bool

    @property
    def done(self) -> bool:
        return self.has_plan and self.has_position and self.has_doctor and self.has_invitation


def start_checklists(office, municipality_ids: set[int]) -> list[StartChecklist]:
    """One checklist per municipality (one query)."""
    rows = (
        Municipality.objects.filter(pk__in=municipality_ids)
        .annotate(
            has_plan=Exists(
                EducationPlan.objects.filter(office=office, municipality_id=OuterRef("pk"))
            ),
            has_position=Exists(
                Position.objects.filter(office=office, municipality_id=OuterRef("pk"))
            ),
            has_doctor=Exists(
                Trainee.objects.filter(office=office, municipality_id=OuterRef("pk"))
            ),
            has_invitation=Exists(
                Invitation.objects.filter(
                    office=office, municipality_id=OuterRef("pk"), role=Role.ALIS
                )
            ),
        )
        .order_by("name")
    )
    return [
        StartChecklist(r, r.has_plan, r.has_position, r.has_doctor, r.has_invitation) for r in rows
    ]


def supervisor_counts(office, user) -> dict[str, int]:
    """What waits for a veileder or supervisør (2 queries)."""
    return {
        "activities": activities_awaiting(office, user).count(),
        "goals": goals_awaiting(office, user).count(),
    }


def supervised_doctors(office, user, today: date) -> list[SupervisorAssignment]:
    """The user's current assignments with the doctor's last session and goals waiting for
    approval (one query). `session_due`: a veileder has logged no session this month."""
    month_start = today.replace(day=1)
    rows = list(
        SupervisorAssignment.objects.filter(office=office, supervisor__user=user, start__lte=today)
        .filter(not_ended(today))
        .select_related("trainee__municipality")
        .annotate(
            last_session=Max(
                "trainee__supervision_sessions__day",
                filter=Q(trainee__supervision_sessions__office=office),
            )
        )
        .order_by("trainee__last_name", "trainee__first_name", "pk")
    )
    for row in rows:
        row.session_due = row.role == SupervisorRole.VEILEDER and (
            row.last_session is None or row.last_session < month_start
        )
    return rows
