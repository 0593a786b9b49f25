"""Reads of the providers app with a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from openinburgering.accounts.actor import Actor
from openinburgering.clients.models import ClientFile
from openinburgering.plans.choices import PipStatus
from openinburgering.plans.models import PipVersion

from .access import visible_to_gemeente
from .choices import ACTIVE_STATUSES
from .models import Contract, Enrolment, EnrolmentEvent, ExamResult, ModuleMilestone, Provider, WeeklyReport

# What a provider may see of a person: name and contact. Nothing else is loaded from the person or the file.
PORTAL_PERSON_FIELDS = (
    "client_file__id",
    "client_file__gemeente_id",
    "client_file__person__id",
    "client_file__person__given_names",
    "client_file__person__surname_prefix",
    "client_file__person__surname",
    "client_file__person__phone",
    "client_file__person__email",
)


def providers_for(actor: Actor) -> QuerySet[Provider]:
    """Providers of the actor's gemeente and of its arbeidsmarktregio, with their contracts (2 queries)."""
    scope = visible_to_gemeente(actor.gemeente_id, actor.gemeente.region_id)
    contracts = (
        Contract.objects.filter(scope)
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=ACTIVE_STATUSES)))
        .select_related("gemeente", "region")
    )
    return (
        Provider.objects.filter(scope)
        .select_related("gemeente", "region")
        .prefetch_related(Prefetch("contracts", queryset=contracts))
    )


def contracts_of(provider: Provider, actor: Actor) -> QuerySet[Contract]:
    """The provider's contracts the actor's gemeente may see: its own and its region's (not another gemeente's)."""
    return (
        provider.contracts.filter(visible_to_gemeente(actor.gemeente_id, actor.gemeente.region_id))
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=ACTIVE_STATUSES)))
        .select_related("gemeente", "region")
        .order_by("-starts_on", "id")
    )


def contracts_for_file(client_file: ClientFile) -> QuerySet[Contract]:
    """Contracts a klantregisseur may place this person under (own gemeente or its region), with free places."""
    return (
        Contract.objects.filter(visible_to_gemeente(client_file.gemeente_id, client_file.gemeente.region_id))
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=ACTIVE_STATUSES)))
        .select_related("provider")
        .order_by("provider__name", "-starts_on")
    )


def enrolments_of_file(client_file: ClientFile) -> list[Enrolment]:
    """The enrolments on the file page (1 query)."""
    return list(
        Enrolment.objects.filter(client_file=client_file)
        .select_related("provider", "contract")
        .order_by("-starts_on", "-id")
    )


def _current_route() -> Subquery:
    return Subquery(
        PipVersion.objects.filter(client_file=OuterRef("client_file"), status=PipStatus.VASTGESTELD).values(
            "leerroute"
        )[:1]
    )


def portal_enrolments(provider: Provider, *, gemeente_id: int) -> QuerySet[Enrolment]:
    """A provider's own enrolments in one gemeente with the minimum data (1 query): name, contact, component,
    route, hours, dates and status. No BSN, no intake, no notes, no health data is loaded.

    A regional provider acts per gemeente, under each gemeente's contract (#12 item 9): its user sees the
    cursisten of the gemeente of the membership it acts under, and each read is logged in that gemeente."""
    return (
        Enrolment.objects.filter(provider=provider, client_file__gemeente_id=gemeente_id)
        .select_related("client_file", "client_file__person")
        .only(
            "id",
            "component",
            "status",
            "starts_on",
            "ends_on",
            "hours_per_week",
            "status_reason",
            "provider_id",
            "contract_id",
            "client_file_id",
            *PORTAL_PERSON_FIELDS,
        )
        .annotate(route=_current_route())
        .order_by("status", "-starts_on", "-id")
    )


def portal_enrolment(provider: Provider, enrolment_id: int, *, gemeente_id: int) -> Enrolment | None:
    return (
        portal_enrolments(provider, gemeente_id=gemeente_id)
        .prefetch_related(
            Prefetch("weekly_reports", queryset=WeeklyReport.objects.order_by("-week_starts_on")),
            Prefetch("exam_results", queryset=ExamResult.objects.order_by("-exam_on", "-id")),
            Prefetch("milestones", queryset=ModuleMilestone.objects.order_by("-happened_on", "-id")),
            Prefetch("events", queryset=EnrolmentEvent.objects.select_related("actor").order_by("occurred_at", "id")),
        )
        .filter(pk=enrolment_id)
        .first()
    )


def enrolment_history(enrolment: Enrolment) -> list[EnrolmentEvent]:
    return list(enrolment.events.select_related("actor").order_by("occurred_at", "id"))


def reports_of(enrolment: Enrolment) -> list[WeeklyReport]:
    return list(enrolment.weekly_reports.prefetch_related("history").order_by("-week_starts_on"))


def exam_results_of(enrolment: Enrolment) -> list[ExamResult]:
    return list(enrolment.exam_results.order_by("-exam_on", "-id"))


def milestones_of(enrolment: Enrolment) -> list[ModuleMilestone]:
    return list(enrolment.milestones.order_by("-happened_on", "-id"))


def milestones_of_file(client_file_id: int) -> list[ModuleMilestone]:
    """Every module milestone of a file's enrolments, newest first, with the provider (1 query)."""
    return list(
        ModuleMilestone.objects.filter(enrolment__client_file_id=client_file_id)
        .select_related("enrolment__provider")
        .order_by("-happened_on", "-id")
    )
