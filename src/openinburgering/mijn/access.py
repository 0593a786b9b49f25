"""The only door to the portal's data: the logged-in client's own file. Everything else is 404 (missing and
someone else's look the same). Staff reach the portal's items of a file through clients.access."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import NotFound
from openinburgering.letters.models import Letter

from . import selectors
from .middleware import ACCOUNT_SESSION_KEY
from .models import PortalAccount, PortalMessage, PortalSettings, PortalUpload

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)

PARTS = ("plan", "appointments", "documents", "messages", "access_log")


@dataclass(frozen=True)
class PortalClient:
    account: PortalAccount
    client_file: ClientFile
    settings: PortalSettings

    def part_on(self, part: str) -> bool:
        return bool(getattr(self.settings, f"{part}_on"))


def portal_client_of(request: HttpRequest) -> PortalClient:
    """The logged-in client with their own file, or NotFound."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.session.get(ACCOUNT_SESSION_KEY):
        raise NotFound()
    # PortalDigidBackend.get_user read the account with the user (#18); any other user has none (AttributeError).
    account: PortalAccount | None = getattr(user, "portal_account", None)
    if account is None or str(account.pk) != str(request.session[ACCOUNT_SESSION_KEY]):
        raise NotFound()
    client_file = selectors.file_for_bsn(account.bsn)
    if client_file is None:
        raise NotFound()
    return PortalClient(account=account, client_file=client_file, settings=selectors.settings_for(client_file.gemeente))


def portal_view(part: str | None = None) -> Callable[[Callable[P, R]], Callable[P, R | HttpResponse]]:
    """A portal page: anonymous → the portal's login page; a part the gemeente switched off → 404; NotFound → 404.
    The view finds the client on ``request.portal``."""

    def decorate(view: Callable[P, R]) -> Callable[P, R | HttpResponse]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | HttpResponse:
            request = args[0]
            assert isinstance(request, HttpRequest)
            try:
                client = portal_client_of(request)
            except NotFound:
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return HttpResponseRedirect(reverse("mijn:login") + (f"?{query}" if query else ""))
            if part is not None and not client.part_on(part):
                raise Http404()
            request.portal = client  # type: ignore[attr-defined]  # set for the view by design
            try:
                return view(*args, **kwargs)
            except NotFound:
                raise Http404() from None

        return wrapper

    return decorate


def request_client(request: HttpRequest) -> PortalClient:
    client = getattr(request, "portal", None)
    if not isinstance(client, PortalClient):
        raise NotFound()
    return client


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def own_letter(client: PortalClient, letter_id: int | str) -> Letter:
    letter = Letter.objects.filter(pk=_pk(letter_id), client_file=client.client_file).first()
    if letter is None:
        raise NotFound()
    return letter


def own_upload(client_file: ClientFile, upload_id: int | str) -> PortalUpload:
    upload = PortalUpload.objects.filter(pk=_pk(upload_id), client_file=client_file).first()
    if upload is None:
        raise NotFound()
    return upload


def own_message(client_file: ClientFile, message_id: int | str) -> PortalMessage:
    message = PortalMessage.objects.filter(pk=_pk(message_id), client_file=client_file).first()
    if message is None:
        raise NotFound()
    return message
