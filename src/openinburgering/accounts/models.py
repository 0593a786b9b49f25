"""Tenants (gemeenten), regions, users and their memberships (gemeente + role), teams, API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .roles import RoleCode


class Region(models.Model):
    """An arbeidsmarktregio (CBS code AMxx). Gemeenten in one region may share providers and contracts."""

    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("arbeidsmarktregio")

    def __str__(self) -> str:
        return self.name


class Gemeente(models.Model):
    """A tenant. CBS code GMxxxx; every client row belongs to exactly one gemeente."""

    code = models.CharField(max_length=6, unique=True)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="gemeenten")
    province = models.CharField(max_length=50, blank=True)
    is_active = models.BooleanField(
        default=False, help_text=_("Actief: de gemeente gebruikt Open Inburgering (heeft medewerkers).")
    )
    # Login rules of the gemeente (#12 items 2 and 3), set by its functioneel beheerder. A user who works for
    # several gemeenten gets the strictest: two-factor when one of them requires it, no password login when one
    # of them switched it off.
    requires_two_factor = models.BooleanField(
        default=False, help_text=_("Medewerkers moeten inloggen met een code uit een app (tweestapsverificatie).")
    )
    allows_local_login = models.BooleanField(
        default=True, help_text=_("Medewerkers mogen inloggen met gebruikersnaam en wachtwoord.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        constraints = [models.CheckConstraint(condition=Q(code__regex=r"^GM[0-9]{4}$"), name="gemeente_code_format")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff user. What they may do depends on the membership they act under, never on the user alone."""

    # Raised by "log out everywhere" and by a reset of two-factor login: it is part of the session hash, so every
    # session of the user ends at its next request (Django's own session verification, #12 item 4).
    session_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("gebruiker")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session hash over the password hash, with the session version added."""
        return salted_hmac(
            "openinburgering.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Role(models.Model):
    """A role with its capabilities as data (seeded from roles.ROLE_CAPABILITIES by migration)."""

    code = models.CharField(max_length=40, unique=True, choices=RoleCode.choices)
    name = models.CharField(max_length=100)
    capabilities = models.JSONField(default=list)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "name"], name="team_name_unique_per_gemeente")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user works for a gemeente in a role (and maybe a team). One person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["gemeente__name", "role__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "gemeente", "role"], name="membership_unique_role_per_gemeente")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} — {self.gemeente}"


class ApiToken(models.Model):
    """An API token acts as one membership (user + gemeente + role). Only a hash of the key is stored."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginThrottle(models.Model):
    """Failed logins counted per typed user name from one address, and per address (accounts.throttle).

    Both keys are HMACs (with SECRET_KEY) of what was typed and where it came from: the table holds no user
    names or IP addresses, and a user name that does not exist is counted exactly like one that does."""

    account_key = models.CharField(max_length=64, blank=True, help_text=_("Leeg: de teller van het adres."))
    address_key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account_key", "address_key"], name="login_throttle_unique_key")]

    def __str__(self) -> str:
        return f"{self.failures} mislukte pogingen"


class SectionLimit(models.Model):
    """A gemeente narrows what a role may do in one section of a file (accounts.sections; #12 item 1).

    Without a row the role has its legal maximum (``LEGAL_MAXIMUM``); a row can only lower it — the service refuses a
    wider one and the check constraint keeps the value in range. Changed by the functioneel beheerder, audited."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="section_limits")
    role_code = models.CharField(max_length=40, choices=RoleCode.choices)
    section = models.CharField(max_length=20)
    access = models.PositiveSmallIntegerField()
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("beperking van een dossieronderdeel")
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "role_code", "section"], name="section_limit_unique"),
            models.CheckConstraint(condition=Q(access__lte=2), name="section_limit_access_range"),
        ]

    def __str__(self) -> str:
        return f"{self.gemeente} {self.role_code} {self.section}: {self.access}"


class OidcProvider(models.Model):
    """The gemeente's own identity provider for single sign-on with OpenID Connect (#12 item 3; accounts.sso).

    One per gemeente, so every gemeente can use its own IdP; several gemeenten may point at the same IdP with
    their own client. `role_mapping` maps values of the roles claim to our role codes; the claim may also hold
    roles per gemeente code ({"GM0392": ["..."]}). Written by `manage.py configure_sso`, audited. The client
    secret is stored as the IdP gave it (like mozilla-django-oidc-db does): the database is the secret store."""

    gemeente = models.OneToOneField(Gemeente, on_delete=models.CASCADE, related_name="oidc_provider")
    is_enabled = models.BooleanField(default=True)
    button_label = models.CharField(max_length=100)
    issuer = models.URLField(max_length=500)
    authorization_endpoint = models.URLField(max_length=500)
    token_endpoint = models.URLField(max_length=500)
    userinfo_endpoint = models.URLField(max_length=500, blank=True)
    jwks_uri = models.URLField(max_length=500)
    client_id = models.CharField(max_length=255)
    client_secret = models.CharField(max_length=255)
    scopes = models.CharField(max_length=255, default="openid email profile")
    roles_claim = models.CharField(max_length=100, default="roles")
    role_mapping = models.JSONField(default=dict)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity provider van een gemeente")

    def __str__(self) -> str:
        return f"{self.gemeente}: {self.issuer}"


class OidcIdentity(models.Model):
    """Links a user to their stable subject (`sub`) at a gemeente's identity provider."""

    provider = models.ForeignKey(OidcProvider, on_delete=models.CASCADE, related_name="identities")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities")
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="oidc_identity_unique_subject")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider_id}"
