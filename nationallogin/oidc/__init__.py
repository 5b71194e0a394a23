"""allauth's OpenID Connect provider, with the two things ID-porten and HelseID need on top.

1. Client authentication by `private_key_jwt` (RFC 7523, OpenID Connect Core §9): the token
   request carries a short-lived JWT signed with the client's private key instead of a secret.
   allauth's OAuth2 client only knows client secrets, so `PrivateKeyJWTClient` adds the assertion
   to allauth's own token request; everything else (state, PKCE, the code exchange, ID token
   checks, userinfo) is allauth's.
2. The national identity number never reaches the database: allauth saves the claims it
   received on the SocialAccount (`extra_data`); `NationalLoginProvider` replaces the number by
   its keyed hash before that happens (nationallogin.claims).

The provider replaces allauth's through its documented hook,
SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"] (alis/settings/national_login.py);
its login and callback URLs (nationallogin/oidc/urls.py) are allauth's, served by views that
use the adapter below.
"""

import time
import uuid
from pathlib import Path

import jwt
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Client
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from nationallogin.claims import without_pid

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# Lifetime of a client assertion: ID-porten accepts at most 120 seconds.
ASSERTION_SECONDS = 60


class PrivateKeyJWTClient(OAuth2Client):
    """allauth's OAuth2 client; the token request authenticates with a signed client assertion
    (RFC 7523 §2.2) instead of a client secret."""

    def __init__(self, *args, private_key: str, key_id: str, audience: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.private_key = private_key
        self.key_id = key_id
        self.audience = audience
        # No secret goes to the provider (allauth drops the empty `client_secret`).
        self.consumer_secret = ""
        self.basic_auth = False

    def client_assertion(self) -> str:
        now = int(time.time())
        claims = {
            "iss": self.consumer_key,
            "sub": self.consumer_key,
            "aud": self.audience,
            "iat": now,
            "exp": now + ASSERTION_SECONDS,
            "jti": uuid.uuid4().hex,
        }
        headers = {"kid": self.key_id} if self.key_id else None
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers=headers)

    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
        assertion = {
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": self.client_assertion(),
        }
        return super().get_access_token(
            code,
            pkce_code_verifier=pkce_code_verifier,
            extra_data={**(extra_data or {}), **assertion},
        )


class NationalLoginAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter: a private_key_jwt client where the app asks for one,
    and the ID token's signature always checked against the provider's JWKS."""

    def get_client(self, request, app):
        app_settings = app.settings
        if app_settings.get("token_auth_method") != "private_key_jwt":
            return super().get_client(request, app)
        key_file = app_settings.get("private_key_file")
        if not key_file:
            raise ImproperlyConfigured(
                f"{app.provider_id}: private_key_jwt krever en privat nøkkel (PRIVATE_KEY_FILE)."
            )
        return PrivateKeyJWTClient(
            self.request,
            app.client_id,
            "",
            self.access_token_method,
            self.access_token_url,
            self.get_callback_url(request, app),
            scope_delimiter=self.scope_delimiter,
            headers=self.headers,
            basic_auth=False,
            private_key=Path(key_file).read_text(),
            key_id=app_settings.get("key_id", ""),
            audience=self.assertion_audience(app_settings.get("client_assertion_audience")),
        )

    def assertion_audience(self, setting: str | None) -> str:
        if not setting or setting == "issuer":
            return self.openid_config["issuer"]
        if setting == "token_endpoint":
            return self.openid_config["token_endpoint"]
        return setting

    def _decode_id_token(self, app, id_token):
        # allauth may skip the signature when the token came straight from the token endpoint
        # (OpenID Connect Core §3.1.3.7 allows it); we check it anyway.
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


class NationalLoginProvider(OpenIDConnectProvider):
    oauth2_adapter_class = NationalLoginAdapter
    # Login and callback URLs: nationallogin/oidc/urls.py (same names and paths as allauth's).
    package = "nationallogin.oidc"

    def extract_extra_data(self, data):
        # What allauth stores on the SocialAccount: the claims with the pid replaced by its hash.
        return without_pid(super().extract_extra_data(data), self.app.settings)


def _adapter_view(view_class):
    """allauth's OAuth2 login or callback view, with NationalLoginAdapter."""

    @login_not_required
    def view(request, provider_id):
        try:
            return view_class.adapter_view(NationalLoginAdapter(request, provider_id))(request)
        except SocialApp.DoesNotExist as e:
            raise Http404 from e

    return view


login = _adapter_view(OAuth2LoginView)
callback = _adapter_view(OAuth2CallbackView)
