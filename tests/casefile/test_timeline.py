"""The timeline of a file shows every step with who and when, from the records themselves (issue #11 item 5)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openinburgering.accounts.section_limits import gemeente_limits
from openinburgering.casefile.timeline import SOURCE_COUNT, TIMELINE_QUERIES, timeline_for
from openinburgering.casefile.timeline.before_pip import change_events
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.demo.providers import ensure_demo_providers
from openinburgering.followup.models import FollowUpRecord
from openinburgering.handhaving.models import Achievement, ExamConfirmation, FineBezwaar, FineDecision, FineProposal
from openinburgering.households.services import add_household_member, end_household_member
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment, RouteAdvice
from openinburgering.letters.models import Letter
from openinburgering.plans.models import Bezwaar, PipEvent, PipVersion, ProgressTalk
from openinburgering.plans.services import record_progress_talk
from openinburgering.progress.models import AfschalenJudgement
from openinburgering.providers.models import Enrolment, EnrolmentEvent, ExamResult, ModuleMilestone
from openinburgering.signals.models import FileSignal

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 1, 5, 9, 0, tzinfo=AMS)


def at(hour: int, round_: int = 0) -> datetime:
    return START + timedelta(days=round_ * 10, hours=hour)


def one_of_each(
    client_file: ClientFile, staff, round_: int = 0, intake_person: Person | None = None
) -> tuple[list[tuple[datetime, str, str, str]], ProgressTalk]:
    """One record of every kind (a second round adds one more of each, with the intake of ``intake_person``), the
    entries they must give (when, kind, title, who) and a voortgangsgesprek to record as held."""
    kim, tamara, anouk = staff["kim"], staff["tamara"], staff["anouk"]
    r = round_
    person = client_file.person
    StatusChange.objects.create(client_file=client_file, from_status="aangemeld", to_status="intake",
                                changed_at=at(1, r), changed_by=kim, reason="Gepland")  # fmt: skip
    Note.objects.create(client_file=client_file, body="Belde terug.", author=tamara, created_at=at(2, r))
    IntakeCall.objects.create(
        client_file=client_file, sequence=r + 1, planned_at=at(4, r), location="Stadhuis", outcome="no_show",
        outcome_recorded_at=at(5, r), outcome_recorded_by=tamara, next_step="warning_and_repeat_call",
        created_at=at(3, r), created_by=kim,
    )  # fmt: skip
    intake_person = intake_person or person
    intake = Intake.objects.create(client_file=client_file, person=intake_person, started_at=at(6, r),
                                   started_by=kim, status="completed", completed_at=at(8, r),
                                   completed_by=tamara)  # fmt: skip
    LeefgebiedAssessment.objects.create(intake=intake, leefgebied="werk_inkomen", score=3, updated_at=at(7, r),
                                        updated_by=kim)  # fmt: skip
    lbt = LearnabilityTest.objects.create(
        client_file=client_file, planned_at=at(10, r), created_at=at(9, r), created_by=kim, taken_on=at(10, r).date(),
        score=30, outcome="haalbaar", threshold=28, result_recorded_at=at(11, r), result_recorded_by=tamara,
    )  # fmt: skip
    RouteAdvice.objects.create(
        client_file=client_file, advised_route="b1", chosen_route="b1", advice_reasons="Gehaald", lbt=lbt,
        onderwijsroute_considered="Past niet", created_at=at(12, r), created_by=kim,
    )  # fmt: skip
    version = PipVersion.objects.create(
        client_file=client_file, number=r + 1, status="vervangen" if r else "vastgesteld", leerroute="b1",
        drafted_at=at(13, r), drafted_by=kim, submitted_at=at(13, r), submitted_by=kim, approved_at=at(14, r),
        approved_by=tamara, dagtekening_on=at(14, r).date(),
    )  # fmt: skip
    PipEvent.objects.create(version=version, kind="submitted", occurred_at=at(13, r), actor=kim)
    PipEvent.objects.create(version=version, kind="approved", occurred_at=at(14, r), actor=tamara)
    PipEvent.objects.create(version=version, kind="client_response", occurred_at=at(15, r), actor=kim)
    Bezwaar.objects.create(version=version, received_on=at(16, r).date(), term_ends_on=at(16, r).date(),
                           on_time=True, grounds="Te veel uren", registered_at=at(16, r),
                           registered_by=kim)  # fmt: skip
    Letter.objects.create(client_file=client_file, kind="oproep", title="Oproep brede intake", recipient_name="A",
                          content=b"%PDF", sha256="0" * 64, size=4, created_at=at(17, r), created_by=kim)  # fmt: skip
    FileSignal.objects.create(gemeente=client_file.gemeente, client_file=client_file, kind="lbt_result",
                              summary="DUO meldt een uitslag", created_at=at(18, r), resolved_at=at(19, r),
                              resolved_by=tamara)  # fmt: skip
    provider = ensure_demo_providers()
    enrolment = Enrolment.objects.create(
        client_file=client_file, provider=provider, contract=provider.contracts.get(), component="b1_lessen",
        status="geaccepteerd", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 5), hours_per_week=8,
        created_at=at(20, r), created_by=kim,
    )  # fmt: skip
    EnrolmentEvent.objects.create(enrolment=enrolment, to_status="geaccepteerd", occurred_at=at(20, r), actor=anouk)
    ModuleMilestone.objects.create(enrolment=enrolment, kind="voortgangsverslag", happened_on=at(21, r).date(),
                                   note="Gaat goed", recorded_at=at(21, r), recorded_by=anouk)  # fmt: skip
    exam = ExamResult.objects.create(enrolment=enrolment, part="lezen", level="B1", exam_on=at(22, r).date(),
                                     passed=True, recorded_at=at(22, r), recorded_by=anouk)  # fmt: skip
    ExamConfirmation.objects.create(client_file=client_file, exam_result=exam, evidence="Mijn Inburgering",
                                    confirmed_at=at(23, r), confirmed_by=kim)  # fmt: skip
    Achievement.objects.create(client_file=client_file, kind="pvt", achieved_on=at(24, r).date(),
                               recorded_at=at(24, r), recorded_by=kim)  # fmt: skip
    proposal = FineProposal.objects.create(
        client_file=client_file, pip_version=version, ground="map", established_on=at(25, r).date(), facts="f",
        reasoning="r", culpability="normaal", amount=Decimal("50.00"), base_amount=Decimal("50.00"),
        repeat_count=0, capped=False, w22_total=0, w23_total=0, proposed_at=at(25, r), proposed_by=kim,
    )  # fmt: skip
    decision = FineDecision.objects.create(
        proposal=proposal, sequence=1, outcome="opgelegd", amount=Decimal("50.00"), repeat_count=0, capped=False,
        decided_on=at(26, r).date(), decided_at=at(26, r), decided_by=tamara, proposed_by=kim,
    )  # fmt: skip
    FineBezwaar.objects.create(decision=decision, received_on=at(27, r).date(), term_ends_on=at(27, r).date(),
                               on_time=True, grounds="g", registered_at=at(27, r), registered_by=kim)  # fmt: skip
    AfschalenJudgement.objects.create(
        client_file=client_file, sufficient_effort=True, b1_reachable_in_termijn=False, reasoning="Veel moeite",
        leerroute="b1", nt2_course_hours=Decimal("600"), allowed=True, reason="ok", recorded_at=at(28, r),
        recorded_by=tamara,
    )  # fmt: skip
    FollowUpRecord.objects.create(client_file=client_file, situation="werk", contact_on=at(29, r).date(),
                                  recorded_at=at(29, r), recorded_by=kim)  # fmt: skip
    talk = ProgressTalk.objects.create(client_file=client_file, version=version, planned_on=at(30, r).date(),
                                       created_at=at(13, r))  # fmt: skip
    seq = r + 1
    expected = [
        (at(1, r), "status", "Status: Intake", "Kim de Vries"),
        (at(2, r), "note", "Notitie", "Tamara Bakker"),
        (at(3, r), "oproep", f"Oproep {seq} gepland", "Kim de Vries"),
        (at(5, r), "oproep", f"Oproep {seq}: niet verschenen", "Tamara Bakker"),
        (at(6, r), "intake", f"Brede intake gestart: {intake_person.full_name}", "Kim de Vries"),
        (at(7, r), "intake", "Leefgebied werk en inkomen vastgelegd", "Kim de Vries"),
        (at(8, r), "intake", f"Brede intake afgerond: {intake_person.full_name}", "Tamara Bakker"),
        (at(9, r), "toets", "Leerbaarheidstoets gepland", "Kim de Vries"),
        (at(11, r), "toets", "Uitslag leerbaarheidstoets", "Tamara Bakker"),
        (at(12, r), "route", "Leerroute gekozen: B1-route", "Kim de Vries"),
        (at(13, r), "pip", f"PIP versie {seq}: ter goedkeuring aangeboden", "Kim de Vries"),
        (at(14, r), "pip", f"PIP versie {seq}: goedgekeurd en vastgesteld", "Tamara Bakker"),
        (at(15, r), "pip", f"PIP versie {seq}: reactie van de persoon vastgelegd", "Kim de Vries"),
        (at(16, r), "bezwaar", f"Bezwaar tegen PIP versie {seq}", "Kim de Vries"),
        (at(17, r), "letter", "Brief gemaakt: Oproep brede intake", "Kim de Vries"),
        (at(18, r), "signal", "Signaal: Uitslag leerbaarheidstoets (DUO)", "systeem"),
        (at(19, r), "signal", "Signaal afgehandeld: Uitslag leerbaarheidstoets (DUO)", "Tamara Bakker"),
        (at(20, r), "plaatsing", "Plaatsing taallessen b1-route: geaccepteerd", "Anouk Taalhuis"),
        (at(21, r), "voortgang", "Voortgangsverslag van Taalhuis Kennemerland", "Anouk Taalhuis"),
        (at(22, r), "exam", "Examen Lezen B1: gehaald", "Anouk Taalhuis"),
        (at(23, r), "exam", "Examen Lezen bevestigd door de gemeente", "Kim de Vries"),
        (at(24, r), "exam", "Participatieverklaring ondertekend (PVT klaar)", "Kim de Vries"),
        (
            at(25, r),
            "boete",
            "Boetevoorstel: doet niet mee aan de module arbeidsmarkt en participatie (map)",
            "Kim de Vries",
        ),
        (at(26, r), "boete", "Boetebesluit: boete opgelegd", "Tamara Bakker"),
        (at(27, r), "bezwaar", "Bezwaar tegen een boetebesluit", "Kim de Vries"),
        (at(28, r), "voortgang", "Afschalen beoordeeld: mag", "Tamara Bakker"),
        (at(29, r), "vervolg", "Vervolg: betaald werk", "Kim de Vries"),
    ]
    return expected, talk


def test_every_kind_of_step_shows_with_who_and_when(make_file, staff, actor):
    client_file = make_file(assigned_to="kim")
    expected, talk = one_of_each(client_file, staff)
    kim = actor("kim")
    record_progress_talk(actor=kim, client_file=client_file, talk=talk, held_on=date(2026, 2, 1), summary="Goed")
    member = add_household_member(
        actor=kim, client_file=client_file, relation="partner", started_on=date(2025, 1, 1),
        person_data={"given_names": "Rasha", "surname": "Haddad", "birth_on": date(1992, 1, 1)},
    )  # fmt: skip
    end_household_member(actor=actor("tamara"), client_file=client_file, member_id=member.pk,
                         ended_on=date(2025, 6, 1), reason="Verhuisd")  # fmt: skip

    entries = timeline_for(actor=actor("tamara"), client_file=client_file)

    past = [(e.at, e.kind, e.title, e.actor) for e in entries if e.at < at(31)]
    assert past == sorted(expected, reverse=True)
    recent = [(e.kind, e.title, e.actor) for e in entries if e.at >= at(31)]
    assert recent == [
        ("household", "Gezinslid uit het huishouden: Rasha Haddad (partner)", "Tamara Bakker"),
        ("household", "Gezinslid toegevoegd: Rasha Haddad (partner)", "Kim de Vries"),
        ("voortgang", "Voortgangsgesprek gehouden op 01-02-2026", "Kim de Vries"),
        ("status", "Status: Aangemeld", "Kim de Vries"),
    ]


def test_the_timeline_costs_one_query_however_long_and_however_many_sources(make_file, staff, actor):
    client_file = make_file(assigned_to="kim")
    partner = add_household_member(
        actor=actor("kim"), client_file=client_file, relation="partner", started_on=date(2025, 1, 1),
        person_data={"given_names": "Rasha", "surname": "Haddad", "birth_on": date(1992, 1, 1)},
    ).person  # fmt: skip
    one_of_each(client_file, staff)
    first_request, second_request = actor("tamara"), actor("tamara")  # each request has its own actor and caches
    gemeente_limits(client_file.gemeente_id)  # the per-gemeente cache of the section limits, warm as after a request
    with CaptureQueriesContext(connection) as once:
        first = timeline_for(actor=first_request, client_file=client_file)
    one_of_each(client_file, staff, round_=1, intake_person=partner)
    with CaptureQueriesContext(connection) as twice:
        second = timeline_for(actor=second_request, client_file=client_file)

    # One query for all sources (a UNION ALL, #18; it was one per source), plus need to know (#12 item 1) through
    # visible_sections: the health consent check (the gemeente's SectionLimit rows come from the per-gemeente
    # cache, #18).
    assert TIMELINE_QUERIES == 1 < SOURCE_COUNT
    assert len(once.captured_queries) == len(twice.captured_queries) == TIMELINE_QUERIES + 1
    assert len(second) - len(first) == 27
    assert {entry.kind for entry in second} >= {"status", "note", "oproep", "intake", "pip", "exam", "boete"}
    # The limit is applied in SQL, in the same one query.
    third_request = actor("tamara")
    with CaptureQueriesContext(connection) as limited:
        newest = timeline_for(actor=third_request, client_file=client_file, limit=5)
    assert newest == second[:5]
    assert len(limited.captured_queries) == TIMELINE_QUERIES + 1


def test_the_file_page_shows_the_newest_steps_and_a_link_to_all(login, make_file, staff):
    client_file = make_file(assigned_to="kim")
    one_of_each(client_file, staff)

    page = login("kim").get(f"/dossiers/{client_file.pk}/").content.decode()
    everything = login("kim").get(f"/dossiers/{client_file.pk}/?tijdlijn=alles").content.decode()

    assert page.count('class="app-timeline__item') == 25
    assert '<a class="utrecht-link" href="?tijdlijn=alles#tijdlijn">Toon de hele tijdlijn</a>' in page
    assert "<strong>Vervolg: betaald werk</strong><br>" in page
    assert '<span class="app-muted">05-01-2026 12:00 · Kim de Vries</span>' in everything  # the oproep, planned
    assert everything.count('class="app-timeline__item') == 28  # 27 records and the aanmelding
    assert "U ziet de hele tijdlijn (28 stappen)." in everything


def test_signals_show_only_with_the_capability_to_see_them(make_file, staff, actor):
    client_file = make_file(assigned_to="kim")
    one_of_each(client_file, staff)
    kinds = {e.kind for e in timeline_for(actor=actor("frank"), client_file=client_file)}
    # The financieel consulent sees only the basis of the file (need to know): its status steps and household
    # changes, no signals (no capability) and nothing of the intake, PIP, letters or handhaving.
    assert kinds == {"status"}
    assert "signal" in {e.kind for e in timeline_for(actor=actor("kim"), client_file=client_file)}


def test_each_role_sees_only_the_timeline_of_its_sections(make_file, staff, actor):
    client_file = make_file(assigned_to="kim")
    one_of_each(client_file, staff)
    everything = {e.kind for e in timeline_for(actor=actor("kim"), client_file=client_file)}
    assert {"oproep", "intake", "pip", "letter", "boete", "exam", "vervolg", "note"} <= everything
    assert timeline_for(actor=actor("mira"), client_file=client_file) == []  # not her file
    assert timeline_for(actor=actor("fenna"), client_file=client_file) == []  # who read it, not what is in it


def test_a_timeline_of_exactly_25_steps_is_whole_without_a_link(login, make_file, staff):
    client_file = make_file(assigned_to="kim")  # the aanmelding is one step
    for index in range(24):
        Note.objects.create(client_file=client_file, body=f"Notitie {index}", author=staff["kim"], created_at=at(index))

    page = login("kim").get(f"/dossiers/{client_file.pk}/").content.decode()
    assert page.count('class="app-timeline__item') == 25
    assert "U ziet de hele tijdlijn (25 stappen)." in page
    assert "Toon de hele tijdlijn" not in page

    Note.objects.create(client_file=client_file, body="Nog een", author=staff["kim"], created_at=at(30))
    page = login("kim").get(f"/dossiers/{client_file.pk}/").content.decode()
    assert page.count('class="app-timeline__item') == 25
    assert "Toon de hele tijdlijn" in page


def test_a_household_member_of_the_change_history_is_found_by_its_primary_key(make_file, actor):
    """Regression (#18): the member was matched as ``member.id::varchar = subject_id``, which no index serves: on
    235,000 members the file page took 6.4 s. With sequential scans made too dear, the plan must use an index."""
    client_file = make_file(assigned_to="kim")
    add_household_member(
        actor=actor("kim"), client_file=client_file, relation="partner", started_on=date(2025, 1, 1),
        person_data={"given_names": "Rasha", "surname": "Haddad", "birth_on": date(1992, 1, 1)},
    )  # fmt: skip
    rows = change_events(client_file)[:26]
    assert [event.member["given"] for event in rows] == ["Rasha"]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = rows.explain()
        cursor.execute("RESET enable_seqscan")
    # An index condition on the member's id, not a scan of all members with a filter (a whole-index scan counts).
    assert re.search(
        r"households_householdmember_pkey on households_householdmember \w+.*\n\s+Index Cond: \(id = ", plan
    )


def test_the_compiled_timeline_of_one_file_serves_the_next_with_its_own_records(make_file, staff, actor):
    """#18: the union is compiled once per set of sources and reused; each file still gets only its own steps."""
    first, second = make_file(assigned_to="kim"), make_file(assigned_to="kim")
    Note.objects.create(client_file=first, body="Van de eerste", author=staff["kim"], created_at=at(1))
    Note.objects.create(client_file=second, body="Van de tweede", author=staff["kim"], created_at=at(2))
    kim = actor("kim")
    assert [e.detail for e in timeline_for(actor=kim, client_file=first) if e.kind == "note"] == ["Van de eerste"]
    assert [e.detail for e in timeline_for(actor=kim, client_file=second) if e.kind == "note"] == ["Van de tweede"]
