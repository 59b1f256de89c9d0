"""The Git merge driver for cohort files (its front door: :mod:`olapcli.mergedriver`).

Git calls it when both sides changed the same data file. For a learner file
the merge is semantic: needs and evaluations are matched by their id (each
side's additions are all kept, an edit is merged field by field against the
common ancestor), and every other field is merged three-way the same way.
The result is written in « ours »'s layout, its comments kept; the needs
added by « theirs » are appended with their own lines.

When both sides changed the same field differently, or a side deleted what
the other edited, nothing is decided for the user: the whole file is merged
as text by ``git merge-file``, which leaves the standard conflict markers,
and the driver exits 1 so Git reports the conflict. ``olap validate`` then
names the file and line of each marker. Other data files are always merged
by ``git merge-file``, as Git would.

``access.yaml`` (the personal links given, olap access) is merged the same way: its
``grants`` are matched by id, so two clones that each give a link keep both. When both
sides changed the same grant's ``revoked`` differently, revoked wins (the earlier day
when both revoked it): a link one trainer ended is never opened again by a merge. Any
other clash (the same ``expires`` moved two ways, a grant deleted here and edited
there) is left as conflict markers, which ``olap validate`` reports.

Kept light on purpose: Git starts one process per file, so this module
imports neither the command line nor pydantic (ten files merge in well
under three seconds).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: the lists matched item by item on their id, in a learner file
KEYED = ("needs", "evaluations")
#: the same, in access.yaml
GRANTS = ("grants",)
_ABSENT = object()


class Conflict(Exception):
    """Both sides changed the same thing differently."""


def _plain(value: Any) -> Any:
    from olapcli.io.yamlwrite import plain

    return plain(value)


def _by_id(items: Any) -> dict[str, Any]:
    if not isinstance(items, list):
        return {}
    return {str(i.get("id")): i for i in items if isinstance(i, dict) and "id" in i}


def _apply(
    ours_node: Any, theirs_node: Any, target: dict[str, Any], lists: tuple[str, ...]
) -> None:
    """Edit *ours_node* (a ruamel mapping) in place until it reads as *target* (the merge
    of :func:`merge_plain`), taking from *theirs_node* the values that read as wanted:
    ours's layout and comments stay, theirs's lines come with what it brought."""
    for key in [k for k in ours_node if k not in target]:
        del ours_node[key]
    theirs = theirs_node if isinstance(theirs_node, dict) else {}
    for key, want in target.items():
        have = ours_node.get(key, _ABSENT)
        if have is not _ABSENT and _plain(have) == want:
            continue
        if key in lists:
            _apply_list(ours_node, theirs, key, want)
        elif isinstance(want, dict) and isinstance(have, dict):
            _apply(have, theirs.get(key), want, ())
        elif key in theirs and _plain(theirs[key]) == want:
            ours_node[key] = theirs[key]
        else:  # merge_plain takes every value from one side: this cannot happen
            raise Conflict(key)


def _apply_list(ours_node: Any, theirs: Any, key: str, want: list[Any]) -> None:
    """Needs, evaluations or grants: the items of *want*, in its order (ours's, then
    theirs's new)."""
    from olapcli.io import yamlwrite as store

    seq = store.block_seq(ours_node, key)
    wanted = {str(item["id"]): item for item in want}
    for item in [i for i in seq if isinstance(i, dict) and str(i.get("id")) not in wanted]:
        seq.remove(item)
    mine, given = _by_id(list(seq)), _by_id(theirs.get(key))
    for item_id, item in wanted.items():
        if item_id in mine:
            _apply(mine[item_id], given.get(item_id), item, ())
        else:
            store.append_item(seq, given[item_id])


def _no_settle(key: str, base: Any, ours: Any, theirs: Any) -> Any:
    """Both sides changed *key* differently: a conflict."""
    raise Conflict(key)


def settle_revoked(key: str, base: Any, ours: Any, theirs: Any) -> Any:
    """access.yaml: a grant revoked on one side stays revoked (the earlier day when both
    revoked it); any other clash is a conflict."""
    if key != "revoked":
        raise Conflict(key)
    days = [d for d in (ours, theirs) if d is not _ABSENT and d is not None]
    if not days:
        raise Conflict(key)
    try:
        return min(days)
    except TypeError:  # not two dates: nothing to decide
        raise Conflict(key) from None


def merge_plain(
    base: Any,
    ours: Any,
    theirs: Any,
    lists: tuple[str, ...] = KEYED,
    settle: Any = _no_settle,
) -> Any:
    """The semantic merge on plain data (what the merged file must read as): the
    top-level *lists* matched by id, a field both sides changed differently handed to
    *settle* (which returns the value to keep or raises :class:`Conflict`)."""
    if not (isinstance(ours, dict) and isinstance(theirs, dict)):
        raise Conflict("not a mapping")
    base = base if isinstance(base, dict) else {}
    out = dict(ours)
    for key in list(ours) + [k for k in theirs if k not in ours] + list(base):
        b, o, t = base.get(key, _ABSENT), ours.get(key, _ABSENT), theirs.get(key, _ABSENT)
        if key in lists:
            merged = _merge_plain_list(key, b, o, t, settle)
            if merged is not _ABSENT:
                out[key] = merged
        elif o == t or t == b:
            continue
        elif o == b:
            if t is _ABSENT:
                out.pop(key, None)
            else:
                out[key] = t
        elif isinstance(o, dict) and isinstance(t, dict):
            out[key] = merge_plain(b, o, t, (), settle)
        else:
            value = settle(key, b, o, t)
            if value is _ABSENT:
                out.pop(key, None)
            else:
                out[key] = value
    return out


def _merge_plain_list(key: str, b: Any, o: Any, t: Any, settle: Any) -> Any:
    base, ours, theirs = _by_id(b), _by_id(o), _by_id(t)
    if o is _ABSENT and t is _ABSENT:
        return _ABSENT
    out = []
    for item_id, item in ours.items():
        if item_id in theirs:
            if item_id not in base and item != theirs[item_id]:
                raise Conflict(f"{key}/{item_id}")
            out.append(merge_plain(base.get(item_id, item), item, theirs[item_id], (), settle))
        elif item_id in base:  # theirs deleted it
            if item != base[item_id]:
                raise Conflict(f"{key}/{item_id}")
        else:
            out.append(item)
    for item_id, item in theirs.items():
        if item_id in ours:
            continue
        if item_id in base:  # ours deleted it
            if item != base[item_id]:
                raise Conflict(f"{key}/{item_id}")
        else:
            out.append(item)
    return out


def _text_candidates(base: Path, ours: Path, theirs: Path) -> list[str]:
    """``git merge-file`` results: plain, then keeping both sides of each clash (« union »).
    A candidate is kept only if it reads exactly as the semantic merge."""
    from olapcli.io import git

    found = [git.merge_file(ours, base, theirs, union) for union in (False, True)]
    return [text for text in found if text is not None]


def _list_region(lines: list[str], key: str) -> tuple[int, int] | None:
    """(first line after ``key:``, end) of a top-level block list, end before the trailing
    blank lines and column-0 comments that belong to the next key."""
    import re

    head = re.compile(rf"^{key}:[ \t]*(?:#.*)?$")
    start = next((n for n, line in enumerate(lines) if head.match(line)), None)
    if start is None:
        return None
    end = next(
        (n for n in range(start + 1, len(lines)) if lines[n][:1] not in ("", " ", "#")),
        len(lines),
    )
    while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return start + 1, end


def _appended(
    ours_text: str, theirs_text: str, theirs: Any, ours: Any, base: Any, lists: tuple[str, ...]
) -> str | None:
    """*ours_text* with the items *theirs* appended to its keyed *lists*, copied line
    for line from *theirs_text*; None when theirs did anything else."""
    if not all(isinstance(x, dict) for x in (theirs, ours, base)):
        return None
    if {k: v for k, v in theirs.items() if k not in lists} != {
        k: v for k, v in base.items() if k not in lists
    }:
        return None  # theirs changed more than its lists
    ours_lines = ours_text.split("\n")
    theirs_lines = theirs_text.split("\n")
    inserts: list[tuple[int, list[str]]] = []
    for key in lists:
        old, new = base.get(key) or [], theirs.get(key) or []
        if new[: len(old)] != old:
            return None  # theirs edited or removed an item
        added = len(new) - len(old)
        if added == 0:
            continue
        if not (ours.get(key)) or not old:
            return None  # a list to create: the round-trip path does it
        region_t = _list_region(theirs_lines, key)
        region_o = _list_region(ours_lines, key)
        if region_t is None or region_o is None:
            return None
        dashes = [n for n in range(*region_t) if theirs_lines[n].lstrip().startswith("- ")]
        if not dashes:
            return None
        depth = min(len(theirs_lines[n]) - len(theirs_lines[n].lstrip()) for n in dashes)
        dashes = [
            n for n in dashes if len(theirs_lines[n]) - len(theirs_lines[n].lstrip()) == depth
        ]
        if len(dashes) != len(new):
            return None
        inserts.append((region_o[1], theirs_lines[dashes[-added] : region_t[1]]))
    for at, block in sorted(inserts, reverse=True):
        ours_lines[at:at] = block
    return "\n".join(ours_lines)


def merge_learner(base_path: Path, ours_path: Path, theirs_path: Path) -> str:
    """The merged text of a learner file; :class:`Conflict` or a YAML error otherwise."""
    return merge_keyed(base_path, ours_path, theirs_path, KEYED, _no_settle)


def merge_access(base_path: Path, ours_path: Path, theirs_path: Path) -> str:
    """The merged text of access.yaml: grants by id, revoked wins; :class:`Conflict` or a
    YAML error otherwise."""
    return merge_keyed(base_path, ours_path, theirs_path, GRANTS, settle_revoked)


def merge_keyed(
    base_path: Path, ours_path: Path, theirs_path: Path, lists: tuple[str, ...], settle: Any
) -> str:
    """The merged text of a data file whose *lists* are matched by id.

    The fast way first: Git's own line merge (plain, then « union », which keeps both
    sides of a clash — two needs appended at the end), accepted only when it reads
    exactly as the semantic merge. Otherwise the semantic merge is written into
    « ours » through the round-trip YAML path."""
    from olapcli.io import yamlread as yamlfast
    from olapcli.io.files import read_text

    def read(path: Path) -> Any:
        text = read_text(path, path.name)
        return yamlfast.load(text) if text.strip() else {}

    base, ours, theirs = read(base_path), read(ours_path), read(theirs_path)
    expected = merge_plain(base, ours, theirs, lists, settle)
    ours_text = read_text(ours_path, ours_path.name)
    theirs_text = read_text(theirs_path, theirs_path.name)
    candidates = [  # theirs's additions into ours, or ours's into theirs
        _appended(ours_text, theirs_text, theirs, ours, base, lists),
        _appended(theirs_text, ours_text, ours, theirs, base, lists),
    ]
    for candidate in [c for c in candidates if c] + _text_candidates(
        base_path, ours_path, theirs_path
    ):
        try:
            if yamlfast.load(candidate) == expected:
                return candidate
        except Exception:
            continue
    from olapcli.io import yamlwrite as store

    theirs_doc = store.parse(theirs_text)
    doc = store.load(ours_path, ours_path.name)
    _apply(doc.data, theirs_doc, expected, lists)
    merged = store.dump(doc)
    if yamlfast.load(merged) != expected:
        raise Conflict("round-trip result differs")
    return merged


def text_merge(base: Path, ours: Path, theirs: Path, name: str) -> int:
    """``git merge-file`` into *ours*: 0 when clean, else conflict markers and 1."""
    from olapcli.io import git

    return 0 if git.merge_file_in_place(ours, base, theirs, name) else 1


def merge(base: Path, ours: Path, theirs: Path, name: str) -> tuple[int, str | None]:
    """Merge the versions of the file *name* (Git's %O %A %B %P) into *ours*: (0 when
    merged, 1 when conflict markers were left; why a learner file or access.yaml was
    merged as text)."""
    from olapcli.core.layout import ACCESS

    parts = name.replace("\\", "/").split("/")
    is_learner = len(parts) >= 2 and parts[-2] == "learners" and parts[-1].endswith(".yaml")
    semantic = merge_learner if is_learner else merge_access if parts[-1] == ACCESS else None
    if semantic is None:
        return text_merge(base, ours, theirs, name), None
    try:
        merged = semantic(base, ours, theirs)
    except Exception as exc:  # a conflict, or a side that does not parse
        from olapcli.errors import ProblemsError
        from olapcli.i18n import _

        why = exc.args[0] if isinstance(exc, Conflict | ProblemsError) and exc.args else exc
        said = _("olap: {path}: {why}; merged line by line instead").format(path=name, why=why)
        return text_merge(base, ours, theirs, name), said
    from olapcli.io.files import atomic_write

    atomic_write(ours, merged)
    return 0, None
