"""Reading and checking the files of a cohort for ``olap validate``: the core files and
resources once, the learner files one by one — in worker processes when there are many
(reading YAML is CPU-bound) — each only when its bytes or what its checks depend on
changed since olap's cache (:mod:`olapcli.io.store`) was made (:func:`data_pass`).

A learner file whose data is certainly valid is read into records without the model
(:mod:`olapcli.core.quick`); the others go through it (pydantic). Either way its problems
are checked against the cohort's facts (:mod:`olapcli.core.checks.facts`) and located in
the same parse, with the text of their line.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli import __version__
from olapcli.core.layout import ACCESS, COHORT, REFERENTIEL, SUBJECTS
from olapcli.errors import Problem
from olapcli.i18n import _, language
from olapcli.io import files, paths
from olapcli.io.clock import today
from olapcli.io.store import Stats, Store, key

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts


#: what the entries of the cache were made by (a new olap makes them again)
ENTRIES = f"validate-6 {__version__}"
#: the files whose errors make every learner file unfit for a write (see known_valid)
CORE_FILES = frozenset({COHORT, REFERENTIEL, SUBJECTS})
#: the entry of the learners table that says which context its entries were made in
CONTEXT = "\0context"

Row = list[Any]  # a problem, packed (see olapcli.errors.Problem.pack)


def sort_key(row: list[Any]) -> tuple[str, int, int, str]:
    """Problems (packed, see :meth:`Problem.pack`) in file order."""
    return (row[0], row[1] or 0, row[2] or 0, row[4])


def check_base(root: Path, listed: paths.Listing) -> tuple[Facts, list[Problem]]:
    """The core files and resources, read and checked (not the learners), and what the
    learner files' checks need to know of them."""
    from olapcli.core.checks.registry import core_problems, facts_of
    from olapcli.io.load import load_base, locate

    base, found = load_base(root, listed)
    if files.exists(root / ACCESS):
        from olapcli.core.model import AccessFile
        from olapcli.io.load import read_model

        base.access, more = read_model(root, ACCESS, AccessFile)
        found += more
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
    return check_files(_WORKER["root"], _WORKER["facts"], rels)


def file_problems(root: Path, rel: str) -> list[Problem]:
    """The problems ``olap validate`` finds in the learner file *rel*, alone (not those
    across files: an id or a key shared with another learner), whatever the day, and
    those of the core files its checks read (cohort, référentiel, subjects)."""
    from olapcli.io import paths

    facts, base = check_base(root, paths.listing(root))
    _digest, rows, *_rest = check_files(root, facts, [rel])[rel]
    return [p for p in base if p.path in CORE_FILES] + [Problem.unpack(row) for row in rows]


def check_files(root: Path, facts: Facts, rels: list[str]) -> dict[str, Any]:
    """{path: [digest, problems (packed, sorted), id, key, brief]}: see
    :func:`check_learners`."""
    from olapcli.core import quick, records
    from olapcli.core.checks.registry import learner_problems
    from olapcli.core.derive import briefs
    from olapcli.io.files import decode
    from olapcli.io.load import locate_in_text, parse_node
    from olapcli.io.store import digest

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


@dataclass
class Inputs:
    """What a run of validate depends on, as keys: nothing else can change its result."""

    learners: list[str]
    listing: paths.Listing
    digests: dict[str, str]
    #: the core files and shared resources: what every learner file's checks depend on
    context: str
    #: the context, the learners' own resources, the attachments, the links, the learner ids
    core: str
    #: all of the above and every learner file
    whole: str


def data_files(root: Path, found: paths.Listing) -> list[str]:
    """Every file a run of validate reads."""
    own = [rel for rels in found.own.values() for rel in rels]
    core = [r for r in (COHORT, REFERENTIEL, SUBJECTS, ACCESS) if files.exists(root / r)]
    return core + found.resources + own + found.learners


def inputs(
    root: Path,
    store: Store,
    use_cache: bool = True,
    found: paths.Listing | None = None,
    stats: Stats | None = None,
) -> Inputs:
    """The keys of a run: the digest of every data file (trusted by stat, see
    :meth:`Store.digests`), combined. *found*, *stats*: the listing and stats if taken."""
    found = found or paths.listing(root)
    learners, resources = found.learners, found.resources
    own = [rel for rels in found.own.values() for rel in rels]
    core = [COHORT, REFERENTIEL, SUBJECTS]
    digests: dict[str, str] = {}
    if use_cache:
        digests, _read = store.digests(data_files(root, found), stats=stats)

    def keyed(rels: list[str]) -> list[str]:
        return [f"{rel}={digests.get(rel, '-')}" for rel in rels]

    context = key(ENTRIES, language(), *keyed(core + resources))
    ids = sorted(rel[len("learners/") : -len(".yaml")] for rel in learners)
    # a link appearing (or going) changes what validate says, not the digest of any file;
    # access.yaml is checked with the core files, not with each learner file
    links = [f"link:{rel}" for rel in found.links]
    core_key = key(context, *keyed([ACCESS, *own]), *sorted(found.attachments), *links, *ids)
    return Inputs(learners, found, digests, context, core_key, key(core_key, *keyed(learners)))


@dataclass
class Found:
    """What a pass over the data found: problems (packed) by file, whatever the day."""

    #: the problems of each file asked for (a file without problems is not there)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    #: the problems across learner files (an id or a key shared), by file
    across: dict[str, list[Row]] = field(default_factory=dict)


def data_pass(
    root: Path,
    store: Store,
    state: Inputs,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    want: set[str] | None = None,
) -> Found:
    """Read and check what changed since the cache was made; give the problems of every
    file, or, with *want*, of those learner files and of those sharing an id or a key.

    Whatever is taken from the cache is taken under the digest of the file's bytes: an
    entry made from other bytes (a document lost, a journal damaged) is never used, the
    file is checked again."""
    from olapcli.core.checks.facts import Facts

    found = Found()
    table = store.table("learners")  # {path: [digest, id, key]}, id None if not valid
    entries: dict[str, Any] = table.load() if use_cache else {}
    if entries.get(CONTEXT) != state.context:
        entries = {}
    digests = state.digests

    def known(kept: dict[str, Any], rel: str) -> bool:
        entry = kept.get(rel)
        return type(entry) is list and rel in digests and entry[0] == digests[rel]

    todo = [rel for rel in state.learners if not known(entries, rel)]
    core_cached = store.read("core-checks") if use_cache else None
    try:
        assert isinstance(core_cached, dict) and core_cached.get("key") == state.core
        facts = Facts.from_json(core_cached["facts"])
        core_rows: list[Row] = core_cached["problems"]
    except (AssertionError, KeyError, TypeError, ValueError):  # not kept: read them again
        facts, mine = check_base(root, state.listing)
        core_rows = [p.pack() for p in mine]
        if use_cache:
            kept = {"key": state.core, "problems": core_rows, "facts": facts.to_json()}
            store.write("core-checks", kept)
    for row in core_rows:
        if want is None or row[0] in want:
            found.rows.setdefault(row[0], []).append(row)
    made = check_learners(root, facts, todo, language(), progress) if todo else {}
    before = dict(entries)
    entries.update({rel: [e[0], e[2], e[3]] for rel, e in made.items()})
    found.across = _across(root, _identities(state.learners, entries))
    present = set(state.learners)
    asked = present if want is None else (want | set(found.across)) & present
    needed = [rel for rel in state.learners if rel in asked and rel not in made]
    problems = store.table("problems")  # {path: [digest, problems]}
    if needed:
        kept_rows = problems.load() if use_cache else {}
        stale = [rel for rel in needed if not known(kept_rows, rel)]
        found.rows.update({rel: kept_rows[rel][1] for rel in needed if rel not in stale})
        if stale:  # kept under other bytes: checked again
            more = check_learners(root, facts, stale, language(), None)
            made.update(more)
            entries.update({rel: [e[0], e[2], e[3]] for rel, e in more.items()})
            found.across = _across(root, _identities(state.learners, entries))
    found.rows.update({rel: e[1] for rel, e in made.items() if rel in asked and e[1]})
    gone = [rel for rel in entries if rel not in present and rel != CONTEXT]
    if use_cache and (made or gone or before.get(CONTEXT) != state.context):
        changed = {rel: entries[rel] for rel in made}
        if before.get(CONTEXT) != state.context:
            changed[CONTEXT] = state.context
        table.save(changed, gone)
        problems.save({rel: [e[0], e[1]] for rel, e in made.items()}, gone)
        # what was kept of the files' old contents is forgotten with them
        old = {before[rel][0] for rel in [*made, *gone] if type(before.get(rel)) is list}
        old -= {e[0] for e in made.values()}
        core = store.core_digest()
        day = today().isoformat()
        sound = _no_error([row for row in core_rows if row[0] in CORE_FILES], day)
        clean = {
            e[0]: core for e in made.values() if sound and e[2] is not None and _no_error(e[1], day)
        }
        store.table("valid").save(clean, list(old))
        briefs = {e[0]: e[4] for e in made.values() if e[4] is not None}
        store.table("briefs").save(briefs, list(old))
    return found


def _no_error(rows: list[list[Any]], day: str) -> bool:
    """Do these packed problems (see :meth:`Problem.pack`) hold no error from *day* (ISO)
    on? An error that stopped holding (a need identified on a day now past) never will
    again as the days go by."""
    return all(row[3] != "error" or (row[9] is not None and row[9] <= day) for row in rows)


def _identities(rels: list[str], entries: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(path, id, key) of each valid learner file."""
    return [
        (rel, entries[rel][1], entries[rel][2])
        for rel in rels
        if rel in entries and entries[rel][1] is not None
    ]


def _across(root: Path, identities: list[tuple[str, str, str]]) -> dict[str, list[Row]]:
    """The problems of ids and keys shared by several learner files, by file."""
    from olapcli.core.checks.identity import learner_identities
    from olapcli.io.load import locate

    out: dict[str, list[Row]] = {}
    for problem in locate(root, learner_identities(identities)):
        out.setdefault(problem.path, []).append(problem.pack())
    return out
