"""Four eyes on a PIP: submit, approve (vaststelling with the beschikking letter) and reject. Keyword-only, atomic,
audited in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients import services as client_services
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.deadlines import termijn_for_pip
from openinburgering.clients.models import ClientFile
from openinburgering.clients.workflow import can_transition
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.intakes.choices import Leefgebied, Leerroute
from openinburgering.interop import publish
from openinburgering.interop.duo_handlers import enqueue_pip_registration
from openinburgering.letters.models import LetterKind
from openinburgering.letters.services import create_letter

from .. import selectors
from ..choices import PipEventKind, PipStatus
from ..models import PipAgreement, PipVersion, ProgressTalk
from .common import (
    LETTER_TEMPLATE,
    LETTER_TITLE,
    TEXT_LIMIT,
    _audit,
    _event,
    _text,
    effective_level_label,
    ontzorgen_labels,
)
from .drafts import check_version

# ---------------------------------------------------------------------------------------------------------------
# Four eyes: submit, approve (vaststelling), reject


@transaction.atomic
def submit(*, actor: Actor, client_file: ClientFile, version: PipVersion, via: str = "ui") -> PipVersion:
    if version.status != PipStatus.CONCEPT:
        raise Conflict("Alleen een concept kan ter goedkeuring worden aangeboden.")
    check_version(client_file, version, for_submit=True, current=selectors.current_version(client_file)).raise_if_any()
    version.status = PipStatus.TER_GOEDKEURING
    version.submitted_at = timezone.now()
    version.submitted_by = actor.user
    version.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    _event(version, PipEventKind.SUBMITTED, actor)
    _audit(actor, "pip_submitted", client_file, version, via,
           status={"old": PipStatus.CONCEPT, "new": PipStatus.TER_GOEDKEURING})  # fmt: skip
    return version


def _check_approver(actor: Actor, version: PipVersion, verb: str) -> None:
    if not actor.can(Capability.APPROVE_PIP):
        raise NotFound()
    if version.status != PipStatus.TER_GOEDKEURING:
        raise Conflict(f"Dit PIP is niet ter goedkeuring aangeboden. U kunt het nu niet {verb}.")
    if actor.user.pk in (version.drafted_by_id, version.submitted_by_id):
        message = (
            f"U heeft dit PIP zelf opgesteld of aangeboden. Een andere teamleider moet het {verb} (vier ogen). "
            "Vraag een andere teamleider om dit PIP te beoordelen."
        )
        raise ApplicationError(message, field_errors={"approval": [message]})


@transaction.atomic
def reject(*, actor: Actor, client_file: ClientFile, version: PipVersion, comment: str, via: str = "ui") -> PipVersion:
    """Back to concept with the teamleider's comment (kept in the version's history)."""
    _check_approver(actor, version, "terugsturen")
    text = _text(comment)
    if not text:
        raise ApplicationError(
            "Schrijf op wat er moet veranderen.", field_errors={"comment": ["Schrijf op wat er moet veranderen."]}
        )
    if len(text) > TEXT_LIMIT:
        raise ApplicationError(
            "De opmerking is te lang.", field_errors={"comment": ["Gebruik hoogstens 10.000 tekens."]}
        )
    version.status = PipStatus.CONCEPT
    version.submitted_at = None
    version.submitted_by = None
    version.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    _event(version, PipEventKind.REJECTED, actor, comment=text)
    _audit(actor, "pip_rejected", client_file, version, via,
           status={"old": PipStatus.TER_GOEDKEURING, "new": PipStatus.CONCEPT})  # fmt: skip
    return version


@transaction.atomic
def approve(*, actor: Actor, client_file: ClientFile, version: PipVersion, via: str = "ui") -> PipVersion:
    """Vaststelling by a second person: dagtekening today, the termijn from the first dagtekening (it never
    moves), the previous version vervangen, voortgangsgesprekken planned, the file in traject and the
    beschikking as a PDF. The caller holds the file row lock (access_client_file for_write)."""
    _check_approver(actor, version, "goedkeuren")
    day = core_dates.today()
    current = (
        PipVersion.objects.select_for_update()
        .filter(client_file=client_file, status=PipStatus.VASTGESTELD)
        .exclude(pk=version.pk)
        .first()
    )
    check_version(client_file, version, for_submit=True, dagtekening_on=day, current=current).raise_if_any()
    first = client_file.pip_dagtekening_on is None
    termijn = termijn_for_pip(client_file, dagtekening_on=day)  # with DUO's extension (W 12) for a changed PIP
    now = timezone.now()
    if current is not None:
        current.status = PipStatus.VERVANGEN
        current.save(update_fields=["status", "updated_at"])
        _event(current, PipEventKind.SUPERSEDED, actor, comment=f"Vervangen door versie {version.number}")
        _audit(actor, "pip_superseded", client_file, current, via,
               status={"old": PipStatus.VASTGESTELD, "new": PipStatus.VERVANGEN}, replaced_by=version.pk)  # fmt: skip
    version.status = PipStatus.VASTGESTELD
    version.approved_at = now
    version.approved_by = actor.user
    version.dagtekening_on = day
    version.termijn_start_on = termijn.termijn_start_on
    version.termijn_end_on = termijn.termijn_end_on
    version.save(
        update_fields=["status", "approved_at", "approved_by", "dagtekening_on", "termijn_start_on",
                       "termijn_end_on", "updated_at"]
    )  # fmt: skip
    _event(version, PipEventKind.APPROVED, actor, comment=f"Dagtekening {day:%d-%m-%Y}")
    _audit(actor, "pip_approved", client_file, version, via,
           status={"old": PipStatus.TER_GOEDKEURING, "new": PipStatus.VASTGESTELD},
           dagtekening_on={"old": None, "new": day},
           termijn_end_on={"old": None, "new": termijn.termijn_end_on})  # fmt: skip
    if first:
        # Through the clients service: locked row, audited as client_file_updated, next deadline recomputed.
        client_services.update_client_file(
            actor=actor, client_file=client_file, data={"pip_dagtekening_on": day}, via=via
        )
    talks = [
        ProgressTalk(client_file=client_file, version=version, planned_on=date.fromisoformat(planned), created_at=now)
        for planned in version.progress_talk_dates
    ]
    if talks:
        ProgressTalk.objects.bulk_create(talks)
        _audit(actor, "progress_talks_planned", client_file, version, via,
               planned_on=[talk.planned_on for talk in talks])  # fmt: skip
    # A vastgestelde PIP puts the file in traject; from aangemeld or intake (e.g. vroege start) through the
    # workflow's own steps, so the status history shows each one.
    # Only forward: a file already in `pip` goes straight on (the workflow also allows pip -> intake, a step back).
    forward = (FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.PIP, FileStatus.IN_TRAJECT)
    ahead = forward[forward.index(client_file.status) + 1 :] if client_file.status in forward else ()
    for step in ahead:
        if can_transition(client_file.status, step):
            client_services.change_status(
                actor=actor, client_file=client_file, to_status=step,
                reason=f"PIP versie {version.number} vastgesteld", via=via,
            )  # fmt: skip
    letter = create_letter(
        actor=actor, client_file=client_file, kind=LetterKind.PIP_BESCHIKKING, template_name=LETTER_TEMPLATE,
        context=beschikking_context(client_file, version), subject=version, via=via,
    )  # fmt: skip
    version.beschikking_letter = letter
    version.save(update_fields=["beschikking_letter", "updated_at"])
    publish.beschikking(
        client_file, besluit="pip", subject_id=version.pk, letter=letter, datum=day,
        ingangsdatum=day, toelichting=f"Persoonlijk plan inburgering en participatie, versie "
        f"{version.number}",
    )  # fmt: skip
    client_services.refresh_file_deadline(client_file)  # the voortgangsgesprekken are now planned
    # DUO M2M (#17): the PIP is registered at DUO through the outbox, in this transaction (nothing without a link).
    enqueue_pip_registration(client_file=client_file, version=version)
    return version


def beschikking_context(
    client_file: ClientFile, version: PipVersion, *, dagtekening_on: date | None = None
) -> dict[str, Any]:
    """What the beschikking says, from the version and the rules (termijn W 11, bezwaar Awb 6:7). A preview of
    a concept passes the ``dagtekening_on`` approval would give it (today)."""
    dagtekening_on = dagtekening_on or version.dagtekening_on
    if dagtekening_on is None:  # pragma: no cover - only called for a vastgestelde version or a preview
        raise ValueError("A beschikking needs a dagtekening")
    termijn = termijn_for_pip(client_file, dagtekening_on=dagtekening_on)
    groups: dict[str, list[PipAgreement]] = {}
    health_left_out = False
    for row in version.agreements.order_by("position", "id"):
        # Health data (AVG art. 9) never goes into the letter: it is stored with the file's documents and read by
        # more people than the gezondheid section allows (#12 item 1). The agreements stay in the PIP itself.
        if row.leefgebied == Leefgebied.GEZONDHEID:
            health_left_out = True
            continue
        groups.setdefault(row.get_leefgebied_display(), []).append(row)
    return {
        "title": LETTER_TITLE,
        "reference": f"PIP-{version.number}",
        "version": version,
        "first": version.number == 1,
        "leerroute_label": Leerroute(version.leerroute).label,
        "level_label": effective_level_label(client_file, version),
        "termijn": termijn,
        "bezwaar": rules.bezwaar_termijn(bekendgemaakt_on=dagtekening_on),
        "agreement_groups": sorted(groups.items()),
        "health_agreements_left_out": health_left_out,
        "ontzorgen_items": ontzorgen_labels(version.ontzorgen_items),
        "progress_dates": [date.fromisoformat(value) for value in version.progress_talk_dates],
    }
