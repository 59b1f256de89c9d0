"""The trainer's dashboard (app/dashboard.py) on the sample cohort: what it lists
under each heading follows the data."""

from __future__ import annotations

import datetime as dt

from olapcli.app.dashboard import dashboard
from olapcli.core.derive.grids import open_needs
from olapcli.io.load import valid_learners
from tests.conftest import TODAY


def test_each_heading_lists_what_it_says(cohort_repo):
    today = dt.date.fromisoformat(TODAY)
    board = dashboard(cohort_repo, today)
    learners = [m for _r, m in valid_learners(cohort_repo)]
    open_ = [(m.id, n.id) for m in learners for n in open_needs(m)]
    assert board.overdue and all(n.due < today for _m, n in board.overdue)
    assert [n.due for _m, n in board.overdue] == sorted(n.due for _m, n in board.overdue)
    assert all(today <= n.due <= today + dt.timedelta(days=7) for _m, n in board.due_week)
    assert board.awaiting and all("entreprise" not in n.marked_by for _m, n in board.awaiting)
    for learner, need in board.overdue + board.awaiting + board.due_week:
        assert (learner.id, need.id) in open_  # an evaluated need is done: never listed
    assert board.since is not None and board.since <= today
    quiet = {m.id for m in board.quiet}
    assert quiet == {
        m.id for m in learners if not any(n.identified >= board.since for n in m.needs)
    }
    assert quiet  # the sample has learners with no need since the period began
