from allauth.account.models import EmailAddress
from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.language import language_of
from accounts.models import Membership
from offices.permissions import COORDINATOR_ROLES
from offices.tasks import OfficeTask

from .models import EducationUnitRegistration

EVENTS = ("submitted", "approved", "rejected")


def office_recipients(office) -> list[str]:
    """The office side: its coordinators and its shared address."""
    emails = list(
        Membership.objects.filter(office=office, role__in=COORDINATOR_ROLES, is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )
    if office.contact_email:
        emails.append(office.contact_email)
    return sorted(set(emails))


@shared_task(
    base=OfficeTask,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_registration_emails(office, registration_id: int, event: str) -> None:
    """Tell both sides about a registration: the applicant (and the contact person given in
    the form) and the office."""
    if event not in EVENTS:
        raise ValueError(event)
    registration = EducationUnitRegistration.objects.select_related(
        "municipality", "applicant", "decided_by"
    ).get(pk=registration_id, office=office)
    base = settings.SITE_URL.rstrip("/")
    context = {
        "registration": registration,
        "office": office,
        "event": event,
        "review_link": base
        + reverse("unit_registration_detail", args=[office.slug, registration.pk]),
        "municipality_link": base
        + reverse("municipality_detail", args=[office.slug, registration.municipality.number]),
        "own_link": base + reverse("unit_registration"),
    }
    # Addresses typed into the form get mail only once verified (one of the applicant's
    # addresses confirmed through allauth), never on the form's word; the account's own address
    # too must be a verified one. Compared without case: allauth keeps the case as typed.
    verified = {
        email.lower()
        for email in EmailAddress.objects.filter(
            user=registration.applicant, verified=True
        ).values_list("email", flat=True)
    }
    applicant_side = sorted(
        {
            email.lower()
            for email in (registration.applicant.email, registration.contact_email)
            if email and email.lower() in verified
        }
    )
    for side, recipients in (("applicant", applicant_side), ("office", office_recipients(office))):
        if not recipients:
            continue
        context["side"] = side
        # One e-mail per language: the applicant's side reads the applicant's language; each
        # office address its own user's (bokmål for a shared address).
        by_language: dict[str, list[str]] = {}
        for email in recipients:
            language = (
                language_of(registration.applicant)
                if side == "applicant"
                else language_of(email=email)
            )
            by_language.setdefault(language, []).append(email)
        for language, addresses in sorted(by_language.items()):
            with translation.override(language):
                subject = render_to_string(
                    "municipalities/email/registration_subject.txt", context
                ).strip()
                message = render_to_string("municipalities/email/registration.txt", context)
            send_mail(
                subject=subject,
                message=message,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=addresses,
            )
