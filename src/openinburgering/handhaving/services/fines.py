"""The W 23 boetevoorstel: earlier fines of the file, ``rules.fine_pip`` and the proposal itself. Keyword-only,
atomic, audited in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import Conflict, NotFound
from openinburgering.intakes.models import IntakeCall
from openinburgering.plans.models import PipVersion

from ..models import (
    CulpabilityChoice,
    DecisionOutcome,
    FineDecision,
    FineGround,
    FineProposal,
    TermijnKindChoice,
)
from .common import KEREN_REFERENCE, TEXT_LIMIT, W22_FINE_STEPS, _audit, _text, current_pip, is_asielstatushouder

# ---------------------------------------------------------------------------------------------------------------
# The fine: earlier fines of the file and rules.fine_pip


@dataclass(frozen=True)
class FineFigures:
    """The W 22 and W 23 boetes already imposed on the file and the earlier W 23 violations (rules input)."""

    w22_total: Decimal
    w23_total: Decimal
    previous: tuple[rules.PreviousW23, ...]

    @property
    def fines_total(self) -> Decimal:
        return self.w22_total + self.w23_total


@dataclass(frozen=True)
class FineOutcome:
    result: rules.FinePip
    figures: FineFigures
    cap: Decimal


def latest_decisions(decisions: Iterable[FineDecision]) -> dict[int, FineDecision]:
    """The newest decision (highest sequence) per proposal."""
    latest: dict[int, FineDecision] = {}
    for decision in decisions:
        current = latest.get(decision.proposal_id)
        if current is None or decision.sequence > current.sequence:
            latest[decision.proposal_id] = decision
    return latest


def decision_is_final(decision: FineDecision, *, on: date, bezwaar_count: int) -> bool:
    """Onherroepelijk (reading): the bezwaartermijn ended before ``on`` and no bezwaar was registered."""
    return bezwaar_count == 0 and decision.bezwaar_term_ends_on is not None and decision.bezwaar_term_ends_on < on


def w22_total(client_file: ClientFile) -> Decimal:
    """The W 22 intake boetes counted as imposed: ``fine_amount`` of oproepen whose next step is a fine step."""
    total = IntakeCall.objects.filter(
        client_file=client_file, next_step__in=W22_FINE_STEPS, fine_amount__isnull=False
    ).aggregate(total=Sum("fine_amount"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def fine_figures(client_file: ClientFile, *, on: date, exclude_proposal_id: int | None = None) -> FineFigures:
    """W 22 + W 23 boetes already imposed on the file and the earlier W 23 violations (two queries)."""
    decisions = (
        FineDecision.objects.filter(proposal__client_file=client_file)
        .exclude(proposal_id=exclude_proposal_id)
        .select_related("proposal")
        .prefetch_related("bezwaren")
    )
    w23 = Decimal("0.00")
    previous: list[rules.PreviousW23] = []
    for decision in latest_decisions(decisions).values():
        if decision.outcome != DecisionOutcome.OPGELEGD:
            continue
        w23 += decision.amount
        previous.append(
            rules.PreviousW23(
                established_on=decision.proposal.established_on,
                final=decision_is_final(decision, on=on, bezwaar_count=len(decision.bezwaren.all())),
            )
        )
    return FineFigures(w22_total=w22_total(client_file), w23_total=w23, previous=tuple(previous))


def compute_fine(
    client_file: ClientFile,
    *,
    culpability: str,
    established_on: date,
    termijn_kind: str = TermijnKindChoice.REGULAR,
    bijstand_reduced: bool = False,
    exclude_proposal_id: int | None = None,
    on: date | None = None,
) -> FineOutcome:
    """``rules.fine_pip`` with the file's earlier boetes (the W 22 boetes count toward the cap, B 7.1 lid 5)."""
    figures = fine_figures(client_file, on=on or core_dates.today(), exclude_proposal_id=exclude_proposal_id)
    kind = rules.TermijnKind(termijn_kind)
    result = rules.fine_pip(
        culpability=rules.Culpability(culpability),
        established_on=established_on,
        previous_w23=figures.previous,
        fines_total=figures.fines_total,
        termijn_kind=kind,
        bijstand_reduced_for_same_conduct=bijstand_reduced,
    )
    return FineOutcome(result=result, figures=figures, cap=kind.cap)


PROPOSAL_FIELDS = (
    "ground", "established_on", "facts", "reasoning", "culpability", "termijn_kind", "bijstand_reduced",
    "persistent_onwil", "keren_reasoning",
)  # fmt: skip


def check_proposal(client_file: ClientFile, data: Mapping[str, Any]) -> tuple[dict[str, Any], PipVersion]:
    """Validate a proposal (every problem at once); return the cleaned data and the vastgestelde PIP."""
    version = current_pip(client_file)
    if version is None:
        raise Conflict(
            "Er is geen vastgesteld PIP. Een boete op grond van artikel 23 kan alleen als er een vastgesteld PIP is."
        )
    errors = FieldErrors()
    clean: dict[str, Any] = {name: data.get(name) for name in PROPOSAL_FIELDS}
    for name in ("facts", "reasoning", "keren_reasoning"):
        clean[name] = _text(clean[name])
        if len(clean[name]) > TEXT_LIMIT:
            errors.add(name, "Gebruik hoogstens 10.000 tekens.")
    clean["bijstand_reduced"] = bool(clean["bijstand_reduced"])
    clean["persistent_onwil"] = bool(clean["persistent_onwil"])
    clean["termijn_kind"] = clean["termijn_kind"] or TermijnKindChoice.REGULAR
    if clean["ground"] not in FineGround.values:
        errors.add("ground", "Kies de grond: waaraan werkt de persoon niet mee?")
    if clean["culpability"] not in CulpabilityChoice.values:
        errors.add("culpability", "Kies hoe verwijtbaar het gedrag is.")
    if clean["termijn_kind"] not in TermijnKindChoice.values:
        errors.add("termijn_kind", "Kies in welke termijn de boete valt.")
    established = clean["established_on"]
    if not isinstance(established, date):
        errors.add("established_on", "Vul de datum in waarop u het niet meewerken heeft vastgesteld.")
    elif established > core_dates.today():
        errors.add("established_on", "De datum kan niet in de toekomst liggen.")
    elif version.dagtekening_on is not None and established < version.dagtekening_on:
        errors.add("established_on", "De datum kan niet voor de dagtekening van het geldende PIP liggen.")
    if not clean["facts"]:
        errors.add("facts", "Beschrijf de feiten: wat is er gebeurd, en wanneer?")
    if not clean["reasoning"]:
        errors.add("reasoning", "Schrijf de motivering op. Zonder motivering kan er geen boete komen.")
    if is_asielstatushouder(client_file):
        if not clean["persistent_onwil"]:
            errors.add(
                "persistent_onwil",
                "Deze persoon is asielstatushouder. Een boete kan alleen als persistente onwil is aangetoond "
                f"({KEREN_REFERENCE}). Is dat niet zo? Stel dan geen boete voor.",
            )
        if not clean["keren_reasoning"]:
            errors.add(
                "keren_reasoning",
                "Schrijf op waaruit de persistente onwil blijkt en waarom de boete evenredig is (Keren).",
            )
    errors.raise_if_any()
    return clean, version


def preview_fine(*, client_file: ClientFile, data: Mapping[str, Any]) -> FineOutcome:
    """What ``rules.fine_pip`` gives for this proposal, without saving (the "Bereken" button)."""
    errors = FieldErrors()
    if data.get("culpability") not in CulpabilityChoice.values:
        errors.add("culpability", "Kies hoe verwijtbaar het gedrag is.")
    if not isinstance(data.get("established_on"), date):
        errors.add("established_on", "Vul de datum in waarop u het niet meewerken heeft vastgesteld.")
    if (data.get("termijn_kind") or TermijnKindChoice.REGULAR) not in TermijnKindChoice.values:
        errors.add("termijn_kind", "Kies in welke termijn de boete valt.")
    errors.raise_if_any()
    return compute_fine(
        client_file,
        culpability=data["culpability"],
        established_on=data["established_on"],
        termijn_kind=data.get("termijn_kind") or TermijnKindChoice.REGULAR,
        bijstand_reduced=bool(data.get("bijstand_reduced")),
    )


@transaction.atomic
def propose_fine(*, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui") -> FineProposal:
    """A W 23 boetevoorstel on a file with a vastgesteld PIP; the amount is ``rules.fine_pip``'s. The caller
    holds the file row lock (access_client_file for_write)."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    clean, version = check_proposal(client_file, data)
    outcome = compute_fine(
        client_file, culpability=clean["culpability"], established_on=clean["established_on"],
        termijn_kind=clean["termijn_kind"], bijstand_reduced=clean["bijstand_reduced"],
    )  # fmt: skip
    proposal = FineProposal.objects.create(
        client_file=client_file, pip_version=version, **clean, asielstatushouder=is_asielstatushouder(client_file),
        amount=outcome.result.amount, base_amount=outcome.result.base_amount,
        repeat_count=outcome.result.repeat_count, capped=outcome.result.capped,
        w22_total=outcome.figures.w22_total, w23_total=outcome.figures.w23_total,
        proposed_at=timezone.now(), proposed_by=actor.user,
    )  # fmt: skip
    _audit(
        actor, "fine_proposed", client_file, proposal, via, ground=proposal.ground,
        culpability=proposal.culpability, amount=proposal.amount, repeat_count=proposal.repeat_count,
        capped=proposal.capped, bijstand_reduced=proposal.bijstand_reduced,
    )  # fmt: skip
    return proposal
