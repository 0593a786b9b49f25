"""The database seals every audit event into the hash chain of its gemeente (audit.chain, #12 item 7).

PostgreSQL: a deferred constraint trigger runs when the inserting transaction commits, takes a per-chain advisory
lock (so the chain follows the commit order) and inserts the seal. SQLite (the demo): a plain AFTER INSERT trigger
(its transactions are serialised anyway) with ``oi_sha256``, a function every connection registers (audit.apps).
Seals are insert-only like the events. Existing events get their content hash and seals here, in id order."""

from django.db import migrations

GENESIS = "0" * 64

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION audit_event_seal() RETURNS trigger AS $$
DECLARE
    chain_key text;
    last_seq bigint;
    last_hash text;
BEGIN
    SELECT code INTO chain_key FROM accounts_gemeente WHERE id = NEW.gemeente_id;
    chain_key := COALESCE(chain_key, '-');
    PERFORM pg_advisory_xact_lock(hashtextextended('oi_audit_chain:' || chain_key, 0));
    SELECT seq, chain_hash INTO last_seq, last_hash FROM audit_auditseal
        WHERE chain = chain_key ORDER BY seq DESC LIMIT 1;
    last_hash := COALESCE(last_hash, '{GENESIS}');
    INSERT INTO audit_auditseal (chain, seq, event_id, prev_hash, chain_hash, sealed_at)
    VALUES (chain_key, COALESCE(last_seq, 0) + 1, NEW.id, last_hash,
            encode(sha256(convert_to(last_hash || NEW.content_hash, 'UTF8')), 'hex'), clock_timestamp());
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER audit_event_seal AFTER INSERT ON audit_auditevent
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_event_seal();
CREATE OR REPLACE FUNCTION audit_seal_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditseal is insert-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_seal_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditseal
    FOR EACH ROW EXECUTE FUNCTION audit_seal_insert_only();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_seal ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_seal();
DROP TRIGGER IF EXISTS audit_seal_no_update_delete ON audit_auditseal;
DROP FUNCTION IF EXISTS audit_seal_insert_only();
"""

_LAST_HASH = "(SELECT chain_hash FROM audit_auditseal WHERE chain = c.chain ORDER BY seq DESC LIMIT 1)"
SQLITE = [
    f"""
CREATE TRIGGER audit_event_seal AFTER INSERT ON audit_auditevent
BEGIN
    INSERT INTO audit_auditseal (chain, seq, event_id, prev_hash, chain_hash, sealed_at)
    SELECT c.chain,
           COALESCE((SELECT MAX(seq) FROM audit_auditseal WHERE chain = c.chain), 0) + 1,
           NEW.id,
           COALESCE({_LAST_HASH}, '{GENESIS}'),
           oi_sha256(COALESCE({_LAST_HASH}, '{GENESIS}') || NEW.content_hash),
           strftime('%Y-%m-%d %H:%M:%f', 'now')
    FROM (SELECT COALESCE((SELECT code FROM accounts_gemeente WHERE id = NEW.gemeente_id), '-') AS chain) AS c;
END;
""",
    """
CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_auditseal
BEGIN
    SELECT RAISE(ABORT, 'audit_auditseal is insert-only (UPDATE refused)');
END;
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_seal;",
    "DROP TRIGGER IF EXISTS audit_seal_no_update;",
]


def seal_existing_events(apps, schema_editor):
    """Give the events written before the chain existed their content hash and seal, oldest first."""
    from django.utils import timezone

    from openinburgering.audit.chain import SYSTEM_CHAIN, content_hash_of, link_hash

    event_model = apps.get_model("audit", "AuditEvent")
    seal_model = apps.get_model("audit", "AuditSeal")
    gemeente_model = apps.get_model("accounts", "Gemeente")
    codes = dict(gemeente_model.objects.values_list("id", "code"))
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete;")
    heads: dict[str, tuple[int, str]] = {}
    now = timezone.now()
    seals = []
    for event in event_model.objects.order_by("id").iterator(chunk_size=2000):
        digest = content_hash_of(event)
        event_model.objects.filter(pk=event.pk).update(content_hash=digest)
        chain = codes.get(event.gemeente_id, SYSTEM_CHAIN)
        seq, prev = heads.get(chain, (0, GENESIS))
        chain_hash = link_hash(prev, digest)
        seals.append(
            seal_model(chain=chain, seq=seq + 1, event_id=event.pk, prev_hash=prev, chain_hash=chain_hash, sealed_at=now)
        )
        heads[chain] = (seq + 1, chain_hash)
    seal_model.objects.bulk_create(seals, batch_size=2000)
    if postgresql:
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update_delete;")


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_chain"), ("accounts", "0001_initial")]
    operations = [
        migrations.RunPython(seal_existing_events, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
