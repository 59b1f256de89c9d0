"""What the impact figures need of a learner, small enough to read 10,000 at once.

``olap report`` and ``olap metrics`` read every learner of a cohort but use
only a few things of each: the names (to show or to clear them), the needs,
the outcomes, the latest level per sub-activity and what the company cannot
do. A :class:`LearnerBrief` holds exactly that, derived from a validated
:class:`~olapcli.core.model.Learner` by :func:`of` — the only place that decides
what a brief says, so the figures are the same whether they come from the
model or from the cache.

Briefs are kept in the cache folder as JSON, under the digest of the learner
file's bytes: a changed byte is a different digest, so nothing stale is
served. ``olap validate`` writes them as it checks each file, so a report
after a validate reads no YAML at all. A cache entry of the wrong shape is
read again from the file, never trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olapcli import __version__, cache
from olapcli.errors import Problem
from olapcli.io import files as fsio

#: outcome indicators, in the order of the Annexe 7 table (see olapcli.metrics)
OUTCOME_KEYS = (
    "rupture",
    "exam",
    "placement",
    "absence_hours",
    "insertion_6m",
    "satisfaction_learner",
    "satisfaction_company",
)


#: a word, as names are matched in texts (see olapcli.report.Redactor)
WORD = re.compile(r"\w+")


def capitalised_words(texts: list[str]) -> frozenset[str]:
    """The words of *texts* that start with a capital, and « @ » when one holds an
    address: what the report must look at to clear names and e-mails."""
    words = {w for t in texts for w in WORD.findall(t) if w[0].isupper()}
    if any("@" in t for t in texts):
        words.add("@")
    return frozenset(words)


@dataclass(slots=True)
class NeedBrief:
    """A need as the figures use it."""

    id: str
    activity: str
    practice: str
    identified: dt.date
    due: dt.date
    detail: str
    resources: tuple[str, ...]


@dataclass(slots=True)
class LearnerBrief:
    """A learner as the figures use it."""

    id: str
    key: str
    first_name: str
    last_name: str
    tutor: tuple[str, str] | None
    needs: tuple[NeedBrief, ...]
    #: indicator -> True/False, a number, or None when unknown (never « no » for unknown)
    outcomes: dict[str, Any]
    #: activity -> the level of the most recent evaluation on it
    latest: dict[str, str]
    #: activities the company cannot offer (AR = no)
    not_feasible: frozenset[str]
    #: capitalised words of the needs' texts (see :func:`capitalised_words`)
    words: frozenset[str]


def of(learner: Any) -> LearnerBrief:
    """The brief of a validated :class:`~olapcli.core.model.Learner`."""
    from olapcli.views import latest_evaluations

    o = learner.outcomes
    return LearnerBrief(
        id=learner.id,
        key=learner.key,
        first_name=learner.first_name,
        last_name=learner.last_name,
        tutor=(learner.tutor.first_name, learner.tutor.last_name) if learner.tutor else None,
        needs=tuple(
            NeedBrief(
                n.id, n.activity, n.practice, n.identified, n.due, n.detail, tuple(n.resources)
            )
            for n in learner.needs
        ),
        outcomes={
            "rupture": None if o.rupture is None else o.rupture is not False,
            "exam": None if o.exam is None else o.exam == "passed",
            "placement": o.placement,
            "absence_hours": o.absence_hours,
            "insertion_6m": o.insertion_6m,
            "satisfaction_learner": o.satisfaction_learner,
            "satisfaction_company": o.satisfaction_company,
        },
        latest={a: ev.level for a, ev in latest_evaluations(learner).items()},
        not_feasible=frozenset(a for a, p in learner.plan.items() if p.ar is False),
        words=capitalised_words([t for n in learner.needs for t in (n.detail, *n.resources)]),
    )


def to_json(b: LearnerBrief) -> list[Any]:
    """A brief as compact JSON data (lists: the field order is the format)."""
    return [
        b.id,
        b.key,
        b.first_name,
        b.last_name,
        list(b.tutor) if b.tutor else None,
        [
            [
                n.id,
                n.activity,
                n.practice,
                n.identified.isoformat(),
                n.due.isoformat(),
                n.detail,
                list(n.resources),
            ]
            for n in b.needs
        ],
        [b.outcomes[k] for k in OUTCOME_KEYS],
        b.latest,
        sorted(b.not_feasible),
        sorted(b.words),
    ]


def from_json(data: Any) -> LearnerBrief:
    """The brief stored by :func:`to_json`; ``ValueError`` when its shape is wrong.

    Types are not checked one by one: the cache file is read only when its
    checksum proves it is exactly what olap wrote (see :func:`_read`), and
    what olap wrote came from a validated learner."""
    try:
        ident, key, first, last, tutor, needs, outcomes, latest, nf, words = data
        date = dt.date.fromisoformat
        return LearnerBrief(
            ident,
            key,
            first,
            last,
            (tutor[0], tutor[1]) if tutor else None,
            tuple(
                [
                    NeedBrief(i, a, p, date(d1), date(d2), detail, tuple(res))
                    for i, a, p, d1, d2, detail, res in needs
                ]
            ),
            dict(zip(OUTCOME_KEYS, outcomes, strict=True)),
            dict(latest),
            frozenset(nf),
            frozenset(words),
        )
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise ValueError(f"bad brief: {exc}") from exc


# --- the cache ----------------------------------------------------------------
#
# A line "FORMAT started checksum", then {path: [digest, brief, stat]}. *stat* is
# (size, mtime, ctime, inode) taken before the bytes were read, and *started*
# the time reading began. As git does with its index, a file whose stat is
# unchanged is trusted without being read — unless it was modified less than
# RACY before reading began, when a later write in the same clock tick could
# leave the stat unchanged: then its bytes are read and hashed.

FORMAT = f"{__version__}/briefs-2"
RACY = 2_000_000_000  # ns; covers file systems with 1 or 2 s timestamps


def stat_of(path: Path | str) -> list[int]:
    """What :func:`load` compares to trust a file unread."""
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _file(root: Path) -> Path:
    return cache.cohort_file(root, "briefs")


def _read(root: Path) -> tuple[dict[str, Any], int]:
    """The entries and start time of the cache file, if it is exactly what olap wrote:
    its first line holds the format, the start time and the checksum of the rest."""
    try:
        raw = _file(root).read_bytes()
        head, _nl, body = raw.partition(b"\n")
        fmt, started, check = head.decode("ascii").split(" ")
        if fmt != FORMAT or check != cache.digest(body):
            return {}, 0
        files = json.loads(body)
        if isinstance(files, dict):
            return files, int(started)
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    return {}, 0


def _write(root: Path, files: dict[str, Any], started: int) -> None:
    body = json.dumps(files, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head = f"{FORMAT} {started} {cache.digest(body)}\n".encode("ascii")
    try:
        fsio.atomic_write_bytes(_file(root), head + body)
    except OSError:
        pass  # a read-only cache folder only costs speed


def remember(root: Path, found: dict[str, list[Any]], started: int) -> None:
    """Keep the briefs ``olap validate`` made: {path: [digest, brief JSON, stat]}, read
    from *started* on (ns). Files not in *found* are dropped: validate saw every file."""
    _write(root, found, started)


def _parse(item: tuple[str, bytes]) -> tuple[str, list[Problem], list[Any] | None]:
    """Read one learner file's bytes into brief JSON (in a worker, or in-process)."""
    from olapcli.core.model import Learner
    from olapcli.io.load import model_from_bytes

    rel, raw = item
    learner, errs = model_from_bytes(raw, rel, Learner)
    return rel, errs, to_json(of(learner)) if learner is not None else None


def load(root: Path, rels: list[str]) -> tuple[list[tuple[str, LearnerBrief]], list[Problem]]:
    """(path, brief) of each valid learner file of *rels*, and the problems of the others."""
    entries, before = _read(root)
    started = time.time_ns()
    fresh: dict[str, Any] = {}
    problems: list[Problem] = []
    briefs: dict[str, LearnerBrief] = {}
    misses: list[tuple[str, bytes]] = []
    seen: dict[str, tuple[str, list[int]]] = {}
    top = str(root)
    for rel in rels:
        hit = entries.get(rel)
        try:
            stat = stat_of(os.path.join(top, rel))
            if (
                isinstance(hit, list)
                and len(hit) == 3
                and hit[2] == stat
                and stat[1] < before - RACY
            ):
                try:
                    briefs[rel] = from_json(hit[1])
                    fresh[rel] = hit
                    continue
                except ValueError:
                    pass
            raw = (root / rel).read_bytes()
        except OSError as exc:
            problems.append(Problem(rel, None, None, "error", "unreadable", str(exc)))
            continue
        digest = cache.digest(raw)
        seen[rel] = (digest, stat)
        if isinstance(hit, list) and len(hit) == 3 and hit[0] == digest:
            try:
                briefs[rel] = from_json(hit[1])
                fresh[rel] = [digest, hit[1], stat]
                continue
            except ValueError:
                pass
        misses.append((rel, raw))
    from olapcli.io.workers import parallel_map

    for rel, errs, data in parallel_map(_parse, misses):
        problems += errs
        if data is not None:
            briefs[rel] = from_json(data)
            fresh[rel] = [seen[rel][0], data, seen[rel][1]]
    if seen or set(entries) != set(fresh):
        # a file trusted by its stat had mtime < before - RACY < started - RACY
        _write(root, fresh, started)
    return [(rel, briefs[rel]) for rel in rels if rel in briefs], problems
