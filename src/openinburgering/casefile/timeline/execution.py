"""Sources of the traject and after: plaatsingen, provider milestones, exams, achievements, boetes, afschalen,
vervolg."""

from __future__ import annotations

from openinburgering.clients.models import ClientFile
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
from openinburgering.providers.models import EnrolmentEvent, ExamResult, ModuleMilestone

from .entries import TimelineEntry, cut, money, who

# --- providers: plaatsingen, voortgang and exams ------------------------------------------------------------------


def plaatsingen(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        EnrolmentEvent.objects.filter(enrolment__client_file=client_file)
        .select_related("enrolment__provider", "actor")
        .order_by("-occurred_at", "-id")
    )
    return [
        TimelineEntry(
            e.occurred_at,
            "plaatsing",
            f"Plaatsing {e.enrolment.get_component_display().lower()}: {e.get_to_status_display().lower()}",
            f"Bij {e.enrolment.provider.name}." + (f" {e.reason}" if e.reason else ""),
            who(e.actor),
        )
        for e in cut(rows, limit)
    ]


def milestones(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        ModuleMilestone.objects.filter(enrolment__client_file=client_file)
        .select_related("enrolment__provider", "recorded_by")
        .order_by("-recorded_at", "-id")
    )
    return [
        TimelineEntry(
            m.recorded_at,
            "voortgang",
            f"{m.get_kind_display()} van {m.enrolment.provider.name}",
            m.note,
            who(m.recorded_by),
        )
        for m in cut(rows, limit)
    ]


def exams(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        ExamResult.objects.filter(enrolment__client_file=client_file)
        .select_related("enrolment__provider", "recorded_by")
        .order_by("-recorded_at", "-id")
    )
    return [
        TimelineEntry(
            x.recorded_at,
            "exam",
            f"Examen {x.get_part_display()}{f' {x.level}' if x.level else ''}: "
            f"{'gehaald' if x.passed else 'niet gehaald'}",
            f"Examen op {x.exam_on:%d-%m-%Y}, gemeld door {x.enrolment.provider.name}.",
            who(x.recorded_by),
        )
        for x in cut(rows, limit)
    ]


# --- handhaving, progress and followup ----------------------------------------------------------------------------


def exam_confirmations(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        ExamConfirmation.objects.filter(client_file=client_file)
        .select_related("exam_result", "confirmed_by")
        .order_by("-confirmed_at", "-id")
    )
    return [
        TimelineEntry(
            c.confirmed_at,
            "exam",
            f"Examen {c.exam_result.get_part_display()} bevestigd door de gemeente",
            f"Gezien: {c.evidence}.",
            who(c.confirmed_by),
        )
        for c in cut(rows, limit)
    ]


def achievements(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = Achievement.objects.filter(client_file=client_file).select_related("recorded_by").order_by("-recorded_at")
    return [
        TimelineEntry(
            a.recorded_at,
            "exam",
            a.get_kind_display(),
            f"Op {a.achieved_on:%d-%m-%Y}." + (f" {a.note}" if a.note else ""),
            who(a.recorded_by),
        )
        for a in cut(rows, limit)
    ]


def fine_proposals(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = FineProposal.objects.filter(client_file=client_file).select_related("proposed_by").order_by("-proposed_at")
    return [
        TimelineEntry(
            p.proposed_at,
            "boete",
            f"Boetevoorstel: {p.get_ground_display().lower()}",
            money(p.amount),
            who(p.proposed_by),
        )
        for p in cut(rows, limit)
    ]


def fine_decisions(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        FineDecision.objects.filter(proposal__client_file=client_file)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )
    entries: list[TimelineEntry] = []
    for decision in cut(rows, limit):
        imposed = decision.outcome == DecisionOutcome.OPGELEGD
        detail = " ".join(part for part in (money(decision.amount) + "." if imposed else "", decision.reason) if part)
        entries.append(
            TimelineEntry(
                decision.decided_at,
                "boete",
                f"Boetebesluit: {decision.get_outcome_display().lower()}",
                detail,
                who(decision.decided_by),
            )
        )
    return entries


def fine_bezwaren(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        FineBezwaar.objects.filter(decision__proposal__client_file=client_file)
        .select_related("registered_by")
        .order_by("-registered_at", "-id")
    )
    return [
        TimelineEntry(
            b.registered_at,
            "bezwaar",
            "Bezwaar tegen een boetebesluit",
            f"Ontvangen op {b.received_on:%d-%m-%Y}.",
            who(b.registered_by),
        )
        for b in cut(rows, limit)
    ]


def afschalen(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        AfschalenJudgement.objects.filter(client_file=client_file)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )
    return [
        TimelineEntry(
            j.recorded_at,
            "voortgang",
            "Afschalen beoordeeld: " + ("mag" if j.allowed else "mag niet"),
            j.reasoning,
            who(j.recorded_by),
        )
        for j in cut(rows, limit)
    ]


def vervolg(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = FollowUpRecord.objects.filter(client_file=client_file).select_related("recorded_by").order_by("-recorded_at")
    return [
        TimelineEntry(
            f.recorded_at,
            "vervolg",
            f"Vervolg: {f.get_situation_display().lower()}",
            f"Contact op {f.contact_on:%d-%m-%Y}." + (f" {f.organisation}." if f.organisation else ""),
            who(f.recorded_by),
        )
        for f in cut(rows, limit)
    ]
