"""`make bench`, financieel ontzorgen (#13): a monthly payment run for 10,000 clients with 5 obligations each
(50,000 payments) built, approved and written as a SEPA pain.001.001.09 file validated against its XSD, and the
reconciliation of a 50,000-entry camt.053 statement for that run. Targets: each ≤ 30 s on this machine.

What is measured, through the application's own services (nothing bypassed):
- ``build_run``: selecting what is due and writing the run, 50,000 payments and their ledger entries;
- ``approve_run`` (four eyes, another person): the withheld/sent ledger entries, the SEPA file (streamed with
  lxml's incremental writer), its validation against the official XSD with lxml, and storing it;
- ``reconcile.import_statement``: reading the 50,000-entry camt.053 (XSD validation included) and matching every
  entry by end-to-end id (1% returned with a reason, so the returns and their ledger entries are measured too).

What is NOT measured and how the data is made (bench-only, never in the app): the clients come from the volume
seeder (`manage.py seed`, see demo/volume/); their ontzorgen records, machtigingen and obligations are
bulk-created here with the same field values the services would write (periods from ``rules.ontzorgen``). Every
client has its own landlord's IBAN and its own IBAN for the "overig" obligation; energie, water and
zorgverzekering go to one of 20 suppliers or insurers each (about 20,000 distinct IBANs, each checked with
schwifty in the run). The camt.053 is written by ``ontzorgen.banksim``, a SIMULATED bank: its time is reported
separately.

A separate database (BENCH_ONTZORGEN_DATABASE, default ``oi_bench_ontzorgen``) is recreated on every run, so the
figures are always for a first run of the month. Results: ``bench/results/<date>-ontzorgen.{md,json}`` and the
README section between the ``bench-ontzorgen`` markers. Knobs: BENCH_ONTZORGEN_CLIENTS (10000),
BENCH_ONTZORGEN_OBLIGATIONS (5), BENCH_ADMIN_URL.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_ONTZORGEN_DATABASE", "oi_bench_ontzorgen")
CLIENTS = int(os.environ.get("BENCH_ONTZORGEN_CLIENTS", "10000"))
PER_CLIENT = int(os.environ.get("BENCH_ONTZORGEN_OBLIGATIONS", "5"))
GEMEENTE = "GM0392"
TARGET_S = 30.0
RETURN_EVERY = 100  # 1% of the payments come back (AC04)
BEGIN, END = "<!-- bench-ontzorgen:start -->", "<!-- bench-ontzorgen:end -->"


def log(message: str) -> None:
    print(f"[bench-ontzorgen {datetime.now(UTC):%H:%M:%S}Z] {message}", flush=True)


def db_url() -> str:
    return urlparse(ADMIN_URL)._replace(path="/" + DB_NAME).geturl()


ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "openinburgering.conf.test",
    "DATABASE_URL": db_url(),
    "PYTHONPATH": str(ROOT / "src"),
}


def manage(*args: str) -> str:
    done = subprocess.run([PY, "-m", "django", *args], env=ENV, cwd=ROOT, check=True, text=True, capture_output=True)
    return done.stdout


def recreate_database(report: dict[str, Any]) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    started = time.perf_counter()
    manage("migrate", "--noinput", "-v0")
    report["timings"]["migrate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    manage("seed", "--clients", str(CLIENTS), "--gemeente", GEMEENTE)
    report["timings"]["seed_clients_s"] = round(time.perf_counter() - started, 1)


def seed_ontzorgen(report: dict[str, Any]) -> dict[str, Any]:
    """Ontzorgen records, machtigingen and obligations for CLIENTS files (bulk, bench-only)."""
    from django.db import transaction
    from django.utils import timezone

    from openinburgering import rules
    from openinburgering.accounts.models import Gemeente
    from openinburgering.clients.models import ClientFile
    from openinburgering.core.dates import today
    from openinburgering.demo.personas import ensure_staff
    from openinburgering.ontzorgen.models import Machtiging, Obligation, OntzorgenRecord, OntzorgenSettings
    from openinburgering.ontzorgen.periods import month_start

    started = time.perf_counter()
    users = ensure_staff()
    gemeente = Gemeente.objects.get(code=GEMEENTE)
    frank = users["frank"]
    month = month_start(today())
    outcome = rules.ontzorgen(
        plichtig_wi2021=True, residence=rules.Residence.ASIEL, receives_bijstand=True, bijstand_start_on=month
    )
    kinds = ["huur", "energie", "water", "zorgverzekering", "overig"][:PER_CLIENT]
    shared = {kind: [_iban(1_000_000 * (index + 1) + number) for number in range(20)]
              for index, kind in enumerate(kinds)}  # fmt: skip

    def iban_for(file_id: int, index: int, kind: str) -> str:
        if kind in ("huur", "overig"):  # a landlord and an other creditor of the client's own
            return _iban(10_000_000 * (index + 1) + file_id)
        return shared[kind][file_id % 20]

    now = timezone.now()
    file_ids = list(ClientFile.objects.filter(gemeente=gemeente).order_by("id").values_list("id", flat=True)[:CLIENTS])
    with transaction.atomic():
        OntzorgenSettings.objects.update_or_create(
            gemeente=gemeente, defaults={"debtor_name": "Gemeente Haarlem", "debtor_iban": "NL44RABO0123456789"}
        )
        OntzorgenRecord.objects.bulk_create(
            [
                OntzorgenRecord(
                    client_file_id=file_id,
                    gemeente=gemeente,
                    receives_bijstand=True,
                    bijstand_start_on=month,
                    applies=outcome.applies,
                    reason=str(outcome.reason),
                    start_on=outcome.start_on,
                    end_on=outcome.end_on,
                    items=kinds,
                    updated_by=frank,
                )
                for file_id in file_ids
            ],
            batch_size=5_000,
        )
        Machtiging.objects.bulk_create(
            [
                Machtiging(
                    client_file_id=file_id, kind="machtiging", given_on=month, recorded_at=now, recorded_by=frank
                )
                for file_id in file_ids
            ],
            batch_size=5_000,
        )
        Obligation.objects.bulk_create(
            [
                Obligation(
                    client_file_id=file_id,
                    gemeente=gemeente,
                    kind=kind,
                    creditor_name=f"Schuldeiser {kind} {index % 50}",
                    iban=iban_for(file_id, index, kind),
                    creditor_reference=f"K{file_id}-{index}",
                    polisnummer=f"P{file_id:09d}" if kind == "zorgverzekering" else "",
                    amount_cents=10_000 + 1_000 * index + file_id % 97,
                    day_of_month=1,
                    start_on=month,
                    created_by=frank,
                    updated_by=frank,
                )
                for file_id in file_ids
                for index, kind in enumerate(kinds)
            ],
            batch_size=5_000,
        )
    report["timings"]["seed_ontzorgen_s"] = round(time.perf_counter() - started, 1)
    return {"month": month, "users": users}


def _iban(number: int) -> str:
    """A valid Dutch IBAN (schwifty computes the check digits) for account ``number``, at one of four banks."""
    from schwifty import IBAN

    bank = ("RABO", "INGB", "ABNA", "SNSB")[number % 4]
    return str(IBAN.generate("NL", bank_code=bank, account_code=f"{number % 10**10:010d}").compact)


def measure(report: dict[str, Any], context: dict[str, Any]) -> None:
    from decimal import Decimal

    from openinburgering.accounts.actor import Actor
    from openinburgering.accounts.models import Membership
    from openinburgering.core.dates import today
    from openinburgering.ontzorgen import banksim, reconcile, services
    from openinburgering.ontzorgen.models import OntzorgenSettings, Payment

    def actor_for(user: Any) -> Actor:
        return Actor(
            user=user,
            membership=Membership.objects.select_related("gemeente", "role").get(user=user, gemeente__code=GEMEENTE),
        )

    users = context["users"]
    frank, tamara = actor_for(users["frank"]), actor_for(users["tamara"])
    results = report["results"]

    started = time.perf_counter()
    run, _created = services.build_run(actor=frank, month=context["month"])
    results["build_run_s"] = round(time.perf_counter() - started, 2)
    payments = Payment.objects.filter(run=run).count()
    results["payments"] = payments
    log(f"build_run: {payments} payments in {results['build_run_s']} s")

    started = time.perf_counter()
    run, _ = services.approve_run(actor=tamara, run=run)
    results["approve_sepa_xsd_s"] = round(time.perf_counter() - started, 2)
    payment_file = run.payment_file
    results["sepa_bytes"] = len(bytes(payment_file.content))
    results["sepa_validated_against"] = payment_file.validated_against
    log(f"approve_run (SEPA + XSD): {results['approve_sepa_xsd_s']} s, {results['sepa_bytes']} bytes")

    started = time.perf_counter()
    booked = [
        banksim.BookedPayment(
            end_to_end_id=e2e,
            amount=Decimal(cents) / 100,
            creditor_name=name,
            creditor_iban=iban,
            return_reason="AC04" if index % RETURN_EVERY == 0 else "",
        )
        for index, (e2e, cents, name, iban) in enumerate(
            Payment.objects.filter(run=run)
            .order_by("id")
            .values_list("end_to_end_id", "amount_cents", "creditor_name", "iban")
        )
    ]
    account = OntzorgenSettings.objects.get(gemeente__code=GEMEENTE).debtor_iban
    data = banksim.build_statement(account_iban=account, statement_id=f"BENCH-{today():%Y%m%d}", booked_on=today(),
                                   payments=booked)  # fmt: skip
    results["banksim_write_s"] = round(time.perf_counter() - started, 2)
    results["camt_entries"] = len(booked) + sum(1 for p in booked if p.return_reason)
    results["camt_bytes"] = len(data)

    started = time.perf_counter()
    imported = reconcile.import_statement(actor=frank, data=data, via="job")
    results["reconcile_s"] = round(time.perf_counter() - started, 2)
    results["reconciled"] = {"paid": imported.paid, "returned": imported.returned, "unmatched": imported.unmatched}
    log(f"reconcile: {results['camt_entries']} entries in {results['reconcile_s']} s: {results['reconciled']}")

    started = time.perf_counter()
    again = reconcile.import_statement(actor=frank, data=data, via="job")
    results["reimport_s"] = round(time.perf_counter() - started, 2)
    results["reimport_changed_nothing"] = again.created is False


def render(report: dict[str, Any]) -> str:
    r = report["results"]
    build_total = round(r["build_run_s"] + r["approve_sepa_xsd_s"], 2)

    def verdict(seconds: float) -> str:
        return f"✓ ≤ {TARGET_S:.0f} s" if seconds <= TARGET_S else f"✗ target ≤ {TARGET_S:.0f} s"

    lines = [
        "### Financieel ontzorgen (#13)",
        "",
        f"`bench/ontzorgen_bench.py` (part of `make bench`); measured {report['measured_at']} on {report['machine']}. "
        f"{CLIENTS:,} clients × {PER_CLIENT} obligations in {GEMEENTE}; the camt.053 is written by the simulated bank "
        "(`ontzorgen/banksim.py`, its time not counted). The machine is shared: load average (1, 5, 15 min) "
        f"{report['load_average_before']} before and {report['load_average_after']} after the measured steps, "
        "on 2 cores; "
        "figures measured under load are correspondingly slower than on a quiet machine.",
        "",
        "| step | items | seconds | target |",
        "|---|---:|---:|---|",
        f"| Build the monthly run (`build_run`: select due, payments, ledger) | {r['payments']:,} payments | "
        f"{r['build_run_s']} | — |",
        f"| Approve: ledger, SEPA {r['sepa_validated_against']} streamed (lxml), XSD validation (lxml) | "
        f"{r['sepa_bytes']:,} bytes | {r['approve_sepa_xsd_s']} | — |",
        f"| **Run built and validated (both steps)** | {r['payments']:,} payments | **{build_total}** | "
        f"{verdict(build_total)} |",
        f"| **Reconcile the camt.053** (XSD validation, match by end-to-end id, 1% returns) | "
        f"{r['camt_entries']:,} entries | **{r['reconcile_s']}** | {verdict(r['reconcile_s'])} |",
        f"| The same statement again (changes nothing: {r['reimport_changed_nothing']}) | "
        f"{r['camt_entries']:,} entries | "
        f"{r['reimport_s']} | — |",
        "",
        f"Reconciled: {r['reconciled']['paid']:,} paid, {r['reconciled']['returned']:,} returned, "
        f"{r['reconciled']['unmatched']:,} unmatched. Results: `bench/results/{report['name']}.md`.",
    ]
    return "\n".join(lines) + "\n"


def update_readme(markdown: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    block = f"{BEGIN}\n{markdown}{END}\n"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n", lambda _: block, text, flags=re.S)
    else:
        text = text.replace("<!-- bench:start -->", block + "\n<!-- bench:start -->", 1)
    readme.write_text(text)


def rerender(path: str) -> int:
    """Write the markdown and the README section again from a results JSON (no new measurement)."""
    report = json.loads(Path(path).read_text())
    report.setdefault("name", f"{report['date']}-ontzorgen")
    markdown = render(report)
    (ROOT / "bench" / "results" / f"{report['name']}.md").write_text(markdown)
    update_readme(markdown)
    print(markdown)
    return 0


def main() -> int:
    report: dict[str, Any] = {
        "date": f"{datetime.now(UTC):%Y-%m-%d}",
        "measured_at": f"{datetime.now(UTC):%Y-%m-%d %H:%M}Z",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "clients": CLIENTS, "obligations_per_client": PER_CLIENT, "timings": {}, "results": {},
    }  # fmt: skip
    out = ROOT / "bench" / "results"
    report["name"] = next(
        name
        for name in (f"{report['date']}-ontzorgen{suffix}" for suffix in ("", *(f"-{n}" for n in range(2, 100))))
        if not (out / f"{name}.json").exists()
    )  # a second measurement on the same day gets its own file; the first stays as it was
    log(f"recreating {DB_NAME} and seeding {CLIENTS} clients")
    recreate_database(report)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    context = seed_ontzorgen(report)
    report["load_average_before"] = [round(value, 1) for value in os.getloadavg()]
    measure(report, context)
    report["load_average_after"] = [round(value, 1) for value in os.getloadavg()]
    markdown = render(report)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{report['name']}.md").write_text(markdown)
    (out / f"{report['name']}.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    update_readme(markdown)
    print(markdown)
    return 0  # a missed target shows as ✗ in the table; the bench itself succeeded


if __name__ == "__main__":
    raise SystemExit(rerender(sys.argv[2]) if sys.argv[1:2] == ["--render"] else main())
