from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from offices.tasks import OfficeTask

from .language import speaking
from .models import Invitation


@shared_task(
    base=OfficeTask,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation_email(office, invitation_id: int, token: str) -> None:
    invitation = Invitation.objects.select_related("municipality", "invited_by").get(
        pk=invitation_id, office=office
    )
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    context = {
        "invitation": invitation,
        "office": office,
        "link": link,
        "days": settings.ALIS_INVITATION_DAYS,
    }
    # The invited person has no account yet (or one with a language chosen): bokmål unless
    # the address belongs to a user who chose otherwise.
    with speaking(email=invitation.email):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        message = render_to_string("accounts/email/invitation.txt", context)
    send_mail(
        subject=subject,
        message=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
