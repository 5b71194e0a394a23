"""The one thing kept about a person's national identity: a keyed hash of the number.

Not office-scoped: like the user account it belongs to, it decides who a request is, before
any office is known.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NationalIdentity(models.Model):
    """HMAC(ALIS_NATIONAL_ID_HMAC_KEY, national identity number) of an account's owner, so the
    person is recognised at the next national login, from ID-porten or HelseID alike. The number
    itself is never stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="national_identity",
        verbose_name=_("bruker"),
    )
    pid_hmac = models.CharField(_("nøkkelhash av fødselsnummer"), max_length=64, unique=True)
    linked_at = models.DateTimeField(_("koblet"), default=timezone.now)
    linked_by = models.CharField(_("koblet via"), max_length=40)

    class Meta:
        verbose_name = _("nasjonal identitet")
        verbose_name_plural = _("nasjonale identiteter")

    def __str__(self) -> str:
        return str(self.user)
