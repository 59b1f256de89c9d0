"""Learner files already read, kept as JSON and keyed by the digest of their bytes.

Parsing YAML is most of the cost of reading a cohort. Commands that read every
learner (render, lists, and the report to come) keep what they read here: the
data of each file that follows the model, under the digest of its exact bytes.
A changed byte is a different digest, so nothing stale is served; and what
comes out of the cache goes through the model again. JSON, never pickle; in
the cache folder, never in the cohort's tracked files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from olapcli import __version__, cache
from olapcli.core.model import Learner
from olapcli.errors import Problem
from olapcli.io import files as fsio
from olapcli.io.load import model_from_bytes


def _file(root: Path) -> Path:
    return cache.cohort_file(root, "data")


def _parse(item: tuple[str, bytes]) -> tuple[str, Learner | None, list[Problem], Any]:
    """Read one learner file's bytes (in a worker, or in-process)."""
    rel, raw = item
    learner, errs = model_from_bytes(raw, rel, Learner)
    data = learner.model_dump(mode="json", by_alias=True, exclude_none=True) if learner else None
    return rel, learner, errs, data


def load_learners(
    root: Path, rels: list[str]
) -> tuple[list[tuple[str, Learner, bytes]], list[Problem]]:
    """(path, learner, bytes) for each valid learner file of *rels*, and the problems
    of the others. Valid files are served from the cache when their bytes match."""
    path = _file(root)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        entries: dict[str, Any] = stored["files"] if stored.get("version") == __version__ else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        entries = {}
    fresh: dict[str, Any] = {}
    found: list[tuple[str, Learner, bytes]] = []
    problems: list[Problem] = []
    changed = False
    raws: dict[str, bytes] = {}
    misses: list[tuple[str, bytes]] = []
    hits: dict[str, Learner] = {}
    for rel in rels:
        try:
            raw = (root / rel).read_bytes()
        except OSError as exc:
            problems.append(Problem(rel, None, None, "error", "unreadable", str(exc)))
            continue
        raws[rel] = raw
        digest = cache.digest(raw)
        hit = entries.get(rel)
        learner = None
        if isinstance(hit, list) and len(hit) == 2 and hit[0] == digest:
            try:
                learner = Learner.model_validate(hit[1])
            except ValueError:
                learner = None
        if learner is None:
            misses.append((rel, raw))
        else:
            hits[rel] = learner
            fresh[rel] = hit
    from olapcli.io.workers import parallel_map

    parsed = {
        rel: (learner, errs, data) for rel, learner, errs, data in parallel_map(_parse, misses)
    }
    changed = bool(misses)
    for rel, raw in raws.items():
        if rel in hits:
            found.append((rel, hits[rel], raw))
            continue
        learner, errs, data = parsed[rel]
        problems += errs
        if learner is not None:
            fresh[rel] = [cache.digest(raw), data]
            found.append((rel, learner, raw))
    if changed or set(entries) != set(fresh):
        try:
            fsio.atomic_write(
                path,
                json.dumps(
                    {"version": __version__, "files": fresh},
                    ensure_ascii=False,
                    separators=(",", ":"),
                ),
            )
        except OSError:
            pass  # a read-only cache folder only costs speed
    return found, problems
