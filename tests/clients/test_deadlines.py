"""The next statutory step of a file: each kind, their order, overdue steps first (pure: facts passed in)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from openinburgering import rules
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.deadlines import (
    DEADLINE_LABELS,
    KIND_GROUP_LABELS,
    KIND_GROUPS,
    CallFact,
    FileFacts,
    NextDeadline,
    next_deadline,
)
from openinburgering.clients.models import ClientFile

KENNISGEVING = date(2026, 3, 2)
AS_OF = date(2026, 3, 20)


def draft(**fields: object) -> ClientFile:
    """An unsaved file: next_deadline never touches the database for it when facts are given."""
    values: dict[str, object] = {"status": FileStatus.INTAKE, "kennisgeving_on": KENNISGEVING, **fields}
    return ClientFile(**values)


def pip_due(**kwargs: object) -> date:
    due = rules.pip_deadline(kennisgeving_on=KENNISGEVING, **kwargs).pip_due_on  # type: ignore[arg-type]  # test kwargs
    assert due is not None
    return due


def call(outcome: str, planned_on: date, outcome_on: date | None = None, next_step: str = "") -> CallFact:
    return CallFact(outcome=outcome, planned_on=planned_on, outcome_on=outcome_on, next_step=next_step)


def test_every_kind_and_filter_group_has_a_dutch_label() -> None:
    assert set(KIND_GROUP_LABELS) == set(KIND_GROUPS)
    assert {kind for kinds in KIND_GROUPS.values() for kind in kinds} == set(DEADLINE_LABELS)
    assert all(str(label) and "_" not in str(label) for label in DEADLINE_LABELS.values())  # words, not codes


# --- before the PIP -----------------------------------------------------------------------------------------------


def test_without_anything_planned_the_pip_deadline_from_the_rules_is_next() -> None:
    assert next_deadline(draft(), as_of=AS_OF, facts=FileFacts()) == NextDeadline(pip_due(), "pip_due")
    assert pip_due() == date(2026, 5, 11)  # 10 weeks after the kennisgeving (B 5.3 lid 1)


def test_a_pending_oproep_is_due_on_its_planned_day() -> None:
    facts = FileFacts(calls=(call("pending", date(2026, 3, 27)),))
    assert next_deadline(draft(), as_of=AS_OF, facts=facts) == NextDeadline(date(2026, 3, 27), "intake_call")


@pytest.mark.parametrize(
    ("outcomes", "step"),
    [
        (["no_show"], "warning_and_repeat_call"),
        (["no_show", "insufficient_cooperation"], "fine_and_new_term"),
        (["no_show", "no_show", "no_show"], "fine_and_intake_in_absence"),
    ],
)
def test_a_failed_oproep_asks_for_the_next_step_from_the_rules_now(outcomes: list[str], step: str) -> None:
    history = [rules.CallStatus(o) for o in outcomes]
    assert rules.intake_next_step(calls=history).next_step == step
    recorded_on = date(2026, 3, 16)
    facts = FileFacts(calls=tuple(call(o, recorded_on - timedelta(days=1), recorded_on) for o in outcomes))
    assert next_deadline(draft(), as_of=AS_OF, facts=facts) == NextDeadline(recorded_on, "intake_next_step")


def test_the_snapshot_on_the_call_is_used_when_present() -> None:
    facts = FileFacts(calls=(call("no_show", date(2026, 3, 10), date(2026, 3, 10), next_step="none"),))
    assert next_deadline(draft(), as_of=AS_OF, facts=facts).kind == "pip_due"


def test_after_the_intake_in_absence_is_completed_the_third_failed_call_is_no_longer_a_step() -> None:
    calls = tuple(call("no_show", date(2026, 3, d), date(2026, 3, d)) for d in (2, 9, 16))
    assert next_deadline(draft(), as_of=AS_OF, facts=FileFacts(calls=calls)).kind == "intake_next_step"
    done = FileFacts(calls=calls, intake_completed=True)
    assert next_deadline(draft(), as_of=AS_OF, facts=done) == NextDeadline(pip_due(), "pip_due")


def test_an_appeared_call_leaves_the_pip_deadline() -> None:
    facts = FileFacts(calls=(call("appeared", date(2026, 3, 10), date(2026, 3, 10)),))
    assert next_deadline(draft(), as_of=AS_OF, facts=facts).kind == "pip_due"


def test_a_planned_toets_without_result_is_a_step() -> None:
    facts = FileFacts(lbt_planned_on=date(2026, 4, 2))
    assert next_deadline(draft(), as_of=AS_OF, facts=facts) == NextDeadline(date(2026, 4, 2), "lbt_planned")


def test_a_step_planned_after_the_pip_deadline_does_not_hide_it() -> None:
    facts = FileFacts(calls=(call("pending", pip_due() + timedelta(days=3)),))
    assert next_deadline(draft(), as_of=AS_OF, facts=facts) == NextDeadline(pip_due(), "pip_due")


def test_an_overdue_step_comes_before_a_later_one() -> None:
    facts = FileFacts(calls=(call("no_show", date(2026, 3, 1), date(2026, 3, 2)),), lbt_planned_on=date(2026, 3, 25))
    result = next_deadline(draft(), as_of=AS_OF, facts=facts)
    assert result == NextDeadline(date(2026, 3, 2), "intake_next_step")
    assert result.due_on is not None
    assert result.due_on < AS_OF


@pytest.mark.parametrize(
    ("fields", "facts", "rule_kwargs", "kind"),
    [
        ({}, {}, {}, "pip_due"),
        (
            {"housed_under_taakstelling": True, "registered_on": date(2026, 3, 9)}, {},
            {"housed_under_taakstelling": True, "registered_on": date(2026, 3, 9)}, "pip_due_registration",
        ),
        (
            {}, {"awaiting_third_party": True, "third_party_received_on": date(2026, 5, 4)},
            {"awaiting_third_party": True, "third_party_received_on": date(2026, 5, 4)}, "pip_due_third_party",
        ),
        ({}, {"moved_registered_on": date(2026, 3, 16)}, {"moved_registered_on": date(2026, 3, 16)}, "pip_due_move"),
    ],
)  # fmt: skip
def test_the_pip_deadline_keeps_its_basis_in_the_kind_and_label(fields, facts, rule_kwargs, kind) -> None:
    result = next_deadline(draft(**fields), as_of=AS_OF, facts=FileFacts(**facts))
    assert result == NextDeadline(pip_due(**rule_kwargs), kind)
    assert "PIP vaststellen" in str(DEADLINE_LABELS[kind])


def test_while_the_rules_cannot_know_the_pip_deadline_the_file_waits_but_planned_steps_still_count() -> None:
    waiting = draft(housed_under_taakstelling=True, registered_on=None)
    assert next_deadline(waiting, as_of=AS_OF, facts=FileFacts()) == NextDeadline(None, "pip_waiting")
    facts = FileFacts(calls=(call("pending", date(2026, 3, 30)),))
    assert next_deadline(waiting, as_of=AS_OF, facts=facts) == NextDeadline(date(2026, 3, 30), "intake_call")


@pytest.mark.parametrize("status", ["verhuisd", "beeindigd"])
def test_a_closed_file_has_no_step(status: str) -> None:
    facts = FileFacts(calls=(call("pending", date(2026, 3, 30)),), next_follow_up_on=date(2026, 4, 1))
    assert next_deadline(draft(status=status), as_of=AS_OF, facts=facts) == NextDeadline(None, "")


# --- after the plicht: vervolg ----------------------------------------------------------------------------------

VOLDAAN_AT = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # 10 March in Amsterdam: the local day counts


def test_voldaan_without_follow_up_asks_to_record_it_from_the_day_it_became_voldaan() -> None:
    """Not a statutory date: act now, like a failed oproep. Earlier steps of the traject no longer count."""
    client_file = draft(status="voldaan", status_changed_at=VOLDAAN_AT, pip_dagtekening_on=date(2025, 1, 1))
    facts = FileFacts(next_talk_on=date(2026, 3, 25))
    assert next_deadline(client_file, as_of=AS_OF, facts=facts) == NextDeadline(date(2026, 3, 10), "followup_plan")


def test_a_planned_follow_up_contact_is_the_next_step() -> None:
    client_file = draft(status="voldaan", status_changed_at=VOLDAAN_AT)
    facts = FileFacts(has_follow_up=True, next_follow_up_on=date(2026, 6, 1))
    assert next_deadline(client_file, as_of=AS_OF, facts=facts) == NextDeadline(date(2026, 6, 1), "followup_contact")


def test_follow_up_without_a_next_contact_has_no_step() -> None:
    client_file = draft(status="voldaan", status_changed_at=VOLDAAN_AT)
    assert next_deadline(client_file, as_of=AS_OF, facts=FileFacts(has_follow_up=True)) == NextDeadline(None, "")


def test_vrijgesteld_or_ontheven_only_has_a_planned_follow_up_contact() -> None:
    client_file = draft(status="vrijgesteld_ontheven", status_changed_at=VOLDAAN_AT)
    assert next_deadline(client_file, as_of=AS_OF, facts=FileFacts()) == NextDeadline(None, "")
    facts = FileFacts(has_follow_up=True, next_follow_up_on=date(2026, 5, 4))
    assert next_deadline(client_file, as_of=AS_OF, facts=facts) == NextDeadline(date(2026, 5, 4), "followup_contact")


# --- after the PIP ------------------------------------------------------------------------------------------------

DAGTEKENING = date(2026, 1, 15)
TERMIJN = rules.termijn(pip_dagtekening_on=DAGTEKENING)


def after(as_of: date, facts: FileFacts | None = None) -> NextDeadline:
    return next_deadline(
        draft(status=FileStatus.IN_TRAJECT, pip_dagtekening_on=DAGTEKENING), as_of=as_of, facts=facts or FileFacts()
    )


def test_after_the_pip_oproepen_and_the_pip_deadline_no_longer_count() -> None:
    facts = FileFacts(calls=(call("no_show", date(2026, 1, 1), date(2026, 1, 1)),), lbt_planned_on=date(2026, 2, 1))
    assert after(AS_OF, facts) == NextDeadline(TERMIJN.route_switch_until_on, "route_switch_window_closes")


def test_the_next_unheld_voortgangsgesprek_comes_first_and_stays_when_overdue() -> None:
    assert after(AS_OF, FileFacts(next_talk_on=date(2026, 4, 1))) == NextDeadline(date(2026, 4, 1), "progress_talk")
    late = after(date(2026, 4, 10), FileFacts(next_talk_on=date(2026, 4, 1)))
    assert late == NextDeadline(date(2026, 4, 1), "progress_talk")


def test_the_termijn_steps_follow_each_other_from_the_rules() -> None:
    assert TERMIJN.route_switch_until_on < TERMIJN.extension_request_from_on < TERMIJN.termijn_end_on
    assert after(AS_OF).kind == "route_switch_window_closes"
    day_after_switch = TERMIJN.route_switch_until_on + timedelta(days=1)
    assert after(day_after_switch) == NextDeadline(TERMIJN.extension_request_from_on, "extension_request_opens")
    day_after_opening = TERMIJN.extension_request_from_on + timedelta(days=1)
    assert after(day_after_opening) == NextDeadline(TERMIJN.termijn_end_on, "termijn_ends")
    past_end = after(TERMIJN.termijn_end_on + timedelta(days=5))
    assert past_end == NextDeadline(TERMIJN.termijn_end_on, "termijn_ends")  # overdue, not gone


def test_extensions_move_the_end_but_not_the_route_switch_window() -> None:
    # DUO reported the termijn six months longer (W 12, B 4.4); the DUO import stored it on the file.
    extended = rules.termijn(pip_dagtekening_on=DAGTEKENING, extensions_months=[6])
    reported = draft(
        status=FileStatus.IN_TRAJECT, pip_dagtekening_on=DAGTEKENING, duo_termijn_start_on=TERMIJN.termijn_start_on,
        duo_termijn_einddatum_on=extended.duo_einddatum_on,
    )  # fmt: skip
    late = TERMIJN.extension_request_from_on + timedelta(days=1)
    assert next_deadline(reported, as_of=late, facts=FileFacts()) == NextDeadline(
        extended.extension_request_from_on, "extension_request_opens"
    )
    assert next_deadline(reported, as_of=AS_OF, facts=FileFacts()).kind == "route_switch_window_closes"
    assert after(late) == NextDeadline(TERMIJN.termijn_end_on, "termijn_ends")  # without DUO's report
