"""Backup and restore drill (#12 item 6): a backup restores into a fresh PostgreSQL database with every row and an
intact audit trail; a damaged or incomplete backup is reported, never passed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from openinburgering.audit.models import AuditEvent
from openinburgering.audit.services import record_event
from openinburgering.clients.reference_data import ensure_reference_data
from openinburgering.operations.backup import DUMP, MANIFEST, table_counts

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL; CI has it"),
]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    ensure_reference_data()


@pytest.fixture
def backup(tmp_path: Path, make_file: Callable[..., Any], actor: Callable[..., Any]) -> Path:
    with transaction.atomic():
        make_file()
        make_file()
        record_event(actor=actor("kim"), event_type="caseload_viewed", purpose="regie")
    out = StringIO()
    call_command("backup", folder=tmp_path, stdout=out)
    (folder,) = tmp_path.iterdir()
    assert out.getvalue() == f"Back-up gemaakt in {folder}\n"
    return folder


def test_a_backup_restores_every_row_and_an_intact_audit_trail(backup: Path) -> None:
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tables"] == table_counts()
    assert manifest["tables"]["clients_clientfile"] == 2
    assert manifest["tables"]["audit_auditevent"] == AuditEvent.objects.count()
    assert AuditEvent.objects.filter(event_type="backup_created").count() == 1  # the backup logged itself first
    assert manifest["audit_chains"]["GM0392"]["intact"] is True
    out = StringIO()
    call_command("restore_drill", backup=backup, stdout=out)
    tables, rows = len(manifest["tables"]), sum(manifest["tables"].values())
    assert out.getvalue().startswith(f"Hersteltest geslaagd: {tables} tabellen, {rows} rijen, auditketens intact (")
    assert f"GM0392 tot #{manifest['audit_chains']['GM0392']['seq']}" in out.getvalue()
    with connection.cursor() as cursor:  # the drill database is gone again
        cursor.execute("SELECT COUNT(*) FROM pg_database WHERE datname LIKE %s", ["%_restore_drill"])
        assert cursor.fetchone()[0] == 0


def test_the_drill_reports_a_table_that_did_not_come_back_whole(backup: Path) -> None:
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    manifest["tables"]["clients_clientfile"] = 3  # as if a row went missing between manifest and dump
    (backup / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match=r"^Hersteltest mislukt: 1 verschil\(len\) met de back-up\.$"):
        call_command("restore_drill", backup=backup, stdout=out)
    assert out.getvalue() == "FOUT  tabel clients_clientfile: 2 rijen hersteld, 3 verwacht\n"


def test_the_drill_refuses_a_damaged_dump(backup: Path) -> None:
    with (backup / DUMP).open("ab") as dump:
        dump.write(b"damage")
    out = StringIO()
    with pytest.raises(CommandError, match=r"^Hersteltest mislukt: 1 verschil\(len\) met de back-up\.$"):
        call_command("restore_drill", backup=backup, stdout=out)
    assert out.getvalue() == f"FOUT  {DUMP}: de controlesom klopt niet (bestand beschadigd of gewijzigd)\n"


def test_a_folder_without_a_manifest_is_no_backup(tmp_path: Path) -> None:
    message = f"Geen {MANIFEST} in {tmp_path}: dit is geen back-up van Open Inburgering."
    with pytest.raises(CommandError, match=f"^{re.escape(message)}$"):
        call_command("restore_drill", backup=tmp_path)
