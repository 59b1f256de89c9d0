"""The statistics of the impact table: for each indicator, the relation between the number
of anticipated needs and the outcome, with its method and n, or why there is none."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from olapcli.core.derive.metrics import INDICATORS

if TYPE_CHECKING:
    from olapcli.core.derive.metrics import Row

#: below this many learners with a known outcome, no correlation is given.
MIN_N = 8
#: below this many learners with a known outcome in either group, no exact test is given.
MIN_GROUP = 3


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


def import_scipy() -> None:
    """Import what :func:`statistics_of` uses (a second: worth doing early, elsewhere)."""
    import scipy.stats  # noqa: F401
