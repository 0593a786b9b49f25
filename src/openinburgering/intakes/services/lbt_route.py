"""The leerbaarheidstoets (plan, result with the outcome from ``openinburgering.rules``) and the route advice.
Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import PURPOSE_CASEWORK, refresh_file_deadline
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict
from openinburgering.letters.models import Letter, LetterKind
from openinburgering.letters.services import create_letter
from openinburgering.rules import fine_intake, lbt_outcome

from .. import selectors
from ..choices import LbtOntheffing, Leerroute
from ..models import LearnabilityTest, RouteAdvice
from .common import _lock, _require_change, _require_open

# ---------------------------------------------------------------------------------------------------------------
# Leerbaarheidstoets


@transaction.atomic
def plan_lbt(
    *, actor: Actor, client_file: ClientFile, planned_at: datetime | None, location: str, send_letter: bool = False,
    via: str = "ui",
) -> tuple[LearnabilityTest, Letter | None]:  # fmt: skip
    _require_change(actor)
    locked = _lock(client_file)
    _require_open(locked)
    errors = FieldErrors()
    location = location.strip()
    if planned_at is None:
        errors.add("planned_at", "Vul de datum en tijd van de toets in.")
    elif planned_at < timezone.now():
        errors.add("planned_at", "De toets moet in de toekomst liggen.")
    if not location:
        errors.add("location", "Vul de plaats van de toets in.")
    elif len(location) > 200:
        errors.add("location", "Gebruik maximaal 200 tekens.")
    if LearnabilityTest.objects.filter(client_file=locked, result_recorded_at__isnull=True).exists():
        errors.add("planned_at", "Er staat al een toets gepland. Leg eerst de uitslag daarvan vast.")
    errors.raise_if_any()
    assert planned_at is not None
    lbt = LearnabilityTest.objects.create(
        client_file=locked, planned_at=planned_at, location=location, created_at=timezone.now(), created_by=actor.user
    )
    record_event(
        actor=actor, event_type="lbt_planned", purpose=PURPOSE_CASEWORK, client_file=locked, subject=lbt,
        changes={"planned_at": {"old": None, "new": planned_at.isoformat()}}, via=via,
    )  # fmt: skip
    letter = None
    if send_letter:
        letter = create_letter(
            actor=actor, client_file=client_file, kind=LetterKind.LBT_UITNODIGING,
            template_name="letters/lbt_uitnodiging.html",
            context={"title": "Uitnodiging voor de leerbaarheidstoets", "lbt": lbt,
                     "planned_at": timezone.localtime(planned_at), "fine_amount": fine_intake().amount,
                     "reference": "LBT"},
            subject=lbt, via=via,
        )  # fmt: skip
    refresh_file_deadline(client_file)  # the next step on the worklists follows this change
    return lbt, letter


@transaction.atomic
def record_lbt_result(
    *, actor: Actor, client_file: ClientFile, lbt: LearnabilityTest, taken_on: date | None = None,
    score: int | None = None, ontheffing: str = "", via: str = "ui",
) -> LearnabilityTest:  # fmt: skip
    """Record the result (date and score out of 40) or an ontheffing (W 14 lid 6), with the outcome and the cesuur
    from ``rules.lbt_outcome``. Recorded once."""
    _require_change(actor)
    _lock(client_file)
    current = LearnabilityTest.objects.select_for_update().get(pk=lbt.pk, client_file=client_file)
    if current.result_recorded_at is not None:
        raise Conflict("De uitslag van deze toets is al vastgelegd.")
    errors = FieldErrors()
    if ontheffing not in LbtOntheffing.values:
        errors.add("ontheffing", "Kies een van de mogelijkheden.")
    if ontheffing:
        if score is not None or taken_on is not None:
            errors.add(
                "ontheffing", "Vul een ontheffing óf een uitslag in, niet allebei. Bij ontheffing is er geen toets."
            )
    else:
        if taken_on is None:
            errors.add("taken_on", "Vul de datum in waarop de toets is gemaakt.")
        if score is None:
            errors.add("score", "Vul de score in (0 tot en met 40).")
    if taken_on is not None and taken_on > today():
        errors.add("taken_on", "De datum van de toets kan niet in de toekomst liggen.")
    if score is not None and (isinstance(score, bool) or not 0 <= score <= 40):
        errors.add("score", "De score is een getal van 0 tot en met 40.")
    errors.raise_if_any()
    result = lbt_outcome(
        taken_on=taken_on,
        score=score,
        visual_impairment=ontheffing == LbtOntheffing.VISUEEL,
        auditive_impairment_unable=ontheffing == LbtOntheffing.AUDITIEF,
    )
    current.taken_on, current.score, current.ontheffing = taken_on, score, ontheffing
    current.outcome, current.threshold = result.outcome.value, result.threshold
    current.result_recorded_at, current.result_recorded_by = timezone.now(), actor.user
    current.save()
    record_event(
        actor=actor, event_type="lbt_result_recorded", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=current, changes={"outcome": {"old": "onbekend", "new": current.outcome},
                                  "threshold": current.threshold, "ontheffing": ontheffing},
        via=via,
    )  # fmt: skip
    refresh_file_deadline(client_file)  # the next step on the worklists follows this change
    return current


# ---------------------------------------------------------------------------------------------------------------
# Route advice


@transaction.atomic
def choose_route(
    *, actor: Actor, client_file: ClientFile, chosen_route: str, onderwijsroute_considered: str,
    deviation_reason: str = "", via: str = "ui",
) -> RouteAdvice:  # fmt: skip
    """Record the advice of this moment and the route the klantregisseur chose (insert-only). Another route than
    advised needs a reason; the onderwijsroute is always weighed in writing (RvS 24-12-2024, ECLI:NL:RVS:2024:5413)."""
    _require_change(actor)
    locked = _lock(client_file)
    _require_open(locked)
    lbt = selectors.latest_lbt_result(locked)
    advice = selectors.current_advice(client_file, as_of=today(), lbt=lbt)
    errors = FieldErrors()
    deviation_reason, considered = deviation_reason.strip(), onderwijsroute_considered.strip()
    if advice.route is None:
        raise ApplicationError(
            "Er is nog geen advies. Leg eerst de uitslag van de leerbaarheidstoets of de ontheffing vast."
        )
    if chosen_route not in Leerroute.values:
        errors.add("chosen_route", "Kies de B1-route, de onderwijsroute of de Z-route.")
    elif chosen_route != advice.route and not deviation_reason:
        errors.add(
            "deviation_reason",
            f"U kiest een andere route dan het advies ({advice.route.label}). Schrijf op waarom.",
        )
    if not considered:
        errors.add(
            "onderwijsroute_considered",
            "Schrijf op hoe u de onderwijsroute heeft afgewogen. Dat is altijd nodig (Raad van State, "
            "24 december 2024).",
        )
    for name, text in (("deviation_reason", deviation_reason), ("onderwijsroute_considered", considered)):
        if len(text) > 5000:
            errors.add(name, "Gebruik maximaal 5.000 tekens.")
    errors.raise_if_any()
    route_advice = RouteAdvice.objects.create(
        client_file=locked, advised_route=advice.route, advice_reasons=advice.reasons_text, chosen_route=chosen_route,
        deviation_reason=deviation_reason if chosen_route != advice.route else "",
        onderwijsroute_considered=considered, lbt=lbt, created_at=timezone.now(), created_by=actor.user,
    )  # fmt: skip
    record_event(
        actor=actor, event_type="route_advice_recorded", purpose=PURPOSE_CASEWORK, client_file=locked,
        subject=route_advice,
        changes={"advised_route": advice.route.value, "chosen_route": {"old": None, "new": chosen_route},
                 "deviates": chosen_route != advice.route},
        via=via,
    )  # fmt: skip
    return route_advice
