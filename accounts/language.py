"""The interface language: the user's own choice (User.language) on every request, after
Django's LocaleMiddleware has picked the cookie's or the browser's language (bokmål by default).

The choice is also written to the language cookie, so the pages after logout and the login page
next time keep the language the user chose."""

from django.conf import settings
from django.utils import translation

from .models import User


def user_language(request) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language:
        return user.language
    return None


class UserLanguageMiddleware:
    """Placed after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = user_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The login request itself: the user is known only after the view ran.
        language = language or user_language(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=True,
            )
        return response


def language_of(user=None, *, email: str | None = None) -> str:
    """The language to write to someone outside a request (e-mails, documents made by a worker):
    the user's own choice, else (for an address only) the choice of the account with that
    address, else bokmål. The browser's language is unknown there."""
    if user is None and email:
        user = User.objects.filter(email__iexact=email).only("language").first()
    if user is not None and getattr(user, "language", ""):
        return user.language
    return settings.LANGUAGE_CODE


def speaking(user=None, *, email: str | None = None):
    """`with speaking(user): …` renders text and dates in the recipient's language."""
    return translation.override(language_of(user, email=email))


def speaking_id(user_id: int | None):
    """The same for a user known only by id (an outbox row)."""
    if user_id is None:
        return translation.override(settings.LANGUAGE_CODE)
    return speaking(User.objects.filter(pk=user_id).only("language").first())
