"""The quality of anticipation (issue 13, point 5), beyond Annexe 7's counts: of the
needs a learner (or a practice) had counted, how many were the company's own among those
anticipated, prepared by their due date, applied in the company, evaluated (A, EC or R)
and valorised with an advantage obtained; and the median lead time from identified to
due. Pure functions over the table's rows (:mod:`olapcli.core.derive.metrics`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from olapcli.core import rules

if TYPE_CHECKING:
    from olapcli.core.derive.briefs import NeedBrief
    from olapcli.core.derive.metrics import Row
    from olapcli.core.model import Cohort

#: the shares each line gives, in the order the report shows them
SHARES = ("company", "prepared", "applied", "evaluated", "valorised")


class Share(float):
    """A share between 0 and 1: a number, which tables show as a percentage (the report,
    the terminal, a spreadsheet's percent format)."""

    __slots__ = ()


class Days(float):
    """A number of days that may hold a half (a median): shown with one decimal at most."""

    __slots__ = ()


@dataclass(frozen=True)
class Quality:
    """The quality of a set of counted needs."""

    #: needs counted (the company among their actors)
    counted: int
    #: needs anticipated, whoever marked them (the counted ones and those the company did not mark)
    anticipated: int
    prepared: int
    applied: int
    evaluated: int
    valorised: int
    #: median days from identified to due of the needs counted; None without any
    lead_days: float | None

    def share(self, name: str) -> float | None:
        """The share *name* of :data:`SHARES`: of the anticipated needs for ``company``,
        of the counted ones for the others; None when there is none to divide by."""
        if name == "company":
            return self.counted / self.anticipated if self.anticipated else None
        return getattr(self, name) / self.counted if self.counted else None

    def cells(self) -> list[Any]:
        """A line of the report's tables: the needs counted, each share (None: nothing to
        divide by), the median lead time in days."""
        return [self.counted, *self.typed()]

    def typed(self) -> list[Share | Days | None]:
        """Each share of :data:`SHARES` as a :class:`Share` (None: nothing to divide by),
        then the median lead time as :class:`Days` (None without any need counted)."""
        shares = [self.share(name) for name in SHARES]
        lead = None if self.lead_days is None else Days(self.lead_days)
        return [*(None if v is None else Share(v) for v in shares), lead]

    def as_json(self) -> dict[str, Any]:
        return {
            "counted": self.counted,
            "anticipated": self.anticipated,
            **{f"{name}_share": self.share(name) for name in SHARES},
            "median_lead_days": self.lead_days,
        }


def of(counted: list[NeedBrief], anticipated: int) -> Quality:
    """The quality of the *counted* needs, *anticipated* being how many were anticipated
    in all (the company's mark aside)."""
    return Quality(
        counted=len(counted),
        anticipated=anticipated,
        prepared=sum(n.prepared is not None and n.prepared <= n.due for n in counted),
        applied=sum(n.applied is not None for n in counted),
        evaluated=sum(n.evaluated for n in counted),
        valorised=sum(n.valorised is not None and n.advantage for n in counted),
        lead_days=statistics.median(rules.lead_days(n.identified, n.due) for n in counted)
        if counted
        else None,
    )


def _anticipated(
    cohort: Cohort, row: Row, start: dt.date | None, end: dt.date | None
) -> list[NeedBrief]:
    practices = {p.id for p in cohort.practices}
    days = cohort.policy.imminence_days
    return [n for n in row.learner.needs if rules.anticipated(n, practices, days, start, end)]


def per_learner(
    cohort: Cohort, table: list[Row], start: dt.date | None = None, end: dt.date | None = None
) -> list[tuple[str, Quality]]:
    """(learner key, the quality of their counted needs), in the table's order."""
    return [(r.learner.key, of(r.needs, len(_anticipated(cohort, r, start, end)))) for r in table]


def per_practice(
    cohort: Cohort, table: list[Row], start: dt.date | None = None, end: dt.date | None = None
) -> list[tuple[str, Quality]]:
    """(practice id, the quality of the cohort's needs counted in it), in cohort.yaml's
    order."""
    counted: dict[str, list[NeedBrief]] = {p.id: [] for p in cohort.practices}
    anticipated = dict.fromkeys(counted, 0)
    for row in table:
        for need in row.needs:
            counted[need.practice].append(need)
        for need in _anticipated(cohort, row, start, end):
            anticipated[need.practice] += 1
    return [(pid, of(counted[pid], anticipated[pid])) for pid in counted]
