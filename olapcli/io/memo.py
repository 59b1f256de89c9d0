"""The learners kept in memory by a long-running process (``olap serve``).

The trainer's dashboard reads every learner. Through olap's cache on disk
(:func:`olapcli.io.load.learners`) that is seconds on a 10,000-learner cohort at each
request (the cache itself is loaded, then each model made again). A server keeps the
models it made, each beside its file's stat, and asks the disk only for the files whose
stat changed — or changed too recently to be trusted (git's racy rule: a file rewritten
within the same timestamp keeps its stat).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from olapcli.core.layout import CORE_FILES
from olapcli.errors import Problem, ProblemsError
from olapcli.i18n import _
from olapcli.io.paths import learner_files
from olapcli.io.store import RACY

if TYPE_CHECKING:
    from olapcli.core.model import Base, Learner

#: modification and change times, size, inode: an edit that restores the modification
#: time still changes the change time (it cannot be set back)
Stat = tuple[int, int, int, int]
#: what :func:`signature` gives: each file read for the dashboard with its full stat
Signature = tuple[tuple[str, int, int, int, int], ...]
M = TypeVar("M", bound="Base")
#: up to this many changed files, each is parsed here rather than through the disk cache
FEW = 50


def stat_of(path: str | Path) -> Stat | None:
    """The stat a model is kept beside (None: the file cannot be read)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def trusted(stat: Stat) -> bool:
    """Was the file last changed long enough ago for its stat to tell a later change?"""
    return max(stat[:2]) < time.time_ns() - RACY


class Learners:
    """The valid learners of cohorts, remembered by file stat."""

    def __init__(self) -> None:
        self.known: dict[Path, dict[str, tuple[Stat, Learner]]] = {}
        self.lock = threading.Lock()
        #: root -> (when, what) of the last :meth:`valid`, for :meth:`recent`
        self.last: dict[Path, tuple[float, list[tuple[str, Learner]]]] = {}

    def recent(self, root: Path, within: float) -> list[tuple[str, Learner]]:
        """As :meth:`valid`, or its last answer when it was given less than *within*
        seconds ago and no write went through :meth:`written` since: checking the stat
        of 10,000 files costs more than the page that needs a hint from them."""
        with self.lock:
            last = self.last.get(root)
        if last is not None and time.monotonic() - last[0] < within:
            return last[1]
        return self.valid(root)

    def written(self) -> None:
        """A write went through this process: :meth:`recent` asks the files again (of
        every cohort: a root may be spelled more than one way)."""
        with self.lock:
            self.last.clear()

    def one(self, root: Path, rel: str) -> Learner:
        """The learner of the file *rel*, as :func:`olapcli.io.load.valid_learners` gives
        it (refused when the file has errors), read again only when its stat changed: a
        server asks for the person's learner at every request (their name, their page)."""
        from olapcli.io.load import one_learner

        stat = stat_of(os.path.join(os.fspath(root), rel))
        with self.lock:
            hit = self.known.get(root, {}).get(rel)
        if hit is not None and hit[0] == stat:
            return hit[1]
        found, problems = one_learner(root, rel)
        if problems or not found:
            raise ProblemsError(_("Some learner files have errors; run olap validate."), problems)
        learner = found[0][1]
        if stat is not None and trusted(stat):
            with self.lock:
                kept = dict(self.known.get(root, {}))
                kept[rel] = (stat, learner)
                self.known[root] = kept
        return learner

    def valid(self, root: Path) -> list[tuple[str, Learner]]:
        """As :func:`olapcli.io.load.valid_learners` (every learner, refused when a file
        has errors), reading again only the files changed since the last call."""
        from olapcli.io.load import learners, one_learner

        with self.lock:
            known = dict(self.known.get(root, {}))
        rels = learner_files(root)
        trusted_before = time.time_ns() - RACY
        found: dict[str, Learner] = {}
        stats: dict[str, Stat] = {}
        base = os.fspath(root)
        for rel in rels:
            try:
                # a str path: a pathlib join per file is a third of this loop's time
                st = os.stat(os.path.join(base, rel))
            except OSError:
                continue  # read below: said unreadable as olap says it
            stat = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
            hit = known.get(rel)
            if hit is not None and hit[0] == stat and max(stat[:2]) < trusted_before:
                found[rel] = hit[1]
            else:
                stats[rel] = stat
        stale = [rel for rel in rels if rel not in found]
        if len(stale) > FEW:
            fresh, problems = learners(root, stale, "model")
        else:  # a few files written since: parsed here, cheaper than loading the disk cache
            fresh, problems = [], []
            for rel in stale:
                made, errs = one_learner(root, rel)
                fresh += made
                problems += errs
        if problems:
            raise ProblemsError(_("Some learner files have errors; run olap validate."), problems)
        for rel, learner in fresh:
            found[rel] = learner
            if rel in stats and max(stats[rel][:2]) < trusted_before:
                known[rel] = (stats[rel], learner)
        made = [(rel, found[rel]) for rel in rels if rel in found]
        with self.lock:
            self.known[root] = {rel: known[rel] for rel in rels if rel in known}
            self.last[root] = (time.monotonic(), made)
        return made


#: the learners this process remembers
LEARNERS = Learners()


class Models:
    """Single files read into a model (access.yaml, read at every request of olap
    serve to check the session's grant), remembered by file stat as :class:`Learners`."""

    def __init__(self) -> None:
        self.known: dict[tuple[Path, str, type], tuple[Stat, Any]] = {}
        self.lock = threading.Lock()

    def read(self, root: Path, rel: str, model: type[M]) -> tuple[M | None, list[Problem]]:
        """As :func:`olapcli.io.load.read_model`, without reading a file unchanged since."""
        from olapcli.io.load import read_model

        key = (root.resolve(), rel, model)
        stat = stat_of(root / rel)
        if stat is None:
            return read_model(root, rel, model)  # said missing or unreadable as olap says it
        with self.lock:
            hit = self.known.get(key)
        if hit is not None and hit[0] == stat:
            return hit[1], []
        made, problems = read_model(root, rel, model)
        if made is not None and trusted(stat):
            with self.lock:
                self.known[key] = (stat, made)
        return made, problems


#: the single files this process remembers
MODELS = Models()


def signature(root: Path) -> Signature | None:
    """The state of the files the dashboard is made from (the core files and every
    learner file): each relative path with its modification and change times, size and
    inode — any write, rename, addition or removal gives another signature. None while
    one of them was modified less than :data:`~olapcli.io.store.RACY` ago (a later write
    in the same clock tick could keep its stat): then nothing computed from them may be
    kept. One listing and one stat per file: tens of milliseconds on 10,000 learners,
    against hundreds to make the dashboard again."""
    base = os.fspath(root)
    trusted_before = time.time_ns() - RACY
    found = []
    for rel in (*CORE_FILES, *learner_files(root)):
        try:
            st = os.stat(os.path.join(base, rel))
        except OSError:
            found.append((rel, -1, -1, -1, -1))  # missing: said as such when loaded
            continue
        if st.st_mtime_ns >= trusted_before or st.st_ctime_ns >= trusted_before:
            return None
        found.append((rel, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))
    return tuple(found)
