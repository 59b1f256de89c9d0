"""The Git merge driver for cohort files: ``python -m olapcli.mergedriver %O %A %B %P``.

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

Kept light on purpose: Git starts one process per file, so this module
imports neither the command line nor pydantic (ten files merge in well
under three seconds).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

#: the lists matched item by item on their id
KEYED = ("needs", "evaluations")
_ABSENT = object()


class Conflict(Exception):
    """Both sides changed the same thing differently."""


def _plain(value: Any) -> Any:
    from olapcli.records import plain

    return plain(value)


def _by_id(items: Any) -> dict[str, Any]:
    if not isinstance(items, list):
        return {}
    return {str(i.get("id")): i for i in items if isinstance(i, dict) and "id" in i}


def _merge_map(base: dict[str, Any], ours_node: Any, theirs_node: Any, keyed: bool) -> None:
    """Bring into *ours_node* (a ruamel mapping, edited in place) the changes *theirs_node*
    made since *base* (plain data); :class:`Conflict` when both changed a key differently."""
    ours = _plain(ours_node)
    theirs = _plain(theirs_node)
    keys = (
        list(ours)
        + [k for k in theirs if k not in ours]
        + [k for k in base if k not in ours and k not in theirs]
    )
    for key in keys:
        b = base.get(key, _ABSENT)
        o = ours.get(key, _ABSENT)
        t = theirs.get(key, _ABSENT)
        if keyed and key in KEYED:
            _merge_list(key, b, ours_node, theirs_node)
            continue
        if o == t or t == b:
            continue  # same on both sides, or only ours changed it
        if o == b:  # only theirs changed it
            if t is _ABSENT:
                del ours_node[key]
            else:
                ours_node[key] = theirs_node[key]
            continue
        if isinstance(o, dict) and isinstance(t, dict):
            _merge_map(b if isinstance(b, dict) else {}, ours_node[key], theirs_node[key], False)
            continue
        raise Conflict(key)


def _merge_list(key: str, base_items: Any, ours_node: Any, theirs_node: Any) -> None:
    """Needs or evaluations: matched by id, additions of both kept, edits merged."""
    from olapcli import store

    base = _by_id(base_items if base_items is not _ABSENT else [])
    theirs_seq = theirs_node.get(key) if theirs_node is not None else None
    theirs = {str(item.get("id")): item for item in theirs_seq or [] if isinstance(item, dict)}
    ours_seq = ours_node.get(key)
    ours = {str(item.get("id")): item for item in ours_seq or [] if isinstance(item, dict)}
    for item_id, item in theirs.items():
        if item_id in ours:
            b = base.get(item_id)
            if b is None and _plain(ours[item_id]) != _plain(item):
                raise Conflict(f"{key}/{item_id}")  # the same new id on both sides
            _merge_map(b or _plain(item), ours[item_id], item, False)
        elif item_id in base:  # ours deleted it
            if _plain(item) != base[item_id]:
                raise Conflict(f"{key}/{item_id}")  # theirs edited what ours deleted
        else:  # added by theirs
            store.append_item(store.block_seq(ours_node, key), item)
    for item_id, item in list(ours.items()):
        if item_id in base and item_id not in theirs:  # theirs deleted it
            if _plain(item) != base[item_id]:
                raise Conflict(f"{key}/{item_id}")
            ours_seq.remove(item)


def merge_learner(base_text: str, ours_path: Path, theirs_text: str) -> str:
    """The merged text of a learner file; :class:`Conflict` or a YAML error otherwise."""
    from olapcli import store, yamlfast

    base = yamlfast.load(base_text) if base_text.strip() else {}
    theirs = store.make_yaml(store.guess_indent(theirs_text)).load(theirs_text)
    doc = store.load(ours_path, ours_path.name)
    if not isinstance(doc.data, dict) or not isinstance(theirs, dict):
        raise Conflict("not a mapping")
    _merge_map(base if isinstance(base, dict) else {}, doc.data, theirs, True)
    return store.dump(doc)


def text_merge(base: Path, ours: Path, theirs: Path, name: str) -> int:
    """``git merge-file`` into *ours*: 0 when clean, else conflict markers and 1."""
    result = subprocess.run(
        [
            "git",
            "merge-file",
            "-L",
            f"{name} (ours)",
            "-L",
            f"{name} (base)",
            "-L",
            f"{name} (theirs)",
            str(ours),
            str(base),
            str(theirs),
        ],
        capture_output=True,
    )
    return 0 if result.returncode == 0 else 1


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print("usage: python -m olapcli.mergedriver BASE OURS THEIRS PATH", file=sys.stderr)
        return 2
    base, ours, theirs, name = Path(argv[0]), Path(argv[1]), Path(argv[2]), argv[3]
    parts = name.replace("\\", "/").split("/")
    is_learner = len(parts) >= 2 and parts[-2] == "learners" and parts[-1].endswith(".yaml")
    if is_learner:
        try:
            merged = merge_learner(
                base.read_text(encoding="utf-8"), ours, theirs.read_text(encoding="utf-8")
            )
        except Exception as exc:  # a conflict, or a side that does not parse
            from olapcli.errors import ProblemsError
            from olapcli.i18n import _

            why = exc.args[0] if isinstance(exc, Conflict | ProblemsError) and exc.args else exc
            print(
                _("olap: {path}: {why}; merged line by line instead").format(path=name, why=why),
                file=sys.stderr,
            )
            return text_merge(base, ours, theirs, name)
        from olapcli.fsio import atomic_write

        atomic_write(ours, merged)
        return 0
    return text_merge(base, ours, theirs, name)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
