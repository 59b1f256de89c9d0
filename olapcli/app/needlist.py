"""The needs listed: of the cohort or of one learner, by due date, with their state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olapcli.core import rules


@dataclass
class NeedRow:
    """A need in a list, with its learner and its state."""

    learner: str
    need: Any  # model.Need
    open: bool
    state: str  # open | soon | late | "" (evaluated)


def list_needs(
    root: Path,
    today: dt.date,
    learner_id: str | None = None,
    only_open: bool = False,
    overdue: bool = False,
    due_within: int | None = None,
) -> list[NeedRow]:
    """The needs of the cohort (or of one learner), by due date: all of them, or only the
    open ones, the overdue ones, those due within *due_within* days."""
    from olapcli.io.load import valid_learners

    rows = []
    for _rel, learner in valid_learners(root, learner_id):
        answered = rules.answered(learner.evaluations)
        for need in learner.needs:
            is_open = need.id not in answered
            if (only_open or overdue or due_within is not None) and not is_open:
                continue
            if overdue and not need.due < today:
                continue
            if due_within is not None and not rules.within(
                need.due, today, today + dt.timedelta(days=due_within)
            ):
                continue
            rows.append(NeedRow(learner.id, need, is_open, rules.need_state(need, answered, today)))
    rows.sort(key=lambda r: (r.need.due, r.learner))
    return rows
