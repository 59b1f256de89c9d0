"""Where things are in a cohort folder (no YAML, no pydantic: cheap to import)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from olapcli.errors import UserError
from olapcli.i18n import _

COHORT = "cohort.yaml"
REFERENTIEL = "referentiel.yaml"
SUBJECTS = "subjects.yaml"
LEARNERS_DIR = "learners"
RESOURCES_DIR = "resources"
#: the three actors of the method, one column each in the grid (model.Actor).
ACTORS: tuple[str, ...] = ("entreprise", "formateur", "alternant")


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


def learner_path(root: Path, learner_id: str) -> tuple[Path, str]:
    """Absolute and relative path of a learner's file; refused if absent."""
    rel = f"{LEARNERS_DIR}/{learner_id}.yaml"
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
