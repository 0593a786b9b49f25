"""The DUO exchanges that run in the background, through the outbox (retries with backoff, failures shown on
Koppelingen > Uitgaande berichten):

- ``duo.pip``: a vastgestelde PIP registered at DUO (``POST /personen/{bsn}/PIP``). At most once: before posting,
  the handler asks DUO's current PIP (``GET``) and skips the POST when DUO already has this dagtekening and leerroute
  from this gemeente (a worker that died after DUO answered). A refusal on DUO's business rules (HTTP 403 with
  ``Foutmelding``) is not retried: it becomes a signal on the file ("Controle nodig") with DUO's text.
- ``duo.uren``: the total followed hours of one kind: in ``duo_uren``.
- ``duo.notificatie``: a notification DUO pushed to our Notificatie API (``duo_notificaties``). The handler asks
  the DUO API the event code points at (Inburgeringsplicht, Inburgeringstermijn, Leerbaarheidstoets, Vrijstelling,
  Ontheffing, PIP) and, where a new file may be opened or a move needs its date, the BRP; it then hands the
  enriched event to the signals intake (``signals.services.import_duo_events``), which is idempotent on the
  ``berichtId``. The outbox key is ``duo.notificatie:<gemeente>:<berichtId>``, so a notification DUO sends twice is
  processed once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from openinburgering.audit.services import record_event

from . import duo
from .connections import has_connection
from .duo import DuoClient, DuoError, DuoRefused
from .models import OutboxMessage, System
from .outbox import DeliveryError, enqueue_outgoing, register_handler, remember

if TYPE_CHECKING:
    from openinburgering.accounts.models import Gemeente
    from openinburgering.clients.models import ClientFile
    from openinburgering.plans.models import PipVersion

PURPOSE_DUO = "Gegevensuitwisseling met DUO (Wet inburgering 2021 art. 15, 37; Besluit inburgering 2021)"


# ---------------------------------------------------------------------------------------------------------------
# PIP registration


def pip_body(version: PipVersion, client_file: ClientFile) -> dict[str, Any]:
    """DUO's ``PIP`` schema from a vastgestelde PIP version. ``niveau`` only when the PIP names one (DUO sets B1 for
    the B1-route and onderwijsroute otherwise); the estimated intensity only for the B1-route of an
    asielstatushouder (DUO's rule)."""
    if version.dagtekening_on is None:
        raise DeliveryError("PIP melden: deze PIP-versie heeft geen dagtekening (niet vastgesteld).")
    leerroute = duo.LEERROUTE_CODES.get(str(version.leerroute))
    if leerroute is None:
        raise DeliveryError("PIP melden: de leerroute is onbekend.")
    body: dict[str, Any] = {"dagtekeningPip": version.dagtekening_on.isoformat(), "leerroute": leerroute}
    if version.level in ("A2", "B1"):
        body["niveau"] = version.level
    if leerroute == "B" and client_file.doelgroep == "asielstatushouder" and version.estimated_b1_intensity:
        body["geschatteIntensiteitB1Route"] = min(max(int(version.estimated_b1_intensity), 1), 9999)
    return body


def enqueue_pip_registration(*, client_file: ClientFile, version: PipVersion) -> OutboxMessage | None:
    """Call inside the transaction that sets the PIP (plans.services.approve). Nothing when the gemeente has no DUO
    connection (the file import stays the way in)."""
    return enqueue_outgoing(
        kind="duo.pip", key=f"duo.pip:{version.pk}", payload={"pip_version_id": version.pk},
        gemeente=client_file.gemeente, client_file=client_file,
    )  # fmt: skip


def _system_actor(gemeente: Gemeente) -> Any:
    from openinburgering.signals.system import system_actor

    return system_actor(gemeente)


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    return {key: {"old": None, "new": value} for key, value in data.items()}


def _raise_review_signal(*, client_file: ClientFile, summary: str, data: dict[str, Any], event_type: str) -> None:
    """A "Controle nodig" signal on the file, audited, in one transaction (the outbox handler runs outside one)."""
    from openinburgering.signals.choices import FileSignalKind
    from openinburgering.signals.models import FileSignal
    from openinburgering.signals.system import system_actor

    with transaction.atomic():
        actor = system_actor(client_file.gemeente)
        signal = FileSignal.objects.create(
            gemeente_id=client_file.gemeente_id, client_file=client_file, kind=FileSignalKind.REVIEW_NEEDED,
            summary=summary, data=data,
        )  # fmt: skip
        record_event(
            actor=actor, event_type=event_type, purpose=PURPOSE_DUO, client_file=client_file, subject=signal,
            changes={"signal": {"old": None, "new": signal.pk}, **_changes(data)},
            via="duo-m2m",
        )  # fmt: skip


def _same_pip(current: dict[str, Any] | None, body: dict[str, Any], gemeentecode: str) -> bool:
    if not current:
        return False
    pip = current.get("pip") or {}
    return (
        str(current.get("gemeentecode")) == gemeentecode
        and pip.get("dagtekeningPip") == body["dagtekeningPip"]
        and pip.get("leerroute") == body["leerroute"]
    )


def _gemeentecode(gemeente: Gemeente) -> str:
    return gemeente.code.upper().removeprefix("GM")


@register_handler("duo.pip", label="PIP melden bij DUO", is_configured=duo.has_duo)
def deliver_pip(message: OutboxMessage) -> None:
    from openinburgering.plans.models import PipVersion

    if message.progress.get("registered") or message.progress.get("refused"):
        return
    version = PipVersion.objects.select_related("client_file__gemeente", "client_file__person").get(
        pk=message.payload["pip_version_id"]
    )
    client_file = version.client_file
    body = pip_body(version, client_file)
    bsn = client_file.person.bsn
    try:
        with DuoClient.for_gemeente(client_file.gemeente) as client:
            if _same_pip(client.get_pip(bsn), body, _gemeentecode(client_file.gemeente)):
                remember(message, registered=True, found_at_duo=True)
            else:
                client.register_pip(bsn, body)
                remember(message, registered=True, berichtId=client.last_bericht_id)
    except DuoRefused as exc:
        _raise_review_signal(
            client_file=client_file, event_type="duo_request_refused",
            summary=f"DUO heeft het PIP (versie {version.number}) niet geregistreerd: {'; '.join(exc.foutteksten)}",
            data={"operation": "PIP melden", "pip_version": version.pk, "foutteksten": exc.foutteksten},
        )  # fmt: skip
        remember(message, refused=exc.foutteksten)
        return
    except DuoError as exc:
        raise DeliveryError(str(exc)) from None
    with transaction.atomic():
        record_event(
            actor=_system_actor(client_file.gemeente), event_type="duo_pip_registered", purpose=PURPOSE_DUO,
            client_file=client_file, subject=version, via="duo-m2m",
            changes=_changes({"dagtekeningPip": body["dagtekeningPip"], "leerroute": body["leerroute"]}),
        )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Notifications from DUO: enrich with the data of the API the event points at, then the signals intake


def notification_key(gemeente: Gemeente, bericht_id: str) -> str:
    return f"duo.notificatie:{gemeente.pk}:{bericht_id}"


def _latest(items: list[dict[str, Any]], key: str, date_field: str) -> dict[str, Any] | None:
    """The item holding ``key`` (DUO's one-of wrappers such as ``GeheleVrijstelling``) with the latest date."""
    found = [item[key] for item in items if isinstance(item.get(key), dict)]
    return max(found, key=lambda inner: str(inner.get(date_field) or "")) if found else None


def _brp_person(gemeente_id: int, bsn: str) -> dict[str, Any] | None:
    from . import brp

    fields = ("burgerservicenummer", "naam.voornamen", "naam.voorvoegsel", "naam.geslachtsnaam", "geboorte.datum",
              "geslacht", "gemeenteVanInschrijving", "datumInschrijvingInGemeente")  # fmt: skip
    persons = brp.fetch_persons(gemeente_id=gemeente_id, bsns=[bsn], fields=fields)
    return next((p for p in persons if p.get("burgerservicenummer") == bsn), None)


def enrich(*, gemeente: Gemeente, notificatie: dict[str, Any], client: DuoClient) -> dict[str, Any]:
    """DUO's notificatie plus the data blocks the signals intake reads (``signals.messages``), fetched from DUO (and
    the BRP for the person and the vestiging date). Raises DuoError (retry) or ApplicationError (BRP)."""
    from openinburgering.signals import messages as m

    code = str(notificatie.get("gebeurtenisId") or "")
    bsn = str(notificatie.get("bsn") or "")
    event: dict[str, Any] = {
        key: notificatie[key]
        for key in ("berichtId", "gebeurtenisId", "registratieDatumTijd", "bsn", "vNummer")
        if notificatie.get(key) not in (None, "")
    }
    event["gemeentecode"] = _gemeentecode(gemeente)
    if code not in m.HANDLED_CODES or not bsn:
        return event  # the intake stores it as rejected, with its reason
    plicht_codes = m.PLICHT_CODES | m.PLICHT_ENDED_CODES
    if code in plicht_codes and (plicht := client.get_inburgeringsplicht(bsn)) is not None:
        event["inburgeringsplicht"] = plicht
    doelgroep_codes = m.PLICHT_CODES | m.DOELGROEP_CODES | m.MOVE_IN_CODES
    if code in doelgroep_codes and (doelgroep := client.get_doelgroep(bsn)) is not None:
        event["doelgroep"] = doelgroep
    if code in m.TERMIJN_CODES and (termijn := client.get_termijn(bsn)) is not None:
        event["inburgeringstermijn"] = {
            "startdatum": termijn.startdatum.isoformat(), "einddatum": termijn.einddatum.isoformat(),
        }  # fmt: skip
    if code in m.LBT_CODES:
        results = client.get_lbt_resultaten(bsn)
        if results:
            event["leerbaarheidstoets"] = max(results, key=lambda r: str(r.get("datumAfname") or ""))
    if code in m.VRIJSTELLING_CODES:
        key = "GeheleVrijstelling" if code == "SS107" else "TijdelijkeVrijstelling"
        if (inner := _latest(client.get_vrijstellingen(bsn), key, "datumOordeel")) is not None:
            event["vrijstelling"] = {key: inner}
    if code in m.ONTHEFFING_CODES:
        key = "GeheleOntheffing" if code == "SS108" else "GedeeltelijkeOntheffing"
        if (inner := _latest(client.get_ontheffingen(bsn), key, "datumOordeel")) is not None:
            event["ontheffing"] = {key: inner}
    if code == "SS121" and (current := client.get_pip(bsn)) is not None:
        event["pip"] = current.get("pip") or {}
        previous = str(current.get("gemeentecode") or "")
    else:
        previous = ""
    if (code in m.PLICHT_CODES or code in m.MOVE_IN_CODES or code in m.MOVE_OUT_CODES) and has_connection(
        gemeente, System.BRP
    ):
        person = _brp_person(gemeente.pk, bsn)
        if person is not None:
            event.update(_from_brp(person, code=code, previous=previous, own_code=event["gemeentecode"]))
    return event


def _from_brp(person: dict[str, Any], *, code: str, previous: str, own_code: str) -> dict[str, Any]:
    from openinburgering.signals import messages as m

    name = person.get("naam") or {}
    birth = (person.get("geboorte") or {}).get("datum") or {}
    extra: dict[str, Any] = {}
    if name.get("geslachtsnaam") and birth.get("type") == "Datum":
        extra["persoon"] = {
            "voornamen": name.get("voornamen") or "", "voorvoegsel": name.get("voorvoegsel") or "",
            "geslachtsnaam": name["geslachtsnaam"], "geboortedatum": birth["datum"],
            "geslacht": (person.get("geslacht") or {}).get("code") or "O",
        }  # fmt: skip
    registered = (person.get("datumInschrijvingInGemeente") or {}).get("datum")
    gemeente_now = str((person.get("gemeenteVanInschrijving") or {}).get("code") or "")
    if code in m.MOVE_IN_CODES and registered and gemeente_now == own_code:
        extra["vestiging"] = {"datumVestiging": registered, **({"vorigeGemeentecode": previous} if previous else {})}
    if code in m.MOVE_OUT_CODES and registered and gemeente_now and gemeente_now != own_code:
        extra["vertrek"] = {"datumVertrek": registered, "nieuweGemeentecode": gemeente_now}
    return extra


@register_handler("duo.notificatie", label="Notificatie van DUO verwerken", is_configured=duo.has_duo)
def process_notification(message: OutboxMessage) -> None:
    from openinburgering.accounts.models import Gemeente
    from openinburgering.core.errors import ApplicationError
    from openinburgering.signals.services import import_duo_events
    from openinburgering.signals.system import system_actor

    if message.progress.get("result"):
        return
    gemeente = Gemeente.objects.get(pk=message.gemeente_id)
    try:
        with DuoClient.for_gemeente(gemeente) as client:
            event = enrich(gemeente=gemeente, notificatie=message.payload, client=client)
    except DuoError as exc:
        raise DeliveryError(f"Notificatie verwerken: {exc}") from None
    except ApplicationError as exc:
        raise DeliveryError(f"Notificatie verwerken (BRP): {exc.message}") from None
    with transaction.atomic():
        record_event(
            actor=system_actor(gemeente), event_type="duo_data_fetched", purpose=PURPOSE_DUO,
            subject_type="duo_notificatie", subject_id=str(message.payload.get("berichtId") or ""),
            changes={"blocks": {"old": None, "new": sorted(set(event) - set(message.payload) - {"gemeentecode"})}},
            via="duo-m2m",
        )  # fmt: skip
    report = import_duo_events(actor=system_actor(gemeente), events=[event], via="duo-m2m")
    result = report.results[0]
    remember(message, result=str(result.result), signal_id=result.signal_id)
