"""Portal records for tests outside tests/mijn (the section matrix of every file URL)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from openinburgering.clients.models import ClientFile
from openinburgering.mijn.models import AppointmentKind, PortalUpload, RescheduleRequest, UploadKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def portal_items(client_file: ClientFile, staff: dict[str, Any]) -> tuple[RescheduleRequest, PortalUpload]:
    """One reschedule request and one upload on the file (as if the client sent them from the portal)."""
    request = RescheduleRequest.objects.create(
        client_file=client_file, kind=AppointmentKind.OPROEP, appointment_id=1, reason="Ik ben ziek",
        requested_at=timezone.now(),
    )  # fmt: skip
    upload = PortalUpload(
        client_file=client_file, kind=UploadKind.DIPLOMA, content_type="application/pdf", size=len(PDF),
        sha256="0" * 64, uploaded_by=staff["kim"], uploaded_at=timezone.now(),
    )  # fmt: skip
    upload.file.save("diploma-test.pdf", ContentFile(PDF), save=False)
    upload.save()
    return request, upload
