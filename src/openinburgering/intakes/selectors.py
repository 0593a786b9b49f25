"""Reads of oproepen, brede intakes, leerbaarheidstoetsen and route advice, each in a fixed number of queries.

``latest_route_advice`` and ``assessments_for_pip`` are the interface for the PIP (plans app): the chosen route
and the wishes per leefgebied prefill the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from openinburgering.clients.models import ClientFile, Person
from openinburgering.households.services import current_household
from openinburgering.letters.models import Letter
from openinburgering.rules import CallStatus, IntakeNextStep, intake_next_step

from . import leefgebieden
from .advice import Advice, advise_route
from .choices import IntakeStatus, LbtOutcome, Leefgebied, Leerroute
from .models import Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment, RouteAdvice


def calls_of(client_file: ClientFile) -> list[IntakeCall]:
    """The oproepen of a file, oldest first (one query)."""
    return list(IntakeCall.objects.filter(client_file=client_file).order_by("sequence"))


def next_step_of(calls: list[IntakeCall]) -> IntakeNextStep:
    """What the rules say comes next after these oproepen (W 14, W 22)."""
    return intake_next_step(calls=[CallStatus(call.outcome) for call in calls])


def letters_by_subject(client_file: ClientFile, subject_type: str) -> dict[str, list[Letter]]:
    """Letters of the file about objects of one type, by subject id (one query, without the PDF bytes)."""
    grouped: dict[str, list[Letter]] = defaultdict(list)
    letters = (
        Letter.objects.filter(client_file=client_file, subject_type=subject_type)
        .defer("content")
        .order_by("created_at", "id")
    )
    for letter in letters:
        grouped[letter.subject_id].append(letter)
    return dict(grouped)


@dataclass
class IntakeProgress:
    intake: Intake
    done: list[str] = field(default_factory=list)
    assessments: dict[str, LeefgebiedAssessment] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(leefgebieden.ORDER)

    @property
    def done_count(self) -> int:
        return len(self.done)

    @property
    def complete_enough(self) -> bool:
        return self.done_count == self.total


def progress_of(intake: Intake) -> IntakeProgress:
    """Which leefgebieden of a (prefetched) intake are done."""
    assessments = {a.leefgebied: a for a in intake.assessments.all()}
    done = [code for code in leefgebieden.ORDER if code in assessments and _done(assessments[code])]
    return IntakeProgress(intake=intake, done=done, assessments=assessments)


def _done(assessment: LeefgebiedAssessment) -> bool:
    return leefgebieden.is_done(assessment.leefgebied, assessment.score, assessment.details or {})


def intakes_of(client_file: ClientFile) -> QuerySet[Intake]:
    """The brede intakes of a file with person and assessments (two queries)."""
    return (
        Intake.objects.filter(client_file=client_file)
        .select_related("person")
        .prefetch_related(Prefetch("assessments", queryset=LeefgebiedAssessment.objects.order_by("id")))
        .order_by("started_at", "id")
    )


def intake_progress_of(client_file: ClientFile) -> list[IntakeProgress]:
    return [progress_of(intake) for intake in intakes_of(client_file)]


def household_people(client_file: ClientFile) -> list[tuple[Person, str]]:
    """The file's person and the current members of their household, with the relation (two queries)."""
    person = client_file.person
    people: list[tuple[Person, str]] = [(person, "Inburgeraar")]
    household = current_household(person)
    if household is not None:
        members = household.members.filter(ended_on__isnull=True).exclude(person_id=person.pk).select_related("person")
        people += [(member.person, member.get_relation_display()) for member in members.order_by("relation", "pk")]
    return people


def current_children_ids(client_file: ClientFile) -> list[int]:
    """Person ids of the current children in the household of the file's person."""
    household = current_household(client_file.person)
    if household is None:
        return []
    return list(household.members.filter(ended_on__isnull=True, relation="kind").values_list("person_id", flat=True))


def current_children(client_file: ClientFile) -> list[Person]:
    household = current_household(client_file.person)
    if household is None:
        return []
    members = household.members.filter(ended_on__isnull=True, relation="kind").select_related("person")
    return [member.person for member in members.order_by("person__birth_on", "pk")]


def lbt_tests_of(client_file: ClientFile) -> QuerySet[LearnabilityTest]:
    """Leerbaarheidstoetsen of a file, newest first (one query)."""
    return LearnabilityTest.objects.filter(client_file=client_file).order_by("-created_at", "-id")


def latest_lbt_result(client_file: ClientFile) -> LearnabilityTest | None:
    """The newest toets with a recorded result (one query)."""
    return (
        LearnabilityTest.objects.filter(client_file=client_file, result_recorded_at__isnull=False)
        .order_by("-result_recorded_at", "-id")
        .first()
    )


def route_advices_of(client_file: ClientFile) -> QuerySet[RouteAdvice]:
    return (
        RouteAdvice.objects.filter(client_file=client_file).select_related("created_by").order_by("-created_at", "-id")
    )


def latest_route_advice(client_file: ClientFile) -> RouteAdvice | None:
    """The route the klantregisseur chose last (for the PIP), or None (one query)."""
    return RouteAdvice.objects.filter(client_file=client_file).order_by("-created_at", "-id").first()


def assessments_for_pip(client_file: ClientFile) -> QuerySet[LeefgebiedAssessment]:
    """Assessments of the file's completed and in-progress intakes, with intake and person (one query), in the
    order of the leefgebieden per intake. The PIP reads ``wishes`` per leefgebied from these."""
    return (
        LeefgebiedAssessment.objects.filter(
            intake__client_file=client_file, intake__status__in=(IntakeStatus.IN_PROGRESS, IntakeStatus.COMPLETED)
        )
        .select_related("intake", "intake__person")
        .order_by("intake__started_at", "intake_id", "id")
    )


def current_advice(client_file: ClientFile, *, as_of: date, lbt: LearnabilityTest | None = None) -> Advice:
    """The advice from the newest toets result and the intake of the file's own person (two queries)."""
    if lbt is None:
        lbt = latest_lbt_result(client_file)
    wanted = (Leefgebied.ONDERWIJS, Leefgebied.WERK_INKOMEN)
    assessments = {
        a.leefgebied: a
        for a in LeefgebiedAssessment.objects.filter(
            intake__client_file=client_file, intake__person_id=client_file.person_id, leefgebied__in=wanted
        )
    }
    onderwijs = assessments.get(Leefgebied.ONDERWIJS)
    werk = assessments.get(Leefgebied.WERK_INKOMEN)
    return advise_route(
        lbt_outcome=lbt.outcome if lbt else LbtOutcome.ONBEKEND,
        lbt_score=lbt.score if lbt else None,
        lbt_threshold=lbt.threshold if lbt else None,
        birth_on=client_file.person.birth_on,
        as_of=as_of,
        onderwijs_details=onderwijs.details if onderwijs else None,
        onderwijs_wishes=onderwijs.wishes if onderwijs else "",
        werk_details=werk.details if werk else None,
    )


@dataclass
class SectionIntake:
    person_name: str
    status_label: str
    done_count: int
    total: int


@dataclass
class FileSummary:
    calls: list[IntakeCall]
    next_step: IntakeNextStep
    intakes: list[SectionIntake]
    lbt_outcome_label: str
    lbt_score: int | None
    chosen_route_label: str
    advised_route_label: str


def _done_filter() -> Q:
    return Q(assessments__score__isnull=False) | Q(
        assessments__leefgebied=Leefgebied.GEZONDHEID,
        **{f"assessments__details__{leefgebieden.HEALTH_CONSENT_KEY}": "nee"},
    )


def toets_and_route_annotations() -> dict[str, Subquery]:
    """The latest leerbaarheidstoets and route advice of the outer file as subqueries on a ClientFile queryset
    (``lbt_outcome``, ``lbt_score``, ``chosen_route``, ``advised_route``), so the file page reads them in the row
    it reads anyway (``casefile.summary.summary_and_facts_of``, #18)."""
    latest_lbt = LearnabilityTest.objects.filter(client_file=OuterRef("pk")).order_by("-created_at", "-id")
    latest_route = RouteAdvice.objects.filter(client_file=OuterRef("pk")).order_by("-created_at", "-id")
    return {
        "lbt_outcome": Subquery(latest_lbt.values("outcome")[:1]),
        "lbt_score": Subquery(latest_lbt.values("score")[:1]),
        "chosen_route": Subquery(latest_route.values("chosen_route")[:1]),
        "advised_route": Subquery(latest_route.values("advised_route")[:1]),
    }


def file_summary(client_file: ClientFile, toets_and_route: Mapping[str, Any] | None = None) -> FileSummary:
    """The intake block of the file page in three queries, whatever the number of calls, intakes or tests:
    the calls; the intakes with their done count (the same rule as ``leefgebieden.is_done``); and the latest toets
    and chosen route as subqueries on the file (:func:`toets_and_route_annotations`). A caller that read those
    already (the file page, in its summary row) passes them as ``toets_and_route``: two queries then."""
    calls = calls_of(client_file)
    intakes = (
        Intake.objects.filter(client_file=client_file)
        .annotate(done=Count("assessments", filter=_done_filter()))
        .values("person__given_names", "person__surname_prefix", "person__surname", "status", "done")
        .order_by("started_at", "id")
    )
    row: Mapping[str, Any]
    if toets_and_route is not None:
        row = toets_and_route
    else:
        annotations = toets_and_route_annotations()
        row = ClientFile.objects.filter(pk=client_file.pk).annotate(**annotations).values(*annotations).first() or {}
    total = len(leefgebieden.ORDER)
    return FileSummary(
        calls=calls,
        next_step=next_step_of(calls),
        intakes=[
            SectionIntake(
                person_name=" ".join(
                    part
                    for part in (i["person__given_names"], i["person__surname_prefix"], i["person__surname"])
                    if part
                ),
                status_label=str(IntakeStatus(i["status"]).label),
                done_count=i["done"],
                total=total,
            )
            for i in intakes
        ],
        lbt_outcome_label=str(LbtOutcome(row["lbt_outcome"]).label) if row.get("lbt_outcome") else "",
        lbt_score=row.get("lbt_score"),
        chosen_route_label=str(Leerroute(row["chosen_route"]).label) if row.get("chosen_route") else "",
        advised_route_label=str(Leerroute(row["advised_route"]).label) if row.get("advised_route") else "",
    )
