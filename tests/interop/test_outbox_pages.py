"""The functioneel beheerder's page of outgoing messages: who may see it, what it shows, retrying a message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.models import AuditEvent
from openinburgering.interop import outbox
from openinburgering.interop.models import OutboxMessage, OutboxState

from .conftest import TEST_KIND, Receiver

pytestmark = pytest.mark.django_db

URL = "/koppelingen/berichten/"


def _message(gemeente: Gemeente, key: str, state: str = OutboxState.PENDING, error: str = "") -> OutboxMessage:
    return OutboxMessage.objects.create(
        gemeente=gemeente, kind=TEST_KIND, key=key, payload={"bsn": "999993653"}, state=state, last_error=error,
        attempts=outbox.MAX_ATTEMPTS if state == OutboxState.FAILED else 1,
        sent_at=timezone.now() if state == OutboxState.SENT else None,
    )  # fmt: skip


def test_the_url_is_the_named_route() -> None:
    assert reverse("interop:outbox") == URL


def test_fenna_sees_the_open_messages_of_her_gemeente_failed_first_without_payload(
    receiver: Receiver, login: Callable[..., Client], haarlem: Gemeente
) -> None:
    zandvoort = Gemeente.objects.get(code="GM0473")
    _message(haarlem, "a", OutboxState.PENDING)
    _message(haarlem, "b", OutboxState.FAILED, error="Zaak aanmaken mislukt: HTTP 503.")
    _message(haarlem, "c", OutboxState.SENT)
    _message(zandvoort, "d", OutboxState.FAILED, error="Andere gemeente.")

    response = login("fenna").get(URL)

    assert response.status_code == 200
    rows = list(response.context["rows"])
    assert [row["message"].key for row in rows] == ["b", "a"]
    assert response.context["counts"] == {"pending": 1, "sending": 0, "sent": 1, "failed": 1}
    html = response.content.decode()
    assert "Zaak aanmaken mislukt: HTTP 503." in html
    assert "Andere gemeente." not in html
    assert "999993653" not in html
    assert "Testbericht" in html
    assert AuditEvent.objects.filter(event_type="integration_outbox_viewed", actor__username="fenna").count() == 1


@pytest.mark.parametrize("username", ["kim", "tamara", "frank"])
def test_roles_without_manage_integrations_get_404_and_nothing_is_logged(
    username: str, login: Callable[..., Client]
) -> None:
    response = login(username).get(URL)

    assert response.status_code == 404
    assert AuditEvent.objects.filter(event_type="integration_outbox_viewed").count() == 0


def test_anonymous_goes_to_the_login_page(db: object) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert "/account/" in response["Location"]


def test_retry_puts_a_failed_message_back_in_the_queue_and_it_is_delivered(
    receiver: Receiver, login: Callable[..., Client], haarlem: Gemeente
) -> None:
    message = _message(haarlem, "b", OutboxState.FAILED, error="HTTP 503.")

    response = login("fenna").post(reverse("interop:outbox-retry", args=[message.pk]))

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING
    assert message.attempts == 0
    event = AuditEvent.objects.get(event_type="integration_message_retried")
    assert event.subject_id == str(message.pk)
    assert event.changes == {"state": {"old": "failed", "new": "pending"}}
    assert outbox.sweep() == 1
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert receiver.confirmed == ["b"]


def test_retry_of_a_sent_message_says_why_not(
    receiver: Receiver, login: Callable[..., Client], haarlem: Gemeente
) -> None:
    message = _message(haarlem, "c", OutboxState.SENT)

    response = login("fenna").post(reverse("interop:outbox-retry", args=[message.pk]), follow=True)

    assert "al verzonden" in response.content.decode()
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert AuditEvent.objects.filter(event_type="integration_message_retried").count() == 0


def test_retry_of_another_gemeentes_message_or_by_another_role_is_404(
    receiver: Receiver, login: Callable[..., Client], haarlem: Gemeente
) -> None:
    other = _message(Gemeente.objects.get(code="GM0473"), "d", OutboxState.FAILED)
    own = _message(haarlem, "e", OutboxState.FAILED)

    assert login("fenna").post(reverse("interop:outbox-retry", args=[other.pk])).status_code == 404
    assert login("kim").post(reverse("interop:outbox-retry", args=[own.pk])).status_code == 404
    assert login("fenna").get(reverse("interop:outbox-retry", args=[own.pk])).status_code == 405
    other.refresh_from_db()
    own.refresh_from_db()
    assert (other.state, own.state) == (OutboxState.FAILED, OutboxState.FAILED)
    assert AuditEvent.objects.filter(event_type="integration_message_retried").count() == 0
