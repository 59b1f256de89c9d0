"""The Annexe 7 results as one document: built from a cohort, given as JSON or tables.

The JSON form is a public contract (``schema/metrics.schema.json``, generated
from :class:`MetricsReport`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from olapcli.core import rules
from olapcli.core.derive import metrics, stats
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.cohortdata import CohortData


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LearnerRow(_Out):
    key: str
    name: str | None = Field(default=None, description="only with --identify")
    counts: dict[str, int]
    total: int
    proactive: bool
    outcomes: dict[str, bool | float | int | None]


class StatisticOut(_Out):
    indicator: str
    method: str
    n: int
    value: float | None
    p: float | None
    reason: str | None
    rates: dict[str, Any]


class LabelOut(_Out):
    granted: bool
    share: float
    required_share: float
    min_needs: int
    columns: list[str]
    per: str
    units: list[str]
    short: list[dict[str, Any]]


class AnnexNeed(_Out):
    key: str
    activity: str
    activity_title: str
    practice: str
    identified: dt.date
    due: dt.date
    detail: str
    resources: list[str]


class CoverageOut(_Out):
    key: str
    states: dict[str, list[str]]


class Source(_Out):
    commit: str | None
    dirty: bool | None
    generated: dt.datetime
    period: dict[str, dt.date | None]


class MetricsReport(_Out):
    """``olap metrics --format json``."""

    cohort: str
    practices: list[dict[str, str]]
    learners: list[LearnerRow]
    statistics: list[StatisticOut]
    label: LabelOut
    annex: list[AnnexNeed]
    coverage: list[CoverageOut]
    source: Source


def build(
    data: Any,
    learners: list[Any],
    start: dt.date | None,
    end: dt.date | None,
    identify: bool,
    source: Source,
) -> tuple[MetricsReport, list[metrics.Row]]:
    """The report of the cohort *data* (a loaded CohortData) and its *learners* (briefs
    or models), in the order given."""
    from olapcli.core.derive.briefs import LearnerBrief, of
    from olapcli.core.derive.redact import Redactor

    cohort, referentiel = data.cohort, data.referentiel
    learners = [x if isinstance(x, LearnerBrief) else of(x) for x in learners]
    clear = Redactor(learners, identify)
    table = metrics.rows(cohort, learners, start, end)
    titles = rules.activity_titles(referentiel)
    lab = metrics.label(cohort, table)
    report = MetricsReport(
        cohort=cohort.formation.name,
        practices=[{"id": p.id, "label": p.label} for p in cohort.practices],
        learners=[
            LearnerRow(
                key=r.learner.key,
                name=f"{r.learner.first_name} {r.learner.last_name}" if identify else None,
                counts=r.counts,
                total=r.total,
                proactive=r.proactive,
                outcomes=r.outcomes,
            )
            for r in table
        ],
        statistics=[StatisticOut(**s.as_json()) for s in stats.statistics(table)],
        label=LabelOut(
            granted=lab.granted,
            share=lab.share,
            required_share=lab.required_share,
            min_needs=lab.min_needs,
            columns=lab.columns,
            per=lab.per,
            units=lab.units,
            short=[{k: v for k, v in s.items() if identify or k != "learner"} for s in lab.short],
        ),
        annex=[
            AnnexNeed(
                key=r.learner.key,
                activity=n.activity,
                activity_title=titles.get(n.activity, n.activity),
                practice=n.practice,
                identified=n.identified,
                due=n.due,
                detail=clear(n.detail),
                resources=[clear(x) for x in n.resources],
            )
            for r in table
            for n in r.needs
        ],
        coverage=[
            CoverageOut(key=r.learner.key, states=metrics.coverage(r.learner, referentiel))
            for r in table
        ],
        source=source,
    )
    return report, table


def indicator_label(key: str) -> str:
    """The indicator's name in the user's language."""
    names = {
        "rupture": _("Contract break"),
        "exam": _("Exam passed"),
        "placement": _("Contract signed"),
        "absence_hours": _("Absence (hours)"),
        "insertion_6m": _("In work after 6 months"),
        "satisfaction_learner": _("Learner satisfaction"),
        "satisfaction_company": _("Company satisfaction"),
    }
    return names[key]


def table_rows(report: MetricsReport, identify: bool) -> tuple[list[str], list[list[Any]]]:
    """The Annexe 7 table as header and rows (values, not formatted text)."""
    header = [_("Key")] + ([_("Name")] if identify else []) + [p["label"] for p in report.practices]
    header += [_("Total"), _("Proactive")] + [indicator_label(k) for k in metrics.INDICATORS]
    rows = []
    for r in report.learners:
        row: list[Any] = [r.key] + ([r.name] if identify else [])
        row += [r.counts[p["id"]] for p in report.practices] + [
            r.total,
            _("yes") if r.proactive else _("no"),
        ]
        for k in metrics.INDICATORS:
            v = r.outcomes[k]
            row.append(
                None if v is None else (_("yes") if v is True else _("no") if v is False else v)
            )
        rows.append(row)
    return header, rows


@dataclass
class CohortPart:
    """One cohort's share of the report."""

    root: Path
    data: CohortData
    table: list[metrics.Row]
    label: metrics.Label
    source: Source
