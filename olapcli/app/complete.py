"""What the shell completes (bash, zsh, fish: ``olap --install-completion``): the ids of
the cohort — learners, sub-activities, a learner's needs and prospects, practices,
competences, trainers — each with a short description when the shell shows one.

Completion runs at every Tab: it must be quick and never fail. A cohort that cannot be
found or read completes nothing; a file that does not parse is left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

Choices = list[tuple[str, str]]


def _root(folder: Path | None) -> Path | None:
    from olapcli.errors import UserError
    from olapcli.io.paths import find_root

    try:
        return find_root(folder)
    except (UserError, OSError):
        return None


def _summary(folder: Path | None) -> Any:
    from olapcli.errors import UserError
    from olapcli.io.load import core_summary

    root = _root(folder)
    if root is None:
        return None
    try:
        return core_summary(root)
    except (UserError, OSError, ValueError):
        return None


def learners(folder: Path | None) -> Choices:
    """Every learner id (the file names in learners/)."""
    from olapcli.io.paths import learner_files

    root = _root(folder)
    if root is None:
        return []
    try:
        return [(Path(rel).stem, "") for rel in learner_files(root)]
    except OSError:
        return []


def activities(folder: Path | None) -> Choices:
    """Every sub-activity of the référentiel, with its title."""
    found = _summary(folder)
    if found is None:
        return []
    return [(a.id, a.title) for g in found.groups for a in g.activities]


def groups(folder: Path | None) -> Choices:
    """The référentiel's groups, with their titles."""
    found = _summary(folder)
    return [] if found is None else [(g.id, g.title) for g in found.groups]


def practices(folder: Path | None) -> Choices:
    """The practices of cohort.yaml (the Annexe 7 columns)."""
    found = _summary(folder)
    return [(p, "") for p in found.practices] if found is not None else []


def trainers(folder: Path | None) -> Choices:
    """The trainers of cohort.yaml."""
    found = _summary(folder)
    return [(t, "") for t in found.trainers] if found is not None else []


def competences(folder: Path | None, practice: str | None) -> Choices:
    """The competences of *practice*'s grid (of every practice's grid when not given)."""
    found = _summary(folder)
    if found is None:
        return []
    return [(c, p) for p, grid in found.grids.items() if practice in (None, p) for c in grid]


def _learner_data(folder: Path | None, learner: str | None) -> dict[str, Any]:
    from olapcli.core.layout import learner_rel
    from olapcli.io import files, yamlread

    root = _root(folder)
    if root is None or not learner or "/" in learner or learner.startswith("."):
        return {}
    rel = learner_rel(learner)
    try:
        data = yamlread.load(files.read_text(root / rel, rel))
    except Exception:
        return {}
    return data if isinstance(data, dict) else {}


def needs(folder: Path | None, learner: str | None) -> Choices:
    """The needs of *learner*, the open ones first, each with its due day and detail."""
    data = _learner_data(folder, learner)
    answered = {str(e.get("need")) for e in data.get("evaluations") or [] if isinstance(e, dict)}
    found = [
        (str(n.get("id")), f"{n.get('due')} {n.get('detail') or ''}"[:60])
        for n in data.get("needs") or []
        if isinstance(n, dict) and n.get("id")
    ]
    return sorted(found, key=lambda c: c[0] in answered)


def prospects(folder: Path | None, learner: str | None) -> Choices:
    """The prospects of *learner*, with their company's name."""
    data = _learner_data(folder, learner)
    return [
        (str(p.get("id")), str((p.get("company") or {}).get("name") or ""))
        for p in data.get("prospects") or []
        if isinstance(p, dict) and p.get("id") and isinstance(p.get("company") or {}, dict)
    ]
