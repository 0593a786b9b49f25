"""Followed hours to DUO (GevolgdeUren API, ``PUT /personen/{bsn}/uren/...``) through the outbox (``duo.uren``).

Where hours come from: the providers' weekly reports (``providers.WeeklyReport.hours_attended``: form, API and CSV).
``providers.services.reports`` calls :func:`report_hours` in the transaction that writes them, with the files whose
reports changed. Nothing happens for a gemeente without a DUO connection (the file import stays the way in).

What is sent, per file (DUO's values are TOTALS, not increments; PUT replaces):

- ``bredeintake_taallesknm`` (``TaallesEnKnmBredeIntake``): attended hours on the language components
  (``LANGUAGE_COMPONENTS``) in weeks that start before the first PIP's dagtekening (or all of them while there is no
  PIP yet): "tijdens de Brede Intake".
- ``participatietaalles`` (``ParticipatieAlsTaalles``): attended hours on the language components in weeks that
  start on or after the first PIP's dagtekening (DUO: after a route switch the earlier route's hours still count,
  the brede intake's do not). Only once the file has a vastgestelde PIP.
- ``participatieactiviteiten`` (``ParticipatieactiviteitenBredeIntake``): attended hours on ``participatie``,
  ``pvt`` and ``map`` enrolments, brede intake included (Besluit art. 3.14), only for an asielstatushouder whose
  current PIP is the Z-route (DUO: "ten behoeve van de Z-Route ... van de Asielstatushouder"). PVT and MAP hours
  count because B 3.14 lid 5 takes them off the 800-hour norm of lid 2 sub b, and this total is the only figure
  DUO gets to judge that norm by (the project's ``rules.voldaan`` adds them the same way).

Readings (choices, stated because the spec does not settle them): the split between brede intake and leerroute is by
ISO week (a week counts for the brede intake when its Monday lies before the dagtekening); a total is rounded DOWN to
whole hours (DUO takes integers; an hour not completed is not reported) and capped at DUO's maximum 9999. DUO has no
hours kind of its own for the MAP, the PVT or a duaal traject (GevolgdeUren 1.0.0 has these three PUTs only); MAP and
PVT hours of anyone outside the Z-route are not sent (DUO takes the MAP and PVT as dates: ``duo_resultaten``), and
duaal enrolments are not sent at all (their weekly hours mix taalles and work, and only taalles at a cursusinstelling
fits ``participatietaalles``).

Exactly what and how often:

- **Idempotent.** A kind is queued only when its total differs from the total of the last message queued for that
  file and kind (a total of 0 is not queued when nothing was ever sent); the same report twice, or a CSV file again,
  queues nothing. The key holds the moment and the total, so a later change (also back to an earlier total) is a new
  message.
- **The current total at delivery.** The handler recomputes the total when it delivers (two providers reporting the
  same file at once each queue a total that misses the other's hours; the one delivered last sends the right sum),
  and skips a message when a newer one for the same file and kind exists. Known limit: two attempts in flight at the
  same moment can still arrive at DUO out of order (milliseconds apart); the next change corrects it.
- **After the PIP.** Hours on the leerroute wait (retried with backoff) while the file's PIP registration at DUO is
  still in the outbox: DUO refuses leerroute hours without a PIP. A kind that no longer applies when the message is
  delivered (the route changed) sends the total it was queued with.
- A refusal on DUO's rules (403 with ``Foutmelding``) is not retried: it becomes a "Controle nodig" signal with DUO's
  text (``duo_handlers._raise_review_signal``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from openinburgering.audit.services import record_event

from . import duo
from .duo import DuoClient, DuoError, DuoRefused
from .duo_handlers import PURPOSE_DUO, _changes, _raise_review_signal, _system_actor
from .models import OutboxMessage, OutboxState
from .outbox import DeliveryError, enqueue_outgoing, register_handler, remember

if TYPE_CHECKING:
    from openinburgering.clients.models import ClientFile

KIND = "duo.uren"
LANGUAGE_COMPONENTS = ("b1_lessen", "onderwijsroute", "z_route_cursus")
PARTICIPATION_COMPONENTS = ("participatie", "pvt", "map")
"""Counted toward the Z-route's participatieactiviteiten (B 3.14 lid 2 sub b; PVT and MAP by lid 5)."""
MAX_UREN = 9999
WAITS_FOR_PIP = ("participatietaalles", "participatieactiviteiten")


def _whole_hours(value: Decimal | None) -> int:
    return min(int((value or Decimal(0)).to_integral_value(rounding=ROUND_DOWN)), MAX_UREN)


def hours_totals(client_file_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per file the totals DUO takes, by ``duo.UREN_KINDS`` key; a kind that does not apply to the file is left out
    (see the module's docstring). Two queries for any number of files."""
    from openinburgering.clients.models import ClientFile
    from openinburgering.plans.choices import PipStatus
    from openinburgering.plans.models import PipVersion
    from openinburgering.providers.models import WeeklyReport

    ids = list(client_file_ids)
    first_pip = (
        PipVersion.objects.filter(client_file_id=OuterRef("enrolment__client_file_id"), dagtekening_on__isnull=False)
        .order_by("dagtekening_on")
        .values("dagtekening_on")[:1]
    )
    language = Q(enrolment__component__in=LANGUAGE_COMPONENTS)
    intake = language & (Q(pip_on__isnull=True) | Q(week_starts_on__lt=F("pip_on")))
    sums: dict[int, dict[str, Any]] = {
        row["enrolment__client_file_id"]: dict(row)
        for row in WeeklyReport.objects.filter(enrolment__client_file_id__in=ids)
        .annotate(pip_on=Subquery(first_pip))
        .values("enrolment__client_file_id")
        .annotate(
            intake=Sum("hours_attended", filter=intake),
            route=Sum("hours_attended", filter=language & Q(week_starts_on__gte=F("pip_on"))),
            participatie=Sum("hours_attended", filter=Q(enrolment__component__in=PARTICIPATION_COMPONENTS)),
        )
    }  # fmt: skip
    current = PipVersion.objects.filter(client_file_id=OuterRef("pk"), status=PipStatus.VASTGESTELD)
    files = ClientFile.objects.filter(pk__in=ids).annotate(
        route=Subquery(current.values("leerroute")[:1]),
        has_pip=Subquery(
            PipVersion.objects.filter(client_file_id=OuterRef("pk"), dagtekening_on__isnull=False).values("pk")[:1]
        ),
    )
    totals: dict[int, dict[str, int]] = {}
    for file_id, doelgroep, route, has_pip in files.values_list("pk", "doelgroep", "route", "has_pip"):
        row = sums.get(file_id, {})
        kinds = {"bredeintake_taallesknm": _whole_hours(row.get("intake"))}
        if has_pip is not None:
            kinds["participatietaalles"] = _whole_hours(row.get("route"))
        if doelgroep == "asielstatushouder" and route == "z":
            kinds["participatieactiviteiten"] = _whole_hours(row.get("participatie"))
        totals[file_id] = kinds
    return totals


def enqueue_uren(*, client_file: ClientFile, kind: str, uren: int, as_of: str) -> OutboxMessage | None:
    """The total hours of one kind (``duo.UREN_KINDS``) as of a moment (part of the key, so a later total is a new
    message and the same total at the same moment is one). The handler sends the total as it is at delivery."""
    if kind not in duo.UREN_KINDS:
        raise ValueError(f"Unknown DUO uren kind {kind!r}")
    return enqueue_outgoing(
        kind=KIND, key=f"duo.uren:{client_file.pk}:{kind}:{as_of}:{uren}",
        payload={"kind": kind, "uren": uren}, gemeente=client_file.gemeente, client_file=client_file,
    )  # fmt: skip


def report_hours(*, client_file_ids: Iterable[int]) -> list[OutboxMessage]:
    """Call inside the transaction that changed weekly reports of these files: queues each total that changed since
    the last one queued (see the module's docstring). A few queries for any number of files."""
    from openinburgering.accounts.models import Gemeente
    from openinburgering.clients.models import ClientFile

    ids = sorted(set(client_file_ids))
    if not ids:
        return []
    gemeente_ids = set(ClientFile.objects.filter(pk__in=ids).values_list("gemeente_id", flat=True))
    with_duo = {g.pk for g in Gemeente.objects.filter(pk__in=gemeente_ids) if duo.has_duo(g)}
    files = list(ClientFile.objects.select_related("gemeente").filter(pk__in=ids, gemeente_id__in=with_duo))
    if not files:
        return []
    last: dict[tuple[int, str], int] = {}
    queued = OutboxMessage.objects.filter(kind=KIND, client_file__in=files).order_by("pk")
    for file_id, payload in queued.values_list("client_file_id", "payload"):
        last[(file_id, str(payload.get("kind")))] = int(payload.get("uren") or 0)
    totals = hours_totals(f.pk for f in files)
    as_of = timezone.now().isoformat()
    messages = []
    for client_file in files:
        for kind, uren in totals.get(client_file.pk, {}).items():
            if last.get((client_file.pk, kind), 0) == uren:
                continue
            message = enqueue_uren(client_file=client_file, kind=kind, uren=uren, as_of=as_of)
            if message is not None:
                messages.append(message)
    return messages


@register_handler(KIND, label="Gevolgde uren melden bij DUO", is_configured=duo.has_duo)
def deliver_uren(message: OutboxMessage) -> None:
    from openinburgering.clients.models import ClientFile

    if message.progress.get("registered") or message.progress.get("refused") or message.progress.get("superseded"):
        return
    if message.client_file_id is None:
        raise DeliveryError("Uren melden: het bericht hoort bij geen dossier.")
    kind = str(message.payload["kind"])
    newer = (
        OutboxMessage.objects.filter(kind=KIND, client_file_id=message.client_file_id, pk__gt=message.pk)
        .filter(payload__kind=kind)
        .values_list("pk", flat=True)
        .last()
    )
    if newer is not None:
        remember(message, superseded=newer)  # the newer message sends the total as it is then
        return
    if (
        kind in WAITS_FOR_PIP
        and OutboxMessage.objects.filter(
            kind="duo.pip", client_file_id=message.client_file_id, state__in=[OutboxState.PENDING, OutboxState.SENDING]
        ).exists()
    ):
        raise DeliveryError("Uren melden: wacht tot het PIP bij DUO is gemeld.")
    client_file = ClientFile.objects.select_related("gemeente", "person").get(pk=message.client_file_id)
    uren = hours_totals([client_file.pk]).get(client_file.pk, {}).get(kind, int(message.payload["uren"]))
    try:
        with DuoClient.for_gemeente(client_file.gemeente) as client:
            client.put_uren(client_file.person.bsn, kind, uren)
    except DuoRefused as exc:
        _raise_review_signal(
            client_file=client_file, event_type="duo_request_refused",
            summary=f"DUO heeft de gevolgde uren niet geregistreerd: {'; '.join(exc.foutteksten)}",
            data={"operation": "Uren melden", "soort": kind, "foutteksten": exc.foutteksten},
        )  # fmt: skip
        remember(message, refused=exc.foutteksten)
        return
    except DuoError as exc:
        raise DeliveryError(str(exc)) from None
    remember(message, registered=True, uren=uren)
    with transaction.atomic():
        record_event(
            actor=_system_actor(client_file.gemeente), event_type="duo_uren_registered", purpose=PURPOSE_DUO,
            client_file=client_file, subject_type="duo_uren", subject_id=kind, changes=_changes({"uren": uren}),
            via="duo-m2m",
        )  # fmt: skip
