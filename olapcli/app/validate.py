"""``olap validate``: every problem of a cohort, each file read and checked once per content.

The problems of a learner file depend on its bytes, on the core files and the
shared resources (what its ids refer to: the *context*), and — for a few checks —
on the day. So they are kept in olap's cache (:mod:`olapcli.io.store`) under the
digest of the file and of its context, whatever the day: a problem that depends on
the day says from which day it holds, and the day only filters them. After one
learner file is edited, that file alone is read and checked again; a new day, the
same bytes written back, or a ``git checkout`` that changes nothing re-reads nothing.
The core files and resources are checked apart, under their own key, and the checks
across learner files (ids and keys unique) are made from what the cache holds of
each. The output as it was written is kept too, for a second run with nothing changed.

Learner files to check are read in worker processes when there are many (reading
YAML is CPU-bound). The cyclic garbage collector is off meanwhile: millions of small
objects and no cycles, it would walk them again and again for nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli import __version__
from olapcli.core.checks.base import on
from olapcli.core.layout import COHORT, REFERENTIEL, SUBJECTS
from olapcli.errors import Problem
from olapcli.i18n import _, language
from olapcli.io import files, paths
from olapcli.io.store import Store, key
from olapcli.render.terminal import shown

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts

#: what the learner entries of the cache were made by (a new olap makes them again)
ENTRIES = f"validate-1 {__version__}"


def sort_key(p: Problem) -> tuple[str, int, int, str]:
    """Problems in file order."""
    return (p.path, p.line or 0, p.col or 0, p.code)


def validate(
    root: Path,
    today: dt.date,
    strict: bool = False,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[Problem]:
    """Every problem of the cohort at *root* that holds *today*, sorted by file and line;
    with *strict*, the fidelity warnings are errors. *progress* is called with (learner
    files checked, learner files to check) as work advances."""
    with _no_gc():
        found = problems(root, use_cache, progress)
    return on(found, today, strict)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class Inputs:
    """What a run of validate depends on, as keys: nothing else can change its result."""

    learners: list[str]
    listing: paths.Listing
    digests: dict[str, str]
    #: the core files and shared resources: what every learner file's checks depend on
    context: str
    #: the context, the learners' own resources, the attachments, the learner ids
    core: str
    #: all of the above and every learner file
    whole: str


def inputs(root: Path, store: Store, use_cache: bool = True) -> Inputs:
    """The keys of a run: the digest of every data file (trusted by stat, see
    :meth:`Store.digests`), combined."""
    found = paths.listing(root)
    learners, resources = found.learners, found.resources
    own = [rel for rels in found.own.values() for rel in rels]
    core = [COHORT, REFERENTIEL, SUBJECTS]
    digests: dict[str, str] = {}
    if use_cache:
        digests, _read = store.digests(
            [r for r in core if files.exists(root / r)] + resources + own + learners
        )

    def keyed(rels: list[str]) -> list[str]:
        return [f"{rel}={digests.get(rel, '-')}" for rel in rels]

    context = key(ENTRIES, language(), *keyed(core + resources))
    ids = sorted(rel[len("learners/") : -len(".yaml")] for rel in learners)
    core_key = key(context, *keyed(own), *sorted(found.attachments), *ids)
    return Inputs(learners, found, digests, context, core_key, key(core_key, *keyed(learners)))


def problems(
    root: Path,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    state: Inputs | None = None,
) -> list[Problem]:
    """Every problem of the cohort, whatever the day (see :func:`validate`)."""
    store = Store(root)
    state = state or inputs(root, store, use_cache)
    learners, digests, context = state.learners, state.digests, state.context
    table = store.table("learners")
    # {path: [digest of the file, context, problems (packed), id, key]}: id and key are
    # None for a file that does not follow the model
    entries: dict[str, Any] = table.load() if use_cache else {}
    todo = [
        rel
        for rel in learners
        if not (
            rel in digests
            and type(entries.get(rel)) is list
            and entries[rel][0] == digests[rel]
            and entries[rel][1] == context
        )
    ]
    from olapcli.core.checks.facts import Facts

    core_cached = store.read("core-checks") if use_cache else None
    found: list[Problem] = []
    try:
        assert isinstance(core_cached, dict) and core_cached.get("key") == state.core
        facts = Facts.from_json(core_cached["facts"])
        found += [Problem.unpack(p) for p in core_cached["problems"]]
    except (AssertionError, KeyError, TypeError, ValueError):  # not kept: read them again
        facts, mine = _check_base(root, state.listing)
        found += mine
        if use_cache:
            store.write(
                "core-checks",
                {"key": state.core, "problems": [p.pack() for p in mine], "facts": facts.to_json()},
            )
    made: dict[str, Any] = {}
    before = entries
    if todo:
        made = _check_learners_of(root, facts, todo, language(), progress)
        entries = {**entries, **{rel: [e[0], context, *e[1:4]] for rel, e in made.items()}}
    identities = []
    unpack = Problem.unpack
    for rel in learners:
        entry = entries.get(rel)
        if entry is None:
            continue
        found += [unpack(p) for p in entry[2]]
        if entry[3] is not None:
            identities.append((rel, entry[3], entry[4]))
    from olapcli.core.checks.identity import learner_identities
    from olapcli.io.load import locate

    found += locate(root, learner_identities(identities))
    found.sort(key=sort_key)
    if use_cache and (made or len(entries) != len(learners)):
        present = set(learners)
        gone = [rel for rel in entries if rel not in present]
        table.save({rel: entries[rel] for rel in made}, gone)
        # what was kept of the files' old contents is forgotten with them
        old = {before[rel][0] for rel in [*made, *gone] if type(before.get(rel)) is list}
        old -= {e[0] for e in made.values()}
        store.table("valid").save({e[0]: 1 for e in made.values() if e[2] is not None}, list(old))
        briefs = {e[0]: e[4] for e in made.values() if e[4] is not None}
        store.table("briefs").save(briefs, list(old))
    return found


@dataclass
class Report:
    """The problems of a run, written in the format asked (UTF-8, control characters
    made harmless: ready for a terminal), and how many of each kind."""

    text: bytes
    errors: int
    warnings: int


def report(
    root: Path,
    today: dt.date,
    fmt: str = "text",
    strict: bool = False,
    prefix: str = "",
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """``olap validate``: the problems that hold *today* written as text (with excerpts),
    JSON, GitHub annotations or a GitLab code-quality report (*prefix*: the cohort's path
    in its repository, for those two). A run whose inputs, day and options are those of
    the last one is served as it was written, without reading or writing anything else."""
    from olapcli.render import problems as writers

    store = Store(root)
    extra = merge_driver_problems(root)  # depends on .git/config, not on the data
    with _no_gc():
        state = inputs(root, store, use_cache)
        wanted = key(
            state.whole, today.isoformat(), fmt, str(strict), prefix, language(),
            *(str(p.pack()) for p in extra),
        )  # fmt: skip
        if use_cache:
            done = store.read_blob("output")
            if done is not None and isinstance(done[0], dict) and done[0].get("key") == wanted:
                meta, data = done
                return Report(data, meta["errors"], meta["warnings"])
        held = on(problems(root, use_cache, progress, state), today, strict) + extra
    if fmt == "json":
        text = writers.as_json(held)
    elif fmt == "github":
        text = writers.github(held, prefix)
    elif fmt == "gitlab":
        text = writers.gitlab(held, prefix)
    else:
        text = writers.text(held)
    data = shown(text).encode("utf-8")  # written to a terminal as it is, from the cache too
    errors = sum(p.severity == "error" for p in held)
    made = Report(data, errors, len(held) - errors)
    if use_cache:
        meta = {"key": wanted, "errors": made.errors, "warnings": made.warnings}
        store.write_blob("output", meta, data)
    return made


def merge_driver_problems(root: Path) -> list[Problem]:
    """A warning when the attributes name olap's merge driver but this clone has not
    registered it (Git would then merge learner files line by line). It depends on
    .git/config, not on the data. Not said in CI, where nothing is merged by hand."""
    from olapcli.io import env, git

    if env.in_ci() or not git.uses_driver(root) or git.registered(root):
        return []
    return [
        Problem(
            ".gitattributes",
            None,
            None,
            "warning",
            "merge-driver",
            _(
                "olap's merge driver is not registered in this clone: Git would merge learner "
                "files line by line, and two needs added at once would conflict"
            ),
            _("run « olap setup » once in this clone"),
        )
    ]


def _check_base(root: Path, listed: paths.Listing) -> tuple[Facts, list[Problem]]:
    """The core files and resources, read and checked (not the learners), and what the
    learner files' checks need to know of them."""
    from olapcli.core.checks.registry import core_problems, facts_of
    from olapcli.io.load import load_base, locate

    base, found = load_base(root, listed)
    return facts_of(base), found + locate(root, core_problems(base))


# --- the learner files, in worker processes -------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(root: Path, facts: Facts, lang: str) -> None:
    from olapcli.i18n import set_language

    gc.disable()
    set_language(lang)
    _WORKER.update(root=root, facts=facts)


def _check_learners_of(
    root: Path,
    facts: Facts,
    rels: list[str],
    lang: str,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    """{path: entry} for each of *rels*, read and checked, in workers when there are many."""
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
    """Read and check some learner files (in a worker, or here). Each entry:
    [digest, problems (packed), id, key, brief] — id, key and brief None when the file
    does not follow the model. A file whose data is certainly valid is read into a record
    without the model (:func:`olapcli.core.records.quick`); the others go through it."""
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
                entry[1] = [p.pack() for p in locate_in_text(text, found, node)]
                continue
            learner = records.learner(model)
        found = learner_problems(facts, rel, learner)
        entry[1] = [p.pack() for p in sorted(locate_in_text(text, found, node), key=sort_key)]
        entry[2:] = [learner.id, learner.key, briefs.to_json(briefs.of(learner))]
    return out
