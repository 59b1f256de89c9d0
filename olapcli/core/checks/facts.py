"""What a learner file's checks need to know of the rest of the cohort: a few sets of ids
and dates, taken once from the core files and the resources.

A learner file's problems depend on its own data and on these facts only, so they can be
kept under the digest of the file and of the facts, and a learner file edited is checked
again alone, without reading the core files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from olapcli.core import rules

if TYPE_CHECKING:
    from olapcli.core.cohortdata import CohortData


@dataclass(frozen=True)
class Facts:
    """The core files and resources, as a learner file's checks see them."""

    #: is cohort.yaml valid (the checks that need it are skipped otherwise)
    has_cohort: bool
    #: is referentiel.yaml valid
    has_referentiel: bool
    activities: frozenset[str]
    #: activities with a resource or a link to another subject (principles 3 and 5)
    supported: frozenset[str]
    trainers: frozenset[str]
    practices: frozenset[str]
    #: (id, start, end) of each company period, in cohort.yaml's order
    periods: tuple[tuple[str, dt.date, dt.date], ...]
    imminence_days: int
    #: the cohort's first and last day (cohort.yaml start and end), when it is valid: the
    #: needs are dated within them, the charter's meetings counted within them
    calendar: tuple[dt.date, dt.date] | None = None
    #: the practices that have a competence grid, with the ids of its competences
    grids: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def grid(self, practice: str) -> tuple[str, ...] | None:
        """The competence ids of *practice*'s grid; None when it has none."""
        return next((ids for pid, ids in self.grids if pid == practice), None)

    def to_json(self) -> dict[str, Any]:
        """JSON data for olap's cache (the inverse of :meth:`from_json`)."""
        return {
            "has_cohort": self.has_cohort,
            "has_referentiel": self.has_referentiel,
            "activities": sorted(self.activities),
            "supported": sorted(self.supported),
            "trainers": sorted(self.trainers),
            "practices": sorted(self.practices),
            "periods": [[p, s.isoformat(), e.isoformat()] for p, s, e in self.periods],
            "imminence_days": self.imminence_days,
            "calendar": [d.isoformat() for d in self.calendar] if self.calendar else None,
            "grids": [[pid, list(ids)] for pid, ids in self.grids],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Facts:
        """The facts :meth:`to_json` kept."""
        day = dt.date.fromisoformat
        return cls(
            bool(data["has_cohort"]),
            bool(data["has_referentiel"]),
            frozenset(data["activities"]),
            frozenset(data["supported"]),
            frozenset(data["trainers"]),
            frozenset(data["practices"]),
            tuple((p, day(s), day(e)) for p, s, e in data["periods"]),
            int(data["imminence_days"]),
            (day(data["calendar"][0]), day(data["calendar"][1])) if data["calendar"] else None,
            tuple((pid, tuple(ids)) for pid, ids in data.get("grids", [])),
        )


def facts_of(data: CohortData) -> Facts:
    """The facts of the cohort *data* (its core files and resources)."""
    cohort, referentiel = data.cohort, data.referentiel
    linked = {a.id for a in rules.activities(referentiel) if a.subjects} if referentiel else set()
    with_resources = {a for a, (_rel, res) in data.resources.items() if res.resources}
    return Facts(
        cohort is not None,
        referentiel is not None,
        frozenset(rules.activity_ids(referentiel) if referentiel else ()),
        frozenset(linked | with_resources),
        frozenset(t.id for t in cohort.trainers) if cohort else frozenset(),
        frozenset(p.id for p in cohort.practices) if cohort else frozenset(),
        tuple((p.id, p.start, p.end) for p in cohort.periods) if cohort else (),
        cohort.policy.imminence_days if cohort else rules.DEFAULT_IMMINENCE_DAYS,
        (cohort.start, cohort.end) if cohort else None,
        tuple((p.id, tuple(c.id for c in p.grid)) for p in cohort.practices if p.grid)
        if cohort
        else (),
    )
