from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import Event, SignupStatus
from .services import offers_expire


@shared_task
def expire_offers() -> int:
    """Beat entry point (hourly): offers from the waiting list not taken in time go to the next
    in line. Sign-ups of a joint event belong to several offices, so the stale ones are found
    across offices here; each event is then handled under its row lock."""
    now = timezone.now()
    with scopes_disabled():
        ids = list(
            Event.objects.filter(
                signups__status=SignupStatus.OFFERED, signups__offered_until__lt=now
            )
            .values_list("pk", flat=True)
            .distinct()
        )
        for event in Event.objects.filter(pk__in=ids):
            offers_expire(event=event, now=now)
    return len(ids)
