"""After vaststelling: the person's response, bezwaren and voortgangsgesprekken. Keyword-only, atomic, audited in the
same transaction."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.clients import services as client_services
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import Conflict
from openinburgering.interop.klantinteracties import register_contact_moment
from openinburgering.letters.selectors import bekendgemaakt_on

from ..choices import BezwaarStatus, ClientAgreement, PipEventKind, PipStatus
from ..models import Bezwaar, PipVersion, ProgressTalk
from .common import TEXT_LIMIT, _audit, _event, _json, _text

# ---------------------------------------------------------------------------------------------------------------
# After vaststelling


@transaction.atomic
def record_client_response(
    *,
    actor: Actor,
    client_file: ClientFile,
    version: PipVersion,
    agreement: str,
    comments: str = "",
    response_on: date | None = None,
    via: str = "ui",
) -> PipVersion:
    if version.status != PipStatus.VASTGESTELD:
        raise Conflict("U kunt de reactie van de persoon alleen vastleggen bij het geldende PIP.")
    errors = FieldErrors()
    if agreement not in (ClientAgreement.EENS, ClientAgreement.DEELS, ClientAgreement.ONEENS):
        errors.add("agreement", "Kies of de persoon het eens, deels eens of niet eens is met het plan.")
    if response_on is None:
        errors.add("response_on", "Vul de datum van de reactie in.")
    elif response_on > core_dates.today():
        errors.add("response_on", "De datum kan niet in de toekomst liggen.")
    elif version.dagtekening_on and response_on < version.dagtekening_on:
        errors.add("response_on", "De datum kan niet voor de dagtekening van het PIP liggen.")
    if len(_text(comments)) > TEXT_LIMIT:
        errors.add("comments", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    old = version.client_agreement
    version.client_agreement = agreement
    version.client_comments = _text(comments)
    version.client_response_on = response_on
    version.save(update_fields=["client_agreement", "client_comments", "client_response_on", "updated_at"])
    _event(version, PipEventKind.CLIENT_RESPONSE, actor, comment=str(ClientAgreement(agreement).label))
    _audit(
        actor, "pip_client_response_recorded", client_file, version, via,
        client_agreement={"old": old, "new": agreement}, client_response_on={"old": None, "new": response_on},
    )  # fmt: skip
    return version


def clean_bezwaar(
    *, received_on: date | None, grounds: str, bekendgemaakt_on: date
) -> tuple[date, str, rules.BezwaarTermijn]:
    """Check a bezwaarschrift against any beschikking (a PIP version, a boete): received date not in the future,
    grounds written; whether it came in time is ``rules.bezwaar_termijn``'s answer (Awb 6:7-6:9)."""
    errors = FieldErrors()
    text = _text(grounds)
    if received_on is None:
        errors.add("received_on", "Vul in wanneer het bezwaar binnenkwam.")
    elif received_on > core_dates.today():
        errors.add("received_on", "De datum kan niet in de toekomst liggen.")
    if not text:
        errors.add("grounds", "Schrijf de gronden van het bezwaar op (waarom de persoon het niet eens is).")
    elif len(text) > TEXT_LIMIT:
        errors.add("grounds", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    assert received_on is not None  # checked above
    return received_on, text, rules.bezwaar_termijn(bekendgemaakt_on=bekendgemaakt_on, received_on=received_on)


@transaction.atomic
def register_bezwaar(
    *,
    actor: Actor,
    client_file: ClientFile,
    version: PipVersion,
    received_on: date | None,
    grounds: str,
    via: str = "ui",
) -> Bezwaar:
    """A bezwaarschrift against one version; whether it came in time is the rules' answer (Awb 6:7-6:9)."""
    if version.dagtekening_on is None:
        raise Conflict("Bezwaar kan alleen tegen een vastgesteld PIP (een besluit met een dagtekening).")
    # The term runs from sending (Awb 6:8, 3:41): the letter's recorded send date, the dagtekening until then.
    bekendgemaakt = bekendgemaakt_on(version.beschikking_letter_id, fallback=version.dagtekening_on)
    received_on, text, term = clean_bezwaar(received_on=received_on, grounds=grounds, bekendgemaakt_on=bekendgemaakt)
    bezwaar = Bezwaar.objects.create(
        version=version, received_on=received_on, term_ends_on=term.term_ends_on, on_time=bool(term.on_time),
        grounds=text, registered_at=timezone.now(), registered_by=actor.user,
    )  # fmt: skip
    _audit(actor, "bezwaar_registered", client_file, bezwaar, via, version=version.pk, received_on=received_on,
           term_ends_on=term.term_ends_on, on_time=bezwaar.on_time)  # fmt: skip
    return bezwaar


@transaction.atomic
def update_bezwaar(
    *,
    actor: Actor,
    client_file: ClientFile,
    bezwaar: Bezwaar,
    status: str,
    decided_on: date | None,
    via: str = "ui",
) -> Bezwaar:
    errors = FieldErrors()
    if status not in BezwaarStatus.values:
        errors.add("status", "Kies een status uit de lijst.")
    elif status == BezwaarStatus.ONTVANGEN:
        decided_on = None
    elif decided_on is None:
        errors.add("decided_on", "Vul de datum van de beslissing in.")
    elif decided_on > core_dates.today():
        errors.add("decided_on", "De datum kan niet in de toekomst liggen.")
    elif decided_on < bezwaar.received_on:
        errors.add("decided_on", "De beslissing kan niet voor de ontvangst van het bezwaar liggen.")
    errors.raise_if_any()
    changes = {
        name: {"old": _json(getattr(bezwaar, name)), "new": _json(new)}
        for name, new in (("status", status), ("decided_on", decided_on))
        if getattr(bezwaar, name) != new
    }
    if changes:
        bezwaar.status = status
        bezwaar.decided_on = decided_on
        bezwaar.save(update_fields=["status", "decided_on"])
        _audit(actor, "bezwaar_updated", client_file, bezwaar, via, **changes)
    return bezwaar


@transaction.atomic
def record_progress_talk(
    *,
    actor: Actor,
    client_file: ClientFile,
    talk: ProgressTalk,
    held_on: date | None,
    summary: str,
    via: str = "ui",
) -> ProgressTalk:
    """A voortgangsgesprek held (W 17.1: the college keeps sight of the progress)."""
    errors = FieldErrors()
    text = _text(summary)
    if held_on is None:
        errors.add("held_on", "Vul in wanneer het gesprek was.")
    elif held_on > core_dates.today():
        errors.add("held_on", "Een gesprek in de toekomst kan nog niet gehouden zijn.")
    if not text:
        errors.add("summary", "Schrijf een kort verslag van het gesprek.")
    elif len(text) > TEXT_LIMIT:
        errors.add("summary", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    changes = {"held_on": {"old": _json(talk.held_on), "new": _json(held_on)}}
    talk.held_on = held_on
    talk.summary = text
    talk.save(update_fields=["held_on", "summary"])
    _audit(actor, "progress_talk_recorded", client_file, talk, via, **changes)
    if held_on is not None:  # a contact moment in the gemeente's contact registry (#17, nothing without a link)
        register_contact_moment(
            client_file=client_file, kind="gesprek", key=f"gesprek:ProgressTalk:{talk.pk}",
            occurred_at=timezone.make_aware(datetime.combine(held_on, time(12))),
            onderwerp="Voortgangsgesprek gehouden",
        )  # fmt: skip
    client_services.refresh_file_deadline(client_file)  # the next voortgangsgesprek becomes the next step
    return talk
