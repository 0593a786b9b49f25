"""Demo data of financieel ontzorgen (#13): the gemeente's paying account, asielstatushouders' households in every
stage (starting this month, running, ending within 60 days, ended) with their vaste lasten and machtiging, one
with a vaste last without IBAN (on the worklist), last month's run approved with its SEPA file, and this month's
run built by frank and waiting for a second person (tamara or another financieel consulent).

Everything goes through ontzorgen.services, as in real use. Idempotent: files that already have an ontzorgen record
are left alone, and the runs are built only when the gemeente has none, so a second ``make run`` adds nothing.
The IBANs are published example numbers of Dutch banks (they pass the checksum); the creditors are fictional."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Membership
from openinburgering.clients.choices import CLOSED_STATUSES
from openinburgering.clients.models import ClientFile
from openinburgering.ontzorgen import services
from openinburgering.ontzorgen.models import OntzorgenRecord, OntzorgenSettings, PaymentRun
from openinburgering.ontzorgen.periods import month_start
from openinburgering.rules.dates import add_months

from .personas import HAARLEM

GEMEENTE_IBAN = "NL91ABNA0417164300"
LANDLORD_IBAN = "NL18RABO0123459876"
INSURER_IBAN = "NL20INGB0001234567"
ENERGY_IBAN = "NL69INGB0123456789"


@dataclass(frozen=True)
class Stage:
    name: str
    start_months_ago: int  # the bijstand starts on the first of the month this many months ago
    bijstand_ended_months_ago: int | None = None
    iban_missing: bool = False


STAGES: tuple[Stage, ...] = (
    Stage("starting", 0),
    Stage("running", 2, iban_missing=True),
    Stage("ending", 5),
    Stage("ended", 8, bijstand_ended_months_ago=3),
)


def _actor(username: str) -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "gemeente", "role", "team")
        .filter(user__username=username, gemeente__code=HAARLEM)
        .first()
    )
    return None if membership is None else Actor(user=membership.user, membership=membership)


def _candidate_files(gemeente_id: int) -> list[ClientFile]:
    """Haarlem's open files of asielstatushouders without ontzorgen yet, oldest first."""
    return list(
        ClientFile.objects.filter(gemeente_id=gemeente_id, residence="asiel", doelgroep="asielstatushouder")
        .exclude(status__in=CLOSED_STATUSES)
        .filter(ontzorgen_record__isnull=True)
        .select_related("person", "gemeente")
        .order_by("pk")[: len(STAGES)]
    )


def ensure_demo_ontzorgen(*, today: date) -> int:
    """Adds what is missing; returns the number of files given ontzorgen (0 on a second run)."""
    frank, tamara = _actor("frank"), _actor("tamara")
    if frank is None or tamara is None:
        return 0
    if not OntzorgenSettings.objects.filter(gemeente_id=frank.gemeente_id).exists():
        services.save_settings(
            actor=frank, via="command",
            data={"debtor_name": "Gemeente Haarlem (demo)", "debtor_iban": GEMEENTE_IBAN},
        )  # fmt: skip
    if OntzorgenRecord.objects.filter(gemeente_id=frank.gemeente_id).exists():
        return 0
    this_month = month_start(today)
    created = 0
    for stage, client_file in zip(STAGES, _candidate_files(frank.gemeente_id), strict=False):
        start = add_months(this_month, -stage.start_months_ago)
        ended = (
            add_months(this_month, -stage.bijstand_ended_months_ago) - timedelta(days=1)
            if stage.bijstand_ended_months_ago is not None
            else None
        )
        services.record_ontzorgen(
            actor=frank, client_file=client_file, via="command",
            data={"receives_bijstand": True, "bijstand_start_on": start, "bijstand_end_on": ended},
        )  # fmt: skip
        services.record_machtiging(
            actor=frank, client_file=client_file, via="command",
            data={"kind": "machtiging", "given_on": min(start, today), "document_reference": f"MA-{client_file.pk}"},
        )  # fmt: skip
        end_on = ended
        services.record_obligation(
            actor=frank, client_file=client_file, via="command",
            data={"kind": "huur", "creditor_name": "Woonstichting Spaarneland (fictief)", "iban": LANDLORD_IBAN,
                  "creditor_reference": f"Huurcontract {client_file.pk:05d}", "amount_cents": 61250 + 1000 * created,
                  "day_of_month": 1, "start_on": start, "end_on": end_on},
        )  # fmt: skip
        services.record_obligation(
            actor=frank, client_file=client_file, via="command",
            data={"kind": "zorgverzekering", "creditor_name": "Zorgverzekeraar Kennemer (fictief)",
                  "iban": INSURER_IBAN, "polisnummer": f"P{client_file.pk:08d}", "creditor_reference": "Premie",
                  "amount_cents": 14_395, "day_of_month": 5, "start_on": start, "end_on": end_on},
        )  # fmt: skip
        services.record_obligation(
            actor=frank, client_file=client_file, via="command",
            data={"kind": "energie", "creditor_name": "Energie Zuid-Kennemerland (fictief)",
                  "iban": "" if stage.iban_missing else ENERGY_IBAN, "creditor_reference": f"Klant {client_file.pk}",
                  "amount_cents": 9_800, "day_of_month": 10, "start_on": start, "end_on": end_on},
        )  # fmt: skip
        created += 1
    if not PaymentRun.objects.filter(gemeente_id=frank.gemeente_id).exists():
        last_month = add_months(this_month, -1)
        previous, _ = services.build_run(actor=frank, month=last_month, via="command")
        services.approve_run(actor=tamara, run=previous, via="command")
        services.build_run(actor=frank, month=this_month, via="command")  # waits for a second person
    return created
