"""Finding a cohort folder and listing its files (no YAML, no pydantic: cheap to import)."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from olapcli.core.layout import (
    COHORT,
    LEARNERS_DIR,
    RESOURCES_DIR,
    SHARED_FILES_DIR,
    learner_rel,
)
from olapcli.errors import UserError
from olapcli.i18n import _


def _yaml_files(folder: Path, prefix: str) -> list[str]:
    # os.scandir: the file type comes with the listing, no stat per file (10,000 learners);
    # a symbolic link is never a file of the cohort (see :func:`links`)
    try:
        with os.scandir(folder) as entries:
            return sorted(
                f"{prefix}/{entry.name}"
                for entry in entries
                if entry.name.endswith(".yaml")
                and not entry.name.startswith(".")
                and entry.is_file(follow_symlinks=False)
            )
    except (FileNotFoundError, NotADirectoryError):
        return []


def _learner_folders(root: Path) -> tuple[list[str], list[str], list[str]]:
    """One scan of learners/ (10,000 entries): the learner files, the learners' own
    folders, and the symbolic links found there."""
    files: list[str] = []
    folders: list[str] = []
    links: list[str] = []
    try:
        with os.scandir(root / LEARNERS_DIR) as entries:
            for entry in entries:
                name = entry.name
                if entry.is_symlink():
                    links.append(f"{LEARNERS_DIR}/{name}")
                elif name.startswith("."):
                    continue
                elif name.endswith(".yaml") and entry.is_file(follow_symlinks=False):
                    files.append(f"{LEARNERS_DIR}/{name}")
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(name)
    except (FileNotFoundError, NotADirectoryError):
        pass
    return sorted(files), sorted(folders), sorted(links)


def _walk(root: Path, rel: str, files: list[str], links: list[str]) -> None:
    """The regular files and the symbolic links under *rel*, links never followed."""
    try:
        with os.scandir(root / rel) as entries:
            for entry in entries:
                path = f"{rel}/{entry.name}"
                if entry.is_symlink():
                    links.append(path)
                elif entry.is_dir(follow_symlinks=False):
                    _walk(root, path, files, links)
                elif entry.is_file(follow_symlinks=False):
                    files.append(path)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        pass


@dataclass
class Listing:
    """The data files of a cohort, found in one pass."""

    learners: list[str]
    resources: list[str]
    #: learner id -> their own resource files
    own: dict[str, list[str]]
    #: the files kept for resources (see :func:`attachments`)
    attachments: frozenset[str]
    #: the symbolic links under resources/ and learners/: never followed, never read,
    #: never published (``olap validate`` says each is an error)
    links: list[str] = field(default_factory=list)


def listing(root: Path) -> Listing:
    """Every data file of the cohort (what ``olap validate`` reads), the learners' folder
    scanned once, resources/ and each learner's folder walked once, links not followed."""
    learners, folders, links = _learner_folders(root)
    found: list[str] = []
    for name in folders:
        _walk(root, f"{LEARNERS_DIR}/{name}", found, links)
    own: dict[str, list[str]] = {}
    kept: set[str] = set()
    for rel in found:
        _learners, name, *rest = rel.split("/")
        if len(rest) == 1 and rest[0].endswith(".yaml") and not rest[0].startswith("."):
            own.setdefault(name, []).append(rel)
        elif rest[0] == "files" and len(rest) > 1:
            kept.add(rel)
    shared: list[str] = []
    _walk(root, RESOURCES_DIR, shared, links)
    resources = []
    for rel in shared:
        rest = rel.split("/")[1:]
        if len(rest) == 1 and rest[0].endswith(".yaml") and not rest[0].startswith("."):
            resources.append(rel)
        elif rel.startswith(SHARED_FILES_DIR + "/"):
            kept.add(rel)
    return Listing(
        learners,
        sorted(resources),
        {name: sorted(rels) for name, rels in sorted(own.items())},
        frozenset(kept),
        sorted(links),
    )


def learner_files(root: Path) -> list[str]:
    """Relative paths of the learner files, sorted (symbolic links left out)."""
    return _yaml_files(root / LEARNERS_DIR, LEARNERS_DIR)


def resource_files(root: Path) -> list[str]:
    """Relative paths of the resource files, sorted (symbolic links left out)."""
    return _yaml_files(root / RESOURCES_DIR, RESOURCES_DIR)


def own_resource_files(root: Path) -> dict[str, list[str]]:
    """learner id -> relative paths of ``learners/<id>/<activity>.yaml`` (their own
    resources; symbolic links left out)."""
    out: dict[str, list[str]] = {}
    for name in _learner_folders(root)[1]:
        found = _yaml_files(root / LEARNERS_DIR / name, f"{LEARNERS_DIR}/{name}")
        if found:
            out[name] = found
    return out


def attachments(root: Path) -> frozenset[str]:
    """Relative paths of the files kept for resources: under ``resources/files/`` and each
    learner's ``learners/<id>/files/`` (regular files reached without a link)."""
    return listing(root).attachments


def holds_data(root: Path, folder: Path) -> bool:
    """Would writing in *folder* write among the cohort's data: is it the cohort folder,
    a folder above it, or inside its .git, learners/ or resources/ (links resolved)?"""
    home, there = root.resolve(), folder.resolve()
    if home.is_relative_to(there):
        return True
    return any(there.is_relative_to(home / sub) for sub in (".git", LEARNERS_DIR, RESOURCES_DIR))


def require_no_link(root: Path, rel: str) -> None:
    """Refuse (exit 2) to write *rel* when a symbolic link is on its way in the cohort
    (a folder, or the file itself): a committed link would carry the write, or the read
    before it, outside the repository."""
    path = root
    for part in rel.split("/"):
        path = path / part
        if path.is_symlink():
            raise UserError(
                _("{path} is a symbolic link; olap never follows one.").format(
                    path=path.relative_to(root).as_posix()
                ),
                _("replace the link with the file itself, or remove it"),
            )


def learner_path(root: Path, learner_id: str) -> tuple[Path, str]:
    """Absolute and relative path of a learner's file; refused if absent."""
    rel = learner_rel(learner_id)
    path = root / rel
    if "/" not in learner_id and path.is_symlink():
        raise UserError(
            _("{path} is a symbolic link; olap never follows one.").format(path=rel),
            _("replace the link with the file itself, or remove it"),
        )
    if "/" in learner_id or learner_id.startswith(".") or not path.is_file():
        known = [Path(r).stem for r in learner_files(root)]
        close = difflib.get_close_matches(learner_id, known, n=3)
        raise UserError(
            _("Unknown learner « {id} ».").format(id=learner_id),
            _("did you mean: {names}?").format(names=", ".join(close))
            if close
            else _("« olap learner list » shows the learners of this cohort"),
        )
    return path, rel


def find_root(explicit: Path | None, start: Path | None = None) -> Path:
    """The cohort folder, like git finds ``.git``."""
    if explicit is not None:
        root = explicit.resolve()
        if not (root / COHORT).is_file():
            raise UserError(
                _("No cohort.yaml in {path}.").format(path=explicit),
                _("give the folder of a cohort with -C, or create one with « olap init DIR »"),
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / COHORT).is_file():
            return folder
    raise UserError(
        _("No cohort.yaml found in {path} or any folder above it.").format(path=here),
        _("go into a cohort folder, give it with -C PATH, or create one with « olap init DIR »"),
    )
