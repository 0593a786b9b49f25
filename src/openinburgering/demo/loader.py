"""`seed_demo`: the staff personas and ~30 demo households, written through the services like real use.

Every person, file, status change, note and household member is made by the services in
`clients/services.py` and `households/services.py`, so the audit trail is exactly what real casework leaves.
To give the files a believable past (an aanmelding months ago, an intake weeks later, a PIP, a traject) the
loader runs each service under a *demo clock*: `django.utils.timezone.now` is set to the moment the step
happened. So nothing is written around the services — not even the back-dated StatusChange rows — and the
audit events carry the same moments as the history they describe. The clock is only ever moved into the
past, one household at a time, in this single-threaded command.

Every household also gets the oproepen, intake, toets, route advice or PIP versions its status stands on
(`stages.stage_for_status`, or the `stage` it names), so no file contradicts itself (issue #11); those rows are
written directly (simulated history, see `demo.stages`), with every statutory value from the rules. A
voortgangsgesprek in the past is then recorded as held through the plans service, so its who is on the timeline.

Idempotent: a household whose head (by BSN) already exists in its gemeente is skipped, so a second run
changes nothing. At the end the daily job's service (`refresh_deadlines`) computes every open file's next
step for today, as the daily job would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente, Membership, User
from openinburgering.clients import services as client_services
from openinburgering.clients.choices import Doelgroep, FileStatus
from openinburgering.clients.models import ClientFile, Person
from openinburgering.core.bsn import is_valid_bsn
from openinburgering.followup import services as followup_services
from openinburgering.households import services as household_services
from openinburgering.intakes.choices import Leerroute
from openinburgering.plans import services as plan_services
from openinburgering.plans.models import ProgressTalk

from . import monitoring, names, netwerk, ontzorgen, ontzorgen_bank, portal, providers, queues
from .households import HOUSEHOLDS, FollowUp, HouseholdSpec, PersonSpec, brp_persons
from .letter_settings import ensure_demo_letter_settings
from .personas import HAARLEM, ensure_staff
from .stages import StageContext, apply_stage, stage_for_status
from .volume import STATUS_PATHS, STATUS_REASONS

DEMO_BSN_FIRST = 999_100_000
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEFAULT_WORKER = {"GM0392": "kim", "GM0473": "zeynep"}
TEAMLEADER = {"GM0392": "tamara", "GM0473": "zoe"}
TALK_SUMMARY = "Gaat goed. Komt elke week naar de les."


@dataclass
class DemoResult:
    created: int = 0
    skipped: int = 0
    refreshed: int = 0
    files: list[int] = field(default_factory=list)


@contextmanager
def demo_clock(moment: datetime) -> Iterator[None]:
    """Runs the services as if it were `moment` (see the module docstring for why)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def demo_bsns(count: int) -> list[str]:
    """The first `count` valid BSNs of the demo range, in order (so each synthetic person keeps its BSN)."""
    found: list[str] = []
    number = DEMO_BSN_FIRST
    while len(found) < count:
        candidate = f"{number:09d}"
        if is_valid_bsn(candidate):
            found.append(candidate)
        number += 1
    return found


def _synthetic_people() -> list[PersonSpec]:
    people: list[PersonSpec] = []
    for spec in HOUSEHOLDS:
        for person in (spec.head, *(m.person for m in spec.members)):
            if not person.brp:
                people.append(person)
    return people


class _Loader:
    def __init__(self, today: date, staff: dict[str, User]) -> None:
        self.today = today
        self.real_now = timezone.now()
        self.staff = staff
        synthetic = _synthetic_people()
        self.bsn_of = dict(zip([id(p) for p in synthetic], demo_bsns(len(synthetic)), strict=True))
        self.house_number = 0

    def moment(self, day: date, minutes: int = 0) -> datetime:
        at = datetime.combine(day, time(9, 0), AMSTERDAM) + timedelta(minutes=minutes)
        return min(at, self.real_now - timedelta(minutes=5))

    def actor(self, username: str, gemeente_code: str) -> Actor:
        membership = Membership.objects.select_related("gemeente", "role", "team").get(
            user=self.staff[username], gemeente__code=gemeente_code
        )
        return Actor(user=self.staff[username], membership=membership)

    def bsn(self, person: PersonSpec) -> str:
        return person.brp or self.bsn_of[id(person)]

    def person_data(self, person: PersonSpec, gemeente_code: str, *, adult: bool) -> dict[str, Any]:
        if person.brp:
            record = brp_persons()[person.brp]
            data: dict[str, Any] = {
                "given_names": record.given_names, "surname_prefix": record.surname_prefix,
                "surname": record.surname, "birth_on": record.birth_on, "sex": record.sex,
                "nationality_id": record.nationality_code or None, "birth_country_id": record.country_code or None,
                "languages": person.languages,
            }  # fmt: skip
        else:
            origin = person.origin or names.SYRIA
            birth_on = self.today - timedelta(days=int(person.age * 365.25) + 40)
            data = {
                "given_names": person.given_names, "surname": person.surname, "birth_on": birth_on,
                "sex": person.sex, "nationality_id": origin.nationality_code,
                "birth_country_id": origin.country_code, "languages": person.languages or origin.languages,
            }  # fmt: skip
        data["bsn"] = self.bsn(person)
        if person.interpreter_language:
            data.update(interpreter_needed=True, interpreter_language=person.interpreter_language)
        if adult:
            self.house_number += 1
            streets = names.HAARLEM_STREETS if gemeente_code == HAARLEM else names.ZANDVOORT_STREETS
            data.update(
                v_number=f"7{data['bsn']}", street=streets[self.house_number % len(streets)],
                house_number=str(10 + self.house_number * 7 % 190),
                postcode=("2031" if gemeente_code == HAARLEM else "2041") + "AB", phone=f"0612{data['bsn'][-6:]}",
                city="Haarlem" if gemeente_code == HAARLEM else "Zandvoort",
            )  # fmt: skip
        return data

    def load(self, spec: HouseholdSpec) -> ClientFile:
        """One household, replayed step by step with the demo clock."""
        k_day = self.today - timedelta(days=spec.kennisgeving_days_ago)
        day = min(self.today, k_day + timedelta(days=3))
        worker = spec.assigned_to or DEFAULT_WORKER[spec.gemeente]
        actor = self.actor(worker, spec.gemeente)
        is_asylum = spec.doelgroep == Doelgroep.ASIELSTATUSHOUDER and spec.residence == "asiel"
        file_data: dict[str, Any] = {
            "doelgroep": spec.doelgroep, "residence": spec.residence, "residence_purpose": spec.purpose,
            "residence_from_on": k_day - timedelta(days=30), "kennisgeving_on": k_day,
            "coa_koppeling_on": k_day - timedelta(days=10) if is_asylum else None,
            "housed_under_taakstelling": is_asylum,
            "registered_on": k_day - timedelta(days=2) if spec.registered else None,
            "housed_on": k_day - timedelta(days=2) if spec.registered else None,
        }  # fmt: skip
        with demo_clock(self.moment(day)):
            client_file = client_services.register_client(
                actor=actor, person_data=self.person_data(spec.head, spec.gemeente, adult=True), file_data=file_data,
                assigned_to=self.staff[spec.assigned_to] if spec.assigned_to else None,
            )  # fmt: skip
        for index, member in enumerate(spec.members):
            data = self.person_data(member.person, spec.gemeente, adult=member.relation == "partner")
            started = max(day, data["birth_on"] + timedelta(days=1))
            with demo_clock(self.moment(started, minutes=10 + index)):
                household_services.add_household_member(
                    actor=actor, client_file=client_file, relation=member.relation, started_on=started,
                    person_data=data, education_kind=member.education_kind, education_name=member.education_name,
                )  # fmt: skip
        notes = list(spec.notes)
        path = STATUS_PATHS[spec.status]
        pip_day = self.today - timedelta(days=spec.pip_days_ago) if spec.pip_days_ago else k_day + timedelta(days=45)
        schedule: dict[str, date] = {
            FileStatus.INTAKE: k_day + timedelta(days=14),
            FileStatus.PIP: pip_day - timedelta(days=5),
            FileStatus.IN_TRAJECT: pip_day + timedelta(days=10),
        }
        for step in path[1:]:
            client_file = ClientFile.objects.select_related("person").get(pk=client_file.pk)
            planned = schedule.get(step, self.today - timedelta(days=spec.closed_days_ago))
            day = min(self.today, max(day, planned))
            with demo_clock(self.moment(day, minutes=60)):
                # checked: the demo's voldaan files are voldaan as DUO reported (their notes say so).
                client_services.change_status(
                    actor=actor, client_file=client_file, to_status=step, reason=STATUS_REASONS[step], checked=True
                )
            if step == FileStatus.PIP and (spec.pip_set or spec.status != FileStatus.PIP):
                day = min(self.today, max(day, pip_day))
                client_file = ClientFile.objects.select_related("person").get(pk=client_file.pk)
                with demo_clock(self.moment(day, minutes=90)):
                    client_services.update_client_file(
                        actor=actor, client_file=client_file, data={"pip_dagtekening_on": day}
                    )
            if notes:
                with demo_clock(self.moment(day, minutes=120)):
                    client_services.add_note(actor=actor, client_file=client_file, body=notes.pop(0))
        for body in notes:
            with demo_clock(self.moment(day, minutes=150)):
                client_services.add_note(actor=actor, client_file=client_file, body=body)
        correction = spec.extra.get("correction")
        if correction:
            last_note = client_file.notes.order_by("-created_at", "-id").first()
            with demo_clock(self.moment(day, minutes=180)):
                client_services.add_note(actor=actor, client_file=client_file, body=correction, corrects=last_note)
        # The klantregisseur opened the file yesterday, so "wie heeft dit dossier ingezien" has an entry.
        with demo_clock(self.moment(self.today - timedelta(days=1), minutes=240)):
            client_services.record_file_read(actor=actor, client_file=client_file)
        stage = spec.stage or stage_for_status(spec.status, pip_set=spec.pip_set)
        if stage:
            client_file = ClientFile.objects.select_related("person").get(pk=client_file.pk)
            context = StageContext(
                today=self.today, worker=self.staff[worker], teamleider=self.staff[TEAMLEADER[spec.gemeente]],
                location="Stadskantoor Haarlem, Zijlvest 39" if spec.gemeente == HAARLEM else "Raadhuis Zandvoort",
                leerroute=spec.extra.get("leerroute", Leerroute.B1),
            )  # fmt: skip
            apply_stage(stage, context, client_file)
            for talk in ProgressTalk.objects.filter(client_file=client_file, planned_on__lt=self.today).order_by(
                "planned_on"
            ):
                with demo_clock(self.moment(talk.planned_on, minutes=360)):
                    plan_services.record_progress_talk(
                        actor=actor, client_file=client_file, talk=talk, held_on=talk.planned_on, summary=TALK_SUMMARY
                    )
        follow_up: FollowUp | None = spec.extra.get("follow_up")
        if follow_up is not None:
            contact_on = self.today - timedelta(days=follow_up.contact_days_ago)
            next_in = follow_up.next_contact_in_days
            with demo_clock(self.moment(contact_on, minutes=300)):
                followup_services.record_follow_up(
                    actor=actor, client_file=client_file,
                    data={
                        "situation": follow_up.situation, "organisation": follow_up.organisation,
                        "hours_per_week": follow_up.hours_per_week, "contact_on": contact_on,
                        "next_contact_on": None if next_in is None else self.today + timedelta(days=next_in),
                        "started_on": contact_on - timedelta(days=30), "note": follow_up.note,
                    },
                )  # fmt: skip
        reassign_to = spec.extra.get("reassign_to")
        if reassign_to:
            leader = self.actor(TEAMLEADER[spec.gemeente], spec.gemeente)
            new_worker = self.staff[reassign_to]
            team = Membership.objects.get(user=new_worker, gemeente__code=spec.gemeente).team
            with demo_clock(self.moment(self.today - timedelta(days=2), minutes=30)):
                client_services.reassign_client_file(
                    actor=leader, client_file=client_file, assigned_to=new_worker, team=team
                )
        return client_file


def load_demo(*, today: date) -> DemoResult:
    """Staff personas first, then each household that is not there yet (one transaction per household)."""
    staff = ensure_staff()
    netwerk.ensure_partner_personas()  # the chain-partner users with their organisations (#14)
    ensure_demo_letter_settings()  # before the households, so their letters carry the contact details
    providers.ensure_demo_providers()
    loader = _Loader(today, staff)
    result = DemoResult()
    gemeenten = {g.code: g.pk for g in Gemeente.objects.filter(code__in={s.gemeente for s in HOUSEHOLDS})}
    for spec in HOUSEHOLDS:
        head_bsn = loader.bsn(spec.head)
        # Members get their BSN from the same deterministic sequence, so count them even when skipped.
        if Person.objects.filter(gemeente_id=gemeenten[spec.gemeente], bsn=head_bsn).exists():
            result.skipped += 1
            continue
        with transaction.atomic():
            client_file = loader.load(spec)
        result.created += 1
        result.files.append(client_file.pk)
    for gemeente_id in gemeenten.values():
        result.refreshed += client_services.refresh_deadlines(as_of=today, gemeente_id=gemeente_id)
    monitoring.ensure_demo_monitoring(today=today, provider=providers.ensure_demo_providers())
    queues.ensure_demo_queues(today=today)  # a boete to decide and a signal to handle (#11 item 14)
    ontzorgen.ensure_demo_ontzorgen(today=today)  # households in every stage and a run to approve (#13)
    netwerk.ensure_demo_referrals(today=today)  # referrals in every state, gijs's warme overdracht, mira (#14)
    ontzorgen_bank.ensure_demo_ontzorgen_bank(today=today)  # a bank statement with a return, toeslagen, loslaten
    portal.ensure_demo_portal()  # three clients with a (mock) DigiD portal login (#15 item 12)
    return result
