"""The functioneel beheerder configures the gemeente's connections (#17 item 8): per system the endpoint, the
credentials and the options (BRP doelbinding, the ZGW zaaktype mapping, the notification addresses), and tests a
connection. Stored as a zgw-consumers ``Service`` plus ``GemeenteConnection`` in the database; secrets are never
shown again (an empty secret field keeps the stored one) and never written to the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from django.db import transaction
from django.utils import timezone
from zgw_consumers.constants import APITypes, AuthTypes
from zgw_consumers.models import Service

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.errors import NotFound

from .connections import client_for
from .models import GemeenteConnection, System
from .services import PURPOSE_INTEGRATIONS

API_TYPES = {
    System.BRP: APITypes.orc,
    System.ZAKEN: APITypes.zrc,
    System.DOCUMENTEN: APITypes.drc,
    System.BESLUITEN: APITypes.brc,
    System.NOTIFICATIES: APITypes.nrc,
    System.DIGITALE_POST: APITypes.orc,
    System.DUO: APITypes.orc,
    System.KLANTINTERACTIES: APITypes.orc,
    System.CONTACTGEGEVENS: APITypes.orc,
}
AUTH_TYPES = (AuthTypes.no_auth, AuthTypes.api_key, AuthTypes.zgw)
SECRET_OPTIONS = ("callback_auth",)


@dataclass(frozen=True)
class OptionField:
    name: str
    label: str
    help_text: str
    kind: str = "text"  # text | url | secret


def option_fields(system: str) -> list[OptionField]:
    """The options a system needs besides endpoint and credentials, in form order."""
    if system == System.BRP:
        return [
            OptionField("doelbinding", "Doelbinding", "Uit de BRP-autorisatie; gaat mee als x-doelbinding."),
            OptionField("verwerking", "Verwerking", "Gaat mee als x-verwerking, bijvoorbeeld: Aanmelden."),
        ]
    if system == System.DUO:
        return [
            OptionField("oin", "OIN van de gemeente", "20 cijfers; gaat mee als bron."),
            OptionField("duo_oin", "OIN van DUO", "20 cijfers; gaat mee als doel."),
        ]
    if system == System.ZAKEN:
        fields = [
            OptionField("rsin", "RSIN van de gemeente", "9 cijfers: bronorganisatie van zaken en documenten."),
            OptionField("zaaktype", "Zaaktype", "URL van het zaaktype Inburgering in de Catalogi API.", "url"),
            OptionField("roltype", "Roltype inburgeraar", "URL; leeg: de zaak krijgt geen rol met het BSN.", "url"),
            OptionField(
                "informatieobjecttype", "Informatieobjecttype brieven", "URL van het type voor brieven.", "url"
            ),
            OptionField("besluittype_pip", "Besluittype PIP", "URL van het besluittype voor het PIP.", "url"),
            OptionField("besluittype_boete", "Besluittype boete", "URL van het besluittype voor een boete.", "url"),
        ]
        fields += [
            OptionField(
                f"statustype_{status.value}",
                f"Statustype '{status.label}'",
                "URL; leeg: deze status gaat niet naar het zaaksysteem.",
                "url",
            )
            for status in FileStatus
        ]
        return fields
    if system == System.NOTIFICATIES:
        return [
            OptionField(
                "public_url", "Adres van Open Inburgering", "Bijvoorbeeld https://inburgering.gemeente.nl.", "url"
            ),
            OptionField(
                "callback_auth",
                "Autorisatie van het abonnement",
                "De waarde 'auth' van het abonnement. Leeg laten: de opgeslagen waarde blijft.",
                "secret",
            ),
        ]
    return []


def _options_to_form(system: str, options: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for field in option_fields(system):
        if field.kind == "secret":
            continue
        if field.name.startswith("statustype_"):
            values[field.name] = str((options.get("statustypen") or {}).get(field.name[len("statustype_") :], ""))
        elif field.name.startswith("besluittype_"):
            values[field.name] = str((options.get("besluittypen") or {}).get(field.name[len("besluittype_") :], ""))
        else:
            values[field.name] = str(options.get(field.name) or "")
    return values


def form_initial(connection: GemeenteConnection | None, system: str) -> dict[str, Any]:
    if connection is None:
        return {
            "auth_type": AuthTypes.zgw if system != System.BRP else AuthTypes.api_key,
            "timeout": 10,
            "is_active": True,
        }
    service = connection.service
    return {
        "api_root": service.api_root,
        "auth_type": service.auth_type,
        "client_id": service.client_id,
        "header_key": service.header_key,
        "client_certificate": str(service.client_certificate_id or ""),
        "server_certificate": str(service.server_certificate_id or ""),
        "timeout": service.timeout,
        "is_active": connection.is_active,
        **_options_to_form(system, connection.options),
    }


def _options_from_form(system: str, data: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    statustypen: dict[str, str] = {}
    besluittypen: dict[str, str] = {}
    for field in option_fields(system):
        value = str(data.get(field.name) or "").strip()
        if field.kind == "secret":
            options[field.name] = value or str(current.get(field.name) or "")
        elif field.name.startswith("statustype_"):
            if value:
                statustypen[field.name[len("statustype_") :]] = value
        elif field.name.startswith("besluittype_"):
            if value:
                besluittypen[field.name[len("besluittype_") :]] = value
        elif value:
            options[field.name] = value
    if system == System.ZAKEN:
        options["statustypen"] = statustypen
        options["besluittypen"] = besluittypen
    return options


def _check(system: str, data: Mapping[str, Any], has_secret: bool) -> None:
    errors = FieldErrors()
    root = str(data.get("api_root") or "").strip()
    if not root.startswith(("https://", "http://")):
        errors.add("api_root", "Vul het adres van de API in, beginnend met https://.")
    auth_type = data.get("auth_type")
    if auth_type not in AUTH_TYPES:
        errors.add("auth_type", "Kies hoe Open Inburgering zich meldt bij dit systeem.")
    if auth_type == AuthTypes.zgw:
        if not str(data.get("client_id") or "").strip():
            errors.add("client_id", "Vul de client-id in die het andere systeem aan Open Inburgering gaf.")
        if not data.get("secret") and not has_secret:
            errors.add("secret", "Vul het geheim (secret) in.")
    if auth_type == AuthTypes.api_key:
        if not str(data.get("header_key") or "").strip():
            errors.add("header_key", "Vul de naam van de header in, bijvoorbeeld Authorization of X-Api-Key.")
        if not data.get("secret") and not has_secret:
            errors.add("secret", "Vul de API-sleutel in.")
    timeout = data.get("timeout")
    if not isinstance(timeout, int) or not 1 <= timeout <= 60:
        errors.add("timeout", "Kies een wachttijd van 1 tot 60 seconden.")
    if system == System.ZAKEN:
        rsin = str(data.get("rsin") or "").strip()
        if not (len(rsin) == 9 and rsin.isdigit()):
            errors.add("rsin", "Een RSIN is 9 cijfers.")
        if not str(data.get("zaaktype") or "").strip():
            errors.add("zaaktype", "Vul de URL van het zaaktype in.")
    for field in option_fields(system):
        value = str(data.get(field.name) or "").strip()
        if field.kind == "url" and value and not value.startswith(("https://", "http://")):
            errors.add(field.name, "Vul een volledige URL in, beginnend met https://.")
    errors.raise_if_any()


def connection_of(actor: Actor, system: str) -> GemeenteConnection | None:
    if not actor.can(Capability.MANAGE_INTEGRATIONS) or system not in System.values:
        raise NotFound()
    return GemeenteConnection.objects.select_related("service").filter(gemeente=actor.gemeente, system=system).first()


@transaction.atomic
def save_connection(*, actor: Actor, system: str, data: Mapping[str, Any], via: str = "ui") -> GemeenteConnection:
    """Creates or changes the gemeente's connection to ``system``. Audited with the names of what changed (and
    "gewijzigd" for a secret, never its value)."""
    current = connection_of(actor, system)
    service = current.service if current is not None else None
    _check(system, data, has_secret=bool(service and (service.secret or service.header_value)))
    secret = str(data.get("secret") or "")
    auth_type = str(data["auth_type"])
    values = {
        "api_root": str(data["api_root"]).strip().rstrip("/") + "/",
        "auth_type": auth_type,
        "client_id": str(data.get("client_id") or "").strip() if auth_type == AuthTypes.zgw else "",
        "header_key": str(data.get("header_key") or "").strip() if auth_type == AuthTypes.api_key else "",
        "timeout": int(data["timeout"]),
        "client_certificate_id": int(data["client_certificate"]) if data.get("client_certificate") else None,
        "server_certificate_id": int(data["server_certificate"]) if data.get("server_certificate") else None,
    }
    changes: dict[str, dict[str, Any]] = {}
    if service is None:
        service = Service(
            label=f"{actor.gemeente.name}: {System(system).label}"[:100],
            slug=f"{actor.gemeente.code.lower()}-{system}".replace("_", "-"),
            api_type=API_TYPES[System(system)],
        )
    for name, value in values.items():
        if getattr(service, name) != value:
            changes[name] = {"old": getattr(service, name) or None, "new": value or None}
            setattr(service, name, value)
    if secret:
        if auth_type == AuthTypes.zgw:
            service.secret, service.header_value = secret, ""
        else:
            service.header_value, service.secret = secret, ""
        changes["secret"] = {"old": None, "new": "gewijzigd"}
    service.save()  # type: ignore[no-untyped-call]  # zgw-consumers' Service.save has no annotations
    options = _options_from_form(system, data, current.options if current else {})
    old_options = current.options if current else {}
    for name in sorted(set(options) | set(old_options)):
        if options.get(name) != old_options.get(name):
            secret_option = name in SECRET_OPTIONS
            changes[f"options.{name}"] = {
                "old": None if secret_option else old_options.get(name),
                "new": "gewijzigd" if secret_option else options.get(name),
            }
    is_active = bool(data.get("is_active"))
    if current is None:
        current = GemeenteConnection.objects.create(
            gemeente=actor.gemeente, system=system, service=service, options=options, is_active=is_active
        )
    else:
        if current.is_active != is_active:
            changes["is_active"] = {"old": current.is_active, "new": is_active}
        current.options, current.is_active, current.updated_at = options, is_active, timezone.now()
        current.save(update_fields=["options", "is_active", "updated_at"])
    record_event(
        actor=actor,
        event_type="integration_connection_changed",
        purpose=PURPOSE_INTEGRATIONS,
        subject=current,
        changes=changes,
        via=via,
    )
    return current


CHECKS: dict[str, tuple[str, str, dict[str, str]]] = {
    System.ZAKEN: ("GET", "zaken", {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}),
    System.DOCUMENTEN: ("GET", "enkelvoudiginformatieobjecten", {}),
    System.BESLUITEN: ("GET", "besluiten", {}),
    System.NOTIFICATIES: ("GET", "kanaal", {}),
}


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str


def check_connection(*, actor: Actor, system: str, via: str = "ui") -> CheckResult:
    """One harmless read at the other system (the functioneel beheerder asked for it, so inside the request), with
    the service's timeout. Says in Dutch what went wrong; audited with the outcome."""
    connection = connection_of(actor, system)
    if connection is None:
        raise NotFound()
    method, path, headers = CHECKS.get(system, ("GET", "", {}))
    try:
        with client_for(connection) as client:
            response = client.request(method, path, headers=headers)
    except requests.Timeout:
        result = CheckResult(False, "Het andere systeem antwoordt niet op tijd. Controleer het adres en de wachttijd.")
    except requests.RequestException:
        result = CheckResult(False, "Het andere systeem is niet bereikbaar. Controleer het adres.")
    else:
        status = response.status_code
        if status in (401, 403):
            result = CheckResult(
                False,
                f"Het andere systeem weigert de inloggegevens (HTTP {status}). Controleer de client-id en het geheim.",
            )
        elif status >= 500:
            result = CheckResult(
                False, f"Het andere systeem heeft een storing (HTTP {status}). Probeer het later opnieuw."
            )
        elif system in CHECKS and status != 200:
            result = CheckResult(
                False, f"Het adres lijkt niet goed: het antwoord is HTTP {status}. Controleer het adres van de API."
            )
        else:
            result = CheckResult(True, f"De verbinding werkt (HTTP {status}).")
    with transaction.atomic():
        record_event(
            actor=actor,
            event_type="integration_connection_tested",
            purpose=PURPOSE_INTEGRATIONS,
            subject=connection,
            changes={"ok": {"old": None, "new": result.ok}},
            via=via,
        )
    return result
