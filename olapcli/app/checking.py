"""Reading and checking the files of a cohort for ``olap validate``: the core files and
resources once, the learner files one by one — in worker processes when there are many
(reading YAML is CPU-bound).

A learner file whose data is certainly valid is read into records without the model
(:mod:`olapcli.core.quick`); the others go through it (pydantic). Either way its problems
are checked against the cohort's facts (:mod:`olapcli.core.checks.facts`) and located in
the same parse, with the text of their line.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.errors import Problem
from olapcli.i18n import _
from olapcli.io import files, paths

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts


def sort_key(row: list[Any]) -> tuple[str, int, int, str]:
    """Problems (packed, see :meth:`Problem.pack`) in file order."""
    return (row[0], row[1] or 0, row[2] or 0, row[4])


def check_base(root: Path, listed: paths.Listing) -> tuple[Facts, list[Problem]]:
    """The core files and resources, read and checked (not the learners), and what the
    learner files' checks need to know of them."""
    from olapcli.core.checks.registry import core_problems, facts_of
    from olapcli.io.load import load_base, locate

    base, found = load_base(root, listed)
    return facts_of(base), found + locate(root, core_problems(base))


_WORKER: dict[str, Any] = {}


def _init_worker(root: Path, facts: Facts, lang: str) -> None:
    from olapcli.i18n import set_language

    gc.disable()
    set_language(lang)
    _WORKER.update(root=root, facts=facts)


def check_learners(
    root: Path,
    facts: Facts,
    rels: list[str],
    lang: str,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    """{path: [digest, problems (packed, sorted), id, key, brief]} for each of *rels*; id,
    key and brief are None for a file that does not follow the model."""
    from olapcli.io.workers import pool

    made: dict[str, Any] = {}
    args = (root, facts, lang)
    with pool(len(rels), _init_worker, args) as (workers, executor):
        if executor is None:
            _init_worker(*args)
            made = _check(rels)
            if progress:
                progress(len(rels), len(rels))
        else:
            size = max(50, len(rels) // (workers * 4))
            chunks = [rels[i : i + size] for i in range(0, len(rels), size)]
            done = 0
            for chunk, entries in zip(chunks, executor.map(_check, chunks), strict=True):
                made.update(entries)
                done += len(chunk)
                if progress:
                    progress(done, len(rels))
    return made


def _check(rels: list[str]) -> dict[str, Any]:
    """Read and check some learner files (in a worker, or here)."""
    from olapcli.core import quick, records
    from olapcli.core.checks.registry import learner_problems
    from olapcli.core.derive import briefs
    from olapcli.io.files import decode
    from olapcli.io.load import locate_in_text, parse_node
    from olapcli.io.store import digest

    root: Path = _WORKER["root"]
    facts: Facts = _WORKER["facts"]
    out: dict[str, Any] = {}
    for rel in rels:
        raw = files.read_bytes(root / rel)
        if raw is None:
            problem = Problem(rel, None, None, "error", "unreadable", _("the file cannot be read"))
            out[rel] = [None, [problem.pack()], None, None, None]
            continue
        entry: list[Any] = [digest(raw), [], None, None, None]
        out[rel] = entry
        text, found = decode(raw, rel)
        if text is None:
            entry[1] = [p.pack() for p in found]
            continue
        data, node, found = parse_node(text, rel)
        if found:
            entry[1] = [p.pack() for p in found]
            continue
        learner = quick.learner(data)
        if learner is None:
            from olapcli.core.model import Learner
            from olapcli.io.load import validate_data

            model, found = validate_data(Learner, data, rel)
            if model is None:
                entry[1] = sorted(
                    (p.pack() for p in locate_in_text(text, found, node)), key=sort_key
                )
                continue
            learner = records.learner(model)
        found = learner_problems(facts, rel, learner)
        entry[1] = sorted((p.pack() for p in locate_in_text(text, found, node)), key=sort_key)
        entry[2:] = [learner.id, learner.key, briefs.to_json(briefs.of(learner))]
    return out
