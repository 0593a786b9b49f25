"""What destroying a client file means, category by category (B 9.9 lid 1 sub a; ADR 0007).

Each :class:`Category` names a kind of personal data of the file (Dutch label for the report), the model that
holds it, the path from that model to the client file, and what happens: its rows are deleted, or (for rows the
skeleton keeps) their personal fields are emptied. The order is children first. ``tests/retention`` checks that
every model pointing at a client file, a person or a destroyed model is covered here or kept on purpose
(``KEPT_MODELS``), so a new model with personal data cannot be forgotten.

Insert-only tables refuse UPDATE and DELETE through the ``oi_insert_only()`` trigger; the functions here run only
inside :func:`exempt_insert_only`, which sets ``openinburgering.retention`` for the current transaction (migration
``retention.0002_retention_exemption``). Callers hold the transaction (``services.destroy_file``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from openinburgering.clients.models import ClientFile, Consent, ConsentWithdrawal, Note, Person, StatusChange
from openinburgering.followup.models import FollowUpRecord
from openinburgering.handhaving.models import (
    Achievement,
    ExamConfirmation,
    FineBezwaar,
    FineDecision,
    FineProposal,
)
from openinburgering.households.models import Household, HouseholdMember
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment, RouteAdvice
from openinburgering.interop.models import OutboxMessage, ReceivedNotification
from openinburgering.letters.models import Letter, LetterDispatch
from openinburgering.mijn.models import ClientTask, PortalAccount, PortalMessage, PortalUpload, RescheduleRequest
from openinburgering.netwerk.models import (
    BegeleidingEntry,
    BuddyMatch,
    ContactPerson,
    HandoverPackage,
    PackageReceipt,
    Referral,
    ReferralConsent,
    ReferralConsentWithdrawal,
    ReferralStatusChange,
)
from openinburgering.ontzorgen.models import (
    LedgerEntry,
    LoslatenStep,
    LoslatenStepDone,
    Machtiging,
    Obligation,
    OntzorgenExtension,
    OntzorgenRecord,
    Payment,
    ReclaimSettlement,
    StatementLine,
    StatementLineResolution,
    ToeslagRecord,
)
from openinburgering.plans.models import Bezwaar, PipAgreement, PipEvent, PipVersion, ProgressTalk
from openinburgering.progress.models import AfschalenJudgement
from openinburgering.providers.models import (
    Enrolment,
    EnrolmentEvent,
    ExamResult,
    ModuleMilestone,
    WeeklyReport,
    WeeklyReportHistory,
)
from openinburgering.signals.models import FileSignal, SignalMessage

DELETE = "delete"
ANONYMISE = "anonymise"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    model: type[models.Model]
    path: str  # lookup from the model to the client file's id
    action: str = DELETE
    # For ANONYMISE: the values written over the personal fields; rows already empty are not counted again.
    emptied: dict[str, Any] = field(default_factory=dict)
    only_if: dict[str, Any] = field(default_factory=dict)

    def rows(self, client_file_ids: Iterable[int]) -> models.QuerySet[Any]:
        queryset = self.model._default_manager.filter(**{f"{self.path}__in": list(client_file_ids)})
        if self.only_if:
            queryset = queryset.exclude(**self.only_if)
        return queryset


CATEGORIES: tuple[Category, ...] = (
    # Zorg en netwerk (#14): the referral's receipt, package, consent and history before the referral itself.
    Category(
        "package_receipts", "Ontvangstbevestigingen van overdrachten", PackageReceipt, "package__referral__client_file"
    ),
    Category("handover_packages", "Warme-overdrachtpakketten", HandoverPackage, "referral__client_file"),
    Category(
        "referral_consent_withdrawals",
        "Ingetrokken toestemmingen voor verwijzingen",
        ReferralConsentWithdrawal,
        "consent__referral__client_file",
    ),
    Category("referral_consents", "Toestemmingen voor verwijzingen", ReferralConsent, "referral__client_file"),
    Category("referral_history", "Geschiedenis van verwijzingen", ReferralStatusChange, "referral__client_file"),
    Category("referrals", "Verwijzingen naar ketenpartners", Referral, "client_file"),
    Category("begeleiding_entries", "Maatschappelijke begeleiding", BegeleidingEntry, "client_file"),
    Category("buddy_matches", "Buddy's en taalmaatjes", BuddyMatch, "client_file"),
    Category("contact_persons", "Contactpersonen op de contactkaart", ContactPerson, "client_file"),
    # Mijn Inburgering (#15): messages, requests, tasks and uploads (the uploaded files too, see destroy_rows).
    Category("portal_messages", "Berichten in Mijn Inburgering", PortalMessage, "client_file"),
    Category("reschedule_requests", "Verzoeken om een afspraak te verzetten", RescheduleRequest, "client_file"),
    Category("portal_tasks", "Taken in Mijn Inburgering", ClientTask, "client_file"),
    Category("portal_uploads", "Geüploade documenten", PortalUpload, "client_file"),
    # Koppelingen (#17): outgoing messages about the file (their payload can hold personal data).
    Category("outbox_messages", "Uitgaande berichten aan andere systemen", OutboxMessage, "client_file"),
    # Ontzorgen (#13): destroyed with the file (B 9.9). The SEPA file of a run (ontzorgen.PaymentFile, one per run
    # for many clients, no link to one file) stays as the gemeente's financial record under its own retention.
    # Ontzorgen part B (#13): the bank lines of the file's payments with their resolutions, toeslagen and the
    # begeleid loslaten steps (a done step's letter goes with the letters below). The bank statement itself
    # (ontzorgen.BankStatement: account, ids, counts) holds no personal data and stays as the gemeente's record;
    # lines that matched no payment have no file and stay with it.
    # A settled reclaim (#13 leftover a) points at a ledger entry and maybe a bank line: it goes before both.
    Category("ontzorgen_reclaim_settlements", "Afgeronde terugvorderingen ontzorgen", ReclaimSettlement, "client_file"),
    Category(
        "ontzorgen_line_resolutions",
        "Afhandeling van regels van bankafschriften",
        StatementLineResolution,
        "line__client_file",
    ),
    Category(
        "ontzorgen_statement_lines", "Regels van bankafschriften (betaald, teruggekomen)", StatementLine, "client_file"
    ),
    Category("ontzorgen_toeslagen", "Toeslagen (huurtoeslag, zorgtoeslag)", ToeslagRecord, "client_file"),
    Category("ontzorgen_loslaten_done", "Gedane stappen begeleid loslaten", LoslatenStepDone, "step__client_file"),
    Category("ontzorgen_loslaten_steps", "Stappen begeleid loslaten", LoslatenStep, "client_file"),
    Category("ontzorgen_ledger", "Boekingen ontzorgen (ingehouden, betaald, teruggekomen)", LedgerEntry, "client_file"),
    Category("ontzorgen_payments", "Betalingen van vaste lasten", Payment, "client_file"),
    Category("ontzorgen_machtigingen", "Machtigingen voor ontzorgen", Machtiging, "client_file"),
    Category("ontzorgen_extensions", "Verlengingen van ontzorgen", OntzorgenExtension, "record__client_file"),
    Category("ontzorgen_obligations", "Vaste lasten (schuldeisers, IBAN, bedragen)", Obligation, "client_file"),
    Category("ontzorgen_records", "Ontzorgen: bijstand en maatwerk", OntzorgenRecord, "client_file"),
    Category("received_notifications", "Ontvangen notificaties over de zaak", ReceivedNotification, "client_file"),
    Category("file_signals", "Signalen bij het dossier", FileSignal, "client_file"),
    Category(
        "signal_payloads",
        "Inhoud van ontvangen berichten (DUO, COA)",
        SignalMessage,
        "client_file",
        ANONYMISE,
        emptied={"payload": {}, "result": {}, "reason": ""},
        only_if={"payload": {}, "result": {}, "reason": ""},
    ),
    Category("fine_bezwaren", "Bezwaren tegen boetes", FineBezwaar, "decision__proposal__client_file"),
    Category("fine_decisions", "Boetebesluiten", FineDecision, "proposal__client_file"),
    Category("fine_proposals", "Boetevoorstellen", FineProposal, "client_file"),
    Category("exam_confirmations", "Bevestigde examenuitslagen", ExamConfirmation, "client_file"),
    Category("achievements", "Behaalde onderdelen", Achievement, "client_file"),
    Category("afschalen_judgements", "Oordelen afschalen", AfschalenJudgement, "client_file"),
    Category("followup_records", "Vervolgcontacten", FollowUpRecord, "client_file"),
    Category("module_milestones", "Mijlpalen van modules", ModuleMilestone, "enrolment__client_file"),
    Category("exam_results", "Examenuitslagen van aanbieders", ExamResult, "enrolment__client_file"),
    Category(
        "weekly_report_history", "Eerdere meldingen van uren", WeeklyReportHistory, "report__enrolment__client_file"
    ),
    Category("weekly_reports", "Uren en verzuim", WeeklyReport, "enrolment__client_file"),
    Category("enrolment_events", "Geschiedenis van plaatsingen", EnrolmentEvent, "enrolment__client_file"),
    Category("enrolments", "Plaatsingen bij aanbieders", Enrolment, "client_file"),
    Category("pip_bezwaren", "Bezwaren tegen het PIP", Bezwaar, "version__client_file"),
    Category("progress_talks", "Voortgangsgesprekken", ProgressTalk, "client_file"),
    Category("pip_events", "Geschiedenis van PIP-versies", PipEvent, "version__client_file"),
    Category("pip_agreements", "Afspraken in het PIP", PipAgreement, "version__client_file"),
    Category("pip_versions", "PIP-versies", PipVersion, "client_file"),
    Category("route_advices", "Routeadviezen", RouteAdvice, "client_file"),
    Category("lbt_tests", "Leerbaarheidstoetsen", LearnabilityTest, "client_file"),
    Category("leefgebied_assessments", "Leefgebieden van de brede intake", LeefgebiedAssessment, "intake__client_file"),
    Category("intakes", "Brede intakes", Intake, "client_file"),
    Category("intake_calls", "Oproepen", IntakeCall, "client_file"),
    Category("letter_dispatches", "Verzending van brieven", LetterDispatch, "letter__client_file"),
    Category("letters", "Brieven (pdf)", Letter, "client_file"),
    Category("consent_withdrawals", "Ingetrokken toestemmingen", ConsentWithdrawal, "consent__client_file"),
    Category("consents", "Toestemmingen", Consent, "client_file"),
    Category("notes", "Notities", Note, "client_file"),
    Category(
        "status_reasons",
        "Toelichting bij statuswijzigingen",
        StatusChange,
        "client_file",
        ANONYMISE,
        emptied={"reason": ""},
        only_if={"reason": ""},
    ),
)

# Categories that are not one model's rows: the household and the person (see destroy_people).
HOUSEHOLD_MEMBERS = "household_members"
HOUSEHOLD_PERSONS = "household_persons"
PERSON = "person"
PORTAL_ACCOUNTS = "portal_accounts"
LABELS: dict[str, str] = {
    **{category.code: category.label for category in CATEGORIES},
    HOUSEHOLD_MEMBERS: "Samenstelling van het huishouden",
    HOUSEHOLD_PERSONS: "Gegevens van gezinsleden",
    PERSON: "Persoonsgegevens (BSN, naam, adres, contact, geboortedatum)",
    PORTAL_ACCOUNTS: "Inlog van Mijn Inburgering (koppeling DigiD en BSN)",
}

# Handled by destroy_people (not one query per file).
PEOPLE_MODELS: tuple[str, ...] = ("clients.Person", "households.Household", "households.HouseholdMember")

# Models that point at a client file and are kept on purpose, with the reason.
KEPT_MODELS: dict[str, str] = {
    "clients.ClientFile": "the skeleton: status, gemeente and dates for statistics, no personal data",
    "audit.AuditEvent": "insert-only and hash-chained; follows its own retention (docs/audit.md)",
    "retention.LegalHold": "the accountability of the retention itself (the reason holds no personal data)",
    "retention.LegalHoldRelease": "the accountability of the retention itself",
    "retention.DestructionRecord": "the proof of the destruction (ids, dates, counts)",
    "monitoring.FileFact": "derived statistics skeleton like ClientFile: dates, statuses and flags, no personal data",
}


@contextmanager
def exempt_insert_only() -> Iterator[None]:
    """Lets this transaction update and delete rows of insert-only tables (PostgreSQL trigger exemption, set
    LOCAL so it ends with the transaction at the latest; switched off again when the block ends normally)."""
    if not connection.in_atomic_block:
        raise RuntimeError("exempt_insert_only() must run inside a transaction.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('openinburgering.retention', 'on', true)")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('openinburgering.retention', 'off', true)")


def count_rows(client_file_ids: list[int]) -> dict[str, int]:
    """How many rows of each category the files hold (the dry run), without the household and person."""
    counts = {}
    for category in CATEGORIES:
        counts[category.code] = category.rows(client_file_ids).count()
    return counts


def destroy_rows(client_file: ClientFile) -> dict[str, int]:
    """Deletes or empties every category's rows of one file; returns the row count per category. Deletes go
    around the models' insert-only guards and Django's PROTECT check (``_raw_delete``): the order above is
    children first, and the foreign keys are still checked by the database at commit."""
    counts: dict[str, int] = {}
    _delete_uploaded_files_on_commit(client_file)
    for category in CATEGORIES:
        queryset = category.rows([client_file.pk])
        if category.action == DELETE:
            counts[category.code] = queryset._raw_delete(queryset.db)
        else:
            counts[category.code] = models.QuerySet.update(queryset, **category.emptied)
    return counts


def _delete_uploaded_files_on_commit(client_file: ClientFile) -> None:
    """The portal uploads' files live on disk (outside the web root, ``PORTAL_UPLOAD_ROOT``): they are removed
    once the destruction has committed, so a rolled-back destruction leaves them in place."""
    for upload in PortalUpload.objects.filter(client_file=client_file).only("file"):
        if upload.file.name:
            transaction.on_commit(partial(upload.file.storage.delete, upload.file.name))


def _live_file_ids(person_ids: Iterable[int], *, except_file_id: int) -> set[int]:
    """Persons among ``person_ids`` with a file that is not destroyed (other than the one being destroyed)."""
    return set(
        ClientFile.objects.filter(person_id__in=list(person_ids), destruction__isnull=True)
        .exclude(pk=except_file_id)
        .values_list("person_id", flat=True)
    )


def _empty_person(queryset: models.QuerySet[Person], birth_years: dict[int, int]) -> int:
    """Empties the personal fields; only the year of birth stays (as 1 January) for cohort statistics."""
    count = 0
    for person_id, year in birth_years.items():
        count += queryset.filter(pk=person_id).update(
            bsn="", v_number="", given_names="", surname_prefix="", surname="", birth_on=date(year, 1, 1),
            sex="O", nationality=None, birth_country=None, languages="", interpreter_needed=False,
            interpreter_language="", street="", house_number="", postcode="", city="", phone="", email="",
            updated_at=timezone.now(),
        )  # fmt: skip
    return count


def destroy_people(client_file: ClientFile) -> dict[str, int]:
    """The household and the person (after :func:`destroy_rows`, so this file's intakes are gone).

    A household of the file's person goes when none of its members has a live file: its memberships are deleted,
    then every member who is no longer needed anywhere (no file, no intake, no other household) is deleted, or
    emptied when a destroyed file's skeleton still points at them. The file's own person is emptied unless they
    are still needed (another live file, an intake or a household of a live file)."""
    person_id = client_file.person_id
    members_deleted = 0
    others: set[int] = set()
    household_ids = set(HouseholdMember.objects.filter(person_id=person_id).values_list("household_id", flat=True))
    for household_id in sorted(household_ids):
        member_person_ids = set(
            HouseholdMember.objects.filter(household_id=household_id).values_list("person_id", flat=True)
        )
        if _live_file_ids(member_person_ids, except_file_id=client_file.pk):
            continue  # the household belongs to a live file too
        members = HouseholdMember.objects.filter(household_id=household_id)
        members_deleted += members._raw_delete(members.db)
        households = Household.objects.filter(pk=household_id)
        households._raw_delete(households.db)
        others |= member_person_ids - {person_id}

    persons_done = 0
    for other_id in sorted(others):
        if _still_needed(other_id, except_file_id=client_file.pk):
            continue
        if ClientFile.objects.filter(person_id=other_id).exists():
            persons_done += _empty_person(Person.objects.all(), _birth_years([other_id]))
        else:
            doomed = Person.objects.filter(pk=other_id)
            persons_done += doomed._raw_delete(doomed.db)
    own = accounts = 0
    if not _still_needed(person_id, except_file_id=client_file.pk):
        accounts = _delete_portal_account(client_file.person.bsn)
        own = _empty_person(Person.objects.all(), _birth_years([person_id]))
    return {HOUSEHOLD_MEMBERS: members_deleted, HOUSEHOLD_PERSONS: persons_done, PERSON: own,
            PORTAL_ACCOUNTS: accounts}  # fmt: skip


def _delete_portal_account(bsn: str) -> int:
    """The DigiD link (BSN) of Mijn Inburgering goes with the person; the user row stays, switched off and
    without name or e-mail, because audit events point at it as the actor of what the client did."""
    accounts = PortalAccount.objects.filter(bsn=bsn) if bsn else PortalAccount.objects.none()
    user_ids = list(accounts.values_list("user_id", flat=True))
    deleted = accounts._raw_delete(accounts.db)
    get_user_model().objects.filter(pk__in=user_ids).update(is_active=False, first_name="", last_name="", email="")
    return deleted


def _still_needed(person_id: int, *, except_file_id: int) -> bool:
    return bool(
        _live_file_ids([person_id], except_file_id=except_file_id)
        or Intake.objects.filter(person_id=person_id).exists()
        or HouseholdMember.objects.filter(person_id=person_id).exists()
    )


def _birth_years(person_ids: list[int]) -> dict[int, int]:
    return {pk: born.year for pk, born in Person.objects.filter(pk__in=person_ids).values_list("pk", "birth_on")}


def clear_skeleton(client_file: ClientFile) -> None:
    """The skeleton keeps status, gemeente and dates; the worklist fields of a living file go, and so does DUO's
    termijn kept from the file's signals (destroyed with them)."""
    ClientFile.objects.filter(pk=client_file.pk).update(
        next_deadline_on=None, next_deadline_kind="", deadlines_computed_on=None, duo_termijn_start_on=None,
        duo_termijn_einddatum_on=None, duo_termijn_reported_on=None, updated_at=timezone.now(),
    )  # fmt: skip
