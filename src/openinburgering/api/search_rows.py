"""The results of `POST /persons/search` as plain dicts (#18).

``SearchResultSerializer`` stays the schema of the response (openapi.yaml); running up to 50 files through it and
its two nested serializers cost the request more CPU than the search itself (DRF copies the declared fields of
every nested serializer per row). Each result is built here with the serializer's keys, order and values;
tests/api/test_search_rows.py compares the two."""

from __future__ import annotations

from typing import Any

from openinburgering.clients.models import ClientFile


def search_result(client_file: ClientFile) -> dict[str, Any]:
    """One file as ``SearchResultSerializer`` gives it (the file loaded with its person and worker)."""
    person = client_file.person
    worker = client_file.assigned_to
    return {
        "id": client_file.pk,
        "status": client_file.status,
        "opened_on": client_file.opened_on.isoformat(),
        "person": {
            "id": person.pk,
            "given_names": person.given_names,
            "surname_prefix": person.surname_prefix,
            "surname": person.surname,
            "birth_on": person.birth_on.isoformat(),
        },
        "bsn_end": person.bsn[-3:],
        "assigned_to": None if worker is None else {"id": worker.pk, "display_name": worker.display_name},
    }
