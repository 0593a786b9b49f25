"""Demo figures for the contract dashboard (monitoring app): enrolments of the demo files that are in traject or
voldaan with Taalhuis Kennemerland (the regional demo contract), a few weeks of weekly reports, some exam
results, two lesbezoeken and a satisfaction survey per gemeente.

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
from openinburgering.providers.choices import Component, EnrolmentStatus, ReportSource
from openinburgering.providers.models import Enrolment, EnrolmentEvent, ExamResult, Provider, WeeklyReport

from .personas import HAARLEM, ZANDVOORT
from .providers import DEMO_CONTRACT

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WORKER = {HAARLEM: "kim", ZANDVOORT: "zeynep"}
WEEKS = 6
# (offered, attended, absent with reason, absent without reason) per week, cycled per enrolment.
PATTERNS = (
    ((Decimal(8), Decimal(8), Decimal(0), Decimal(0)), (Decimal(8), Decimal(6), Decimal(2), Decimal(0))),
    ((Decimal(10), Decimal(7), Decimal(1), Decimal(2)), (Decimal(10), Decimal(10), Decimal(0), Decimal(0))),
    ((Decimal(6), Decimal(3), Decimal(0), Decimal(3)), (Decimal(6), Decimal(5), Decimal(1), Decimal(0))),
)


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
    first_monday = today - timedelta(days=today.weekday() + 7 * WEEKS)
    for index, client_file in enumerate(files):
        worker = users.get(WORKER[client_file.gemeente.code])
        if worker is None:
            continue
        status = EnrolmentStatus.AFGEROND if client_file.status == FileStatus.VOLDAAN else EnrolmentStatus.GEACCEPTEERD
        if index % 7 == 6:
            status = EnrolmentStatus.GESTOPT
        enrolment, new = Enrolment.objects.get_or_create(
            client_file=client_file, contract=contract, component=Component.B1_LESSEN,
            defaults={"provider": provider, "status": status, "starts_on": first_monday,
                      "ends_on": first_monday + timedelta(weeks=40), "hours_per_week": Decimal(8 + 2 * (index % 2)),
                      "created_at": _moment(first_monday - timedelta(days=7)), "created_by": worker},
        )  # fmt: skip
        if new:
            created += 1
            EnrolmentEvent.objects.create(
                enrolment=enrolment, from_status="", to_status=status, reason="Demo",
                occurred_at=_moment(first_monday - timedelta(days=7)), actor=worker,
            )  # fmt: skip
        pattern = PATTERNS[index % len(PATTERNS)]
        for week_index in range(WEEKS):
            monday = first_monday + timedelta(weeks=week_index)
            year, week, _ = monday.isocalendar()
            offered, attended, authorised, unauthorised = pattern[week_index % 2]
            _, new = WeeklyReport.objects.get_or_create(
                enrolment=enrolment, week=f"{year}-W{week:02d}",
                defaults={"week_starts_on": monday, "hours_offered": offered, "hours_attended": attended,
                          "hours_absent_authorised": authorised, "hours_absent_unauthorised": unauthorised,
                          "absence_reason": "Niet gekomen, geen bericht" if unauthorised else "",
                          "row_hash": f"demo-{enrolment.pk}-{week_index}", "source": ReportSource.FORM,
                          "reported_at": _moment(monday + timedelta(days=5)), "reported_by": reporter},
            )  # fmt: skip
            created += int(new)
        if not enrolment.exam_results.exists():
            exam_on = today - timedelta(days=10 + index)
            for part, passed in (("lezen", True), ("luisteren", index % 3 != 0), ("knm", index % 2 == 0)):
                ExamResult.objects.create(enrolment=enrolment, part=part, level="B1", exam_on=exam_on, passed=passed,
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
