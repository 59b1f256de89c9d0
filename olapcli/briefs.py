"""The cache of briefs (see olapcli.core.derive.briefs)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from olapcli import __version__, cache
from olapcli.core.derive.briefs import LearnerBrief, from_json, of, to_json
from olapcli.errors import Problem
from olapcli.io import files as fsio

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
