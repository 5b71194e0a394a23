"""Password rules (AUTH_PASSWORD_VALIDATORS), with the messages in Norwegian.

Django's bokmål catalogue lacks the current wording of the minimum-length message, so it would
show in English; this subclass says it in Norwegian. The common-password check is Django's own
CommonPasswordValidator with the list it ships (20,000 passwords, no network call).
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def __init__(self, min_length: int = 12):
        super().__init__(min_length=min_length)

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("Passordet er for kort. Det må bestå av minst %(min_length)d tegn.")
                % {"min_length": self.min_length},
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return _("Passordet må bestå av minst %(min_length)d tegn.") % {
            "min_length": self.min_length
        }
