"""What the grids show, computed from the data: pure functions, no printing, no HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from olapcli.model import Evaluation, Learner, Need, Referentiel

LEVEL_ORDER = {"A": 0, "R": 1, "EC": 2}


def open_needs(learner: Learner) -> list[Need]:
    """Needs no evaluation answers yet."""
    answered = {e.need for e in learner.evaluations if e.need}
    return [n for n in learner.needs if n.id not in answered]


def latest_evaluations(learner: Learner) -> dict[str, Evaluation]:
    """activity -> the learner's most recent evaluation on it."""
    latest: dict[str, Evaluation] = {}
    for ev in sorted(learner.evaluations, key=lambda e: (e.date, e.id)):
        latest[ev.activity] = ev
    return latest


@dataclass(frozen=True)
class Peer:
    """A learner who can help on an activity: rated A (autonomous) or R (resource)."""

    learner: str
    level: str
    date: dt.date


@dataclass
class Match:
    """An open need and the peers who could help with it (Annexe 6, synoptic table)."""

    learner: str
    need: Need
    peers: list[Peer] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "learner": self.learner,
            "need": self.need.id,
            "activity": self.need.activity,
            "due": self.need.due.isoformat(),
            "peers": [
                {"learner": p.learner, "level": p.level, "date": p.date.isoformat()}
                for p in self.peers
            ],
        }


def peers_by_activity(learners: Iterable[Learner]) -> dict[str, list[Peer]]:
    """activity -> learners whose latest evaluation on it is A or R (A first, then recent)."""
    out: dict[str, list[Peer]] = {}
    for learner in learners:
        for activity, ev in latest_evaluations(learner).items():
            if ev.level in ("A", "R"):
                out.setdefault(activity, []).append(Peer(learner.id, ev.level, ev.date))
    for peers in out.values():
        peers.sort(key=lambda p: (LEVEL_ORDER[p.level], -p.date.toordinal(), p.learner))
    return out


def matches(learners: list[Learner], activity: str | None = None) -> list[Match]:
    """Every open need (of *activity*, or all) with its candidate peers."""
    peers = peers_by_activity(learners)
    out = []
    for learner in sorted(learners, key=lambda item: item.id):
        for need in sorted(open_needs(learner), key=lambda n: (n.due, n.id)):
            if activity is not None and need.activity != activity:
                continue
            candidates = [p for p in peers.get(need.activity, []) if p.learner != learner.id]
            out.append(Match(learner.id, need, candidates))
    return out


def activity_titles(referentiel: Referentiel) -> dict[str, str]:
    """activity id -> title."""
    return {a.id: a.title for g in referentiel.groups for a in g.activities}
