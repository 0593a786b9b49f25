"""Letters as real PDFs: a Django template rendered to HTML, then to PDF by WeasyPrint, stored insert-only.

Every letter is written in plain Dutch (B1) from templates under ``templates/letters/``; the person's language is
noted on the letter and in the file so a klantregisseur can arrange a translation or an interpreter.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
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
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile, Person
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.errors import NotFound

from .models import Letter, LetterKind, LetterSettings
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
