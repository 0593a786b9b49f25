"""Two-factor login for staff (#12 item 2) with django-otp: a TOTP app (time-based six-digit codes) plus ten
single-use recovery codes. See docs/adr/0008-staff-login.md.

The second step runs inside our own login view (accounts.views): after the password, a user with a confirmed app
types a code; a user whose gemeente requires two-factor login and who has no app yet sets one up first. Only then
is the user logged in, so no other page is reachable in between. django-otp throttles wrong codes per device
(waits doubling per failure) and refuses a TOTP code that was used before. API tokens are not affected.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, NotFound

from .actor import Actor
from .forms import wait_text
from .models import Gemeente, Membership, User
from .roles import Capability

PURPOSE_SECURITY = "beveiliging"
PURPOSE_MANAGEMENT = "beheer medewerkers en rollen"
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"


# ---------------------------------------------------------------------------------------------------------------
# Reads


def _gemeenten_of(user: User) -> list[Gemeente]:
    return [
        m.gemeente
        for m in Membership.objects.filter(user=user, is_active=True, gemeente__is_active=True).select_related(
            "gemeente"
        )
    ]


def is_required_for(user: User) -> bool:
    """Two-factor login is required when one of the gemeenten the user works for requires it."""
    return any(g.requires_two_factor for g in _gemeenten_of(user))


def allows_password_login(user: User) -> bool:
    """Password login is refused when one of the user's gemeenten switched it off (they log in with single
    sign-on). A user without an active membership is not refused here: the login goes on to its usual end."""
    return all(g.allows_local_login for g in _gemeenten_of(user))


def app_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, as the app asks for it when typed
    qr_svg: str  # an <svg> element, generated here: no script, no style


def secret_text(device: TOTPDevice) -> str:
    """The secret in groups of four, easier to type over."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR-code om de app in te stellen" class="app-qr" ', 1)


# ---------------------------------------------------------------------------------------------------------------
# Changes


@transaction.atomic
def start_enrolment(*, user: User) -> Enrolment:
    """The unconfirmed app device of the user (made once, so reloading the page keeps the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return Enrolment(device=device, secret=secret_text(device), qr_svg=qr_svg(device.config_url))


@transaction.atomic
def confirm_enrolment(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app confirms it; ten new recovery codes are made (returned once, never shown
    again). Audited as `two_factor_enrolled`."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise ApplicationError("Open de pagina opnieuw om de app in te stellen.")
    _check(device, code)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    record_event(actor_user=user, event_type="two_factor_enrolled", purpose=PURPOSE_SECURITY, subject=user)
    return device, codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


WRONG_CODE = "De code klopt niet. Kijk in de app en typ de code die u nu ziet."


def _check(device: Device, code: str) -> None:
    """Raises with a Dutch message when the code is wrong, or when the device still waits after wrong codes
    (django-otp's throttle: 1, 2, 4, … seconds after each failure); then the code is not even looked at."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        until = (info or {}).get("locked_until")
        seconds = int((until - timezone.now()).total_seconds() + 0.999) if isinstance(until, datetime) else 1
        message = (
            f"U heeft te vaak een verkeerde code ingevuld. Wacht {wait_text(max(1, seconds))} en probeer het opnieuw."
        )
        raise ApplicationError("De code is niet gecontroleerd.", field_errors={"code": [message]})
    if not device.verify_token(code):
        raise ApplicationError("De code klopt niet.", field_errors={"code": [WRONG_CODE]})


def verify_login_code(*, user: User, code: str) -> str:
    """Checks the code of the second login step: six digits from the app, or one recovery code (used up).
    Returns which one ("app" or "herstelcode"); a wrong code is audited and raises with a Dutch message."""
    code = "".join(code.split()).lower()
    device = app_device(user)
    if device is None:
        raise ApplicationError("Open de pagina opnieuw om in te loggen.")
    is_app_code = code.isdigit() and len(code) == device.digits
    static = None if is_app_code else StaticDevice.objects.filter(user=user, confirmed=True).first()
    try:
        _check(static or device, code)
    except ApplicationError:
        record_event(actor_user=user, event_type="login_code_failed", purpose=PURPOSE_SECURITY)
        raise
    if static is None:
        return "app"
    record_event(actor_user=user, event_type="login_recovery_code_used", purpose=PURPOSE_SECURITY)
    return "herstelcode"


@transaction.atomic
def reset_two_factor(*, actor: Actor, user: User) -> None:
    """The functioneel beheerder removes a colleague's app and recovery codes (a lost phone); the colleague's
    sessions end, and at the next login they set up the app again when the gemeente requires it. Like a new
    password, only for a colleague who works for no other gemeente."""
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()
    if Membership.objects.filter(user=user).exclude(gemeente_id=actor.gemeente_id).exists():
        raise ApplicationError(
            "Deze medewerker werkt ook voor een andere gemeente. De tweestapsverificatie kan alleen de medewerker "
            "zelf opnieuw instellen."
        )
    if user.pk == actor.user.pk:
        raise ApplicationError("U kunt uw eigen tweestapsverificatie hier niet opnieuw instellen.")
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    if not removed:
        raise ApplicationError("Deze medewerker heeft geen tweestapsverificatie ingesteld.")
    User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
    record_event(actor=actor, event_type="two_factor_removed", purpose=PURPOSE_MANAGEMENT, subject=user)
