from celery import shared_task
from django_scopes import scopes_disabled

from offices import clock
from trainees.models import Trainee
from trainees.selectors import IN_TRAINING

from .stored import refresh


@shared_task
def refresh_standings() -> dict:
    """Beat, every night after midnight: the stored standing of every doctor in training, in
    every office, for the new day (`plans.stored`), so the day's reports count stored rows.
    Cross-office on purpose: the doctors' own inputs in, counts per office out, nothing shown."""
    today = clock.today()
    with scopes_disabled():
        doctors = list(
            Trainee.objects.filter(
                status__in=IN_TRAINING, specialisation_start__lte=today
            ).order_by("pk")
        )
    return {"doctors": len(doctors), "fresh": refresh(doctors, today)}


@shared_task
def refresh_changed(ids: list[int]) -> int:
    """After a change to their inputs is committed: the stored standing of these doctors for
    today (`plans.stored.invalidate`). Rows changed again meanwhile stay stale for the next."""
    today = clock.today()
    with scopes_disabled():
        doctors = list(
            Trainee.objects.filter(
                pk__in=ids, status__in=IN_TRAINING, specialisation_start__lte=today
            ).order_by("pk")
        )
    return refresh(doctors, today)
