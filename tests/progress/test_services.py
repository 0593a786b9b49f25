"""The voortgang figures and the changes of the progress app, computed from seeded enrolments and reports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from openinburgering import rules
from openinburgering.accounts.models import Gemeente
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.handhaving import services as handhaving
from openinburgering.plans.models import PipVersion
from openinburgering.progress import selectors, services
from openinburgering.progress.models import AfschalenJudgement, ProgressSettings
from openinburgering.providers import services as provider_services
from openinburgering.providers.models import Enrolment

from ..conftest import actor_for
from .conftest import monday

pytestmark = pytest.mark.django_db


def haarlem() -> Gemeente:
    return Gemeente.objects.get(code=HAARLEM)


def test_hours_per_enrolment_and_rate_over_the_last_four_complete_weeks(placed, report):
    client_file, enrolment = placed()
    report(enrolment, 1, offered="8", attended="6", authorised="1", unauthorised="1")
    report(enrolment, 2, offered="8", attended="8")
    report(enrolment, 4, offered="8", attended="4", unauthorised="4")
    report(enrolment, 5, offered="8", attended="0", unauthorised="8")  # outside the window
    report(enrolment, 0, offered="8", attended="0", unauthorised="8")  # this week is not complete: left out
    progress = services.progress_of(client_file)
    [row] = progress.enrolments
    assert row.offered == Decimal("40.0")
    assert row.attended == Decimal("18.0")
    assert row.absent_authorised == Decimal("1.0")
    assert row.absent_unauthorised == Decimal("21.0")
    assert row.window_offered == Decimal("24.0")
    assert row.window_attended == Decimal("18.0")
    assert row.rate_percent == Decimal("75.0")
    assert row.signal  # 75 % < 80 %
    assert progress.signal
    assert progress.rate_percent == Decimal("75.0")
    # Started 60 days ago at 8 hours a week: 8 complete weeks planned.
    assert row.weeks_elapsed == 8
    assert row.planned_hours == Decimal("64.0")
    assert progress.window.starts_on == monday(4)
    assert progress.window.ends_on == monday(0) - timedelta(days=1)


@pytest.mark.parametrize(("attended", "signal"), [("8.0", False), ("7.9", True)])
def test_signal_at_the_threshold_boundary(placed, report, attended, signal):
    client_file, enrolment = placed()
    report(enrolment, 1, offered="10", attended=attended)
    progress = services.progress_of(client_file)
    assert progress.enrolments[0].signal is signal
    assert progress.signal is signal
    assert (client_file.pk in selectors.low_attendance_files(haarlem(), today())) is signal


def test_threshold_is_per_gemeente_and_changes_the_signal(placed, report, actor):
    client_file, enrolment = placed()
    report(enrolment, 1, offered="10", attended="7")
    assert client_file.pk in selectors.low_attendance_files(haarlem(), today())
    services.update_settings(actor=actor("fenna"), data={"attendance_threshold_percent": 70})
    assert client_file.pk not in selectors.low_attendance_files(haarlem(), today())
    assert services.progress_of(client_file).signal is False
    event = AuditEvent.objects.filter(event_type="progress_settings_changed").get()
    assert event.changes == {"attendance_threshold_percent": {"old": None, "new": 70}}


def test_no_hours_offered_gives_no_rate_and_no_signal(placed, report):
    client_file, enrolment = placed()
    report(enrolment, 1, offered="0", attended="0")
    progress = services.progress_of(client_file)
    assert progress.rate_percent is None
    assert progress.signal is False
    assert client_file.pk not in selectors.low_attendance_files(haarlem(), today())


def test_low_attendance_files_stay_in_the_gemeente(placed, report):
    client_file, enrolment = placed()
    report(enrolment, 1, offered="10", attended="1")
    assert selectors.low_attendance_files(haarlem(), today()) == [client_file.pk]
    assert selectors.low_attendance_files(Gemeente.objects.get(code=ZANDVOORT), today()) == []


def test_low_attendance_files_is_one_aggregate_query(placed, report, django_assert_num_queries):
    for attended in ("1", "2", "9"):
        _, enrolment = placed()
        report(enrolment, 1, offered="10", attended=attended)
    gemeente = haarlem()
    with django_assert_num_queries(2):
        ids = selectors.low_attendance_files(gemeente, today())
    assert len(ids) == 2


def test_voldaan_counts_provider_exam_results_once_confirmed_and_achievements(placed, actor, staff, login):
    client_file, enrolment = placed()
    anouk = actor_for(staff["anouk"], HAARLEM, "aanbieder")
    reported = provider_services.record_exam_result(
        actor=anouk, enrolment=enrolment, data={"part": "lezen", "level": "B1", "exam_on": today(), "passed": True}
    )
    provider_services.record_exam_result(
        actor=anouk, enrolment=enrolment, data={"part": "spreken", "level": "B1", "exam_on": today(), "passed": False}
    )
    handhaving.record_achievement(
        actor=actor("kim"), client_file=client_file, data={"kind": "pvt", "achieved_on": today()}
    )
    # Reported by the provider, not confirmed: shown, not counted (#11 item 10: the exam is taken at DUO).
    progress = services.progress_of(client_file)
    assert progress.voldaan is not None
    missing = [str(code) for code in progress.voldaan.result.missing]
    assert missing == ["map", "lezen", "luisteren", "schrijven", "spreken", "knm"]
    lezen = next(row for row in progress.exam_parts if row.part == rules.ExamPart.LEZEN)
    assert (lezen.passed, lezen.by_provider, lezen.reported_unconfirmed) == (False, False, True)
    handhaving.confirm_exam_result(
        actor=actor("kim"), client_file=client_file, exam_result_id=reported.pk, evidence="DUO-bericht gezien."
    )
    progress = services.progress_of(client_file)
    assert progress.voldaan is not None
    assert not progress.voldaan.result.voldaan
    missing = [str(code) for code in progress.voldaan.result.missing]
    assert missing == ["map", "luisteren", "schrijven", "spreken", "knm"]
    lezen = next(row for row in progress.exam_parts if row.part == rules.ExamPart.LEZEN)
    assert (lezen.passed, lezen.level, lezen.by_provider, lezen.by_achievement) == (True, "B1", True, False)
    assert not lezen.reported_unconfirmed
    spreken = next(row for row in progress.exam_parts if row.part == rules.ExamPart.SPREKEN)
    assert (spreken.passed, spreken.reported_unconfirmed) == (False, False)
    assert progress.achieved.pvt_signed_on == today()
    # The handhaving page counts the same exams: lezen is not missing there either.
    page = login("kim").get(f"/dossiers/{client_file.pk}/handhaving/").content.decode()
    assert "Examen lezen" not in page
    assert "Examen luisteren" in page


def test_afschalen_needs_600_nt2_hours_and_the_judgement(placed, report, actor):
    client_file, enrolment = placed()
    report(enrolment, 2, offered="300", attended="300")
    report(enrolment, 3, offered="300", attended="299.9", authorised="0.1")
    data = {"sufficient_effort": True, "b1_reachable_in_termijn": False, "reasoning": "Veel geleerd, B1 te hoog."}
    judgement = services.record_afschalen_judgement(actor=actor("kim"), client_file=client_file, data=data)
    assert judgement.nt2_course_hours == Decimal("599.9")
    assert not judgement.allowed
    assert judgement.reason == "under_600_hours"
    report(enrolment, 4, offered="1", attended="0.1")
    progress = services.progress_of(client_file)
    assert progress.afschalen is not None
    assert progress.afschalen.nt2_course_hours == Decimal("600.0")
    assert progress.afschalen.result.allowed  # the newest judgement with 600 hours now
    second = services.record_afschalen_judgement(actor=actor("kim"), client_file=client_file, data=data)
    assert second.allowed
    assert second.reason == "allowed"
    assert AfschalenJudgement.objects.filter(client_file=client_file).count() == 2
    assert AuditEvent.objects.filter(client_file=client_file, event_type="afschalen_judgement_recorded").count() == 2


def test_afschalen_without_judgement_stays_closed(placed, report):
    client_file, enrolment = placed()
    report(enrolment, 2, offered="700", attended="700")
    progress = services.progress_of(client_file)
    assert progress.afschalen is not None
    assert progress.afschalen.result.reason == rules.AfschalenReason.INSUFFICIENT_EFFORT
    assert progress.afschalen.judgement is None


def test_judgement_bad_input_is_refused_in_dutch_and_writes_nothing(placed, actor):
    client_file, _ = placed()
    with pytest.raises(ApplicationError) as info:
        services.record_afschalen_judgement(actor=actor("kim"), client_file=client_file, data={"reasoning": " "})
    assert set(info.value.field_errors) == {"sufficient_effort", "b1_reachable_in_termijn", "reasoning"}
    assert "Schrijf op" in info.value.field_errors["reasoning"][0]
    assert not AfschalenJudgement.objects.exists()
    with pytest.raises(NotFound):
        services.record_afschalen_judgement(
            actor=actor("frank"), client_file=client_file,
            data={"sufficient_effort": True, "b1_reachable_in_termijn": True, "reasoning": "x"},
        )  # fmt: skip


def test_route_switch_inside_the_window_creates_a_pip_concept(placed, actor):
    client_file, _ = placed()
    progress = services.progress_of(client_file)
    assert progress.switch is not None
    assert progress.switch.open
    assert all(option.allowed for option in progress.switch.options)
    draft = services.start_route_switch(
        actor=actor("kim"), client_file=client_file, data={"to_route": "z", "change_reason": "Leren gaat te moeilijk."}
    )
    assert draft.status == "concept"
    assert draft.number == 2
    assert draft.leerroute == "z"
    assert draft.level == ""
    assert draft.change_reason == "Leren gaat te moeilijk."
    events = list(
        AuditEvent.objects.filter(client_file=client_file).order_by("id").values_list("event_type", flat=True)
    )
    assert events[-3:] == ["pip_drafted", "pip_updated", "route_switch_started"]


def test_route_switch_outside_the_window_is_refused_in_dutch(placed, actor):
    client_file, _ = placed()
    ClientFile.objects.filter(pk=client_file.pk).update(pip_dagtekening_on=today() - timedelta(days=2 * 365))
    client_file.refresh_from_db()
    progress = services.progress_of(client_file)
    assert progress.switch is not None
    assert not progress.switch.open
    before = PipVersion.objects.filter(client_file=client_file).count()
    with pytest.raises(ApplicationError) as info:
        services.start_route_switch(
            actor=actor("kim"), client_file=client_file, data={"to_route": "z", "change_reason": "Te moeilijk."}
        )
    assert "De leerroute kan niet meer veranderen" in info.value.field_errors["to_route"][0]
    assert PipVersion.objects.filter(client_file=client_file).count() == before
    # B 5.4 lid 3: a special case still allows it.
    draft = services.start_route_switch(
        actor=actor("kim"), client_file=client_file,
        data={"to_route": "z", "change_reason": "Ziek geweest.", "exception": "special_case"},
    )  # fmt: skip
    assert draft.route_switch_exception == "special_case"


def test_route_switch_to_the_same_route_or_without_reason(placed, actor):
    client_file, _ = placed()
    with pytest.raises(ApplicationError) as info:
        services.start_route_switch(actor=actor("kim"), client_file=client_file, data={"to_route": "b1"})
    assert "change_reason" in info.value.field_errors
    with pytest.raises(ApplicationError) as info:
        services.start_route_switch(
            actor=actor("kim"), client_file=client_file, data={"to_route": "b1", "change_reason": "x"}
        )
    assert "al de leerroute" in info.value.field_errors["to_route"][0]


def test_settings_validation(actor):
    for bad in (0, 101, "abc", "", True, "80.5"):
        with pytest.raises(ApplicationError) as info:
            services.update_settings(actor=actor("fenna"), data={"attendance_threshold_percent": bad})
        assert info.value.field_errors == {"attendance_threshold_percent": ["Vul een heel getal in tussen 1 en 100."]}
    assert not ProgressSettings.objects.exists()
    with pytest.raises(NotFound):
        services.update_settings(actor=actor("kim"), data={"attendance_threshold_percent": 50})
    settings = services.update_settings(actor=actor("fenna"), data={"attendance_threshold_percent": "65"})
    assert settings.attendance_threshold_percent == 65
    assert selectors.threshold_percent(settings.gemeente_id) == 65


def test_extension_uses_provider_hours(placed, report):
    client_file, enrolment = placed(doelgroep="gezinsmigrant")
    report(enrolment, 2, offered="500", attended="460")
    progress = services.progress_of(client_file)
    assert progress.extension is not None
    assert rules.EffortUnmet.LESSONS not in progress.extension.result.unmet  # 460 ≥ 450 hours
    assert Enrolment.objects.filter(client_file=client_file).count() == 1
