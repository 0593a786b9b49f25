"""The next statutory step of a client file: which action is due first, with every statutory date asked of the
rules module (never computed here). Dates that staff planned (an oproep, a leerbaarheidstoets, a
voortgangsgesprek) are used as planned.

The result is stored on ClientFile (next_deadline_on/kind) so worklists can sort and filter in the database;
`clients.services.refresh_file_deadline` (after a change) and `refresh_deadlines` (the daily job) keep it
current. `deadlines_for(files, as_of=...)` loads what it needs for a whole batch in a constant number of queries
(:data:`FACT_QUERIES`); `next_deadline(file, as_of=..., facts=...)` decides for one file.

Which steps apply (the earliest date wins, so an overdue step always comes first):

Before the first PIP is vastgesteld
- ``intake_call``: the last oproep is still pending — on its planned day (W 14).
- ``intake_next_step``: the last oproep failed and ``rules.intake_next_step`` (or the snapshot stored on the
  call) says a warning with a new oproep, or a boete with a new termijn, or a boete and an intake in absence —
  due on the day the outcome was recorded, i.e. act now (W 14 lid 1-2, W 22).
- ``lbt_planned``: a leerbaarheidstoets is planned and has no result yet.
- ``pip_due`` (and ``pip_due_registration``, ``pip_due_third_party``, ``pip_due_move``): the PIP deadline of
  ``rules.pip_deadline`` with its basis (B 5.3 lid 1-3); ``pip_waiting`` while the rules say it cannot be known.

After the first PIP (termijn from ``rules.file_termijn``, :func:`termijn_of`)
- ``progress_talk``: the first voortgangsgesprek that was planned and not held (B 5.3 lid 4).
- ``route_switch_window_closes``: while the 18 months to change leerroute are open (B 5.4).
- ``extension_request_opens``: until the day an extension can be requested (B 4.5 lid 1).
- ``termijn_ends``: the end of the inburgeringstermijn (W 11), extended when DUO reported a longer termijn that
  ``rules.file_termijn`` reads as the PIP's termijn plus whole months (W 12, B 4.4; a retracted report
  does not count): :func:`termijn_of`.

After the plicht (vervolg; not statutory, see ``followup.services``)
- ``followup_plan``: voldaan and no follow-up recorded yet — due on the day the file became voldaan (act now).
- ``followup_contact``: the next follow-up contact the klantregisseur planned (voldaan, vrijgesteld/ontheven).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openinburgering import rules

from .choices import FileStatus
from .models import ClientFile

DEADLINE_LABELS = {
    "intake_call": _("Oproep brede intake"),
    "intake_next_step": _("Volgende stap na gemiste oproep"),
    "lbt_planned": _("Leerbaarheidstoets gepland"),
    "pip_due": _("PIP vaststellen"),
    "pip_due_registration": _("PIP vaststellen (10 weken na inschrijving)"),
    "pip_due_third_party": _("PIP vaststellen (2 weken na informatie van derden)"),
    "pip_due_move": _("PIP vaststellen (10 weken na verhuizing)"),
    "pip_waiting": _("PIP-termijn start na inschrijving of informatie derden"),
    "progress_talk": _("Voortgangsgesprek"),
    "route_switch_window_closes": _("Laatste dag wisselen leerroute"),
    "extension_request_opens": _("Verlenging termijn kan worden aangevraagd"),
    "termijn_ends": _("Einde inburgeringstermijn"),
    "followup_plan": _("Vervolg vastleggen: werk, opleiding of participatie"),
    "followup_contact": _("Vervolgcontact"),
}

# The "Soort stap" filter of the worklists: one choice per kind of work, the PIP bases together.
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "intake_call": ("intake_call",),
    "intake_next_step": ("intake_next_step",),
    "lbt_planned": ("lbt_planned",),
    "pip_due": ("pip_due", "pip_due_registration", "pip_due_third_party", "pip_due_move"),
    "pip_waiting": ("pip_waiting",),
    "progress_talk": ("progress_talk",),
    "route_switch_window_closes": ("route_switch_window_closes",),
    "extension_request_opens": ("extension_request_opens",),
    "termijn_ends": ("termijn_ends",),
    "followup": ("followup_plan", "followup_contact"),
}
KIND_GROUP_LABELS = {
    "intake_call": _("Oproep brede intake"),
    "intake_next_step": _("Volgende stap na gemiste oproep"),
    "lbt_planned": _("Leerbaarheidstoets"),
    "pip_due": _("PIP vaststellen"),
    "pip_waiting": _("Wacht op start PIP-termijn"),
    "progress_talk": _("Voortgangsgesprek"),
    "route_switch_window_closes": _("Wisselen leerroute"),
    "extension_request_opens": _("Verlenging aanvragen"),
    "termijn_ends": _("Einde inburgeringstermijn"),
    "followup": _("Vervolg na de inburgering"),
}

_PIP_KIND = {
    rules.PipDeadlineBasis.KENNISGEVING: "pip_due",
    rules.PipDeadlineBasis.REGISTRATION: "pip_due_registration",
    rules.PipDeadlineBasis.THIRD_PARTY: "pip_due_third_party",
    rules.PipDeadlineBasis.MOVE: "pip_due_move",
}

# Steps after a failed oproep that ask the klantregisseur to act (a letter, a new oproep, a boete).
_ACT_NOW_STEPS = frozenset(
    {
        rules.IntakeStep.WARNING_AND_REPEAT_CALL,
        rules.IntakeStep.FINE_AND_NEW_TERM,
        rules.IntakeStep.FINE_AND_INTAKE_IN_ABSENCE,
    }
)

_FAILED_CALLS = frozenset({rules.CallStatus.NO_SHOW, rules.CallStatus.INSUFFICIENT_COOPERATION})

_NO_DEADLINE_STATUSES = {
    FileStatus.VERHUISD,
    FileStatus.BEEINDIGD,
}
_FOLLOW_UP_STATUSES = {FileStatus.VOLDAAN, FileStatus.VRIJGESTELD_ONTHEVEN}

FACT_QUERIES = 5
"""Queries `load_facts` runs for a batch of any size: oproepen, toetsen, intakes, voortgangsgesprekken and the
newest follow-up contacts (the termijn DUO reported is stored on the file)."""


@dataclass(frozen=True)
class NextDeadline:
    due_on: date | None
    kind: str


@dataclass(frozen=True)
class CallFact:
    """One oproep as the deadlines need it (oldest first in :class:`FileFacts`)."""

    outcome: str
    planned_on: date
    outcome_on: date | None
    next_step: str  # the snapshot stored on the call, "" when none


@dataclass(frozen=True)
class FileFacts:
    """What a file's deadline depends on besides the file row. Third-party information and a move (B 5.3 lid 2
    and 3) are not registered on the file yet; they are inputs here so the rules' bases are kept."""

    calls: tuple[CallFact, ...] = ()
    lbt_planned_on: date | None = None
    intake_completed: bool = False
    next_talk_on: date | None = None
    awaiting_third_party: bool = False
    third_party_received_on: date | None = None
    moved_registered_on: date | None = None
    has_follow_up: bool = False
    next_follow_up_on: date | None = None


NO_FACTS = FileFacts()


def _local_day(value: datetime | None) -> date | None:
    return None if value is None else timezone.localdate(value)


def load_facts(file_ids: Sequence[int]) -> dict[int, FileFacts]:
    """The oproepen, toetsen, intakes, open voortgangsgesprekken and newest follow-up contacts of many files in
    FACT_QUERIES queries."""
    from openinburgering.followup.selectors import latest_by_file
    from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest
    from openinburgering.plans.models import ProgressTalk

    ids = [pk for pk in file_ids if pk is not None]
    if not ids:
        return {}
    calls: dict[int, list[CallFact]] = defaultdict(list)
    for row in (
        IntakeCall.objects.filter(client_file_id__in=ids)
        .order_by("client_file_id", "sequence")
        .values_list("client_file_id", "outcome", "planned_at", "outcome_recorded_at", "next_step")
    ):
        file_id, outcome, planned_at, recorded_at, step = row
        planned_on = _local_day(planned_at)
        assert planned_on is not None  # planned_at is required
        calls[file_id].append(CallFact(outcome, planned_on, _local_day(recorded_at), step))
    lbt: dict[int, date] = {}
    for file_id, lbt_at in (
        LearnabilityTest.objects.filter(
            client_file_id__in=ids, planned_at__isnull=False, result_recorded_at__isnull=True, taken_on__isnull=True
        )
        .order_by("client_file_id", "planned_at")
        .values_list("client_file_id", "planned_at")
    ):
        day = _local_day(lbt_at)
        if file_id not in lbt and day is not None:
            lbt[file_id] = day
    completed = set(
        Intake.objects.filter(client_file_id__in=ids, status="completed").values_list("client_file_id", flat=True)
    )
    talks: dict[int, date] = {}
    for file_id, planned_on in (
        ProgressTalk.objects.filter(client_file_id__in=ids, held_on__isnull=True)
        .order_by("client_file_id", "planned_on")
        .values_list("client_file_id", "planned_on")
    ):
        talks.setdefault(file_id, planned_on)
    follow_ups = latest_by_file(ids)
    return {
        pk: FileFacts(
            calls=tuple(calls.get(pk, ())),
            lbt_planned_on=lbt.get(pk),
            intake_completed=pk in completed,
            next_talk_on=talks.get(pk),
            has_follow_up=pk in follow_ups,
            next_follow_up_on=follow_ups[pk].next_contact_on if pk in follow_ups else None,
        )
        for pk in ids
    }


def _intake_step(calls: Sequence[CallFact]) -> str:
    last = calls[-1]
    if last.next_step:
        return last.next_step
    try:
        return rules.intake_next_step(calls=[rules.CallStatus(c.outcome) for c in calls]).next_step
    except (rules.RuleInputError, ValueError):  # an inconsistent history: no automatic step
        return ""


def _before_pip(client_file: ClientFile, facts: FileFacts) -> tuple[list[tuple[date, str]], str]:
    """Dated candidates before the first PIP, and the undated kind to show when there is none."""
    candidates: list[tuple[date, str]] = []
    if facts.calls:
        last = facts.calls[-1]
        if last.outcome == rules.CallStatus.PENDING:
            candidates.append((last.planned_on, "intake_call"))
        elif last.outcome in _FAILED_CALLS:
            step = _intake_step(facts.calls)
            in_absence_done = step == rules.IntakeStep.FINE_AND_INTAKE_IN_ABSENCE and facts.intake_completed
            if step in _ACT_NOW_STEPS and not in_absence_done:
                candidates.append((last.outcome_on or last.planned_on, "intake_next_step"))
    if facts.lbt_planned_on is not None:
        candidates.append((facts.lbt_planned_on, "lbt_planned"))
    undated = ""
    if client_file.kennisgeving_on is not None:
        pip = rules.pip_deadline(
            kennisgeving_on=client_file.kennisgeving_on,
            housed_under_taakstelling=client_file.housed_under_taakstelling,
            registered_on=client_file.registered_on,
            awaiting_third_party=facts.awaiting_third_party,
            third_party_received_on=facts.third_party_received_on,
            moved_registered_on=facts.moved_registered_on,
        )
        if pip.pip_due_on is None:
            undated = "pip_waiting"
        else:
            candidates.append((pip.pip_due_on, _PIP_KIND[pip.basis]))
    return candidates, undated


def termijn_of(client_file: ClientFile) -> rules.FileTermijn | None:
    """The file's inburgeringstermijn, the one the next step, every page, the API and the portal use (None before
    the first vaststelling; ``plans.services.termijn_of`` is this function): ``rules.file_termijn`` from the first
    dagtekening and the newest termijn DUO reported, as the DUO import stored it on the file (no query). DUO's
    extension (W 12) counts when its report fits the PIP; a report that does not fit leaves the PIP's termijn
    (``duo_report`` says so, and the import raised a 'termijn wijkt af' signal for a person to look at)."""
    if client_file.pip_dagtekening_on is None:
        return None
    return termijn_for_pip(client_file, dagtekening_on=client_file.pip_dagtekening_on)


def termijn_for_pip(client_file: ClientFile, *, dagtekening_on: date) -> rules.FileTermijn:
    """:func:`termijn_of` for a PIP vastgesteld (or previewed) on ``dagtekening_on``: the file's first dagtekening
    when it has one (W 11 lid 3: a changed PIP does not move the termijn), else this one (the first PIP)."""
    return rules.file_termijn(
        pip_dagtekening_on=client_file.pip_dagtekening_on or dagtekening_on,
        duo_startdatum_on=client_file.duo_termijn_start_on,
        duo_einddatum_on=client_file.duo_termijn_einddatum_on,
    )


def _after_pip(period: rules.FileTermijn, facts: FileFacts, as_of: date) -> list[tuple[date, str]]:
    candidates = [(period.termijn_end_on, "termijn_ends")]
    if facts.next_talk_on is not None:
        candidates.append((facts.next_talk_on, "progress_talk"))
    # Windows that open or close are only a step while they lie ahead; once passed they are not overdue work.
    if as_of <= period.route_switch_until_on:
        candidates.append((period.route_switch_until_on, "route_switch_window_closes"))
    if as_of <= period.extension_request_from_on:
        candidates.append((period.extension_request_from_on, "extension_request_opens"))
    return candidates


def _follow_up(client_file: ClientFile, facts: FileFacts) -> NextDeadline:
    """After the plicht: record the follow-up (voldaan without one), then the contact the klantregisseur planned."""
    if facts.next_follow_up_on is not None:
        return NextDeadline(facts.next_follow_up_on, "followup_contact")
    if client_file.status == FileStatus.VOLDAAN and not facts.has_follow_up:
        return NextDeadline(_local_day(client_file.status_changed_at), "followup_plan")
    return NextDeadline(None, "")


def next_deadline(client_file: ClientFile, *, as_of: date, facts: FileFacts | None = None) -> NextDeadline:
    """The first step due for the file (see the module docstring). Without `facts` they are loaded for this one
    file (FACT_QUERIES queries; none for an unsaved file)."""
    if client_file.status in _NO_DEADLINE_STATUSES:
        return NextDeadline(None, "")
    if facts is None:
        facts = load_facts([client_file.pk]).get(client_file.pk, NO_FACTS) if client_file.pk else NO_FACTS
    if client_file.status in _FOLLOW_UP_STATUSES:
        return _follow_up(client_file, facts)
    undated = ""
    termijn = termijn_of(client_file)
    if termijn is None:
        candidates, undated = _before_pip(client_file, facts)
    else:
        candidates = _after_pip(termijn, facts, as_of)
    if not candidates:
        return NextDeadline(None, undated)
    # The earliest date wins; on the same day the order of the steps above (an earlier step first).
    order = list(DEADLINE_LABELS)
    due_on, kind = min(candidates, key=lambda item: (item[0], order.index(item[1])))
    return NextDeadline(due_on, kind)


def deadlines_for(files: Iterable[ClientFile], *, as_of: date) -> dict[int, NextDeadline]:
    """The next deadline of every (saved) file, loading the facts of the whole batch at once."""
    batch = list(files)
    facts = load_facts([f.pk for f in batch])
    return {f.pk: next_deadline(f, as_of=as_of, facts=facts.get(f.pk, NO_FACTS)) for f in batch}
