"""The Annexe 7 results as one document: built from a cohort, given as JSON or tables.

The JSON form is a public contract (``schema/metrics.schema.json``, generated
from :class:`MetricsReport`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from olapcli.core import rules
from olapcli.core.derive import metrics, pipeline, quality, stats
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
    """One indicator's verdict (docs/metrics.md, « Statistics »)."""

    indicator: str
    method: str = Field(description="point-biserial | pearson | spearman")
    n: int = Field(description="learners whose outcome is known")
    value: float | None = Field(description="r or rho")
    low: float | None = Field(description="its 95 % interval (Fisher's z)")
    high: float | None
    p: float | None
    p_holm: float | None = Field(description="p adjusted by Holm's method over `tests`")
    tests: int
    reason: str | None = Field(description="insufficient | small-groups | no-variation")
    groups: dict[str, int] = Field(description="yes/no outcomes: learners with yes, with no")
    difference: dict[str, Any] = Field(
        description="yes/no outcomes: proactive vs not, the risk difference and its "
        "Newcombe 95 % interval (value, low, high), or the reason there is none"
    )


class LabelOut(_Out):
    granted: bool
    share: float
    required_share: float
    min_needs: int
    columns: list[str]
    per: str
    units: list[str]
    short: list[dict[str, Any]]
    #: keys of the learners no unit applies to (per period: no company period followed)
    exempt: list[str] = []


class AnnexNeed(_Out):
    key: str
    #: None: the need names a competence of its practice's grid alone (its title below)
    activity: str | None
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
    #: the quality of anticipation (docs/metrics.md): per practice and per learner key
    quality: dict[str, list[dict[str, Any]]] = {}
    #: the contract search (docs/metrics.md): the cohort's figures and each learner's
    pipeline: dict[str, Any] = {}


@dataclass
class Figures:
    """The Annexe 7 figures of a cohort: its table, statistics and label (what ``olap
    metrics`` shows); :func:`document` adds the annex and the coverage for the exports."""

    cohort: str
    practices: list[dict[str, str]]
    table: list[metrics.Row]
    statistics: list[stats.Statistic]
    label: metrics.Label
    #: the quality of anticipation: per practice and per learner key (core/derive/quality)
    quality: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: the contract search: the cohort's figures and each learner's (core/derive/pipeline)
    pipeline: dict[str, Any] = field(default_factory=dict)


def figures(
    data: Any,
    learners: list[Any],
    start: dt.date | None,
    end: dt.date | None,
    statistics: Callable[[list[metrics.Row]], list[stats.Statistic]] = stats.statistics,
) -> Figures:
    """The figures of the cohort *data* (a loaded CohortData) and its *learners* (briefs
    or models), in the order given (*statistics*: what computes them, see
    olapcli.app.report.Statistician)."""
    from olapcli.core.derive.briefs import LearnerBrief, of

    cohort = data.cohort
    learners = [x if isinstance(x, LearnerBrief) else of(x) for x in learners]
    table = metrics.rows(cohort, learners, start, end)
    return Figures(
        cohort.formation.name,
        [{"id": p.id, "label": p.label} for p in cohort.practices],
        table,
        statistics(table),
        metrics.label(cohort, table, start, end),
        {
            "practices": [
                {"practice": pid, **q.as_json()}
                for pid, q in quality.per_practice(cohort, table, start, end)
            ],
            "learners": [
                {"key": key, **q.as_json()}
                for key, q in quality.per_learner(cohort, table, start, end)
            ],
        },
        search_json(learners, start, end),
    )


def search_json(learners: list[Any], start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    """The contract search's figures as the JSON document gives them."""
    rows, total = pipeline.per_learner(learners, start, end)
    return {
        "total": total.as_json(),
        "learners": [{"key": b.key, **mine.as_json()} for b, mine in rows],
    }


def label_out(lab: metrics.Label, identify: bool) -> LabelOut:
    """The label as the document gives it: names of those falling short only with
    *identify*."""
    return LabelOut(
        granted=lab.granted,
        share=lab.share,
        required_share=lab.required_share,
        min_needs=lab.min_needs,
        columns=lab.columns,
        per=lab.per,
        units=lab.units,
        short=[{k: v for k, v in s.items() if identify or k != "learner"} for s in lab.short],
        exempt=lab.exempt,
    )


def document(found: Figures, data: Any, identify: bool, source: Source) -> MetricsReport:
    """``olap metrics --format json``: the figures, the annex of the needs counted (free
    text cleared of names and addresses unless *identify*) and each learner's coverage."""
    from olapcli.core.derive.redact import Redactor, staff

    table, referentiel = found.table, data.referentiel
    clear = Redactor([r.learner for r in table], identify, staff(data.cohort))
    titles = rules.subject_titles(referentiel, data.cohort)

    def annex(r: metrics.Row) -> list[AnnexNeed]:
        # a learner whose texts hold no name, number nor address needs no clearing (most)
        keep = clear.scrubber(r.learner)
        return [
            AnnexNeed(
                key=r.learner.key,
                activity=n.activity,
                activity_title=rules.subject_title(n, titles),
                practice=n.practice,
                identified=n.identified,
                due=n.due,
                detail=keep(n.detail),
                resources=[keep(x) for x in n.resources],
            )
            for n in r.needs
        ]

    return MetricsReport(
        cohort=found.cohort,
        practices=found.practices,
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
        statistics=[StatisticOut(**s.as_json()) for s in found.statistics],
        label=label_out(found.label, identify),
        annex=[need for r in table for need in annex(r)],
        coverage=[
            CoverageOut(key=r.learner.key, states=metrics.coverage(r.learner, referentiel))
            for r in table
        ],
        source=source,
        quality=found.quality,
        pipeline=found.pipeline,
    )


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


def quality_labels() -> list[str]:
    """The headers of the quality columns of the Annexe 7 table (:func:`table_rows`), in
    the order of :meth:`olapcli.core.derive.quality.Quality.typed`."""
    return [
        _("Share confirmed by the company"),
        _("Share prepared before due"),
        _("Share applied"),
        _("Share evaluated"),
        _("Share valorised with an advantage"),
        _("Median lead (days)"),
    ]


def table_rows(found: Figures, identify: bool) -> tuple[list[str], list[list[Any]]]:
    """The Annexe 7 table as header and rows (values, not formatted text): per learner the
    counts, the indicators, then the quality of the needs counted (shares as
    :class:`~olapcli.core.derive.quality.Share`, the median lead as ``Days``; None where
    there is nothing to divide by)."""
    practices = [p["id"] for p in found.practices]
    header = [_("Key")] + ([_("Name")] if identify else []) + [p["label"] for p in found.practices]
    header += [_("Total"), _("Proactive")] + [indicator_label(k) for k in metrics.INDICATORS]
    header += quality_labels()
    shares = [f"{name}_share" for name in quality.SHARES]
    kept = {q["key"]: q for q in found.quality.get("learners", [])}
    yes, no = _("yes"), _("no")
    rows = []
    for r in found.table:
        learner = r.learner
        row: list[Any] = [learner.key]
        if identify:
            row.append(f"{learner.first_name} {learner.last_name}")
        row += [r.counts[p] for p in practices]
        row += [r.total, yes if r.proactive else no]
        for k in metrics.INDICATORS:
            v = r.outcomes[k]
            row.append(None if v is None else yes if v is True else no if v is False else v)
        q = kept.get(learner.key, {})
        row += [None if q.get(s) is None else quality.Share(q[s]) for s in shares]
        lead = q.get("median_lead_days")
        row.append(None if lead is None else quality.Days(lead))
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
    #: the learners left out for their validate errors (``--exclude-invalid``)
    excluded: list[Excluded] = field(default_factory=list)


@dataclass(frozen=True)
class Excluded:
    """A learner file left out of the figures: the learner's pseudonymous key (None when
    the file cannot be read far enough to know it) and the codes of its errors."""

    key: str | None
    codes: tuple[str, ...]
