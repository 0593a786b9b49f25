"""Store on each file the newest termijn DUO reported and did not retract (clients 0010), from the 'termijn
gestart' signals already received, as ``signals.selectors.duo_termijn_reports`` reads them."""

from datetime import date

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    ClientFile = apps.get_model("clients", "ClientFile")
    FileSignal = apps.get_model("signals", "FileSignal")
    newest = {}
    rows = (
        FileSignal.objects.filter(kind="termijn_started")
        .exclude(message__retractions__isnull=False)
        .order_by("client_file_id", "created_at", "id")
        .values_list("client_file_id", "data", "created_at")
    )
    for file_id, data, created_at in rows.iterator():
        try:
            start, end = (date.fromisoformat(str((data or {}).get(key, ""))) for key in ("startdatum", "einddatum"))
        except ValueError:
            continue
        newest[file_id] = (start, end, timezone.localdate(created_at))
    for file_id, (start, end, reported) in newest.items():
        ClientFile.objects.filter(pk=file_id).update(
            duo_termijn_start_on=start, duo_termijn_einddatum_on=end, duo_termijn_reported_on=reported
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0010_duo_termijn"),
        ("signals", "0002_signal_capabilities"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
