"""The voortgang figures of one client file, computed and never stored: enrolments and attendance, exam parts,
the afschalen check and the route-switch window (``progress_of``). Every statutory check comes from
``openinburgering.rules``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from openinburgering import rules
from openinburgering.clients.models import ClientFile
from openinburgering.core import dates as core_dates
from openinburgering.handhaving import selectors as handhaving_selectors
from openinburgering.handhaving import services as handhaving
from openinburgering.plans import services as plans
from openinburgering.plans.models import PipVersion, ProgressTalk
from openinburgering.providers import selectors as provider_selectors
from openinburgering.providers.choices import MapTheme, MilestoneKind
from openinburgering.providers.models import Enrolment, ExamResult, ModuleMilestone

from .. import selectors
from ..models import AfschalenJudgement
from .common import AFSCHALEN_LABELS, EXAM_PART_LABELS, NT2_COMPONENTS, ROUTE_LABELS, SWITCH_LABELS, _percent

# ---------------------------------------------------------------------------------------------------------------
# The figures


@dataclass(frozen=True)
class EnrolmentFigures:
    enrolment: Enrolment
    weeks_elapsed: int
    planned_hours: Decimal
    offered: Decimal
    attended: Decimal
    absent_authorised: Decimal
    absent_unauthorised: Decimal
    window_offered: Decimal
    window_attended: Decimal
    rate_percent: Decimal | None
    signal: bool


@dataclass(frozen=True)
class ExamPartRow:
    part: rules.ExamPart
    label: str
    passed: bool
    level: str
    by_provider: bool  # a provider's report the gemeente confirmed counts for this part
    by_achievement: bool
    reported_unconfirmed: bool  # a provider reported it passed; the gemeente has not confirmed it yet


@dataclass(frozen=True)
class AfschalenCheck:
    result: rules.Afschalen
    label: str
    nt2_course_hours: Decimal
    judgement: AfschalenJudgement | None


@dataclass(frozen=True)
class SwitchOption:
    to_route: str
    label: str
    allowed: bool
    reason: rules.SwitchReason
    reason_label: str


@dataclass(frozen=True)
class SwitchWindow:
    from_route: str
    until_on: date
    open: bool
    options: tuple[SwitchOption, ...]


@dataclass(frozen=True)
class Progress:
    as_of: date
    window: selectors.Window
    threshold_percent: int
    enrolments: tuple[EnrolmentFigures, ...]
    window_offered: Decimal
    window_attended: Decimal
    rate_percent: Decimal | None
    signal: bool
    version: PipVersion | None
    open_version: PipVersion | None
    termijn: rules.FileTermijn | None
    achieved: handhaving.AchievedSoFar
    exam_parts: tuple[ExamPartRow, ...]
    voldaan: handhaving.VoldaanCheck | None
    afschalen: AfschalenCheck | None
    switch: SwitchWindow | None
    extension: handhaving.ExtensionCheck | None
    talks: tuple[ProgressTalk, ...]
    nt2_course_hours: Decimal
    milestones: tuple[ModuleMilestone, ...] = ()

    def _first(self, kind: str) -> ModuleMilestone | None:
        return next((m for m in reversed(self.milestones) if m.kind == kind), None)

    @property
    def provider_pvt_signed(self) -> ModuleMilestone | None:
        """The PVT signing a provider reported (the klantregisseur still records it as an achievement)."""
        return self._first(MilestoneKind.PVT_ONDERTEKEND)

    @property
    def map_ready(self) -> ModuleMilestone | None:
        return self._first(MilestoneKind.MAP_KLAAR)

    @property
    def map_themes_done(self) -> tuple[str, ...]:
        done = {m.theme for m in self.milestones if m.kind == MilestoneKind.MAP_THEMA}
        return tuple(str(label) for value, label in MapTheme.choices if value in done)

    @property
    def map_themes_total(self) -> int:
        return len(MapTheme.choices)

    @property
    def progress_reports(self) -> tuple[ModuleMilestone, ...]:
        return tuple(m for m in self.milestones if m.kind == MilestoneKind.VOORTGANGSVERSLAG)

    @property
    def talks_held(self) -> int:
        return sum(1 for talk in self.talks if talk.held_on is not None)

    @property
    def talks_planned(self) -> int:
        return len(self.talks)


def _weeks_elapsed(enrolment: Enrolment, as_of: date) -> int:
    until = min(as_of, enrolment.ends_on + timedelta(days=1))
    return max(0, (until - enrolment.starts_on).days) // 7


def _enrolment_figures(enrolment: Any, as_of: date, threshold: int) -> EnrolmentFigures:
    weeks = _weeks_elapsed(enrolment, as_of)
    return EnrolmentFigures(
        enrolment=enrolment,
        weeks_elapsed=weeks,
        planned_hours=enrolment.hours_per_week * weeks,
        offered=enrolment.total_offered,
        attended=enrolment.total_attended,
        absent_authorised=enrolment.total_absent_authorised,
        absent_unauthorised=enrolment.total_absent_unauthorised,
        window_offered=enrolment.window_offered,
        window_attended=enrolment.window_attended,
        rate_percent=_percent(enrolment.window_attended, enrolment.window_offered),
        signal=selectors.under_threshold(enrolment.window_attended, enrolment.window_offered, threshold),
    )


def merge_exam_results(
    achieved: handhaving.AchievedSoFar, results: list[ExamResult]
) -> tuple[handhaving.AchievedSoFar, tuple[ExamPartRow, ...]]:
    """The achievements' exams plus the providers' passed results the gemeente confirmed (highest level per part,
    KNM once passed); unconfirmed reports are marked, not counted."""
    merged = handhaving.with_confirmed_exams(achieved, results)
    exams = merged.exams_passed
    from_provider = {rules.ExamPart(result.part) for result in results if handhaving.is_confirmed(result)}
    unconfirmed = {rules.ExamPart(result.part) for result in results if not handhaving.is_confirmed(result)}
    rows = tuple(
        ExamPartRow(
            part=part,
            label=EXAM_PART_LABELS[part],
            passed=bool(exams.get(part)),
            level=str(exams[part]) if isinstance(exams.get(part), rules.Level) else "",
            by_provider=part in from_provider,
            by_achievement=bool(achieved.exams_passed.get(part)),
            reported_unconfirmed=part in unconfirmed,
        )
        for part in rules.ExamPart
    )
    return merged, rows


def _afschalen(
    version: PipVersion | None, nt2_hours: Decimal, judgement: AfschalenJudgement | None
) -> AfschalenCheck | None:
    """``rules.afschalen`` with the newest judgement; without one, effort is not (yet) judged sufficient and B1
    counts as reachable (nothing is assumed in the person's disadvantage: afschalen stays closed)."""
    if version is None:
        return None
    result = rules.afschalen(
        leerroute=rules.Leerroute(version.leerroute),
        nt2_course_hours=nt2_hours,
        sufficient_effort=judgement.sufficient_effort if judgement else False,
        b1_reachable_in_termijn=judgement.b1_reachable_in_termijn if judgement else True,
    )
    return AfschalenCheck(result=result, label=AFSCHALEN_LABELS[result.reason], nt2_course_hours=nt2_hours,
                          judgement=judgement)  # fmt: skip


def switch_window(version: PipVersion | None, termijn: rules.FileTermijn | None, on: date) -> SwitchWindow | None:
    """``rules.route_switch`` for every other leerroute, decided ``on`` (without an exception)."""
    if version is None or termijn is None:
        return None
    from_route = rules.Leerroute(version.leerroute)
    options = []
    for route in rules.Leerroute:
        if route == from_route:
            continue
        outcome = rules.route_switch(
            termijn_start_on=termijn.termijn_start_on, decided_on=on, from_route=from_route, to_route=route
        )
        options.append(
            SwitchOption(
                to_route=route.value,
                label=str(ROUTE_LABELS[route.value]),
                allowed=outcome.allowed,
                reason=outcome.reason,
                reason_label=SWITCH_LABELS[outcome.reason],
            )
        )
    return SwitchWindow(
        from_route=from_route.value,
        until_on=termijn.route_switch_until_on,
        open=on <= termijn.route_switch_until_on,
        options=tuple(options),
    )


def progress_of(client_file: ClientFile, *, as_of: date | None = None) -> Progress:
    """Every figure of the voortgang page and API (a constant number of queries: 8)."""
    on = as_of or core_dates.today()
    threshold = selectors.threshold_percent(client_file.gemeente_id)
    enrolments = tuple(
        _enrolment_figures(row, on, threshold) for row in selectors.enrolments_with_hours(client_file, on)
    )
    window_offered = sum((row.window_offered for row in enrolments), Decimal("0"))
    window_attended = sum((row.window_attended for row in enrolments), Decimal("0"))
    nt2 = [row for row in enrolments if row.enrolment.component in NT2_COMPONENTS]
    nt2_hours = sum((row.attended for row in nt2), Decimal("0"))
    all_lessons = sum((row.offered for row in nt2), Decimal("0")) > 0 and not any(
        row.absent_unauthorised > 0 for row in nt2
    )
    version, open_version = selectors.pip_versions(client_file)
    recorded = handhaving.achieved_so_far(selectors.achievements(client_file))
    achieved, exam_rows = merge_exam_results(recorded, handhaving_selectors.passed_provider_exams(client_file))
    termijn = plans.termijn_of(client_file)
    extension = handhaving.extension_check(
        client_file, version, achieved, requested_on=on, lesson_hours=nt2_hours, all_lessons_attended=all_lessons
    )
    return Progress(
        as_of=on,
        window=selectors.rate_window(on),
        threshold_percent=threshold,
        enrolments=enrolments,
        window_offered=window_offered,
        window_attended=window_attended,
        rate_percent=_percent(window_attended, window_offered),
        signal=selectors.under_threshold(window_attended, window_offered, threshold),
        version=version,
        open_version=open_version,
        termijn=termijn,
        achieved=achieved,
        exam_parts=exam_rows,
        voldaan=handhaving.voldaan_check(client_file, version, achieved),
        afschalen=_afschalen(version, nt2_hours, selectors.latest_judgement(client_file)),
        switch=switch_window(version, termijn, on),
        extension=extension,
        talks=tuple(selectors.progress_talks(client_file)),
        nt2_course_hours=nt2_hours,
        milestones=tuple(provider_selectors.milestones_of_file(client_file.pk)),
    )
