"""The four-eyes decision on a boete (with the boetebeschikking as a PDF) and a bezwaar against a decision.
Keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.interop import publish
from openinburgering.letters.models import LetterKind
from openinburgering.letters.payment import betalingskenmerk
from openinburgering.letters.selectors import bekendgemaakt_on
from openinburgering.letters.services import create_letter
from openinburgering.plans.services import clean_bezwaar

from ..models import (
    DecisionOutcome,
    FineBezwaar,
    FineDecision,
    FineProposal,
)
from .common import LETTER_TEMPLATE, LETTER_TITLE, TEXT_LIMIT, _audit, _text
from .fines import compute_fine

# ---------------------------------------------------------------------------------------------------------------
# The decision (four eyes) and the boetebeschikking


@transaction.atomic
def decide_fine(
    *,
    actor: Actor,
    client_file: ClientFile,
    proposal: FineProposal,
    outcome: str,
    reason: str = "",
    via: str = "ui",
) -> FineDecision:
    """The teamleider decides: opgelegd (with the boetebeschikking as a PDF) or afgezien (with a reason). Never
    the proposer (four eyes; also a database check). A later decision on the same proposal is a new row."""
    if not actor.can(Capability.DECIDE_FINES):
        raise NotFound()
    if actor.user.pk == proposal.proposed_by_id:
        message = (
            "U heeft deze boete zelf voorgesteld. Een andere teamleider moet beslissen (vier ogen). Vraag een "
            "andere teamleider om dit voorstel te beoordelen."
        )
        raise ApplicationError(message, field_errors={"decision": [message]})
    errors = FieldErrors()
    text = _text(reason)
    if outcome not in DecisionOutcome.values:
        errors.add("outcome", "Kies: boete opleggen of afzien van een boete.")
    if outcome == DecisionOutcome.AFGEZIEN and not text:
        errors.add("reason", "Schrijf op waarom u afziet van een boete.")
    if len(text) > TEXT_LIMIT:
        errors.add("reason", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    day = core_dates.today()
    previous = FineDecision.objects.filter(proposal=proposal).aggregate(top=Max("sequence"))["top"] or 0
    computed = compute_fine(
        client_file, culpability=proposal.culpability, established_on=proposal.established_on,
        termijn_kind=proposal.termijn_kind, bijstand_reduced=proposal.bijstand_reduced,
        exclude_proposal_id=proposal.pk, on=day,
    )  # fmt: skip
    result = computed.result
    letter = None
    term_ends_on = None
    if outcome == DecisionOutcome.OPGELEGD:
        if result.amount <= 0:
            message = (
                "Volgens de regels is de boete € 0 (de bijstand is al verlaagd voor hetzelfde gedrag, of het "
                "maximum aan boetes is bereikt). Kies 'Afzien van een boete' en schrijf de reden op."
            )
            raise ApplicationError(message, field_errors={"outcome": [message]})
        term_ends_on = rules.bezwaar_termijn(bekendgemaakt_on=day).term_ends_on
        letter = create_letter(
            actor=actor, client_file=client_file, kind=LetterKind.BOETE_W23, template_name=LETTER_TEMPLATE,
            context=letter_context(proposal, result=result, decided_on=day, bezwaar_until=term_ends_on),
            subject=proposal, via=via,
        )  # fmt: skip
    decision = FineDecision.objects.create(
        proposal=proposal, sequence=previous + 1, outcome=outcome, reason=text,
        amount=result.amount if outcome == DecisionOutcome.OPGELEGD else Decimal("0.00"),
        repeat_count=result.repeat_count, capped=result.capped, decided_on=day, bezwaar_term_ends_on=term_ends_on,
        letter=letter, decided_at=timezone.now(), decided_by=actor.user, proposed_by_id=proposal.proposed_by_id,
    )  # fmt: skip
    if letter is not None:
        publish.beschikking(
            client_file, besluit="boete", subject_id=decision.pk, letter=letter, datum=day, ingangsdatum=day,
            toelichting="Boete persoonlijk plan (artikel 23 Wet inburgering 2021)",
        )  # fmt: skip
    _audit(
        actor, "fine_decided", client_file, decision, via, proposal=proposal.pk, sequence=decision.sequence,
        outcome=outcome, amount=decision.amount, letter=letter.pk if letter else None,
    )  # fmt: skip
    return decision


def letter_context(
    proposal: FineProposal, *, result: rules.FinePip, decided_on: date, bezwaar_until: date
) -> dict[str, Any]:
    """What the boetebeschikking says, from the structured facts only (issue #11 item 7): the ground, the date
    it was established, the culpability, repeat and cap, the amount, and how and by when to pay (Awb 4:87 via
    ``rules.betalingstermijn``; a betalingskenmerk with check digits from the fine). The staff's Feiten,
    Motivering, Keren reasoning and the teamleider's reason stay internal."""
    client_file = proposal.client_file
    return {
        "title": LETTER_TITLE,
        "reference": f"BOETE-{proposal.pk}",
        "ground": proposal.ground,
        "established_on": proposal.established_on,
        "culpability": proposal.culpability,
        "percentage": rules.Culpability(proposal.culpability).percentage,
        "amount": result.amount,
        "base_amount": result.base_amount,
        "repeat_count": result.repeat_count,
        "capped": result.capped,
        "first_amount": rules.PIP_FINE_BASE,
        "max_amount": rules.PIP_FINE_MAX,
        "decided_on": decided_on,
        "bezwaar_until": bezwaar_until,
        "pay_by_on": rules.betalingstermijn(bekendgemaakt_on=decided_on).pay_by_on,
        "betalingskenmerk": betalingskenmerk(gemeente_code=client_file.gemeente.code, fine_id=proposal.pk),
        "gemeente_payee": f"Gemeente {client_file.gemeente.name}",
    }


@transaction.atomic
def register_fine_bezwaar(
    *,
    actor: Actor,
    client_file: ClientFile,
    decision: FineDecision,
    received_on: date | None,
    grounds: str,
    via: str = "ui",
) -> FineBezwaar:
    """A bezwaarschrift against an imposed boete; in time or not is ``rules.bezwaar_termijn``'s answer."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    if decision.outcome != DecisionOutcome.OPGELEGD:
        raise Conflict("Bezwaar kan alleen tegen een opgelegde boete.")
    # The term runs from sending (Awb 6:8, 3:41): the letter's recorded send date, the decision date until then.
    bekendgemaakt = bekendgemaakt_on(decision.letter_id, fallback=decision.decided_on)
    received_on, text, term = clean_bezwaar(received_on=received_on, grounds=grounds, bekendgemaakt_on=bekendgemaakt)
    bezwaar = FineBezwaar.objects.create(
        decision=decision, received_on=received_on, term_ends_on=term.term_ends_on, on_time=bool(term.on_time),
        grounds=text, registered_at=timezone.now(), registered_by=actor.user,
    )  # fmt: skip
    _audit(actor, "fine_bezwaar_registered", client_file, bezwaar, via, decision=decision.pk,
           received_on=received_on, term_ends_on=term.term_ends_on, on_time=bezwaar.on_time)  # fmt: skip
    return bezwaar
