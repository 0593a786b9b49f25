"""The figures of the gemeente dashboard (#16 item 2), summed from the aggregate layer (``monitoring.facts``).

Every figure is a :class:`Table` (title, definition, columns, rows): the page shows it with a chart, the CSV and
the API give the same rows. Two queries per dashboard whatever the number of clients: the cells summed per
month and metric, and per doelgroep and metric. The period is a range of whole months; a figure counts the files
whose event (named in its definition) falls in the period. Deadlines are never computed here: "op tijd" is the
outcome stored on the fact, from ``rules.pip_deadline`` and the termijn from ``rules.termijn``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Q, Sum

from openinburgering.clients.choices import Doelgroep
from openinburgering.followup.choices import Situation
from openinburgering.intakes.choices import Leerroute
from openinburgering.netwerk.selectors import PartnerFigures, referral_figures

from .facts import NORM_WEEKS, WEEK_BUCKETS, month_of
from .models import FactCell

MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
DOELGROEPEN: tuple[tuple[str, str], ...] = (*((str(v), str(label)) for v, label in Doelgroep.choices), ("", "Onbekend"))
ROUTES: tuple[tuple[str, str], ...] = tuple((str(v), str(label)) for v, label in Leerroute.choices)
OUTCOMES: tuple[tuple[str, str], ...] = (
    *((str(v), str(label)) for v, label in Situation.choices if v != Situation.ONBEKEND),
    ("onbekend", "Nog geen vervolgcontact of onbekend"),
)


def month_label(month: date) -> str:
    return f"{MONTHS_NL[month.month - 1]} {month.year}"


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded half up; None when nothing was counted."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Filters:
    month_from: date
    month_to: date
    doelgroep: str | None = None  # None: every doelgroep ("" is a real value: no doelgroep recorded)
    team: int | None = None  # accounts.Team id; 0 = no team

    @classmethod
    def default(cls, today: date) -> Filters:
        """The last twelve months, this month included."""
        return cls(month_from=add_months(month_of(today), -11), month_to=month_of(today))

    def as_dict(self) -> dict[str, Any]:
        return {
            "van": self.month_from.strftime("%Y-%m"),
            "tot": self.month_to.strftime("%Y-%m"),
            "doelgroep": self.doelgroep,
            "team": self.team,
        }

    def cells(self, gemeente_ids: Iterable[int]) -> Any:
        queryset = FactCell.objects.filter(
            gemeente_id__in=list(gemeente_ids), month__gte=self.month_from, month__lte=self.month_to
        )
        if self.doelgroep is not None:
            queryset = queryset.filter(doelgroep=self.doelgroep)
        if self.team is not None:
            queryset = queryset.filter(team=self.team)
        return queryset


@dataclass
class Table:
    key: str
    title: str
    definition: str
    columns: list[str]
    rows: list[list[Any]]
    chart: dict[str, Any] = field(default_factory=dict)  # how monitoring.views draws it; empty: no chart

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "definition": self.definition, "columns": self.columns,
                "rows": self.rows}  # fmt: skip


class Sums:
    """The summed cells of one selection: ``get(metric)``, ``month(month, metric)``, ``group(doelgroep, metric)``."""

    def __init__(self, by_month: dict[tuple[date, str], int], by_group: dict[tuple[str, str], int]) -> None:
        self.by_month = by_month
        self.by_group = by_group
        self.total: dict[str, int] = defaultdict(int)
        for (_, metric), value in by_group.items():
            self.total[metric] += value

    def get(self, metric: str) -> int:
        return self.total.get(metric, 0)

    def month(self, month: date, metric: str) -> int:
        return self.by_month.get((month, metric), 0)

    def group(self, doelgroep: str, metric: str) -> int:
        return self.by_group.get((doelgroep, metric), 0)


def sums(gemeente_ids: Iterable[int], filters: Filters, *, metrics: Iterable[str] | None = None) -> Sums:
    """Two queries: per month and metric, and per doelgroep and metric."""
    ids = list(gemeente_ids)
    queryset = filters.cells(ids)
    if metrics is not None:
        queryset = queryset.filter(Q(metric__in=list(metrics)))
    by_month = {
        (row["month"], row["metric"]): int(row["v"] or 0)
        for row in queryset.values("month", "metric").annotate(v=Sum("value")).order_by()
    }
    by_group = {
        (row["doelgroep"], row["metric"]): int(row["v"] or 0)
        for row in queryset.values("doelgroep", "metric").annotate(v=Sum("value")).order_by()
    }
    return Sums(by_month, by_group)


def average_days(total_days: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total_days) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


DEFINITIONS: dict[str, str] = {
    "inflow": "Aantal dossiers per maand van de kennisgeving van DUO, van de koppeling door het COA en van de "
    "inschrijving in de BRP van de gemeente (vestiging). Eén dossier kan in alle drie de kolommen staan.",
    "intake_time": "Dossiers waarvan de brede intake in de periode is afgerond, naar het aantal weken tussen de "
    "kennisgeving en de afronding (dagen gedeeld door 7, naar boven afgerond). De norm: het PIP uiterlijk "
    f"{NORM_WEEKS} weken na de kennisgeving (Besluit inburgering 2021 art. 5.3); de brede intake gaat daaraan "
    "vooraf.",
    "pip_time": "Dossiers waarvan het eerste PIP in de periode is vastgesteld (dagtekening), naar het aantal weken "
    f"tussen de kennisgeving en de dagtekening. De norm is {NORM_WEEKS} weken (B 5.3). Of een PIP echt op tijd "
    "was, staat bij 'PIP op tijd': die termijn komt uit de regels (ook verschoven door feestdagen en later "
    "bij inschrijving na huisvesting).",
    "routes": "Dossiers waarvan het eerste PIP in de periode is vastgesteld, naar de leerroute van het huidige "
    "PIP en de doelgroep.",
    "outcomes": "Dossiers die in de periode voldaan werden, naar de situatie uit het nieuwste vervolgcontact "
    "(werk, opleiding, participatie). Zonder vervolgcontact: 'nog geen vervolgcontact'.",
    "key": "Teller en noemer per cijfer; de definitie staat in de kolom Uitleg.",
}

KEY_FIGURES: tuple[tuple[str, str, str | None, str], ...] = (
    # (label, metric counted, metric of the whole or None, explanation)
    (
        "PIP op tijd",
        "pip_on_time",
        "pip_counted",
        "Dossiers met een PIP of waarvan de uiterste datum (uit de regels, B 5.3) verstreek, geteld in de maand van "
        "de dagtekening of de uiterste datum; op tijd = dagtekening niet na de uiterste datum.",
    ),
    (
        "Voldaan binnen de termijn",
        "voldaan_on_time",
        "voldaan_counted",
        "Dossiers die voldaan werden, of waarvan de inburgeringstermijn (W 11, bewaard bij het eerste PIP) "
        "verstreek zonder voldaan; geteld in de maand van voldaan of het einde van de termijn.",
    ),
    (
        "Vroege start",
        "vroege_start",
        "vroege_start_base",
        "Asielstatushouders met een COA-koppeling van wie de brede intake in de periode is afgerond; vroege start = "
        "de intake was klaar voordat zij in de gemeente woonden.",
    ),
    (
        "Duaal traject (taal samen met werk of participatie)",
        "duaal",
        "pip_set",
        "Eerste PIP vastgesteld in de periode; duaal = het PIP beschrijft taal samen met werk of participatie.",
    ),
    (
        "Randvoorwaarde kinderopvang geregeld",
        "kinderopvang",
        "pip_set",
        "Eerste PIP vastgesteld in de periode; het PIP beschrijft de kinderopvang.",
    ),
    (
        "Randvoorwaarde reiskosten geregeld",
        "reiskosten",
        "pip_set",
        "Eerste PIP vastgesteld in de periode; het PIP beschrijft de reiskosten.",
    ),
    (
        "Randvoorwaarde lestijden afgestemd",
        "lestijden",
        "pip_set",
        "Eerste PIP vastgesteld in de periode; het PIP beschrijft de lestijden.",
    ),
    (
        "Maatschappelijke begeleiding in het PIP",
        "begeleiding",
        "pip_set",
        "Eerste PIP vastgesteld in de periode; het PIP beschrijft begeleiding en ondersteuning.",
    ),
    (
        "Ontzorgen bij bijstand",
        "ontzorgen",
        "bijstand",
        "Eerste PIP vastgesteld in de periode bij iemand met bijstand; ontzorgen = het PIP past financieel "
        "ontzorgen toe (Participatiewet art. 56a, uit de regels).",
    ),
    (
        "Bereikt met een brede intake",
        "reached",
        "inflow_kennisgeving",
        "Dossiers met een kennisgeving in de periode; bereikt = de brede intake is afgerond (ook later).",
    ),
    (
        "Leerroute gewisseld",
        "route_switched",
        "pip_set",
        "Eerste PIP vastgesteld in de periode; gewisseld = de vastgestelde versies hebben meer dan één leerroute.",
    ),
    (
        "Boetes opgelegd",
        "fine",
        None,
        "Boetebesluiten (W 23) met de uitkomst 'opgelegd' (het laatste besluit op een voorstel), naar de datum "
        "van het besluit.",
    ),
    ("Voldaan", "voldaan", None, "Dossiers die in de periode voldaan werden (datum van de statuswijziging)."),
    (
        "Verlengingen van de termijn",
        "extension",
        None,
        "Dossiers waarvan DUO een verlengde inburgeringstermijn meldde (W 12, B 4.4; DUO beslist over de "
        "verlenging): het einde dat DUO meldt ligt hele maanden na het einde uit de regels. Geteld in de maand van "
        "het bericht van DUO; bij meer verlengingen telt het nieuwste bericht.",
    ),
)


def key_figure_rows(s: Sums, *, doelgroep: str | None = None) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for label, part, whole, explanation in KEY_FIGURES:
        counted = s.get(part) if doelgroep is None else s.group(doelgroep, part)
        total = None if whole is None else (s.get(whole) if doelgroep is None else s.group(doelgroep, whole))
        rows.append([label, counted, total, None if total is None else percent(counted, total), explanation])
    return rows


def _distribution(s: Sums, prefix: str) -> list[list[Any]]:
    return [
        [f"{label} weken", s.get(f"{prefix}:{label}"), "ja" if last is not None and last <= NORM_WEEKS else "nee"]
        for label, _, last in WEEK_BUCKETS
    ]


def gemeente_dashboard(gemeente_id: int, filters: Filters) -> list[Table]:
    """Every table of the gemeente dashboard for the filters (2 queries)."""
    s = sums([gemeente_id], filters)
    months = months_between(filters.month_from, filters.month_to)
    inflow = Table(
        "inflow", "Instroom per maand", DEFINITIONS["inflow"],
        ["Maand", "Kennisgeving DUO", "Koppeling COA", "Vestiging in de gemeente"],
        [[month_label(m), s.month(m, "inflow_kennisgeving"), s.month(m, "inflow_koppeling"),
          s.month(m, "inflow_vestiging")] for m in months],
        chart={"series": ["kennisgeving", "koppeling", "vestiging"], "columns": [1, 2, 3]},
    )  # fmt: skip
    intake_avg = average_days(s.get("intake_days"), s.get("intake_timed"))
    pip_avg = average_days(s.get("pip_days"), s.get("pip_timed"))
    intake = Table(
        "intake_time", "Tijd van kennisgeving tot brede intake",
        DEFINITIONS["intake_time"] + f" Gemiddeld: {_days(intake_avg)}.",
        ["Weken na de kennisgeving", "Aantal dossiers", f"Binnen {NORM_WEEKS} weken"], _distribution(s, "intake_weeks"),
        chart={"series": ["count"], "columns": [1]},
    )  # fmt: skip
    pip = Table(
        "pip_time", "Tijd van kennisgeving tot PIP", DEFINITIONS["pip_time"] + f" Gemiddeld: {_days(pip_avg)}.",
        ["Weken na de kennisgeving", "Aantal dossiers", f"Binnen {NORM_WEEKS} weken"], _distribution(s, "pip_weeks"),
        chart={"series": ["count"], "columns": [1]},
    )  # fmt: skip
    routes = Table(
        "routes", "Leerroute per doelgroep", DEFINITIONS["routes"],
        ["Doelgroep", *(label for _, label in ROUTES), "Totaal"],
        [[label, *(s.group(code, f"route:{r}") for r, _ in ROUTES), sum(s.group(code, f"route:{r}") for r, _ in ROUTES)]
         for code, label in DOELGROEPEN if any(s.group(code, f"route:{r}") for r, _ in ROUTES)],
        chart={"series": ["route_b1", "route_onderwijs", "route_z"], "columns": [1, 2, 3]},
    )  # fmt: skip
    outcomes = Table(
        "outcomes", "Na voldaan: werk, opleiding en participatie", DEFINITIONS["outcomes"],
        ["Situatie", "Aantal dossiers"], [[label, s.get(f"outcome:{code}")] for code, label in OUTCOMES],
        chart={"series": ["count"], "columns": [1]},
    )  # fmt: skip
    key = Table(
        "key", "Kerncijfers", DEFINITIONS["key"], ["Cijfer", "Aantal", "Van", "Procent", "Uitleg"],
        key_figure_rows(s), chart={"series": ["percent"], "columns": [3], "unit": "%", "scale_max": 100},
    )  # fmt: skip
    averages = Table(
        "averages", "Gemiddelde doorlooptijd",
        "Gemiddeld aantal dagen van de kennisgeving tot de afronding van de brede intake en tot de dagtekening van "
        "het eerste PIP, voor de dossiers uit 'Tijd van kennisgeving tot ...' in de periode.",
        ["Stap", "Gemiddeld aantal dagen", "Aantal dossiers"],
        [["Brede intake", intake_avg, s.get("intake_timed")], ["PIP", pip_avg, s.get("pip_timed")]],
    )  # fmt: skip
    return [key, inflow, intake, pip, averages, routes, outcomes, *referral_tables(gemeente_id, filters)]


def referral_tables(gemeente_id: int, filters: Filters) -> list[Table]:
    """Zorg en netwerk (#14 item 9): referrals to chain partners sent in the period, by leefgebied and per partner
    (acceptance rate and time to acceptance), from netwerk.selectors.referral_figures (1 query, counts only)."""
    figures = referral_figures(
        gemeente_id, sent_from=filters.month_from, sent_before=add_months(filters.month_to, 1),
        doelgroep=filters.doelgroep, team=filters.team,
    )  # fmt: skip
    themes = cast(list[dict[str, Any]], figures["by_theme"])  # the selector's documented shape
    partners = cast(list[PartnerFigures], figures["partners"])
    by_theme = Table(
        "referrals_theme", "Verwijzingen naar ketenpartners per leefgebied",
        "Verwijzingen die in de periode zijn verstuurd (concepten niet), per leefgebied van de hulpvraag.",
        ["Leefgebied", "Verstuurde verwijzingen"], [[row["label"], row["count"]] for row in themes],
        chart={"series": ["count"], "columns": [1]},
    )  # fmt: skip
    by_partner = Table(
        "referrals_partner", "Verwijzingen per ketenpartner",
        "Per ketenpartner de verwijzingen die in de periode zijn verstuurd; acceptatie is het deel van de "
        "beantwoorde verwijzingen dat werd geaccepteerd; de tijd tot acceptatie loopt van verzenden tot het antwoord.",
        ["Ketenpartner", "Verstuurd", "Geaccepteerd", "Geweigerd", "Acceptatie",
         "Gemiddeld aantal dagen tot acceptatie"],
        [[p.organisation, p.sent, p.accepted, p.refused,
          "nog geen antwoord" if p.acceptance_percent is None else f"{p.acceptance_percent}%",
          "geen gegevens" if p.average_days_to_accept is None else str(p.average_days_to_accept).replace(".", ",")]
         for p in partners],
    )  # fmt: skip
    return [by_theme, by_partner]


def _days(value: Decimal | None) -> str:
    return "geen gegevens" if value is None else f"{value} dagen".replace(".", ",")


def table(tables: list[Table], key: str) -> Table | None:
    return next((t for t in tables if t.key == key), None)


# ---------------------------------------------------------------------------------------------------------------
# KIS-Monitor themes (#16 item 4)

KIS_COLUMNS = ["Thema", "Cijfer", "Aantal", "Van", "Procent", "Definitie"]
KIS_FIGURES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...] | None, str | None, str], ...] = (
    # (theme, label, metrics counted, metrics of the whole (None: a count), doelgroep or None, definition)
    ("Vroege start", "Brede intake klaar vóór de huisvesting", ("vroege_start",), ("vroege_start_base",), None,
     "Asielstatushouders met een COA-koppeling van wie de brede intake in het jaar is afgerond; teller: de intake "
     "was klaar voordat zij in de gemeente woonden (COA-koppeling, nog niet gehuisvest op de dag van de intake)."),
    ("Randvoorwaarden", "Kinderopvang geregeld in het PIP", ("kinderopvang",), ("pip_set",), None,
     "Eerste PIP's met dagtekening in het jaar; teller: het (huidige) PIP beschrijft de kinderopvang."),
    ("Randvoorwaarden", "Reiskosten geregeld in het PIP", ("reiskosten",), ("pip_set",), None,
     "Eerste PIP's met dagtekening in het jaar; teller: het PIP beschrijft de reiskosten."),
    ("Randvoorwaarden", "Lestijden afgestemd in het PIP", ("lestijden",), ("pip_set",), None,
     "Eerste PIP's met dagtekening in het jaar; teller: het PIP beschrijft de lestijden."),
    ("Taal en participatie combineren", "Duaal traject in het PIP", ("duaal",), ("pip_set",), None,
     "Eerste PIP's met dagtekening in het jaar; teller: het PIP beschrijft taal samen met werk of participatie."),
    ("Begeleiding gezinsmigranten", "Gezinsmigranten bereikt met een brede intake", ("reached",),
     ("inflow_kennisgeving",), "gezinsmigrant",
     "Gezinsmigranten met een kennisgeving in het jaar; teller: hun brede intake is afgerond."),
    ("Begeleiding gezinsmigranten", "Gezinsmigranten met begeleiding in het PIP", ("begeleiding",), ("pip_set",),
     "gezinsmigrant",
     "Gezinsmigranten met een eerste PIP in het jaar; teller: het PIP beschrijft maatschappelijke begeleiding."),
    ("Financieel ontzorgen", "Ontzorgd bij bijstand", ("ontzorgen",), ("bijstand",), None,
     "Eerste PIP's in het jaar van mensen met bijstand; teller: het PIP past financieel ontzorgen toe "
     "(Participatiewet art. 56a, uit de regels)."),
    ("Leerroutes", "B1-route", ("route:b1",), ("route:b1", "route:onderwijs", "route:z"), None,
     "Eerste PIP's in het jaar naar de leerroute van het huidige PIP."),
    ("Leerroutes", "Onderwijsroute", ("route:onderwijs",), ("route:b1", "route:onderwijs", "route:z"), None,
     "Eerste PIP's in het jaar naar de leerroute van het huidige PIP."),
    ("Leerroutes", "Z-route", ("route:z",), ("route:b1", "route:onderwijs", "route:z"), None,
     "Eerste PIP's in het jaar naar de leerroute van het huidige PIP."),
    ("Integratieroutes na voldaan", "Werk", ("outcome:werk",), ("voldaan",), None,
     "Dossiers die in het jaar voldaan werden; teller: het nieuwste vervolgcontact zegt betaald werk."),
    ("Integratieroutes na voldaan", "Onderwijs", ("outcome:opleiding",), ("voldaan",), None,
     "Idem; teller: opleiding of studie."),
    ("Integratieroutes na voldaan", "Activering", ("outcome:zoekt",), ("voldaan",), None,
     "Idem; teller: zoekt werk of een opleiding (in traject naar werk of opleiding)."),
    ("Integratieroutes na voldaan", "Maatschappelijke participatie", ("outcome:participatie",), ("voldaan",), None,
     "Idem; teller: participatie (vrijwilligerswerk, participatieplek, dagbesteding)."),
    ("Integratieroutes na voldaan", "(Nog) geen route", ("outcome:geen", "outcome:onbekend"), ("voldaan",), None,
     "Idem; teller: geen vervolg nodig of gewenst, onbekend, of nog geen vervolgcontact."),
)  # fmt: skip


def kis_table(gemeente_id: int, year: int) -> Table:
    """The KIS-Monitor themes for one calendar year, from the cells (2 queries)."""
    s = sums([gemeente_id], Filters(month_from=date(year, 1, 1), month_to=date(year, 12, 1)))
    rows: list[list[Any]] = []
    for theme, label, parts, whole, doelgroep, definition in KIS_FIGURES:

        def value(metrics: tuple[str, ...], doelgroep: str | None = doelgroep) -> int:
            return sum(s.get(m) if doelgroep is None else s.group(doelgroep, m) for m in metrics)

        counted = value(parts)
        total = None if whole is None else value(whole)
        rows.append([theme, label, counted, total, None if total is None else percent(counted, total), definition])
    return Table(
        "kis", f"KIS-Monitor: thema's over {year}",
        "De onderwerpen waar de KIS-Monitor naar vraagt, berekend uit de dossiers. Per cijfer staat de definitie.",
        KIS_COLUMNS, rows,
    )  # fmt: skip
