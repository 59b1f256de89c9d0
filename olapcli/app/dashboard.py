"""The trainer's dashboard of ``olap serve`` (SPEC §9): for the whole cohort, the needs
due this week, overdue, awaiting the company's confirmation, and the learners with no
new need this period.

On a 10,000-learner cohort these lists hold thousands of rows: the dashboard shows each
section's count and its first rows, and each section has its own paged list. The board
is made once per state of the cohort's files and day, and kept: the key is the stat of
every learner file and core file (:func:`olapcli.io.memo.signature`), so a write — by
the web, the command line or Git — is seen by the very next request.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.core import pipeline

if TYPE_CHECKING:
    from olapcli.core.model import Learner

#: the sections of the board, by the name of their paged list (/tableau/<name>)
SECTIONS = {
    "semaine": "due_week",
    "en-retard": "overdue",
    "a-confirmer": "awaiting",
    "sans-besoin": "quiet",
}
#: rows shown per section on the dashboard itself
FIRST = 20
#: rows per page of a section's full list
PER_PAGE = 50


@dataclass(frozen=True)
class Dashboard:
    """The trainer's view of the cohort (immutable: one board is shared by the server's
    threads)."""

    due_week: tuple[tuple[Learner, Any], ...] = ()
    overdue: tuple[tuple[Learner, Any], ...] = ()
    awaiting: tuple[tuple[Learner, Any], ...] = ()
    quiet: tuple[Learner, ...] = ()
    since: dt.date | None = None
    #: the contract search: prospects per stage they stand at, and each searching learner
    #: with their number of prospects and the furthest stage reached
    search_stages: tuple[tuple[str, int], ...] = ()
    searching: tuple[tuple[Learner, int, str], ...] = ()

    def rows(self, section: str) -> tuple[Any, ...]:
        """The rows of the section *section* (a key of :data:`SECTIONS`)."""
        rows: tuple[Any, ...] = getattr(self, SECTIONS[section])
        return rows


@dataclass(frozen=True)
class Listing:
    """One page of a section's full list."""

    section: str
    rows: tuple[Any, ...]
    number: int
    pages: int
    total: int
    #: the position (from 1) of the page's first row in the whole list
    first: int
    since: dt.date | None


def make(root: Path, today: dt.date) -> Dashboard:
    """The board computed from the files now (no memory of a previous board)."""
    from olapcli.core.derive.board import sections
    from olapcli.io.load import require_core
    from olapcli.io.memo import LEARNERS

    cohort = require_core(root).cohort
    learners = sorted((m for _r, m in LEARNERS.valid(root)), key=lambda m: (m.last_name, m.id))
    found = sections(learners, cohort, today)
    stages, searching = cohort_search(learners)
    return Dashboard(
        found.due_week,
        found.overdue,
        found.awaiting,
        found.quiet,
        found.since,
        stages,
        searching,
    )


@dataclass
class _Kept:
    """The last board made for one cohort, with what it was made from."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    key: tuple[Any, ...] | None = None
    board: Dashboard | None = None


class Boards:
    """The boards this process made, one per cohort, kept while its files are unchanged.
    Safe across the server's threads: a board is immutable and swapped under a lock; one
    thread makes a new board while the others wait for it instead of making it too."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: dict[Path, _Kept] = {}

    def get(self, root: Path, today: dt.date) -> Dashboard:
        from olapcli.io.memo import signature

        # taken before the files are read: a board is never kept under the signature of
        # files older than those it was made from (a state of the files never comes back)
        sig = signature(root)
        key = None if sig is None else (today, sig)
        with self.lock:
            kept = self.kept.setdefault(root, _Kept())
        with kept.lock:
            if key is not None and kept.key == key and kept.board is not None:
                return kept.board
            board = make(root, today)
            kept.key, kept.board = key, (board if key is not None else None)
            return board


#: the boards this process keeps
BOARDS = Boards()


def dashboard(root: Path, today: dt.date) -> Dashboard:
    """Needs due this week, overdue, awaiting the company's confirmation (not marked by
    entreprise), and the learners with no new need since the current period began —
    from memory while no file it is made from has changed."""
    return BOARDS.get(root, today)


def listing(
    root: Path, today: dt.date, section: str, number: int, per_page: int = PER_PAGE
) -> Listing | None:
    """Page *number* (from 1) of the section *section*'s full list; None when there is
    no such section or page (page 1 of an empty list exists: it says so)."""
    if section not in SECTIONS:
        return None
    board = dashboard(root, today)
    rows = board.rows(section)
    pages = max(1, -(-len(rows) // per_page))
    if not 1 <= number <= pages:
        return None
    start = (number - 1) * per_page
    chunk = rows[start : start + per_page]
    return Listing(section, chunk, number, pages, len(rows), start + 1, board.since)


def cohort_search(learners: list[Any]) -> tuple[tuple[tuple[str, int], ...], tuple[Any, ...]]:
    """For the trainer's dashboard: how many prospects stand at each stage (in order,
    the stages with none left out), and each learner who approached a company with their
    number of prospects and the furthest stage reached (words)."""
    counts = dict.fromkeys(pipeline.STAGES, 0)
    rows = []
    for learner in learners:
        if not learner.prospects:
            continue
        furthest = -1
        for p in learner.prospects:
            last = pipeline.current(p.stages)
            if last is not None:
                counts[last.stage] += 1
            furthest = max(
                [
                    furthest,
                    *(pipeline.RANK[s.stage] for s in p.stages if s.stage != pipeline.DROPPED),
                ]
            )
        words = pipeline.stage_label(pipeline.STAGES[furthest]) if furthest >= 0 else "—"
        rows.append((learner, len(learner.prospects), words))
    at = tuple((pipeline.stage_label(s), n) for s, n in counts.items() if n)
    return at, tuple(rows)
