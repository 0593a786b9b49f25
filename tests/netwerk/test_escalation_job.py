"""The daily job escalates a sent referral that the partner did not answer within the gemeente's term, once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.core.models import JobRun, JobStatus
from openinburgering.core.schedule import schedule_daily
from openinburgering.netwerk.models import Referral, ReferralTerm

pytestmark = pytest.mark.django_db


def test_the_daily_job_escalates_an_unanswered_referral_after_the_gemeentes_term_once(
    make_referral: Callable[..., Referral],
) -> None:
    late, recent = make_referral(), make_referral()
    ReferralTerm.objects.create(gemeente_id=late.gemeente_id, answer_days=5)
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - timedelta(days=6))
    Referral.objects.filter(pk=recent.pk).update(sent_at=timezone.now() - timedelta(days=4))
    with transaction.atomic():
        schedule_daily(as_of=today())
    run_queued_jobs()
    run = JobRun.objects.get(kind="netwerk_escalate")
    assert run.status == JobStatus.DONE
    assert run.message.startswith("1 verwijzing(en)")
    late.refresh_from_db()
    recent.refresh_from_db()
    assert late.escalated_at is not None
    assert late.follow_up_on == today()
    assert recent.escalated_at is None
    events = AuditEvent.objects.filter(event_type="referral_escalated", subject_id=str(late.pk), via="job")
    assert events.count() == 1
    from openinburgering.netwerk.services import escalate_unanswered

    assert escalate_unanswered() == 0  # idempotent: escalated once
