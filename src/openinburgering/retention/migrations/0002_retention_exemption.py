"""Insert-only in the database, with one exemption for the retention job (issue #12 item 5, ADR 0007).

1. ``oi_insert_only()`` — the trigger function of every insert-only table (plans 0002: PIP events, letters,
   status history, notes, route advice, consents, handhaving, providers, progress, followup, and the tables
   here) — now lets an UPDATE or DELETE through when the transaction set ``openinburgering.retention`` to
   ``on``. Only ``retention.destruction.exempt_insert_only()`` sets it, with ``set_config(..., true)`` (LOCAL:
   it cannot outlive the transaction) inside the transaction that destroys one file, and switches it off
   again. Every other UPDATE or DELETE is refused as before. The audit log has its own trigger functions
   (audit 0002/0004), which are not changed: the retention job never edits or deletes audit events.
   The function lives in plans 0002; it is replaced here, in the app that needs the exemption, so the plans
   app's migrations stay as they are.
2. Legal holds, their releases and destruction records are insert-only (the same trigger).
3. Existing databases get the manage_legal_holds capability on the functioneel beheerder role.
"""

from django.db import migrations

from openinburgering.core.db import insert_only_triggers

WITH_EXEMPTION = """
CREATE OR REPLACE FUNCTION oi_insert_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('openinburgering.retention', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is insert-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

WITHOUT_EXEMPTION = """
CREATE OR REPLACE FUNCTION oi_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is insert-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def exemption(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITH_EXEMPTION, params=None)


def no_exemption(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITHOUT_EXEMPTION, params=None)


def roles(apps, schema_editor):
    from openinburgering.accounts.reference_data import load_roles

    load_roles(apps.get_model("accounts", "Role"))


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]
    operations = [
        migrations.RunPython(exemption, no_exemption),
        insert_only_triggers("retention_legalhold", "retention_legalholdrelease", "retention_destructionrecord"),
        migrations.RunPython(roles, migrations.RunPython.noop),
    ]
