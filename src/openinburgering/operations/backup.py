"""Backup and the restore drill (#12 item 6): what a gemeente needs to be sure it can get its data back.

A backup is three files in one folder: the PostgreSQL database in ``pg_dump``'s custom format (letters and their
PDFs live in the database), the document store (``MEDIA_ROOT``, when there is one) as a tar archive, and a manifest
with the row count of every table, the head of every audit chain and the SHA-256 of both files. The drill restores
the dump into a new, empty database beside the live one, compares every row count with the manifest, verifies the
audit chains there, checks the document archive, and drops the drill database again. Nothing of the live database
is changed by the drill. docs/backup.md says how to schedule both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction

from openinburgering.audit.chain import verify_chains
from openinburgering.audit.services import record_event
from openinburgering.core.checksums import file_sha256

MANIFEST = "manifest.json"
DUMP = "database.dump"
DOCUMENTS = "documents.tar.gz"


class BackupError(Exception):
    """A backup or drill could not be made; the message says why, in Dutch."""


def _postgresql_settings(alias: str = "default") -> dict[str, Any]:
    settings_dict = connections[alias].settings_dict
    if connections[alias].vendor != "postgresql":
        raise BackupError("Back-up en hersteltest werken met PostgreSQL; de demo op SQLite kopieert u als bestand.")
    return settings_dict


def _client_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    environment = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _run(command: list[str], settings_dict: dict[str, Any]) -> None:
    environment = _client_environment(settings_dict)
    # The PostgreSQL client tools, with arguments from the settings and the command line of the operator.
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603 -- pg tools
    if done.returncode != 0:
        raise BackupError(f"{command[0]} is mislukt: {done.stderr.strip()[:500]}")


def table_counts(alias: str = "default") -> dict[str, int]:
    """The number of rows of every table of the project's models (and Django's own), by table name."""
    tables = sorted({model._meta.db_table for model in apps.get_models() if model._meta.managed})
    counts: dict[str, int] = {}
    with connections[alias].cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 -- table names come from the models
            counts[table] = int(cursor.fetchone()[0])
    return counts


def chain_heads(alias: str = "default") -> dict[str, dict[str, Any]]:
    return {
        report.chain: {"seq": report.head_seq, "hash": report.head_hash, "intact": report.first_break is None}
        for report in verify_chains(using=alias)
    }


def census() -> dict[str, Any]:
    """Row counts and audit chain heads of the configured database (the ``database_census`` command)."""
    return {"tables": table_counts(), "audit_chains": chain_heads()}


def _census_of(database: str, settings_dict: dict[str, Any]) -> dict[str, Any]:
    """Take the census of another database in a separate process with the same settings, so the live process's
    connections are never pointed elsewhere."""
    url = "postgres://{user}:{password}@{host}:{port}/{name}".format(
        user=quote(str(settings_dict.get("USER") or "")),
        password=quote(str(settings_dict.get("PASSWORD") or "")),
        host=settings_dict.get("HOST") or "localhost",
        port=settings_dict.get("PORT") or 5432,
        name=quote(database),
    )
    environment = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    done = subprocess.run(
        [sys.executable, "-m", "django", "database_census"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"De herstelde database kon niet worden geteld: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def make_backup(*, folder: Path, now: datetime) -> Path:
    """Write a backup into a new folder under ``folder`` and return that folder. The backup itself is logged
    (``backup_created``, committed first) so the event is part of what it saves.

    The manifest describes exactly what the dump holds, also while the application keeps writing: the counts are
    taken in a REPEATABLE READ transaction whose snapshot ``pg_dump --snapshot`` uses too."""
    settings_dict = _postgresql_settings()
    target = folder / f"openinburgering-{now:%Y%m%d-%H%M%S}"
    target.mkdir(parents=True, exist_ok=False)
    with transaction.atomic():
        record_event(event_type="backup_created", purpose="beveiliging en continuïteit (AVG art. 32)", via="command")
    dump = target / DUMP
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        state = census()
        command = ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={dump}"]
        _run([*command, settings_dict["NAME"]], settings_dict)
    manifest: dict[str, Any] = {
        "made_at": now.isoformat(),
        "database": settings_dict["NAME"],
        "tables": state["tables"],
        "audit_chains": state["audit_chains"],
        "files": {DUMP: file_sha256(dump)},
    }
    media_root = Path(str(getattr(settings, "MEDIA_ROOT", "") or ""))
    if str(media_root) not in ("", ".") and media_root.is_dir():
        documents = target / DOCUMENTS
        with tarfile.open(documents, "w:gz") as archive:
            archive.add(media_root, arcname="documents")
        manifest["files"][DOCUMENTS] = file_sha256(documents)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return target


@dataclass
class DrillReport:
    """What the restore drill found: an empty ``problems`` list means the backup restores completely."""

    tables_checked: int = 0
    rows_restored: int = 0
    chains: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def restore_drill(*, backup: Path, keep: bool = False) -> DrillReport:
    """Restore ``backup`` into a fresh database ``<live name>_restore_drill`` and check it against its manifest."""
    settings_dict = _postgresql_settings()
    manifest_path = backup / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"Geen {MANIFEST} in {backup}: dit is geen back-up van Open Inburgering.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    report = DrillReport()
    for name, expected in manifest["files"].items():
        if file_sha256(backup / name) != expected:
            report.problems.append(f"{name}: de controlesom klopt niet (bestand beschadigd of gewijzigd)")
    if report.problems:
        return report
    drill_name = f"{settings_dict['NAME']}_restore_drill"[:63]
    maintenance = [f"--maintenance-db={settings_dict['NAME']}"]
    _run(["dropdb", "--if-exists", *maintenance, drill_name], settings_dict)
    _run(["createdb", *maintenance, drill_name], settings_dict)
    try:
        _run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={drill_name}", str(backup / DUMP)], settings_dict
        )
        restored = _census_of(drill_name, settings_dict)
        for table, expected_rows in sorted(manifest["tables"].items()):
            got = restored["tables"].get(table)
            if got != expected_rows:
                report.problems.append(f"tabel {table}: {got} rijen hersteld, {expected_rows} verwacht")
        report.tables_checked = len(manifest["tables"])
        report.rows_restored = sum(restored["tables"].values())
        report.chains = restored["audit_chains"]
        for chain, head in sorted(manifest["audit_chains"].items()):
            if report.chains.get(chain) != head:
                report.problems.append(f"auditketen {chain}: {report.chains.get(chain)} hersteld, {head} verwacht")
        if DOCUMENTS in manifest["files"]:
            with tarfile.open(backup / DOCUMENTS, "r:gz") as archive:
                archive.getmembers()  # reads the whole archive: a truncated file fails here
    finally:
        if not keep:
            _run(["dropdb", "--if-exists", *maintenance, drill_name], settings_dict)
    return report
