"""E-mails about correction requests, through the notifications outbox (each goes out once,
after the request or the answer is saved, in the recipient's language).

When a doctor asks for a correction, everyone who may answer it hears of it: the office's
coordinators and the leaders of the doctor's municipality (the roles that hold
`correction.handle`). When it is answered, the doctor hears of it. The e-mails name the doctor
and link to the page; what the doctor wrote, and the answer, stay in the system.

Urgent, so the quiet month and the weekly digest do not hold them back: the office has a month
to answer a request for correction (GDPR art. 12(3)).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.language import speaking
from accounts.models import Membership
from notifications.services import Reminder, reminder_queue
from offices.permissions import MUNICIPALITY_ROLES, PERMISSIONS

from .models import CorrectionRequest


def correction_handlers(correction: CorrectionRequest) -> list:
    """The active users who may answer the request, each once (a user may hold two roles)."""
    roles = PERMISSIONS["correction.handle"]
    members = (
        Membership.objects.filter(
            office=correction.office_id, role__in=roles, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__email", "pk")
    )
    users = {}
    municipality_id = correction.trainee.municipality_id
    for m in members:
        if m.role in MUNICIPALITY_ROLES and m.municipality_id != municipality_id:
            continue
        users.setdefault(m.user_id, m.user)
    return list(users.values())


def _queue(correction, user, kind: str, subject: str, body: str, link: str) -> bool:
    """One e-mail about the request, once (the outbox key: recipient, kind, request)."""
    row = reminder_queue(
        office=correction.office,
        reminder=Reminder(
            recipient=user.email,
            user_id=user.pk,
            kind=kind,
            subject_key=f"correction:{correction.pk}",
            period="-",
            subject=subject,
            body=body,
            link=link,
            urgent=True,
        ),
    )
    return row is not None


def correction_sent_notify(correction: CorrectionRequest) -> int:
    """Queue an e-mail to each handler. Returns how many were queued."""
    office, trainee = correction.office, correction.trainee
    link = reverse("corrections", args=[office.slug])
    queued = 0
    for user in correction_handlers(correction):
        with speaking(user):
            subject = _("Anmodning om retting fra %(name)s") % {"name": trainee.full_name}
            body = _(
                "%(name)s (%(municipality)s) ber om retting av opplysninger i "
                "utdanningsmappen. Les anmodningen, rett det som er feil, og svar legen."
            ) % {"name": trainee.full_name, "municipality": trainee.municipality.name}
        queued += _queue(correction, user, "retting_sendt", subject, body, link)
    return queued


def correction_answered_notify(correction: CorrectionRequest) -> bool:
    """Queue an e-mail to the doctor (when they have a login). Returns whether it was queued."""
    user = correction.trainee.user
    if user is None or not user.email:
        return False
    with speaking(user):
        subject = _("Svar på anmodningen din om retting")
        body = _(
            "ALIS-kontoret har svart på anmodningen din om retting av utdanningsmappen. "
            "Du ser svaret i utdanningsmappen."
        )
    link = reverse("my_training_record", args=[correction.office.slug]) + "#retting"
    return _queue(correction, user, "retting_besvart", subject, body, link)
