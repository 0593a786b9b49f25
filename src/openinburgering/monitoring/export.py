"""CSV export for Excel: UTF-8 with a BOM, semicolons, and safe against formula injection (a cell that starts
with = + - @ (or a tab or carriage return) gets a leading quote so a spreadsheet shows it as text)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openinburgering.providers.models import EXAM_PART_CHOICES

from .selectors import CohortRow, ContractRow

BOM = "\ufeff"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    text = f"{value:f}".replace(".", ",") if isinstance(value, Decimal) else str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


CONTRACT_HEADER = (
    "aanbieder", "contract", "voor", "prijsmodel", "keurmerk", "capaciteit", "plaatsingen", "actief",
    "uren_gecontracteerd", "uren_aangeboden", "uren_aanwezig", "afwezig_met_reden", "afwezig_zonder_reden",
    "examens_gedaan",
    "examens_gehaald", *(f"gehaald_{code}" for code, _ in EXAM_PART_CHOICES), "voldaan", "route_gewisseld",
    "gestopt", "kosten_route", "kosten_uren", "kosten_resultaat", "kosten_totaal", "lesbezoeken",
    "lesbezoek_gemiddeld", "tevredenheid_respondenten", "tevredenheid_cijfer", "tevredenheid_procent",
)  # fmt: skip


def contract_rows(rows: list[ContractRow]) -> list[list[Any]]:
    return [
        [
            r.provider.name,
            r.contract.name,
            r.scope,
            r.contract.get_price_model_display(),
            r.keurmerk,
            r.capacity,
            r.enrolled,
            r.active,
            r.hours_contracted,
            r.hours_offered,
            r.hours_attended,
            r.absent_authorised,
            r.absent_unauthorised,
            r.exam_attempts,
            r.exams_passed,
            *(r.passed_per_part.get(code, 0) for code, _ in EXAM_PART_CHOICES),
            r.voldaan,
            r.route_switched,
            r.stopped,
            r.cost_route,
            r.cost_hours,
            r.cost_results,
            r.cost_total,
            r.lesson_visits,
            r.lesson_visit_score,
            r.survey_respondents,
            r.survey_score,
            r.survey_percent,
        ]
        for r in rows
    ]


COHORT_HEADER = (
    "cohort", "gestart", "b1_route", "onderwijsroute", "z_route", "nog_geen_pip", "aan_het_werk", "in_onderwijs",
    "participatie", "voldaan", "in_traject", "voldaan_vervolg_onbekend", "pip_geteld", "pip_op_tijd",
    "pip_op_tijd_procent", "voldaan_geteld", "voldaan_binnen_termijn", "voldaan_binnen_termijn_procent",
)  # fmt: skip


def cohort_rows(rows: list[CohortRow]) -> list[list[Any]]:
    return [
        [
            r.year,
            r.started,
            r.route_b1,
            r.route_onderwijs,
            r.route_z,
            r.route_none,
            r.work,
            r.education,
            r.participation,
            r.voldaan,
            r.in_traject,
            r.follow_up_unknown,
            r.pip_counted,
            r.pip_on_time,
            r.pip_on_time_percent,
            r.voldaan_counted,
            r.voldaan_on_time,
            r.voldaan_on_time_percent,
        ]
        for r in rows
    ]
