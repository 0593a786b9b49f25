"""The figures of the contract dashboard and the cohort table, aggregated in the database.

Scope: contracts of the actor's gemeente plus the contracts of its arbeidsmarktregio. Every client figure counts
only enrolments of files of the actor's OWN gemeente — for a region contract the other gemeenten's clients are
never counted. The number of queries is constant (6 for the dashboard, 2 for the cohort table), whatever the
number of providers, contracts or clients.

Choices (documented, also on the page):
- hours contracted = planned hours per week x weeks of each placed enrolment (geaccepteerd, gestopt, afgerond),
  the weeks clipped to the filter period: (days in the period + 1) / 7;
- cost per hour uses the ATTENDED hours x the hourly rate (the gemeente pays for lessons that were followed);
- cost per result counts PASSED exam parts x the result amount; cost per route counts placed enrolments x the
  route price; a mixed contract adds up every part whose price is filled in;
- outflow: voldaan = the file's status is voldaan; route switched = the file has PIP versions (vastgesteld or
  vervangen) with more than one leerroute; stopped = the enrolment's status is gestopt;
- at work / in education / participating = the situation of the file's newest vervolgcontact after the plicht
  (``followup``); files without a vervolgcontact are not counted there (never guessed);
- cohort = the year the file was opened (``ClientFile.opened_on``); every file has it, while a PIP dagtekening
  exists only for files that reached a PIP, so "started" would miss people still in intake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest, Least
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.followup.choices import Situation
from openinburgering.followup.selectors import latest_situation
from openinburgering.intakes.choices import Leerroute
from openinburgering.plans.choices import PipStatus
from openinburgering.plans.models import PipVersion
from openinburgering.providers.access import visible_to_gemeente
from openinburgering.providers.choices import ACTIVE_STATUSES, REPORTABLE_STATUSES, EnrolmentStatus, PriceModel
from openinburgering.providers.models import EXAM_PART_CHOICES, Contract, Enrolment, ExamResult, Provider, WeeklyReport

from .models import LessonVisit, SatisfactionSurvey

EXPIRING_DAYS = 90
ZERO = Decimal("0")
FIXED_PIP = (PipStatus.VASTGESTELD, PipStatus.VERVANGEN)


def _tenths(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"))


class KeurmerkStatus:
    VALID = "geldig"
    EXPIRING = "verloopt binnen 90 dagen"
    EXPIRED = "verlopen"
    NONE = "geen keurmerk"


def keurmerk_status(provider: Provider, today: date) -> str:
    """Valid until and including ``keurmerk_expires_on``; "expiring" when that day is at most 90 days away."""
    if not provider.keurmerk or provider.keurmerk_expires_on is None:
        return KeurmerkStatus.NONE
    if provider.keurmerk_expires_on < today:
        return KeurmerkStatus.EXPIRED
    if provider.keurmerk_expires_on <= today + timedelta(days=EXPIRING_DAYS):
        return KeurmerkStatus.EXPIRING
    return KeurmerkStatus.VALID


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    provider_id: int | None = None
    contract_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "van": self.date_from.isoformat() if self.date_from else None,
            "tot": self.date_to.isoformat() if self.date_to else None,
            "aanbieder": self.provider_id,
            "contract": self.contract_id,
        }


@dataclass
class ContractRow:
    contract: Contract
    provider: Provider
    scope: str
    keurmerk: str
    capacity: int = 0
    enrolled: int = 0
    active: int = 0
    placed: int = 0
    hours_contracted: Decimal = ZERO
    hours_offered: Decimal = ZERO
    hours_attended: Decimal = ZERO
    absent_authorised: Decimal = ZERO
    absent_unauthorised: Decimal = ZERO
    exam_attempts: int = 0
    exams_passed: int = 0
    passed_per_part: dict[str, int] = field(default_factory=dict)
    attempts_per_part: dict[str, int] = field(default_factory=dict)
    voldaan: int = 0
    route_switched: int = 0
    stopped: int = 0
    cost_route: Decimal = ZERO
    cost_hours: Decimal = ZERO
    cost_results: Decimal = ZERO
    lesson_visits: int = 0
    lesson_visit_score: Decimal | None = None
    last_visit_on: date | None = None
    survey_respondents: int = 0
    survey_score: Decimal | None = None
    survey_percent: int | None = None

    @property
    def cost_total(self) -> Decimal:
        return self.cost_route + self.cost_hours + self.cost_results

    @property
    def attendance_percent(self) -> int | None:
        if not self.hours_offered:
            return None
        return int((self.hours_attended * 100 / self.hours_offered).to_integral_value())


class _DaysBetween(Func):
    """``later - earlier`` for two dates in PostgreSQL: a whole number of days."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        """SQLite (the zero-setup demo) keeps dates as text, where "2027-07-19" - "2026-10-12" is 1 (the years):
        count the days with julianday(), a REAL, so the hours are not divided as integers either."""
        return self.as_sql(
            compiler, connection, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(", **extra_context
        )


def contracts_in_scope(actor: Actor, filters: Filters) -> QuerySet[Contract]:
    queryset = Contract.objects.filter(visible_to_gemeente(actor.gemeente_id, actor.gemeente.region_id))
    if filters.provider_id is not None:
        queryset = queryset.filter(provider_id=filters.provider_id)
    if filters.contract_id is not None:
        queryset = queryset.filter(pk=filters.contract_id)
    if filters.date_from is not None:
        queryset = queryset.filter(ends_on__gte=filters.date_from)
    if filters.date_to is not None:
        queryset = queryset.filter(starts_on__lte=filters.date_to)
    return queryset.select_related("provider", "gemeente", "region").order_by("provider__name", "-starts_on", "id")


def _own_enrolments(actor: Actor, contract_ids: list[int], filters: Filters) -> QuerySet[Enrolment]:
    queryset = Enrolment.objects.filter(contract_id__in=contract_ids, client_file__gemeente_id=actor.gemeente_id)
    if filters.date_from is not None:
        queryset = queryset.filter(ends_on__gte=filters.date_from)
    if filters.date_to is not None:
        queryset = queryset.filter(starts_on__lte=filters.date_to)
    return queryset


def _route_switched() -> Exists:
    return Exists(
        PipVersion.objects.filter(client_file=OuterRef("client_file_id"), status__in=FIXED_PIP)
        .values("client_file")
        .annotate(routes=Count("leerroute", distinct=True))
        .filter(routes__gt=1)
    )


def _contracted_hours(filters: Filters) -> Any:
    start: Any = F("starts_on") if filters.date_from is None else Greatest(F("starts_on"), Value(filters.date_from))
    end: Any = F("ends_on") if filters.date_to is None else Least(F("ends_on"), Value(filters.date_to))
    days = _DaysBetween(end, start) + 1
    hours = ExpressionWrapper(
        F("hours_per_week") * days / Value(Decimal(7)), output_field=DecimalField(max_digits=12, decimal_places=2)
    )
    return Coalesce(
        Sum(hours, filter=Q(status__in=REPORTABLE_STATUSES)),
        Value(ZERO),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def contract_dashboard(actor: Actor, filters: Filters, *, today: date) -> list[ContractRow]:
    """One row per contract in scope with every figure of the dashboard (6 queries)."""
    contracts = list(contracts_in_scope(actor, filters))
    ids = [contract.pk for contract in contracts]
    provider_ids = sorted({contract.provider_id for contract in contracts})
    enrolments = _own_enrolments(actor, ids, filters)
    dec = DecimalField(max_digits=12, decimal_places=1)

    enrolment_rows: dict[int, Mapping[str, Any]] = {
        item["contract_id"]: item
        for item in enrolments.values("contract_id").annotate(
            enrolled=Count("id"),
            active=Count("id", filter=Q(status__in=ACTIVE_STATUSES)),
            placed=Count("id", filter=Q(status__in=REPORTABLE_STATUSES)),
            stopped=Count("id", filter=Q(status=EnrolmentStatus.GESTOPT)),
            voldaan=Count("client_file_id", distinct=True, filter=Q(client_file__status=FileStatus.VOLDAAN)),
            route_switched=Count("client_file_id", distinct=True, filter=_route_switched()),
            hours_contracted=_contracted_hours(filters),
        )
    }
    reports = WeeklyReport.objects.filter(enrolment__in=enrolments.values("pk"))
    if filters.date_from is not None:
        reports = reports.filter(week_starts_on__gte=filters.date_from - timedelta(days=6))
    if filters.date_to is not None:
        reports = reports.filter(week_starts_on__lte=filters.date_to)
    report_rows: dict[int, Mapping[str, Any]] = {
        item["enrolment__contract_id"]: item
        for item in reports.values("enrolment__contract_id").annotate(
            offered=Coalesce(Sum("hours_offered"), Value(ZERO), output_field=dec),
            attended=Coalesce(Sum("hours_attended"), Value(ZERO), output_field=dec),
            authorised=Coalesce(Sum("hours_absent_authorised"), Value(ZERO), output_field=dec),
            unauthorised=Coalesce(Sum("hours_absent_unauthorised"), Value(ZERO), output_field=dec),
        )
    }
    exams = ExamResult.objects.filter(enrolment__in=enrolments.values("pk"))
    if filters.date_from is not None:
        exams = exams.filter(exam_on__gte=filters.date_from)
    if filters.date_to is not None:
        exams = exams.filter(exam_on__lte=filters.date_to)
    exam_rows: dict[int, dict[str, tuple[int, int]]] = {}
    for item in exams.values("enrolment__contract_id", "part").annotate(
        attempts=Count("id"), passed=Count("id", filter=Q(passed=True))
    ):
        exam_rows.setdefault(item["enrolment__contract_id"], {})[item["part"]] = (item["attempts"], item["passed"])

    visits = LessonVisit.objects.filter(provider_id__in=provider_ids, gemeente_id=actor.gemeente_id)
    surveys = SatisfactionSurvey.objects.filter(provider_id__in=provider_ids, gemeente_id=actor.gemeente_id)
    if filters.date_from is not None:
        visits = visits.filter(visited_on__gte=filters.date_from)
        surveys = surveys.filter(period_end_on__gte=filters.date_from)
    if filters.date_to is not None:
        visits = visits.filter(visited_on__lte=filters.date_to)
        surveys = surveys.filter(period_start_on__lte=filters.date_to)
    visit_rows: dict[int, Mapping[str, Any]] = {
        item["provider_id"]: item
        for item in visits.values("provider_id").annotate(n=Count("id"), score=Avg("score"), last=Max("visited_on"))
    }
    # Weighted by respondents: sum(score x respondents) / sum(respondents of surveys with that figure).
    survey_rows: dict[int, Mapping[str, Any]] = {
        item["provider_id"]: item
        for item in surveys.values("provider_id").annotate(
            resp_total=Sum("respondents"),
            score_weight=Sum(F("average_score") * F("respondents"), output_field=DecimalField()),
            score_n=Sum("respondents", filter=Q(average_score__isnull=False)),
            pct_weight=Sum(F("percent_satisfied") * F("respondents")),
            pct_n=Sum("respondents", filter=Q(percent_satisfied__isnull=False)),
        )
    }

    rows: list[ContractRow] = []
    for contract in contracts:
        row = ContractRow(
            contract=contract,
            provider=contract.provider,
            scope="regio" if contract.region_id else "gemeente",
            keurmerk=keurmerk_status(contract.provider, today),
            capacity=contract.capacity,
        )
        e = enrolment_rows.get(contract.pk, {})
        row.enrolled, row.active, row.placed = e.get("enrolled", 0), e.get("active", 0), e.get("placed", 0)
        row.stopped, row.voldaan, row.route_switched = (
            e.get("stopped", 0),
            e.get("voldaan", 0),
            e.get("route_switched", 0),
        )
        row.hours_contracted = Decimal(e.get("hours_contracted") or 0).quantize(Decimal("0.1"))
        r = report_rows.get(contract.pk, {})
        # One decimal, as stored (SQLite's sums come back without their scale: 18 instead of 18.0).
        row.hours_offered, row.hours_attended = _tenths(r.get("offered", ZERO)), _tenths(r.get("attended", ZERO))
        row.absent_authorised = _tenths(r.get("authorised", ZERO))
        row.absent_unauthorised = _tenths(r.get("unauthorised", ZERO))
        parts = exam_rows.get(contract.pk, {})
        row.attempts_per_part = {code: parts.get(code, (0, 0))[0] for code, _ in EXAM_PART_CHOICES}
        row.passed_per_part = {code: parts.get(code, (0, 0))[1] for code, _ in EXAM_PART_CHOICES}
        row.exam_attempts = sum(row.attempts_per_part.values())
        row.exams_passed = sum(row.passed_per_part.values())
        _cost(row, contract)
        v = visit_rows.get(contract.provider_id, {})
        row.lesson_visits, row.last_visit_on = v.get("n", 0), v.get("last")
        row.lesson_visit_score = Decimal(v["score"]).quantize(Decimal("0.1")) if v.get("score") is not None else None
        s = survey_rows.get(contract.provider_id, {})
        row.survey_respondents = s.get("resp_total") or 0
        if s.get("score_n"):
            row.survey_score = (Decimal(s["score_weight"]) / s["score_n"]).quantize(Decimal("0.1"))
        if s.get("pct_n"):
            row.survey_percent = round(s["pct_weight"] / s["pct_n"])
        rows.append(row)
    return rows


def _cost(row: ContractRow, contract: Contract) -> None:
    """Cost by price model (see the module docstring); amounts not filled in count as zero."""
    model = contract.price_model
    if model in (PriceModel.PER_ROUTE, PriceModel.MIXED) and contract.price_per_route is not None:
        row.cost_route = contract.price_per_route * row.placed
    if model in (PriceModel.PER_HOUR, PriceModel.MIXED) and contract.price_per_hour is not None:
        row.cost_hours = (contract.price_per_hour * row.hours_attended).quantize(Decimal("0.01"))
    if model in (PriceModel.PER_RESULT, PriceModel.MIXED) and contract.price_per_result is not None:
        row.cost_results = contract.price_per_result * row.exams_passed


def providers_in_scope(actor: Actor) -> list[Provider]:
    return list(
        Provider.objects.filter(visible_to_gemeente(actor.gemeente_id, actor.gemeente.region_id)).order_by("name")
    )


# ---------------------------------------------------------------------------------------------------------------
# Cohort table ("Aan de slag" style)


@dataclass
class CohortRow:
    year: int
    started: int
    route_b1: int
    route_onderwijs: int
    route_z: int
    route_none: int
    voldaan: int
    in_traject: int
    work: int = 0
    education: int = 0
    participation: int = 0
    follow_up_unknown: int = 0
    # Timeliness (see cohort_rates): "counted" files have a known outcome, "on time" files made it in time.
    pip_counted: int = 0
    pip_on_time: int = 0
    voldaan_counted: int = 0
    voldaan_on_time: int = 0

    @property
    def pip_on_time_percent(self) -> int | None:
        return _percent(self.pip_on_time, self.pip_counted)

    @property
    def voldaan_on_time_percent(self) -> int | None:
        return _percent(self.voldaan_on_time, self.voldaan_counted)


def _percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded half up (3 of 8 = 38%); None when nothing was counted."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _cohort_files(actor: Actor, filters: Filters) -> QuerySet[ClientFile]:
    files = ClientFile.objects.filter(gemeente_id=actor.gemeente_id)
    if filters.date_from is not None:
        files = files.filter(opened_on__gte=filters.date_from)
    if filters.date_to is not None:
        files = files.filter(opened_on__lte=filters.date_to)
    if filters.provider_id is not None or filters.contract_id is not None:
        placed = Enrolment.objects.filter(client_file=OuterRef("pk"))
        if filters.provider_id is not None:
            placed = placed.filter(provider_id=filters.provider_id)
        if filters.contract_id is not None:
            placed = placed.filter(contract_id=filters.contract_id)
        files = files.filter(Exists(placed))
    return files


def cohort_table(actor: Actor, filters: Filters, *, today: date) -> list[CohortRow]:
    """Per cohort (year the file was opened) of the actor's gemeente (2 queries). Work, education and participation
    come from the newest vervolgcontact of each file; voldaan files without one are counted as "vervolg onbekend".
    The timeliness figures come from :func:`cohort_rates`."""
    route = Subquery(
        PipVersion.objects.filter(client_file=OuterRef("pk"), status=PipStatus.VASTGESTELD)
        .order_by("-number")
        .values("leerroute")[:1]
    )
    files = _cohort_files(actor, filters)
    rows = (
        files.annotate(route=route, year=ExtractYear("opened_on"), situation=latest_situation())
        .values("year")
        .annotate(
            started=Count("id"),
            route_b1=Count("id", filter=Q(route=Leerroute.B1)),
            route_onderwijs=Count("id", filter=Q(route=Leerroute.ONDERWIJS)),
            route_z=Count("id", filter=Q(route=Leerroute.Z)),
            route_none=Count("id", filter=Q(route__isnull=True)),
            voldaan=Count("id", filter=Q(status=FileStatus.VOLDAAN)),
            in_traject=Count("id", filter=Q(status=FileStatus.IN_TRAJECT)),
            work=Count("id", filter=Q(situation=Situation.WERK)),
            education=Count("id", filter=Q(situation=Situation.OPLEIDING)),
            participation=Count("id", filter=Q(situation=Situation.PARTICIPATIE)),
            follow_up_unknown=Count("id", filter=Q(status=FileStatus.VOLDAAN, situation__isnull=True)),
        )
        .order_by("-year")
    )
    rates = cohort_rates(actor, filters, today=today)
    cohorts = [CohortRow(**row) for row in rows]
    for cohort in cohorts:
        rate = rates.get(cohort.year)
        if rate is not None:
            cohort.pip_counted, cohort.pip_on_time, cohort.voldaan_counted, cohort.voldaan_on_time = rate
    return cohorts


_NO_PIP_EXPECTED = (FileStatus.VRIJGESTELD_ONTHEVEN, FileStatus.VERHUISD, FileStatus.BEEINDIGD)
_STILL_UNDER_PLICHT = (FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.PIP, FileStatus.IN_TRAJECT)


def cohort_rates(actor: Actor, filters: Filters, *, today: date) -> dict[int, tuple[int, int, int, int]]:
    """Per cohort: (PIP counted, PIP on time, voldaan counted, voldaan within the termijn), in 1 query.

    PIP on time (Besluit inburgering 2021 art. 5.3): the last day is asked of ``rules.pip_deadline`` with the
    dates stored on the file (kennisgeving, taakstelling, BRP registration), as the worklists do; it is not
    stored once the PIP is set, and this module computes no statutory date itself. A file counts once its PIP
    has a dagtekening (on time when that day is not after the last day) or when the last day has passed without
    a PIP (late). Not counted: a deadline the rules cannot know yet ("waiting") or that has not passed, and a
    file closed or exempted without a PIP.

    Voldaan within the termijn (W 11): the end of the termijn stored on the first vastgesteld PIP version
    (``termijn_end_on``, from ``rules.termijn``) against the day the file became voldaan (its status history).
    A file counts once it is voldaan, or when its termijn has ended while it is still under the plicht (late).
    Extensions are not stored yet, so a file with an extension counts against its first termijn."""
    first_termijn = Subquery(
        PipVersion.objects.filter(client_file=OuterRef("pk"), termijn_end_on__isnull=False)
        .order_by("number")
        .values("termijn_end_on")[:1]
    )
    voldaan_at = Subquery(
        StatusChange.objects.filter(client_file=OuterRef("pk"), to_status=FileStatus.VOLDAAN)
        .order_by("changed_at")
        .values("changed_at")[:1]
    )
    rows = _cohort_files(actor, filters).annotate(
        year=ExtractYear("opened_on"), termijn_end=first_termijn, voldaan_at=voldaan_at
    ).values_list("year", "status", "kennisgeving_on", "housed_under_taakstelling", "registered_on",
                  "pip_dagtekening_on", "termijn_end", "voldaan_at")  # fmt: skip
    rates: dict[int, list[int]] = {}
    for year, status, kennisgeving_on, housed, registered_on, dagtekening_on, termijn_end, became_voldaan in rows:
        counts = rates.setdefault(year, [0, 0, 0, 0])
        if kennisgeving_on is not None and (dagtekening_on is not None or status not in _NO_PIP_EXPECTED):
            due_on = rules.pip_deadline(
                kennisgeving_on=kennisgeving_on, housed_under_taakstelling=housed, registered_on=registered_on
            ).pip_due_on
            if due_on is not None and (dagtekening_on is not None or due_on < today):
                counts[0] += 1
                counts[1] += dagtekening_on is not None and dagtekening_on <= due_on
        if termijn_end is not None:
            if status == FileStatus.VOLDAAN and became_voldaan is not None:
                counts[2] += 1
                counts[3] += timezone.localdate(became_voldaan) <= termijn_end
            elif status in _STILL_UNDER_PLICHT and termijn_end < today:
                counts[2] += 1
    return {year: (c[0], c[1], c[2], c[3]) for year, c in rates.items()}
