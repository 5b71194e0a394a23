from celery import shared_task

from offices import clock

from .services import review_reminders_send


@shared_task
def send_review_reminders() -> int:
    """Beat entry point: remind owner offices of shared routines whose review is due soon.
    National rows (not office-owned); each reminder is queued in the recipient's office."""
    return review_reminders_send(today=clock.today())
