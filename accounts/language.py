"""The interface language: the user's own choice (User.language) on every request, after
Django's LocaleMiddleware has picked the cookie's or the browser's language (bokmål by default).

The choice is also written to the language cookie, so the pages after logout and the login page
next time keep the language the user chose."""

from django.conf import settings
from django.utils import translation


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
