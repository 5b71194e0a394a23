"""Password rules (AUTH_PASSWORD_VALIDATORS), with the messages in Norwegian.

Django's bokmål catalogue lacks the current wording of the minimum-length message, so it would
show in English; this subclass says it in Norwegian. The common-password check is Django's own
CommonPasswordValidator with the list it ships (20,000 passwords, no network call); the strength
check is zxcvbn's estimate, also offline.
"""

import re
from functools import cache

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

from offices.reference import MUNICIPALITY_CSV, read_municipality_csv


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


# Words of this service that make a password easy to guess here; zxcvbn's own dictionaries are
# English (with common passwords, names and keyboard patterns), these add the obvious local ones.
SITE_WORDS = ("alis", "passord", "hemmelig", "kommune", "kontoret", "helse", "lege", "legen")


@cache
def place_words() -> tuple[str, ...]:
    """The country's municipality names (the reference list shipped with the project, read
    once), each part of a multi-part name («Nord-Fron», «Porsanger - Porsáŋgu») on its own:
    «Trondheim2026!!» is a place name, a year and two symbols, and zxcvbn knows no Norwegian
    places of its own."""
    words: dict[str, None] = {}
    for row in read_municipality_csv(MUNICIPALITY_CSV):
        for part in re.split(r"[\s\-/]+", row["name"].lower()):
            if len(part) > 2:
                words[part] = None
    return tuple(words)


class StrengthValidator:
    """Refuses guessable passwords that are long enough and not on Django's list, such as
    «passwordpassword», «123456789012» or «qwertyuiopasdf»: repeats, sequences, keyboard
    patterns, dictionary words with digits, the user's own name or address, a place name with
    a year and symbols («Trondheim2026!!»). The estimate is zxcvbn's (PyPI `zxcvbn`, offline, no
    network call) with the site's words, the user's and the municipality names as its own
    dictionary; `min_score` 4 means at least 10^10 guesses (3, 10^8, let a capitalised place
    name with a year and two symbols through).
    """

    # zxcvbn refuses longer input (its matching grows with the length); the first 72 characters
    # decide, and a password that is strong there is strong.
    MAX_CHECKED = 72

    def __init__(self, min_score: int = 4):
        self.min_score = min_score

    def validate(self, password, user=None):
        inputs = list(SITE_WORDS)
        if user is not None:
            for attribute in ("email", "first_name", "last_name"):
                value = getattr(user, attribute, "") or ""
                inputs.extend(part for part in re.split(r"\W+", value) if len(part) > 2)
        inputs.extend(place_words())
        result = zxcvbn(password[: self.MAX_CHECKED], user_inputs=inputs)
        if result["score"] < self.min_score:
            raise ValidationError(
                _(
                    "Passordet er for lett å gjette (for eksempel gjentakelser, tallrekker, "
                    "tastaturmønstre, vanlige ord, stedsnavn med årstall eller navnet ditt). "
                    "Bruk gjerne tre–fire tilfeldige ord med bindestrek mellom."
                ),
                code="password_too_weak",
            )

    def get_help_text(self):
        return _(
            "Passordet kan ikke være lett å gjette, som gjentakelser, tallrekker, "
            "tastaturmønstre eller et stedsnavn med årstall."
        )
