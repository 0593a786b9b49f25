"""DigiD → portal client. django-digid-eherkenning's views (the real SAML ones and its mock) call
``authenticate(request, bsn=…)``; this backend answers only for a BSN with a client file, and only with a portal
user (a user without any Membership, so no staff capability can apply to it)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openinburgering.accounts.models import User

from . import selectors
from .models import PortalAccount


def is_valid_bsn(value: str) -> bool:
    """Nine digits passing the elfproef (the BSN variant: the last digit weighs -1)."""
    if len(value) != 9 or not value.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:8], range(9, 1, -1), strict=True))
    return (total - int(value[8])) % 11 == 0 and value != "000000000"


class PortalDigidBackend(BaseBackend):
    """Maps the BSN DigiD returns to the client's PortalAccount, creating both on the first login."""

    def authenticate(self, request: HttpRequest | None, bsn: str | None = None, **kwargs: Any) -> User | None:
        if bsn is None or not is_valid_bsn(bsn):
            return None
        if selectors.file_for_bsn(bsn) is None:
            return None
        with transaction.atomic():
            account = PortalAccount.objects.select_related("user").filter(bsn=bsn).first()
            if account is None:
                user = User(username=f"digid-{uuid.uuid4().hex[:20]}", is_active=True)
                user.set_unusable_password()
                user.save()
                account = PortalAccount.objects.create(user=user, bsn=bsn, created_at=timezone.now())
            if not account.user.is_active:
                return None
            return account.user

    def get_user(self, user_id: int) -> User | None:
        """The session's user with their PortalAccount in the same query (#18): mijn.access reads it from the user."""
        return (
            User.objects.select_related("portal_account")
            .filter(pk=user_id, is_active=True, portal_account__isnull=False)
            .first()
        )


def portal_user_for_bsn(bsn: str) -> User | None:
    """The shared mapping for both DigiD paths (mock and SAML)."""
    return PortalDigidBackend().authenticate(None, bsn=bsn)


class PortalSamlBackend:
    """For production: django-digid-eherkenning's real SAML backend resolves the artifact to a BSN; this mixes in
    our mapping instead of the library's ``User.digid_objects`` manager. Enable it in AUTHENTICATION_BACKENDS next to
    the real ``digid_urls`` (docs/portal.md). Not exercised by the tests: it needs a DigiD connection with
    certificates; the tests drive the same mapping through the library's mock."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from digid_eherkenning.backends import DigiDBackend

        class _Backend(DigiDBackend):
            def get_or_create_user_from_bsn(self, request: HttpRequest, bsn: str) -> User | None:
                return portal_user_for_bsn(bsn)

            def get_user(self, user_id: int) -> User | None:
                return PortalDigidBackend().get_user(user_id)

        return _Backend(*args, **kwargs)
