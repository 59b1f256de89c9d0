"""The impact report made from observatory exports (``olap report FILE.jsonl``): the
rows of :mod:`olapcli.core.derive.observatoire`, gathered by cohort, shown as the report
of cohort folders shows them, as far as the rows carry the data; each part they do not
carry is left out with a sentence saying why (docs/observatoire.md).

The pieces are those of :mod:`olapcli.render.report` (charts, tables, the statistics in
words) and of the core (quality, charter): only the rows are new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from olapcli.core.derive import charter, metrics, pipeline, quality, stats
from olapcli.core.derive.impact import indicator_label
from olapcli.core.derive.observatoire import BaseRow, CohortRows
from olapcli.i18n import _
from olapcli.render import charts, verdicts
from olapcli.render.report import _search_cells, _table_body


@dataclass
class _Learner:
    """A row as the report's shared pieces read a learner (total, proactive, outcomes, the
    paths out)."""

    key: str
    total: int
    proactive: bool
    outcomes: dict[str, Any] = field(default_factory=dict)
    dropout: bool | None = None
    further_study: bool | None = None


def _learner(row: BaseRow) -> _Learner:
    o = row.outcomes
    return _Learner(row.key, row.total, row.proactive, o.model_dump(), o.dropout, o.further_study)


def _label(group: CohortRows) -> SimpleNamespace:
    """The label of a cohort from its learners' judgements at export: granted when the
    share of those judged who met it reaches the share required (as metrics.label)."""
    first = group.first.label
    met = sum(r.label.status == "met" for r in group.rows)
    judged = sum(r.label.status != "exempt" for r in group.rows)
    share = met / judged if judged else 0.0
    return SimpleNamespace(
        granted=bool(judged) and share >= first.required_share - 1e-12,
        share=share,
        required_share=first.required_share,
        min_needs=first.min_needs,
        columns=first.columns,
        per=first.per,
        exempt=[r.key for r in group.rows if r.label.status == "exempt"],
        short=[
            {"name": r.key, "missing": verdicts.shortfall(r.label.missing, first.per)}
            for r in group.rows
            if r.label.status == "short"
        ],
    )


def context(groups: list[CohortRows], today: dt.date, statistician: Any = None) -> dict[str, Any]:
    """Everything the report over exports shows (*statistician*: as
    :func:`olapcli.render.report.context`)."""
    many = len(groups) > 1
    table = [_learner(r) for g in groups for r in g.rows]
    practices: list[str] = []
    for g in groups:
        for each in g.rows:
            practices += [p for p in each.counts if p not in practices]
    yes, no = _("yes"), _("no")

    def shown(v: Any) -> Any:
        return None if v is None else yes if v is True else no if v is False else v

    header = [_("Learner")] + ([_("Training action")] if many else [])
    labels: dict[str, str] = {}
    for g in groups:
        for p, label in g.first.practices.items():
            labels.setdefault(p, label)
    header += [*(labels.get(p, p) for p in practices), _("Total"), _("Proactive")]
    header += [indicator_label(k) for k in metrics.INDICATORS]
    rows, quality_rows, meeting_rows, search_rows = [], [], [], []
    search_total, unsearched = pipeline.Search(), 0
    for g in groups:
        for r in g.rows:
            row: list[Any] = [r.key] + ([g.first.formation] if many else [])
            row += [r.counts.get(p, 0) for p in practices]
            row += [r.total, shown(r.proactive)]
            row += [shown(getattr(r.outcomes, k)) for k in metrics.INDICATORS]
            rows.append(row)
            q = r.quality
            made = quality.Quality(
                q.counted,
                q.anticipated,
                q.prepared,
                q.applied,
                q.evaluated,
                q.valorised,
                q.median_lead_days,
            )
            quality_rows.append([r.key, *made.cells()])
            meeting_rows.append([r.key, r.meetings, shown(r.meetings_met)])
            got = r.searched()
            if got is None:  # a row of version 1: made before the search was exported
                unsearched += 1
            elif got.prospects:
                mine = pipeline.Search(
                    got.prospects,
                    got.needs,
                    got.internships,
                    got.contracts,
                    tuple(got.days_to_contract),
                )
                search_rows.append([r.key, *_search_cells(mine)])
                search_total.add(mine)  # the days put together: the cohort's median is exact
    summaries = [
        {
            "name": g.first.formation,
            "level": g.first.level,
            "rncp": g.first.rncp,
            "year": g.first.year,
            "start": g.first.start,
            "end": g.first.end,
            "exported": g.first.exported,
            "period": (g.first.period_from, g.first.period_to),
            "excluded": g.first.excluded,
            "origins": g.origins,
            "learners": len(g.rows),
            "recorded": sum(r.needs_recorded for r in g.rows),
            "counted": sum(r.total for r in g.rows),
            "proactive": sum(r.proactive for r in g.rows),
            "proactive_share": sum(r.proactive for r in g.rows) / len(g.rows),
            "label": _label(g),
        }
        for g in groups
    ]
    for s in summaries:
        s["rule"] = verdicts.label_rule(s["label"], labels)
        s["result"] = verdicts.label_result(s["label"])
    per_practice = {p: sum(r.counts.get(p, 0) for g in groups for r in g.rows) for p in practices}
    found = statistician.statistics(table) if statistician else stats.statistics(table)  # type: ignore[arg-type]
    names = ", ".join(g.first.formation for g in groups)
    return {
        "title": _("Proactive work-study: impact report — {names}").format(names=names),
        "generated": today.isoformat(),
        "summaries": summaries,
        "windows": " / ".join(sorted({str(g.first.imminence_days) for g in groups})),
        "charts": {
            "practices": charts.practices_figure(
                [(labels.get(p, p), n) for p, n in per_practice.items()]
            ),
            "outcomes": charts.outcomes_figure(table),
        },
        "header": header,
        "table_body": _table_body(rows),
        "quality_learners": _table_body(quality_rows),
        "meetings_body": _table_body(meeting_rows),
        "search_body": _table_body(
            [*search_rows, [_("All learners"), *_search_cells(search_total)]]
        ),
        "search_total": search_total,
        "unsearched": unsearched,
        "outcome_counts": charter.outcome_counts(table),  # type: ignore[arg-type]
        "sentences": [verdicts.sentence(s) for s in found],
    }


def html(groups: list[CohortRows], today: dt.date, statistician: Any = None) -> str:
    """The report over the export rows *groups*: one self-contained HTML page."""
    from olapcli.render import render

    return render("report-rows.html.j2", **context(groups, today, statistician))
