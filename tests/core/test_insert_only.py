"""Every insert-only table refuses UPDATE and DELETE in PostgreSQL itself, not only through the model
(#12 item 9: clients_note and clients_statuschange had no trigger, and QuerySet.update() changed them).
Generated over every model that subclasses InsertOnlyModel, so a new one without its trigger fails here."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from openinburgering.clients.models import InsertOnlyModel

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers exist on PostgreSQL only; CI requires it"),
]

INSERT_ONLY_MODELS = sorted(
    (model for model in apps.get_models() if issubclass(model, InsertOnlyModel)), key=lambda m: m._meta.label
)


def test_the_insert_only_models_are_found():
    labels = [model._meta.label for model in INSERT_ONLY_MODELS]
    assert {"clients.Note", "clients.StatusChange", "letters.Letter", "plans.PipEvent"} <= set(labels)
    assert len(labels) == len(set(labels))


def _value(field: models.Field[Any, Any], position: int) -> Any:
    if field.blank and isinstance(field, models.CharField | models.TextField):
        return ""
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):  # later fields later: e.g. an end after its start
        return datetime.date(2025, 1, 6) + datetime.timedelta(days=position)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.UUIDField):
        return "00000000-0000-4000-8000-000000000001"
    if isinstance(field, models.BinaryField):
        return b"x"
    if isinstance(field, models.CharField | models.TextField):
        return "x"
    raise AssertionError(f"no example value for {field!r}")  # pragma: no cover -- add a branch for a new type


def _insert_a_row(model: type[models.Model]) -> int:
    """One row with example values. Foreign keys point at ids 1, 2, 3, … (different, for four-eyes checks):
    Django's foreign keys on PostgreSQL are checked at commit, and the test rolls the row back first."""
    values: dict[str, Any] = {}
    for position, field in enumerate(model._meta.concrete_fields):
        if field.primary_key or field.has_default() or getattr(field, "auto_now_add", False):
            continue
        # Nullable fields get a value too: check constraints such as "applied needs a date" or "matched needs a
        # payment" hold for a filled row.
        if isinstance(field, models.ForeignKey):
            values[field.attname] = len(values) + 1
        else:
            values[field.attname] = _value(field, position)
    for field in model._meta.concrete_fields:  # defaults and auto_now_add, as the model would fill them
        if not field.primary_key and field.attname not in values:
            if getattr(field, "auto_now_add", False):
                values[field.attname] = timezone.now()
            elif field.has_default():
                values[field.attname] = field.get_default()
    fields = [model._meta.get_field(name) for name in values]
    columns = ", ".join(f'"{field.column}"' for field in fields)
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{model._meta.db_table}" ({columns}) VALUES ({placeholders}) RETURNING id',
            [field.get_db_prep_save(value, connection) for field, value in zip(fields, values.values(), strict=True)],
        )
        return int(cursor.fetchone()[0])


@pytest.mark.parametrize("model", INSERT_ONLY_MODELS, ids=[m._meta.label for m in INSERT_ONLY_MODELS])
def test_postgresql_refuses_update_and_delete(model):
    with transaction.atomic():  # rolled back below: the dangling foreign keys are never checked
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        pk = _insert_a_row(model)
        rows = model.objects.filter(pk=pk)
        with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic():
            rows.update(**{model._meta.pk.attname: pk})
        with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic():
            rows._raw_delete(rows.db)
        assert rows.count() == 1
        transaction.set_rollback(True)
