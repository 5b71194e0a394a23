from django.db.models import QuerySet

from .models import Outbox


def outbox_for_office(office, *, kind: str = "", recipient: str = "") -> QuerySet[Outbox]:
    qs = Outbox.objects.filter(office=office).defer("body")
    if kind:
        qs = qs.filter(kind=kind)
    if recipient:
        qs = qs.filter(recipient__icontains=recipient.strip())
    return qs
