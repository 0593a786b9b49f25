from __future__ import annotations

from datetime import date

import pytest

from openinburgering.clients.deadlines import next_deadline
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import refresh_deadlines


def _file(**fields):
    defaults = {"status": "aangemeld", "kennisgeving_on": None, "pip_dagtekening_on": None, "registered_on": None,
                "housed_under_taakstelling": False}  # fmt: skip
    return ClientFile(**{**defaults, **fields})


def test_no_kennisgeving_means_no_deadline_yet():
    result = next_deadline(_file(), as_of=date(2025, 1, 1))
    assert (result.due_on, result.kind) == (None, "")


def test_pip_is_due_ten_weeks_after_the_kennisgeving():
    result = next_deadline(_file(kennisgeving_on=date(2025, 3, 3)), as_of=date(2025, 3, 10))
    assert (result.due_on, result.kind) == (date(2025, 5, 12), "pip_due")


def test_housed_under_taakstelling_waits_for_registration():
    waiting = next_deadline(
        _file(kennisgeving_on=date(2025, 3, 3), housed_under_taakstelling=True), as_of=date(2025, 3, 10)
    )
    assert (waiting.due_on, waiting.kind) == (None, "pip_waiting")
    registered = next_deadline(
        _file(kennisgeving_on=date(2025, 3, 3), housed_under_taakstelling=True, registered_on=date(2025, 4, 1)),
        as_of=date(2025, 4, 2),
    )
    assert (registered.due_on, registered.kind) == (date(2025, 6, 10), "pip_due_registration")


def test_after_the_pip_the_switch_window_then_the_extension_window_then_the_termijn_end():
    client_file = _file(status="in_traject", pip_dagtekening_on=date(2024, 3, 15))
    # termijn starts 2024-03-16; 18-month window ends 2025-09-15; extension requests from 2026-09-16 (B 4.5);
    # 3 years end 2027-03-15.
    assert next_deadline(client_file, as_of=date(2025, 9, 15)).due_on == date(2025, 9, 15)
    after = next_deadline(client_file, as_of=date(2025, 9, 16))
    assert (after.due_on, after.kind) == (date(2026, 9, 16), "extension_request_opens")
    last = next_deadline(client_file, as_of=date(2026, 9, 17))
    assert (last.due_on, last.kind) == (date(2027, 3, 15), "termijn_ends")


@pytest.mark.parametrize("status", ["voldaan", "vrijgesteld_ontheven", "verhuisd", "beeindigd"])
def test_finished_files_have_no_deadline(status):
    client_file = _file(status=status, kennisgeving_on=date(2025, 3, 3))
    assert next_deadline(client_file, as_of=date(2025, 3, 10)).due_on is None


@pytest.mark.django_db
def test_refresh_deadlines_is_idempotent(make_file):
    client_file = make_file(file={"pip_dagtekening_on": date(2024, 3, 15)})
    assert refresh_deadlines(as_of=date(2025, 1, 1)) == 1
    assert refresh_deadlines(as_of=date(2025, 1, 1)) == 0
    client_file.refresh_from_db()
    assert (client_file.next_deadline_on, client_file.next_deadline_kind) == (
        date(2025, 9, 15),
        "route_switch_window_closes",
    )
    assert refresh_deadlines(as_of=date(2025, 10, 1)) == 1
    assert refresh_deadlines(as_of=date(2025, 10, 1)) == 0
    client_file.refresh_from_db()
    assert (client_file.next_deadline_on, client_file.next_deadline_kind) == (
        date(2026, 9, 16),
        "extension_request_opens",
    )


@pytest.mark.django_db
def test_the_worklist_puts_files_without_a_deadline_last_in_both_directions(make_file, actor):
    from openinburgering.clients.selectors import CaseloadFilters, caseload_for

    without = make_file(assigned_to="kim", file={"kennisgeving_on": None})
    early = make_file(assigned_to="kim", file={"kennisgeving_on": date(2025, 3, 3)})
    late = make_file(assigned_to="kim", file={"kennisgeving_on": date(2025, 6, 2)})
    for ordering, expected in (("deadline", [early, late, without]), ("-deadline", [late, early, without])):
        rows = caseload_for(
            actor=actor("kim"), scope="mine", filters=CaseloadFilters(ordering=ordering), as_of=date(2025, 7, 1),
            soon_days=14,
        )  # fmt: skip
        assert [row.pk for row in rows] == [f.pk for f in expected]
