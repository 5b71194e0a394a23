"""E-mail for the events app (which sits below notifications and cannot import it): every
notice it sends through `events.signals.notice` becomes an outbox row here, in the sender's
transaction, so it goes out exactly once and only if the sign-up was saved."""

from django.dispatch import receiver

from events.signals import notice

from .services import Reminder, reminder_queue


@receiver(notice, dispatch_uid="notifications.event_notice")
def queue_event_notice(sender, *, office, notice, **kwargs):
    """Returns the new outbox row, or None when this notice was queued before."""
    return reminder_queue(office=office, reminder=Reminder(**notice))
