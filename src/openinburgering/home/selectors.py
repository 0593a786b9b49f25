"""The start page's worklist: how many items wait in each queue the actor works from, in a constant number of
queries whatever the size of the gemeente (1 for the attendance threshold, 3 for the caseload, 1 per queue).

Every count is the count of the list its link opens, made by that list's own selector with the same filter, so
the number on the start page and the rows behind the link cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.forms import LOW_ATTENDANCE
from openinburgering.clients.selectors import CaseloadFilters, caseload_for
from openinburgering.handhaving.selectors import decision_queue
from openinburgering.monitoring.cbs.selectors import open_delivery_step
from openinburgering.netwerk.selectors import follow_up_queue
from openinburgering.plans.selectors import approval_queue
from openinburgering.progress.selectors import threshold_percent
from openinburgering.signals.selectors import open_file_signals


@dataclass(frozen=True)
class WorkItem:
    key: str  # stable name for tests and styling: overdue, week, low_attendance, pip_approvals, fines, signals
    label: str
    count: int
    url: str


def _caseload_items(actor: Actor, *, as_of: date) -> list[WorkItem]:
    scope = "team" if actor.can(Capability.VIEW_TEAM_CASELOAD) else "mine"
    url = reverse("clients:team-caseload" if scope == "team" else "clients:caseload")
    where = "in het team" if scope == "team" else "in uw caseload"
    threshold = threshold_percent(actor.gemeente_id)

    def count(filters: CaseloadFilters) -> int:
        return caseload_for(
            actor=actor, scope=scope, filters=filters, as_of=as_of, soon_days=settings.DEADLINE_SOON_DAYS,
            attendance_threshold=threshold,
        ).count()  # fmt: skip

    return [
        WorkItem("overdue", f"Te laat {where}", count(CaseloadFilters(due="overdue")), f"{url}?due=overdue"),
        WorkItem("week", f"Deze week {where}", count(CaseloadFilters(due="week")), f"{url}?due=week"),
        WorkItem(
            "low_attendance",
            f"Lage aanwezigheid {where}",
            count(CaseloadFilters(low_attendance=True)),
            f"{url}?signal={LOW_ATTENDANCE}",
        ),
    ]


def worklist_for(actor: Actor, *, as_of: date) -> list[WorkItem]:
    """The queues that apply to the actor's role, each with its count and the link to the filtered list."""
    items: list[WorkItem] = []
    if actor.can(Capability.VIEW_OWN_CASELOAD) or actor.can(Capability.VIEW_TEAM_CASELOAD):
        items += _caseload_items(actor, as_of=as_of)
    if actor.can(Capability.VIEW_OWN_CASELOAD) or actor.can(Capability.VIEW_TEAM_CASELOAD):
        items.append(WorkItem("referrals", "Verwijzingen om op te volgen", follow_up_queue(actor, as_of=as_of).count(),
                              reverse("netwerk-team:follow-up")))  # fmt: skip
    if actor.can(Capability.APPROVE_PIP):
        items.append(WorkItem("pip_approvals", "PIP's ter goedkeuring", approval_queue(actor).count(),
                              reverse("plans-team:approvals")))  # fmt: skip
    if actor.can(Capability.DECIDE_FINES):
        items.append(WorkItem("fines", "Boetes om te beslissen", decision_queue(actor).count(),
                              reverse("handhaving-team:queue")))  # fmt: skip
    if actor.can(Capability.DELIVER_STATISTICS):
        # #16 item 5: the quarter's CBS file until it has been downloaded; the deadline from rules.cbs_levering.
        step = open_delivery_step(actor.gemeente_id, as_of=as_of)
        if step is not None:
            items.append(WorkItem("cbs_delivery", step.label, 1,
                                  f"{reverse('monitoring:cbs')}?kwartaal={step.quarter.label}"))  # fmt: skip
    if actor.can(Capability.VIEW_SIGNALS):
        items.append(WorkItem("signals", "Signalen om af te handelen", open_file_signals(actor=actor).count(),
                              reverse("signals:file-signals")))  # fmt: skip
    return items
