"""Finding a cohort folder and listing its files (no YAML, no pydantic: cheap to import)."""

from __future__ import annotations

import difflib
import os
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


def learner_files(root: Path) -> list[str]:
    """Relative paths of the learner files, sorted."""
    return _yaml_files(root / LEARNERS_DIR, LEARNERS_DIR)


def resource_files(root: Path) -> list[str]:
    """Relative paths of the resource files, sorted."""
    return _yaml_files(root / RESOURCES_DIR, RESOURCES_DIR)


def own_resource_files(root: Path) -> dict[str, list[str]]:
    """learner id -> relative paths of ``learners/<id>/<activity>.yaml`` (their own resources)."""
    folder = root / LEARNERS_DIR
    out: dict[str, list[str]] = {}
    try:
        with os.scandir(folder) as entries:
            folders = sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return out
    for name in folders:
        found = _yaml_files(folder / name, f"{LEARNERS_DIR}/{name}")
        if found:
            out[name] = found
    return out


def attachments(root: Path) -> frozenset[str]:
    """Relative paths of the files kept for resources: under ``resources/files/`` and each
    learner's ``learners/<id>/files/``."""
    found: set[str] = set()
    folders = [root / SHARED_FILES_DIR]
    learners = root / LEARNERS_DIR
    try:
        with os.scandir(learners) as entries:
            folders += [Path(e.path) / "files" for e in entries if e.is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        pass
    for folder in folders:
        if folder.is_dir():
            found.update(p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file())
    return frozenset(found)


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
