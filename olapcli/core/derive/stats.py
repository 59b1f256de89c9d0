"""The statistics of the impact table: one verdict per indicator (docs/metrics.md).

For each indicator, among the learners whose outcome is known, one test relates the
number of anticipated needs to the outcome — the point-biserial r for a yes/no outcome,
Pearson's r for the hours of absence, Spearman's rho for a 1–5 satisfaction — with its
95 % confidence interval (Fisher's z) and its p-value; the p-values of the indicators
tested are adjusted together by Holm's method. For a yes/no outcome, the rates of the
proactive learners and of the others are compared as a risk difference with Newcombe's
hybrid score interval. A comparison is made only between groups of at least
:data:`MIN_GROUP` learners; a correlation only on :data:`MIN_N` learners or more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from olapcli.core.derive.metrics import INDICATORS

if TYPE_CHECKING:
    from olapcli.core.derive.metrics import Row

#: below this many learners with a known value, no correlation is given.
MIN_N = 8
#: below this many learners in either group compared, no comparison is made (no p-value).
MIN_GROUP = 5
#: the normal quantile of a two-sided 95 % interval
Z95 = 1.959963984540054

METHODS = {"binary": "point-biserial", "continuous": "pearson", "ordinal": "spearman"}


@dataclass
class Statistic:
    """The verdict on one indicator: the test, its n, the effect with its 95 % interval,
    the raw and Holm-adjusted p-values, or why there is none (*reason*)."""

    indicator: str
    method: str  # point-biserial | pearson | spearman
    n: int
    value: float | None = None  # r or rho
    low: float | None = None  # its 95 % interval
    high: float | None = None
    p: float | None = None
    p_holm: float | None = None
    #: how many p-values Holm's adjustment was made over
    tests: int = 0
    reason: str | None = None  # "insufficient" | "small-groups" | "no-variation"
    #: yes/no outcomes: learners with « yes » and with « no »
    groups: dict[str, int] = field(default_factory=dict)
    #: yes/no outcomes: proactive vs not — each group's n and yes, the risk difference
    #: (proactive − others) and its Newcombe interval, or the reason there is none
    difference: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        def num(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else float(x)

        return {
            "indicator": self.indicator,
            "method": self.method,
            "n": self.n,
            "value": num(self.value),
            "low": num(self.low),
            "high": num(self.high),
            "p": num(self.p),
            "p_holm": num(self.p_holm),
            "tests": self.tests,
            "reason": self.reason,
            "groups": self.groups,
            "difference": {
                k: num(v) if isinstance(v, float) else v for k, v in self.difference.items()
            },
        }

    @property
    def established(self) -> bool:
        """Is the relation there at the 5 % level once the tests are adjusted (Holm)?"""
        return self.p_holm is not None and self.p_holm < 0.05


def statistics(table: list[Row]) -> list[Statistic]:
    """One verdict per indicator, in :data:`INDICATORS`' order."""
    return statistics_of([(r.total, r.outcomes) for r in table])


def statistics_of(pairs: list[tuple[int, dict[str, Any]]]) -> list[Statistic]:
    """:func:`statistics` from each learner's (total, outcomes)."""
    out = [_verdict(indicator, kind, pairs) for indicator, kind in INDICATORS.items()]
    tested = [s for s in out if s.p is not None]
    for s, adjusted in zip(tested, holm([s.p for s in tested if s.p is not None]), strict=True):
        s.p_holm, s.tests = adjusted, len(tested)
    return out


def _verdict(indicator: str, kind: str, pairs: list[tuple[int, dict[str, Any]]]) -> Statistic:
    from scipy import stats  # only the metrics and report commands pay for scipy

    known = [(float(total), o[indicator]) for total, o in pairs if o[indicator] is not None]
    xs = [x for x, _y in known]
    ys = [float(y) for _x, y in known]
    stat = Statistic(indicator, METHODS[kind], len(known))
    if kind == "binary":
        yes = sum(1 for y in ys if y)
        stat.groups = {"yes": yes, "no": len(ys) - yes}
        stat.difference = difference(
            [bool(y) for x, y in known if x > 0], [bool(y) for x, y in known if x == 0]
        )
        if min(yes, len(ys) - yes) < MIN_GROUP:
            stat.reason = "small-groups"
            return stat
    elif stat.n < MIN_N:
        stat.reason = "insufficient"
        return stat
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        stat.reason = "no-variation"
        return stat
    if kind == "ordinal":
        res = stats.spearmanr(xs, ys)
    elif kind == "binary":
        res = stats.pointbiserialr(ys, xs)
    else:
        res = stats.pearsonr(xs, ys)
    stat.value, stat.p = float(res.statistic), float(res.pvalue)
    stat.low, stat.high = correlation_interval(stat.value, stat.n, kind == "ordinal")
    return stat


def correlation_interval(r: float, n: int, ranks: bool = False) -> tuple[float, float]:
    """The 95 % interval of a correlation *r* on *n* pairs by Fisher's z; for Spearman's
    rho (*ranks*) with Bonett and Wright's variance (1 + rho²/2) / (n − 3)."""
    if abs(r) >= 1:
        return r, r
    se = math.sqrt((1 + r * r / 2 if ranks else 1) / (n - 3))
    z = math.atanh(r)
    return math.tanh(z - Z95 * se), math.tanh(z + Z95 * se)


def wilson(yes: int, n: int) -> tuple[float, float]:
    """Wilson's score 95 % interval of a proportion *yes* / *n*."""
    p = yes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return centre - half, centre + half


def difference(proactive: list[bool], others: list[bool]) -> dict[str, Any]:
    """The rate of « yes » of the proactive learners minus the others', with Newcombe's
    hybrid score 95 % interval (his method 10), when each group has :data:`MIN_GROUP`
    learners or more; else only the groups and the reason."""
    a, n1, b, n2 = sum(proactive), len(proactive), sum(others), len(others)
    out: dict[str, Any] = {
        "proactive": {"n": n1, "yes": a},
        "not_proactive": {"n": n2, "yes": b},
    }
    if min(n1, n2) < MIN_GROUP:
        out["reason"] = "small-groups"
        return out
    p1, p2 = a / n1, b / n2
    l1, u1 = wilson(a, n1)
    l2, u2 = wilson(b, n2)
    d = p1 - p2
    out["value"] = d
    out["low"] = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    out["high"] = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return out


def holm(ps: list[float]) -> list[float]:
    """Holm's step-down adjustment of the p-values *ps*, in their order."""
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        out[i] = running
    return out


def import_scipy() -> None:
    """Import what :func:`statistics_of` uses (a second: worth doing early, elsewhere)."""
    import scipy.stats  # noqa: F401
