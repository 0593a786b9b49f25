"""Login throttling (#12 item 9): short, growing waits instead of a long lock.

- Per user name *and* address: after LOGIN_MAX_FAILURES failures the next attempt of that user name from that
  address waits LOGIN_DELAY_SECONDS, doubling with every further failure up to LOGIN_MAX_DELAY_SECONDS. A stranger
  guessing a colleague's password from another computer therefore never locks the colleague out.
- Per address: after LOGIN_ADDRESS_MAX_FAILURES failures with any user names, every login from that address waits
  the same way (someone trying many user names).
- Failures older than LOGIN_FAILURE_WINDOW_MINUTES are forgotten; a successful login clears its user name's
  counter for that address (never the address counter, or an attacker could reset it with an own account).

An unknown user name is counted exactly like a known one, so a wait does not tell which names exist.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginThrottle


def client_address(request: HttpRequest | None) -> str:
    """The caller's address: REMOTE_ADDR, or the header the reverse proxy sets (CLIENT_ADDRESS_HEADER, e.g.
    X-Real-IP), of which the proxy must strip any value the client sent."""
    if request is None:
        return ""
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        value = request.headers.get(header, "")
        if value:
            return value.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _keys(username: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
    address_key = _key(f"address:{address}")
    return (_key(f"account:{username.strip().casefold()}"), address_key), ("", address_key)


def _delay(failures: int, free: int) -> timedelta | None:
    if failures < free:
        return None
    seconds = settings.LOGIN_DELAY_SECONDS * 2 ** min(failures - free, 20)
    return timedelta(seconds=min(seconds, settings.LOGIN_MAX_DELAY_SECONDS))


def _seconds_left(until: datetime | None, now: datetime) -> int:
    if until is None or until <= now:
        return 0
    return int((until - now).total_seconds() + 0.999)


def current_wait(*, username: str, address: str, now: datetime) -> int:
    """Seconds before this user name may try again from this address (0: now)."""
    (account_key, address_key), _ = _keys(username, address)
    until = LoginThrottle.objects.filter(
        account_key__in=[account_key, ""], address_key=address_key, blocked_until__gt=now
    ).aggregate(until=Max("blocked_until"))["until"]
    return _seconds_left(until, now)


@transaction.atomic
def register_failure(*, username: str, address: str, now: datetime) -> int:
    """Counts a failed login for the user name from the address and for the address; returns the wait in seconds
    that now applies (0: none)."""
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    wait = 0
    for (account_key, address_key), free in zip(
        _keys(username, address), (settings.LOGIN_MAX_FAILURES, settings.LOGIN_ADDRESS_MAX_FAILURES), strict=True
    ):
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(
            account_key=account_key, address_key=address_key, defaults={"last_failure_at": now}
        )
        failures = 1 if row.last_failure_at < now - window else row.failures + 1
        delay = _delay(failures, free)
        row.failures = failures
        row.last_failure_at = now
        row.blocked_until = now + delay if delay else None
        row.save(update_fields=["failures", "last_failure_at", "blocked_until"])
        wait = max(wait, _seconds_left(row.blocked_until, now))
    return wait


def clear_account(*, username: str, address: str | None = None) -> None:
    """Forgets the failures of a user name: from one address (after a successful login), or from everywhere
    (after a functioneel beheerder set a new password)."""
    account_key = _keys(username, address or "")[0][0]
    rows = LoginThrottle.objects.filter(account_key=account_key)
    if address is not None:
        rows = rows.filter(address_key=_keys(username, address)[0][1])
    rows.delete()


def account_wait(*, username: str, now: datetime | None = None) -> int:
    """Seconds the user name still waits at the address where it waits longest (0: nowhere), for the staff page.
    Only the user name's own counters: an address that waits for everyone says nothing about this colleague."""
    now = now or timezone.now()
    account_key = _keys(username, "")[0][0]
    until = LoginThrottle.objects.filter(account_key=account_key, blocked_until__gt=now).aggregate(
        until=Max("blocked_until")
    )["until"]
    return _seconds_left(until, now)
