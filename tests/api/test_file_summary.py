"""The API gives the file's summary from casefile.summary, the same on the file and in the worklists (#11 item 4)."""

from __future__ import annotations

import pytest

from tests.casefile.test_summary_pages import IN_AZC, intake_with

pytestmark = pytest.mark.django_db


def test_the_api_gives_the_same_summary_on_the_file_and_in_vroege_start(api, make_file, staff):
    client_file = make_file(assigned_to="kim", file=IN_AZC)
    intake_with(client_file, client_file.person, staff["kim"], done=3, completed=False)

    detail = api("kim").get(f"/api/v1/clients/{client_file.pk}").json()["summary"]
    row = api("kim").get("/api/v1/caseload/vroege-start").json()["results"][0]

    expected = {
        "call_state": "none", "call_count": 0, "intake_state": "in_progress", "intake_done": 3, "intake_total": 9,
        "intake_in_absence": False, "pip_state": "none", "oproep_step": "first_call",
        "oproep_step_label": "Eerste oproep plannen", "intake_label": "Bezig: 3 van 9 leefgebieden klaar",
        "pip_label": "Nog geen PIP", "stage_label": "Brede intake bezig (3 van 9)",
    }  # fmt: skip
    assert detail == expected
    assert row["summary"] == expected
    assert (row["intake_started"], row["has_pending_call"], row["pip_set"]) == (True, False, False)
