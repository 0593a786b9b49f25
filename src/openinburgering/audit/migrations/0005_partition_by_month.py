"""Partition the audit table by month on PostgreSQL (#18 item 6; ADR 0010, docs/audit.md "Partitions").

PostgreSQL: ``audit_auditevent`` becomes ``PARTITION BY RANGE (occurred_at)`` with one partition per calendar month
in UTC (``audit_auditevent_y2026m12``) and a DEFAULT partition (``audit_auditevent_default``) so that an insert
never fails for want of a month. The primary key becomes ``(id, occurred_at)`` (PostgreSQL requires the partition
key in every unique constraint); Django keeps seeing ``id`` as the primary key. The indexes (``audit_client_recent``
for "wie heeft dit dossier ingezien" and the others) are created on the parent under their old names, so every
partition, also one created later, has them. The insert-only trigger and the seal trigger of the hash chain are
created on the parent; PostgreSQL clones them to every partition. ``AuditSeal.event`` loses its database foreign
key (a key to a partitioned table must include ``occurred_at``, and it would stop a month from being detached).

The conversion copies every row inside this migration's transaction (the old table is locked meanwhile: on a
large table run it in a maintenance window) and compares the counts before the old table is dropped. The ids,
contents, hashes and seals do not change, so the hash chain verifies exactly as before.

``audit_ensure_partitions(first_month, last_month)`` creates the missing months (idempotent). It is SECURITY
DEFINER, so the daily job (`audit.tasks`) may call it as an application role that does not own the table. When
rows for a month are already in the DEFAULT partition (the job did not run for a while), it moves them into the
new month's partition in the same transaction.

SQLite (the demo) is unchanged: no partitioning, the seal table keeps its foreign key there."""

import re

from django.db import migrations, models

ENSURE_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_ensure_partitions(first_month date, last_month date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    month date := date_trunc('month', first_month)::date;
    lower_bound timestamptz;
    upper_bound timestamptz;
    partition_name text;
    created integer := 0;
BEGIN
    IF to_regclass('audit_auditevent_default') IS NULL THEN
        CREATE TABLE audit_auditevent_default PARTITION OF audit_auditevent DEFAULT;
    END IF;
    WHILE month <= last_month LOOP
        partition_name := format('audit_auditevent_y%sm%s', to_char(month, 'YYYY'), to_char(month, 'MM'));
        lower_bound := month::timestamp AT TIME ZONE 'UTC';
        upper_bound := (month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        IF to_regclass(partition_name) IS NULL THEN
            IF EXISTS (SELECT 1 FROM audit_auditevent_default
                       WHERE occurred_at >= lower_bound AND occurred_at < upper_bound) THEN
                -- Rows of this month landed in the DEFAULT partition: move them into the month's own partition.
                -- Detached, the default partition has no cloned triggers, so the moved rows leave it without
                -- tripping the insert-only trigger, and the new table is filled before it is attached, so the
                -- seal trigger does not seal them a second time.
                ALTER TABLE audit_auditevent DETACH PARTITION audit_auditevent_default;
                EXECUTE format('CREATE TABLE %I (LIKE audit_auditevent INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                               partition_name);
                EXECUTE format('INSERT INTO %I SELECT * FROM audit_auditevent_default '
                               'WHERE occurred_at >= $1 AND occurred_at < $2', partition_name)
                    USING lower_bound, upper_bound;
                DELETE FROM audit_auditevent_default WHERE occurred_at >= lower_bound AND occurred_at < upper_bound;
                EXECUTE format('ALTER TABLE audit_auditevent ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                               partition_name, lower_bound, upper_bound);
                ALTER TABLE audit_auditevent ATTACH PARTITION audit_auditevent_default DEFAULT;
            ELSE
                EXECUTE format('CREATE TABLE %I PARTITION OF audit_auditevent FOR VALUES FROM (%L) TO (%L)',
                               partition_name, lower_bound, upper_bound);
            END IF;
            created := created + 1;
        END IF;
        month := (month + interval '1 month')::date;
    END LOOP;
    RETURN created;
END;
$$;
"""

TRIGGERS = """
CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_insert_only();
CREATE CONSTRAINT TRIGGER audit_event_seal AFTER INSERT ON audit_auditevent
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_event_seal();
"""

ARCHIVE_INSERT_ONLY = """
CREATE OR REPLACE FUNCTION audit_archive_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditarchive is insert-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_archive_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditarchive
    FOR EACH ROW EXECUTE FUNCTION audit_archive_insert_only();
"""
ARCHIVE_INSERT_ONLY_BACKWARD = """
DROP TRIGGER IF EXISTS audit_archive_no_update_delete ON audit_auditarchive;
DROP FUNCTION IF EXISTS audit_archive_insert_only();
"""

OLD = "audit_auditevent_unpartitioned"


def _fetch(cursor, sql, params=None):
    cursor.execute(sql, params)
    return cursor.fetchall()


def _rebuild(schema_editor, *, partitioned: bool) -> None:
    """Rebuild ``audit_auditevent`` as a partitioned table (forward) or a plain one (backward), copying every row
    and keeping the names of its indexes and foreign keys."""
    with schema_editor.connection.cursor() as cursor:
        schema = _fetch(cursor, "SELECT current_schema()")[0][0]
        cursor.execute(f"ALTER TABLE audit_auditevent RENAME TO {OLD}")
        cursor.execute(f"DROP TRIGGER IF EXISTS audit_event_no_update_delete ON {OLD}")
        cursor.execute(f"DROP TRIGGER IF EXISTS audit_event_seal ON {OLD}")
        indexes = _fetch(
            cursor,
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = %s AND i.tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p')",
            [schema, OLD],
        )
        foreign_keys = _fetch(
            cursor,
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'f' ORDER BY conname",
            [OLD],
        )
        seal_keys = _fetch(
            cursor,
            "SELECT conname FROM pg_constraint WHERE conrelid = 'audit_auditseal'::regclass AND contype = 'f' "
            "AND confrelid = %s::regclass",
            [OLD],
        )
        for (name,) in seal_keys:
            cursor.execute(f'ALTER TABLE audit_auditseal DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        pkey = _fetch(cursor, "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'", [OLD])
        cursor.execute(f'ALTER TABLE {OLD} RENAME CONSTRAINT "{pkey[0][0]}" TO {OLD}_pkey')
        # The id sequence continues where the old one stood (also past ids of rolled-back inserts).
        next_id = _fetch(
            cursor,
            f"SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM {OLD}), "  # noqa: S608 -- fixed table name
            f"(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
            f"FROM {_sequence_of(cursor, OLD)})) + 1",
        )[0][0]
        cursor.execute(f"ALTER TABLE {OLD} ALTER COLUMN id DROP IDENTITY IF EXISTS")
        cursor.execute(f"ALTER TABLE {OLD} ALTER COLUMN id DROP DEFAULT")

        suffix = " PARTITION BY RANGE (occurred_at)" if partitioned else ""
        cursor.execute(f"CREATE TABLE audit_auditevent (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS){suffix}")
        key = "(id, occurred_at)" if partitioned else "(id)"
        cursor.execute(f"ALTER TABLE audit_auditevent ADD CONSTRAINT audit_auditevent_pkey PRIMARY KEY {key}")
        cursor.execute(
            f"ALTER TABLE audit_auditevent ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {int(next_id)})"
        )
        if partitioned:
            cursor.execute(ENSURE_FUNCTION.format(schema=schema))
            # Every month that holds rows, up to three months ahead (the daily job keeps that lead).
            cursor.execute(
                f"SELECT audit_ensure_partitions(LEAST((SELECT MIN(occurred_at) AT TIME ZONE 'UTC' FROM {OLD})::date, "  # noqa: S608 -- fixed table name
                "(now() AT TIME ZONE 'UTC')::date), ((now() AT TIME ZONE 'UTC') + interval '3 months')::date)"
            )
        cursor.execute(f"INSERT INTO audit_auditevent SELECT * FROM {OLD}")  # noqa: S608 -- fixed table name
        old_count = _fetch(cursor, f"SELECT count(*) FROM {OLD}")[0][0]  # noqa: S608 -- fixed table name
        new_count = _fetch(cursor, "SELECT count(*) FROM audit_auditevent")[0][0]
        if old_count != new_count:  # pragma: no cover -- a safety net; INSERT … SELECT copies every row
            raise RuntimeError(f"audit table conversion copied {new_count} of {old_count} rows; rolled back")
        table_pattern = re.compile(rf"\bON (ONLY )?({re.escape(schema)}\.)?{OLD}\b")
        for _name, definition in indexes:
            cursor.execute(table_pattern.sub("ON audit_auditevent", definition, count=1))
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE audit_auditevent ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(TRIGGERS)
        if not partitioned:
            cursor.execute(
                "ALTER TABLE audit_auditseal ADD CONSTRAINT audit_auditseal_event_id_fk_audit_auditevent_id "
                "FOREIGN KEY (event_id) REFERENCES audit_auditevent (id) DEFERRABLE INITIALLY DEFERRED"
            )
        cursor.execute(f"DROP TABLE {OLD}")


def _sequence_of(cursor, table: str) -> str:
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    return cursor.fetchone()[0]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _rebuild(schema_editor, partitioned=True)
    schema_editor.execute(ARCHIVE_INSERT_ONLY, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ARCHIVE_INSERT_ONLY_BACKWARD, params=None)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
            "AND c.relkind = 'r' AND NOT c.relispartition AND c.relname ~ '^audit_auditevent_y[0-9]{4}m[0-9]{2}$'"
        )
        if cursor.fetchall():
            raise RuntimeError("Detached audit partitions exist: archive them (archive_audit) before going back.")
    _rebuild(schema_editor, partitioned=False)
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_ensure_partitions(date, date)", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_audit_chain_triggers")]

    operations = [
        migrations.CreateModel(
            name="AuditArchive",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("partition", models.CharField(max_length=63, unique=True)),
                ("range_start", models.DateTimeField()),
                ("range_end", models.DateTimeField()),
                ("event_count", models.PositiveBigIntegerField()),
                ("first_event_id", models.BigIntegerField(null=True)),
                ("last_event_id", models.BigIntegerField(null=True)),
                (
                    "folder",
                    models.CharField(help_text="Where the export was written (on the archiving machine).", max_length=500),
                ),
                ("manifest_sha256", models.CharField(max_length=64)),
                ("archived_at", models.DateTimeField()),
                ("database_user", models.CharField(max_length=63)),
            ],
            options={"verbose_name": "gearchiveerde auditmaand", "ordering": ["range_start"]},
        ),
        # The state loses the database constraint; the RunPython below drops it on PostgreSQL. SQLite keeps its
        # table (and its triggers) as they are: rebuilding the seal table there would drop its insert-only trigger.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditseal",
                    name="event",
                    field=models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="seal",
                        to="audit.auditevent",
                    ),
                ),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
