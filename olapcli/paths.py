"""Where things are in a cohort folder (no YAML, no pydantic: cheap to import)."""

from __future__ import annotations

import difflib
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
    if not folder.is_dir():
        return []
    return sorted(
        f"{prefix}/{entry.name}"
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml") and not entry.name.startswith(".") and entry.is_file()
    )


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
    if not folder.is_dir():
        return out
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir() and not entry.name.startswith("."):
            found = _yaml_files(entry, f"{LEARNERS_DIR}/{entry.name}")
            if found:
                out[entry.name] = found
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
