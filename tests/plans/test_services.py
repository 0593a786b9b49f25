"""The PIP services: draft, four eyes, vaststelling with the termijn and the beschikking, route switch, DUO's
checks in Dutch, ontzorgen, bezwaar, the person's response and voortgangsgesprekken."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from openinburgering import rules
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.intakes.models import Intake, LeefgebiedAssessment, RouteAdvice
from openinburgering.letters.models import LetterKind
from openinburgering.plans import services
from openinburgering.plans.models import PipAgreement, PipEvent, PipVersion, ProgressTalk

from .conftest import AGREEMENT, GOOD, pdf_text

pytestmark = pytest.mark.django_db


def events(version: PipVersion) -> list[str]:
    return list(PipEvent.objects.filter(version=version).order_by("id").values_list("kind", flat=True))


def audit_types(client_file: ClientFile) -> list[str]:
    return list(AuditEvent.objects.filter(client_file=client_file).order_by("id").values_list("event_type", flat=True))


def errors_of(excinfo: pytest.ExceptionInfo[ApplicationError]) -> dict[str, list[str]]:
    return excinfo.value.field_errors


def set_today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    monkeypatch.setattr("openinburgering.core.dates.today", lambda: day)


def test_draft_submit_approve_by_tamara(pip_file, actor, draft_ready):
    client_file = pip_file()
    kim, tamara = actor("kim"), actor("tamara")
    version = draft_ready(client_file)
    assert version.status == "concept"
    assert version.number == 1
    services.submit(actor=kim, client_file=client_file, version=version)
    assert version.status == "ter_goedkeuring"
    assert version.submitted_by == kim.user
    services.approve(actor=tamara, client_file=client_file, version=version)

    version.refresh_from_db()
    client_file.refresh_from_db()
    day = today()
    expected = rules.termijn(pip_dagtekening_on=day)
    assert version.status == "vastgesteld"
    assert version.approved_by == tamara.user
    assert version.dagtekening_on == day
    assert (version.termijn_start_on, version.termijn_end_on) == (expected.termijn_start_on, expected.termijn_end_on)
    assert client_file.pip_dagtekening_on == day
    assert client_file.status == "in_traject"
    # From pip straight on to in traject: no step back through intake in the history (each is published to ZGW).
    assert list(client_file.status_changes.order_by("id").values_list("to_status", flat=True)) == [
        "aangemeld", "intake", "pip", "in_traject"
    ]  # fmt: skip
    # The next deadline was recomputed for this file (clients.deadlines decides which one: no longer "PIP due").
    assert client_file.deadlines_computed_on == day
    assert client_file.next_deadline_kind not in ("pip_due", "")
    assert [talk.planned_on for talk in ProgressTalk.objects.filter(version=version)] == sorted(
        GOOD["progress_talk_dates"]
    )
    assert version.beschikking_letter is not None
    assert version.beschikking_letter.kind == LetterKind.PIP_BESCHIKKING
    assert events(version) == ["drafted", "submitted", "approved"]
    trail = audit_types(client_file)
    for code in ("pip_drafted", "pip_updated", "pip_submitted", "pip_approved", "client_file_updated",
                 "progress_talks_planned", "client_status_changed", "letter_created"):  # fmt: skip
        assert code in trail, code


def test_kim_cannot_approve_and_nobody_approves_their_own(pip_file, actor, draft_ready):
    client_file = pip_file()
    version = draft_ready(client_file)
    services.submit(actor=actor("kim"), client_file=client_file, version=version)
    with pytest.raises(NotFound):  # kim has no approve_pip capability
        services.approve(actor=actor("kim"), client_file=client_file, version=version)

    other = pip_file()
    tamara = actor("tamara")
    own = services.create_draft(actor=tamara, client_file=other)
    services.update_draft(actor=tamara, client_file=other, version=own, data=GOOD, agreements=[AGREEMENT])
    services.submit(actor=tamara, client_file=other, version=own)
    with pytest.raises(ApplicationError, match="vier ogen"):
        services.approve(actor=tamara, client_file=other, version=own)
    own.refresh_from_db()
    assert own.status == "ter_goedkeuring"
    assert own.approved_by is None
    assert "pip_approved" not in audit_types(other)


def test_the_database_refuses_an_approval_by_the_drafter_even_without_the_service(pip_file, actor, draft_ready):
    client_file = pip_file()
    version = draft_ready(client_file)
    with pytest.raises(IntegrityError), transaction.atomic():
        PipVersion.objects.filter(pk=version.pk).update(
            status="vastgesteld", approved_by=version.drafted_by, dagtekening_on=today()
        )


def test_one_open_version_at_a_time(pip_file, actor, draft_ready):
    client_file = pip_file()
    draft_ready(client_file)
    with pytest.raises(Conflict, match="al een PIP in bewerking"):
        services.create_draft(actor=actor("kim"), client_file=client_file)
    assert PipVersion.objects.filter(client_file=client_file).count() == 1


def test_first_draft_is_prefilled_from_the_intake(pip_file, actor, staff):
    client_file = pip_file()
    now = __import__("django.utils.timezone", fromlist=["now"]).now()
    intake = Intake.objects.create(
        client_file=client_file, person=client_file.person, started_at=now, started_by=staff["kim"]
    )
    LeefgebiedAssessment.objects.create(
        intake=intake, leefgebied="werk_inkomen", wishes="Werken als kok", updated_at=now, updated_by=staff["kim"]
    )
    LeefgebiedAssessment.objects.create(
        intake=intake, leefgebied="gezondheid", wishes="", updated_at=now, updated_by=staff["kim"]
    )
    RouteAdvice.objects.create(
        client_file=client_file, advised_route="z", advice_reasons="LBT", chosen_route="z",
        onderwijsroute_considered="Niet haalbaar", created_at=now, created_by=staff["kim"],
    )  # fmt: skip
    version = services.create_draft(actor=actor("kim"), client_file=client_file)
    assert version.leerroute == "z"
    rows = list(version.agreements.values_list("leefgebied", "goal", "responsible"))
    assert rows == [("werk_inkomen", "Werken als kok", "klant")]


def test_second_version_copies_agreements_and_keeps_the_termijn(pip_file, actor, vastgesteld, monkeypatch):
    client_file = pip_file()
    first = vastgesteld(client_file)
    later = today() + timedelta(days=40)
    set_today(monkeypatch, later)
    kim, tamara = actor("kim"), actor("tamara")
    second = services.create_draft(actor=kim, client_file=client_file)
    assert second.number == 2
    assert list(second.agreements.values_list("goal", flat=True)) == ["Werk vinden"]
    with pytest.raises(ApplicationError) as excinfo:
        services.submit(actor=kim, client_file=client_file, version=second)
    assert "change_reason" in errors_of(excinfo)
    services.update_draft(
        actor=kim, client_file=client_file, version=second,
        data={"change_reason": "Meer lesuren", "lesson_hours_per_week": 12}, agreements=None,
    )  # fmt: skip
    services.submit(actor=kim, client_file=client_file, version=second)
    services.approve(actor=tamara, client_file=client_file, version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    client_file.refresh_from_db()
    assert first.status == "vervangen"
    assert second.status == "vastgesteld"
    assert second.dagtekening_on == later
    assert client_file.pip_dagtekening_on == first.dagtekening_on
    assert (second.termijn_start_on, second.termijn_end_on) == (first.termijn_start_on, first.termijn_end_on)
    assert events(first)[-1] == "superseded"
    assert PipAgreement.objects.filter(version=first).count() == 1  # the old version keeps its agreements


def test_route_switch_inside_and_outside_the_window(pip_file, actor, vastgesteld, monkeypatch):
    client_file = pip_file()
    first = vastgesteld(client_file)
    kim = actor("kim")
    window = rules.termijn(pip_dagtekening_on=first.dagtekening_on).route_switch_until_on
    second = services.create_draft(actor=kim, client_file=client_file)
    data = {"leerroute": "z", "level": "", "map_intensity": "40 uur", "change_reason": "Te weinig voortgang"}
    services.update_draft(actor=kim, client_file=client_file, version=second, data=data)  # inside: allowed
    assert second.leerroute == "z"

    set_today(monkeypatch, window + timedelta(days=1))
    second.refresh_from_db()
    with pytest.raises(ApplicationError) as excinfo:
        services.submit(actor=kim, client_file=client_file, version=second)
    message = errors_of(excinfo)["leerroute"][0]
    assert "kan niet meer veranderen" in message
    assert f"{window:%d-%m-%Y}" in message
    services.update_draft(
        actor=kim, client_file=client_file, version=second, data={"route_switch_exception": "special_case"}
    )
    services.submit(actor=kim, client_file=client_file, version=second)  # bijzonder geval (B 5.4 lid 3)
    assert second.status == "ter_goedkeuring"


def test_every_pip_error_has_a_dutch_message():
    assert set(services.PIP_ERROR_MESSAGES) == set(rules.PipError)
    for field, message in services.PIP_ERROR_MESSAGES.values():
        assert field
        assert message.endswith(".")
        assert " " in message


@pytest.mark.parametrize(
    ("file_data", "data", "field", "snippet"),
    [
        ({}, {"leerroute": "onderwijs", "level": "A2", "map_intensity": ""}, "level", "onderwijsroute kan het"),
        ({}, {"leerroute": "z", "level": "B1"}, "level", "In de Z-route hoort geen taalniveau B1"),
        ({}, {"leerroute": "b1", "level": "A2"}, "level", "eerste PIP van de B1-route"),
        ({"doelgroep": "gezinsmigrant", "residence": "regulier", "residence_purpose": "gezinsvorming"},
         {"estimated_b1_intensity": 600}, "estimated_b1_intensity", "alleen bij asielstatushouders"),
    ],
)  # fmt: skip
def test_duo_checks_on_the_level_and_intensity_in_dutch(pip_file, actor, file_data, data, field, snippet):
    client_file = pip_file(**file_data)
    kim = actor("kim")
    version = services.create_draft(actor=kim, client_file=client_file)
    with pytest.raises(ApplicationError) as excinfo:
        services.update_draft(actor=kim, client_file=client_file, version=version, data={**GOOD, **data})
    assert any(snippet in message for message in errors_of(excinfo)[field])
    version.refresh_from_db()
    assert version.leerroute == ""  # nothing saved


def test_dagtekening_before_the_plicht_and_the_settlement(pip_file, actor, monkeypatch):
    client_file = pip_file(kennisgeving_on=date(2025, 7, 1), registered_on=date(2025, 9, 1))
    kim = actor("kim")
    version = services.create_draft(actor=kim, client_file=client_file)
    set_today(monkeypatch, date(2025, 6, 20))
    with pytest.raises(ApplicationError) as excinfo:
        services.update_draft(actor=kim, client_file=client_file, version=version, data=GOOD)
    messages = errors_of(excinfo)["dagtekening"]
    assert any("voor het begin van de inburgeringsplicht" in m for m in messages)
    assert any("in de gemeente is ingeschreven" in m for m in messages)


def test_dagtekening_before_the_previous_pip(pip_file, actor, vastgesteld, monkeypatch):
    client_file = pip_file()
    first = vastgesteld(client_file)
    kim = actor("kim")
    second = services.create_draft(actor=kim, client_file=client_file)
    set_today(monkeypatch, first.dagtekening_on - timedelta(days=1))
    with pytest.raises(ApplicationError) as excinfo:
        services.update_draft(actor=kim, client_file=client_file, version=second, data={"change_reason": "x"})
    assert any("vorige PIP" in m for m in errors_of(excinfo)["dagtekening"])


def test_map_is_refused_in_the_onderwijsroute(pip_file, actor):
    client_file = pip_file()
    kim = actor("kim")
    version = services.create_draft(actor=kim, client_file=client_file)
    with pytest.raises(ApplicationError) as excinfo:
        services.update_draft(
            actor=kim, client_file=client_file, version=version, data={**GOOD, "leerroute": "onderwijs"}
        )
    assert "artikel 8 lid 3" in errors_of(excinfo)["map_intensity"][0]
    services.update_draft(
        actor=kim,
        client_file=client_file,
        version=version,
        data={**GOOD, "leerroute": "onderwijs", "map_intensity": ""},
    )
    assert version.leerroute == "onderwijs"


def test_ontzorgen_comes_from_the_rule(pip_file, actor):
    kim = actor("kim")
    asiel = pip_file()
    version = services.create_draft(actor=kim, client_file=asiel)
    start = date(2026, 1, 15)
    services.update_draft(
        actor=kim, client_file=asiel, version=version,
        data={**GOOD, "receives_bijstand": True, "bijstand_start_on": start},
    )  # fmt: skip
    expected = rules.ontzorgen(plichtig_wi2021=True, residence=rules.Residence.ASIEL, receives_bijstand=True,
                               bijstand_start_on=start)  # fmt: skip
    version.refresh_from_db()
    assert version.ontzorgen_applies is True
    assert (version.ontzorgen_start_on, version.ontzorgen_end_on) == (expected.start_on, expected.end_on)
    assert version.ontzorgen_items == ["huur", "gas", "water", "stroom", "zorgverzekering"]

    regulier = pip_file(doelgroep="gezinsmigrant", residence="regulier", residence_purpose="gezinsvorming")
    other = services.create_draft(actor=kim, client_file=regulier)
    services.update_draft(
        actor=kim, client_file=regulier, version=other,
        data={**GOOD, "receives_bijstand": True, "bijstand_start_on": start},
    )  # fmt: skip
    assert other.ontzorgen_applies is False
    assert other.ontzorgen_items == []
    with pytest.raises(ApplicationError) as excinfo:
        services.update_draft(actor=kim, client_file=regulier, version=other, data={"bijstand_start_on": None})
    assert "bijstand_start_on" in errors_of(excinfo)


def test_summary_and_matching_dates_are_needed(pip_file, actor):
    client_file = pip_file()
    kim = actor("kim")
    version = services.create_draft(actor=kim, client_file=client_file)
    with pytest.raises(ApplicationError) as excinfo:
        services.update_draft(
            actor=kim, client_file=client_file, version=version,
            data={**GOOD, "progress_talks_count": 3},
        )  # fmt: skip
    assert "3 voortgangsgesprekken" in errors_of(excinfo)["progress_talk_dates"][0]
    services.update_draft(actor=kim, client_file=client_file, version=version, data={**GOOD, "summary": ""})
    with pytest.raises(ApplicationError) as excinfo:
        services.submit(actor=kim, client_file=client_file, version=version)
    assert "summary" in errors_of(excinfo)
    assert version.status == "concept"


def test_reject_sends_back_with_the_comment(pip_file, actor, draft_ready):
    client_file = pip_file()
    version = draft_ready(client_file)
    services.submit(actor=actor("kim"), client_file=client_file, version=version)
    with pytest.raises(ApplicationError) as excinfo:
        services.reject(actor=actor("tamara"), client_file=client_file, version=version, comment=" ")
    assert (excinfo.value.message, errors_of(excinfo)) == (
        "Schrijf op wat er moet veranderen.",
        {"comment": ["Schrijf op wat er moet veranderen."]},
    )
    services.reject(actor=actor("tamara"), client_file=client_file, version=version, comment="Meer lesuren graag")
    assert version.status == "concept"
    assert PipEvent.objects.filter(version=version, kind="rejected", comment="Meer lesuren graag").exists()
    assert "pip_rejected" in audit_types(client_file)


def test_the_beschikking_pdf_says_what_the_law_asks(pip_file, vastgesteld):
    client_file = pip_file()
    version = vastgesteld(client_file)
    text = " ".join(pdf_text(version.beschikking_letter.content).split())
    termijn = rules.termijn(pip_dagtekening_on=version.dagtekening_on)
    last_day = rules.bezwaar_termijn(bekendgemaakt_on=version.dagtekening_on).term_ends_on

    def nl(day: date) -> str:
        from django.utils.dateformat import format as date_format

        return date_format(day, "j F Y")

    for expected in (
        "Besluit: uw persoonlijk plan inburgering en participatie (PIP)", "artikel 15", "B1-route",
        nl(termijn.termijn_end_on), nl(termijn.route_switch_until_on), "bezwaar", nl(last_day),
        "handtekening", "Uw plan in het kort", GOOD["summary"], "Werk vinden", "Solliciteren",
    ):  # fmt: skip
        assert expected in text, expected


def test_bezwaar_on_time_and_late(pip_file, actor, vastgesteld):
    client_file = pip_file()
    version = vastgesteld(client_file)
    kim = actor("kim")
    last = rules.bezwaar_termijn(bekendgemaakt_on=version.dagtekening_on).term_ends_on
    draft = PipVersion(client_file=client_file, number=9, dagtekening_on=None)
    concept_only = "Bezwaar kan alleen tegen een vastgesteld PIP (een besluit met een dagtekening)."
    with pytest.raises(Conflict, match=re.escape(concept_only)):  # bezwaar against a concept: no besluit yet
        services.register_bezwaar(actor=kim, client_file=client_file, version=draft, received_on=today(), grounds="x")
    on_time = services.register_bezwaar(
        actor=kim, client_file=client_file, version=version, received_on=today(), grounds="Ik wil de Z-route"
    )
    assert on_time.on_time is True
    assert on_time.term_ends_on == last
    # A late one: pretend the PIP was dated long ago (the rule decides, not this test).
    PipVersion.objects.filter(pk=version.pk).update(dagtekening_on=today() - timedelta(days=120))
    version.refresh_from_db()
    late = services.register_bezwaar(
        actor=kim, client_file=client_file, version=version, received_on=today(), grounds="Te laat"
    )
    assert late.on_time is False
    services.update_bezwaar(actor=kim, client_file=client_file, bezwaar=late, status="niet_ontvankelijk",
                            decided_on=today())  # fmt: skip
    with pytest.raises(ApplicationError) as excinfo:
        services.update_bezwaar(
            actor=kim, client_file=client_file, bezwaar=on_time, status="ongegrond", decided_on=None
        )
    assert errors_of(excinfo) == {"decided_on": ["Vul de datum van de beslissing in."]}
    assert audit_types(client_file).count("bezwaar_registered") == 2
    assert "bezwaar_updated" in audit_types(client_file)


def test_client_response_and_progress_talk(pip_file, actor, vastgesteld, draft_ready):
    client_file = pip_file()
    version = vastgesteld(client_file)
    kim = actor("kim")
    services.record_client_response(
        actor=kim, client_file=client_file, version=version, agreement="deels", comments="Minder uren",
        response_on=today(),
    )  # fmt: skip
    assert version.client_agreement == "deels"
    assert events(version)[-1] == "client_response"
    talk = ProgressTalk.objects.filter(version=version).first()
    with pytest.raises(ApplicationError) as excinfo:
        services.record_progress_talk(actor=kim, client_file=client_file, talk=talk, held_on=today(), summary="")
    assert errors_of(excinfo) == {"summary": ["Schrijf een kort verslag van het gesprek."]}
    services.record_progress_talk(actor=kim, client_file=client_file, talk=talk, held_on=today(), summary="Goed")
    talk.refresh_from_db()
    assert talk.held_on == today()
    assert "progress_talk_recorded" in audit_types(client_file)


@pytest.mark.parametrize(
    ("leerroute", "level", "expected"),
    [("b1", "", "B1"), ("b1", "A2", "A2"), ("onderwijs", "", "B1"), ("z", "", "Geen vast taalniveau (Z-route)")],
)
def test_the_letter_shows_the_level_duo_registers(pip_file, leerroute, level, expected):
    from openinburgering.plans.models import PipVersion
    from openinburgering.plans.services import effective_level_label

    assert effective_level_label(pip_file(), PipVersion(leerroute=leerroute, level=level)) == expected
