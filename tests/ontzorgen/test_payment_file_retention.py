"""A payment run's SEPA file is destroyed by the daily retention job after its own term: seven years after the
end of the year it was approved (AWR art. 52 lid 4; #13 gap 6). The row stays without personal data."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction
from django.urls import reverse

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import Conflict
from openinburgering.ontzorgen import services
from openinburgering.ontzorgen.models import PaymentFile
from openinburgering.retention.services import apply_retention
from openinburgering.rules.retention import payment_file_retention

pytestmark = pytest.mark.django_db


def test_the_retention_job_empties_a_payment_file_after_seven_years_once(
    approved_run: Any, actor: Any, login: Any, api: Any
) -> None:
    payment_file = PaymentFile.objects.get(run=approved_run)
    sha256, size = payment_file.sha256, len(bytes(payment_file.content))
    kept_until = payment_file_retention(approved_on=today())
    assert kept_until == date(today().year + 7, 12, 31)
    # On the last day of the term nothing happens.
    assert apply_retention(as_of=kept_until, dry_run=False).payment_files == {}
    # The dry run lists it and changes nothing.
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", "--as-of", date(kept_until.year + 1, 1, 1).isoformat(), stdout=out)
    assert (
        f"GM0392: betaalbestanden (SEPA) over de bewaartermijn (AWR art. 52 lid 4), te vernietigen: 1 "
        f"(bestand {payment_file.pk})"
    ) in out.getvalue()
    assert len(bytes(PaymentFile.objects.get(pk=payment_file.pk).content)) == size

    report = apply_retention(as_of=date(kept_until.year + 1, 1, 1), dry_run=False)

    assert report.payment_files == {"GM0392": [payment_file.pk]}
    destroyed = PaymentFile.objects.get(pk=payment_file.pk)
    assert (bytes(destroyed.content), destroyed.sha256, destroyed.payment_count) == (b"", sha256, 3)
    assert destroyed.is_destroyed
    event = AuditEvent.objects.get(event_type="payment_file_destroyed")
    assert (event.subject_id, event.changes["kept_until"]) == (str(payment_file.pk), kept_until.isoformat())
    # Idempotent: the next run finds nothing.
    assert apply_retention(as_of=date(kept_until.year + 2, 1, 1), dry_run=False).payment_files == {}
    assert AuditEvent.objects.filter(event_type="payment_file_destroyed").count() == 1
    # The download says so in Dutch, on the page and in the API; the run page shows the checksum that stays.
    with pytest.raises(Conflict, match="vernietigd"):
        services.record_file_download(actor=actor("frank"), run=approved_run)
    page = login("frank").get(reverse("ontzorgen-team:run", kwargs={"run_id": approved_run.pk})).content.decode()
    assert "is vernietigd: de bewaartermijn van zeven jaar is voorbij" in page
    assert sha256 in page
    response = api("frank").get(f"/api/v1/payment-runs/{approved_run.pk}/file")
    assert response.status_code == 409
    assert "vernietigd" in response.json()["detail"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the insert-only trigger is PostgreSQL's")
def test_outside_the_retention_job_the_file_cannot_be_emptied(approved_run: Any) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        models.QuerySet.update(PaymentFile.objects.filter(run=approved_run), content=b"")
