"""Annexe 7: the impact table, its statistics, the label. Pure functions, no printing.

Count rule (docs/metrics.md): a need counts for its practice when it is valid
and imminent — identified on or before its due date, due at most
``policy.imminence_days`` after it was identified, its practice declared in
cohort.yaml — and, with a period asked (--from/--to), identified within it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from olapcli.briefs import OUTCOME_KEYS, LearnerBrief, NeedBrief, of
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
#: below this many learners with a known outcome, no correlation is given.
MIN_N = 8
#: below this many learners with a known outcome in either group, no exact test is given.
MIN_GROUP = 3


def counted(
    need: NeedBrief,
    cohort: Cohort,
    start: dt.date | None,
    end: dt.date | None,
    practices: set[str] | None = None,
) -> bool:
    """Does *need* count as an anticipated imminent need (the count rule)?

    *practices*: the ids of cohort.yaml's practices, when the caller has them."""
    if need.practice not in (practices or {p.id for p in cohort.practices}):
        return False
    if need.due < need.identified:
        return False
    if (need.due - need.identified).days > cohort.policy.imminence_days:
        return False
    if start is not None and need.identified < start:
        return False
    return end is None or need.identified <= end


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
    for each in learners:
        learner = each if isinstance(each, LearnerBrief) else of(each)
        needs = [n for n in learner.needs if counted(n, cohort, start, end, practices)]
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


@dataclass
class Statistic:
    """One figure about one indicator, with its n and method, or why there is none."""

    indicator: str
    method: str  # pearson | point-biserial | spearman | fisher
    n: int
    value: float | None = None  # r, rho, or the odds ratio
    p: float | None = None
    reason: str | None = None  # "insufficient" | "no-variation"
    rates: dict[str, Any] = field(default_factory=dict)  # fisher: rates of each group

    def as_json(self) -> dict[str, Any]:
        def num(x: float | None) -> float | None:
            return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

        return {
            "indicator": self.indicator,
            "method": self.method,
            "n": self.n,
            "value": num(self.value),
            "p": num(self.p),
            "reason": self.reason,
            "rates": self.rates,
        }


class Statistician:
    """Imports scipy.stats in a child process, started before the data is read.

    Importing scipy.stats takes about a second; the report and metrics commands
    spend that second reading the cohort anyway. Where a child can be forked
    (:mod:`olapcli.io.workers`), it does the import meanwhile and then computes the
    statistics (their input is small: a total and the outcomes per learner);
    elsewhere everything happens in this process, as :func:`statistics` does.
    """

    def __init__(self) -> None:
        from olapcli.io.workers import Child

        self.child = Child(_import_scipy, statistics_of)

    def statistics(self, table: list[Row]) -> list[Statistic]:
        """Like :func:`statistics`."""
        return list(self.child.ask([(r.total, r.outcomes) for r in table]))

    def close(self) -> None:
        self.child.close()


def _import_scipy() -> None:
    import scipy.stats  # noqa: F401


def statistics(table: list[Row]) -> list[Statistic]:
    """For each indicator: the relation between the number of anticipations and the outcome,
    and for yes/no outcomes the proactive vs non-proactive rates with Fisher's exact test."""
    return statistics_of([(r.total, r.outcomes) for r in table])


def statistics_of(pairs: list[tuple[int, dict[str, Any]]]) -> list[Statistic]:
    """:func:`statistics` from each learner's (total, outcomes)."""
    from scipy import stats  # only the metrics and report commands pay for scipy

    out: list[Statistic] = []
    for indicator, kind in INDICATORS.items():
        known = [(total, o[indicator]) for total, o in pairs if o[indicator] is not None]
        n = len(known)
        xs = [float(x) for x, _y in known]
        ys = [float(y) for _x, y in known]
        method = {"binary": "point-biserial", "continuous": "pearson", "ordinal": "spearman"}[kind]
        stat = Statistic(indicator, method, n)
        if n < MIN_N:
            stat.reason = "insufficient"
        elif len(set(xs)) < 2 or len(set(ys)) < 2:
            stat.reason = "no-variation"
        elif kind == "ordinal":
            res = stats.spearmanr(xs, ys)
            stat.value, stat.p = float(res.statistic), float(res.pvalue)
        elif kind == "binary":
            res = stats.pointbiserialr(ys, xs)
            stat.value, stat.p = float(res.statistic), float(res.pvalue)
        else:
            res = stats.pearsonr(xs, ys)
            stat.value, stat.p = float(res.statistic), float(res.pvalue)
        out.append(stat)
        if kind == "binary":
            pro = [y for x, y in known if x > 0]
            non = [y for x, y in known if x == 0]
            fisher = Statistic(indicator, "fisher", n)
            fisher.rates = {
                "proactive": {"n": len(pro), "yes": int(sum(pro))},
                "not_proactive": {"n": len(non), "yes": int(sum(non))},
            }
            if len(pro) < MIN_GROUP or len(non) < MIN_GROUP:
                fisher.reason = "insufficient"
            else:
                table2 = [
                    [int(sum(pro)), len(pro) - int(sum(pro))],
                    [int(sum(non)), len(non) - int(sum(non))],
                ]
                res = stats.fisher_exact(table2)
                fisher.value, fisher.p = float(res.statistic), float(res.pvalue)
            out.append(fisher)
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
    share: float  # learners who meet it
    required_share: float
    min_needs: int
    columns: list[str]
    per: str
    units: list[str]
    short: list[dict[str, Any]]  # who falls short, where and by how much


def label(cohort: Cohort, table: list[Row]) -> Label:
    """Granted when at least (1 − tolerance) of the learners have ``min_needs`` counted
    needs on the chosen columns, for the whole action, each school year or each period."""
    policy = cohort.policy.label
    columns = [p.id for p in cohort.practices] if policy.columns == "all" else list(policy.columns)
    if policy.per == "action":
        units = [("action", cohort.start, cohort.end)]
    elif policy.per == "year":
        units = _school_years(cohort.start, cohort.end)
    else:
        units = [(p.id, p.start, p.end) for p in cohort.periods]
    short = []
    meeting = 0
    for row in table:
        missing = {}
        for name, start, end in units:
            n = sum(
                1
                for need in row.needs
                if need.practice in columns
                and (
                    policy.per == "action"
                    or start <= need.identified <= end
                    or start <= need.due <= end
                )
            )
            if n < policy.min_needs:
                missing[name] = policy.min_needs - n
        if missing:
            short.append({"learner": row.learner.id, "key": row.learner.key, "missing": missing})
        else:
            meeting += 1
    share = meeting / len(table) if table else 0.0
    required = 1 - policy.tolerance
    return Label(
        bool(table) and share >= required - 1e-12,
        share,
        required,
        policy.min_needs,
        columns,
        policy.per,
        [u[0] for u in units],
        short,
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
