"""The validate pipeline: cache → load → checks → positions.

Learner files are independent of each other but for their ids and keys, so
they are read and checked in worker processes when there are many (reading
YAML is CPU-bound); the parent checks the core files and, across learners,
that ids and keys are unique.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli import cache
from olapcli.errors import Problem
from olapcli.i18n import language

if TYPE_CHECKING:
    from olapcli.core.cohortdata import CohortData


def sort_key(p: Problem) -> tuple[str, int, int, str]:
    """Problems in file order."""
    return (p.path, p.line or 0, p.col or 0, p.code)


_WORKER: dict[str, Any] = {}


def _init_worker(root: Path, base: CohortData, today: dt.date, strict: bool, lang: str) -> None:
    from olapcli.i18n import set_language

    set_language(lang)
    _WORKER.update(root=root, base=base, today=today, strict=strict)


def _check_learners(
    rels: list[str],
) -> tuple[list[Problem], list[tuple[str, str, str]], dict[str, list[Any]]]:
    """Read and check some learner files (in a worker, or in-process).

    Returns the problems, the identities (path, id, key) and, for each file that
    follows the model, the digest of its bytes and its brief (see olapcli.briefs)."""
    from olapcli import briefs
    from olapcli.core.checks import Context, run_checks
    from olapcli.core.derive.briefs import of, to_json
    from olapcli.core.model import Learner
    from olapcli.io.load import locate, read_model

    root: Path = _WORKER["root"]
    base: CohortData = _WORKER["base"]
    problems: list[Problem] = []
    learners = []
    digests: dict[str, str] = {}
    stats: dict[str, list[int]] = {}
    for rel in rels:
        with contextlib.suppress(OSError):  # read_model reports an unreadable file
            stats[rel] = briefs.stat_of(root / rel)  # before reading: see olapcli.briefs
        learner, found = read_model(root, rel, Learner, digests)
        problems += found
        if learner is not None:
            learners.append((rel, learner))
    share = base.with_learners(learners)
    ctx = Context(today=_WORKER["today"], core=False, across=False)
    problems += locate(root, run_checks(share, ctx, strict=_WORKER["strict"]))
    made = {
        rel: [digests[rel], to_json(of(lrn)), stats[rel]] for rel, lrn in learners if rel in stats
    }
    return problems, [(rel, lrn.id, lrn.key) for rel, lrn in learners], made


def validate(
    root: Path,
    today: dt.date,
    strict: bool = False,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[Problem]:
    """Every problem of the cohort at *root*, sorted by file and line.

    *progress* is called with (learner files done, total) as work advances.
    """
    key = cache.content_key(root, f"strict={strict}", f"today={today}", f"lang={language()}")
    if use_cache:
        cached = cache.get(root, key)
        if cached is not None:
            return cached
    from olapcli.core.checks import Context, learner_identities, run_checks
    from olapcli.io.load import load_base, locate
    from olapcli.io.paths import learner_files

    base, problems = load_base(root)
    problems += locate(root, run_checks(base, Context(today=today, across=False), strict=strict))
    rels = learner_files(root)
    identities: list[tuple[str, str, str]] = []
    made: dict[str, list[Any]] = {}
    started = time.time_ns()
    args = (root, base, today, strict, language())
    from olapcli.io.workers import pool

    with pool(len(rels), _init_worker, args) as (workers, executor):
        if executor is None:
            _init_worker(*args)
            found, identities, made = _check_learners(rels)
            problems += found
            if progress:
                progress(len(rels), len(rels))
        else:
            size = max(50, len(rels) // (workers * 4))
            chunks = [rels[i : i + size] for i in range(0, len(rels), size)]
            done = 0
            for chunk, (found, ids, marks) in zip(
                chunks, executor.map(_check_learners, chunks), strict=True
            ):
                problems += found
                identities += ids
                made.update(marks)
                done += len(chunk)
                if progress:
                    progress(done, len(rels))
    problems += locate(root, learner_identities(identities))
    problems = sorted(problems, key=sort_key)
    if use_cache:
        cache.put(root, key, problems)
        cache.mark_all_valid(root, {rel: entry[0] for rel, entry in made.items()})
        from olapcli import briefs

        briefs.remember(root, made, started)
    return problems
