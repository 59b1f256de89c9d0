"""The contract search's figures (Annexe 2, with Annexe 7's columns): per learner who
approached companies, and for the cohort — the prospects contacted, the needs collected
from them, the internships and the contracts obtained, and the median number of days
from the first contact to the contract signed.

A prospect counts from its first stage (its first contact); with ``--from`` / ``--to``,
only the prospects first contacted within those dates. A need is *collected from a
prospect* when it names it (``prospect:``), whatever the count rule says of it: the
search measures the questions asked, the table counts the needs anticipated.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from olapcli.core import pipeline as order  # the stages (this module makes their figures)


@dataclass(frozen=True, slots=True)
class ProspectBrief:
    """A prospect as the figures use it (kept in the learner's brief)."""

    first: dt.date | None
    internship: bool
    signed: dt.date | None
    needs: int


@dataclass
class Search:
    """The figures of one learner's search, or of the cohort's."""

    prospects: int = 0
    needs: int = 0
    internships: int = 0
    contracts: int = 0
    #: days from the first contact to the contract, one per contract
    days: tuple[int, ...] = ()

    @property
    def needs_per_prospect(self) -> float | None:
        return self.needs / self.prospects if self.prospects else None

    @property
    def median_days(self) -> float | None:
        return float(statistics.median(self.days)) if self.days else None

    def add(self, other: Search) -> None:
        self.prospects += other.prospects
        self.needs += other.needs
        self.internships += other.internships
        self.contracts += other.contracts
        self.days += other.days

    def as_json(self) -> dict[str, Any]:
        return {
            "prospects": self.prospects,
            "needs": self.needs,
            "needs_per_prospect": self.needs_per_prospect,
            "internships": self.internships,
            "contracts": self.contracts,
            "median_days_to_contract": self.median_days,
        }


def brief_of(prospect: Any, needs: Any) -> ProspectBrief:
    """The brief of a validated prospect, with the learner's *needs*."""
    stages = prospect.stages
    signed = next((s.date for s in stages if s.stage == order.SIGNED), None)
    return ProspectBrief(
        stages[0].date if stages else None,
        any(s.stage == order.INTERNSHIP for s in stages),
        signed,
        sum(n.prospect == prospect.id for n in needs),
    )


def search(
    prospects: tuple[ProspectBrief, ...], start: dt.date | None = None, end: dt.date | None = None
) -> Search:
    """The figures of one learner's *prospects*, first contacted within *start* – *end*."""
    found = Search()
    for p in prospects:
        if p.first is None or (start and p.first < start) or (end and p.first > end):
            continue
        found.prospects += 1
        found.needs += p.needs
        found.internships += p.internship
        if p.signed is not None:
            found.contracts += 1
            found.days += ((p.signed - p.first).days,)
    return found


def per_learner(
    learners: list[Any], start: dt.date | None = None, end: dt.date | None = None
) -> tuple[list[tuple[Any, Search]], Search]:
    """Each learner (a :class:`~olapcli.core.derive.briefs.LearnerBrief`, which holds this
    module's briefs) who approached a company within the dates, with their figures, and
    the cohort's."""
    rows, total = [], Search()
    for b in learners:
        mine = search(b.prospects, start, end)
        if mine.prospects:
            rows.append((b, mine))
            total.add(mine)
    return rows, total
