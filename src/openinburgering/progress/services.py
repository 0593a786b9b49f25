"""Voortgang of one client file: the figures (computed, nothing stored) and the three changes of this app — the
klantregisseur's afschalen judgement, starting a route switch (a new PIP concept through ``plans.services``) and
the gemeente's attendance threshold. Keyword-only, atomic, audited in the same transaction. Every statutory
check (voldaan, afschalen, route switch, extension, termijn) comes from ``openinburgering.rules``, through the
handhaving and plans helpers where they exist.

Readings (stated here because they are choices, not law):

- **Exam parts**: the exam is taken at DUO (#11). The klantregisseur's achievement records (DUO results) count,
  and so do passed exams that providers reported once the gemeente confirmed them with evidence (merged by
  handhaving.services.with_confirmed_exams, so both pages count the same exams); an unconfirmed report shows as
  "gemeld door aanbieder, nog niet bevestigd". The highest level per language part counts, KNM once passed.
- **NT2 course hours** for ``rules.afschalen`` (B 5.5) and lesson hours for ``rules.extension_for_effort``
  (B 4.4 lid 3): the attended hours that providers reported on the file's ``b1_lessen`` enrolments.
- **All lessons attended** (B 4.4 lid 2 sub b, asielstatushouders): hours were offered on the ``b1_lessen``
  enrolments and no hour was missed without a reason. The klantregisseur can still check otherwise on the
  handhaving page.
- **Planned hours** so far: the enrolment's planned hours per week × complete weeks from its start until today
  (or its end). Staff-planned figures, not a statutory date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.clients import services as client_services
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.handhaving import selectors as handhaving_selectors
from openinburgering.handhaving import services as handhaving
from openinburgering.intakes.choices import Leerroute
from openinburgering.plans import services as plans
from openinburgering.plans.models import PipVersion, ProgressTalk
from openinburgering.providers import selectors as provider_selectors
from openinburgering.providers.choices import Component, MapTheme, MilestoneKind
from openinburgering.providers.models import Enrolment, ExamResult, ModuleMilestone

from . import selectors
from .models import AfschalenJudgement, ProgressSettings

PURPOSE = client_services.PURPOSE_CASEWORK
TEXT_LIMIT = 10_000
NT2_COMPONENTS = (Component.B1_LESSEN,)
ROUTE_LABELS = dict(Leerroute.choices)
EXAM_PART_LABELS = {
    rules.ExamPart.LEZEN: "Lezen",
    rules.ExamPart.LUISTEREN: "Luisteren",
    rules.ExamPart.SCHRIJVEN: "Schrijven",
    rules.ExamPart.SPREKEN: "Spreken",
    rules.ExamPart.KNM: "Kennis van de Nederlandse maatschappij (KNM)",
}
AFSCHALEN_LABELS = {
    rules.AfschalenReason.NOT_B1_ROUTE: "Afschalen kan alleen in de B1-route.",
    rules.AfschalenReason.UNDER_600_HOURS: "Er zijn nog geen 600 uur NT2-les gevolgd (artikel 5.5 Besluit).",
    rules.AfschalenReason.INSUFFICIENT_EFFORT: (
        "De persoon heeft zich volgens de klantregisseur niet genoeg ingespannen."
    ),
    rules.AfschalenReason.B1_REACHABLE: "B1 is volgens de klantregisseur nog haalbaar binnen de termijn.",
    rules.AfschalenReason.ALLOWED: "Afschalen naar A2 mag. Maak een nieuwe PIP-versie met niveau A2.",
}
SWITCH_LABELS = {
    rules.SwitchReason.SAME_ROUTE: "Dit is de huidige leerroute.",
    rules.SwitchReason.ONDERWIJS_TO_B1: "Van onderwijsroute naar B1-route kan altijd (artikel 5.4 lid 1 Besluit).",
    rules.SwitchReason.WITHIN_WINDOW: "Kan: binnen de eerste 18 maanden van de termijn.",
    rules.SwitchReason.NON_EXEMPTING_EDUCATION: "Kan: na een niet-vrijstellende opleiding (artikel 5.4 lid 2).",
    rules.SwitchReason.SPECIAL_CASE: "Kan: bijzonder geval (artikel 5.4 lid 3).",
    rules.SwitchReason.WINDOW_CLOSED: "Kan niet meer: de 18 maanden zijn voorbij (alleen met een uitzondering).",
}
SWITCH_EXCEPTIONS = tuple(rules.SwitchException)


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _audit(
    actor: Actor,
    event_type: str,
    via: str,
    *,
    client_file: ClientFile | None = None,
    subject: Any = None,
    **changes: Any,
) -> None:
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, subject=subject,
        changes={key: _json(value) for key, value in changes.items()}, via=via,
    )  # fmt: skip


def record_read(*, actor: Actor, client_file: ClientFile, event_type: str, via: str = "ui") -> None:
    """Logs a read of the voortgang (doelbinding: casework). Call inside the request's transaction."""
    _audit(actor, event_type, via, client_file=client_file, subject=client_file)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _text(value: Any) -> str:
    return str(value or "").strip()


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
    termijn: rules.Termijn | None
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


def switch_window(version: PipVersion | None, termijn: rules.Termijn | None, on: date) -> SwitchWindow | None:
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


# ---------------------------------------------------------------------------------------------------------------
# Changes


def _bool(data: Mapping[str, Any], name: str, errors: FieldErrors, message: str) -> bool:
    value = data.get(name)
    if isinstance(value, bool):
        return value
    if value in ("true", "yes", "ja", "1"):
        return True
    if value in ("false", "no", "nee", "0"):
        return False
    errors.add(name, message)
    return False


@transaction.atomic
def record_afschalen_judgement(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> AfschalenJudgement:
    """The klantregisseur's judgement (insert-only) with the outcome of ``rules.afschalen`` at this moment."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    errors = FieldErrors()
    effort = _bool(data, "sufficient_effort", errors, "Kies of de persoon zich genoeg heeft ingespannen.")
    reachable = _bool(data, "b1_reachable_in_termijn", errors, "Kies of B1 haalbaar is binnen de termijn.")
    reasoning = _text(data.get("reasoning"))
    if not reasoning:
        errors.add("reasoning", "Schrijf op waarop u uw oordeel baseert.")
    elif len(reasoning) > TEXT_LIMIT:
        errors.add("reasoning", "Gebruik hoogstens 10.000 tekens.")
    version, _open = selectors.pip_versions(client_file)
    if version is None:
        errors.add("sufficient_effort", "Er is nog geen vastgesteld PIP. Een oordeel over afschalen kan pas daarna.")
    errors.raise_if_any()
    assert version is not None  # checked above
    on = core_dates.today()
    nt2_hours = sum(
        (
            _enrolment_figures(row, on, 100).attended
            for row in selectors.enrolments_with_hours(client_file, on)
            if row.component in NT2_COMPONENTS
        ),
        Decimal("0"),
    )
    result = rules.afschalen(
        leerroute=rules.Leerroute(version.leerroute), nt2_course_hours=nt2_hours, sufficient_effort=effort,
        b1_reachable_in_termijn=reachable,
    )  # fmt: skip
    judgement = AfschalenJudgement.objects.create(
        client_file=client_file, sufficient_effort=effort, b1_reachable_in_termijn=reachable, reasoning=reasoning,
        leerroute=version.leerroute, nt2_course_hours=nt2_hours, allowed=result.allowed, reason=result.reason.value,
        recorded_at=timezone.now(), recorded_by=actor.user,
    )  # fmt: skip
    _audit(actor, "afschalen_judgement_recorded", via, client_file=client_file, subject=judgement,
           sufficient_effort=effort, b1_reachable_in_termijn=reachable, nt2_course_hours=nt2_hours,
           allowed=result.allowed, reason=result.reason.value)  # fmt: skip
    return judgement


@transaction.atomic
def start_route_switch(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> PipVersion:
    """A new PIP concept with the new leerroute and the change reason (``plans.services.create_draft`` and
    ``update_draft``); the teamleider's four-eyes approval then follows the normal PIP flow. Checked first with
    ``rules.route_switch`` (W 17 lid 2, B 5.4), so a refused switch leaves nothing behind."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    errors = FieldErrors()
    to_route = _text(data.get("to_route"))
    reason = _text(data.get("change_reason"))
    exception = _text(data.get("exception"))
    version, _open = selectors.pip_versions(client_file)
    termijn = plans.termijn_of(client_file)
    if version is None or termijn is None:
        raise ApplicationError("Er is nog geen vastgesteld PIP. De leerroute wijzigen kan pas daarna.")
    if to_route not in Leerroute.values:
        errors.add("to_route", "Kies de nieuwe leerroute.")
    if exception and exception not in {item.value for item in rules.SwitchException}:
        errors.add("exception", "Kies een uitzondering uit de lijst.")
    if not reason:
        errors.add("change_reason", "Schrijf op waarom de leerroute verandert.")
    elif len(reason) > TEXT_LIMIT:
        errors.add("change_reason", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    on = core_dates.today()
    switch = rules.route_switch(
        termijn_start_on=termijn.termijn_start_on, decided_on=on, from_route=rules.Leerroute(version.leerroute),
        to_route=rules.Leerroute(to_route), exception=rules.SwitchException(exception) if exception else None,
    )  # fmt: skip
    if switch.reason == rules.SwitchReason.SAME_ROUTE:
        errors.add("to_route", "Dit is al de leerroute van de persoon. Kies een andere leerroute.")
    elif not switch.allowed:
        errors.add(
            "to_route",
            f"De leerroute kan niet meer veranderen. Dat kon tot en met {switch.switch_until_on:%d-%m-%Y} "
            "(artikel 17 lid 2 Wet inburgering 2021, artikel 5.4 Besluit). Alleen met een uitzondering kan het "
            "nog.",
        )
    errors.raise_if_any()
    draft = plans.create_draft(actor=actor, client_file=client_file, via=via)
    changes: dict[str, Any] = {
        "leerroute": to_route,
        "level": "",  # the level belongs to the route; the klantregisseur sets it again in the concept
        "change_reason": reason,
        "route_switch_exception": exception,
    }
    if to_route != Leerroute.B1:
        changes["estimated_b1_intensity"] = None
    if to_route == Leerroute.ONDERWIJS:
        changes["map_intensity"] = ""  # no MAP in the onderwijsroute (W 8 lid 3)
    draft = plans.update_draft(actor=actor, client_file=client_file, version=draft, data=changes, via=via)
    _audit(actor, "route_switch_started", via, client_file=client_file, subject=draft,
           leerroute={"old": version.leerroute, "new": to_route}, reason=switch.reason.value,
           pip_version=draft.number)  # fmt: skip
    return draft


def settings_of(gemeente: Gemeente) -> ProgressSettings:
    """The gemeente's settings (unsaved defaults when never set)."""
    return ProgressSettings.objects.filter(gemeente=gemeente).first() or ProgressSettings(gemeente=gemeente)


@transaction.atomic
def update_settings(*, actor: Actor, data: Mapping[str, Any], via: str = "ui") -> ProgressSettings:
    """The functioneel beheerder sets the attendance threshold of the gemeente (1-100 %)."""
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()
    errors = FieldErrors()
    raw = data.get("attendance_threshold_percent")
    try:
        value = int(str(raw).strip())
        if str(raw).strip() != str(value) and not isinstance(raw, int):
            raise ValueError
    except (TypeError, ValueError):
        value = 0
        errors.add("attendance_threshold_percent", "Vul een heel getal in tussen 1 en 100.")
    else:
        if isinstance(raw, bool) or not 1 <= value <= 100:
            errors.add("attendance_threshold_percent", "Vul een heel getal in tussen 1 en 100.")
    errors.raise_if_any()
    settings, _created = ProgressSettings.objects.select_for_update().get_or_create(gemeente=actor.gemeente)
    old = settings.attendance_threshold_percent if not _created else None
    settings.attendance_threshold_percent = value
    settings.updated_by = actor.user
    settings.save()
    key = selectors.threshold_cache_key(actor.gemeente_id)
    cache.delete(key)  # this transaction reads the new value from here on
    transaction.on_commit(lambda: cache.delete(key))  # and nobody keeps an old value read before the commit
    _audit(actor, "progress_settings_changed", via, subject=settings,
           attendance_threshold_percent={"old": old, "new": value})  # fmt: skip
    return settings
