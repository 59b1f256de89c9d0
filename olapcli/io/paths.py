"""Finding a cohort folder and listing its files (no YAML, no pydantic: cheap to import)."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
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
    # os.scandir: the file type comes with the listing, no stat per file (10,000 learners)
    try:
        with os.scandir(folder) as entries:
            return sorted(
                f"{prefix}/{entry.name}"
                for entry in entries
                if entry.name.endswith(".yaml")
                and not entry.name.startswith(".")
                and entry.is_file()
            )
    except (FileNotFoundError, NotADirectoryError):
        return []


def _learner_folders(root: Path) -> tuple[list[str], list[str]]:
    """One scan of learners/ (10,000 entries): the learner files, and the learners' own
    folders."""
    files: list[str] = []
    folders: list[str] = []
    try:
        with os.scandir(root / LEARNERS_DIR) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if name.endswith(".yaml") and entry.is_file():
                    files.append(f"{LEARNERS_DIR}/{name}")
                elif entry.is_dir():
                    folders.append(name)
    except (FileNotFoundError, NotADirectoryError):
        pass
    return sorted(files), sorted(folders)


@dataclass
class Listing:
    """The data files of a cohort, found in one pass."""

    learners: list[str]
    resources: list[str]
    #: learner id -> their own resource files
    own: dict[str, list[str]]
    #: the files kept for resources (see :func:`attachments`)
    attachments: frozenset[str]


def listing(root: Path) -> Listing:
    """Every data file of the cohort (what ``olap validate`` reads), the learners' folder
    scanned once."""
    learners, folders = _learner_folders(root)
    own = _own(root, folders)
    return Listing(learners, resource_files(root), own, _attachments(root, folders))


def learner_files(root: Path) -> list[str]:
    """Relative paths of the learner files, sorted."""
    return _yaml_files(root / LEARNERS_DIR, LEARNERS_DIR)


def resource_files(root: Path) -> list[str]:
    """Relative paths of the resource files, sorted."""
    return _yaml_files(root / RESOURCES_DIR, RESOURCES_DIR)


def own_resource_files(root: Path) -> dict[str, list[str]]:
    """learner id -> relative paths of ``learners/<id>/<activity>.yaml`` (their own resources)."""
    return _own(root, _learner_folders(root)[1])


def _own(root: Path, folders: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in folders:
        found = _yaml_files(root / LEARNERS_DIR / name, f"{LEARNERS_DIR}/{name}")
        if found:
            out[name] = found
    return out


def attachments(root: Path) -> frozenset[str]:
    """Relative paths of the files kept for resources: under ``resources/files/`` and each
    learner's ``learners/<id>/files/``."""
    return _attachments(root, _learner_folders(root)[1])


def _attachments(root: Path, folders: list[str]) -> frozenset[str]:
    found: set[str] = set()
    places = [root / SHARED_FILES_DIR] + [root / LEARNERS_DIR / name / "files" for name in folders]
    for folder in places:
        if folder.is_dir():
            found.update(p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file())
    return frozenset(found)


def holds_data(root: Path, folder: Path) -> bool:
    """Would writing in *folder* write among the cohort's data: is it the cohort folder,
    a folder above it, or inside its .git, learners/ or resources/ (links resolved)?"""
    home, there = root.resolve(), folder.resolve()
    if home.is_relative_to(there):
        return True
    return any(there.is_relative_to(home / sub) for sub in (".git", LEARNERS_DIR, RESOURCES_DIR))


def learner_path(root: Path, learner_id: str) -> tuple[Path, str]:
    """Absolute and relative path of a learner's file; refused if absent."""
    rel = learner_rel(learner_id)
    path = root / rel
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
