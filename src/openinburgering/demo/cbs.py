"""Demo for the quarterly CBS file (#16 item 5), after the simulated monitoring history:

- one Haarlem client missing data for the last completed quarter: Farid Nazari, registered by kim with a
  kennisgeving in that quarter but without a doelgroep, so the file leaves him out until someone fills it in
  (the worklist on /monitoring/cbs/ names him for the teamleider, and shows his dossier number to bram);
- the files of the two quarters before it, made through the services as bram (the job's body run at once, as the
  worker would) and downloaded once each, so the page shows delivered quarters and the start page's worklist shows
  only the open one. These are real files made from the SIMULATED history; they were never sent to CBS.

Idempotent: the client is keyed by BSN, a quarter that already has a file is left alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente, Membership
from openinburgering.clients.models import Person
from openinburgering.clients.services import register_client
from openinburgering.core.jobs import run_job
from openinburgering.monitoring.cbs import services, tasks
from openinburgering.monitoring.cbs.models import CbsDelivery

from .personas import HAARLEM, ensure_staff
from .volume import valid_bsns

BSN_FIRST = 999_290_000  # free range: apart from the households (999_1..), history (999_3..) and BRP (999_9..)
BSN_LAST = 999_299_999
MISSING_SURNAME = "Nazari"


def _actor(username: str, gemeente: Gemeente) -> Actor:
    staff = ensure_staff()
    membership = Membership.objects.select_related("gemeente", "role", "team").get(
        user=staff[username], gemeente=gemeente
    )
    return Actor(user=staff[username], membership=membership)


def ensure_cbs_demo(*, today: date) -> int:
    """Adds what is missing of the demo; returns the number of files made."""
    haarlem = Gemeente.objects.get(code=HAARLEM)
    open_quarter = services.Quarter.last_completed(today)
    bsn = next(valid_bsns(BSN_FIRST, BSN_LAST))
    if not Person.objects.filter(gemeente=haarlem, bsn=bsn).exists():
        kim = _actor("kim", haarlem)
        start = open_quarter.period.period_start_on
        register_client(
            actor=kim,
            person_data={"bsn": bsn, "given_names": "Farid", "surname": MISSING_SURNAME,
                         "birth_on": date(1994, 2, 14), "sex": "M", "languages": "Dari, Engels"},
            file_data={"doelgroep": "", "residence": "asiel", "residence_from_on": start - timedelta(days=60),
                       "kennisgeving_on": start + timedelta(days=20)},
            assigned_to=kim.user,
        )  # fmt: skip
    bram = _actor("bram", haarlem)
    made = 0
    for quarter in (open_quarter.previous().previous(), open_quarter.previous()):
        if quarter.year < 2022 or CbsDelivery.objects.filter(gemeente=haarlem, year=quarter.year,
                                                             quarter=quarter.quarter).exists():  # fmt: skip
            continue
        run = services.request_delivery(actor=bram, quarter=quarter, today=today)
        run_job(run.pk, task=tasks.make_cbs_delivery, body=tasks.make)
        delivery = CbsDelivery.objects.get(job=run)
        services.record_download(actor=bram, delivery=delivery)
        made += 1
    return made
