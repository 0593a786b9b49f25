"""The summary of a client file, derived in one place from its records (issue #11 item 4).

Status, oproepen, brede intake, PIP and the next oproep step used to be read by each page on its own, so a file
could say "In traject" next to "Eerste oproep plannen", or "afgerond" next to "3 van 9 klaar". Every page and the
API now ask :func:`summaries_for` (a fixed number of queries for any number of files) and show its labels.

Rules of the summary:
- The brede intake is that of the file's own person (the inburgeringsplichtige); household members' intakes are
  shown on the intake page.
- The PIP is vastgesteld when the file has a dagtekening or a vastgestelde (or later vervangen) version.
- The next oproep step comes from ``rules.intake_next_step`` and only applies while the intake still has to
  happen: the file is aangemeld or in intake, its intake is not completed and no PIP is vastgesteld. Otherwise
  there is no oproep step (``""``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.db.models import BooleanField, Count, Q

from openinburgering import rules
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile
from openinburgering.core import sql
from openinburgering.intakes import leefgebieden
from openinburgering.intakes.choices import CallOutcome, IntakeStatus, IntakeStep, Leefgebied
from openinburgering.intakes.models import Intake, IntakeCall, LeefgebiedAssessment
from openinburgering.plans.choices import OPEN_PIP_STATUSES, PipStatus
from openinburgering.plans.models import PipVersion

SUMMARY_QUERIES = 3
"""Queries :func:`summaries_for` runs for a batch of any size: oproepen, intakes, PIP versions."""

# Before the PIP: the statuses in which oproepen for the brede intake are still the work to do.
_OPROEP_STATUSES = frozenset({FileStatus.AANGEMELD, FileStatus.INTAKE})


class CallState(StrEnum):
    NONE = "none"
    PENDING = "pending"
    APPEARED = "appeared"
    FAILED = "failed"


class IntakeState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class PipState(StrEnum):
    NONE = "none"
    CONCEPT = "concept"
    TER_GOEDKEURING = "ter_goedkeuring"
    VASTGESTELD = "vastgesteld"


_CALL_LABELS = {
    CallState.NONE: "Nog geen oproep",
    CallState.PENDING: "Gepland",
    CallState.APPEARED: "Verschenen",
    CallState.FAILED: "Niet verschenen of niet meegewerkt",
}
_PIP_LABELS = {
    PipState.NONE: "Nog geen PIP",
    PipState.CONCEPT: "In voorbereiding (concept)",
    PipState.TER_GOEDKEURING: "Ter goedkeuring bij de teamleider",
    PipState.VASTGESTELD: "Vastgesteld",
}


@dataclass(frozen=True)
class FileSummary:
    """What a page says about a file. States are codes (for the API and tests); ``*_label`` is the Dutch text."""

    status: str
    call_state: CallState
    call_count: int
    intake_state: IntakeState
    intake_done: int
    intake_total: int
    intake_in_absence: bool
    pip_state: PipState
    pip_dagtekening_on: date | None
    oproep_step: str  # a rules.IntakeStep code, "" when no oproep step applies

    @property
    def status_label(self) -> str:
        return str(FileStatus(self.status).label)

    @property
    def call_label(self) -> str:
        if self.call_state == CallState.NONE:
            return _CALL_LABELS[CallState.NONE]
        return f"Oproep {self.call_count}: {_CALL_LABELS[self.call_state].lower()}"

    @property
    def intake_label(self) -> str:
        if self.intake_state == IntakeState.NOT_STARTED:
            return "Nog niet gestart"
        if self.intake_state == IntakeState.IN_PROGRESS:
            return f"Bezig: {self.intake_done} van {self.intake_total} leefgebieden klaar"
        if self.intake_in_absence:
            return f"Afgerond zonder de persoon ({self.intake_done} van {self.intake_total} leefgebieden)"
        return "Afgerond"

    @property
    def pip_label(self) -> str:
        if self.pip_state == PipState.VASTGESTELD and self.pip_dagtekening_on is not None:
            return f"Vastgesteld op {self.pip_dagtekening_on:%d-%m-%Y}"
        return _PIP_LABELS[self.pip_state]

    @property
    def stage_label(self) -> str:
        """Where the file stands, in one line for a worklist row."""
        if self.pip_state == PipState.VASTGESTELD:
            return self.pip_label.replace("Vastgesteld", "PIP vastgesteld", 1)
        if self.pip_state == PipState.TER_GOEDKEURING:
            return "PIP ter goedkeuring"
        if self.pip_state == PipState.CONCEPT:
            return "PIP in voorbereiding"
        if self.intake_state == IntakeState.COMPLETED:
            return "Brede intake afgerond, nog geen PIP"
        if self.intake_state == IntakeState.IN_PROGRESS:
            return f"Brede intake bezig ({self.intake_done} van {self.intake_total})"
        return self.call_label

    @property
    def oproep_step_label(self) -> str:
        if self.oproep_step:
            return str(IntakeStep(self.oproep_step).label)
        if self.pip_state == PipState.VASTGESTELD:
            return "Geen: het PIP is vastgesteld"
        if self.intake_state == IntakeState.COMPLETED:
            return "Geen: de brede intake is afgerond"
        if self.status not in _OPROEP_STATUSES:
            return "Geen: er zijn geen oproepen meer nodig"
        return str(IntakeStep.NONE.label)


def _call_state(outcome: str | None) -> CallState:
    if outcome is None:
        return CallState.NONE
    if outcome == CallOutcome.PENDING:
        return CallState.PENDING
    if outcome == CallOutcome.APPEARED:
        return CallState.APPEARED
    return CallState.FAILED


def _oproep_step(status: str, calls: Sequence[str], intake: IntakeState, pip: PipState) -> str:
    """The rules' next step after these oproepen (oldest first), while the intake still has to happen."""
    if status not in _OPROEP_STATUSES or intake == IntakeState.COMPLETED or pip == PipState.VASTGESTELD:
        return ""
    try:
        return str(rules.intake_next_step(calls=[rules.CallStatus(outcome) for outcome in calls]).next_step)
    except (rules.RuleInputError, ValueError):  # an inconsistent history: no automatic step
        return ""


def _done_filter() -> Q:
    """``leefgebieden.is_done`` as a filter: a score, or gezondheid without consent."""
    return Q(assessments__score__isnull=False) | Q(
        assessments__leefgebied=Leefgebied.GEZONDHEID,
        **{f"assessments__details__{leefgebieden.HEALTH_CONSENT_KEY}": "nee"},
    )


def _intake_state(status: str) -> IntakeState:
    if status == IntakeStatus.COMPLETED:
        return IntakeState.COMPLETED
    return IntakeState.IN_PROGRESS if status else IntakeState.NOT_STARTED


def _pip_state(
    *, dagtekening_on: date | None, vastgesteld: bool, ter_goedkeuring: bool, open_version: bool
) -> PipState:
    if dagtekening_on or vastgesteld:
        return PipState.VASTGESTELD
    if ter_goedkeuring:
        return PipState.TER_GOEDKEURING
    return PipState.CONCEPT if open_version else PipState.NONE


def stage_annotations(*, calls: bool = True) -> dict[str, Any]:
    """The facts of :attr:`FileSummary.stage_label` as correlated subqueries on a ClientFile queryset, so a worklist
    reads them in its own query instead of SUMMARY_QUERIES more (#18). Written as SQL (core.sql: Django's compiling
    of nine Subquery expressions cost the caseload more CPU than the rest of its query); the same facts as
    :func:`summaries_for` reads (tests/casefile/test_worklist_facts.py compares them). Read them back with
    :func:`stage_label_of`. Without ``calls`` the two oproep facts are left out, for a reader that reads the
    oproepen themselves (:func:`call_outcomes_for`, :func:`summary_of_row`)."""
    consent, consent_params = sql.json_text(
        "oi_a." + sql.column(LeefgebiedAssessment, "details"), leefgebieden.HEALTH_CONSENT_KEY
    )
    names = {
        "file": sql.outer(ClientFile), "person": sql.outer(ClientFile, "person"),
        "calls": sql.table(IntakeCall), "call_file": sql.column(IntakeCall, "client_file"),
        "outcome": sql.column(IntakeCall, "outcome"), "sequence": sql.column(IntakeCall, "sequence"),
        "intakes": sql.table(Intake), "intake_id": sql.column(Intake, "id"),
        "intake_file": sql.column(Intake, "client_file"), "intake_person": sql.column(Intake, "person"),
        "intake_status": sql.column(Intake, "status"), "in_absence": sql.column(Intake, "in_absence"),
        "assessments": sql.table(LeefgebiedAssessment),
        "assessment_intake": sql.column(LeefgebiedAssessment, "intake"),
        "score": sql.column(LeefgebiedAssessment, "score"),
        "leefgebied": sql.column(LeefgebiedAssessment, "leefgebied"),
        "consent": consent,
        "versions": sql.table(PipVersion), "version_file": sql.column(PipVersion, "client_file"),
        "version_status": sql.column(PipVersion, "status"),
    }  # fmt: skip
    names["own_intake"] = "oi_i.{intake_file} = {file} AND oi_i.{intake_person} = {person}".format(**names)

    def pip_exists(statuses: Sequence[str]) -> Any:
        # A row or NULL rather than EXISTS: the same value on PostgreSQL and SQLite.
        return sql.raw(
            "SELECT 1 FROM {versions} oi_p WHERE oi_p.{version_file} = {file} AND oi_p.{version_status} IN ({marks}) "
            "LIMIT 1",
            {**names, "marks": ", ".join(["%s"] * len(statuses))},
            [str(status) for status in statuses],
            BooleanField(),
        )

    call_facts = {
        "stage_call_count": sql.raw("SELECT COUNT(*) FROM {calls} oi_c WHERE oi_c.{call_file} = {file}", names),
        "stage_last_outcome": sql.raw(
            "SELECT oi_c.{outcome} FROM {calls} oi_c WHERE oi_c.{call_file} = {file} ORDER BY oi_c.{sequence} DESC "
            "LIMIT 1",
            names,
        ),
    }
    return {
        **(call_facts if calls else {}),
        "stage_intake_status": sql.raw(
            "SELECT oi_i.{intake_status} FROM {intakes} oi_i WHERE {own_intake} LIMIT 1", names
        ),
        "stage_intake_in_absence": sql.raw(
            "SELECT oi_i.{in_absence} FROM {intakes} oi_i WHERE {own_intake} LIMIT 1", names, (), BooleanField()
        ),
        "stage_intake_done": sql.raw(
            "SELECT COUNT(*) FROM {assessments} oi_a JOIN {intakes} oi_i "
            "ON oi_i.{intake_id} = oi_a.{assessment_intake} WHERE {own_intake} "
            "AND (oi_a.{score} IS NOT NULL OR (oi_a.{leefgebied} = %s AND {consent} = %s))",
            names,
            [str(Leefgebied.GEZONDHEID), *consent_params, "nee"],
        ),
        "stage_pip_vastgesteld": pip_exists((PipStatus.VASTGESTELD, PipStatus.VERVANGEN)),
        "stage_pip_ter_goedkeuring": pip_exists((PipStatus.TER_GOEDKEURING,)),
        "stage_pip_open": pip_exists(OPEN_PIP_STATUSES),
    }


def _summary_of_row(
    row: Mapping[str, Any], *, last_outcome: str | None, call_count: int, calls: Sequence[str] | None
) -> FileSummary:
    intake = _intake_state(row["stage_intake_status"] or "")
    pip = _pip_state(
        dagtekening_on=row["pip_dagtekening_on"],
        vastgesteld=bool(row["stage_pip_vastgesteld"]),
        ter_goedkeuring=bool(row["stage_pip_ter_goedkeuring"]),
        open_version=bool(row["stage_pip_open"]),
    )
    return FileSummary(
        status=row["status"],
        call_state=_call_state(last_outcome),
        call_count=call_count,
        intake_state=intake,
        intake_done=int(row["stage_intake_done"]),
        intake_total=len(leefgebieden.ORDER),
        intake_in_absence=bool(row["stage_intake_in_absence"]),
        pip_state=pip,
        pip_dagtekening_on=row["pip_dagtekening_on"],
        oproep_step="" if calls is None else _oproep_step(row["status"], calls, intake, pip),
    )


def stage_label_of(row: Mapping[str, Any]) -> str:
    """The stage label of a worklist row read with :func:`stage_annotations` (and ``status`` and
    ``pip_dagtekening_on`` of the file): the same rules as :func:`summaries_for`. The next oproep step is not part
    of a stage label, so it is not read here."""
    call_count = int(row["stage_call_count"])
    last_outcome = row["stage_last_outcome"] if call_count else None
    return _summary_of_row(row, last_outcome=last_outcome, call_count=call_count, calls=None).stage_label


def summary_of_row(row: Mapping[str, Any], calls: Sequence[str]) -> FileSummary:
    """The whole summary of a row read with ``stage_annotations(calls=False)`` (and ``status`` and
    ``pip_dagtekening_on`` of the file), given the outcomes of its oproepen oldest first (:func:`call_outcomes_of`):
    the same as :func:`summaries_for` (tests/casefile/test_worklist_facts.py), without its three queries (#18)."""
    return _summary_of_row(row, last_outcome=calls[-1] if calls else None, call_count=len(calls), calls=calls)


def call_outcomes_annotation() -> dict[str, Any]:
    """The outcomes of the outer file's oproepen as a correlated subquery (``stage_call_outcomes``), so a worklist
    that needs the whole summary reads them in its own query instead of :func:`call_outcomes_for` (#18). The text
    holds ``sequence:outcome`` pairs in any order; :func:`call_outcomes_of` reads them back oldest first."""
    names = {
        "file": sql.outer(ClientFile), "calls": sql.table(IntakeCall),
        "call_file": sql.column(IntakeCall, "client_file"),
        "pair": sql.text_list(
            "oi_c.{} || ':' || oi_c.{}".format(sql.column(IntakeCall, "sequence"), sql.column(IntakeCall, "outcome"))
        ),
    }  # fmt: skip
    return {"stage_call_outcomes": sql.raw("SELECT {pair} FROM {calls} oi_c WHERE oi_c.{call_file} = {file}", names)}


def call_outcomes_of(row: Mapping[str, Any]) -> list[str]:
    """The outcomes of a row read with :func:`call_outcomes_annotation`, oldest first (as :func:`call_outcomes_for`)."""
    text = row["stage_call_outcomes"]
    if not text:
        return []
    pairs = sorted(
        (int(sequence), outcome) for sequence, _, outcome in (pair.partition(":") for pair in text.split(","))
    )
    return [outcome for _sequence, outcome in pairs]


def call_outcomes_for(file_ids: Sequence[int]) -> dict[int, list[str]]:
    """The outcomes of each file's oproepen, oldest first; every file id has a list (1 query)."""
    calls: dict[int, list[str]] = {pk: [] for pk in file_ids}
    if not calls:
        return calls
    for file_id, outcome in (
        IntakeCall.objects.filter(client_file_id__in=file_ids)
        .order_by("client_file_id", "sequence")
        .values_list("client_file_id", "outcome")
    ):
        calls[file_id].append(outcome)
    return calls


def summaries_for(files: Sequence[ClientFile]) -> dict[int, FileSummary]:
    """The summary of each (saved) file in SUMMARY_QUERIES queries, whatever the number of files."""
    batch = [f for f in files if f.pk is not None]
    if not batch:
        return {}
    ids = [f.pk for f in batch]
    calls = call_outcomes_for(ids)
    person_of = {f.pk: f.person_id for f in batch}
    intakes: dict[int, tuple[str, bool, int]] = {}
    for row in (
        Intake.objects.filter(client_file_id__in=ids)
        .annotate(done=Count("assessments", filter=_done_filter()))
        .values("client_file_id", "person_id", "status", "in_absence", "done")
    ):
        if row["person_id"] == person_of[row["client_file_id"]]:
            intakes[row["client_file_id"]] = (row["status"], row["in_absence"], row["done"])
    versions: dict[int, set[str]] = {pk: set() for pk in ids}
    for file_id, version_status in PipVersion.objects.filter(client_file_id__in=ids).values_list(
        "client_file_id", "status"
    ):
        versions[file_id].add(version_status)
    total = len(leefgebieden.ORDER)
    result: dict[int, FileSummary] = {}
    for client_file in batch:
        pk = client_file.pk
        status, in_absence, done = intakes.get(pk, ("", False, 0))
        intake = _intake_state(status)
        statuses = versions[pk]
        pip = _pip_state(
            dagtekening_on=client_file.pip_dagtekening_on,
            vastgesteld=bool(statuses & {PipStatus.VASTGESTELD, PipStatus.VERVANGEN}),
            ter_goedkeuring=PipStatus.TER_GOEDKEURING in statuses,
            open_version=bool(statuses & set(OPEN_PIP_STATUSES)),
        )
        file_calls = calls[pk]
        result[pk] = FileSummary(
            status=client_file.status,
            call_state=_call_state(file_calls[-1] if file_calls else None),
            call_count=len(file_calls),
            intake_state=intake,
            intake_done=done,
            intake_total=total,
            intake_in_absence=in_absence,
            pip_state=pip,
            pip_dagtekening_on=client_file.pip_dagtekening_on,
            oproep_step=_oproep_step(client_file.status, file_calls, intake, pip),
        )
    return result


def summary_and_facts_of(client_file: ClientFile, facts: Mapping[str, Any]) -> tuple[FileSummary, dict[str, Any]]:
    """The summary of one saved file, as :func:`summary_of`, and in the same query ``facts``: further annotations
    on the file's row (a block's counts, the latest toets and route), read back by name. The file page asks only
    the facts of the sections the actor sees, so a fact of another section is never read (#12, #18)."""
    annotations = {**stage_annotations(calls=False), **call_outcomes_annotation()}
    clash = annotations.keys() & facts.keys()
    if clash:
        raise ValueError(f"facts named like the summary's own: {sorted(clash)}")
    row = (
        ClientFile.objects.filter(pk=client_file.pk).annotate(**annotations, **facts).values(*annotations, *facts).get()
    )
    found = {name: row[name] for name in facts}
    row = {**row, "status": client_file.status, "pip_dagtekening_on": client_file.pip_dagtekening_on}
    return summary_of_row(row, call_outcomes_of(row)), found


def summary_of(client_file: ClientFile) -> FileSummary:
    """The summary of one saved file in one query (#18; it was SUMMARY_QUERIES): the facts of
    :func:`stage_annotations` and the oproepen of :func:`call_outcomes_annotation` as subqueries on the file's row,
    the same facts as :func:`summaries_for` (tests/casefile/test_worklist_facts.py), with the status and PIP
    dagtekening of the object given."""
    return summary_and_facts_of(client_file, {})[0]
