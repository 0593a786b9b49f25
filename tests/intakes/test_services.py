"""Oproepen, brede intake, toets and route advice through the services: the rules decide, letters are real PDFs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.core.errors import ApplicationError, Conflict
from openinburgering.intakes import selectors, services
from openinburgering.intakes.advice import advise_route
from openinburgering.intakes.models import Intake, IntakeCall, LeefgebiedAssessment, RouteAdvice
from openinburgering.letters.models import Letter, LetterKind
from openinburgering.rules import fine_intake

from .helpers import fail, happened, pdf_text, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def kim(actor):
    return actor("kim")


@pytest.fixture
def client_file(make_file):
    return make_file(
        assigned_to="kim",
        person={"languages": "Arabisch", "interpreter_needed": True, "interpreter_language": "Arabisch"},
    )


def test_full_sequence_of_oproepen_letters_and_intake_in_absence(kim, client_file):
    call1, letter1 = plan(kim, client_file)
    client_file.refresh_from_db()
    assert client_file.status == "intake"  # the first oproep moves the file from aangemeld to intake
    assert letter1.kind == LetterKind.OPROEP
    text1 = pdf_text(letter1.content)
    for words in ("brede intake", "Stadhuis Haarlem", "Arabisch", "Wat neemt u mee?", "identiteitsbewijs",
                  "Wat gebeurt er als u niet komt?", "250", "Vragen?", "Kim de Vries"):  # fmt: skip
        assert words in text1, words

    call1 = fail(kim, client_file, call1)
    assert (call1.next_step, call1.fine_amount) == ("warning_and_repeat_call", Decimal("0.00"))

    call2, letter2 = plan(kim, client_file)
    assert (call2.sequence, letter2.kind) == (2, LetterKind.WAARSCHUWING)
    text2 = pdf_text(letter2.content)
    assert "schriftelijke waarschuwing" in text2
    assert "U bent niet gekomen" in text2
    assert "artikel 14 lid 1" in text2

    call2 = fail(kim, client_file, call2)
    assert (call2.next_step, call2.fine_amount) == ("fine_and_new_term", Decimal("250.00"))

    call3, letter3 = plan(kim, client_file)
    assert letter3.kind == LetterKind.BOETE_NIEUWE_TERMIJN
    text3 = pdf_text(letter3.content)
    until = fine_intake(published_on=timezone.localdate()).new_term_until_on
    assert "boete" in text3
    assert "250" in text3
    assert "nieuwe termijn" in text3
    assert f"{until.day} " in text3
    assert str(until.year) in text3
    assert "artikel 22 lid 2" in text3

    call3 = fail(kim, client_file, call3, "insufficient_cooperation")
    assert (call3.next_step, call3.fine_amount) == ("fine_and_intake_in_absence", Decimal("250.00"))
    assert call3.outcome_note == "Werkte niet mee."

    letter4 = services.create_absence_letter(actor=kim, client_file=client_file)
    assert letter4.kind == LetterKind.INTAKE_IN_AFWEZIGHEID
    text4 = pdf_text(letter4.content)
    assert "zonder u" in text4
    assert "250" in text4
    assert "artikel 14 lid 2" in text4
    with pytest.raises(Conflict) as error:
        services.create_absence_letter(actor=kim, client_file=client_file)
    assert error.value.message == "Deze brief is al gemaakt. U vindt hem bij de brieven van het dossier."

    intake = services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    with pytest.raises(ApplicationError) as error:
        services.complete_intake(actor=kim, client_file=client_file, intake=intake, in_absence=True)
    assert "absence_reason" in error.value.field_errors
    done = services.complete_intake(
        actor=kim, client_file=client_file, intake=intake, in_absence=True, absence_reason="Drie keer niet gekomen."
    )
    assert done.status == "completed"
    assert done.in_absence
    events = set(AuditEvent.objects.filter(client_file=client_file).values_list("event_type", flat=True))
    assert {"intake_call_planned", "intake_call_outcome_recorded", "letter_created", "intake_started",
            "intake_completed", "client_status_changed"} <= events  # fmt: skip


def test_a_fourth_oproep_and_an_oproep_while_one_is_pending_are_refused(kim, client_file):
    call1, _ = plan(kim, client_file)
    with pytest.raises(Conflict) as error:
        plan(kim, client_file)
    assert "al een oproep gepland" in error.value.message
    fail(kim, client_file, call1)
    call2, _ = plan(kim, client_file)
    fail(kim, client_file, call2)
    call3, _ = plan(kim, client_file)
    fail(kim, client_file, call3)
    letters = Letter.objects.filter(client_file=client_file).count()
    with pytest.raises(Conflict) as error:
        plan(kim, client_file)
    assert "drie" in error.value.message.lower() or "3 oproepen" in error.value.message
    assert IntakeCall.objects.filter(client_file=client_file).count() == 3
    assert Letter.objects.filter(client_file=client_file).count() == letters


def test_the_database_refuses_a_fourth_call(kim, client_file):
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeCall.objects.create(
            client_file=client_file, sequence=4, planned_at=timezone.now(), location="x", created_at=timezone.now(),
            created_by=kim.user,
        )  # fmt: skip


def test_a_no_show_cannot_be_recorded_earlier_on_the_day_of_the_appointment(kim, client_file):
    from datetime import timedelta

    from django.utils import timezone

    from openinburgering.intakes.models import IntakeCall

    call, _ = plan(kim, client_file)
    IntakeCall.objects.filter(pk=call.pk).update(planned_at=timezone.now() + timedelta(minutes=30))
    call.refresh_from_db()
    with pytest.raises(ApplicationError) as error:
        services.record_call_outcome(actor=kim, client_file=client_file, call=call, outcome="no_show")
    assert error.value.field_errors == {
        "outcome": ["De afspraak is nog niet begonnen. Leg de uitkomst vast na het begin van de afspraak."]
    }
    IntakeCall.objects.filter(pk=call.pk).update(planned_at=timezone.now() - timedelta(minutes=1))
    call.refresh_from_db()
    services.record_call_outcome(actor=kim, client_file=client_file, call=call, outcome="no_show")


def test_after_appearing_no_new_oproep(kim, client_file):
    call, _ = plan(kim, client_file)
    services.record_call_outcome(actor=kim, client_file=client_file, call=happened(call), outcome="appeared")
    with pytest.raises(Conflict) as error:
        plan(kim, client_file)
    assert "al gekomen" in error.value.message


def test_an_outcome_is_recorded_once_and_not_before_the_appointment(kim, client_file):
    call, _ = plan(kim, client_file)
    with pytest.raises(ApplicationError) as error:
        services.record_call_outcome(actor=kim, client_file=client_file, call=call, outcome="no_show")
    assert "nog niet begonnen" in error.value.field_errors["outcome"][0]
    fail(kim, client_file, call)
    with pytest.raises(Conflict) as error:
        services.record_call_outcome(actor=kim, client_file=client_file, call=call, outcome="appeared")
    assert error.value.message == "De uitkomst van deze oproep is al vastgelegd. U kunt die niet meer veranderen."
    call.refresh_from_db()
    assert call.outcome == "no_show"


def test_planning_validates_input_and_writes_nothing_on_error(kim, client_file):
    with pytest.raises(ApplicationError) as error:
        services.plan_call(actor=kim, client_file=client_file, planned_at=timezone.now() - timedelta(days=1),
                           location=" ")  # fmt: skip
    assert set(error.value.field_errors) == {"planned_at", "location"}
    assert not IntakeCall.objects.filter(client_file=client_file).exists()
    assert not Letter.objects.filter(client_file=client_file).exists()


def test_third_oproep_must_fall_inside_the_new_term(kim, client_file):
    call1, _ = plan(kim, client_file)
    fail(kim, client_file, call1)
    call2, _ = plan(kim, client_file)
    fail(kim, client_file, call2)
    with pytest.raises(ApplicationError) as error:
        plan(kim, client_file, days=100)
    assert "nieuwe termijn" in error.value.field_errors["planned_at"][0]


# ----------------------------------------------------------------------------------------------- brede intake


def test_step_by_step_saves_and_completion(kim, client_file, household_member):
    child = household_member(client_file)
    people = [p.pk for p, _ in selectors.household_people(client_file)]
    assert people == [client_file.person_id, child.person_id]
    intake = services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    with pytest.raises(Conflict) as error:
        services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    assert error.value.message == "Voor deze persoon is al een brede intake gestart."
    with pytest.raises(ApplicationError) as error:
        services.start_intake(actor=kim, client_file=client_file, person_id=999_999)
    assert (error.value.message, error.value.field_errors) == (
        "Kies een persoon uit het huishouden.",
        {"person": ["Kies de inburgeraar of iemand die nu in het huishouden woont."]},
    )

    saved = services.save_assessment(
        actor=kim, client_file=client_file, intake=intake, leefgebied="huisvesting", score=None,
        finding="Woont nog in het azc.", details={"housing": "azc"},
    )  # fmt: skip
    assert saved.details == {"housing": "azc"}
    assert saved.score is None
    with pytest.raises(ApplicationError) as error:
        services.complete_intake(actor=kim, client_file=client_file, intake=intake)
    assert "Huisvesting" in error.value.field_errors["in_absence"][0]

    with pytest.raises(ApplicationError) as error:
        services.save_assessment(actor=kim, client_file=client_file, intake=intake, leefgebied="huisvesting",
                                 score=3, details={"unknown": "x"})  # fmt: skip
    assert "details.unknown" in error.value.field_errors
    with pytest.raises(ApplicationError) as error:
        services.save_assessment(actor=kim, client_file=client_file, intake=intake, leefgebied="huisvesting", score=6)
    assert "score" in error.value.field_errors

    details = {
        "huisvesting": {"housing": "eigen_woning"},
        "werk_inkomen": {"profession": "Verpleegkundige", "work_years": 6},
        "taal_inburgering": {"literacy": "gealfabetiseerd_ander", "dutch_level": "a1"},
        "onderwijs": {"highest_level": "hoger", "idw_status": "aangevraagd", "study_wish": "ja"},
        "sociaal_netwerk": {},
        "gezondheid": {"health_consent": "ja", "screen_sleep": "ja", "handover_consent": "ja",
                       "handover_to": "GGZ Haarlem", "handover_on": "2026-01-15"},
        "financien": {"debts": "nee"},
        "kinderen": {"children": {str(child.person_id): {"vve": "ja", "kinderopvang": "nee"}}},
        "randvoorwaarden": {"childcare_needed": "ja", "travel_costs_needed": "ja"},
    }  # fmt: skip
    for code, data in details.items():
        services.save_assessment(actor=kim, client_file=client_file, intake=intake, leefgebied=code, score=3,
                                 wishes=f"Wens {code}", details=data)  # fmt: skip
    assert LeefgebiedAssessment.objects.filter(intake=intake).count() == 9
    assert services.complete_intake(actor=kim, client_file=client_file, intake=intake).status == "completed"
    with pytest.raises(Conflict) as error:
        services.save_assessment(actor=kim, client_file=client_file, intake=intake, leefgebied="huisvesting", score=2)
    assert error.value.message == "Deze brede intake is afgerond. U kunt hem niet meer veranderen."
    pip = list(selectors.assessments_for_pip(client_file))
    assert len(pip) == 9
    assert pip[0].intake.person.pk == client_file.person_id
    assert pip[0].wishes == "Wens huisvesting"
    event = AuditEvent.objects.filter(event_type="leefgebied_assessment_saved", client_file=client_file).last()
    assert "GGZ" not in str(event.changes)  # field names only in the audit trail


def test_absence_completion_needs_the_third_failed_call(kim, client_file):
    intake = services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    with pytest.raises(ApplicationError) as error:
        services.complete_intake(actor=kim, client_file=client_file, intake=intake, in_absence=True,
                                 absence_reason="Niet gekomen")  # fmt: skip
    assert "drie oproepen" in error.value.field_errors["in_absence"][0]
    assert Intake.objects.get(pk=intake.pk).status == "in_progress"


@pytest.mark.parametrize(
    ("details", "score", "field"),
    [
        ({"physical": "Rugklachten"}, None, "details.health_consent"),
        ({"health_consent": "nee"}, 3, "details.health_consent"),
        ({"health_consent": "ja", "screen_worry": "ja"}, 3, "details.handover_consent"),
        ({"health_consent": "ja", "screen_worry": "ja", "handover_consent": "ja"}, 3, "details.handover_to"),
        ({"health_consent": "ja", "screen_worry": "nee", "handover_to": "GGZ"}, 3, "details.handover_consent"),
    ],
)
def test_health_data_only_with_consent_and_a_warm_handover_on_a_signal(kim, client_file, details, score, field):
    intake = services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    with pytest.raises(ApplicationError) as error:
        services.save_assessment(actor=kim, client_file=client_file, intake=intake, leefgebied="gezondheid",
                                 score=score, details=details)  # fmt: skip
    assert field in error.value.field_errors
    assert not LeefgebiedAssessment.objects.filter(intake=intake).exists()


def test_refused_health_consent_counts_as_done(kim, client_file):
    intake = services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    services.save_assessment(actor=kim, client_file=client_file, intake=intake, leefgebied="gezondheid", score=None,
                             details={"health_consent": "nee"})  # fmt: skip
    progress = selectors.progress_of(Intake.objects.prefetch_related("assessments").get(pk=intake.pk))
    assert progress.done == ["gezondheid"]


def test_a_child_not_in_the_household_is_refused(kim, client_file):
    intake = services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    with pytest.raises(ApplicationError) as error:
        services.save_assessment(actor=kim, client_file=client_file, intake=intake, leefgebied="kinderen", score=3,
                                 details={"children": {"12345": {"vve": "ja"}}})  # fmt: skip
    assert "details.children.12345" in error.value.field_errors


# -------------------------------------------------------------------------------------------------------- LBT


def _lbt(kim, client_file, **result):
    lbt, _ = services.plan_lbt(actor=kim, client_file=client_file, planned_at=timezone.now() + timedelta(days=3),
                               location="Stadhuis")  # fmt: skip
    return services.record_lbt_result(actor=kim, client_file=client_file, lbt=lbt, **result)


@pytest.mark.parametrize(
    ("taken_on", "score", "outcome", "threshold"),
    [
        (date(2023, 4, 12), 28, "haalbaar", 28),
        (date(2023, 4, 11), 28, "niet_haalbaar", 31),
        (date(2023, 4, 11), 31, "haalbaar", 31),
        (date(2024, 1, 1), 27, "niet_haalbaar", 28),
    ],
)
def test_lbt_outcome_uses_the_cesuur_of_the_date(kim, client_file, taken_on, score, outcome, threshold):
    lbt = _lbt(kim, client_file, taken_on=taken_on, score=score)
    assert (lbt.outcome, lbt.threshold) == (outcome, threshold)


def test_lbt_ontheffing_and_validation(kim, client_file):
    lbt = _lbt(kim, client_file, ontheffing="visual")
    assert (lbt.outcome, lbt.threshold) == ("ontheffing", None)
    with pytest.raises(Conflict) as error:
        services.record_lbt_result(actor=kim, client_file=client_file, lbt=lbt, ontheffing="auditive")
    assert error.value.message == "De uitslag van deze toets is al vastgelegd."
    other, letter = services.plan_lbt(actor=kim, client_file=client_file, planned_at=timezone.now() + timedelta(days=1),
                                      location="Stadhuis", send_letter=True)  # fmt: skip
    assert letter is not None
    assert "leerbaarheidstoets" in pdf_text(letter.content)
    cases = [
        ({"taken_on": date(2024, 1, 1), "score": 41}, "score"),
        ({"taken_on": timezone.localdate() + timedelta(days=1), "score": 30}, "taken_on"),
        ({"taken_on": date(2024, 1, 1), "score": 30, "ontheffing": "visual"}, "ontheffing"),
        ({}, "taken_on"),
    ]
    for result, field in cases:
        with pytest.raises(ApplicationError) as error:
            services.record_lbt_result(actor=kim, client_file=client_file, lbt=other, **result)
        assert field in error.value.field_errors, result
    other.refresh_from_db()
    assert other.result_recorded_at is None


# -------------------------------------------------------------------------------------------------- advice


def test_advice_heuristic():
    as_of = date(2026, 1, 1)
    young, old = date(2000, 1, 1), date(1990, 1, 1)
    assert advise_route(lbt_outcome="onbekend", birth_on=young, as_of=as_of).route is None
    assert advise_route(lbt_outcome="ontheffing", birth_on=young, as_of=as_of).route == "z"
    assert advise_route(lbt_outcome="niet_haalbaar", lbt_score=20, birth_on=young, as_of=as_of).route == "z"
    wish = {"study_wish": "ja"}
    assert (
        advise_route(lbt_outcome="haalbaar", birth_on=young, as_of=as_of, onderwijs_details=wish).route == "onderwijs"
    )
    old_advice = advise_route(lbt_outcome="haalbaar", birth_on=old, as_of=as_of, onderwijs_details=wish)
    assert old_advice.route == "b1"
    assert any("28 jaar" in reason for reason in old_advice.reasons)
    assert advise_route(lbt_outcome="haalbaar", birth_on=young, as_of=as_of).route == "b1"


def test_choosing_a_route_needs_advice_a_reason_to_deviate_and_the_onderwijs_weighing(kim, client_file):
    with pytest.raises(ApplicationError) as error:
        services.choose_route(actor=kim, client_file=client_file, chosen_route="b1", onderwijsroute_considered="x")
    assert "leerbaarheidstoets" in error.value.message
    _lbt(kim, client_file, taken_on=date(2024, 5, 1), score=35)
    with pytest.raises(ApplicationError) as error:
        services.choose_route(actor=kim, client_file=client_file, chosen_route="z", onderwijsroute_considered=" ")
    assert set(error.value.field_errors) == {"deviation_reason", "onderwijsroute_considered"}
    assert not RouteAdvice.objects.filter(client_file=client_file).exists()
    advice = services.choose_route(actor=kim, client_file=client_file, chosen_route="z",
                                   deviation_reason="Ernstige gezondheidsklachten.",
                                   onderwijsroute_considered="Geen studiewens; 35 jaar.")  # fmt: skip
    assert (advice.advised_route, advice.chosen_route) == ("b1", "z")
    assert "haalbaar" in advice.advice_reasons
    assert selectors.latest_route_advice(client_file) == advice
    with pytest.raises(TypeError):
        advice.save()
