"""Services: provider and contract validation, enrolment rules (coverage, period, region, capacity), history,
weekly reports with history, exam results."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import psycopg
import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.providers import services
from openinburgering.providers.models import Enrolment, EnrolmentEvent, Provider, WeeklyReport, WeeklyReportHistory

from .conftest import last_week, weeks_ago

GOOD_PROVIDER = {"name": "Werkplaats Noord", "kinds": ["werkgever", "z_route"], "keurmerk": False, "scope": "gemeente"}
GOOD_CONTRACT = {
    "name": "Participatie 2026",
    "scope": "gemeente",
    "starts_on": date(2026, 1, 1),
    "ends_on": date(2026, 12, 31),
    "price_model": "per_route",
    "price_per_route": "2500",
    "capacity": 1,
    "components": ["participatie"],
    "reporting_frequency": "monthly",
}


def field_errors(call) -> dict[str, list[str]]:
    with pytest.raises(ApplicationError) as info:
        call()
    return info.value.field_errors


@pytest.mark.django_db
class TestProvidersAndContracts:
    def test_create_provider_audited(self, actor) -> None:
        provider = services.save_provider(actor=actor("carla"), data=GOOD_PROVIDER)
        assert provider.gemeente.code == "GM0392"
        assert provider.region_id is None
        assert AuditEvent.objects.filter(event_type="provider_created", subject_id=str(provider.pk)).exists()

    def test_keurmerk_needs_future_expiry(self, actor) -> None:
        carla = actor("carla")
        errors = field_errors(lambda: services.save_provider(actor=carla, data={**GOOD_PROVIDER, "keurmerk": True}))
        assert "Vul in tot wanneer" in errors["keurmerk_expires_on"][0]
        past = {**GOOD_PROVIDER, "keurmerk": True, "keurmerk_expires_on": today() - timedelta(days=1)}
        errors = field_errors(lambda: services.save_provider(actor=carla, data=past))
        assert "verlopen" in errors["keurmerk_expires_on"][0]
        bad = {**GOOD_PROVIDER, "kvk_number": "123", "kinds": [], "name": ""}
        errors = field_errors(lambda: services.save_provider(actor=carla, data=bad))
        assert set(errors) == {"kvk_number", "kinds", "name"}
        assert not Provider.objects.exists()

    def test_contract_validation(self, actor) -> None:
        carla = actor("carla")
        provider = services.save_provider(actor=carla, data=GOOD_PROVIDER)
        bad = {**GOOD_CONTRACT, "ends_on": date(2025, 12, 1), "price_per_route": "-5", "components": []}
        errors = field_errors(lambda: services.save_contract(actor=carla, provider=provider, data=bad))
        assert "na de begindatum" in errors["ends_on"][0]
        assert "negatief" in errors["price_per_route"][0]
        assert "onderdeel" in errors["components"][0]
        mixed = {**GOOD_CONTRACT, "price_model": "mixed", "price_per_route": "", "price_per_hour": "10"}
        errors = field_errors(lambda: services.save_contract(actor=carla, provider=provider, data=mixed))
        assert "minstens 2 bedragen" in errors["price_model"][0]
        regional = {**GOOD_CONTRACT, "scope": "regio"}
        errors = field_errors(lambda: services.save_contract(actor=carla, provider=provider, data=regional))
        assert "gedeeld" in errors["scope"][0]
        contract = services.save_contract(actor=carla, provider=provider, data=GOOD_CONTRACT)
        assert contract.price_per_route == Decimal("2500.00")

    def test_database_refuses_negative_amounts(self, anouk_provider: Provider) -> None:
        contract = anouk_provider.contracts.get()
        contract.price_per_hour = Decimal("-1")
        with pytest.raises(IntegrityError), transaction.atomic():
            contract.save()


@pytest.mark.django_db
class TestEnrolment:
    def test_created_with_history_and_audit(self, make_file, enrol, regional_contract) -> None:
        client_file = make_file()
        enrolment = enrol(client_file, regional_contract)
        assert enrolment.status == "voorgesteld"
        assert list(enrolment.events.values_list("to_status", flat=True)) == ["voorgesteld"]
        assert AuditEvent.objects.filter(event_type="enrolment_created", client_file=client_file).count() == 1

    def test_contract_must_cover_component(self, make_file, enrol, regional_contract) -> None:
        with pytest.raises(ApplicationError) as info:
            enrol(make_file(), regional_contract, component="onderwijsroute")
        assert "dekt dit onderdeel niet" in info.value.field_errors["contract"][0]
        assert not Enrolment.objects.exists()

    def test_start_must_be_in_contract_period(self, make_file, enrol, regional_contract) -> None:
        with pytest.raises(ApplicationError) as info:
            enrol(make_file(), regional_contract, starts_on=date(2025, 12, 1))
        assert "Kies een startdatum in die periode" in info.value.field_errors["starts_on"][0]
        with pytest.raises(ApplicationError) as info:
            enrol(make_file(), regional_contract, ends_on=date(2028, 1, 5))
        assert "eerdere einddatum" in info.value.field_errors["ends_on"][0]

    def test_region_sharing(self, make_file, enrol, regional_contract, other_provider) -> None:
        zandvoort_file = make_file(ZANDVOORT)
        assert enrol(zandvoort_file, regional_contract).provider_id == regional_contract.provider_id
        haarlem_only = other_provider.contracts.get()
        with pytest.raises(ApplicationError) as info:
            enrol(make_file(ZANDVOORT, person={"surname": "Kaya"}), haarlem_only)
        assert "gemeente of uw arbeidsmarktregio" in info.value.field_errors["contract"][0]

    def test_capacity_counts_active_enrolments(self, make_file, enrol, actor, other_provider) -> None:
        contract = other_provider.contracts.get()  # 2 places
        first = enrol(make_file(), contract)
        enrol(make_file(person={"surname": "B"}), contract)
        with pytest.raises(Conflict) as info:
            enrol(make_file(person={"surname": "C"}), contract)
        assert "Alle 2 plaatsen" in info.value.field_errors["contract"][0]
        services.decline(actor=actor("piet"), enrolment=first, reason="Vol")
        assert enrol(make_file(person={"surname": "D"}), contract).status == "voorgesteld"

    def test_no_second_active_enrolment_for_same_component(self, make_file, enrol, regional_contract) -> None:
        client_file = make_file()
        enrol(client_file, regional_contract)
        with pytest.raises(Conflict):
            enrol(client_file, regional_contract)

    def test_status_history_and_rules(self, make_file, enrol, actor, regional_contract) -> None:
        enrolment = enrol(make_file(), regional_contract)
        anouk = actor("anouk")
        with pytest.raises(ApplicationError) as info:
            services.decline(actor=anouk, enrolment=enrolment, reason="  ")
        assert info.value.field_errors == {"reason": ["Vul een reden in."]}
        services.accept(actor=anouk, enrolment=enrolment)
        with pytest.raises(Conflict):
            services.decline(actor=anouk, enrolment=enrolment, reason="Te laat")
        services.change_status(actor=actor("kim"), enrolment=enrolment, to_status="afgerond")
        events = list(EnrolmentEvent.objects.filter(enrolment=enrolment).values_list("from_status", "to_status"))
        assert events == [("", "voorgesteld"), ("voorgesteld", "geaccepteerd"), ("geaccepteerd", "afgerond")]
        event = EnrolmentEvent.objects.filter(enrolment=enrolment).first()
        assert event is not None
        with pytest.raises(TypeError):
            event.save()
        if connection.vendor == "postgresql":  # the trigger exists on PostgreSQL only; CI requires it
            # The oi_insert_only() trigger refuses it with SQLSTATE 42501 (insufficient_privilege).
            refused = re.escape("providers_enrolmentevent is insert-only (UPDATE refused)")
            with pytest.raises(ProgrammingError, match=refused) as raised, transaction.atomic():
                EnrolmentEvent.objects.filter(pk=event.pk).update(reason="x")
            assert isinstance(raised.value.__cause__, psycopg.errors.InsufficientPrivilege)
            assert EnrolmentEvent.objects.get(pk=event.pk).reason == event.reason


REPORT = {
    "week": "",
    "hours_offered": "8",
    "hours_attended": "6",
    "hours_absent_authorised": "1",
    "hours_absent_unauthorised": "1",
    "absence_reason": "Niet gekomen",
    "note": "Goed bezig",
}


@pytest.mark.django_db
class TestWeeklyReports:
    def test_replace_keeps_history_and_same_values_change_nothing(self, make_file, enrol, actor, regional_contract):
        enrolment = enrol(make_file(), regional_contract, accepted=True)
        anouk = actor("anouk")
        data = {**REPORT, "week": last_week()}
        report, outcome = services.save_weekly_report(actor=anouk, enrolment=enrolment, data=data)
        assert outcome == "created"
        assert services.save_weekly_report(actor=anouk, enrolment=enrolment, data=data)[1] == "unchanged"
        assert not WeeklyReportHistory.objects.exists()
        report, outcome = services.save_weekly_report(
            actor=anouk, enrolment=enrolment, data={**data, "hours_attended": "7", "hours_absent_unauthorised": "0"}
        )
        assert outcome == "replaced"
        assert report.hours_attended == Decimal("7.0")
        old = WeeklyReportHistory.objects.get(report=report)
        assert old.hours_attended == Decimal("6.0")
        assert old.hours_absent_unauthorised == Decimal("1.0")
        assert WeeklyReport.objects.count() == 1

    def test_bad_reports(self, make_file, enrol, actor, regional_contract) -> None:
        anouk = actor("anouk")
        proposed = enrol(make_file(person={"surname": "V"}), regional_contract)
        errors = field_errors(
            lambda: services.save_weekly_report(actor=anouk, enrolment=proposed, data={**REPORT, "week": last_week()})
        )
        assert "Accepteer de plaatsing eerst" in errors["enrolment"][0]
        enrolment = enrol(make_file(), regional_contract, accepted=True)
        future = (today() + timedelta(days=14)).isocalendar()
        cases = [
            ({"week": "2026-47"}, "week", "bijvoorbeeld 2026-W47"),
            ({"week": f"{future[0]}-W{future[1]:02d}"}, "week", "nog niet begonnen"),
            ({"week": weeks_ago(20)}, "week", "voor de start"),
            ({"hours_attended": "9"}, "hours_attended", "meer dan de aangeboden uren"),
            ({"hours_offered": "-1"}, "hours_offered", "negatief"),
            ({"absence_reason": ""}, "absence_reason", "reden"),
        ]
        for change, name, text in cases:
            data = {**REPORT, "week": last_week(), **change}
            errors = field_errors(lambda d=data: services.save_weekly_report(actor=anouk, enrolment=enrolment, data=d))
            assert text in errors[name][0], (change, errors)
        assert not WeeklyReport.objects.exists()

    def test_exam_result(self, make_file, enrol, actor, regional_contract) -> None:
        enrolment = enrol(make_file(), regional_contract, accepted=True)
        data = {"part": "lezen", "level": "B1", "exam_on": today() - timedelta(days=3), "passed": True}
        result = services.record_exam_result(actor=actor("anouk"), enrolment=enrolment, data=data)
        assert result.passed
        assert result.part == "lezen"
        assert AuditEvent.objects.filter(event_type="exam_result_recorded", client_file=enrolment.client_file).exists()
        errors = field_errors(
            lambda: services.record_exam_result(
                actor=actor("anouk"),
                enrolment=enrolment,
                data={**data, "part": "rekenen", "exam_on": today() + timedelta(days=1)},
            )
        )
        assert set(errors) == {"part", "exam_on"}
