"""Ontzorgen fixtures: an asielstatushouder's file with bijstand, the gemeente's account, obligations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.ontzorgen import services
from openinburgering.ontzorgen.models import Obligation
from openinburgering.ontzorgen.periods import month_start

GEMEENTE_IBAN = "NL91ABNA0417164300"
LANDLORD_IBAN = "NL18RABO0123459876"
INSURER_IBAN = "NL20INGB0001234567"


def obligation_data(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "huur",
        "creditor_name": "Woonstichting Elan",
        "iban": LANDLORD_IBAN,
        "creditor_reference": "Huurcontract 4711",
        "amount_cents": 65000,
        "day_of_month": 1,
        "start_on": month_start(today()),
        **changes,
    }


@pytest.fixture
def account(actor) -> Any:
    return services.save_settings(
        actor=actor("frank"), data={"debtor_name": "Gemeente Haarlem", "debtor_iban": GEMEENTE_IBAN}
    )


@pytest.fixture
def ontzorgen_file(make_file, actor) -> Callable[..., ClientFile]:
    """A file with bijstand from ``start`` (default: the first of this month) and a machtiging (unless told)."""

    def make(*, start: date | None = None, machtiging: bool = True, **record: Any) -> ClientFile:
        client_file = make_file()
        frank = actor("frank")
        services.record_ontzorgen(
            actor=frank, client_file=client_file,
            data={"receives_bijstand": True, "bijstand_start_on": start or month_start(today()), **record},
        )  # fmt: skip
        if machtiging:
            services.record_machtiging(
                actor=frank, client_file=client_file, data={"kind": "machtiging", "given_on": today()}
            )
        return client_file

    return make


@pytest.fixture
def obligation(actor) -> Callable[..., Obligation]:
    def make(client_file: ClientFile, **changes: Any) -> Obligation:
        return services.record_obligation(
            actor=actor("frank"), client_file=client_file, data=obligation_data(**changes)
        )

    return make


@pytest.fixture
def approved_run(account: Any, ontzorgen_file: Any, obligation: Any, actor: Any) -> Any:
    """Two clients, three obligations, one run built by frank and approved by tamara."""
    first = ontzorgen_file()
    second = ontzorgen_file()
    obligation(first)
    obligation(first, kind="zorgverzekering", creditor_name="Zilveren Kruis", iban=INSURER_IBAN,
               polisnummer="123456789", amount_cents=14_250)  # fmt: skip
    obligation(second, amount_cents=71_000)
    run, _ = services.build_run(actor=actor("frank"), month=month_start(today()))
    run, _ = services.approve_run(actor=actor("tamara"), run=run)
    return run


from tests.api.conftest import api, token  # noqa: E402, F401 -- fixtures shared with the API tests
