"""Login with lockout: after LOGIN_MAX_FAILURES failures the account is locked for LOGIN_LOCKOUT_MINUTES."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openinburgering.audit.services import record_event

from .models import User


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        with transaction.atomic():
            user = User.objects.select_for_update().filter(username__iexact=username).first()
            if user is None:
                User().set_password(password)  # same work as a real check: no timing oracle for usernames
                return None
            now = timezone.now()
            if user.locked_until and user.locked_until > now:
                record_event(actor_user=user, event_type="login_refused_locked", purpose="beveiliging")
                return None
            if user.check_password(password) and self.user_can_authenticate(user):
                if user.failed_login_count or user.locked_until:
                    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
                return user
            failures = user.failed_login_count + 1
            locked_until = None
            if failures >= settings.LOGIN_MAX_FAILURES:
                locked_until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
                failures = 0
            User.objects.filter(pk=user.pk).update(failed_login_count=failures, locked_until=locked_until)
            record_event(
                actor_user=user,
                event_type="login_locked" if locked_until else "login_failed",
                purpose="beveiliging",
            )
            return None
