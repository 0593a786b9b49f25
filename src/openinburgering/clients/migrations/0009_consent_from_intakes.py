"""One register of health consent (#12 item 1): every gezondheid step of a brede intake that says "ja" to "Mag ik iets
over uw gezondheid opschrijven?" gets its Consent row, for the person of that intake, unless one already stands.

Recorded by who saved the step, given on the day it was saved (Europe/Amsterdam). Insert-only: rows are only added.
"""

from typing import Any

from django.db import migrations
from django.utils import timezone

HOW = "Gevraagd in de brede intake (leefgebied gezondheid)"


def forward(apps: Any, schema_editor: Any) -> None:
    Consent = apps.get_model("clients", "Consent")
    LeefgebiedAssessment = apps.get_model("intakes", "LeefgebiedAssessment")
    rows = (
        LeefgebiedAssessment.objects.filter(leefgebied="gezondheid", details__health_consent="ja")
        .select_related("intake", "intake__client_file")
        .order_by("id")
    )
    for assessment in rows.iterator():
        client_file = assessment.intake.client_file
        person_id = assessment.intake.person_id
        own = person_id == client_file.person_id
        standing = Consent.objects.filter(client_file=client_file, purpose="gezondheid", withdrawal__isnull=True)
        if own:
            standing = standing.filter(person__isnull=True) | standing.filter(person_id=person_id)
        else:
            standing = standing.filter(person_id=person_id)
        if standing.exists():
            continue
        Consent.objects.create(
            client_file=client_file,
            person_id=None if own else person_id,
            purpose="gezondheid",
            given_on=timezone.localtime(assessment.updated_at).date(),
            how=HOW,
            recorded_by_id=assessment.updated_by_id,
            recorded_at=assessment.updated_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0008_consent_person"),
        ("intakes", "0002_intake_absence_reason"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
