"""MAP and PVT to DUO (MAP, PVT en Z-route API 1.0.0, ``PUT /personen/{bsn}/map`` and ``/pvt``) through the outbox
(``duo.map``, ``duo.pvt``).

What DUO takes: for the MAP the **datum eindgesprek MAP** (``ResultaatMap.datumEindgesprekMap``), for the PVT the
**datum ondertekening PVT** (``ResultaatPvt.datumOndertekeningPvt``), each with ``verwijtbaar`` (Ja/Nee) only when the
termijn was exceeded. DUO has **no** operation for hours spent on the MAP or the PVT, nor for the hours of a duaal
traject (its GevolgdeUren API has three kinds only: brede intake taalles/KNM, participatieactiviteiten for the
Z-route and taalles in the leerroute); see ``duo_uren`` for where MAP and PVT hours do count (Besluit art. 3.14
lid 5) and docs/interop.md for the evidence.

Where the dates come from: the gemeente's own record of what was achieved (``handhaving.Achievement`` kinds ``map``
and ``pvt``: the eindgesprek is held by the college, B 3.2 lid 2; the college registers the signing, B 3.1 lid 4).
A provider's milestone ("PVT ondertekend", "MAP klaar voor het eindgesprek") is a signal to the klantregisseur, not
the fact DUO is told. The date sent is the earliest recorded one of that kind, as the voldaan check reads it
(``handhaving.services.achieved_so_far``).

When and how:

- ``report_resultaat`` runs in the transaction that records the achievement and queues the date when it differs
  from the last date queued for that file and kind. The key is ``duo.<kind>:<file>:<date>``: the same date twice is
  one message; an earlier date recorded later is a new message, which DUO takes as a correction (PUT replaces the
  whole resource: "Bij een wijziging moet de datum ... eerder door uw gemeente zijn geleverd").
- The handler skips a message that a newer one for the same file and kind replaces, waits (retried with backoff)
  while the file's PIP registration is still in the outbox or DUO knows no termijn yet (DUO: "Uw gemeente moet een
  actuele PIP hebben"), reads DUO's termijn and applies DUO's checks (``rules.duo_resultaat_validation``) before
  sending. A date DUO would refuse is not sent: it becomes a "Controle nodig" signal (audit
  ``duo_resultaat_blocked``). A refusal by DUO itself (403 with ``Foutmelding``) becomes the same kind of signal
  (``duo_request_refused``) and is not retried. Because PUT replaces, a retry after a crash (DUO answered, we did not
  store it) sends the same body again and changes nothing at DUO.
- Not built: withdrawing a date (a PUT without it): achievements are insert-only and a mistake is corrected by a
  new record, so our date never disappears; ``verwijtbaar`` (the gemeente has no field for that judgement yet; a
  date on or after the end of the termijn is held back with a signal saying so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Min

from openinburgering import rules
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today

from . import duo
from .duo import DuoClient, DuoError, DuoRefused
from .duo_handlers import PURPOSE_DUO, _changes, _raise_review_signal, _system_actor
from .models import OutboxMessage, OutboxState
from .outbox import DeliveryError, enqueue_outgoing, register_handler, remember

if TYPE_CHECKING:
    from openinburgering.clients.models import ClientFile

KINDS = {"map": "duo.map", "pvt": "duo.pvt"}
"""Our achievement kind (``handhaving.AchievementKind``) to the outbox kind; the keys are also DUO's paths."""
LABELS = {"map": "MAP (datum eindgesprek)", "pvt": "PVT (datum ondertekening)"}
PROBLEMS = {
    rules.ResultaatError.NO_TERMIJN: "DUO kent voor deze persoon geen inburgeringstermijn (geen actueel PIP)",
    rules.ResultaatError.IN_FUTURE: "de datum ligt in de toekomst",
    rules.ResultaatError.BEFORE_TERMIJN: "de datum ligt vóór het begin van de inburgeringstermijn",
    rules.ResultaatError.AFTER_ZROUTE: "de datum ligt na de afronding van de Z-route",
    rules.ResultaatError.VERWIJTBAAR_REQUIRED: (
        "de datum ligt na het einde van de inburgeringstermijn; DUO wil dan weten of dat verwijtbaar is (ja of nee). "
        "Dat kan deze toepassing nog niet meesturen: meld het in het DUO-portaal"
    ),
    rules.ResultaatError.VERWIJTBAAR_NOT_ALLOWED: "verwijtbaar mag alleen mee als de termijn is overschreden",
}


def _recorded_on(client_file_id: int, kind: str) -> date | None:
    """The earliest recorded date of this kind (what the voldaan check counts), or None."""
    from openinburgering.handhaving.models import Achievement

    found = Achievement.objects.filter(client_file_id=client_file_id, kind=kind).aggregate(first=Min("achieved_on"))
    first: date | None = found["first"]
    return first


def report_resultaat(*, client_file: ClientFile, kind: str) -> OutboxMessage | None:
    """Call inside the transaction that recorded a MAP or PVT achievement: queues the date for DUO when it differs
    from the last one queued for this file and kind. Nothing for a gemeente without a DUO connection."""
    if kind not in KINDS:
        raise ValueError(f"Unknown DUO resultaat kind {kind!r}")
    if not duo.has_duo(client_file.gemeente):
        return None
    recorded_on = _recorded_on(client_file.pk, kind)
    if recorded_on is None:
        return None
    last = (
        OutboxMessage.objects.filter(kind=KINDS[kind], client_file=client_file)
        .order_by("-pk")
        .values_list("payload", flat=True)
        .first()
    )
    if last is not None and last.get("datum") == recorded_on.isoformat():
        return None
    return enqueue_outgoing(
        kind=KINDS[kind], key=f"{KINDS[kind]}:{client_file.pk}:{recorded_on.isoformat()}",
        payload={"kind": kind, "datum": recorded_on.isoformat()}, gemeente=client_file.gemeente,
        client_file=client_file,
    )  # fmt: skip


def _deliver(message: OutboxMessage) -> None:
    from openinburgering.clients.models import ClientFile

    progress = message.progress
    if progress.get("registered") or progress.get("refused") or progress.get("withheld") or progress.get("superseded"):
        return
    if message.client_file_id is None:
        raise DeliveryError("MAP/PVT melden: het bericht hoort bij geen dossier.")
    kind = str(message.payload["kind"])
    step = f"{kind.upper()} melden"
    newer = (
        OutboxMessage.objects.filter(kind=message.kind, client_file_id=message.client_file_id, pk__gt=message.pk)
        .values_list("pk", flat=True)
        .last()
    )
    if newer is not None:
        remember(message, superseded=newer)  # the newer message sends the date as it is then
        return
    if OutboxMessage.objects.filter(
        kind="duo.pip", client_file_id=message.client_file_id, state__in=[OutboxState.PENDING, OutboxState.SENDING]
    ).exists():
        raise DeliveryError(f"{step}: wacht tot het PIP bij DUO is gemeld.")
    client_file = ClientFile.objects.select_related("gemeente", "person").get(pk=message.client_file_id)
    datum = _recorded_on(client_file.pk, kind) or date.fromisoformat(str(message.payload["datum"]))
    bsn = client_file.person.bsn
    try:
        with DuoClient.for_gemeente(client_file.gemeente) as client:
            termijn = client.get_termijn(bsn)
            if termijn is None:
                raise DeliveryError(
                    f"{step}: DUO kent nog geen inburgeringstermijn; het wordt later opnieuw geprobeerd."
                )
            check = rules.duo_resultaat_validation(
                reported_on=datum, as_of=today(), termijn_start_on=termijn.startdatum,
                duo_einddatum_on=termijn.einddatum,
            )  # fmt: skip
            if not check.valid:
                _withhold(message, client_file=client_file, kind=kind, datum=datum, errors=check.errors)
                return
            client.put_resultaat(bsn, kind, datum=datum)
            bericht_id = client.last_bericht_id
    except DuoRefused as exc:
        _raise_review_signal(
            client_file=client_file, event_type="duo_request_refused",
            summary=f"DUO heeft de {LABELS[kind]} niet geregistreerd: {'; '.join(exc.foutteksten)}",
            data={"operation": step, "datum": datum.isoformat(), "foutteksten": exc.foutteksten},
        )  # fmt: skip
        remember(message, refused=exc.foutteksten)
        return
    except DuoError as exc:
        raise DeliveryError(str(exc)) from None
    remember(message, registered=True, datum=datum.isoformat(), berichtId=bericht_id)
    with transaction.atomic():
        record_event(
            actor=_system_actor(client_file.gemeente), event_type="duo_resultaat_registered", purpose=PURPOSE_DUO,
            client_file=client_file, subject_type="duo_resultaat", subject_id=kind, via="duo-m2m",
            changes=_changes({duo.RESULTAAT_KINDS[kind]: datum.isoformat()}),
        )  # fmt: skip


def _withhold(
    message: OutboxMessage, *, client_file: ClientFile, kind: str, datum: date, errors: tuple[rules.ResultaatError, ...]
) -> None:
    reasons = [PROBLEMS[error] for error in errors]
    _raise_review_signal(
        client_file=client_file, event_type="duo_resultaat_blocked",
        summary=f"De {LABELS[kind]} van {datum:%d-%m-%Y} is niet naar DUO gestuurd, want DUO zou weigeren: "
        f"{'; '.join(reasons)}. Controleer de datum bij Handhaving > Behaalde onderdelen.",
        data={"operation": f"{kind.upper()} melden", "datum": datum.isoformat(), "redenen": [str(e) for e in errors]},
    )  # fmt: skip
    remember(message, withheld=[str(error) for error in errors])


register_handler("duo.map", label="MAP (datum eindgesprek) melden bij DUO", is_configured=duo.has_duo)(_deliver)
register_handler("duo.pvt", label="PVT (datum ondertekening) melden bij DUO", is_configured=duo.has_duo)(_deliver)


@dataclass(frozen=True)
class ResultaatStatus:
    """What the file's handhaving page says about one MAP or PVT report to DUO."""

    kind: str
    label: str
    datum: date
    text: str
    is_problem: bool


def resultaat_statuses(*, client_file: ClientFile) -> list[ResultaatStatus]:
    """The newest report per kind (MAP, PVT) of this file and its state, for the klantregisseur. One query; the
    caller has opened the file through its access check. Texts hold no personal data beyond the date."""
    newest: dict[str, OutboxMessage] = {}
    for message in OutboxMessage.objects.filter(client_file=client_file, kind__in=KINDS.values()).order_by("pk"):
        newest[str(message.payload.get("kind"))] = message
    statuses = []
    for kind in KINDS:
        found = newest.get(kind)
        if found is None:
            continue
        text, is_problem = _status_text(found)
        datum = date.fromisoformat(str(found.payload["datum"]))
        statuses.append(ResultaatStatus(kind=kind, label=LABELS[kind], datum=datum, text=text, is_problem=is_problem))
    return statuses


def _status_text(message: OutboxMessage) -> tuple[str, bool]:
    progress = message.progress
    if progress.get("registered"):
        return "Gemeld bij DUO.", False
    if progress.get("refused"):
        return f"DUO heeft dit geweigerd: {'; '.join(progress['refused'])}.", True
    if progress.get("withheld"):
        reasons = "; ".join(PROBLEMS[rules.ResultaatError(code)] for code in progress["withheld"])
        return f"Niet naar DUO gestuurd, want DUO zou weigeren: {reasons}.", True
    if message.state == OutboxState.FAILED:
        return (f"Melden is mislukt ({message.last_error}). De functioneel beheerder kan het opnieuw proberen "
                "bij Koppelingen > Uitgaande berichten.", True)  # fmt: skip
    if message.last_error:
        return f"Nog niet gelukt ({message.last_error}). Het wordt automatisch opnieuw geprobeerd.", False
    return "Wordt gemeld bij DUO.", False
