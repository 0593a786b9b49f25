"""Letters as real PDFs: a Django template rendered to HTML, then to PDF by WeasyPrint, stored insert-only.

Every letter is written in plain Dutch (B1) from templates under ``templates/letters/``; the person's language is
noted on the letter and in the file so a klantregisseur can arrange a translation or an interpreter.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente
from openinburgering.accounts.roles import Capability, RoleCode
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.clients.models import ClientFile, Person
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.interop import publish

from .models import Channel, Letter, LetterDispatch, LetterKind, LetterSettings, PrintBatch
from .payment import iban_problem, normalize_iban


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a letter template to PDF bytes. Static files (the letter stylesheet) are read from disk."""
    from weasyprint import HTML  # imported here: loading WeasyPrint (Pango) costs time on every start

    html = render_to_string(template_name, context)
    # PDF/UA-1: a tagged PDF with its language (<html lang="nl">) and title (<title>), for screen readers.
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
    if not isinstance(pdf, bytes):  # pragma: no cover - write_pdf() without a target always returns bytes
        raise TypeError("WeasyPrint returned no PDF")
    return pdf


def language_note(person: Person) -> str:
    """What the letter says about the person's language and interpreter, for the reader and the file."""
    parts = []
    if person.languages:
        parts.append(f"Talen: {person.languages}")
    if person.interpreter_needed:
        parts.append(f"tolk nodig in het {person.interpreter_language or 'onbekend'}")
    return "; ".join(parts)


def letter_context(
    *, actor: Actor, client_file: ClientFile, context: dict[str, Any], now: Any = None
) -> dict[str, Any]:
    """The common parts of every letter (gemeente, its contact and bezwaar details, person, date, language,
    sender) around the letter's own ``context``."""
    moment = now or timezone.now()
    return {
        "gemeente": client_file.gemeente,
        "letter_settings": letter_settings_of(client_file.gemeente),
        "person": client_file.person,
        "client_file": client_file,
        "sent_on": timezone.localdate(moment),
        "language_note": language_note(client_file.person),
        "sender": actor.user,
        "sender_role": RoleCode(actor.role_code).label if actor.role_code in RoleCode.values else "Medewerker",
        **context,
    }


def render_letter(*, actor: Actor, client_file: ClientFile, template_name: str, context: dict[str, Any]) -> bytes:
    """The letter as PDF bytes, not stored (a preview such as the CONCEPT of a PIP beschikking)."""
    return render_pdf(template_name, letter_context(actor=actor, client_file=client_file, context=context))


@transaction.atomic
def create_letter(
    *,
    actor: Actor,
    client_file: ClientFile,
    kind: LetterKind | str,
    template_name: str,
    context: dict[str, Any],
    subject: Any = None,
    via: str = "ui",
) -> Letter:
    """Render the letter, store it with its SHA-256 and audit it, in the caller's transaction.

    ``context`` is the letter's own content; the common parts (gemeente, person, address, date, language) are
    added here. ``subject`` is the object the letter is about (an oproep, a PIP version)."""
    now = timezone.now()
    full_context = letter_context(actor=actor, client_file=client_file, context=context, now=now)
    person = client_file.person
    note = full_context["language_note"]
    pdf = render_pdf(template_name, full_context)
    letter = Letter.objects.create(
        client_file=client_file,
        kind=str(kind),
        title=str(full_context.get("title") or LetterKind(str(kind)).label),
        recipient_name=person.full_name,
        language_note=note,
        content=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        subject_type=subject._meta.model_name if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        created_at=now,
        created_by=actor.user,
    )
    record_event(
        actor=actor, event_type="letter_created", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=letter, changes={"kind": {"old": None, "new": letter.kind}}, via=via,
    )  # fmt: skip
    publish.letter_created(letter)  # a document of the Zaak (outbox, this transaction)
    return letter


def record_letter_read(*, actor: Actor, letter: Letter, via: str = "ui") -> None:
    record_event(
        actor=actor, event_type="letter_read", purpose=PURPOSE_CASEWORK, client_file=letter.client_file,
        subject=letter, via=via,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# The gemeente's letter settings: contact, bezwaar address, IBAN (issue #11 item 7)

SETTINGS_FIELDS = (
    "team_name", "phone", "email", "contact_hours", "postal_address", "visiting_address", "bezwaar_address",
    "iban", "iban_name",
)  # fmt: skip
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*$")


def letter_settings_of(gemeente: Gemeente) -> LetterSettings:
    """The gemeente's letter settings (unsaved and empty when never set: the letters print their fallbacks)."""
    return LetterSettings.objects.filter(gemeente=gemeente).first() or LetterSettings(gemeente=gemeente)


def check_letter_settings(data: Mapping[str, Any]) -> dict[str, str]:
    """The settings cleaned (trimmed, IBAN without spaces), or ApplicationError with Dutch field errors."""
    errors = FieldErrors()
    clean: dict[str, str] = {}
    for name in SETTINGS_FIELDS:
        raw = data.get(name)
        value = "\n".join(line.strip() for line in str(raw).strip().splitlines()) if raw is not None else ""
        limit = getattr(LetterSettings._meta.get_field(name), "max_length", None)
        if limit is not None and len(value) > limit:
            errors.add(name, f"Gebruik hoogstens {limit} tekens.")
        clean[name] = value
    phone = clean["phone"]
    digits = sum(char.isdigit() for char in phone)
    if phone and (not _PHONE.match(phone) or not 5 <= digits <= 15):
        errors.add("phone", "Vul een telefoonnummer in met cijfers en spaties, bijvoorbeeld 14 023 of 023 511 51 15.")
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors.add("email", "Vul een e-mailadres in zoals inburgering@gemeente.nl.")
    if clean["iban"]:
        problem = iban_problem(clean["iban"])
        if problem:
            errors.add("iban", problem)
        else:
            clean["iban"] = normalize_iban(clean["iban"])
    for name in ("phone", "email", "contact_hours", "team_name", "iban_name"):
        if "\n" in clean[name]:
            errors.add(name, "Gebruik hier één regel.")
    errors.raise_if_any()
    return clean


@transaction.atomic
def update_letter_settings(*, actor: Actor, data: Mapping[str, Any], via: str = "ui") -> LetterSettings:
    """The functioneel beheerder sets what every letter of the gemeente prints: contact, bezwaar address, IBAN.
    Audited as ``letter_settings_changed`` with the old and new value of each changed field."""
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()
    clean = check_letter_settings(data)
    current, _created = LetterSettings.objects.select_for_update().get_or_create(gemeente=actor.gemeente)
    changes = {
        name: {"old": getattr(current, name) or None, "new": value or None}
        for name, value in clean.items()
        if getattr(current, name) != value
    }
    for name, value in clean.items():
        setattr(current, name, value)
    current.updated_at = timezone.now()
    current.updated_by = actor.user
    current.save()
    record_event(
        actor=actor, event_type="letter_settings_changed", purpose=PURPOSE_CASEWORK, subject=current,
        changes=changes, via=via,
    )  # fmt: skip
    return current


# ---------------------------------------------------------------------------------------------------------------
# Sending (#17 item 6): a channel and a send date per letter; legal terms run from the send date.


def _check_sent_on(sent_on: date | None, letter_dates: list[date]) -> date:
    errors = FieldErrors()
    if sent_on is None:
        errors.add("sent_on", "Vul de verzenddatum in.")
    elif sent_on > today() + timedelta(days=7):
        errors.add("sent_on", "De verzenddatum ligt te ver in de toekomst (hoogstens een week).")
    elif any(sent_on < made for made in letter_dates):
        errors.add("sent_on", "De verzenddatum kan niet voor de datum van de brief liggen.")
    errors.raise_if_any()
    assert sent_on is not None  # checked above
    return sent_on


def _may_send(actor: Actor, client_file: ClientFile) -> None:
    from openinburgering.accounts.sections import Section
    from openinburgering.clients.access import access_section

    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    access_section(actor, client_file, Section.DOCUMENTEN, write=True)


@transaction.atomic
def record_sent(*, actor: Actor, letter: Letter, channel: str, sent_on: date | None, via: str = "ui") -> LetterDispatch:
    """Records that a letter was sent by ``channel`` on ``sent_on`` (once; a letter sent twice is a Conflict).
    Portaal: an e-mail tells the person a letter is waiting in Mijn Inburgering; digitaal: the letter goes to the
    gemeente's digital-post channel. Both through the outbox in this transaction. Post goes in a print batch
    (``create_print_batch``)."""

    client_file = letter.client_file
    _may_send(actor, client_file)
    if channel not in (Channel.PORTAAL, Channel.DIGITAAL):
        message = "Kies hoe de brief verstuurd is: in Mijn Inburgering of digitaal. Per post gaat via een printbatch."
        raise ApplicationError(message, field_errors={"channel": [message]})
    if channel == Channel.PORTAAL and not client_file.person.email:
        message = "Van deze persoon is geen e-mailadres bekend. Kies een ander kanaal of vul eerst het e-mailadres in."
        raise ApplicationError(message, field_errors={"channel": [message]})
    if channel == Channel.DIGITAAL and not publish.has_digital_post(client_file.gemeente):
        message = "De gemeente heeft geen kanaal voor digitale post ingesteld. Kies een ander kanaal."
        raise ApplicationError(message, field_errors={"channel": [message]})
    day = _check_sent_on(sent_on, [timezone.localdate(letter.created_at)])
    if LetterDispatch.objects.select_for_update().filter(letter=letter).exists():
        raise Conflict("Deze brief is al verstuurd.")
    dispatch = LetterDispatch.objects.create(
        letter=letter, channel=channel, sent_on=day, recorded_at=timezone.now(), recorded_by=actor.user
    )
    publish.letter_sent(letter, dispatch)
    record_event(
        actor=actor, event_type="letter_dispatch_recorded", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=letter,
        changes={"channel": {"old": None, "new": channel}, "sent_on": {"old": None, "new": day.isoformat()}},
        via=via,
    )  # fmt: skip
    return dispatch


@transaction.atomic
def create_print_batch(*, actor: Actor, letter_ids: list[int], sent_on: date | None, via: str = "ui") -> PrintBatch:
    """Puts not-yet-sent letters of the actor's gemeente in one print batch that goes to the post on ``sent_on``:
    each letter is recorded sent by post on that day. All or nothing."""
    if not letter_ids:
        message = "Kies de brieven die in de printbatch gaan."
        raise ApplicationError(message, field_errors={"letters": [message]})
    letters = list(
        Letter.objects.select_for_update(of=("self",))
        .select_related("client_file", "client_file__person")
        .filter(pk__in=letter_ids, client_file__gemeente_id=actor.gemeente_id)
        .defer("content")
        .order_by("pk")
    )
    if len(letters) != len(set(letter_ids)):
        raise NotFound()
    for letter in letters:
        _may_send(actor, letter.client_file)
    day = _check_sent_on(sent_on, [timezone.localdate(letter.created_at) for letter in letters])
    if LetterDispatch.objects.filter(letter__in=letters).exists():
        raise Conflict("Een of meer van deze brieven zijn al verstuurd. Vernieuw de lijst.")
    now = timezone.now()
    batch = PrintBatch.objects.create(gemeente=actor.gemeente, sent_on=day, created_at=now, created_by=actor.user)
    dispatches = LetterDispatch.objects.bulk_create(
        LetterDispatch(letter=letter, channel=Channel.POST, sent_on=day, batch=batch, recorded_at=now,
                       recorded_by=actor.user)
        for letter in letters
    )  # fmt: skip
    for dispatch in dispatches:
        publish.letter_sent(dispatch.letter, dispatch)  # a contact moment per letter (outbox, this transaction)
    record_events(
        actor=actor, event_type="letter_print_batch_created", purpose=PURPOSE_CASEWORK, via=via,
        subjects=[
            EventSubject(actor.gemeente_id, letter.client_file_id, "letter", str(letter.pk),
                         {"channel": {"old": None, "new": "post"}, "sent_on": {"old": None, "new": day.isoformat()},
                          "batch": {"old": None, "new": batch.pk}})
            for letter in letters
        ],
    )  # fmt: skip
    return batch


def print_batch_export(*, actor: Actor, batch: PrintBatch, via: str = "ui") -> bytes:
    """The batch for the print-and-mail service: a ZIP with each letter's PDF and ``adressen.csv`` (file name,
    name and postal address per letter). Audited per letter (it holds names and addresses)."""
    import csv
    import io
    import zipfile

    dispatches = list(
        LetterDispatch.objects.filter(batch=batch)
        .select_related("letter", "letter__client_file", "letter__client_file__person")
        .order_by("letter_id")
    )
    buffer = io.BytesIO()
    rows = io.StringIO()
    writer = csv.writer(rows, delimiter=";")
    writer.writerow(["bestand", "naam", "straat_huisnummer", "postcode", "woonplaats", "verzenddatum"])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for dispatch in dispatches:
            letter = dispatch.letter
            person = letter.client_file.person
            archive.writestr(letter.filename, bytes(letter.content))
            writer.writerow([letter.filename, letter.recipient_name, f"{person.street} {person.house_number}".strip(),
                             person.postcode, person.city, dispatch.sent_on.isoformat()])  # fmt: skip
        archive.writestr("adressen.csv", rows.getvalue())
    record_events(
        actor=actor, event_type="letter_print_batch_downloaded", purpose=PURPOSE_CASEWORK, via=via,
        subjects=[EventSubject(actor.gemeente_id, d.letter.client_file_id, "letter", str(d.letter_id))
                  for d in dispatches],
    )  # fmt: skip
    return buffer.getvalue()


def record_unsent_listed(*, actor: Actor, via: str = "ui") -> None:
    record_event(actor=actor, event_type="letters_unsent_listed", purpose=PURPOSE_CASEWORK, via=via)
