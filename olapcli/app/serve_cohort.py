"""What ``olap serve`` shows a trainer whose link covers the whole cohort, beyond the
dashboard (issue 12, point 3): the synoptic table and peer matching, a page at a time,
and the peers who can help on each open need of a learner's page.

A cohort can hold 10,000 learners: the models come from the server's memory
(:data:`olapcli.io.memo.LEARNERS`), the peers by activity are computed once for a given
set of models (:func:`cohort_peers`), and the cells of the synoptic table, or the
candidates of an open need, only for the learners of the page shown.
"""

from __future__ import annotations

import datetime as dt
import operator
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.core import rules
from olapcli.core.derive.grids import Peer, matches, open_needs, peers_by_activity, synoptic

if TYPE_CHECKING:
    from olapcli.core.model import Learner

#: learners (synoptic table) or open needs (peer matching) per page
PAGE_SIZE = 50
#: the peers named for an open need (the others are counted)
SHOWN = 5
#: seconds the peers of a learner's page may be behind a change made elsewhere
FRESH = 2.0
#: the peers named in a cell of the synoptic table
SHOWN_IN_CELL = 3


class NoSuchPage(LookupError):
    """A page number beyond the last page (or below the first)."""


@dataclass(frozen=True)
class Paging:
    """Page *page* of *pages*, over *total* rows."""

    page: int
    pages: int
    total: int

    @property
    def start(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    @property
    def stop(self) -> int:
        return min(self.start + PAGE_SIZE, self.total)


def paging(total: int, page: int) -> Paging:
    """Page *page* over *total* rows (one empty page when there is none); NoSuchPage
    when *page* is not one of them."""
    pages = max(1, -(-total // PAGE_SIZE))
    if not 1 <= page <= pages:
        raise NoSuchPage(page)
    return Paging(page, pages, total)


class _PeersMemo:
    """The peers by activity of the last set of models seen: the server keeps a model
    while its file is unchanged, so the same objects mean the same peers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.learners: list[Learner] = []
        self.peers: dict[str, list[Peer]] = {}

    def get(self, learners: list[Learner]) -> dict[str, list[Peer]]:
        with self.lock:
            kept, peers = self.learners, self.peers
        if len(kept) == len(learners) and all(map(operator.is_, kept, learners)):
            return peers
        peers = peers_by_activity(learners)
        with self.lock:  # the list is kept too: its objects' identities stay unique
            self.learners, self.peers = list(learners), peers
        return peers


_PEERS = _PeersMemo()


def _learners(root: Path) -> list[Learner]:
    from olapcli.io.memo import LEARNERS

    return [lrn for _rel, lrn in LEARNERS.valid(root)]


def cohort_peers(learners: list[Learner]) -> dict[str, list[Peer]]:
    """activity -> the learners of the cohort rated A, then R, on it (remembered)."""
    return _PEERS.get(learners)


def _name(learner: Learner) -> str:
    return f"{learner.first_name} {learner.last_name}"


def _named(peers: list[Peer], by_id: dict[str, Learner], shown: int) -> list[tuple[Peer, str]]:
    return [
        (p, _name(by_id[p.learner]) if p.learner in by_id else p.learner) for p in peers[:shown]
    ]


def synoptic_page(root: Path, page: int, today: dt.date) -> dict[str, Any]:
    """Page *page* of the synoptic table: its learners (by last name, first name), the
    référentiel's activities, each learner's cells (the marks I and the latest level, the
    state of an open need, the peers who can help on it, named)."""
    from olapcli.io.load import require_core

    core = require_core(root)
    learners = _learners(root)
    ordered = sorted(learners, key=lambda m: (m.last_name, m.first_name, m.id))
    pages = paging(len(ordered), page)
    shown = ordered[pages.start : pages.stop]
    cells = synoptic(shown, core.referentiel, today, cohort_peers(learners))
    by_id = {m.id: m for m in learners}
    named = {
        (lid, activity): _named(cell.peers, by_id, SHOWN_IN_CELL)
        for lid, row in cells.items()
        for activity, cell in row.items()
        if cell.peers
    }
    return {
        "cohort": core.cohort,
        "activities": list(rules.activities(core.referentiel)),
        "learners": shown,
        "cells": cells,
        "named": named,
        "paging": pages,
    }


def pairs_page(root: Path, page: int, activity: str | None = None) -> dict[str, Any]:
    """Page *page* of peer matching (``olap match``): the open needs (on *activity*, or
    all), by learner id then due date, each with the peers rated A then R on its
    activity, the first :data:`SHOWN` named. UserError for an unknown activity."""
    from olapcli.app.peers import match

    learners = sorted(_learners(root), key=lambda m: m.id)
    counts = [
        sum(activity is None or n.activity == activity for n in open_needs(m)) for m in learners
    ]
    total = sum(counts)
    try:
        pages = paging(total, page)
    except NoSuchPage:
        match(root, activity, [])  # an unknown activity is said as such, not as a page
        raise
    # the learners whose open needs fall on this page, and where the page begins in theirs
    chosen: list[Learner] = []
    seen = skip = 0
    for learner, count in zip(learners, counts, strict=True):
        if count and seen + count > pages.start and seen < pages.stop:
            if not chosen:
                skip = pages.start - seen
            chosen.append(learner)
        seen += count
    found = match(root, activity, chosen, cohort_peers(learners))
    rows = found.matches[skip : skip + pages.stop - pages.start]
    by_id = {m.id: m for m in learners}
    return {
        "rows": [
            (by_id[m.learner], m.need, _named(m.peers, by_id, SHOWN), len(m.peers)) for m in rows
        ],
        "titles": found.titles,
        "activity": activity,
        "paging": pages,
    }


def need_peers(root: Path, learner_id: str) -> dict[str, tuple[list[tuple[Peer, str]], int]]:
    """need id -> (the first :data:`SHOWN` peers who can help on it, named; how many
    there are), for each open need of *learner_id*: for a trainer's eyes only. The
    cohort is as read at most :data:`FRESH` seconds before, or since this server's last
    write (a hint: a change pushed from elsewhere shows at the next look)."""
    from olapcli.io.memo import LEARNERS

    learners = [lrn for _rel, lrn in LEARNERS.recent(root, FRESH)]
    by_id = {m.id: m for m in learners}
    learner = by_id.get(learner_id)
    if learner is None:
        return {}
    found = matches([learner], None, cohort_peers(learners))
    return {m.need.id: (_named(m.peers, by_id, SHOWN), len(m.peers)) for m in found}
