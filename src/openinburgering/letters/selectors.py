from __future__ import annotations

from django.db.models import QuerySet

from openinburgering.clients.models import ClientFile

from .models import Letter


def letters_of(client_file: ClientFile) -> QuerySet[Letter]:
    """The letters of a file, newest first, without their PDF bytes (deferred)."""
    return (
        Letter.objects.filter(client_file=client_file)
        .defer("content")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
