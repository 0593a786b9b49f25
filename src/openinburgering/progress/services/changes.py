"""The three changes of voortgang: the klantregisseur's afschalen judgement, starting a route switch (a new PIP
concept through ``plans.services``) and the gemeente's attendance threshold. Keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente
from openinburgering.accounts.roles import Capability
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.intakes.choices import Leerroute
from openinburgering.plans import services as plans
from openinburgering.plans.models import PipVersion

from .. import selectors
from ..models import AfschalenJudgement, ProgressSettings
from .common import NT2_COMPONENTS, TEXT_LIMIT, _audit, _text
from .figures import _enrolment_figures

# ---------------------------------------------------------------------------------------------------------------
# Changes


def _bool(data: Mapping[str, Any], name: str, errors: FieldErrors, message: str) -> bool:
    value = data.get(name)
    if isinstance(value, bool):
        return value
    if value in ("true", "yes", "ja", "1"):
        return True
    if value in ("false", "no", "nee", "0"):
        return False
    errors.add(name, message)
    return False


@transaction.atomic
def record_afschalen_judgement(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> AfschalenJudgement:
    """The klantregisseur's judgement (insert-only) with the outcome of ``rules.afschalen`` at this moment."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    errors = FieldErrors()
    effort = _bool(data, "sufficient_effort", errors, "Kies of de persoon zich genoeg heeft ingespannen.")
    reachable = _bool(data, "b1_reachable_in_termijn", errors, "Kies of B1 haalbaar is binnen de termijn.")
    reasoning = _text(data.get("reasoning"))
    if not reasoning:
        errors.add("reasoning", "Schrijf op waarop u uw oordeel baseert.")
    elif len(reasoning) > TEXT_LIMIT:
        errors.add("reasoning", "Gebruik hoogstens 10.000 tekens.")
    version, _open = selectors.pip_versions(client_file)
    if version is None:
        errors.add("sufficient_effort", "Er is nog geen vastgesteld PIP. Een oordeel over afschalen kan pas daarna.")
    errors.raise_if_any()
    assert version is not None  # checked above
    on = core_dates.today()
    nt2_hours = sum(
        (
            _enrolment_figures(row, on, 100).attended
            for row in selectors.enrolments_with_hours(client_file, on)
            if row.component in NT2_COMPONENTS
        ),
        Decimal("0"),
    )
    result = rules.afschalen(
        leerroute=rules.Leerroute(version.leerroute), nt2_course_hours=nt2_hours, sufficient_effort=effort,
        b1_reachable_in_termijn=reachable,
    )  # fmt: skip
    judgement = AfschalenJudgement.objects.create(
        client_file=client_file, sufficient_effort=effort, b1_reachable_in_termijn=reachable, reasoning=reasoning,
        leerroute=version.leerroute, nt2_course_hours=nt2_hours, allowed=result.allowed, reason=result.reason.value,
        recorded_at=timezone.now(), recorded_by=actor.user,
    )  # fmt: skip
    _audit(actor, "afschalen_judgement_recorded", via, client_file=client_file, subject=judgement,
           sufficient_effort=effort, b1_reachable_in_termijn=reachable, nt2_course_hours=nt2_hours,
           allowed=result.allowed, reason=result.reason.value)  # fmt: skip
    return judgement


@transaction.atomic
def start_route_switch(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> PipVersion:
    """A new PIP concept with the new leerroute and the change reason (``plans.services.create_draft`` and
    ``update_draft``); the teamleider's four-eyes approval then follows the normal PIP flow. Checked first with
    ``rules.route_switch`` (W 17 lid 2, B 5.4), so a refused switch leaves nothing behind."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    errors = FieldErrors()
    to_route = _text(data.get("to_route"))
    reason = _text(data.get("change_reason"))
    exception = _text(data.get("exception"))
    version, _open = selectors.pip_versions(client_file)
    termijn = plans.termijn_of(client_file)
    if version is None or termijn is None:
        raise ApplicationError("Er is nog geen vastgesteld PIP. De leerroute wijzigen kan pas daarna.")
    if to_route not in Leerroute.values:
        errors.add("to_route", "Kies de nieuwe leerroute.")
    if exception and exception not in {item.value for item in rules.SwitchException}:
        errors.add("exception", "Kies een uitzondering uit de lijst.")
    if not reason:
        errors.add("change_reason", "Schrijf op waarom de leerroute verandert.")
    elif len(reason) > TEXT_LIMIT:
        errors.add("change_reason", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    on = core_dates.today()
    switch = rules.route_switch(
        termijn_start_on=termijn.termijn_start_on, decided_on=on, from_route=rules.Leerroute(version.leerroute),
        to_route=rules.Leerroute(to_route), exception=rules.SwitchException(exception) if exception else None,
    )  # fmt: skip
    if switch.reason == rules.SwitchReason.SAME_ROUTE:
        errors.add("to_route", "Dit is al de leerroute van de persoon. Kies een andere leerroute.")
    elif not switch.allowed:
        errors.add(
            "to_route",
            f"De leerroute kan niet meer veranderen. Dat kon tot en met {switch.switch_until_on:%d-%m-%Y} "
            "(artikel 17 lid 2 Wet inburgering 2021, artikel 5.4 Besluit). Alleen met een uitzondering kan het "
            "nog.",
        )
    errors.raise_if_any()
    draft = plans.create_draft(actor=actor, client_file=client_file, via=via)
    changes: dict[str, Any] = {
        "leerroute": to_route,
        "level": "",  # the level belongs to the route; the klantregisseur sets it again in the concept
        "change_reason": reason,
        "route_switch_exception": exception,
    }
    if to_route != Leerroute.B1:
        changes["estimated_b1_intensity"] = None
    if to_route == Leerroute.ONDERWIJS:
        changes["map_intensity"] = ""  # no MAP in the onderwijsroute (W 8 lid 3)
    draft = plans.update_draft(actor=actor, client_file=client_file, version=draft, data=changes, via=via)
    _audit(actor, "route_switch_started", via, client_file=client_file, subject=draft,
           leerroute={"old": version.leerroute, "new": to_route}, reason=switch.reason.value,
           pip_version=draft.number)  # fmt: skip
    return draft


def settings_of(gemeente: Gemeente) -> ProgressSettings:
    """The gemeente's settings (unsaved defaults when never set)."""
    return ProgressSettings.objects.filter(gemeente=gemeente).first() or ProgressSettings(gemeente=gemeente)


@transaction.atomic
def update_settings(*, actor: Actor, data: Mapping[str, Any], via: str = "ui") -> ProgressSettings:
    """The functioneel beheerder sets the attendance threshold of the gemeente (1-100 %)."""
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()
    errors = FieldErrors()
    raw = data.get("attendance_threshold_percent")
    try:
        value = int(str(raw).strip())
        if str(raw).strip() != str(value) and not isinstance(raw, int):
            raise ValueError
    except (TypeError, ValueError):
        value = 0
        errors.add("attendance_threshold_percent", "Vul een heel getal in tussen 1 en 100.")
    else:
        if isinstance(raw, bool) or not 1 <= value <= 100:
            errors.add("attendance_threshold_percent", "Vul een heel getal in tussen 1 en 100.")
    errors.raise_if_any()
    settings, _created = ProgressSettings.objects.select_for_update().get_or_create(gemeente=actor.gemeente)
    old = settings.attendance_threshold_percent if not _created else None
    settings.attendance_threshold_percent = value
    settings.updated_by = actor.user
    settings.save()
    key = selectors.threshold_cache_key(actor.gemeente_id)
    cache.delete(key)  # this transaction reads the new value from here on
    transaction.on_commit(lambda: cache.delete(key))  # and nobody keeps an old value read before the commit
    _audit(actor, "progress_settings_changed", via, subject=settings,
           attendance_threshold_percent={"old": old, "new": value})  # fmt: skip
    return settings
