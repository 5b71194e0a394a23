"""The doctor's record follows their account: accepting an ALIS invitation links the record
the municipality registered with the same e-mail (no separate step on the doctor's page)."""

from django.dispatch import receiver

from accounts.signals import invitation_accepted
from offices.permissions import Role

from .services import trainee_link_for_user


@receiver(invitation_accepted, dispatch_uid="trainees_link_on_invitation")
def link_record_on_invitation(sender, invitation, user, **kwargs):
    if invitation.role == Role.ALIS:
        trainee_link_for_user(office=invitation.office, user=user)
