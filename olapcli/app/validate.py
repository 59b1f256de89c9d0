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
back, or a ``git checkout`` that changes nothing reads no file. And when no data file's
stat (size, times, inode) has changed since the last run with the same options, the
text kept is written out without looking further (:meth:`olapcli.io.store.Store.stats`).

The cyclic garbage collector is off meanwhile: millions of small objects and no cycles,
it would walk them again and again for nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olapcli.app.checking import (
    ENTRIES,
    Found,
    Inputs,
    Row,
    data_files,
    data_pass,
    inputs,
    sort_key,
)
from olapcli.errors import Problem
from olapcli.i18n import _, language
from olapcli.io import paths
from olapcli.io.store import Stats, Store, key
from olapcli.render.terminal import shown


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _held(rows: list[Row], today: str, strict: bool) -> list[Row]:
    """The problems that hold *today* (ISO), sorted; with *strict*, warnings are errors."""
    held = [r for r in rows if (r[7] is None or r[7] <= today) and (r[9] is None or today < r[9])]
    if strict:
        held = [[*r[:3], "error", *r[4:]] if r[3] == "warning" else r for r in held]
    return sorted(held, key=sort_key)


def validate(
    root: Path,
    today: dt.date,
    strict: bool = False,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    errors_only: bool = False,
) -> list[Problem]:
    """Every problem of the cohort at *root* that holds *today*, sorted by file and line;
    with *strict*, the fidelity warnings are errors; with *errors_only*, only the errors
    (what the figures refuse: the warnings of a large cohort are many to unpack). *progress*
    is called with (learner files checked, learner files to check) as work advances."""
    store = Store(root)
    with _no_gc():
        found = data_pass(root, store, inputs(root, store, use_cache), use_cache, progress)
    rows = [r for rel in found.rows for r in found.rows[rel]]
    rows += [r for rel in found.across for r in found.across[rel]]
    if errors_only and not strict:
        rows = [r for r in rows if r[3] == "error"]
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
    options = (day, fmt, str(strict), prefix, language(), json.dumps(extra, default=str))
    with _no_gc():
        listed = paths.listing(root)
        if not use_cache:
            found = data_pass(root, store, inputs(root, store, False, listed), False, progress)
            if fmt != "text":
                return _report(found, day, fmt, strict, prefix, extra)
            parts = _text_parts(found, set(found.rows) | set(found.across), day, strict)
            return _joined(parts, extra)[0]
        # nothing changed since the last run, by the files' stats alone?
        stats = store.stats(data_files(root, listed))
        links = [f"link:{rel}" for rel in listed.links]
        quick = key(ENTRIES, stats.key, *sorted(listed.attachments), *links, *options)
        made = _kept(store, quick, stats)
        if made is None:
            state = inputs(root, store, True, listed, stats)
            made = _made(root, store, state, options, (strict, extra), progress)
            store.write("output-stat", {"key": quick, "taken": stats.taken, "id": made[1]})
    return made[0]


def _made(
    root: Path,
    store: Store,
    state: Inputs,
    options: tuple[str, ...],
    said: tuple[bool, list[Row]],
    progress: Callable[[int, int], None] | None,
) -> tuple[Report, str]:
    """The report of the data *state* says, and its id: kept if made from the same data,
    else made again, as little of it as can be. *said*: strict?, and the problems said
    whatever the data."""
    day, fmt, _strict, prefix = options[:4]
    strict, extra = said
    # the base: all but the learner files and the day (each file's part says when it
    # changes with the day, see _windows)
    wanted, base = key(state.whole, *options), key(state.core, *options[1:])
    kept = store.read_blob("output")
    meta: dict[str, Any] = kept[0] if kept and isinstance(kept[0], dict) else {}
    if kept and meta.get("key") == wanted:
        return Report(kept[1].removesuffix(b"\n"), meta["errors"], meta["warnings"]), meta["id"]
    # the same options and core files: only some learner files, or the day, changed since
    where: Any = store.read("output-parts") if meta.get("base") == base else None
    want: set[str] | None = None
    if (
        kept is not None
        and fmt == "text"
        and isinstance(where, dict)
        and where.get("id") == meta.get("id")
        and {"parts", "across", "digests", "windows", "day"} <= where.keys()
    ):
        made_from: dict[str, str | None] = where["digests"]
        want = {r for r in state.learners if made_from.get(r) != state.digests.get(r)}
        want |= {r for r in made_from if r not in state.digests}
        want |= set(where["across"])
        if day < where["day"]:  # back in time (OLAP_TODAY): every part made again
            want |= set(state.learners)
        elif where["day"] != day:  # the parts with a problem starting or ending in between
            want |= {
                rel
                for rel, (_before, after) in where["windows"].items()
                if after is not None and after <= day
            }
    found = data_pass(root, store, state, True, progress, want)
    made_id = f"{wanted}-{time.time_ns()}"
    if fmt != "text":
        made = _report(found, day, fmt, strict, prefix, extra)
        meta = {"key": wanted, "id": made_id, "errors": made.errors, "warnings": made.warnings}
        store.write_blob("output", meta, made.text + b"\n")
        return made, made_id
    parts: dict[str, tuple[bytes, int, int]] = {}
    windows: dict[str, list[str | None]] = {}
    if kept is not None and want is not None:
        redo = want | set(found.across)
        for rel, (start, end, errors, warnings) in where["parts"].items():
            if rel not in redo:
                parts[rel] = (kept[1][start:end], errors, warnings)
        windows = {rel: w for rel, w in where["windows"].items() if rel not in redo}
    else:
        redo = set(found.rows) | set(found.across)
    parts.update(_text_parts(found, redo, day, strict))
    windows.update(_windows(found, redo, day))
    made, where = _joined(parts, extra)
    meta = {"key": wanted, "base": base, "id": made_id}
    store.write_blob(
        "output", {**meta, "errors": made.errors, "warnings": made.warnings}, made.text + b"\n"
    )
    # where each file's part lies, apart (a run with nothing changed need not read it),
    # and the digest of each learner file the text was made from
    made_from = {rel: state.digests.get(rel) for rel in state.learners}
    kept_parts = {
        "id": made_id,
        "parts": where,
        "across": sorted(found.across),
        "digests": made_from,
        "windows": windows,
        "day": day,
    }
    store.write("output-parts", kept_parts)
    return made, made_id


def _kept(store: Store, quick: str, stats: Stats) -> tuple[Report, str] | None:
    """The report kept, when made from files of the same stats (and options)."""
    seen = store.read("output-stat")
    if not (isinstance(seen, dict) and seen.get("key") == quick):
        return None
    if not (isinstance(seen.get("taken"), int) and stats.trusted_since(seen["taken"])):
        return None
    kept = store.read_blob("output")
    if kept is None or not isinstance(kept[0], dict) or kept[0].get("id") != seen.get("id"):
        return None
    meta = kept[0]
    return Report(kept[1].removesuffix(b"\n"), meta["errors"], meta["warnings"]), meta["id"]


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


def _windows(found: Found, rels: set[str], day: str) -> dict[str, list[str | None]]:
    """{file: [None, the next day after *day* a problem of it starts or stops holding]}
    for the files of *rels* that have one: a later day changes a file's part only from
    then on. (An earlier day makes every part again: the days a problem stopped holding,
    a need identified before each of them, are not kept — one per need.)"""
    out: dict[str, list[str | None]] = {}
    for rel in rels:
        rows = found.rows.get(rel, []) + found.across.get(rel, [])
        after = min((d for r in rows for d in (r[7], r[9]) if d and d > day), default=None)
        if after is not None:
            out[rel] = [None, after]
    return out


def _joined(
    parts: dict[str, tuple[bytes, int, int]], extra: list[Row]
) -> tuple[Report, dict[str, list[int]]]:
    """The text made of the files' parts (in file order) and of *extra*, and where each
    file's part lies in it: {file: [start, end, errors, warnings]}."""
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
    return Report(text.removesuffix(b"\n"), errors, warnings), where


def _report(
    found: Found, day: str, fmt: str, strict: bool, prefix: str, extra: list[Row]
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
    errors = sum(p.severity == "error" for p in held)
    return Report(shown(text).encode("utf-8"), errors, len(held) - errors)


def merge_driver_problems(root: Path) -> list[Problem]:
    """A warning when the attributes name olap's merge driver but this clone has not
    registered it (Git would then merge learner files line by line). It depends on
    .git/config, not on the data. Not said in CI, where nothing is merged by hand."""
    from olapcli.io import env, git

    if env.in_ci() or not git.uses_driver(root):
        return []
    if git.registered(root):
        return _access_attribute(root)
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


def _access_attribute(root: Path) -> list[Problem]:
    """A warning when access.yaml exists but .gitattributes (written before olap merged
    it) does not hand it to the driver: two links given at once would conflict."""
    from olapcli.core.layout import ACCESS
    from olapcli.io import files, git

    if not files.exists(root / ACCESS) or git.attributes_name(root, ACCESS):
        return []
    return [
        Problem(
            ".gitattributes",
            None,
            None,
            "warning",
            "merge-driver",
            _(
                "access.yaml is not merged by olap's driver in .gitattributes: two personal "
                "links given in two clones would conflict"
            ),
            _("run « olap setup », then commit .gitattributes"),
        )
    ]
