"""Demo figures for the contract dashboard (monitoring app): enrolments of the demo files that are in traject or
voldaan with Taalhuis Kennemerland (the regional demo contract), their weekly reports, some exam results, two
lesbezoeken and a satisfaction survey per gemeente.

The reports follow the enrolments, so the dashboard's figures fit together: a course block of ``COURSE_WEEKS``
weeks at the planned hours per week ("uren gecontracteerd" = planned hours x weeks), one report for every
complete week from the start until last week (or the end of the block), hours offered = the planned hours except
now and then a lesson that fell out, and hours attended = offered minus the absence of one of three patterns:
nearly always there, now and then away, and often away without a reason (under the attendance threshold, so the
caseload shows the signal). A voldaan file finished its block last week, a stopped enrolment has reports for
its first weeks only, the others are still in their block.

The first placements also get a voortgangsverslag from the provider (a module milestone).

Written directly as simulated history (demo reference data, like `demo.providers`), not through the services,
so no audit events are made for it. Idempotent: every row is keyed (file + contract + component, enrolment +
week, provider + gemeente + date) and a second run on the same day changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from openinburgering.accounts.models import User
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile
from openinburgering.monitoring.models import LessonVisit, SatisfactionSurvey
from openinburgering.providers.choices import Component, EnrolmentStatus, MilestoneKind, ReportSource
from openinburgering.providers.models import (
    Enrolment,
    EnrolmentEvent,
    ExamResult,
    ModuleMilestone,
    Provider,
    WeeklyReport,
)

from .personas import HAARLEM, ZANDVOORT
from .providers import DEMO_CONTRACT

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WORKER = {HAARLEM: "kim", ZANDVOORT: "zeynep"}
COURSE_WEEKS = 16
PROGRESS_REPORTS = (  # a voortgangsverslag from the provider on the first placements (a keyed row: no repeats)
    "Doet actief mee in de les. Lezen en luisteren gaan goed, spreken is nog lastig. Oefent thuis met de app.",
    "Komt vaak te laat door de kinderopvang. Maakt het huiswerk wel. Advies: extra spreekles in kleine groep.",
    "Goede vooruitgang. Klaar om in de komende maand examen te doen voor lezen en luisteren.",
)
CANCELLED_HOURS = Decimal(2)  # a lesson that fell out: every CANCEL_EVERY-th week of the block
CANCEL_EVERY = 6
STOPPED_AFTER_WEEKS = 6  # a gestopt enrolment has reports for its first weeks only
# (absent with a reason, absent without a reason) in hours, week after week; attended = offered - absence.
PATTERNS = (
    ((0, 0), (2, 0), (0, 0), (0, 0), (0, 0), (0, 0)),  # nearly always there
    ((1, 0), (0, 2), (0, 0), (2, 0), (0, 1), (0, 0)),  # now and then away
    ((0, 2), (2, 2), (0, 4), (1, 3), (0, 2), (2, 2)),  # often away: under the threshold in any 4 weeks
)


def _weeks_running(index: int, status: str) -> int:
    """How many weeks ago the enrolment started: a finished block is a whole one; the others are under way
    (a stopped one stopped after STOPPED_AFTER_WEEKS)."""
    return COURSE_WEEKS if status == EnrolmentStatus.AFGEROND else 8 + 2 * (index % 4)


def _week_hours(planned: Decimal, index: int, week_index: int) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(offered, attended, absent with a reason, absent without a reason) of one week of one enrolment."""
    offered = planned - CANCELLED_HOURS if week_index % CANCEL_EVERY == CANCEL_EVERY - 1 else planned
    authorised, unauthorised = (Decimal(hours) for hours in PATTERNS[index % len(PATTERNS)][week_index % CANCEL_EVERY])
    return offered, offered - authorised - unauthorised, authorised, unauthorised


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), AMSTERDAM)


@transaction.atomic
def ensure_demo_monitoring(*, today: date, provider: Provider) -> int:
    """Adds what is missing; returns the number of rows created (0 on a second run the same day)."""
    contract = provider.contracts.filter(name=DEMO_CONTRACT).first()
    if contract is None:
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=[*WORKER.values(), "anouk", "carla"])}
    reporter = users.get("anouk") or users.get("kim")
    if reporter is None:
        return 0
    created = 0
    files = list(
        ClientFile.objects.filter(
            gemeente__code__in=(HAARLEM, ZANDVOORT), status__in=(FileStatus.IN_TRAJECT, FileStatus.VOLDAAN)
        )
        .select_related("gemeente")
        .order_by("pk")[:16]
    )
    this_monday = today - timedelta(days=today.weekday())
    for index, client_file in enumerate(files):
        worker = users.get(WORKER[client_file.gemeente.code])
        if worker is None:
            continue
        status = EnrolmentStatus.AFGEROND if client_file.status == FileStatus.VOLDAAN else EnrolmentStatus.GEACCEPTEERD
        if index % 7 == 6:
            status = EnrolmentStatus.GESTOPT
        starts_on = this_monday - timedelta(weeks=_weeks_running(index, status))
        enrolment, new = Enrolment.objects.get_or_create(
            client_file=client_file, contract=contract, component=Component.B1_LESSEN,
            defaults={"provider": provider, "status": status, "starts_on": starts_on,
                      "ends_on": starts_on + timedelta(weeks=COURSE_WEEKS, days=-1),
                      "hours_per_week": Decimal(8 + 2 * (index % 2)),
                      "created_at": _moment(starts_on - timedelta(days=7)), "created_by": worker},
        )  # fmt: skip
        if new:
            created += 1
            EnrolmentEvent.objects.create(
                enrolment=enrolment, from_status="", to_status=status, reason="Demo",
                occurred_at=_moment(starts_on - timedelta(days=7)), actor=worker,
            )  # fmt: skip
        # Every complete week of the (stored) enrolment: from its start until last week, its end or its stop.
        until = min(this_monday, enrolment.ends_on + timedelta(days=1))
        if enrolment.status == EnrolmentStatus.GESTOPT:
            until = min(until, enrolment.starts_on + timedelta(weeks=STOPPED_AFTER_WEEKS))
        monday, week_index = enrolment.starts_on, 0
        while monday < until:
            year, week, _ = monday.isocalendar()
            offered, attended, authorised, unauthorised = _week_hours(enrolment.hours_per_week, index, week_index)
            _, new = WeeklyReport.objects.get_or_create(
                enrolment=enrolment, week=f"{year}-W{week:02d}",
                defaults={"week_starts_on": monday, "hours_offered": offered, "hours_attended": attended,
                          "hours_absent_authorised": authorised, "hours_absent_unauthorised": unauthorised,
                          "absence_reason": "Niet gekomen, geen bericht" if unauthorised else "",
                          "row_hash": f"demo-{enrolment.pk}-{year}-W{week:02d}", "source": ReportSource.FORM,
                          "reported_at": _moment(monday + timedelta(days=5)), "reported_by": reporter},
            )  # fmt: skip
            created += int(new)
            monday, week_index = monday + timedelta(weeks=1), week_index + 1
        if index < len(PROGRESS_REPORTS) and enrolment.status == EnrolmentStatus.GEACCEPTEERD:
            report_on = this_monday - timedelta(days=3)
            _, new = ModuleMilestone.objects.get_or_create(
                enrolment=enrolment, kind=MilestoneKind.VOORTGANGSVERSLAG, happened_on=report_on,
                defaults={"note": PROGRESS_REPORTS[index], "recorded_at": _moment(report_on), "recorded_by": reporter},
            )  # fmt: skip
            created += int(new)
        if not enrolment.exam_results.exists():
            exam_on = today - timedelta(days=10 + index)
            for part, passed in (("lezen", True), ("luisteren", index % 3 != 0), ("knm", index % 2 == 0)):
                ExamResult.objects.create(enrolment=enrolment, part=part, level="" if part == "knm" else "B1",
                                          exam_on=exam_on, passed=passed,
                                          recorded_at=_moment(exam_on), recorded_by=reporter)  # fmt: skip
                created += 1
    for gemeente_id in {f.gemeente_id for f in files}:
        entered_by = users.get("carla") or reporter
        for days_ago, score, visitor, findings in (
            (40, 4, "Carla Smit", "Goede les, actieve werkvormen. Weinig spreekoefening in kleine groepjes."),
            (12, 3, "Carla Smit", "Lokaal te klein voor de groep; docent werkt goed met niveauverschillen."),
        ):
            _, new = LessonVisit.objects.get_or_create(
                provider=provider, gemeente_id=gemeente_id, visited_on=today - timedelta(days=days_ago),
                visitor=visitor,
                defaults={"contract": contract, "findings": findings, "score": score,
                          "created_at": _moment(today - timedelta(days=days_ago)), "created_by": entered_by},
            )  # fmt: skip
            created += int(new)
        _, new = SatisfactionSurvey.objects.get_or_create(
            provider=provider, gemeente_id=gemeente_id, period_start_on=date(today.year, 1, 1),
            period_end_on=date(today.year, 6, 30),
            defaults={"respondents": 23, "average_score": Decimal("7.6"), "percent_satisfied": 84,
                      "created_at": _moment(date(today.year, 7, 10)), "created_by": entered_by},
        )  # fmt: skip
        created += int(new)
    return created
