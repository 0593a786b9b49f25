"""Login with throttling (accounts.throttle): every failure costs the same password-hashing work."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openinburgering.audit.services import record_event

from . import throttle
from .models import User

# Where the backend leaves the wait for the login form (seconds; 0 or missing: no wait).
LOGIN_WAIT_ATTRIBUTE = "login_wait_seconds"


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        address = throttle.client_address(request)
        now = timezone.now()
        with transaction.atomic():
            user = User.objects.filter(username__iexact=username).first()
            # The hasher runs on every path (unknown name, waiting, wrong or right password), before anything
            # is decided: the response time tells nothing about the name or the wait (#12 item 9).
            if user is None:
                User().set_password(password)
                password_ok = False
            else:
                password_ok = user.check_password(password)
            wait = throttle.current_wait(username=username, address=address, now=now)
            if wait:
                if user is not None:
                    record_event(actor_user=user, event_type="login_refused_locked", purpose="beveiliging")
                _tell_wait(request, wait)
                return None
            if user is not None and password_ok and self.user_can_authenticate(user):
                throttle.clear_account(username=username, address=address)
                return user
            wait = throttle.register_failure(username=username, address=address, now=now)
            if user is not None:
                record_event(
                    actor_user=user, event_type="login_locked" if wait else "login_failed", purpose="beveiliging"
                )
            _tell_wait(request, wait)
            return None


def _tell_wait(request: HttpRequest | None, seconds: int) -> None:
    if request is not None:
        setattr(request, LOGIN_WAIT_ATTRIBUTE, seconds)
