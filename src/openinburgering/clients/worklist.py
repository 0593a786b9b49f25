"""The rows of the caseload worklists (Mijn caseload, Teamcaseload), read and shaped for the page (#18).

One query reads a page of rows as the values the page shows: the file's own columns, the person's name, the
klantregisseur and team, and as correlated subqueries the stage of the file (casefile.summary), the attendance in
the rate window (progress.selectors) and the portal work (mijn.selectors). It reads one row more than it shows, so
the page knows whether there is a next page without counting the worklist. Each row is then a dict of finished
strings, so the template only prints them: no includes, filters or URL tags per row (profiled: per-row template
work was most of the page's CPU).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from html import escape as html_escape
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import User
from openinburgering.accounts.roles import Capability
from openinburgering.casefile.summary import stage_annotations, stage_label_of
from openinburgering.core.errors import NotFound
from openinburgering.mijn import selectors as mijn_selectors
from openinburgering.progress import selectors as progress_selectors

from . import selectors
from .choices import Doelgroep, FileStatus
from .deadlines import DEADLINE_LABELS
from .models import ClientFile

MAX_PAGE = 10_000  # a page number beyond this is read as the first page (no unbounded OFFSET from a URL)
ROW_FIELDS = (
    "pk", "person_id", "status", "doelgroep", "next_deadline_on", "next_deadline_kind", "opened_on",
    "pip_dagtekening_on", "person__given_names", "person__surname_prefix", "person__surname", "assigned_to_id",
    "assigned_to__first_name", "assigned_to__last_name", "assigned_to__username", "team__name",
)  # fmt: skip
_PLACEHOLDER = 999_999_999
_STATUS_LABELS = {str(value): str(label) for value, label in FileStatus.choices}
_DOELGROEP_LABELS = {str(value): str(label) for value, label in Doelgroep.choices}
BADGE_CLASSES = {
    "overdue": "utrecht-badge-status--danger",
    "today": "utrecht-badge-status--warning",
    "week": "utrecht-badge-status--warning",
    "soon": "utrecht-badge-status--info",
}


@dataclass(frozen=True)
class WorklistPage:
    rows: list[dict[str, Any]]
    number: int
    has_previous: bool
    has_next: bool


def page_number(raw: str | None) -> int:
    """The page asked for in the URL: a whole number from 1 to MAX_PAGE, anything else is page 1."""
    if raw is None or not raw.isdigit():
        return 1
    number = int(raw)
    return number if 1 <= number <= MAX_PAGE else 1


def _days(count: int) -> str:
    return f"{count} dag" if count == 1 else f"{count} dagen"


def deadline_state(due_on: date | None, as_of: date) -> tuple[str, str]:
    """(state, text) of a next step due on ``due_on``: text first, the badge colour only repeats it."""
    if due_on is None:
        return "none", ""
    days_left = (due_on - as_of).days
    if days_left < 0:
        return "overdue", f"Te laat: {_days(-days_left)}"
    if days_left == 0:
        return "today", "Vandaag"
    if days_left < selectors.WEEK_DAYS:
        return "week", f"Deze week: nog {_days(days_left)}"
    if days_left <= settings.DEADLINE_SOON_DAYS:
        return "soon", f"Binnenkort: nog {_days(days_left)}"
    return "later", f"Nog {_days(days_left)}"


def _portal_text(work: mijn_selectors.PortalWork) -> str:
    parts = []
    if work.unread_messages:
        parts.append(f"{work.unread_messages} bericht{'en' if work.unread_messages != 1 else ''}")
    if work.open_requests:
        parts.append(f"{work.open_requests} verzoek{'en' if work.open_requests != 1 else ''}")
    if work.unseen_uploads:
        parts.append(f"{work.unseen_uploads} upload{'s' if work.unseen_uploads != 1 else ''}")
    return ", ".join(parts)


def url_maker(name: str, key: str = "file_id", **fixed: Any) -> Any:
    """``reverse(name, key=…, **fixed)`` for many rows: reversed once, the row's id put in by string replacement
    (#18: a ``{% url %}`` per row of a list cost more than the rest of the row)."""
    template = reverse(name, kwargs={**fixed, key: _PLACEHOLDER})
    return lambda pk: template.replace(str(_PLACEHOLDER), str(pk))


def _row_values(queryset: QuerySet[ClientFile], as_of: date) -> QuerySet[ClientFile, dict[str, Any]]:
    """The worklist ``queryset`` (caseload_for) as the values of its rows, unsliced."""
    rows: QuerySet[ClientFile, dict[str, Any]] = queryset.values(*ROW_FIELDS).annotate(
        **stage_annotations(),
        **progress_selectors.attendance_annotations(as_of),
        **mijn_selectors.portal_work_annotations(),
    )
    return rows


# --- The worklist's SQL, compiled once per shape (#18) ---------------------------------------------------------------
# Building and compiling the worklist's queryset was about a quarter of the caseload's CPU. The query is compiled
# once per shape (scope, which filters are set, their fixed choices, sort, SQL dialect) with stand-in values for
# everything a request brings: gemeente, user, chosen klantregisseur, status, doelgroep, threshold and every date.
# Each request swaps the stand-ins in the parameters for its own values; a stand-in it cannot account for means the
# shape is compiled per request as before (never a cached value). tests/clients/test_worklist_sql.py compares the
# SQL and parameters with the ORM's for every shape.

_SAME_GEMEENTE, _SAME_USER = -7_240_917_401, -7_240_917_402
_SAME_ASSIGNED, _SAME_THRESHOLD = -7_240_917_403, -7_240_917_404
_STAND_IN_INTS = range(-7_240_917_499, -7_240_917_399)
_SAME_STATUS, _SAME_DOELGROEP = "\x00oi-status\x00", "\x00oi-doelgroep\x00"
_SAME_AS_OF = date(1000, 1, 8)
_SAME_WITHIN = 3
_UNCACHED = object()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]


def _shape(scope: str, filters: selectors.CaseloadFilters, soon_days: int) -> tuple[Any, ...]:
    assigned = None if filters.assigned_to is None else (0 if filters.assigned_to == 0 else 1)
    return (
        scope, bool(filters.status), bool(filters.doelgroep), filters.due, assigned, filters.ordering, filters.kind,
        filters.overdue, filters.due_within_days is not None, filters.low_attendance, soon_days, connection.vendor,
    )  # fmt: skip


def _stand_ins(filters: selectors.CaseloadFilters) -> selectors.CaseloadFilters:
    return replace(
        filters,
        status=_SAME_STATUS if filters.status else "",
        doelgroep=_SAME_DOELGROEP if filters.doelgroep else "",
        assigned_to=filters.assigned_to if filters.assigned_to in (None, 0) else _SAME_ASSIGNED,
        due_within_days=None if filters.due_within_days is None else _SAME_WITHIN,
    )


def _dates(as_of: date, soon_days: int, within: int | None) -> list[date]:
    window = progress_selectors.rate_window(as_of)
    days = [as_of, as_of + timedelta(days=selectors.WEEK_DAYS), as_of + timedelta(days=soon_days)]
    if within is not None:
        days.append(as_of + timedelta(days=within))
    return [*days, window.starts_on, window.ends_on]


def _is_stand_in(param: Any) -> bool:
    if isinstance(param, bool):
        return False
    if isinstance(param, int):
        return param in _STAND_IN_INTS
    if isinstance(param, str):
        return "\x00" in param
    return isinstance(param, date) and param.year < 1500


class _StandInActor:
    """An actor of the stand-in gemeente and user who may see both worklists (only for compiling)."""

    gemeente_id = _SAME_GEMEENTE

    def __init__(self) -> None:
        self.user = User(pk=_SAME_USER)
        self.user._state.adding = False

    def can(self, capability: Any) -> bool:
        return True


@lru_cache(maxsize=256)
def _compiled(shape: tuple[Any, ...], filters: selectors.CaseloadFilters) -> Any:
    """The worklist of one shape compiled with stand-ins, or _UNCACHED when a parameter is a stand-in that a request
    cannot replace (then the shape is compiled per request)."""
    scope, soon_days, vendor = shape[0], shape[10], shape[11]
    if vendor != "postgresql":
        # SQLite (the demo database) gets dates as text at compile time ('1400-01-01'), which no longer look like
        # stand-ins: kept, they would ask every request for the year 1400 (the demo's "Te laat" list came out empty).
        return _UNCACHED
    stand_in_actor: Any = _StandInActor()
    queryset = _row_values(
        selectors.caseload_for(
            actor=stand_in_actor, scope=scope, filters=filters, as_of=_SAME_AS_OF, soon_days=soon_days,
            attendance_threshold=_SAME_THRESHOLD,
        ),
        _SAME_AS_OF,
    )  # fmt: skip
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    known = {_SAME_GEMEENTE, _SAME_USER, _SAME_ASSIGNED, _SAME_THRESHOLD, _SAME_STATUS, _SAME_DOELGROEP}
    known.update(_dates(_SAME_AS_OF, soon_days, _SAME_WITHIN if filters.due_within_days is not None else None))
    if any(_is_stand_in(param) and param not in known for param in params):
        return _UNCACHED
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    query = queryset.query
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    converters = tuple(
        (pos, tuple(convs), expression) for pos, (convs, expression) in compiler.get_converters(fields).items()
    )
    return _Compiled(sql, tuple(params), names, converters)


def worklist_values(
    *,
    actor: Actor,
    scope: str,
    filters: selectors.CaseloadFilters,
    as_of: date,
    soon_days: int,
    threshold: int,
    offset: int,
    limit: int,
) -> list[dict[str, Any]]:
    """The rows ``offset`` to ``offset + limit`` of the worklist ``selectors.caseload_for`` gives for these arguments,
    as the values of ``_row_values``, in one query; SQL compiled once per shape (see above)."""
    if not actor.can(Capability.VIEW_TEAM_CASELOAD if scope == "team" else Capability.VIEW_OWN_CASELOAD):
        raise NotFound()
    cached = cached_sql(
        actor=actor, scope=scope, filters=filters, as_of=as_of, soon_days=soon_days, threshold=threshold
    )
    if cached is None:
        queryset = selectors.caseload_for(
            actor=actor, scope=scope, filters=filters, as_of=as_of, soon_days=soon_days, attendance_threshold=threshold
        )
        return list(_row_values(queryset, as_of)[offset : offset + limit])
    compiled, params = cached
    with connection.cursor() as cursor:
        cursor.execute(f"{compiled.sql} LIMIT %s OFFSET %s", [*params, limit, offset])
        rows = cursor.fetchall()
    names, converters = compiled.names, compiled.converters
    values = []
    for row in rows:
        if converters:  # as the ORM's compiler.apply_converters (SQLite's dates and decimals)
            row = list(row)
            for pos, convs, expression in converters:
                for convert in convs:
                    row[pos] = convert(row[pos], expression, connection)
        values.append(dict(zip(names, row, strict=True)))
    return values


def cached_sql(
    *, actor: Actor, scope: str, filters: selectors.CaseloadFilters, as_of: date, soon_days: int, threshold: int
) -> tuple[_Compiled, list[Any]] | None:
    """The compiled SQL of this worklist's shape and this request's parameters for it; None when the shape cannot
    be kept (then the caller compiles the queryset itself)."""
    compiled = _compiled(_shape(scope, filters, soon_days), _stand_ins(filters))
    swap = _swaps(actor, filters, as_of, soon_days, threshold)
    if compiled is _UNCACHED or swap is None:
        return None
    return compiled, [swap.get(param, param) if _is_stand_in(param) else param for param in compiled.params]


def _swaps(
    actor: Actor, filters: selectors.CaseloadFilters, as_of: date, soon_days: int, threshold: int
) -> dict[Any, Any] | None:
    """Each stand-in with this request's value; None when two stand-ins that are equal would need different values."""
    within = filters.due_within_days
    pairs = [
        (_SAME_GEMEENTE, actor.gemeente_id), (_SAME_USER, actor.user.pk), (_SAME_ASSIGNED, filters.assigned_to),
        (_SAME_THRESHOLD, threshold), (_SAME_STATUS, filters.status), (_SAME_DOELGROEP, filters.doelgroep),
        *zip(
            _dates(_SAME_AS_OF, soon_days, None if within is None else _SAME_WITHIN),
            _dates(as_of, soon_days, within),
            strict=True,
        ),
    ]  # fmt: skip
    swap: dict[Any, Any] = {}
    for stand_in, value in pairs:
        if swap.setdefault(stand_in, value) != value:
            return None
    return swap


def worklist_page(
    *,
    actor: Actor,
    scope: str,
    filters: selectors.CaseloadFilters,
    number: int,
    size: int,
    as_of: date,
    soon_days: int,
    threshold: int,
) -> WorklistPage:
    """Page ``number`` of the worklist (selectors.caseload_for) in one query, as finished rows."""
    values = worklist_values(
        actor=actor,
        scope=scope,
        filters=filters,
        as_of=as_of,
        soon_days=soon_days,
        threshold=threshold,
        offset=(number - 1) * size,
        limit=size + 1,
    )
    detail_url, progress_url = url_maker("clients:detail"), url_maker("progress:index")
    portal_url = url_maker("mijn-staff:index")
    labels: dict[str, str] = {}  # each step's label read once per page, in the active language
    rows = []
    for value in values[:size]:
        pk = value["pk"]
        name = " ".join(
            part for part in (value["person__given_names"], value["person__surname_prefix"], value["person__surname"])
            if part
        )  # fmt: skip
        due_on = value["next_deadline_on"]
        kind = value["next_deadline_kind"]
        label = labels.get(kind)
        if label is None:
            label = labels[kind] = str(DEADLINE_LABELS.get(kind, ""))
        state, text = deadline_state(due_on, as_of)
        rate = progress_selectors.rate_of(value, threshold)
        work = mijn_selectors.portal_work_of(value)
        assigned = ""
        if value["assigned_to_id"]:
            full = f"{value['assigned_to__first_name']} {value['assigned_to__last_name']}".strip()
            assigned = full or value["assigned_to__username"]
        rows.append(
            {
                "pk": pk,
                "name": name,
                "url": detail_url(pk),
                "status": _STATUS_LABELS.get(value["status"], value["status"]),
                "stage": stage_label_of(value),
                "doelgroep": _DOELGROEP_LABELS.get(value["doelgroep"] or "", "") or "Onbekend",
                "assigned": assigned,
                "team": value["team__name"] or "",
                "deadline_label": label,
                "due_on": f"{due_on:%d-%m-%Y}" if due_on else "",
                "is_overdue": state == "overdue",
                "badge_class": BADGE_CLASSES.get(state, "utrecht-badge-status--neutral"),
                "badge_text": text,
                "low_percent": rate.percent if rate is not None and rate.is_low else None,
                "progress_url": progress_url(pk),
                "portal_text": _portal_text(work) if work else "",
                "portal_url": portal_url(pk),
                "opened_on": f"{value['opened_on']:%d-%m-%Y}" if value["opened_on"] else "",
            }
        )
    return WorklistPage(rows=rows, number=number, has_previous=number > 1, has_next=len(values) > size)


def _escape(value: Any) -> str:
    """What django.utils.html.escape writes (``html.escape`` of the text), without its lazy-string wrapper and
    SafeString: ~300 values per page (#18)."""
    return html_escape(str(value))


def rows_html(rows: list[dict[str, Any]], *, selectable: bool, show_assigned: bool, threshold: int) -> SafeString:
    """The table body's rows as HTML, written here rather than in the template (#18: the template's per-row variable
    lookups and tags were most of the caseload's CPU; this is the same markup, tests/clients/test_caseload_*.py read
    it). Every value is escaped here; ``selectable`` adds the reassign checkbox, ``show_assigned`` the
    klantregisseur column (team caseload)."""
    out = []
    for row in rows:
        name = _escape(row["name"])
        pk = int(row["pk"])
        parts = [f'<tr class="utrecht-table__row{" app-caseload-row--overdue" if row["is_overdue"] else ""}">']
        if selectable:
            parts.append(
                '<td class="utrecht-table__cell"><input class="utrecht-checkbox utrecht-checkbox--html-input" '
                f'type="checkbox" name="selected" value="{pk}" id="file-{pk}" '
                f'aria-label="Kies dossier van {name}"></td>'
            )
        parts.append(
            f'<th class="utrecht-table__header-cell" scope="row"><a class="utrecht-link" href="{_escape(row["url"])}">'
            f"{name}</a>"
        )
        if row["portal_text"]:
            parts.append(
                f'<br><a class="utrecht-link app-badge-link" href="{_escape(row["portal_url"])}" '
                f'data-portal-work="{pk}"><span class="utrecht-badge-status utrecht-badge-status--warning">Portaal: '
                f'{_escape(row["portal_text"])}</span><span class="app-visually-hidden">(naar de berichten, verzoeken '
                "en uploads van het portaal)</span></a>"
            )
        parts.append(
            f'</th><td class="utrecht-table__cell">{_escape(row["status"])}<br><span class="app-muted">'
            f'{_escape(row["stage"])}</span></td><td class="utrecht-table__cell">{_escape(row["doelgroep"])}</td>'
        )
        if show_assigned:
            team = f'<br><span class="app-muted">{_escape(row["team"])}</span>' if row["team"] else ""
            parts.append(
                f'<td class="utrecht-table__cell">{_escape(row["assigned"]) if row["assigned"] else "Niet toegewezen"}'
                f"{team}</td>"
            )
        if row["due_on"]:
            deadline = f"{_escape(row['deadline_label'])}<br>{_escape(row['due_on'])}"
            warning = '<span aria-hidden="true">⚠ </span>' if row["is_overdue"] else ""
            badge = (
                f'<span class="utrecht-badge-status {_escape(row["badge_class"])}">{warning}'
                f"{_escape(row['badge_text'])}</span>"
            )
        else:
            deadline = _escape(row["deadline_label"]) if row["deadline_label"] else "Geen termijn"
            badge = "—"
        parts.append(f'<td class="utrecht-table__cell">{deadline}</td><td class="utrecht-table__cell">{badge}</td>')
        if row["low_percent"] is not None:
            attendance = (
                f'<a class="utrecht-link app-badge-link" href="{_escape(row["progress_url"])}"><span '
                f'class="utrecht-badge-status utrecht-badge-status--warning">Lage aanwezigheid: '
                f'{int(row["low_percent"])} %</span><span class="app-visually-hidden">(laatste 4 weken, drempel '
                f"{int(threshold)} %; naar de voortgang)</span></a>"
            )
        else:
            attendance = "—"
        parts.append(
            f'<td class="utrecht-table__cell">{attendance}</td><td class="utrecht-table__cell">'
            f"{_escape(row['opened_on'])}</td></tr>"
        )
        out.append("".join(parts))
    return mark_safe("\n".join(out))  # noqa: S308 -- every value above is escaped
