"""What the notifications app asks of the hospital period (it sits above hospital in the layers
and calls this; hospital never imports it): the reminders due on a day, as dicts with the
fields of `notifications.services.Reminder`. The outbox key (subject, period) sends each once.

* a request pending with the trust for 14 days or more: weekly, to the trust's contacts and the
  office's coordinators;
* a doctor without a place within 12 months of the latest start: monthly, to the coordinators
  and the leaders of the doctor's municipality;
* an agreement with a trust ending within 90 days: once, to the coordinators.
"""

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.language import speaking
from accounts.models import Membership
from offices.dates import short_date
from offices.permissions import Role

from .selectors import agreements_ending, contacts_for, needs_queue, pending_since

PENDING_DAYS = 14
ENDING_DAYS = 90


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _members(office, roles, municipality_ids=None) -> list[Membership]:
    qs = Membership.objects.filter(
        office=office, role__in=roles, is_active=True, user__is_active=True
    ).select_related("user")
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return list(qs)


def _notice(user_or_email, *, text, **fields) -> dict:
    """`text()` gives (subject, body), called in the recipient's language."""
    if isinstance(user_or_email, str):
        with speaking(email=user_or_email):
            subject, body = text()
        return {
            "recipient": user_or_email,
            "user_id": None,
            "subject": subject,
            "body": body,
            **fields,
        }
    with speaking(user_or_email):
        subject, body = text()
    return {
        "recipient": user_or_email.email,
        "user_id": user_or_email.pk,
        "subject": subject,
        "body": body,
        **fields,
    }


def _pending_text(booking, days: int) -> tuple[str, str]:
    return (
        _("Forespørsel om sykehusplass venter: %(department)s")
        % {"department": booking.place.department},
        ngettext(
            "Forespørselen om plass for %(name)s (%(start)s) har ventet på svar fra "
            "helseforetaket i %(days)s dag.",
            "Forespørselen om plass for %(name)s (%(start)s) har ventet på svar fra "
            "helseforetaket i %(days)s dager.",
            days,
        )
        % {
            "name": booking.trainee.full_name,
            "start": short_date(booking.place.start),
            "days": days,
        },
    )


def _missing_text(need) -> tuple[str, str]:
    words = {
        "name": need.trainee.full_name,
        "missing": need.missing_text,
        "latest": short_date(need.latest_start),
        "finish": short_date(need.finish or need.basis),
    }
    if need.finish:
        body = _(
            "%(name)s mangler %(missing)s institusjonstjeneste og må starte senest %(latest)s "
            "for å bli ferdig %(finish)s. Ingen plass er bestilt."
        )
    else:
        body = _(
            "%(name)s mangler %(missing)s institusjonstjeneste og må starte senest %(latest)s "
            "for å bli ferdig %(finish)s (antatt ferdigdato; beregnet ferdigdato kan ikke "
            "beregnes ennå). Ingen plass er bestilt."
        )
    return _("%(name)s mangler sykehusplass") % words, body % words


def _ending_text(agreement) -> tuple[str, str]:
    words = {
        "title": agreement.title,
        "trust": agreement.trust.name,
        "end": short_date(agreement.end),
    }
    return (
        _("Avtalen «%(title)s» går ut %(end)s") % words,
        _(
            "Avtalen med %(trust)s om utdanningsplasser går ut %(end)s. Forhandle en ny versjon "
            "i god tid."
        )
        % words,
    )


def reminder_notices(office, today: date) -> list[dict]:
    coordinators = [m.user for m in _members(office, [Role.COORDINATOR])]
    notices: list[dict] = []
    cutoff = timezone.make_aware(
        datetime.combine(today - timedelta(days=PENDING_DAYS), datetime.min.time())
    )
    contacts: dict[int, list[str]] = {}
    for contact in contacts_for(office):
        contacts.setdefault(contact.trust_id, []).append(contact.email)
    for booking in pending_since(office, cutoff):
        days = (today - timezone.localdate(booking.requested_at)).days
        link = reverse("hospital_booking", args=[office.slug, booking.pk])
        recipients = contacts.get(booking.place.trust.pk, []) + coordinators
        for who in recipients:
            notices.append(
                _notice(
                    who,
                    kind="sykehus_venter",
                    subject_key=f"booking:{booking.pk}",
                    period=_week(today),
                    text=lambda booking=booking, days=days: _pending_text(booking, days),
                    link=link,
                )
            )
    waiting = [n for n in needs_queue(office, on=today) if n.due_soon and n.booking is None]
    leaders: dict[int, list] = {}
    for m in _members(
        office, [Role.MUNICIPAL_LEADER], {n.trainee.municipality_id for n in waiting}
    ):
        leaders.setdefault(m.municipality_id, []).append(m.user)
    for need in waiting:
        trainee = need.trainee
        for user in coordinators + leaders.get(trainee.municipality_id, []):
            notices.append(
                _notice(
                    user,
                    kind="sykehus_mangler",
                    subject_key=f"trainee:{trainee.pk}",
                    period=f"{today:%Y-%m}",
                    text=lambda need=need: _missing_text(need),
                    link=reverse("hospital_request", args=[office.slug, trainee.pk]),
                )
            )
    for agreement in agreements_ending(office, today, ENDING_DAYS):
        for user in coordinators:
            notices.append(
                _notice(
                    user,
                    kind="sykehusavtale_utloper",
                    subject_key=f"trust_agreement:{agreement.pk}",
                    period=f"slutt-{agreement.end}",
                    text=lambda agreement=agreement: _ending_text(agreement),
                    link=reverse("hospital_agreement", args=[office.slug, agreement.pk]),
                )
            )
    return notices
