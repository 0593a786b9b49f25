"""Deadlines of the PIP and the inburgeringstermijn (B 5.3; W 11, W 12, B 4.4, B 4.5, B 5.4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .dates import add_weeks, atw_shift, months_before, period_end
from .errors import RuleInputError

PIP_WEEKS = 10
"""B 5.3 lid 1 and 3: the PIP is set at the latest 10 weeks after the kennisgeving or registration."""

THIRD_PARTY_WEEKS = 2
"""B 5.3 lid 2: at the latest two weeks after receiving the information the college was waiting for."""

TERMIJN_MONTHS = 36
"""W 11 lid 1: "De inburgeringsplichtige voldoet binnen drie jaar aan de inburgeringsplicht"."""

ROUTE_SWITCH_MONTHS = 18
"""B 5.4 lid 1: the leerroute may be changed during at most anderhalf jaar from the start of the termijn."""

EXTENSION_REQUEST_MONTHS = 6
"""B 4.5 lid 1: an extension cannot be requested earlier than six months before the termijn ends."""


class PipDeadlineBasis(StrEnum):
    """Which provision of B 5.3 gives the PIP deadline."""

    MOVE = "move"
    WAITING = "waiting"
    REGISTRATION = "registration"
    KENNISGEVING = "kennisgeving"
    THIRD_PARTY = "third_party"


@dataclass(frozen=True, slots=True)
class PipDeadline:
    """The outcome of :func:`pip_deadline`; both dates are None while the deadline cannot be known."""

    pip_due_on: date | None
    pip_due_on_unshifted: date | None
    basis: PipDeadlineBasis


_WAITING = PipDeadline(pip_due_on=None, pip_due_on_unshifted=None, basis=PipDeadlineBasis.WAITING)


@dataclass(frozen=True, slots=True)
class _Due:
    """A known deadline: ``weeks`` after a day, and that day moved by the Atw (<= 12 weeks, Atw art. 4)."""

    due_on: date
    unshifted_on: date
    basis: PipDeadlineBasis

    @classmethod
    def after(cls, day: date, weeks: int, basis: PipDeadlineBasis) -> _Due:
        unshifted = add_weeks(day, weeks)
        return cls(due_on=atw_shift(unshifted), unshifted_on=unshifted, basis=basis)

    def result(self) -> PipDeadline:
        return PipDeadline(pip_due_on=self.due_on, pip_due_on_unshifted=self.unshifted_on, basis=self.basis)


def pip_deadline(
    *,
    kennisgeving_on: date,
    housed_under_taakstelling: bool = False,
    registered_on: date | None = None,
    awaiting_third_party: bool = False,
    third_party_received_on: date | None = None,
    moved_registered_on: date | None = None,
) -> PipDeadline:
    """Return the last day for the college to set the PIP (Besluit inburgering 2021 art. 5.3; Atw art. 1, 5).

    - B 5.3 lid 3: after a move, 10 weeks after registration in the new gemeente; this decides alone.
    - B 5.3 lid 1: 10 weeks after the day of the kennisgeving of the plicht; when the person, housed under the
      taakstelling (Huisvestingswet 2014 art. 28), was not yet registered there on that day, 10 weeks after
      the BRP registration, and unknown (``waiting``) while not registered.
    - B 5.3 lid 2: while awaiting a third party's information the deadline is unknown (``waiting``); once
      received it is the later of the date above and two weeks after receipt (``third_party`` when that is
      strictly later). A ``third_party_received_on`` counts only while ``awaiting_third_party`` is true: lid 2
      allows the later date only where the college recorded which information it awaits (rules catalogue,
      clarified 2026-12-07); without the flag the receipt date is ignored.

    Each 10-week and 2-week date moves by the Atw before the comparison; ``pip_due_on_unshifted`` is the date
    of the chosen basis before that move.
    """
    if moved_registered_on is not None:
        return _Due.after(moved_registered_on, PIP_WEEKS, PipDeadlineBasis.MOVE).result()
    if housed_under_taakstelling and (registered_on is None or registered_on > kennisgeving_on):
        if registered_on is None:
            return _WAITING
        deadline = _Due.after(registered_on, PIP_WEEKS, PipDeadlineBasis.REGISTRATION)
    else:
        deadline = _Due.after(kennisgeving_on, PIP_WEEKS, PipDeadlineBasis.KENNISGEVING)
    if not awaiting_third_party:
        return deadline.result()
    if third_party_received_on is None:
        return _WAITING
    third_party = _Due.after(third_party_received_on, THIRD_PARTY_WEEKS, PipDeadlineBasis.THIRD_PARTY)
    return (third_party if third_party.due_on > deadline.due_on else deadline).result()


@dataclass(frozen=True, slots=True)
class Termijn:
    """The outcome of :func:`termijn`. All dates are inclusive (the last day inside the period).

    ``duo_einddatum_on`` is the exclusive end DUO's Inburgeringstermijn API reports: ``termijn_end_on`` + 1
    day.
    """

    termijn_start_on: date
    termijn_end_on: date
    route_switch_until_on: date
    extension_request_from_on: date
    duo_einddatum_on: date


def extension_request_from(termijn_end_on: date) -> date:
    """B 4.5 lid 1: the earliest request day, 6 months before the day after the termijn ends."""
    return months_before(termijn_end_on + timedelta(days=1), EXTENSION_REQUEST_MONTHS)


def termijn(*, pip_dagtekening_on: date, extensions_months: Sequence[int] = ()) -> Termijn:
    """Return the inburgeringstermijn (Wet inburgering 2021 art. 11, 12; Besluit art. 4.4, 4.5, 5.4).

    W 11 lid 2: the termijn starts on the day after the dagtekening of the (first) PIP; lid 3: a changed or
    re-set PIP does not move the start. It lasts three years (W 11 lid 1) plus every extension granted under
    W 12 (e.g. 6 months under B 4.4); it ends on the last day of a period of 36 + Σ extensions months starting
    on ``termijn_start_on`` (ADR 0005). The route-switch window of B 5.4 lid 1 is the first 18 months and is
    not moved by extensions (ADR 0006). An extension may be requested from 6 months before the day after the
    end (B 4.5 lid 1). No Atw shift: the periods are in years or over 3 months (Atw art. 4).
    """
    if any(months < 0 for months in extensions_months):
        raise RuleInputError(f"extensions_months must not be negative, got {list(extensions_months)}")
    start = pip_dagtekening_on + timedelta(days=1)
    end = period_end(start, months=TERMIJN_MONTHS + sum(extensions_months))
    return Termijn(
        termijn_start_on=start,
        termijn_end_on=end,
        route_switch_until_on=period_end(start, months=ROUTE_SWITCH_MONTHS),
        extension_request_from_on=extension_request_from(end),
        duo_einddatum_on=end + timedelta(days=1),
    )


BEZWAAR_WEEKS = 6
"""Awb 6:7: "De termijn voor het indienen van een bezwaar- of beroepschrift bedraagt zes weken"."""


@dataclass(frozen=True, slots=True)
class BezwaarTermijn:
    """The outcome of :func:`bezwaar_termijn`: the first and the last day to lodge a bezwaar, and whether a
    bezwaarschrift received on ``received_on`` (when given) was in time."""

    term_starts_on: date
    term_ends_on: date
    on_time: bool | None


def bezwaar_termijn(*, bekendgemaakt_on: date, received_on: date | None = None) -> BezwaarTermijn:
    """Return the bezwaartermijn against a beschikking such as the PIP (Awb 6:7, 6:8 lid 1, 6:9; Atw art. 1).

    Awb 6:8 lid 1: the termijn starts the day after the besluit was bekendgemaakt (sent, Awb 3:41). Awb 6:7: it
    lasts six weeks, so it ends on the same weekday six weeks after the bekendmaking. Atw art. 1 lid 1: a term
    set by law that ends on a Saturday, Sunday or feestdag runs to the next working day. A bezwaarschrift is in
    time when it is received on or before the last day (Awb 6:9 lid 1; the post-mark rule of 6:9 lid 2 is left
    to the klantregisseur). ``on_time`` is None without ``received_on``; receipt before the bekendmaking is
    in time (Awb 6:10 lid 1 sub a, pre-emptive bezwaar against a besluit that was already taken).
    """
    starts = bekendgemaakt_on + timedelta(days=1)
    ends = atw_shift(add_weeks(bekendgemaakt_on, BEZWAAR_WEEKS))
    on_time = None if received_on is None else received_on <= ends
    return BezwaarTermijn(term_starts_on=starts, term_ends_on=ends, on_time=on_time)


BETALING_WEEKS = 6
"""Awb 4:87 lid 1: "Betaling geschiedt binnen zes weken nadat de beschikking inzake de verplichting tot betaling
is bekendgemaakt"."""


@dataclass(frozen=True, slots=True)
class BetalingsTermijn:
    """The outcome of :func:`betalingstermijn`: the last day to pay a geldsom such as a boete."""

    pay_by_on: date


def betalingstermijn(*, bekendgemaakt_on: date) -> BetalingsTermijn:
    """Return the last day to pay a boete imposed by a beschikking (Awb 4:87 lid 1; Atw art. 1).

    Awb 4:87 lid 1: payment is due within six weeks after the beschikking that sets the duty to pay was
    bekendgemaakt (sent, Awb 3:41; the dagtekening of the letter). Neither the Wet inburgering 2021 nor the
    Besluit sets another term (Awb 4:87 lid 2). Six weeks from the bekendmaking ends on the same weekday
    (the convention of :func:`add_weeks`, as in :func:`bezwaar_termijn`); Atw art. 1 lid 1: a term set by law
    that ends on a Saturday, Sunday or feestdag runs to the next working day.
    """
    return BetalingsTermijn(pay_by_on=atw_shift(add_weeks(bekendgemaakt_on, BETALING_WEEKS)))


@dataclass(frozen=True, slots=True)
class ReportedTermijn:
    """The outcome of :func:`reported_termijn`. ``fits``: DUO's termijn is the W 11 termijn of the PIP plus whole
    months of extension (``extension_months``, 0 without one); ``termijn_end_on`` is DUO's last day (inclusive)."""

    fits: bool
    extension_months: int
    termijn_end_on: date


def reported_termijn(*, pip_dagtekening_on: date, duo_einddatum_on: date) -> ReportedTermijn:
    """Read the termijn DUO reports against the PIP's dagtekening (Wet inburgering 2021 art. 11, 12; Besluit
    inburgering 2021 art. 4.4, 4.5).

    DUO keeps the termijn and decides on its extension (W 12; 6 months for aanzienlijke inspanningen, B 4.4); the
    gemeente learns the result from DUO's Inburgeringstermijn API, whose ``einddatum`` is exclusive. The termijn
    fits when DUO's end is the end of :func:`termijn` with one extension of n >= 0 whole months (n = 0: no
    extension). Any other end (earlier, or not a whole number of months later) does not fit: then DUO's termijn
    and the file's PIP disagree, which is not an extension.
    """
    end = duo_einddatum_on - timedelta(days=1)
    plain = termijn(pip_dagtekening_on=pip_dagtekening_on).termijn_end_on
    months = (end.year - plain.year) * 12 + end.month - plain.month
    if months >= 0 and termijn(pip_dagtekening_on=pip_dagtekening_on, extensions_months=[months]).termijn_end_on == end:
        return ReportedTermijn(fits=True, extension_months=months, termijn_end_on=end)
    return ReportedTermijn(fits=False, extension_months=0, termijn_end_on=end)


class DuoTermijnReport(StrEnum):
    """How the termijn DUO reported relates to the file's PIP (the outcome ``duo_report`` of :func:`file_termijn`)."""

    NONE = "none"  # DUO reported no termijn (or only ones it retracted)
    FITS = "fits"  # DUO's termijn is the PIP's termijn, possibly extended by whole months
    DOES_NOT_FIT = "does_not_fit"  # another start, or an end that is not the PIP's end plus whole months


@dataclass(frozen=True, slots=True)
class FileTermijn:
    """The outcome of :func:`file_termijn`: the fields of :class:`Termijn` for the termijn that applies, the months
    of extension counted in it (0 without one) and how DUO's report relates to the PIP (``duo_report``)."""

    termijn_start_on: date
    termijn_end_on: date
    route_switch_until_on: date
    extension_request_from_on: date
    duo_einddatum_on: date
    extension_months: int
    duo_report: DuoTermijnReport


def file_termijn(
    *, pip_dagtekening_on: date, duo_startdatum_on: date | None = None, duo_einddatum_on: date | None = None
) -> FileTermijn:
    """Return a file's inburgeringstermijn with the extension DUO reported (Wet inburgering 2021 art. 11, 12).

    Besluit inburgering 2021 art. 4.4, 4.5, 5.4 as in :func:`termijn`.

    W 11: three years from the day after the first PIP's dagtekening (:func:`termijn`). W 12: DUO decides on an
    extension and reports the longer termijn (its newest, not retracted message, with DUO's exclusive
    ``einddatum``). The report fits when DUO's start is the PIP's start (when DUO gave one) and its end is the
    PIP's end plus whole months (:func:`reported_termijn`); then those months extend the termijn. A report that
    does not fit is no extension: the termijn stays the PIP's, and a person sorts out the difference with DUO (the
    'termijn wijkt af' signal). Without a report the termijn is the PIP's.
    """
    report, months = DuoTermijnReport.NONE, 0
    if duo_einddatum_on is not None:
        reported = reported_termijn(pip_dagtekening_on=pip_dagtekening_on, duo_einddatum_on=duo_einddatum_on)
        same_start = duo_startdatum_on in (None, pip_dagtekening_on + timedelta(days=1))
        report = DuoTermijnReport.FITS if reported.fits and same_start else DuoTermijnReport.DOES_NOT_FIT
        months = reported.extension_months if report == DuoTermijnReport.FITS else 0
    period = termijn(pip_dagtekening_on=pip_dagtekening_on, extensions_months=[months] if months else [])
    return FileTermijn(
        termijn_start_on=period.termijn_start_on,
        termijn_end_on=period.termijn_end_on,
        route_switch_until_on=period.route_switch_until_on,
        extension_request_from_on=period.extension_request_from_on,
        duo_einddatum_on=period.duo_einddatum_on,
        extension_months=months,
        duo_report=report,
    )
