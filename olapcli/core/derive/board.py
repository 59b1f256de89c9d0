"""What a trainer follows in the cohort today (the dashboard of ``olap serve`` and the
home page of the site): the needs due within a week, the overdue ones, those awaiting
the company's confirmation, and the learners with no new need since the current period
began. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from olapcli.core.derive.grids import open_needs

#: « this week »: due within this many days
WEEK = 7


@dataclass(frozen=True)
class Sections:
    """The four lists, each sorted by due day then name (learners by name)."""

    due_week: tuple[tuple[Any, Any], ...]
    overdue: tuple[tuple[Any, Any], ...]
    awaiting: tuple[tuple[Any, Any], ...]
    quiet: tuple[Any, ...]
    #: the day the current period began (the cohort's start before the first one)
    since: dt.date


def sections(learners: list[Any], cohort: Any, today: dt.date) -> Sections:
    """The sections of *learners* (records or models) on *today*."""
    started = [p.start for p in cohort.periods if p.start <= today]
    since = max(started) if started else cohort.start
    week = today + dt.timedelta(days=WEEK)
    due_week: list[tuple[Any, Any]] = []
    overdue: list[tuple[Any, Any]] = []
    awaiting: list[tuple[Any, Any]] = []
    quiet: list[Any] = []
    for learner in sorted(learners, key=lambda m: (m.last_name, m.id)):
        for need in sorted(open_needs(learner), key=lambda n: (n.due, n.id)):
            if need.due < today:
                overdue.append((learner, need))
            elif need.due <= week:
                due_week.append((learner, need))
            if "entreprise" not in need.marked_by:
                awaiting.append((learner, need))
        if not any(n.identified >= since for n in learner.needs):
            quiet.append(learner)
    for rows in (due_week, overdue, awaiting):
        rows.sort(key=lambda row: (row[1].due, row[0].last_name, row[1].id))
    return Sections(tuple(due_week), tuple(overdue), tuple(awaiting), tuple(quiet), since)
