"""Handhaving services: amounts only from rules.fine_pip, W 22 fines toward the cap, W 27, Keren, four eyes
(service and database), the boetebeschikking, bezwaar, insert-only, voldaan and the extension check."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from openinburgering import rules
from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.handhaving import services
from openinburgering.handhaving.models import Achievement, FineBezwaar, FineDecision, FineProposal
from openinburgering.letters.models import Letter
from openinburgering.plans.services import termijn_of

from .conftest import pdf_text, proposal_data

pytestmark = pytest.mark.django_db


def propose(actor, client_file, **changes):
    return services.propose_fine(actor=actor("kim"), client_file=client_file, data=proposal_data(**changes))


@pytest.mark.parametrize(
    ("culpability", "amount"),
    [("opzet", "50.00"), ("grove_schuld", "37.50"), ("normaal", "25.00"), ("verminderd", "12.50")],
)
def test_amount_per_culpability_comes_from_the_rules(fine_file, actor, culpability, amount):
    client_file = fine_file(doelgroep="gezinsmigrant")
    proposal = propose(actor, client_file, culpability=culpability)
    expected = rules.fine_pip(culpability=rules.Culpability(culpability), established_on=today())
    assert proposal.amount == expected.amount == Decimal(amount)
    assert proposal.repeat_count == 0
    assert proposal.base_amount == Decimal("50.00")


def test_a_final_fine_within_twelve_months_doubles_the_base(fine_file, actor, past_fine):
    client_file = fine_file(doelgroep="gezinsmigrant")
    past_fine(client_file, established_on=today() - timedelta(days=100))
    past_fine(client_file, established_on=today() - timedelta(days=500))  # outside the 12 months
    past_fine(client_file, established_on=today() - timedelta(days=60), final=False)  # bezwaartermijn still open
    proposal = propose(actor, client_file, culpability="opzet")
    assert proposal.repeat_count == 1
    assert proposal.base_amount == Decimal("100.00")
    assert proposal.amount == Decimal("100.00")
    assert proposal.w23_total == Decimal("75.00")


def test_a_fine_with_a_bezwaar_is_not_final_and_does_not_count_as_repeat(fine_file, actor, past_fine, staff):
    client_file = fine_file(doelgroep="gezinsmigrant")
    decision = past_fine(client_file, established_on=today() - timedelta(days=100))
    FineBezwaar.objects.create(
        decision=decision, received_on=decision.decided_on, term_ends_on=decision.bezwaar_term_ends_on,
        on_time=True, grounds="Niet eens", registered_at=timezone.now(), registered_by=staff["kim"],
    )  # fmt: skip
    assert propose(actor, client_file, culpability="opzet").repeat_count == 0


def test_the_cap_includes_the_w22_intake_fines(fine_file, actor, past_fine, w22_fine):
    client_file = fine_file(doelgroep="gezinsmigrant")
    w22_fine(client_file, sequence=2, amount="250.00")
    w22_fine(client_file, sequence=3, amount="250.00", next_step="warning_and_repeat_call")  # not a fine step
    past_fine(client_file, established_on=today() - timedelta(days=400), amount="2140.00")
    proposal = propose(actor, client_file, culpability="opzet")
    assert proposal.w22_total == Decimal("250.00")
    assert proposal.amount == Decimal("10.00")
    assert proposal.capped
    # In a new termijn of half a year the cap is € 400, already reached.
    assert propose(actor, client_file, culpability="opzet", termijn_kind="new_6m").amount == Decimal("0.00")


def test_bijstand_already_reduced_gives_no_fine_w27(fine_file, actor):
    client_file = fine_file(doelgroep="gezinsmigrant")
    proposal = propose(actor, client_file, culpability="opzet", bijstand_reduced=True)
    assert proposal.amount == Decimal("0.00")
    with pytest.raises(ApplicationError) as error:
        services.decide_fine(actor=actor("tamara"), client_file=client_file, proposal=proposal, outcome="opgelegd")
    assert "outcome" in error.value.field_errors
    assert not FineDecision.objects.exists()
    assert not Letter.objects.filter(kind="boete_w23").exists()


def test_asielstatushouder_needs_proven_persistent_onwil_keren(fine_file, actor):
    client_file = fine_file()
    with pytest.raises(ApplicationError) as error:
        propose(actor, client_file, persistent_onwil=False, keren_reasoning="")
    assert {"persistent_onwil", "keren_reasoning"} <= set(error.value.field_errors)
    assert "C-158/23" in error.value.field_errors["persistent_onwil"][0]
    assert not FineProposal.objects.exists()
    assert propose(actor, client_file).asielstatushouder is True


def test_keren_check_constraint_in_the_database(fine_file, actor):
    proposal = propose(actor, fine_file())
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO handhaving_fineproposal (client_file_id, pip_version_id, ground, established_on, facts,"
            " reasoning, culpability, termijn_kind, bijstand_reduced, asielstatushouder, persistent_onwil,"
            " keren_reasoning, amount, base_amount, repeat_count, capped, w22_total, w23_total, proposed_at,"
            " proposed_by_id) SELECT client_file_id, pip_version_id, ground, established_on, facts, reasoning,"
            " culpability, termijn_kind, bijstand_reduced, true, false, '', amount, base_amount, repeat_count,"
            " capped, w22_total, w23_total, proposed_at, proposed_by_id FROM handhaving_fineproposal WHERE id=%s",
            [proposal.pk],
        )


def test_reasoning_and_facts_are_required_and_nothing_is_half_written(fine_file, actor):
    client_file = fine_file(doelgroep="gezinsmigrant")
    with pytest.raises(ApplicationError) as error:
        propose(actor, client_file, reasoning="  ", facts="", ground="x", established_on=today() + timedelta(days=1))
    assert {"reasoning", "facts", "ground", "established_on"} <= set(error.value.field_errors)
    assert not FineProposal.objects.exists()
    assert not AuditEvent.objects.filter(event_type="fine_proposed").exists()


def test_no_fine_without_a_vastgesteld_pip(pip_file, actor):
    with pytest.raises(Conflict):
        propose(actor, pip_file(doelgroep="gezinsmigrant", residence="regulier"))


def test_four_eyes_in_the_service(fine_file, actor):
    client_file = fine_file(doelgroep="gezinsmigrant")
    own = services.propose_fine(actor=actor("tamara"), client_file=client_file, data=proposal_data())
    with pytest.raises(ApplicationError) as error:
        services.decide_fine(actor=actor("tamara"), client_file=client_file, proposal=own, outcome="opgelegd")
    assert "vier ogen" in error.value.message
    with pytest.raises(NotFound):  # a klantregisseur cannot decide at all
        services.decide_fine(actor=actor("kim"), client_file=client_file, proposal=own, outcome="afgezien",
                             reason="Nee")  # fmt: skip
    assert not FineDecision.objects.exists()


def test_four_eyes_database_constraint_when_the_service_is_bypassed(fine_file, actor, staff):
    client_file = fine_file(doelgroep="gezinsmigrant")
    proposal = propose(actor, client_file)
    with pytest.raises(IntegrityError), transaction.atomic():
        FineDecision.objects.create(
            proposal=proposal, sequence=1, outcome="afgezien", reason="x", amount=0, repeat_count=0, capped=False,
            decided_on=today(), decided_at=timezone.now(), decided_by=staff["kim"], proposed_by=staff["kim"],
        )  # fmt: skip


def test_decision_opgelegd_writes_the_boetebeschikking(fine_file, actor):
    client_file = fine_file(doelgroep="gezinsmigrant")
    proposal = propose(actor, client_file, culpability="grove_schuld")
    decision = services.decide_fine(
        actor=actor("tamara"), client_file=client_file, proposal=proposal, outcome="opgelegd", reason="Terecht."
    )
    assert decision.amount == Decimal("37.50")
    assert decision.sequence == 1
    bezwaar_until = rules.bezwaar_termijn(bekendgemaakt_on=today()).term_ends_on
    assert decision.bezwaar_term_ends_on == bezwaar_until
    letter = decision.letter
    assert letter is not None
    assert letter.kind == "boete_w23"
    text = " ".join(pdf_text(letter.content).split())
    assert "€ 37.50" in text or "€ 37,50" in text
    assert "participatieverklaringstraject" in text.lower()  # the ground
    assert "bezwaar" in text.lower()
    assert "artikel 23" in text
    assert str(bezwaar_until.year) in text
    events = list(AuditEvent.objects.filter(client_file=client_file).values_list("event_type", flat=True))
    assert "fine_decided" in events
    assert "letter_created" in events


def test_afgezien_needs_a_reason_and_a_later_change_is_a_new_row(fine_file, actor):
    client_file = fine_file(doelgroep="gezinsmigrant")
    proposal = propose(actor, client_file)
    tamara = actor("tamara")
    with pytest.raises(ApplicationError) as error:
        services.decide_fine(actor=tamara, client_file=client_file, proposal=proposal, outcome="afgezien")
    assert "reason" in error.value.field_errors
    first = services.decide_fine(actor=tamara, client_file=client_file, proposal=proposal, outcome="opgelegd")
    second = services.decide_fine(
        actor=tamara, client_file=client_file, proposal=proposal, outcome="afgezien", reason="Bezwaar gegrond."
    )
    assert (first.sequence, second.sequence) == (1, 2)
    assert FineDecision.objects.filter(proposal=proposal).count() == 2
    # The newest decision counts: nothing is imposed any more.
    assert services.fine_figures(client_file, on=today()).w23_total == Decimal("0.00")


def test_bezwaar_on_time_from_the_rules(fine_file, actor):
    client_file = fine_file(doelgroep="gezinsmigrant")
    proposal = propose(actor, client_file)
    decision = services.decide_fine(actor=actor("tamara"), client_file=client_file, proposal=proposal,
                                    outcome="opgelegd")  # fmt: skip
    bezwaar = services.register_fine_bezwaar(
        actor=actor("kim"), client_file=client_file, decision=decision, received_on=today(), grounds="Ziek geweest."
    )
    assert bezwaar.on_time is True
    assert bezwaar.term_ends_on == decision.bezwaar_term_ends_on
    with pytest.raises(ApplicationError) as error:
        services.register_fine_bezwaar(actor=actor("kim"), client_file=client_file, decision=decision,
                                       received_on=None, grounds="")  # fmt: skip
    assert {"received_on", "grounds"} <= set(error.value.field_errors)
    afgezien = services.decide_fine(actor=actor("tamara"), client_file=client_file, proposal=proposal,
                                    outcome="afgezien", reason="Gegrond")  # fmt: skip
    with pytest.raises(Conflict):
        services.register_fine_bezwaar(actor=actor("kim"), client_file=client_file, decision=afgezien,
                                       received_on=today(), grounds="x")  # fmt: skip


@pytest.mark.parametrize("model", [FineProposal, FineDecision, Achievement])
def test_insert_only_in_the_model(fine_file, actor, model):
    client_file = fine_file(doelgroep="gezinsmigrant")
    proposal = propose(actor, client_file)
    decision = services.decide_fine(actor=actor("tamara"), client_file=client_file, proposal=proposal,
                                    outcome="afgezien", reason="Geen boete")  # fmt: skip
    achievement = services.record_achievement(
        actor=actor("kim"), client_file=client_file, data={"kind": "pvt", "achieved_on": today()}
    )
    row = {FineProposal: proposal, FineDecision: decision, Achievement: achievement}[model]
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only; CI requires it")
@pytest.mark.parametrize(
    "table", ["handhaving_fineproposal", "handhaving_finedecision", "handhaving_achievement", "handhaving_finebezwaar"]
)
def test_insert_only_trigger_in_postgresql(fine_file, actor, table):
    client_file = fine_file(doelgroep="gezinsmigrant")
    proposal = propose(actor, client_file)
    decision = services.decide_fine(actor=actor("tamara"), client_file=client_file, proposal=proposal,
                                    outcome="opgelegd")  # fmt: skip
    services.register_fine_bezwaar(actor=actor("kim"), client_file=client_file, decision=decision,
                                   received_on=today(), grounds="x")  # fmt: skip
    services.record_achievement(actor=actor("kim"), client_file=client_file, data={"kind": "pvt",
                                                                                   "achieved_on": today()})  # fmt: skip
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


def _achieve(actor, client_file, **data):
    return services.record_achievement(actor=actor("kim"), client_file=client_file,
                                       data={"achieved_on": today(), **data})  # fmt: skip


def _check(client_file):
    achieved = services.achieved_so_far(Achievement.objects.filter(client_file=client_file))
    return services.voldaan_check(client_file, services.current_pip(client_file), achieved)


def test_voldaan_b1_route_lists_what_is_missing(fine_file, actor):
    client_file = fine_file(doelgroep="gezinsmigrant")
    _achieve(actor, client_file, kind="pvt")
    _achieve(actor, client_file, kind="exam", exam_part="lezen", level="B1")
    _achieve(actor, client_file, kind="exam", exam_part="luisteren", level="A2")  # too low for B1
    check = _check(client_file)
    assert check is not None
    assert not check.result.voldaan
    assert check.result.missing == ("map", "luisteren", "schrijven", "spreken", "knm")
    assert "Examen luisteren" in check.missing_labels
    _achieve(actor, client_file, kind="map")
    for part in ("luisteren", "schrijven", "spreken"):
        _achieve(actor, client_file, kind="exam", exam_part=part, level="B1")
    _achieve(actor, client_file, kind="exam", exam_part="knm")
    assert _check(client_file).result.voldaan is True


def test_voldaan_onderwijsroute_and_z_route(fine_file, actor):
    onderwijs = fine_file(doelgroep="gezinsmigrant", leerroute="onderwijs", map_intensity="", level="")
    _achieve(actor, onderwijs, kind="pvt")
    assert _check(onderwijs).result.missing[-1] == "onderwijsroute"
    _achieve(actor, onderwijs, kind="onderwijsroute")
    assert _check(onderwijs).result.voldaan is True  # no MAP in the onderwijsroute
    z = fine_file(leerroute="z", level="", estimated_b1_intensity=None)
    _achieve(actor, z, kind="pvt")
    _achieve(actor, z, kind="map")
    _achieve(actor, z, kind="z_course_hours", hours="800")
    assert _check(z).result.missing == ("z_participation_hours", "z_final_interview")


def test_achievement_validation(fine_file, actor):
    client_file = fine_file(doelgroep="gezinsmigrant")
    with pytest.raises(ApplicationError) as error:
        _achieve(actor, client_file, kind="exam", exam_part="lezen", level="", achieved_on=today() + timedelta(1))
    assert {"level", "achieved_on"} <= set(error.value.field_errors)
    with pytest.raises(ApplicationError) as error:
        _achieve(actor, client_file, kind="z_course_hours")
    assert "hours" in error.value.field_errors
    assert not Achievement.objects.exists()


def test_extension_outcome_and_request_window(fine_file, actor):
    client_file = fine_file(doelgroep="gezinsmigrant")
    version = services.current_pip(client_file)
    termijn = termijn_of(client_file)
    assert termijn is not None
    for data in ({"kind": "pvt"}, {"kind": "map"}, {"kind": "exam", "exam_part": "knm"},
                 {"kind": "exam", "exam_part": "lezen", "level": "A2"},
                 {"kind": "exam", "exam_part": "spreken", "level": "A2"}):  # fmt: skip
        _achieve(actor, client_file, **data)
    achieved = services.achieved_so_far(Achievement.objects.filter(client_file=client_file))
    now = services.extension_check(client_file, version, achieved, requested_on=today(), lesson_hours=500)
    assert now is not None
    assert not now.window_open
    assert now.result.unmet == (rules.EffortUnmet.REQUEST_TOO_EARLY,)
    later = termijn.termijn_end_on - timedelta(days=30)
    ok = services.extension_check(client_file, version, achieved, requested_on=later, lesson_hours=500)
    assert ok is not None
    assert ok.window_open
    assert ok.result.eligible
    assert ok.result.extension_months == 6
    few = services.extension_check(client_file, version, achieved, requested_on=later, lesson_hours=100)
    assert few is not None
    assert not few.result.eligible
    assert "lessons" in few.result.unmet
