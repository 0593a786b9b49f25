"""Login with throttling (accounts.throttle): every failure costs the same password-hashing work."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from openinburgering.audit.services import record_event
from openinburgering.core.sql import JoinedSelect, column

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

    def get_user(self, user_id: Any) -> User | None:
        """The session's user, as ModelBackend.get_user (None when unknown or inactive), with its SQL written once per
        process (#18: compiling ``User.objects.get(pk=...)`` on every staff request)."""
        select = _user_select()
        with connection.cursor() as cursor:
            cursor.execute(select.sql, [User._meta.pk.to_python(user_id)])
            row = cursor.fetchone()
        user: User | None = select.load(row) if row is not None else None
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _user_select() -> JoinedSelect:
    select = JoinedSelect(User, ())
    select.sql += f" WHERE {select.alias()}.{column(User, 'id')} = %s"
    return select


def _tell_wait(request: HttpRequest | None, seconds: int) -> None:
    if request is not None:
        setattr(request, LOGIN_WAIT_ATTRIBUTE, seconds)
