"""The files of a learner's own folder, ``learners/<id>/files/``, as olap serve lists,
writes and reads them: regular files only, never through a symbolic link, never a
dot-file, never a name that leads out of the folder."""

from __future__ import annotations

import os
from pathlib import Path

from olapcli.core.layout import LEARNERS_DIR
from olapcli.io import confine, files
from olapcli.io.paths import require_no_link

#: the folder of a learner's own files, under the learner's folder
FILES = "files"


def folder_rel(learner_id: str) -> str:
    """``learners/<id>/files``."""
    return f"{LEARNERS_DIR}/{learner_id}/{FILES}"


def plain_name(name: str) -> bool:
    """Is *name* one file name of the folder (no path, no dot-file, nothing odd)?"""
    return (
        bool(name)
        and "/" not in name
        and "\\" not in name
        and not name.startswith(".")
        and name.isprintable()
        and len(name) <= 200
    )


def listed(root: Path, learner_id: str) -> list[tuple[str, int]]:
    """The regular files of the learner's own folder (name, size), sorted; a folder
    reached through a symbolic link lists nothing, a link in it is left out."""
    probe = confine.inside(root, f"{folder_rel(learner_id)}/x")  # no link on the way
    if probe is None:
        return []
    found = []
    try:
        with os.scandir(probe.parent) as entries:
            for entry in entries:
                if plain_name(entry.name) and entry.is_file(follow_symlinks=False):
                    found.append((entry.name, entry.stat(follow_symlinks=False).st_size))
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []
    return sorted(found)


def read(root: Path, learner_id: str, name: str) -> bytes | None:
    """The bytes of the file *name* of the learner's own folder, or None (no such regular
    file reached without a link, or an odd name)."""
    if not plain_name(name):
        return None
    return confine.read_regular(root, f"{folder_rel(learner_id)}/{name}")


def free_name(root: Path, learner_id: str, name: str, taken: set[str]) -> str:
    """*name*, or ``stem-2.ext``, ``stem-3.ext``… when a file, a link or a tracked name
    (*taken*) has it already: a deposit never replaces anything."""
    folder = root / folder_rel(learner_id)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 2
    while candidate in taken or os.path.lexists(folder / candidate):
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        n += 1
    return candidate


def write_new(root: Path, learner_id: str, name: str, data: bytes) -> Path:
    """Write *data* atomically as the new file *name* of the learner's own folder (made
    when missing); refused when a symbolic link is on the way or the name is odd."""
    rel = f"{folder_rel(learner_id)}/{name}"
    require_no_link(root, rel)
    path = confine.inside(root, rel) if plain_name(name) else None
    if path is None:
        raise ValueError(name)
    files.atomic_write_bytes(path, data)
    return path


def remove(path: Path) -> None:
    """Take back a file just written (its commit was refused)."""
    files.remove(path)
