"""The retention job destroys files past their retention date (B 9.9 lid 1 sub a, issue #12 item 5)."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.households.models import Household, HouseholdMember
from openinburgering.letters.models import Letter
from openinburgering.retention import destruction
from openinburgering.retention.destruction import CATEGORIES, KEPT_MODELS, PEOPLE_MODELS
from openinburgering.retention.models import DestructionRecord
from openinburgering.retention.services import apply_retention, set_legal_hold
from openinburgering.signals.models import SignalMessage

from ..conftest import actor_for
from .conftest import MARK

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
AS_OF = date(2026, 12, 7)
LONG_AGO = datetime(2019, 3, 1, 10, 0, tzinfo=AMS)  # plicht ended: kept until 2024-03-01
CLOSED = datetime(2020, 6, 1, 10, 0, tzinfo=AMS)
RECENT = datetime(2023, 1, 10, 10, 0, tzinfo=AMS)  # plicht ended: kept until 2028-01-10

EVERY_CATEGORY = {
    "package_receipts": 1, "handover_packages": 1, "referral_consent_withdrawals": 1, "referral_consents": 1,
    "referral_history": 1, "referrals": 1, "begeleiding_entries": 1, "buddy_matches": 1, "contact_persons": 1,
    "portal_messages": 2, "reschedule_requests": 1, "portal_tasks": 1, "portal_uploads": 1, "outbox_messages": 1,
    "ontzorgen_reclaim_settlements": 1, "ontzorgen_line_resolutions": 1, "ontzorgen_statement_lines": 1,
    "ontzorgen_toeslagen": 1, "ontzorgen_loslaten_done": 1, "ontzorgen_loslaten_steps": 1, "ontzorgen_ledger": 3,
    "ontzorgen_payments": 1,
    "ontzorgen_machtigingen": 1, "ontzorgen_extensions": 1, "ontzorgen_obligations": 1, "ontzorgen_records": 1,
    "received_notifications": 1,
    "file_signals": 1, "signal_payloads": 1, "fine_bezwaren": 1, "fine_decisions": 1, "fine_proposals": 1,
    "exam_confirmations": 1, "achievements": 1, "afschalen_judgements": 1, "followup_records": 1,
    "module_milestones": 1, "exam_results": 1, "weekly_report_history": 1, "weekly_reports": 1,
    "enrolment_events": 1, "enrolments": 1, "pip_bezwaren": 1, "progress_talks": 1, "pip_events": 1,
    "pip_agreements": 1, "pip_versions": 1, "route_advices": 1, "lbt_tests": 1, "leefgebied_assessments": 1,
    "intakes": 1, "intake_calls": 1, "letter_dispatches": 1, "letters": 1,
    "consent_withdrawals": 1, "consents": 1, "notes": 2,
    "status_reasons": 2,
}  # fmt: skip


def rows_with(text: str) -> dict[str, int]:
    """Every text and JSON column of every table, searched for ``text``: the tables where it still is."""
    found = {}
    for model in apps.get_models():
        query = models.Q()
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                query |= models.Q(**{f"{field.name}__icontains": text})
        if query:
            count = model._default_manager.filter(query).count()
            if count:
                found[model._meta.label] = count
    return found


def test_a_file_past_its_retention_date_keeps_only_its_skeleton(full_file: Any) -> None:
    made = full_file(ended_at=LONG_AGO, closed_at=CLOSED)
    client_file = made.client_file
    person_id = client_file.person_id
    assert set(rows_with(MARK)) >= {"clients.Person", "letters.Letter", "clients.Note", "signals.SignalMessage"}

    report = apply_retention(as_of=AS_OF, dry_run=False)

    assert rows_with(MARK) == {}
    assert Letter.objects.filter(client_file=client_file).count() == 0  # the PDF (binary) with it
    part = report.gemeenten["GM0392"]
    assert (part.past_retention, part.destroyed, part.on_hold, part.still_open) == (1, [client_file.pk], [], [])
    record = DestructionRecord.objects.get(client_file=client_file)
    assert record.basis == "Besluit inburgering 2021 art. 9.9 lid 1 sub a"
    assert (record.plicht_ended_on, record.plicht_ended_status, record.retain_until_on) == (
        date(2019, 3, 1),
        "voldaan",
        date(2024, 3, 1),
    )
    assert record.performed_by == "apply_retention"
    assert record.categories == {
        **EVERY_CATEGORY, "household_members": 3, "household_persons": 2, "person": 1, "portal_accounts": 1
    }  # fmt: skip
    # The skeleton: the file with its status and dates, its person emptied but for the year of birth.
    skeleton = ClientFile.objects.get(pk=client_file.pk)
    assert (skeleton.status, skeleton.gemeente_id, skeleton.opened_on) == (
        "beeindigd",
        client_file.gemeente_id,
        client_file.opened_on,
    )
    assert (skeleton.next_deadline_on, skeleton.next_deadline_kind) == (None, "")
    person = Person.objects.get(pk=person_id)
    assert (person.bsn, person.given_names, person.surname, person.street, person.postcode, person.phone) == (
        "",
        "",
        "",
        "",
        "",
        "",
    )
    assert (person.email, person.birth_on, person.sex, person.languages) == ("", date(1990, 1, 1), "O", "")
    assert Person.objects.filter(pk__in=[made.partner.pk, made.child.pk]).count() == 0
    assert Household.objects.filter(members__person_id=person_id).count() == 0
    assert list(StatusChange.objects.filter(client_file=client_file).values_list("to_status", "reason")) == [
        ("aangemeld", ""), ("beeindigd", ""), ("voldaan", ""), ("intake", "")
    ]  # fmt: skip
    message = SignalMessage.objects.get(client_file=client_file)
    assert (message.payload, message.result, message.reason, message.status) == ({}, {}, "", "applied")
    # Audit events stay and point at the skeleton; the destruction is one of them, naming basis and categories.
    event = AuditEvent.objects.get(client_file=client_file, event_type="retention_destroyed")
    assert (event.actor, event.via, event.subject_type, event.subject_id) == (
        None, "job", "destructionrecord", str(record.pk)
    )  # fmt: skip
    assert event.changes == {
        "basis": "Besluit inburgering 2021 art. 9.9 lid 1 sub a", "plicht_ended_on": "2019-03-01",
        "retain_until_on": "2024-03-01",
        "categories": {**EVERY_CATEGORY, "household_members": 3, "household_persons": 2, "person": 1,
                       "portal_accounts": 1},
    }  # fmt: skip
    assert AuditEvent.objects.filter(client_file=client_file, event_type="client_file_registered").count() == 1


def test_files_not_due_on_hold_or_still_open_are_untouched(full_file: Any, staff: dict[str, Any]) -> None:
    not_due = full_file(ended_at=RECENT, closed_at=RECENT).client_file
    on_hold = full_file(ended_at=LONG_AGO, closed_at=CLOSED).client_file
    still_open = full_file(ended_at=LONG_AGO, closed_at=LONG_AGO, closing="").client_file
    set_legal_hold(actor=actor_for(staff["fenna"]), client_file=on_hold, reason="Beroep bij de rechtbank loopt")
    before = rows_with(MARK)

    report = apply_retention(as_of=AS_OF, dry_run=False)

    part = report.gemeenten["GM0392"]
    assert (part.past_retention, part.destroyed, part.on_hold, part.still_open) == (
        2, [], [on_hold.pk], [still_open.pk]
    )  # fmt: skip
    assert rows_with(MARK) == before
    assert DestructionRecord.objects.count() == 0
    for client_file in (not_due, on_hold, still_open):
        assert Note.objects.filter(client_file=client_file).count() == 2


def test_a_released_hold_lets_the_next_run_destroy(full_file: Any, staff: dict[str, Any]) -> None:
    from openinburgering.retention.services import release_legal_hold

    client_file = full_file(ended_at=LONG_AGO, closed_at=CLOSED).client_file
    fenna = actor_for(staff["fenna"])
    hold = set_legal_hold(actor=fenna, client_file=client_file, reason="Klacht bij de AP")
    assert apply_retention(as_of=AS_OF, dry_run=False).gemeenten["GM0392"].destroyed == []
    release_legal_hold(actor=fenna, hold=hold, reason="Klacht afgehandeld")
    assert apply_retention(as_of=AS_OF, dry_run=False).gemeenten["GM0392"].destroyed == [client_file.pk]


def test_the_dry_run_reports_and_changes_nothing(full_file: Any, staff: dict[str, Any]) -> None:
    due = full_file(ended_at=LONG_AGO, closed_at=CLOSED).client_file
    on_hold = full_file(ended_at=LONG_AGO, closed_at=CLOSED).client_file
    set_legal_hold(actor=actor_for(staff["fenna"]), client_file=on_hold, reason="Bezwaar loopt")
    before = rows_with(MARK)
    out = io.StringIO()

    call_command("apply_retention", "--dry-run", "--as-of", AS_OF.isoformat(), stdout=out)

    assert rows_with(MARK) == before
    assert DestructionRecord.objects.count() == 0
    assert out.getvalue().splitlines() == [
        "Bewaartermijn (Besluit inburgering 2021 art. 9.9 lid 1 sub a), peildatum 2026-12-07, PROEFDRAAI: er is "
        "niets gewijzigd.",
        "GM0392 Haarlem: 2 over de bewaartermijn, 1 te vernietigen.",
        f"  Legal hold, niet vernietigd: 1 (dossier {on_hold.pk})",
        *(f"  {destruction.LABELS[code]}: {count}" for code, count in EVERY_CATEGORY.items()),
    ]
    event = AuditEvent.objects.get(event_type="retention_dry_run_reported")
    assert (event.gemeente.code, event.client_file, event.via) == ("GM0392", None, "job")
    assert event.changes == {
        "as_of": "2026-12-07", "basis": "Besluit inburgering 2021 art. 9.9 lid 1 sub a", "past_retention": 2,
        "destroyable": 1, "on_hold": 1, "still_open": 0, "rows": EVERY_CATEGORY, "payment_files": 0,
        "cbs_files": 0,
    }  # fmt: skip
    assert Note.objects.filter(client_file=due).count() == 2


def test_a_second_run_destroys_nothing_new(full_file: Any) -> None:
    full_file(ended_at=LONG_AGO, closed_at=CLOSED)
    first = apply_retention(as_of=AS_OF, dry_run=False)
    events = AuditEvent.objects.count()
    out = io.StringIO()

    call_command("apply_retention", stdout=out)

    assert len(first.gemeenten["GM0392"].destroyed) == 1
    assert DestructionRecord.objects.count() == 1
    assert AuditEvent.objects.count() == events
    assert out.getvalue().splitlines()[1:] == ["Geen dossiers over de bewaartermijn."]


def test_a_failure_halfway_leaves_the_file_whole(full_file: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client_file = full_file(ended_at=LONG_AGO, closed_at=CLOSED).client_file
    before = rows_with(MARK)

    def fail(client_file: ClientFile) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(destruction, "destroy_people", fail)
    with pytest.raises(RuntimeError):
        apply_retention(as_of=AS_OF, dry_run=False)

    assert rows_with(MARK) == before
    assert DestructionRecord.objects.filter(client_file=client_file).count() == 0
    assert AuditEvent.objects.filter(event_type="retention_destroyed").count() == 0


def test_a_household_shared_with_a_live_file_stays(full_file: Any, make_file: Any, staff: dict[str, Any]) -> None:
    made = full_file(ended_at=LONG_AGO, closed_at=CLOSED)
    partner_file = ClientFile.objects.create(
        gemeente=made.client_file.gemeente, person=made.partner, status="in_traject",
        status_changed_at=RECENT, opened_on=RECENT.date(),
    )  # fmt: skip

    apply_retention(as_of=AS_OF, dry_run=False)

    record = DestructionRecord.objects.get(client_file=made.client_file)
    assert (record.categories["household_members"], record.categories["person"]) == (0, 0)
    assert HouseholdMember.objects.filter(person__in=[made.partner, made.child]).count() == 2
    assert Person.objects.get(pk=made.client_file.person_id).surname.startswith(MARK)
    assert ClientFile.objects.get(pk=partner_file.pk).person.surname.startswith(MARK)
    assert Note.objects.filter(client_file=made.client_file).count() == 0


def test_every_model_with_personal_data_of_a_file_is_destroyed_or_kept_on_purpose() -> None:
    """A new model pointing at a file, a person or a destroyed model must be added to retention.destruction."""
    handled = {category.model._meta.label for category in CATEGORIES} | set(PEOPLE_MODELS) | set(KEPT_MODELS)
    targets = {ClientFile, Person} | {category.model for category in CATEGORIES}
    missing = sorted(
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in targets and model._meta.label not in handled
    )
    assert missing == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the insert-only triggers are PostgreSQL's")
def test_the_triggers_still_refuse_update_and_delete_after_a_destruction(full_file: Any) -> None:
    full_file(ended_at=LONG_AGO, closed_at=CLOSED)
    kept = full_file(ended_at=RECENT, closed_at=RECENT).client_file
    apply_retention(as_of=AS_OF, dry_run=False)

    for sql in (
        "UPDATE clients_note SET body = 'x' WHERE client_file_id = %s",
        "DELETE FROM letters_letter WHERE client_file_id = %s",
        "DELETE FROM clients_statuschange WHERE client_file_id = %s",
    ):
        with pytest.raises(DatabaseError, match="is insert-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [kept.pk])
    refused = pytest.raises(DatabaseError, match="retention_destructionrecord is insert-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM retention_destructionrecord")


def test_the_portal_upload_files_and_the_digid_link_go_with_the_file(
    full_file: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from openinburgering.mijn.models import PortalAccount, PortalUpload

    client_file = full_file(ended_at=LONG_AGO, closed_at=CLOSED).client_file
    upload = PortalUpload.objects.get(client_file=client_file)
    storage, name = upload.file.storage, upload.file.name
    account = PortalAccount.objects.get(bsn=client_file.person.bsn)
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(as_of=AS_OF, dry_run=False)

    assert not storage.exists(name)
    assert not PortalAccount.objects.filter(pk=account.pk).exists()
    account.user.refresh_from_db()
    assert (account.user.is_active, account.user.first_name) == (False, "")
