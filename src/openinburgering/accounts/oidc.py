"""OpenID Connect with mozilla-django-oidc, configured per gemeente from the database (accounts.sso) instead of
from settings: the login button of a gemeente starts the authorization code flow (with PKCE and a nonce) at that
gemeente's provider; the callback exchanges the code, checks the ID token's signature against the provider's
JWKS, its issuer, audience, expiry and nonce, and hands the claims to accounts.sso.sign_in."""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import sso
from .login_views import complete_login
from .models import OidcProvider, User

logger = logging.getLogger(__name__)
BACKEND_PATH = "openinburgering.accounts.oidc.GemeenteOidcBackend"
# Where the backend leaves a refusal's Dutch message for the callback view.
REFUSAL_ATTRIBUTE = "sso_refusal"


def _session_provider(request: HttpRequest) -> OidcProvider | None:
    provider_id = request.session.get(sso.SESSION_PROVIDER_KEY)
    if not isinstance(provider_id, int):
        return None
    return (
        OidcProvider.objects.select_related("gemeente")
        .filter(pk=provider_id, is_enabled=True, gemeente__is_active=True)
        .first()
    )


class GemeenteOidcBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # untyped library
    """mozilla-django-oidc's backend with the endpoints and client of the gemeente whose button was used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No settings to read: everything comes from the gemeente's OidcProvider at authenticate().
        self.UserModel = get_user_model()
        self.provider: OidcProvider | None = None

    def _use(self, provider: OidcProvider) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "username" in kwargs or "password" in kwargs or "nonce" not in kwargs:
            return None
        provider = _session_provider(request)
        if provider is None:
            return None
        self._use(provider)
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except sso.SsoRefused as refusal:
            setattr(request, REFUSAL_ATTRIBUTE, refusal.message)
            return None
        except (SuspiciousOperation, requests.RequestException, ValueError, KeyError) as error:
            logger.warning(
                "Single sign-on failed for gemeente %s: %s", provider.gemeente.code, error.__class__.__name__
            )
            return None
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The signature, expiry and nonce (mozilla-django-oidc), and also the issuer and the audience."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        assert self.provider is not None
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != self.provider.issuer or self.provider.client_id not in audiences:
            raise SuspiciousOperation("ID token for another issuer or client.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The ID token's claims, completed by the userinfo endpoint when there is one (same subject only)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("Userinfo for another subject.")
            claims.update({k: v for k, v in info.items() if k not in claims})
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        assert self.provider is not None
        claims = self.get_userinfo(access_token, id_token, payload)
        return sso.sign_in(provider=self.provider, claims=claims)


class SsoStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]  # untyped library
    """The login button of a gemeente: to its identity provider."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)
        self.scopes = "openid"

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr == "OIDC_RP_SCOPES":
            return self.scopes
        return import_from_settings(attr, *args)

    def get(self, request: HttpRequest, gemeente_code: str) -> HttpResponse:
        provider = sso.enabled_provider(gemeente_code=gemeente_code)
        if provider is None:
            raise Http404()
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.scopes = provider.scopes
        request.session[sso.SESSION_PROVIDER_KEY] = provider.pk
        response: HttpResponse = super().get(request)
        return response


class SsoCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]  # untyped library
    """Back from the identity provider: logged in (audited like every login), or a Dutch page saying why not."""

    def login_success(self) -> HttpResponse:
        self.request.session.pop(sso.SESSION_PROVIDER_KEY, None)
        complete_login(self.request, self.user, backend=BACKEND_PATH, second_factor="sso")
        return HttpResponseRedirect(self.success_url)

    def login_failure(self) -> HttpResponse:
        message = getattr(self.request, REFUSAL_ATTRIBUTE, sso.GENERIC_REFUSAL)
        return render(self.request, "accounts/sso_refused.html", {"message": message}, status=403)
