"""National login (ID-porten, HelseID) as OpenID Connect apps of django-allauth, from the
environment. Each provider is off unless `<PREFIX>_ENABLED` is true in the deployment.

Variables per provider (PREFIX = IDPORTEN or HELSEID):
  _ENABLED              on/off for this deployment (default off)
  _ISSUER               the provider's issuer; discovery is read from
                        <issuer>/.well-known/openid-configuration
  _CLIENT_ID            the client registered with the provider
  _CLIENT_AUTH          private_key_jwt (default), client_secret_post or client_secret_basic
  _PRIVATE_KEY_FILE     PEM file with the client's private key (private_key_jwt)
  _KEY_ID               the key's kid as registered with the provider (private_key_jwt)
  _ASSERTION_AUDIENCE   aud of the client assertion: issuer (default), token_endpoint or a URL
  _CLIENT_SECRET        only for the client_secret_* methods
  _PKCE                 send a PKCE challenge (default on)
  _ACR_VALUES           the assurance level asked for (space separated)
  _SCOPES               scopes asked for (space separated)
  _TWO_FACTOR_LEVELS    values of the assurance claim that count as two-factor
  _LOGIN_ORIGIN         origin of the provider's login pages (the authorization endpoint),
                        allowed as a form target in the Content-Security-Policy
"""

from urllib.parse import urlsplit

PROVIDERS = {
    "IDPORTEN": {
        "provider_id": "idporten",
        "name": "ID-porten",
        "issuer": "https://idporten.no",
        "login_origin": "https://login.idporten.no",
        "acr_values": "idporten-loa-substantial",
        "scopes": "openid profile",
        "pid_claim": "pid",
        "hpr_claim": "",
        "assurance_claim": "acr",
        "two_factor_levels": "idporten-loa-substantial idporten-loa-high",
    },
    "HELSEID": {
        "provider_id": "helseid",
        "name": "HelseID",
        "issuer": "https://helseid-sts.nhn.no",
        "login_origin": "https://helseid-sts.nhn.no",
        "acr_values": "",
        "scopes": (
            "openid profile helseid://scopes/identity/pid "
            "helseid://scopes/identity/security_level helseid://scopes/hpr/hpr_number"
        ),
        "pid_claim": "helseid://claims/identity/pid",
        "hpr_claim": "helseid://claims/hpr/hpr_number",
        # 3 = substantial, 4 = high (Rammeverk for autentisering og uavviselighet).
        "assurance_claim": "helseid://claims/identity/security_level",
        "two_factor_levels": "3 4",
    },
}


def oidc_app(
    *,
    provider_id: str,
    name: str,
    issuer: str,
    client_id: str,
    client_auth: str = "private_key_jwt",
    private_key_file: str = "",
    key_id: str = "",
    assertion_audience: str = "issuer",
    secret: str = "",
    pkce: bool = True,
    acr_values: str = "",
    scopes: str = "openid profile",
    pid_claim: str = "pid",
    hpr_claim: str = "",
    assurance_claim: str = "acr",
    two_factor_levels: str = "",
    login_origin: str = "",
) -> dict:
    """One entry of SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]."""
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {
            # allauth's own settings for an OpenID Connect app …
            "server_url": issuer,
            "token_auth_method": client_auth,
            "oauth_pkce_enabled": pkce,
            "scope": scopes.split(),
            "auth_params": {"acr_values": acr_values} if acr_values else {},
            # … and ours (nationallogin.oidc, nationallogin.claims).
            "private_key_file": private_key_file,
            "key_id": key_id,
            "client_assertion_audience": assertion_audience,
            "pid_claim": pid_claim,
            "hpr_claim": hpr_claim,
            "assurance_claim": assurance_claim,
            "two_factor_levels": two_factor_levels.split(),
            "login_origin": login_origin or _origin(issuer),
        },
    }


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def form_action_sources(apps: list[dict]) -> list[str]:
    """The login button is a form whose response redirects to the provider's login page;
    browsers apply the CSP's form-action to that redirect, so those origins are allowed."""
    return sorted({app["settings"]["login_origin"] for app in apps})


def apps_from_env(env) -> list[dict]:
    apps = []
    for prefix, defaults in PROVIDERS.items():
        if not env.bool(f"{prefix}_ENABLED", default=False):
            continue

        def var(name, default=None, prefix=prefix):
            return env(f"{prefix}_{name}", default=default)

        apps.append(
            oidc_app(
                provider_id=defaults["provider_id"],
                name=defaults["name"],
                issuer=var("ISSUER", defaults["issuer"]),
                client_id=env(f"{prefix}_CLIENT_ID"),
                client_auth=var("CLIENT_AUTH", "private_key_jwt"),
                private_key_file=var("PRIVATE_KEY_FILE", ""),
                key_id=var("KEY_ID", ""),
                assertion_audience=var("ASSERTION_AUDIENCE", "issuer"),
                secret=var("CLIENT_SECRET", ""),
                pkce=env.bool(f"{prefix}_PKCE", default=True),
                acr_values=var("ACR_VALUES", defaults["acr_values"]),
                scopes=var("SCOPES", defaults["scopes"]),
                pid_claim=defaults["pid_claim"],
                hpr_claim=defaults["hpr_claim"],
                assurance_claim=defaults["assurance_claim"],
                two_factor_levels=var("TWO_FACTOR_LEVELS", defaults["two_factor_levels"]),
                login_origin=var("LOGIN_ORIGIN", defaults["login_origin"]),
            )
        )
    return apps


def providers_setting(apps: list[dict]) -> dict:
    """SOCIALACCOUNT_PROVIDERS: allauth's OpenID Connect provider with our subclass
    (private_key_jwt, pid kept out of the database) and the given apps."""
    return {
        "openid_connect": {
            "provider_class": "nationallogin.oidc.NationalLoginProvider",
            "OAUTH_PKCE_ENABLED": True,
            "APPS": apps,
        }
    }
