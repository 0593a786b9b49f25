"""Letters as real PDFs: a Django template rendered to HTML, then to PDF by WeasyPrint, stored insert-only.

Every letter is written in plain Dutch (B1) from templates under ``templates/letters/``; the person's language is
noted on the letter and in the file so a klantregisseur can arrange a translation or an interpreter.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import RoleCode
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile, Person
from openinburgering.clients.services import PURPOSE_CASEWORK

from .models import Letter, LetterKind


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a letter template to PDF bytes. Static files (the letter stylesheet) are read from disk."""
    from weasyprint import HTML  # imported here: loading WeasyPrint (Pango) costs time on every start

    html = render_to_string(template_name, context)
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
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
    person = client_file.person
    now = timezone.now()
    note = language_note(person)
    full_context = {
        "gemeente": client_file.gemeente,
        "person": person,
        "client_file": client_file,
        "sent_on": timezone.localdate(now),
        "language_note": note,
        "sender": actor.user,
        "sender_role": RoleCode(actor.role_code).label if actor.role_code in RoleCode.values else "Medewerker",
        **context,
    }
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
