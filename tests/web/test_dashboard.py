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


def test_the_board_kept_sees_an_edit_that_restores_the_modification_time(cohort_repo):
    """The board is kept while its files' stat is unchanged: an edit of the same size
    whose modification time is set back (``touch -r``, a copy keeping times) is still
    seen, by its change time."""
    import os
    import time

    from olapcli.app.dashboard import BOARDS, make
    from olapcli.io.store import RACY

    today = dt.date.fromisoformat(TODAY)
    settle = RACY / 1e9 + 0.2
    time.sleep(settle)
    board = dashboard(cohort_repo, today)
    assert dashboard(cohort_repo, today) is board  # kept
    assert board == make(cohort_repo, today)
    path = cohort_repo / "learners" / "lea-martin.yaml"
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert 'first_name: "Léa"' in text
    edited = text.replace('first_name: "Léa"', 'first_name: "Lèa"')  # the same size
    assert len(edited.encode()) == before.st_size
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns
    time.sleep(settle)
    after = dashboard(cohort_repo, today)
    assert after is not board and after == make(cohort_repo, today)
    names = {m.first_name for m, _n in after.overdue + after.awaiting} | {
        m.first_name for m in after.quiet
    }
    assert "Lèa" in names and "Léa" not in names
    assert BOARDS.kept[cohort_repo].board is after
