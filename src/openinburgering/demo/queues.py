"""Every worklist queue of the demo start page has something in it (#11 item 14): a boetevoorstel waiting for the
teamleider's decision and a DUO signal on a file waiting to be handled. (A PIP waiting for approval comes from
the households' stages.)

Both are made through the services as in real use: the klantregisseur proposes the boete with
``handhaving.services.propose_fine`` and DUO's SS102 (the inburgeringstermijn started) arrives through
``signals.services.import_duo_events``. Keyed, so a second run adds nothing: the proposal by its facts, the DUO
message by its berichtId (the import itself ignores a message it already has)."""

from __future__ import annotations

from datetime import date, timedelta

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Membership
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile
from openinburgering.handhaving.models import FineProposal
from openinburgering.handhaving.services import propose_fine
from openinburgering.plans.choices import PipStatus
from openinburgering.rules import termijn
from openinburgering.signals.models import SignalMessage
from openinburgering.signals.services import import_duo_events

from .personas import HAARLEM

FINE_FACTS = "Drie keer niet naar de PVT-bijeenkomst gekomen (3, 10 en 17 november)."
DUO_MESSAGE_ID = "demo-ss102-termijn-1"


def _kim() -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "gemeente", "role", "team")
        .filter(user__username="kim", gemeente__code=HAARLEM)
        .first()
    )
    return None if membership is None else Actor(user=membership.user, membership=membership)


def _files_with_a_pip(actor: Actor) -> list[ClientFile]:
    return list(
        ClientFile.objects.filter(
            gemeente_id=actor.gemeente_id, assigned_to=actor.user, status=FileStatus.IN_TRAJECT,
            pip_dagtekening_on__isnull=False, pip_versions__status=PipStatus.VASTGESTELD,
        ).select_related("person", "gemeente").order_by("pk")[:2]
    )  # fmt: skip


def ensure_demo_queues(*, today: date) -> int:
    """Adds what is missing; returns the number of things created (0 on a second run)."""
    actor = _kim()
    if actor is None:
        return 0
    files = _files_with_a_pip(actor)
    if len(files) < 2:
        return 0
    created = 0
    if not FineProposal.objects.filter(client_file__gemeente_id=actor.gemeente_id, facts=FINE_FACTS).exists():
        propose_fine(actor=actor, client_file=files[0], via="command", data={
            "ground": "pvt", "established_on": today, "facts": FINE_FACTS,
            "reasoning": "Gesprek gevoerd en een waarschuwing gestuurd; daarna nog steeds niet gekomen.",
            "culpability": "normaal", "termijn_kind": "regular", "bijstand_reduced": False,
            "persistent_onwil": True,
            "keren_reasoning": "Na drie gesprekken en een tolk weigert de persoon steeds; de boete is laag en "
                               "evenredig.",
        })  # fmt: skip
        created += 1
    if not SignalMessage.objects.filter(external_id=DUO_MESSAGE_ID).exists():
        client_file = files[1]
        assert client_file.pip_dagtekening_on is not None
        period = termijn(pip_dagtekening_on=client_file.pip_dagtekening_on)
        received = f"{today - timedelta(days=1):%Y-%m-%d}T09:30:00+01:00"  # a moment already past
        import_duo_events(actor=actor, via="command", events=[{
            "berichtId": DUO_MESSAGE_ID, "gebeurtenisId": "SS102", "registratieDatumTijd": received,
            "bsn": client_file.person.bsn,
            "gemeentecode": HAARLEM.removeprefix("GM"),
            "inburgeringstermijn": {"startdatum": period.termijn_start_on.isoformat(),
                                    "einddatum": period.duo_einddatum_on.isoformat()},
        }])  # fmt: skip
        created += 1
    return created
