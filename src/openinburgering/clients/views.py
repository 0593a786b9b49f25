"""Client pages that show: search, caseload worklists and the client file (dossier). Aanmelding and the pages that
change a file (note, status, person, file data) are ``clients.change_views``.

Views parse input, go through access_client_file (404 for missing, other gemeente and missing capability),
call one service or selector and render. Every read of personal data is audited in the same transaction as
the read; every change goes through clients.services / households.services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.audit.labels import EVENT_LABELS
from openinburgering.audit.services import record_event
from openinburgering.casefile.summary import summaries_for, summary_and_facts_of
from openinburgering.casefile.timeline import timeline_for
from openinburgering.core import sql
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.households.forms import AddMemberForm, EndMemberForm
from openinburgering.households.selectors import household_members_of
from openinburgering.intakes import selectors as intake_selectors
from openinburgering.netwerk.selectors import file_count_annotations
from openinburgering.progress import selectors as progress_selectors
from openinburgering.signals.selectors import file_signals_for

from . import assignment, selectors, services, worklist
from .access import access_client_file, section_access, visible_sections
from .choices import FileStatus
from .deadlines import DEADLINE_LABELS
from .forms import (
    LOW_ATTENDANCE,
    CaseloadFilterForm,
    NoteForm,
    ReassignForm,
    SearchForm,
    StatusChangeForm,
    TeamCaseloadFilterForm,
    age_on,
)
from .models import ClientFile, Note
from .workflow import allowed_next_statuses, manual_next_statuses

CASELOAD_PAGE_SIZE = 25
READERS_PAGE_SIZE = 20
NOTES_PAGE_SIZE = 25
TIMELINE_LIMIT = 25  # newest entries on the file page; "Toon de hele tijdlijn" shows every entry

READ_EVENT_LABELS = EVENT_LABELS  # every event type has a Dutch label (audit.labels)


# ---------------------------------------------------------------------------------------------------------------
# Deadlines as the user reads them: text first, the badge colour only repeats it.


@dataclass(frozen=True)
class DeadlineView:
    due_on: date | None
    label: str
    days_left: int | None
    state: str  # "overdue", "today", "week", "soon", "later", "none"
    text: str

    @property
    def badge_class(self) -> str:
        return worklist.BADGE_CLASSES.get(self.state, "utrecht-badge-status--neutral")


def deadline_view(client_file: ClientFile, as_of: date) -> DeadlineView:
    label = str(DEADLINE_LABELS.get(client_file.next_deadline_kind, ""))
    due_on = client_file.next_deadline_on
    if due_on is None:
        return DeadlineView(None, label, None, "none", label or "Geen termijn")
    state, text = worklist.deadline_state(due_on, as_of)
    return DeadlineView(due_on, label, (due_on - as_of).days, state, text)


def mask_bsn(bsn: str) -> str:
    """Only the last three digits, enough to tell two people apart in a result list."""
    return f"eindigt op {bsn[-3:]}" if bsn else ""


# ---------------------------------------------------------------------------------------------------------------
# Search

_I = "\n" + " " * 16  # the rows' indentation in clients/search.html, so the page is the same as the loop it replaced


def search_rows_html(rows: list[dict[str, Any]]) -> SafeString:
    """The result rows of clients/search.html written here instead of a template loop (#18: the loop's variable
    lookups were most of the search's template time), character for character what the loop wrote
    (tests/clients/test_search_page.py compares them); every value escaped as the template escaped it."""
    out = []
    for row in rows:
        bsn = conditional_escape(row["bsn"]) if row["bsn"] else "Geen BSN"
        out.append(
            f'{_I}<tr class="utrecht-table__row">{_I}  <th class="utrecht-table__header-cell" scope="row">'
            f'{_I}    <a class="utrecht-link" href="{conditional_escape(row["url"])}">{conditional_escape(row["name"])}'
            f'</a>{_I}  </th>{_I}  <td class="utrecht-table__cell">{conditional_escape(row["birth_on"])}</td>'
            f'{_I}  <td class="utrecht-table__cell">{_I}    {_I}      {bsn}{_I}    {_I}  </td>'
            f'{_I}  <td class="utrecht-table__cell">{conditional_escape(row["status"])}</td>'
            f'{_I}  <td class="utrecht-table__cell">{conditional_escape(row["pk"])}</td>{_I}</tr>\n{" " * 14}'
        )
    return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped


@staff_view
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """GET shows the empty form (a `?q=` in the URL is ignored); the form POSTs and the results render in
    that response, so a BSN or name never ends up in a URL, the browser history or an access log."""
    actor = request_actor(request)
    require(actor, Capability.SEARCH_PERSONS)
    form = SearchForm(request.POST if request.method == "POST" else None)
    results: list[ClientFile] | None = None
    if form.is_bound and form.is_valid():
        try:
            with transaction.atomic():
                results = selectors.search_client_files(actor=actor, query=form.cleaned_data["q"])
                record_event(
                    actor=actor,
                    event_type="person_search_performed",
                    purpose=services.PURPOSE_CASEWORK,
                    changes={"result_count": len(results)},
                )
        except NotFound:
            raise
        except ApplicationError as error:
            form.add_error("q", error.message)
    rows = None
    if results is not None:  # finished strings: no URL tag or filter per row in the template (#18)
        detail_url = worklist.url_maker("clients:detail")
        # The status labels once per request, in the active language, as get_status_display() gives them: Django's
        # get_FOO_display rebuilds a hashable dict of the choices on every call (#18: most of the search's CPU).
        status_labels = {str(value): str(label) for value, label in FileStatus.choices}
        rows = [
            {
                "pk": f.pk, "url": detail_url(f.pk), "name": f.person.full_name, "bsn": mask_bsn(f.person.bsn),
                "birth_on": f"{f.person.birth_on:%d-%m-%Y}" if f.person.birth_on else "",
                "status": status_labels.get(f.status, f.status),
            }
            for f in results
        ]  # fmt: skip
    return render(
        request,
        "clients/search.html",
        {
            "form": form,
            "rows": rows,
            "rows_html": search_rows_html(rows) if rows else "",
            "limit": selectors.SEARCH_LIMIT,
        },
        status=200,
    )


# ---------------------------------------------------------------------------------------------------------------
# Caseload worklists

SORT_COLUMNS = (
    # (column key, label, ascending key, descending key or "")
    ("name", "Naam", "name", "-name"),
    ("status", "Status", "status", ""),
    ("deadline", "Volgende termijn", "deadline", "-deadline"),
    ("opened", "Aangemeld op", "opened", "-opened"),
)


def _query_without(query: QueryDict, *drop: str, **extra: str) -> str:
    params = [(key, value) for key, values in query.lists() if key not in drop for value in values if value != ""]
    params += [(key, value) for key, value in extra.items() if value]
    return urlencode(params)


def _sort_headers(query: QueryDict, current: str) -> dict[str, dict[str, str]]:
    headers: dict[str, dict[str, str]] = {}
    for key, label, ascending, descending in SORT_COLUMNS:
        if current == ascending:
            aria, next_key = "ascending", descending or ascending
        elif descending and current == descending:
            aria, next_key = "descending", ascending
        else:
            aria, next_key = "", ascending
        headers[key] = {
            "label": label,
            "aria_sort": aria,
            "icon": {"ascending": "▲", "descending": "▼"}.get(aria, "⇅"),
            "url": "?" + _query_without(query, "sort", "page", sort=next_key),
        }
    return headers


def _caseload(request: HttpRequest, *, scope: str) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.VIEW_TEAM_CASELOAD if scope == "team" else Capability.VIEW_OWN_CASELOAD)
    as_of = today()
    choices = None
    form: CaseloadFilterForm
    if scope == "team":
        choices = assignment.assignment_choices(actor)  # one query; read and rendered only after a change (#18)
        form = TeamCaseloadFilterForm(request.GET, choices=choices)
    else:
        form = CaseloadFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    ordering = data.get("sort") or "deadline"
    if ordering not in selectors.CASELOAD_ORDERINGS:
        ordering = "deadline"
    filters = selectors.CaseloadFilters(
        status=data.get("status", ""),
        doelgroep=data.get("doelgroep", ""),
        due=data.get("due", ""),
        assigned_to=data.get("assigned"),
        ordering=ordering,
        kind=data.get("kind", ""),
        low_attendance=data.get("signal") == LOW_ATTENDANCE,
    )
    with transaction.atomic():
        threshold = progress_selectors.threshold_percent(actor.gemeente_id)
        # One query for the rows with their stage, attendance and portal work; no count (#18: "Volgende" is shown
        # when a row more than the page exists). Its SQL is compiled once per shape of filters (worklist.py).
        page = worklist.worklist_page(
            actor=actor, scope=scope, filters=filters, number=worklist.page_number(request.GET.get("page")),
            size=CASELOAD_PAGE_SIZE, as_of=as_of, soon_days=settings.DEADLINE_SOON_DAYS, threshold=threshold,
        )  # fmt: skip
        record_event(
            actor=actor,
            event_type="caseload_viewed",
            purpose=services.PURPOSE_CASEWORK,
            changes={"scope": scope, "page": page.number, "result_count": len(page.rows)},
        )
    reassign_form = None
    if scope == "team" and actor.can(Capability.REASSIGN_CLIENT_FILES):
        reassign_form = ReassignForm(choices=choices)
    context = {
        "scope": scope,
        "form": form,
        "page": page,
        "rows": page.rows,
        "rows_html": worklist.rows_html(
            page.rows, selectable=reassign_form is not None, show_assigned=scope == "team", threshold=threshold
        ),
        "previous_url": "?" + _query_without(request.GET, "page", page=str(page.number - 1))
        if page.has_previous
        else "",
        "next_url": "?" + _query_without(request.GET, "page", page=str(page.number + 1)) if page.has_next else "",
        "headers": _sort_headers(request.GET, ordering),
        "current_query": request.GET.urlencode(),
        "reassign_form": reassign_form,
        "is_filtered": any(
            data.get(k) not in (None, "") for k in ("status", "doelgroep", "due", "kind", "signal", "assigned")
        ),
        "attendance_threshold": threshold,
    }
    return render(request, "clients/caseload.html", context)


@staff_view
@require_http_methods(["GET"])
def caseload(request: HttpRequest) -> HttpResponse:
    return _caseload(request, scope="mine")


@staff_view
@require_http_methods(["GET"])
def team_caseload(request: HttpRequest) -> HttpResponse:
    return _caseload(request, scope="team")


@staff_view
@require_http_methods(["GET"])
def vroege_start(request: HttpRequest) -> HttpResponse:
    """Vroege start (B 5.3 lid 1): asielstatushouders with a COA koppeling who still live in the AZC, with how far
    their intake and PIP are. Paged in the database; one audit event per page view."""
    actor = request_actor(request)
    if not (actor.can(Capability.VIEW_TEAM_CASELOAD) or actor.can(Capability.VIEW_OWN_CASELOAD)):
        raise NotFound()
    as_of = today()
    scope = "team" if actor.can(Capability.VIEW_TEAM_CASELOAD) else "mine"
    with transaction.atomic():
        queryset = selectors.vroege_start_for(actor=actor)
        page = Paginator(queryset, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
        summaries = summaries_for(list(page.object_list))
        rows = [{"file": f, "deadline": deadline_view(f, as_of), "summary": summaries[f.pk]} for f in page.object_list]
        record_event(
            actor=actor,
            event_type="caseload_viewed",
            purpose=services.PURPOSE_CASEWORK,
            subject_type="worklist",
            subject_id="vroege_start",
            changes={
                "list": "vroege_start", "scope": scope, "page": page.number, "result_count": page.paginator.count,
            },
        )  # fmt: skip
    return render(request, "clients/vroege_start.html", {"page": page, "rows": rows, "scope": scope})


@staff_view
@require_POST
def reassign(request: HttpRequest) -> HttpResponse:
    """Teamleider: give the selected files another klantregisseur (and team). All or nothing."""
    actor = request_actor(request)
    require(actor, Capability.REASSIGN_CLIENT_FILES)
    return_query = request.POST.get("return_query", "")
    target = reverse("clients:team-caseload") + (f"?{return_query}" if return_query else "")
    file_ids = [value for value in request.POST.getlist("selected") if value.isdigit()]
    form = ReassignForm(
        request.POST,
        caseworkers=selectors.caseworkers_for(actor),
        teams=selectors.teams_for(actor),
        file_ids=[int(pk) for pk in file_ids],
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(target)
    assigned_to = form.cleaned_data["assigned_to"]
    # No team chosen: the file goes to the team the new klantregisseur works in (as at aanmelding).
    team = form.cleaned_data["team"] or selectors.default_team_of(actor, assigned_to)
    try:
        with transaction.atomic():
            for pk in form.cleaned_data["selected"]:
                client_file = access_client_file(actor, pk, for_write=True, section=Section.BASIS)
                services.reassign_client_file(actor=actor, client_file=client_file, assigned_to=assigned_to, team=team)
    except NotFound:
        raise
    except ApplicationError as error:
        for messages_of_field in error.field_errors.values():
            for message in messages_of_field:
                messages.error(request, message)
        if not error.field_errors:
            messages.error(request, error.message)
        return HttpResponseRedirect(target)
    count = len(form.cleaned_data["selected"])
    who = assigned_to.display_name if assigned_to else "niemand (niet toegewezen)"
    noun = "dossier" if count == 1 else "dossiers"
    messages.success(request, f"{count} {noun} toegewezen aan {who}.")
    return HttpResponseRedirect(target)


# ---------------------------------------------------------------------------------------------------------------
# Client file (dossier)


class CountedPaginator(Paginator[Any]):
    """A paginator given the number of rows, read in another query the page runs anyway (#18), instead of its own
    COUNT."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def _section_facts(sections: frozenset[Section], as_of: date, readers: QuerySet[Any] | None) -> dict[str, Any]:
    """What the blocks of the visible sections show from single values, as subqueries on the file's row: the
    notes count (pagination), the latest toets and route (intake block), the zorg-en-netwerk counts, the hours of
    the attendance window (header), and the number of ``readers`` (the reader list, for who may see it). A section
    the actor may not see adds nothing, so nothing of it is read (#12)."""
    facts: dict[str, Any] = {}
    if Section.NOTITIES in sections:
        facts["note_count"] = sql.count_of(Note.objects.filter(client_file=OuterRef("pk")))
    if Section.INTAKE in sections:
        facts.update(intake_selectors.toets_and_route_annotations())
    if Section.BEGELEIDING in sections:
        facts.update(file_count_annotations())
    if Section.VOORTGANG in sections:
        facts.update(progress_selectors.attendance_annotations(as_of))
    if readers is not None:
        facts["reader_count"] = sql.count_of(readers)
    return facts


def render_file_page(
    request: HttpRequest,
    actor: Actor,
    client_file: ClientFile,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Records the read (file + household, and the reader list when shown) and renders the page in the caller's
    transaction, so a page is never shown without its audit event."""
    forms = forms or {}
    as_of = today()
    sections = visible_sections(actor, client_file)
    can_view_readers = actor.can(Capability.VIEW_FILE_AUDIT)
    # The file, its household and (for who may see it) the reader list: one insert (#18).
    services.record_file_page_read(actor=actor, client_file=client_file, sections=sections, readers=can_view_readers)
    can_change = section_access(actor, Section.BASIS) >= Access.WRITE

    members = list(household_members_of(client_file, include_ended=True))
    end_forms: dict[int, EndMemberForm] = forms.get("end_member_forms", {})
    end_url = worklist.url_maker("clients:households:end-member", "member_id", file_id=client_file.pk)
    member_rows = [
        {
            "member": member,
            "age": age_on(member.person.birth_on, as_of),
            "is_head": member.person_id == client_file.person_id,
            "end_url": end_url(member.pk),
            "end_form": end_forms.get(member.pk)
            or EndMemberForm(prefix=f"end-{member.pk}", initial={"ended_on": as_of}),
        }
        for member in members
    ]

    # The summary's one row also reads the counts and facts the visible sections' blocks show (#18).
    readers = (
        selectors.file_readers(actor=actor, client_file=client_file, reads_only=True) if can_view_readers else None
    )
    file_summary, facts = summary_and_facts_of(client_file, _section_facts(sections, as_of, readers))
    notes_page: Page[Any] | None = None
    if Section.NOTITIES in sections:
        notes_queryset = selectors.notes_of(client_file).annotate(
            is_corrected=Exists(Note.objects.filter(corrects=OuterRef("pk")))
        )
        notes_page = CountedPaginator(notes_queryset, NOTES_PAGE_SIZE, count=facts["note_count"]).get_page(
            request.GET.get("notities")
        )
    readers_page = None
    if readers is not None:
        readers_page = CountedPaginator(readers, READERS_PAGE_SIZE, count=facts["reader_count"]).get_page(
            request.GET.get("ingezien")
        )
    allowed = allowed_next_statuses(client_file.status)
    open_signals = (
        list(file_signals_for(client_file=client_file, open_only=True)) if actor.can(Capability.VIEW_SIGNALS) else []
    )
    # The attendance signal of the caseload (issue #6): the worklists' own subqueries, read in the summary's row
    # (#18), for who sees the voortgang (the header shows it only then).
    attendance = None
    if Section.VOORTGANG in sections:
        attendance = progress_selectors.rate_of(facts, progress_selectors.threshold_percent(actor.gemeente_id))
    show_all = request.GET.get("tijdlijn") == "alles"
    # One entry more than shown tells whether there is more ("Toon de hele tijdlijn").
    timeline = timeline_for(
        actor=actor, client_file=client_file, limit=None if show_all else TIMELINE_LIMIT + 1, sections=sections
    )
    context = {
        "sections": {str(section) for section in sections},
        "attendance": attendance,
        "file_summary": file_summary,
        "section_facts": facts,
        "open_signals": open_signals,
        "client_file": client_file,
        "person": client_file.person,
        "age": age_on(client_file.person.birth_on, as_of),
        "deadline": deadline_view(client_file, as_of),
        "member_rows": member_rows,
        "current_member_count": sum(1 for m in members if m.ended_on is None),
        "status_changes": list(selectors.status_history(client_file)),
        "timeline": timeline[:TIMELINE_LIMIT] if not show_all else timeline,
        "timeline_complete": show_all or len(timeline) <= TIMELINE_LIMIT,
        "notes_page": notes_page,
        "correction_errors": forms.get("correction_errors", {}),
        "correction_form": forms.get("correction_form"),
        "readers_page": readers_page,
        "read_labels": READ_EVENT_LABELS,
        "can_change": can_change,
        "note_form": forms.get("note_form") or NoteForm(),
        "status_form": forms.get("status_form") or StatusChangeForm(allowed=manual_next_statuses(client_file.status)),
        "allowed_statuses": allowed,
        "voldaan_possible": FileStatus.VOLDAAN in allowed,
        "member_form": forms.get("member_form")
        or AddMemberForm(prefix="member", initial={"started_on": as_of, "sex": "O"}),
        "open_form": forms.get("open_form", ""),
    }
    return render(request, "clients/detail.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def detail(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BASIS)
        return render_file_page(request, actor, client_file)
