"""Sources of the traject and after: plaatsingen, provider milestones, exams, achievements, boetes, afschalen,
vervolg."""

from __future__ import annotations

from decimal import Decimal

from openinburgering.followup.models import FollowUpRecord
from openinburgering.handhaving.models import (
    Achievement,
    DecisionOutcome,
    ExamConfirmation,
    FineBezwaar,
    FineDecision,
    FineProposal,
)
from openinburgering.progress.models import AfschalenJudgement
from openinburgering.providers.models import Enrolment, EnrolmentEvent, ExamResult, ModuleMilestone

from .entries import Branch, Row, TimelineEntry, is_true, label, money, shape, who_of

# --- providers: plaatsingen, voortgang and exams ------------------------------------------------------------------

PLAATSINGEN = (
    Branch(
        lambda f, src: shape(
            EnrolmentEvent.objects.filter(enrolment__client_file=f), src, at="occurred_at",
            texts=("enrolment__component", "to_status", "enrolment__provider__name", "reason"), by="actor",
        ),
        lambda r: TimelineEntry(
            r.at, "plaatsing",
            f"Plaatsing {label(Enrolment, 'component', r.t1).lower()}: "
            f"{label(EnrolmentEvent, 'to_status', r.t2).lower()}",
            f"Bij {r.t3}." + (f" {r.t4}" if r.t4 else ""), who_of(r),
        ),
    ),
)  # fmt: skip

MILESTONES = (
    Branch(
        lambda f, src: shape(
            ModuleMilestone.objects.filter(enrolment__client_file=f), src, at="recorded_at",
            texts=("kind", "enrolment__provider__name", "note"), by="recorded_by",
        ),
        lambda r: TimelineEntry(
            r.at, "voortgang", f"{label(ModuleMilestone, 'kind', r.t1)} van {r.t2}", r.t3 or "", who_of(r)
        ),
    ),
)  # fmt: skip


def _exam(r: Row) -> TimelineEntry:
    return TimelineEntry(
        r.at,
        "exam",
        f"Examen {label(ExamResult, 'part', r.t1)}{f' {r.t2}' if r.t2 else ''}: "
        f"{'gehaald' if is_true(r.t3) else 'niet gehaald'}",
        f"Examen op {r.d:%d-%m-%Y}, gemeld door {r.t4}.",
        who_of(r),
    )


EXAMS = (
    Branch(
        lambda f, src: shape(
            ExamResult.objects.filter(enrolment__client_file=f), src, at="recorded_at", d="exam_on",
            texts=("part", "level", "passed", "enrolment__provider__name"), by="recorded_by",
        ),
        _exam,
    ),
)  # fmt: skip


# --- handhaving, progress and followup ----------------------------------------------------------------------------

EXAM_CONFIRMATIONS = (
    Branch(
        lambda f, src: shape(
            ExamConfirmation.objects.filter(client_file=f), src, at="confirmed_at",
            texts=("exam_result__part", "evidence"), by="confirmed_by",
        ),
        lambda r: TimelineEntry(
            r.at, "exam", f"Examen {label(ExamResult, 'part', r.t1)} bevestigd door de gemeente",
            f"Gezien: {r.t2}.", who_of(r),
        ),
    ),
)  # fmt: skip

ACHIEVEMENTS = (
    Branch(
        lambda f, src: shape(
            Achievement.objects.filter(client_file=f), src, at="recorded_at", d="achieved_on",
            texts=("kind", "note"), by="recorded_by",
        ),
        lambda r: TimelineEntry(
            r.at, "exam", label(Achievement, "kind", r.t1),
            f"Op {r.d:%d-%m-%Y}." + (f" {r.t2}" if r.t2 else ""), who_of(r),
        ),
    ),
)  # fmt: skip

FINE_PROPOSALS = (
    Branch(
        lambda f, src: shape(
            FineProposal.objects.filter(client_file=f), src, at="proposed_at", texts=("ground", "amount"),
            by="proposed_by",
        ),
        lambda r: TimelineEntry(
            r.at, "boete", f"Boetevoorstel: {label(FineProposal, 'ground', r.t1).lower()}",
            money(Decimal(r.t2 or "0")), who_of(r),
        ),
    ),
)  # fmt: skip


def _decision(r: Row) -> TimelineEntry:
    imposed = r.t1 == DecisionOutcome.OPGELEGD
    amount = money(Decimal(r.t2 or "0")) + "." if imposed else ""
    detail = " ".join(part for part in (amount, r.t3 or "") if part)
    return TimelineEntry(
        r.at, "boete", f"Boetebesluit: {label(FineDecision, 'outcome', r.t1).lower()}", detail, who_of(r)
    )


FINE_DECISIONS = (
    Branch(
        lambda f, src: shape(
            FineDecision.objects.filter(proposal__client_file=f), src, at="decided_at",
            texts=("outcome", "amount", "reason"), by="decided_by",
        ),
        _decision,
    ),
)  # fmt: skip

FINE_BEZWAREN = (
    Branch(
        lambda f, src: shape(
            FineBezwaar.objects.filter(decision__proposal__client_file=f), src, at="registered_at", d="received_on",
            by="registered_by",
        ),
        lambda r: TimelineEntry(
            r.at, "bezwaar", "Bezwaar tegen een boetebesluit", f"Ontvangen op {r.d:%d-%m-%Y}.", who_of(r)
        ),
    ),
)  # fmt: skip

AFSCHALEN = (
    Branch(
        lambda f, src: shape(
            AfschalenJudgement.objects.filter(client_file=f), src, at="recorded_at", texts=("allowed", "reasoning"),
            by="recorded_by",
        ),
        lambda r: TimelineEntry(
            r.at, "voortgang", "Afschalen beoordeeld: " + ("mag" if is_true(r.t1) else "mag niet"), r.t2 or "",
            who_of(r),
        ),
    ),
)  # fmt: skip

VERVOLG = (
    Branch(
        lambda f, src: shape(
            FollowUpRecord.objects.filter(client_file=f), src, at="recorded_at", d="contact_on",
            texts=("situation", "organisation"), by="recorded_by",
        ),
        lambda r: TimelineEntry(
            r.at, "vervolg", f"Vervolg: {label(FollowUpRecord, 'situation', r.t1).lower()}",
            f"Contact op {r.d:%d-%m-%Y}." + (f" {r.t2}." if r.t2 else ""), who_of(r),
        ),
    ),
)  # fmt: skip
