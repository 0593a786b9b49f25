"""A client file with a record in every app, all personal text marked with MARK so a scan of every table can
prove that nothing is left after destruction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile

from openinburgering.accounts.models import User
from openinburgering.clients.models import ClientFile, Consent, ConsentWithdrawal, Note, Person, StatusChange
from openinburgering.demo.netwerk import GGZ, ensure_demo_kaart
from openinburgering.demo.providers import ensure_demo_providers
from openinburgering.followup.models import FollowUpRecord
from openinburgering.handhaving.models import Achievement, ExamConfirmation, FineBezwaar, FineDecision, FineProposal
from openinburgering.households.models import HouseholdMember
from openinburgering.households.services import add_household_member
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

from ..conftest import actor_for

AMS = ZoneInfo("Europe/Amsterdam")
MARK = "Geheimxq"
START = datetime(2016, 1, 5, 9, 0, tzinfo=AMS)


def fill_ontzorgen(client_file: ClientFile, staff: dict[str, Any], *, text: str, tag: str) -> None:
    """One row of each ontzorgen category (#13); the run of its own month per tag (runs are unique per month)."""
    from openinburgering.ontzorgen.models import (
        LedgerEntry,
        Machtiging,
        Obligation,
        OntzorgenExtension,
        OntzorgenRecord,
        Payment,
        PaymentRun,
        ReclaimSettlement,
    )

    frank, tamara = staff["frank"], staff["tamara"]
    record = OntzorgenRecord.objects.create(
        client_file=client_file, gemeente_id=client_file.gemeente_id, bijstand_start_on=date(2016, 1, 1),
        applies=True, reason="applies", start_on=date(2016, 1, 1), end_on=date(2016, 6, 30), items=["huur"],
        maatwerk_reason=text, updated_by=frank,
    )  # fmt: skip
    OntzorgenExtension.objects.create(record=record, extended_until_on=date(2016, 9, 30), decided_on=date(2016, 6, 1),
                                      reason=text, recorded_at=at(30), recorded_by=frank)  # fmt: skip
    Machtiging.objects.create(client_file=client_file, kind="refused", given_on=date(2016, 1, 2),
                              consequence_note=text, recorded_at=at(30), recorded_by=frank)  # fmt: skip
    obligation = Obligation.objects.create(
        client_file=client_file, gemeente_id=client_file.gemeente_id, kind="huur", creditor_name=f"{MARK}verhuur",
        iban="NL18RABO0123459876", creditor_reference=text, amount_cents=65000, day_of_month=1,
        start_on=date(2016, 1, 1), created_by=frank, updated_by=frank,
    )  # fmt: skip
    run = PaymentRun.objects.create(
        gemeente_id=client_file.gemeente_id, month=date(2016, int(tag.lstrip("t")), 1), debtor_name="Gemeente",
        debtor_iban="NL91ABNA0417164300", built_at=at(31), built_by=frank, status="approved", approved_at=at(31),
        approved_by=tamara,
    )  # fmt: skip
    payment = Payment.objects.create(
        run=run, client_file=client_file, obligation=obligation, end_to_end_id=f"OIRET{run.pk:08d}",
        amount_cents=65000, creditor_name=f"{MARK}verhuur", iban="NL18RABO0123459876", remittance=text,
        due_on=run.month,
    )  # fmt: skip
    due = LedgerEntry.objects.create(
        client_file=client_file, gemeente_id=client_file.gemeente_id, kind="due", amount_cents=65000,
        period=run.month, obligation=obligation, run=run, payment=payment, note=text, booked_on=run.month,
        created_at=at(31), created_by=frank,
    )  # fmt: skip
    # Paid too much, and the creditor offset it (#13 leftover a): a correction, its settlement and the settlement row.
    correction = LedgerEntry.objects.create(
        client_file=client_file, gemeente_id=client_file.gemeente_id, kind="corrected", amount_cents=-65000,
        period=run.month, obligation=obligation, corrects=due, note=text, booked_on=run.month, created_at=at(31),
        created_by=frank,
    )  # fmt: skip
    offset = LedgerEntry.objects.create(
        client_file=client_file, gemeente_id=client_file.gemeente_id, kind="offset", amount_cents=65000,
        period=run.month, obligation=obligation, corrects=correction, note=text, booked_on=run.month,
        created_at=at(31), created_by=frank,
    )  # fmt: skip
    ReclaimSettlement.objects.create(
        client_file=client_file, gemeente_id=client_file.gemeente_id, obligation=obligation, method="offset",
        amount_cents=65000, settled_on=run.month, note=text, ledger_entry=offset, recorded_at=at(31),
        recorded_by=frank,
    )  # fmt: skip
    fill_ontzorgen_part_b(client_file, staff, text=text, tag=tag, obligation=obligation, payment=payment)


def fill_ontzorgen_part_b(
    client_file: ClientFile, staff: dict[str, Any], *, text: str, tag: str, obligation: Any, payment: Any
) -> None:
    """One row of each ontzorgen part-B category (#13): a bank line of the file's payment with its resolution, a
    toeslag, and a loslaten step done with its letter. The statement itself is the gemeente's and stays."""
    from openinburgering.ontzorgen.models import (
        BankStatement,
        LoslatenStep,
        LoslatenStepDone,
        StatementLine,
        StatementLineResolution,
        ToeslagRecord,
    )

    frank = staff["frank"]
    statement = BankStatement.objects.create(
        gemeente_id=client_file.gemeente_id, account_iban="NL91ABNA0417164300", statement_id=f"RET-{tag}",
        message_id=f"RET-{tag}", version="camt.053.001.02", sha256="0" * 64, size=1, line_count=1, paid_count=0,
        returned_count=1, unmatched_count=0, imported_at=at(32), imported_by=frank,
    )  # fmt: skip
    line = StatementLine.objects.create(
        statement=statement, gemeente_id=client_file.gemeente_id, entry_index=0, end_to_end_id=payment.end_to_end_id,
        amount_cents=65000, is_credit=True, outcome="returned", return_reason="AC04",
        counterparty_name=f"{MARK}verhuur", description=text, payment=payment, client_file=client_file,
    )  # fmt: skip
    StatementLineResolution.objects.create(line=line, note=text, resolved_at=at(33), resolved_by=frank)
    ToeslagRecord.objects.create(
        client_file=client_file, kind="huurtoeslag", status="aangevraagd", applied_on=date(2016, 2, 1), note=text,
        recorded_at=at(33), recorded_by=frank,
    )  # fmt: skip
    step = LoslatenStep.objects.create(
        client_file=client_file, kind="einde", description=text, due_on=date(2016, 6, 30), obligation=obligation,
        created_at=at(33), created_by=frank,
    )  # fmt: skip
    LoslatenStepDone.objects.create(step=step, done_on=date(2016, 6, 30), note=text, recorded_at=at(34),
                                    recorded_by=frank)  # fmt: skip


def at(hour: int) -> datetime:
    return START + timedelta(days=hour)


@dataclass
class FullFile:
    client_file: ClientFile
    partner: Person
    child: Person


def fill_file(client_file: ClientFile, staff: dict[str, Any], *, tag: str) -> FullFile:
    """One record of every kind on the file, each with personal text carrying MARK and ``tag``."""
    kim, tamara, anouk = staff["kim"], staff["tamara"], staff["anouk"]
    text = f"{MARK} {tag}"
    actor = actor_for(kim)
    partner = add_household_member(
        actor=actor, client_file=client_file, relation="partner", started_on=date(2016, 1, 5),
        person_data={"given_names": f"{MARK}a", "surname": f"{MARK}partner{tag}", "birth_on": date(1988, 2, 3)},
    ).person  # fmt: skip
    child = add_household_member(
        actor=actor, client_file=client_file, relation="kind", started_on=date(2016, 1, 5),
        education_name=f"{MARK} school", person_data={"given_names": f"{MARK}b", "surname": f"{MARK}kind{tag}",
                                                      "birth_on": date(2012, 4, 5)},
    ).person  # fmt: skip
    StatusChange.objects.create(client_file=client_file, from_status="aangemeld", to_status="intake",
                                changed_at=at(1), changed_by=kim, reason=text)  # fmt: skip
    note = Note.objects.create(client_file=client_file, body=text, author=tamara, created_at=at(2))
    Note.objects.create(client_file=client_file, body=text, author=tamara, created_at=at(2), corrects=note)
    IntakeCall.objects.create(
        client_file=client_file, sequence=1, planned_at=at(4), location=text, outcome="no_show",
        outcome_note=text, created_at=at(3), created_by=kim,
    )  # fmt: skip
    intake = Intake.objects.create(client_file=client_file, person=child, started_at=at(6), started_by=kim,
                                   absence_reason=text)  # fmt: skip
    LeefgebiedAssessment.objects.create(intake=intake, leefgebied="werk_inkomen", score=3, finding=text,
                                        details={"note": text}, updated_at=at(7), updated_by=kim)  # fmt: skip
    lbt = LearnabilityTest.objects.create(client_file=client_file, location=text, created_at=at(9), created_by=kim)
    RouteAdvice.objects.create(
        client_file=client_file, advised_route="b1", chosen_route="b1", advice_reasons=text, lbt=lbt,
        onderwijsroute_considered=text, created_at=at(12), created_by=kim,
    )  # fmt: skip
    letter = Letter.objects.create(client_file=client_file, kind="pip_beschikking", title=text,
                                   recipient_name=text, content=b"%PDF " + text.encode(), sha256="0" * 64, size=4,
                                   created_at=at(17), created_by=kim)  # fmt: skip
    version = PipVersion.objects.create(
        client_file=client_file, number=1, status="vastgesteld", leerroute="b1", begeleiding=text,
        drafted_at=at(13), drafted_by=kim, submitted_at=at(13), submitted_by=kim, approved_at=at(14),
        approved_by=tamara, dagtekening_on=at(14).date(), beschikking_letter=letter,
    )  # fmt: skip
    PipAgreement.objects.create(version=version, leefgebied="werk_inkomen", goal=text, action=text,
                                responsible="client")  # fmt: skip
    PipEvent.objects.create(version=version, kind="submitted", comment=text, occurred_at=at(13), actor=kim)
    Bezwaar.objects.create(version=version, received_on=at(16).date(), term_ends_on=at(16).date(), on_time=True,
                           grounds=text, registered_at=at(16), registered_by=kim)  # fmt: skip
    ProgressTalk.objects.create(client_file=client_file, version=version, planned_on=at(30).date(), summary=text,
                                created_at=at(13))  # fmt: skip
    message = SignalMessage.objects.create(
        gemeente=client_file.gemeente, source="duo", message_type="SS101", external_id=f"retention-{tag}",
        received_at=at(18), payload={"naam": text}, payload_sha256="1" * 64, client_file=client_file,
        status="applied", reason=text, result={"naam": text},
    )  # fmt: skip
    FileSignal.objects.create(gemeente=client_file.gemeente, client_file=client_file, message=message,
                              kind="lbt_result", summary=text, data={"naam": text}, created_at=at(18))  # fmt: skip
    provider = ensure_demo_providers()
    enrolment = Enrolment.objects.create(
        client_file=client_file, provider=provider, contract=provider.contracts.get(), component="b1_lessen",
        status="geaccepteerd", starts_on=date(2016, 1, 5), ends_on=date(2016, 6, 5), hours_per_week=8,
        status_reason=text, created_at=at(20), created_by=kim,
    )  # fmt: skip
    EnrolmentEvent.objects.create(enrolment=enrolment, to_status="geaccepteerd", reason=text, occurred_at=at(20),
                                  actor=anouk)  # fmt: skip
    report = WeeklyReport.objects.create(
        enrolment=enrolment, week="2016-W02", week_starts_on=date(2016, 1, 11), hours_offered=8, hours_attended=6,
        hours_absent_authorised=2, hours_absent_unauthorised=0, absence_reason=text, note=text, row_hash="2" * 64,
        source="ui", reported_at=at(21), reported_by=anouk,
    )  # fmt: skip
    WeeklyReportHistory.objects.create(
        report=report, hours_offered=8, hours_attended=8, hours_absent_authorised=0, hours_absent_unauthorised=0,
        absence_reason=text, note=text, row_hash="3" * 64, source="ui", reported_at=at(20), reported_by=anouk,
        replaced_at=at(21),
    )  # fmt: skip
    ModuleMilestone.objects.create(enrolment=enrolment, kind="voortgangsverslag", happened_on=at(21).date(),
                                   note=text, recorded_at=at(21), recorded_by=anouk)  # fmt: skip
    exam = ExamResult.objects.create(enrolment=enrolment, part="lezen", level="B1", exam_on=at(22).date(),
                                     passed=True, recorded_at=at(22), recorded_by=anouk)  # fmt: skip
    ExamConfirmation.objects.create(client_file=client_file, exam_result=exam, evidence=text,
                                    confirmed_at=at(23), confirmed_by=kim)  # fmt: skip
    Achievement.objects.create(client_file=client_file, kind="pvt", achieved_on=at(24).date(), note=text,
                               recorded_at=at(24), recorded_by=kim)  # fmt: skip
    proposal = FineProposal.objects.create(
        client_file=client_file, pip_version=version, ground="map", established_on=at(25).date(), facts=text,
        reasoning=text, culpability="normaal", amount=Decimal("50.00"), base_amount=Decimal("50.00"),
        repeat_count=0, capped=False, w22_total=0, w23_total=0, proposed_at=at(25), proposed_by=kim,
    )  # fmt: skip
    decision = FineDecision.objects.create(
        proposal=proposal, sequence=1, outcome="opgelegd", reason=text, amount=Decimal("50.00"), repeat_count=0,
        capped=False, decided_on=at(26).date(), decided_at=at(26), decided_by=tamara, proposed_by=kim,
        letter=letter,
    )  # fmt: skip
    FineBezwaar.objects.create(decision=decision, received_on=at(27).date(), term_ends_on=at(27).date(),
                               on_time=True, grounds=text, registered_at=at(27), registered_by=kim)  # fmt: skip
    AfschalenJudgement.objects.create(
        client_file=client_file, sufficient_effort=True, b1_reachable_in_termijn=False, reasoning=text,
        leerroute="b1", nt2_course_hours=Decimal("600"), allowed=True, reason="ok", recorded_at=at(28),
        recorded_by=tamara,
    )  # fmt: skip
    FollowUpRecord.objects.create(client_file=client_file, situation="werk", organisation=text, note=text,
                                  contact_on=at(29).date(), recorded_at=at(29), recorded_by=kim)  # fmt: skip
    consent = Consent.objects.create(client_file=client_file, purpose="gezondheid", given_on=at(5).date(),
                                     how=text, recorded_by=kim, recorded_at=at(5))  # fmt: skip
    ConsentWithdrawal.objects.create(consent=consent, withdrawn_on=at(8).date(), recorded_by=kim,
                                     recorded_at=at(8))  # fmt: skip
    fill_netwerk_and_portal(client_file, staff, text=text, tag=tag)
    fill_ontzorgen(client_file, staff, text=text, tag=tag)
    assert HouseholdMember.objects.filter(person__in=[partner, child]).count() == 2
    return FullFile(client_file=client_file, partner=partner, child=child)


def fill_netwerk_and_portal(client_file: ClientFile, staff: dict[str, Any], *, text: str, tag: str) -> None:
    """Zorg en netwerk (#14), Mijn Inburgering (#15) and the outbox (#17): one record of each, marked."""
    kim, mira = staff["kim"], staff["mira"]
    ggz = ensure_demo_kaart()[GGZ]
    referral = Referral.objects.create(
        gemeente=client_file.gemeente, client_file=client_file, offer=ggz.offers.first(), organisation=ggz,
        theme="gezondheid", question=text, status="geaccepteerd", created_at=at(30), created_by=kim,
    )  # fmt: skip
    ReferralStatusChange.objects.create(referral=referral, from_status="concept", to_status="verzonden",
                                        message=text, changed_at=at(30), changed_by=kim)  # fmt: skip
    consent = ReferralConsent.objects.create(
        referral=referral, recipient=ggz, purpose=text, sections=["basis"], given_by=text, given_on=at(30).date(),
        basis=text, recorded_by=kim, recorded_at=at(30),
    )  # fmt: skip
    ReferralConsentWithdrawal.objects.create(consent=consent, withdrawn_on=at(31).date(), recorded_by=kim,
                                             recorded_at=at(31))  # fmt: skip
    package = HandoverPackage.objects.create(referral=referral, sections=["basis"], content={"naam": text},
                                             built_at=at(30), built_by=kim)  # fmt: skip
    PackageReceipt.objects.create(package=package, acknowledged_at=at(31), acknowledged_by=kim)
    BegeleidingEntry.objects.create(client_file=client_file, kind="contact", on=at(32).date(), text=text,
                                    recorded_at=at(32), recorded_by=mira)  # fmt: skip
    BuddyMatch.objects.create(client_file=client_file, organisation=ggz, kind="buddy", volunteer_name=text,
                              volunteer_contact=text, started_on=at(32).date(), created_at=at(32),
                              created_by=kim)  # fmt: skip
    ContactPerson.objects.create(client_file=client_file, role="werkcoach", about=text, name=text, reach=text,
                                 created_at=at(32), created_by=kim)  # fmt: skip
    client = User.objects.create(username=f"digid-retention-{tag}", first_name=text)
    PortalAccount.objects.create(user=client, bsn=client_file.person.bsn, created_at=at(33))
    question = PortalMessage.objects.create(client_file=client_file, direction="from_client", body=text,
                                            sender=client, sent_at=at(33))  # fmt: skip
    PortalMessage.objects.create(client_file=client_file, direction="to_client", body=text, sender=kim,
                                 sent_at=at(34), reply_to=question)  # fmt: skip
    RescheduleRequest.objects.create(client_file=client_file, kind="oproep", appointment_id=1, reason=text,
                                     requested_at=at(33))  # fmt: skip
    ClientTask.objects.create(client_file=client_file, kind="upload_diploma", created_at=at(33))
    upload = PortalUpload(client_file=client_file, kind="diploma", content_type="application/pdf", size=5,
                          sha256="4" * 64, uploaded_by=client, uploaded_at=at(33))  # fmt: skip
    upload.file.save(f"{MARK}-{tag}.pdf", ContentFile(b"%PDF-"), save=False)
    upload.save()
    OutboxMessage.objects.create(gemeente=client_file.gemeente, client_file=client_file, kind="test",
                                 key=f"retention-{tag}", payload={"naam": text})  # fmt: skip
    ReceivedNotification.objects.create(
        gemeente=client_file.gemeente, client_file=client_file, kanaal="zaken", resource="zaakinformatieobject",
        actie="create", hoofd_object=f"https://zaken.example/zaken/{tag}",
        resource_url=f"https://zaken.example/zio/{tag}", aanmaakdatum=at(34),
    )  # fmt: skip
    LetterDispatch.objects.create(letter=Letter.objects.filter(client_file=client_file).first(), channel="portaal",
                                  sent_on=at(34).date(), recorded_at=at(34), recorded_by=kim)  # fmt: skip


def end_plicht(client_file: ClientFile, staff: dict[str, Any], *, ended_at: datetime, closed_at: datetime,
               ending: str = "voldaan", closing: str = "beeindigd") -> None:  # fmt: skip
    """The plicht ends (first ending change) and the file closes later."""
    kim = staff["kim"]
    StatusChange.objects.create(client_file=client_file, from_status="in_traject", to_status=ending,
                                changed_at=ended_at, changed_by=kim)  # fmt: skip
    last = ending
    if closing:
        StatusChange.objects.create(client_file=client_file, from_status=ending, to_status=closing,
                                    changed_at=closed_at, changed_by=kim)  # fmt: skip
        last = closing
    ClientFile.objects.filter(pk=client_file.pk).update(status=last, status_changed_at=closed_at)
    client_file.refresh_from_db()


@pytest.fixture
def full_file(make_file: Callable[..., ClientFile], staff: dict[str, Any]) -> Callable[..., FullFile]:
    counter = iter(range(1, 100))

    def make(*, ended_at: datetime, closed_at: datetime, ending: str = "voldaan", closing: str = "beeindigd",
             gemeente_code: str = "GM0392") -> FullFile:  # fmt: skip
        tag = f"t{next(counter)}"
        client_file = make_file(
            gemeente_code,
            person={"given_names": f"{MARK}c", "surname": f"{MARK}eigen{tag}", "street": f"{MARK}straat",
                    "house_number": "12", "postcode": "2011AB", "city": f"{MARK}stad", "phone": "0612345678",
                    "email": "amal@example.org", "languages": f"{MARK} Arabisch"},
        )  # fmt: skip
        made = fill_file(client_file, staff, tag=tag)
        end_plicht(client_file, staff, ended_at=ended_at, closed_at=closed_at, ending=ending, closing=closing)
        return made

    return make
