"""Annexe 7: the impact table and the label. Pure functions, no printing.

A need counts for its practice by the count rule, :func:`olapcli.core.rules.counted`
(docs/metrics.md); the statistics are in :mod:`olapcli.core.derive.stats`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from olapcli.core import rules
from olapcli.core.derive import charter
from olapcli.core.derive.briefs import OUTCOME_KEYS, LearnerBrief, NeedBrief, of

if TYPE_CHECKING:
    from olapcli.core.model import Cohort, Learner, Referentiel

#: indicator -> kind. Binary: True/False/None; continuous: number/None; ordinal: 1–5/None.
INDICATORS: dict[str, str] = {
    "rupture": "binary",
    "exam": "binary",
    "placement": "binary",
    "absence_hours": "continuous",
    "insertion_6m": "binary",
    "satisfaction_learner": "ordinal",
    "satisfaction_company": "ordinal",
}
assert tuple(INDICATORS) == OUTCOME_KEYS  # the briefs carry the outcomes in this order


@dataclass
class Row:
    """One learner's line of the Annexe 7 table."""

    learner: LearnerBrief
    counts: dict[str, int]
    needs: list[NeedBrief]  # the needs counted
    outcomes: dict[str, Any]
    total: int = field(init=False)
    proactive: bool = field(init=False)

    def __post_init__(self) -> None:
        self.total = sum(self.counts.values())
        self.proactive = self.total > 0


def rows(
    cohort: Cohort,
    learners: list[LearnerBrief] | list[Learner],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[Row]:
    """The Annexe 7 table, one row per learner, practices in cohort.yaml's order."""
    out = []
    practices = {p.id for p in cohort.practices}
    days = cohort.policy.imminence_days
    for each in learners:
        learner = each if isinstance(each, LearnerBrief) else of(each)
        needs = [n for n in learner.needs if rules.counted(n, practices, days, start, end)]
        counts = {p.id: 0 for p in cohort.practices}
        for need in needs:
            counts[need.practice] += 1
        out.append(
            Row(
                learner,
                counts,
                sorted(needs, key=attrgetter("identified", "id")),
                dict(learner.outcomes),
            )
        )
    return out


def _school_years(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    first = start.year if start.month >= 9 else start.year - 1
    last = end.year if end.month >= 9 else end.year - 1
    return [
        (f"{y}-{y + 1}", dt.date(y, 9, 1), dt.date(y + 1, 8, 31)) for y in range(first, last + 1)
    ]


@dataclass
class Label:
    """The label « proactivité pour l'emploi » for one training action."""

    granted: bool
    share: float  # learners who meet it, among those it applies to
    required_share: float
    min_needs: int
    columns: list[str]
    per: str
    units: list[str]
    short: list[dict[str, Any]]  # who falls short, where and by how much
    #: keys of the learners no unit applies to (per period: no company period followed)
    exempt: list[str] = field(default_factory=list)


def _units(
    cohort: Cohort, per: str, start: dt.date | None, end: dt.date | None
) -> list[tuple[str, dt.date, dt.date]]:
    """The units the label is judged on, within ``--from``/``--to``: the action, each
    school year, or each company period overlapping them."""
    lo = max(cohort.start, start) if start else cohort.start
    hi = min(cohort.end, end) if end else cohort.end
    if per == "action":
        return [("action", lo, hi)]
    if per == "year":
        years = _school_years(cohort.start, cohort.end)
        return [(n, a, b) for n, a, b in years if a <= hi and b >= lo]
    return [(p.id, p.start, p.end) for p in cohort.periods if p.start <= hi and p.end >= lo]


def label(
    cohort: Cohort, table: list[Row], start: dt.date | None = None, end: dt.date | None = None
) -> Label:
    """Granted when at least (1 − tolerance) of the learners have ``min_needs`` counted
    needs on the chosen columns, for the whole action, each school year or each company
    period within *start* – *end* (``--from``/``--to``). A need belongs to the one unit
    it was identified in; per period, to the next period when identified between two
    (:func:`olapcli.core.rules.period_spans`, as the no-new-need lint), and a period
    outside a learner's follow-up in a company is not asked of them (after a rupture,
    without a company: :func:`olapcli.core.rules.period_exempt`, as the lint)."""
    policy = cohort.policy.label
    columns = [p.id for p in cohort.practices] if policy.columns == "all" else list(policy.columns)
    units = _units(cohort, policy.per, start, end)
    spans = rules.period_spans([(p.id, p.start, p.end) for p in cohort.periods], cohort.start)
    short, exempt = [], []
    meeting = 0
    for row in table:
        mine = units
        if policy.per == "period":
            followed = charter.span_of(row.learner, cohort.start, cohort.end)
            mine = [u for u in units if not rules.period_exempt(followed, u[1], u[2])]
            if not mine:
                exempt.append(row.learner.key)
                continue
        mine_needs = [n for n in row.needs if n.practice in columns]
        missing = {}
        for name, first, last in mine:
            if policy.per == "period":
                n = sum(rules.period_of(need.identified, spans) == name for need in mine_needs)
            elif policy.per == "year":
                n = sum(first <= need.identified <= last for need in mine_needs)
            else:
                n = len(mine_needs)  # the table's needs are those of --from/--to already
            if n < policy.min_needs:
                missing[name] = policy.min_needs - n
        if missing:
            short.append({"learner": row.learner.id, "key": row.learner.key, "missing": missing})
        else:
            meeting += 1
    judged = len(table) - len(exempt)
    share = meeting / judged if judged else 0.0
    required = 1 - policy.tolerance
    return Label(
        bool(judged) and share >= required - 1e-12,
        share,
        required,
        policy.min_needs,
        columns,
        policy.per,
        [u[0] for u in units],
        short,
        exempt,
    )


#: coverage states, in the order reports show them
COVERAGE = ("A", "R", "EC", "not_seen", "not_feasible")


def coverage(learner: LearnerBrief, referentiel: Referentiel) -> dict[str, list[str]]:
    """state -> activity ids: evaluated A or R (latest), in progress (EC), not yet seen,
    and not feasible in the company (AR = no, and not evaluated)."""
    latest = learner.latest
    out: dict[str, list[str]] = {state: [] for state in COVERAGE}
    for group in referentiel.groups:
        for act in group.activities:
            level = latest.get(act.id)
            if level is not None:
                out[level].append(act.id)
            elif act.id in learner.not_feasible:
                out["not_feasible"].append(act.id)
            else:
                out["not_seen"].append(act.id)
    return out


def coverage_counts(learner: LearnerBrief, activities: list[str]) -> dict[str, int]:
    """How many of *activities* are in each state of :func:`coverage` (by set operations:
    the report shows the counts for every learner)."""
    ids = set(activities)
    evaluated = ids & learner.latest.keys()
    counts = dict.fromkeys(COVERAGE, 0)
    for act in evaluated:
        counts[learner.latest[act]] += 1
    counts["not_feasible"] = len((learner.not_feasible & ids) - evaluated)
    counts["not_seen"] = len(ids) - len(evaluated) - counts["not_feasible"]
    return counts
