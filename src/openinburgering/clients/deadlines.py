"""The next statutory deadline of a client file, asked of the rules module (never computed here).

The result is stored on ClientFile (next_deadline_on/kind) so worklists can sort and filter in the database;
`refresh_deadlines` (service) and the daily `refresh_deadlines` command keep it current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from openinburgering import rules

from .choices import FileStatus
from .models import ClientFile

DEADLINE_LABELS = {
    "pip_due": _("PIP vaststellen"),
    "pip_waiting": _("PIP-termijn start na inschrijving of informatie derden"),
    "route_switch_window_closes": _("Laatste dag wisselen leerroute"),
    "termijn_ends": _("Einde inburgeringstermijn"),
}

_NO_DEADLINE_STATUSES = {
    FileStatus.VOLDAAN,
    FileStatus.VRIJGESTELD_ONTHEVEN,
    FileStatus.VERHUISD,
    FileStatus.BEEINDIGD,
}


@dataclass(frozen=True)
class NextDeadline:
    due_on: date | None
    kind: str


def next_deadline(client_file: ClientFile, *, as_of: date) -> NextDeadline:
    """PIP due (B 5.3) until the first PIP is set; then the route-switch window end (W 17.2, B 5.4) while it is
    open, then the end of the termijn (W 7, B 4.4)."""
    if client_file.status in _NO_DEADLINE_STATUSES:
        return NextDeadline(None, "")
    if client_file.pip_dagtekening_on is None:
        if client_file.kennisgeving_on is None:
            return NextDeadline(None, "")
        pip = rules.pip_deadline(
            kennisgeving_on=client_file.kennisgeving_on,
            housed_under_taakstelling=client_file.housed_under_taakstelling,
            registered_on=client_file.registered_on,
        )
        if pip.pip_due_on is None:
            return NextDeadline(None, "pip_waiting")
        return NextDeadline(pip.pip_due_on, "pip_due")
    period = rules.termijn(pip_dagtekening_on=client_file.pip_dagtekening_on)
    if as_of <= period.route_switch_until_on:
        return NextDeadline(period.route_switch_until_on, "route_switch_window_closes")
    return NextDeadline(period.termijn_end_on, "termijn_ends")
