"""Notices without content (#15 item 7): kim's answer and a new letter queue one notice through the outbox in the
same transaction; delivery e-mails the client in their language without the content; without an e-mail address
the SMS is SIMULATED (logged, no gateway); no portal account or no address: nothing is queued."""

from __future__ import annotations

import logging

from django.core import mail

from openinburgering.audit.models import AuditEvent
from openinburgering.interop.models import OutboxMessage
from openinburgering.interop.outbox import deliver
from openinburgering.letters.models import Letter
from openinburgering.mijn.models import PortalAccount
from openinburgering.mijn.notifications import KIND, LETTER, queue_notice


def answer(login, client_file, body="Uw diploma is goedgekeurd, tot dinsdag."):
    return login("kim").post(f"/dossiers/{client_file.pk}/portaal/antwoord/", {"body": body})


def test_an_answer_e_mails_a_notice_without_its_content_in_the_client_s_language(portal, login):
    client, client_file = portal(email="amal@example.org")
    client.post("/mijn/taal/", {"language": "ar", "next": "/mijn/"})
    mail.outbox.clear()
    assert answer(login, client_file).status_code == 302
    message = OutboxMessage.objects.get(kind=KIND)
    assert message.client_file_id == client_file.pk
    assert "amal@example.org" not in str(message.payload)  # the address is read at delivery, not copied
    assert AuditEvent.objects.filter(event_type="portal_notification_queued", client_file=client_file).count() == 1
    assert deliver(message.pk) == "sent"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["amal@example.org"]
    assert "Uw diploma" not in sent.body
    assert "goedgekeurd" not in sent.subject + sent.body
    assert "لديك رسالة جديدة من بلديتك" in sent.body  # Arabic, the language of her account
    message.refresh_from_db()
    assert message.progress == {"channel": "email"}
    assert deliver(message.pk) is None  # sent once; a second attempt does nothing


def test_a_new_letter_queues_one_notice(portal):
    _client, client_file = portal(email="amal@example.org")
    letter = Letter.objects.filter(client_file=client_file).first()
    assert OutboxMessage.objects.filter(kind=KIND).count() == 0  # the beschikking came before the portal login
    queue_notice(client_file=client_file, about=LETTER, object_id=letter.pk)
    queue_notice(client_file=client_file, about=LETTER, object_id=letter.pk)
    assert OutboxMessage.objects.filter(kind=KIND, key=f"{KIND}.brief.{letter.pk}").count() == 1
    mail.outbox.clear()
    deliver(OutboxMessage.objects.get(kind=KIND).pk)
    assert "nieuwe brief" in mail.outbox[0].body


def test_a_letter_made_after_the_portal_login_queues_a_notice(portal, staff):
    _client, client_file = portal(email="amal@example.org")
    letter = Letter.objects.filter(client_file=client_file).first()
    copy = Letter.objects.create(**{
        field.name: getattr(letter, field.name)
        for field in Letter._meta.concrete_fields
        if field.name not in ("id", "sha256")
    }, sha256="1" * 64)  # fmt: skip
    assert OutboxMessage.objects.filter(kind=KIND, key=f"{KIND}.brief.{copy.pk}").count() == 1


def test_without_an_e_mail_address_the_sms_is_simulated(portal, login, caplog):
    _client, client_file = portal(email="", phone="0612345678")
    answer(login, client_file)
    message = OutboxMessage.objects.get(kind=KIND)
    mail.outbox.clear()
    with caplog.at_level(logging.INFO, logger="openinburgering.mijn.notifications"):
        assert deliver(message.pk) == "sent"
    assert mail.outbox == []
    assert "SIMULATED SMS" in caplog.text
    assert "0612345678" not in caplog.text
    message.refresh_from_db()
    assert message.progress == {"channel": "sms-simulated"}


def test_nothing_is_queued_without_an_address_or_a_portal_account(portal, portal_file, login):
    _client, client_file = portal(email="", phone="")
    answer(login, client_file)
    never_logged_in = portal_file(email="yonas@example.org")
    assert not PortalAccount.objects.filter(bsn=never_logged_in.person.bsn).exists()
    answer(login, never_logged_in)
    assert OutboxMessage.objects.filter(kind=KIND).count() == 0
