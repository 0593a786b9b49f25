"""On a DigiD login: mark the session as a portal session, take over the account's language, audit the login."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from openinburgering.audit.services import record_event

from . import selectors
from .languages import SESSION_KEY
from .middleware import ACCOUNT_SESSION_KEY, ACTIVITY_SESSION_KEY
from .models import PortalAccount

PURPOSE_PORTAL = "inzage en contact door de inburgeraar (Mijn Inburgering)"


@receiver(user_logged_in, dispatch_uid="mijn_portal_login")
def portal_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    account = PortalAccount.objects.filter(user=user).first()
    if account is None or request is None:
        return
    request.session[ACCOUNT_SESSION_KEY] = account.pk
    request.session[ACTIVITY_SESSION_KEY] = time.time()
    request.session[SESSION_KEY] = account.language
    PortalAccount.objects.filter(pk=account.pk).update(last_login_at=timezone.now())
    client_file = selectors.file_for_bsn(account.bsn)
    record_event(
        event_type="portal_logged_in", purpose=PURPOSE_PORTAL, actor_user=user, client_file=client_file,
        gemeente=client_file.gemeente if client_file else None, subject=account,
    )  # fmt: skip
