"""The page to settle a reclaim (#13 leftover a): /dossiers/<file>/ontzorgen/terugvorderen/<obligation>/.

Only for who changes money (financieel consulent, teamleider) and may write the file's financiën section: the door
is ``access_ontzorgen_file(for_write=True)``, so a klantregisseur (reads ontzorgen) and every other role get 404.
The page shows what is still open and offers the gemeente's unmatched bank credits (where a creditor's refund
arrives); the POST runs ``reclaims.settle_reclaim`` once, its Dutch errors back on the form (400). The read is
audited as ``ontzorgen_viewed`` in the same transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.audit.services import record_event
from openinburgering.clients.forms import run_form_service

from . import reclaims, services
from .access import access_obligation, access_ontzorgen_file
from .forms import ReclaimSettlementForm
from .models_bank import StatementLine
from .models_reclaim import SettlementMethod


def line_label(line: StatementLine) -> str:
    """How a bank line is offered: date, amount, who paid, what the bank says (no personal data of ours)."""
    parts = [
        f"{line.booked_on:%d-%m-%Y}" if line.booked_on else "zonder datum",
        services.format_cents(line.amount_cents),
        line.counterparty_name or "afzender onbekend",
    ]
    if line.description:
        parts.append(line.description[:60])
    return " · ".join(parts) + f" (afschrift {line.statement.statement_id})"


@staff_view
@require_http_methods(["GET", "POST"])
def settle(request: HttpRequest, file_id: int, obligation_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id, for_write=True)
        obligation = access_obligation(actor, client_file, obligation_id)
        lines = [(str(line.pk), line_label(line)) for line in reclaims.refund_lines(actor.gemeente_id)]
        if request.method == "POST":
            form = ReclaimSettlementForm(request.POST, lines=lines)
            result = run_form_service(
                form,
                lambda data: reclaims.settle_reclaim(
                    actor=actor, client_file=client_file, obligation=obligation, data=data
                ),
            )
            if result is not None:
                settlement, created = result
                if created:
                    messages.success(
                        request,
                        f"{settlement.get_method_display()}: {services.format_cents(settlement.amount_cents)} is "
                        "geboekt.",
                    )
                else:
                    messages.info(request, "Deze terugbetaling was al geboekt. Er is niets veranderd.")
                return HttpResponseRedirect(
                    reverse("ontzorgen:index", kwargs={"file_id": client_file.pk}) + "#terugvorderen"
                )
        still_open = reclaims.open_amount(obligation)
        if request.method != "POST":
            form = ReclaimSettlementForm(
                lines=lines,
                initial={
                    "method": SettlementMethod.REFUNDED if lines else "",
                    "amount_cents": services.format_cents(still_open).replace("€ ", "") if still_open else "",
                },
            )
        record_event(
            actor=actor, event_type="ontzorgen_viewed", purpose=services.PURPOSE, client_file=client_file,
            subject=obligation,
        )  # fmt: skip
        return render(
            request, "ontzorgen/reclaim_form.html",
            {"client_file": client_file, "person": client_file.person, "obligation": obligation, "form": form,
             "still_open": still_open, "has_lines": bool(lines), "has_errors": bool(form.errors),
             "current_label": "Terugvordering boeken"},
            status=400 if form.errors else 200,
        )  # fmt: skip
