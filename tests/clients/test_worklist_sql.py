"""The worklists' SQL is compiled once per shape of filters with stand-ins, and each request puts its own values in
(#18, clients.worklist). For every shape the SQL and the parameters must be exactly what the ORM compiles for the
request itself, and two users, gemeenten, filters and days must each get their own rows."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.db import connection

from openinburgering.clients import selectors, worklist
from openinburgering.clients.deadlines import KIND_GROUPS
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from tests.conftest import ZANDVOORT

pytestmark = pytest.mark.django_db

SHAPES = [
    {},
    {"status": "intake"},
    {"doelgroep": "gezinsmigrant"},
    {"status": "pip", "doelgroep": "asielstatushouder", "ordering": "-name"},
    {"due": "overdue"},
    {"due": "week", "ordering": "status"},
    {"due": "soon", "kind": "pip_due"},
    {"kind": next(iter(KIND_GROUPS))},
    {"kind": "onbekend"},
    {"overdue": True, "ordering": "-deadline"},
    {"due_within_days": 9},
    {"due_within_days": 30, "due": "week"},
    {"low_attendance": True},
    {"low_attendance": True, "due": "overdue", "status": "in_traject", "ordering": "opened"},
    {"ordering": "-opened"},
    {"ordering": "name"},
]


def orm_sql(actor, scope, filters, as_of, soon_days, threshold):
    queryset = selectors.caseload_for(
        actor=actor, scope=scope, filters=filters, as_of=as_of, soon_days=soon_days, attendance_threshold=threshold
    )
    sql, params = worklist._row_values(queryset, as_of).query.get_compiler(using="default").as_sql()
    return sql, list(params)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_kept_sql_and_parameters_are_those_the_orm_compiles(actor, shape):
    tamara, kim, zeynep = actor("tamara"), actor("kim"), actor("zeynep", ZANDVOORT)
    days = [date(2026, 12, 7), date(2026, 12, 10), date(2027, 2, 28), date(2028, 2, 29)]  # Monday, Thursday, ...
    cases = [
        (tamara, "team", {"assigned_to": None}),
        (tamara, "team", {"assigned_to": 0}),
        (tamara, "team", {"assigned_to": kim.user.pk}),
        (tamara, "team", {"assigned_to": tamara.user.pk}),
        (kim, "mine", {}),
        (zeynep, "mine", {}),
    ]
    for (who, scope, extra), as_of, (soon, threshold) in itertools.product(cases, days, [(14, 80), (7, 65)]):
        filters = selectors.CaseloadFilters(**{**shape, **extra})
        if who is zeynep and filters.status:
            filters = selectors.CaseloadFilters(**{**shape, "status": "voldaan"})
        cached = worklist.cached_sql(
            actor=who, scope=scope, filters=filters, as_of=as_of, soon_days=soon, threshold=threshold
        )
        assert cached is not None, (shape, scope, extra)
        compiled, params = cached
        assert (compiled.sql, params) == orm_sql(who, scope, filters, as_of, soon, threshold), (shape, extra, as_of)


def test_a_stand_in_nobody_can_replace_is_never_kept(actor):
    """soon_days equal to the stand-in day count of due_within_days: two values for one stand-in, so no cache."""
    kim = actor("kim")
    filters = selectors.CaseloadFilters(due_within_days=5, due="soon")
    assert (
        worklist.cached_sql(actor=kim, scope="mine", filters=filters, as_of=today(), soon_days=3, threshold=80) is None
    )
    rows = worklist.worklist_values(
        actor=kim, scope="mine", filters=filters, as_of=today(), soon_days=3, threshold=80, offset=0, limit=26
    )
    assert rows == []


def values_of(who, scope, filters, as_of, offset=0, limit=26):
    return worklist.worklist_values(
        actor=who, scope=scope, filters=filters, as_of=as_of, soon_days=14, threshold=80, offset=offset, limit=limit
    )


def test_users_gemeenten_filters_and_days_each_get_their_own_rows(actor, make_file):
    kims = [make_file(assigned_to="kim", person={"surname": f"Kim{i}"}) for i in range(3)]
    tamaras = [make_file(assigned_to="tamara", person={"surname": "Tamara"})]
    elders = [make_file(ZANDVOORT, assigned_to="zeynep", person={"surname": "Zandvoort"})]
    ClientFile.objects.filter(pk=kims[0].pk).update(status="intake", next_deadline_on=today() - timedelta(days=1))
    ClientFile.objects.filter(pk=kims[1].pk).update(next_deadline_on=today() + timedelta(days=3))
    ClientFile.objects.filter(pk=kims[2].pk).update(next_deadline_on=today() + timedelta(days=30))
    kim, tamara, zeynep = actor("kim"), actor("tamara"), actor("zeynep", ZANDVOORT)
    none = selectors.CaseloadFilters()

    def pks(rows):
        return {row["pk"] for row in rows}

    assert pks(values_of(kim, "mine", none, today())) == {f.pk for f in kims}
    assert pks(values_of(tamara, "mine", none, today())) == {f.pk for f in tamaras}
    assert pks(values_of(zeynep, "mine", none, today())) == {f.pk for f in elders}
    everyone = pks(values_of(tamara, "team", none, today()))
    assert {f.pk for f in kims + tamaras} <= everyone
    assert not everyone & {f.pk for f in elders}
    only_kim = selectors.CaseloadFilters(assigned_to=kim.user.pk)
    assert pks(values_of(tamara, "team", only_kim, today())) == {f.pk for f in kims}
    assert pks(values_of(kim, "mine", selectors.CaseloadFilters(status="intake"), today())) == {kims[0].pk}
    assert pks(values_of(kim, "mine", selectors.CaseloadFilters(status="aangemeld"), today())) == {
        kims[1].pk, kims[2].pk
    }  # fmt: skip
    overdue = selectors.CaseloadFilters(due="overdue")
    assert pks(values_of(kim, "mine", overdue, today())) == {kims[0].pk}
    assert pks(values_of(kim, "mine", overdue, today() + timedelta(days=5))) == {kims[0].pk, kims[1].pk}
    assert len(values_of(kim, "mine", none, today(), offset=1, limit=1)) == 1


def test_the_rows_are_those_of_the_orm(actor, make_file):
    for i in range(4):
        make_file(assigned_to="kim", person={"surname": f"Rij{i}"})
    tamara = actor("tamara")
    for filters in (selectors.CaseloadFilters(), selectors.CaseloadFilters(ordering="-name", status="aangemeld")):
        queryset = selectors.caseload_for(
            actor=tamara, scope="team", filters=filters, as_of=today(), soon_days=14, attendance_threshold=80
        )
        expected = list(worklist._row_values(queryset, today())[1:4])
        assert values_of(tamara, "team", filters, today(), offset=1, limit=3) == expected


def test_only_postgresql_keeps_the_sql(actor, monkeypatch):
    """SQLite (the demo database of `make run`) receives dates as text when the query is compiled, so the stand-in
    days cannot be told from real ones: kept, the demo's "Te laat" list asked for the year 1400 and came out empty.
    On any database but PostgreSQL every request compiles its own worklist."""
    kim = actor("kim")
    filters = selectors.CaseloadFilters(due="overdue")
    kept = worklist.cached_sql(actor=kim, scope="mine", filters=filters, as_of=today(), soon_days=14, threshold=80)
    assert kept is not None  # PostgreSQL, as CI runs
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert (
        worklist.cached_sql(actor=kim, scope="mine", filters=filters, as_of=today(), soon_days=14, threshold=80) is None
    )
