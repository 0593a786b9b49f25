"""Every change the portal makes, by the client or by staff: keyword-only, in one transaction with its audit event.

Client actions are audited with the portal user as ``actor_user`` (no role); staff actions with the actor."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile, Consent, ConsentWithdrawal
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.interop.klantinteracties import register_contact_moment

from . import notifications, selectors
from .access import PortalClient
from .languages import LANGUAGE_CODES
from .models import (
    ClientTask,
    Direction,
    PortalAccount,
    PortalMessage,
    PortalSettings,
    PortalUpload,
    RescheduleRequest,
    RescheduleStatus,
    TaskKind,
    TaskStatus,
    UploadKind,
)
from .signals import PURPOSE_PORTAL

MESSAGE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500
PURPOSE_CASEWORK = "uitvoering Wet inburgering 2021 (regie)"

# Content sniffing (#15 item 6): the first bytes decide the type, never the file name or the browser's claim.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
UPLOAD_TASK = {UploadKind.DIPLOMA: TaskKind.UPLOAD_DIPLOMA, UploadKind.MEDICAL: TaskKind.UPLOAD_MEDICAL}


def _client_event(client: PortalClient, event_type: str, **kwargs: Any) -> None:
    record_event(
        event_type=event_type, purpose=PURPOSE_PORTAL, actor_user=client.account.user,
        client_file=client.client_file, via=kwargs.pop("via", "ui"), **kwargs,
    )  # fmt: skip


def record_client_read(client: PortalClient, event_type: str, *, via: str = "ui", **kwargs: Any) -> None:
    """The client read a part of their own file (audited like any read)."""
    _client_event(client, event_type, via=via, **kwargs)


@transaction.atomic
def set_language(*, account: PortalAccount, language: str) -> PortalAccount:
    if language not in LANGUAGE_CODES:
        raise ApplicationError(
            _("Kies een taal uit de lijst."), field_errors={"language": [_("Kies een taal uit de lijst.")]}
        )
    old = account.language
    if old != language:
        account.language = language
        account.save(update_fields=["language"])
        client_file = selectors.file_for_bsn(account.bsn)
        record_event(
            event_type="portal_language_changed", purpose=PURPOSE_PORTAL, actor_user=account.user,
            client_file=client_file, subject=account, changes={"language": {"old": old, "new": language}},
        )  # fmt: skip
    return account


def sniff(head: bytes) -> str | None:
    return next((content_type for magic, content_type in MAGIC if head.startswith(magic)), None)


@transaction.atomic
def upload_document(*, client: PortalClient, kind: str, uploaded: UploadedFile[Any], max_bytes: int) -> PortalUpload:
    """Store a diploma or medical statement: type from the content, a size limit, outside the web root; an open
    upload task of that kind is done; the upload waits on the klantregisseur's worklist (seen_at empty)."""
    if kind not in UploadKind.values:
        raise ApplicationError(
            _("Kies wat voor document het is."), field_errors={"kind": [_("Kies wat voor document het is.")]}
        )
    size = uploaded.size or 0
    if size == 0:
        raise ApplicationError(_("Het bestand is leeg."), field_errors={"file": [_("Het bestand is leeg.")]})
    if size > max_bytes:
        message = _("Het bestand is te groot. Het mag maximaal %(mb)s MB zijn.") % {"mb": max_bytes // (1024 * 1024)}
        raise ApplicationError(message, field_errors={"file": [message]})
    uploaded.seek(0)
    content_type = sniff(uploaded.read(16))
    if content_type is None:
        message = _("Dit soort bestand kunnen wij niet aannemen. Stuur een PDF, JPG of PNG.")
        raise ApplicationError(message, field_errors={"file": [message]})
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[content_type]
    now = timezone.now()
    upload = PortalUpload(
        client_file=client.client_file, kind=kind, content_type=content_type, size=size, sha256=digest.hexdigest(),
        uploaded_by=client.account.user, uploaded_at=now,
    )  # fmt: skip
    # The stored name is ours (no client file name: it may carry personal data or path tricks).
    upload.file.save(f"{kind}-{digest.hexdigest()[:16]}.{extension}", uploaded, save=False)
    upload.save()
    ClientTask.objects.filter(
        client_file=client.client_file, kind=UPLOAD_TASK[UploadKind(kind)], status=TaskStatus.OPEN
    ).update(status=TaskStatus.DONE, done_at=now)
    _client_event(client, "portal_upload_received", subject=upload, changes={"kind": {"old": None, "new": kind}})
    return upload


@transaction.atomic
def send_message(*, client: PortalClient, body: str) -> PortalMessage:
    text = (body or "").strip()
    if not text:
        raise ApplicationError(_("Schrijf eerst uw bericht."), field_errors={"body": [_("Schrijf eerst uw bericht.")]})
    if len(text) > MESSAGE_MAX_LENGTH:
        message = _("Uw bericht is te lang. Gebruik maximaal %(max)s tekens.") % {"max": MESSAGE_MAX_LENGTH}
        raise ApplicationError(message, field_errors={"body": [message]})
    sent = PortalMessage.objects.create(
        client_file=client.client_file, direction=Direction.FROM_CLIENT, body=text, sender=client.account.user,
        sent_at=timezone.now(),
    )  # fmt: skip
    _client_event(client, "portal_message_submitted", subject=sent)
    register_contact_moment(  # #17: a contact moment in the gemeente's contact registry, when it has one
        client_file=client.client_file, kind="portaalbericht", key=f"portaalbericht:PortalMessage:{sent.pk}",
        occurred_at=sent.sent_at, from_client=True,
    )  # fmt: skip
    return sent


@transaction.atomic
def mark_read_by_client(*, client: PortalClient) -> int:
    """Read receipts: the gemeente's messages the client now sees."""
    return PortalMessage.objects.filter(
        client_file=client.client_file, direction=Direction.TO_CLIENT, read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def request_reschedule(
    *, client: PortalClient, kind: str, appointment_id: int, reason: str, as_of: date
) -> RescheduleRequest:
    appointment = selectors.find_appointment(client.client_file, kind, appointment_id, as_of=as_of)
    if appointment is None:
        raise NotFound()
    text = (reason or "").strip()
    if not text:
        raise ApplicationError(
            _("Schrijf waarom u niet kunt."), field_errors={"reason": [_("Schrijf waarom u niet kunt.")]}
        )
    if len(text) > REASON_MAX_LENGTH:
        message = _("Uw uitleg is te lang. Gebruik maximaal %(max)s tekens.") % {"max": REASON_MAX_LENGTH}
        raise ApplicationError(message, field_errors={"reason": [message]})
    if appointment.is_past:
        message = _("Deze afspraak is al geweest.")
        raise ApplicationError(message, field_errors={"reason": [message]})
    if appointment.reschedule_open:
        message = _("U heeft al gevraagd om deze afspraak te verzetten.")
        raise ApplicationError(message, field_errors={"reason": [message]})
    request = RescheduleRequest.objects.create(
        client_file=client.client_file, kind=kind, appointment_id=appointment_id, reason=text,
        requested_at=timezone.now(),
    )  # fmt: skip
    _client_event(client, "portal_reschedule_requested", subject=request)
    return request


@transaction.atomic
def withdraw_consent(*, client: PortalClient, consent_id: int | str) -> ConsentWithdrawal:
    """The client withdraws a consent: effective at once (clients.access reads only standing consents)."""
    try:
        pk = int(consent_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    consent = (
        # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the withdrawal.
        Consent.objects.select_for_update(of=("self",))
        .filter(pk=pk, client_file=client.client_file, withdrawal__isnull=True)
        .first()
    )
    if consent is None or (consent.person_id not in (None, client.client_file.person_id)):
        raise NotFound()
    withdrawal = ConsentWithdrawal.objects.create(
        consent=consent, withdrawn_on=timezone.localdate(), recorded_by=client.account.user, recorded_at=timezone.now()
    )
    _client_event(
        client, "portal_consent_revoked", subject=consent, changes={"purpose": {"old": consent.purpose, "new": None}}
    )
    return withdrawal


# --- Staff side ------------------------------------------------------------------------------------------------


def record_staff_read(
    *, actor: Actor, client_file: ClientFile, event_type: str, subject: Any = None, via: str = "ui"
) -> None:
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE_CASEWORK, client_file=client_file, subject=subject, via=via
    )


@transaction.atomic
def mark_read_by_staff(*, actor: Actor, client_file: ClientFile) -> int:
    """The klantregisseur opened the portal page: the client's messages are read (the client sees the receipt)."""
    count = PortalMessage.objects.filter(
        client_file=client_file, direction=Direction.FROM_CLIENT, read_at__isnull=True
    ).update(read_at=timezone.now())
    if count:
        record_event(
            actor=actor, event_type="portal_messages_read", purpose=PURPOSE_CASEWORK, client_file=client_file,
            changes={"count": {"old": None, "new": count}},
        )  # fmt: skip
    return count


@transaction.atomic
def answer_message(*, actor: Actor, client_file: ClientFile, body: str) -> PortalMessage:
    text = (body or "").strip()
    if not text:
        raise ApplicationError("Schrijf eerst het antwoord.", field_errors={"body": ["Schrijf eerst het antwoord."]})
    if len(text) > MESSAGE_MAX_LENGTH:
        message = f"Het antwoord is te lang. Gebruik maximaal {MESSAGE_MAX_LENGTH} tekens."
        raise ApplicationError(message, field_errors={"body": [message]})
    answer = PortalMessage.objects.create(
        client_file=client_file, direction=Direction.TO_CLIENT, body=text, sender=actor.user, sent_at=timezone.now()
    )
    record_event(actor=actor, event_type="portal_message_answered", purpose=PURPOSE_CASEWORK, client_file=client_file,
                 subject=answer)  # fmt: skip
    # A notice without content by e-mail (or SMS), through the outbox in this transaction.
    notifications.queue_notice(client_file=client_file, about=notifications.MESSAGE, object_id=answer.pk)
    register_contact_moment(  # #17: a contact moment in the gemeente's contact registry, when it has one
        client_file=client_file, kind="portaalbericht", key=f"portaalbericht:PortalMessage:{answer.pk}",
        occurred_at=answer.sent_at,
    )  # fmt: skip
    return answer


@transaction.atomic
def handle_reschedule(*, actor: Actor, client_file: ClientFile, request_id: int | str) -> RescheduleRequest:
    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    request = RescheduleRequest.objects.select_for_update().filter(pk=pk, client_file=client_file).first()
    if request is None:
        raise NotFound()
    if request.status == RescheduleStatus.HANDLED:
        raise ApplicationError("Dit verzoek is al afgehandeld.")
    request.status = RescheduleStatus.HANDLED
    request.handled_at = timezone.now()
    request.handled_by = actor.user
    request.save(update_fields=["status", "handled_at", "handled_by"])
    record_event(actor=actor, event_type="portal_reschedule_handled", purpose=PURPOSE_CASEWORK,
                 client_file=client_file, subject=request)  # fmt: skip
    return request


@transaction.atomic
def read_upload(*, actor: Actor, client_file: ClientFile, upload: PortalUpload) -> PortalUpload:
    """Staff open an upload: audited as a read of the documents (the client sees it under "wie heeft bekeken")."""
    if upload.seen_at is None:
        upload.seen_at = timezone.now()
        upload.seen_by = actor.user
        upload.save(update_fields=["seen_at", "seen_by"])
    record_event(actor=actor, event_type="portal_upload_read", purpose=PURPOSE_CASEWORK, client_file=client_file,
                 subject=upload)  # fmt: skip
    return upload


@transaction.atomic
def save_settings(*, actor: Actor, gemeente: Gemeente, data: dict[str, bool]) -> PortalSettings:
    current = PortalSettings.objects.select_for_update().filter(gemeente=gemeente).first() or PortalSettings(
        gemeente=gemeente
    )
    fields = ("plan_on", "appointments_on", "documents_on", "messages_on", "access_log_on", "show_staff_names")
    changes = {
        name: {"old": getattr(current, name), "new": bool(data.get(name))}
        for name in fields
        if getattr(current, name) != bool(data.get(name))
    }
    for name in fields:
        setattr(current, name, bool(data.get(name)))
    current.updated_at = timezone.now()
    current.save()
    key = selectors.settings_cache_key(gemeente.pk)
    cache.delete(key)  # this transaction reads the new settings from here on
    transaction.on_commit(lambda: cache.delete(key))  # and nobody keeps settings read before the commit
    record_event(actor=actor, event_type="portal_settings_changed", purpose=PURPOSE_CASEWORK, subject=current,
                 changes=changes)  # fmt: skip
    return current
