"""What the grids show, computed from the data: pure functions, no printing, no HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from olapcli.core import cycle, rules
from olapcli.core.cycle import Cycle

if TYPE_CHECKING:
    from olapcli.core.model import Evaluation, Group, Learner, Need, Referentiel

LEVEL_ORDER = {"A": 0, "R": 1, "EC": 2}


def open_needs(learner: Learner) -> list[Need]:
    """Needs no evaluation answers yet."""
    answered = rules.answered(learner.evaluations)
    return [n for n in learner.needs if n.id not in answered]


def latest_evaluations(learner: Learner) -> dict[str, Evaluation]:
    """activity -> the learner's most recent evaluation on it (an evaluation of a
    practice grid's competence alone, with no activity, is not on the trade grid)."""
    latest: dict[str, Evaluation] = {}
    for ev in sorted(learner.evaluations, key=lambda e: (e.date, e.id)):
        if ev.activity is not None:
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
            if ev.level in rules.HELPS:
                out.setdefault(activity, []).append(Peer(learner.id, ev.level, ev.date))
    for peers in out.values():
        peers.sort(key=lambda p: (LEVEL_ORDER[p.level], -p.date.toordinal(), p.learner))
    return out


def matches(
    learners: list[Learner],
    activity: str | None = None,
    peers: dict[str, list[Peer]] | None = None,
) -> list[Match]:
    """Every open need on an activity (of *activity*, or all; a need naming only a
    competence of a practice's grid has no peers by activity) of *learners* with its
    candidate peers:
    *peers* (:func:`peers_by_activity` of the whole cohort, when *learners* are a page
    of it), else those of *learners*."""
    if peers is None:
        peers = peers_by_activity(learners)
    out = []
    for learner in sorted(learners, key=lambda item: item.id):
        for need in sorted(open_needs(learner), key=lambda n: (n.due, n.id)):
            if need.activity is None or (activity is not None and need.activity != activity):
                continue
            candidates = [p for p in peers.get(need.activity, []) if p.learner != learner.id]
            out.append(Match(learner.id, need, candidates))
    return out


@dataclass
class GridEntry:
    """One row of a learner's grid for an activity: a need, or an evaluation without need."""

    marks: dict[str, list[str]]  # actor -> ["I", "A", …]
    need: Need | None = None
    evaluations: list[Evaluation] = field(default_factory=list)
    state: str = ""  # "", "open", "soon", "late"
    #: where the need stands in its cycle (None: an evaluation without need)
    cycle: Cycle | None = None


@dataclass
class GridRow:
    """An activity in a learner's grid, with every need and evaluation on it."""

    activity_id: str
    title: str
    periods: set[str]
    ar: bool | None
    as_: bool | None
    subjects: list[tuple[str, str, list[str]]]  # (subject id, title, objective titles)
    entries: list[GridEntry]
    own_resources: int = 0


def grid(
    learner: Learner,
    referentiel: Referentiel,
    subject_titles: dict[str, tuple[str, dict[str, str]]],
    today: dt.date,
    own: dict[str, int] | None = None,
) -> list[tuple[Group, list[GridRow]]]:
    """[(group, rows)] of the learner's TISF, in référentiel order."""
    answered = rules.answered(learner.evaluations)
    by_need: dict[str, list[Evaluation]] = {}
    loose: dict[str, list[Evaluation]] = {}
    for ev in sorted(learner.evaluations, key=lambda e: (e.date, e.id)):
        if ev.need:
            by_need.setdefault(ev.need, []).append(ev)
        elif ev.activity is not None:
            loose.setdefault(ev.activity, []).append(ev)
    needs: dict[str, list[Need]] = {}
    for need in sorted(learner.needs, key=lambda n: (n.identified, n.id)):
        if need.activity is not None:  # else: on its practice's grid only
            needs.setdefault(need.activity, []).append(need)
    out = []
    for group in referentiel.groups:
        rows = []
        for act in group.activities:
            entries = []
            for need in needs.get(act.id, []):
                marks: dict[str, list[str]] = {a: ["I"] for a in need.marked_by}
                evs = by_need.get(need.id, [])
                for ev in evs:
                    marks.setdefault(ev.by, []).append(ev.level)
                state = rules.need_state(need, answered, today)
                stands = cycle.of(need.steps, evs[0] if evs else None)
                entries.append(GridEntry(marks, need, evs, state, stands))
            for ev in loose.get(act.id, []):
                entries.append(GridEntry({ev.by: [ev.level]}, None, [ev]))
            plan = learner.plan.get(act.id)
            subjects = []
            for sid, objective_ids in act.subjects.items():
                title, objectives = subject_titles.get(sid, (sid, {}))
                subjects.append((sid, title, [objectives.get(o, o) for o in objective_ids]))
            rows.append(
                GridRow(
                    act.id,
                    act.title,
                    set(plan.periods) if plan else set(),
                    plan.ar if plan else None,
                    plan.as_ if plan else None,
                    subjects,
                    entries,
                    (own or {}).get(act.id, 0),
                )
            )
        out.append((group, rows))
    return out


@dataclass
class Cell:
    """A learner × activity cell of the synoptic table."""

    marks: list[str]  # e.g. ["I", "A"]
    state: str  # "", "open", "soon", "late"
    peers: list[Peer]


def synoptic(
    learners: list[Learner],
    referentiel: Referentiel,
    today: dt.date,
    peers: dict[str, list[Peer]] | None = None,
) -> dict[str, dict[str, Cell]]:
    """learner id -> activity id -> cell (only non-empty cells), for *learners*; the
    peers named in a cell come from *peers* (:func:`peers_by_activity` of the whole
    cohort, when *learners* are a page of it), else from *learners*."""
    if peers is None:
        peers = peers_by_activity(learners)
    rank = {"late": 3, "soon": 2, "open": 1, "": 0}
    out: dict[str, dict[str, Cell]] = {}
    for learner in learners:
        answered = rules.answered(learner.evaluations)
        cells: dict[str, Cell] = {}
        for need in learner.needs:
            if need.activity is None:
                continue
            state = rules.need_state(need, answered, today)
            cell = cells.setdefault(need.activity, Cell([], "", []))
            if "I" not in cell.marks:
                cell.marks.append("I")
            if rank[state] > rank[cell.state]:
                cell.state = state
        for activity, ev in latest_evaluations(learner).items():
            cells.setdefault(activity, Cell([], "", [])).marks.append(ev.level)
        for activity, cell in cells.items():
            if cell.state:
                cell.peers = [p for p in peers.get(activity, []) if p.learner != learner.id]
        out[learner.id] = cells
    return out


def subject_index(
    learners: list[Learner], referentiel: Referentiel
) -> dict[str, dict[str, list[tuple[str, str, list[str]]]]]:
    """subject -> objective -> [(activity id, title, learners with needs on it)]."""
    with_needs: dict[str, list[str]] = {}
    for learner in sorted(learners, key=lambda x: x.id):
        for activity in sorted({n.activity for n in learner.needs if n.activity}):
            with_needs.setdefault(activity, []).append(learner.id)
    out: dict[str, dict[str, list[tuple[str, str, list[str]]]]] = {}
    for group in referentiel.groups:
        for act in group.activities:
            for sid, objectives in act.subjects.items():
                for oid in objectives:
                    out.setdefault(sid, {}).setdefault(oid, []).append(
                        (act.id, act.title, with_needs.get(act.id, []))
                    )
    return out
