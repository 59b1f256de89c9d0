"""``olap validate``: every problem of a cohort, each file read and checked once per content.

The problems of a learner file depend on its bytes and on the cohort's facts (taken from
the core files and the shared resources: the *context*), and — for a few checks — on the
day. So they are kept in olap's cache (:mod:`olapcli.io.store`) under the digest of the
file and of its context, whatever the day: a problem that depends on the day says from
which day it holds, and the day only filters them. The core files and resources are
checked apart, under their own key; the checks across learner files (ids and keys
unique) are made from the id and key kept of each.

The text written is kept too, with where each file's part of it lies: a second run with
nothing changed writes it out as it is; after some learner files changed (the same day,
the same options), only their parts are written again. So after one learner file is
edited, that file alone is read, checked and written; a new day, the same bytes written
back, or a ``git checkout`` that changes nothing reads no file.

The cyclic garbage collector is off meanwhile: millions of small objects and no cycles,
it would walk them again and again for nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olapcli import __version__
from olapcli.app.checking import check_base, check_learners, sort_key
from olapcli.core.layout import COHORT, REFERENTIEL, SUBJECTS
from olapcli.errors import Problem
from olapcli.i18n import _, language
from olapcli.io import files, paths
from olapcli.io.store import Store, key
from olapcli.render.terminal import shown

#: what the entries of the cache were made by (a new olap makes them again)
ENTRIES = f"validate-2 {__version__}"
#: the entry of the learners table that says which context its entries were made in
CONTEXT = "\0context"

Row = list[Any]  # a problem, packed (see olapcli.errors.Problem.pack)


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
    if want is None:
        for row in core_rows:
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
        store.table("valid").save({e[0]: 1 for e in made.values() if e[2] is not None}, list(old))
        briefs = {e[0]: e[4] for e in made.values() if e[4] is not None}
        store.table("briefs").save(briefs, list(old))
    return found


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


def _held(rows: list[Row], today: str, strict: bool) -> list[Row]:
    """The problems that hold *today* (ISO), sorted; with *strict*, warnings are errors."""
    held = [r for r in rows if r[7] is None or r[7] <= today]
    if strict:
        held = [[*r[:3], "error", *r[4:]] if r[3] == "warning" else r for r in held]
    return sorted(held, key=sort_key)


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
    store = Store(root)
    with _no_gc():
        found = data_pass(root, store, inputs(root, store, use_cache), use_cache, progress)
    rows = [r for rel in found.rows for r in found.rows[rel]]
    rows += [r for rel in found.across for r in found.across[rel]]
    return [Problem.unpack(r) for r in _held(rows, today.isoformat(), strict)]


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
    in its repository, for those two)."""
    store = Store(root)
    # depends on .git/config, not on the data: said last, as it is
    extra = [p.pack() for p in merge_driver_problems(root)]
    day = today.isoformat()
    with _no_gc():
        state = inputs(root, store, use_cache)
        options = (day, fmt, str(strict), prefix, language(), json.dumps(extra, default=str))
        wanted, base = key(state.whole, *options), key(state.core, *options)
        kept = store.read_blob("output") if use_cache else None
        meta: dict[str, Any] = kept[0] if kept and isinstance(kept[0], dict) else {}
        if kept and meta.get("key") == wanted:
            return Report(kept[1].removesuffix(b"\n"), meta["errors"], meta["warnings"])
        # the same day, options, core files: only some learner files changed since
        where: Any = store.read("output-parts") if meta.get("base") == base else None
        splice = (
            fmt == "text"
            and isinstance(where, dict)
            and where.get("id") == meta.get("id")
            and {"parts", "across", "digests"} <= where.keys()
        )
        want: set[str] | None = None
        if splice:
            made_from: dict[str, str] = where["digests"]
            want = {r for r in state.learners if made_from.get(r) != state.digests.get(r)}
            want |= {r for r in made_from if r not in state.digests}
            want |= set(where["across"])
        found = data_pass(root, store, state, use_cache, progress, want)
        if fmt != "text":
            return _report(store, use_cache, wanted, found, day, fmt, strict, prefix, extra)
        parts: dict[str, tuple[bytes, int, int]] = {}
        if kept is not None and want is not None:
            data = kept[1]
            for rel, (start, end, errors, warnings) in where["parts"].items():
                if rel not in want and rel not in found.across:
                    parts[rel] = (data[start:end], errors, warnings)
        redo = set(found.rows) | set(found.across) if want is None else want | set(found.across)
        parts.update(_text_parts(found, redo, day, strict))
    return _write_text(store, use_cache, wanted, base, parts, extra, found, state)


def _text_parts(
    found: Found, redo: set[str], day: str, strict: bool
) -> dict[str, tuple[bytes, int, int]]:
    """{file: (its part of the text, errors, warnings)} for each of *redo* that has a
    problem *day*."""
    from olapcli.render.problems import text_rows

    parts: dict[str, tuple[bytes, int, int]] = {}
    for rel in redo:
        held = _held(found.rows.get(rel, []) + found.across.get(rel, []), day, strict)
        if held:
            errors = sum(r[3] == "error" for r in held)
            text = shown(text_rows(held)) + "\n"
            parts[rel] = (text.encode("utf-8"), errors, len(held) - errors)
    return parts


def _write_text(
    store: Store,
    use_cache: bool,
    wanted: str,
    base: str,
    parts: dict[str, tuple[bytes, int, int]],
    extra: list[Row],
    found: Found,
    state: Inputs,
) -> Report:
    """The text, and what it was made from kept: where each file's part lies and the
    digest of each learner file, to tell next time which parts changed."""
    from olapcli.render.problems import text_rows

    chunks, where, errors, warnings, at = [], {}, 0, 0, 0
    for rel in sorted(parts):
        data, e, w = parts[rel]
        chunks.append(data)
        where[rel] = [at, at + len(data), e, w]
        at += len(data)
        errors, warnings = errors + e, warnings + w
    if extra:
        chunks.append((shown(text_rows(extra)) + "\n").encode("utf-8"))
        warnings += len(extra)
    text = b"".join(chunks)  # each part ends its last line (kept so, to be spliced)
    if use_cache:
        # where each file's part lies, apart: a run with nothing changed need not read it
        made = f"{wanted}-{len(text)}"
        meta = {"key": wanted, "base": base, "id": made, "errors": errors, "warnings": warnings}
        store.write_blob("output", meta, text)
        made_from = {rel: state.digests.get(rel) for rel in state.learners}
        kept = {"id": made, "parts": where, "across": sorted(found.across), "digests": made_from}
        store.write("output-parts", kept)
    return Report(text.removesuffix(b"\n"), errors, warnings)


def _report(
    store: Store,
    use_cache: bool,
    wanted: str,
    found: Found,
    day: str,
    fmt: str,
    strict: bool,
    prefix: str,
    extra: list[Row],
) -> Report:
    """JSON, GitHub annotations or a GitLab report: made from every problem."""
    from olapcli.render import problems as writers

    rows = [r for rel in found.rows for r in found.rows[rel]]
    rows += [r for rel in found.across for r in found.across[rel]]
    held = [Problem.unpack(r) for r in _held(rows, day, strict) + extra]
    if fmt == "json":
        text = writers.as_json(held)
    elif fmt == "github":
        text = writers.github(held, prefix)
    else:
        text = writers.gitlab(held, prefix)
    data = shown(text).encode("utf-8")
    errors = sum(p.severity == "error" for p in held)
    made = Report(data, errors, len(held) - errors)
    if use_cache:
        meta = {"key": wanted, "errors": errors, "warnings": made.warnings}
        store.write_blob("output", meta, data + b"\n")
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
