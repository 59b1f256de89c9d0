"""Loading a cohort folder into models, collecting problems, never raising on bad data.

Read-only commands use the fast YAML path (:mod:`olapcli.io.yamlread`); the
positions of problems are recovered afterwards, reading only the files that
have one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from olapcli.core.cohortdata import CohortData, Core
from olapcli.core.conflicts import conflict_problem
from olapcli.core.layout import COHORT, REFERENTIEL, SUBJECTS
from olapcli.core.model import Base, Cohort, Learner, Referentiel, ResourceFile, Subjects
from olapcli.core.schemaerrors import problems_from
from olapcli.errors import Forbidden, Problem, ProblemsError
from olapcli.i18n import _
from olapcli.io import yamlread as yamlfast
from olapcli.io.files import decode
from olapcli.io.paths import attachments, learner_files, own_resource_files, resource_files
from olapcli.io.yamlwrite import forbidden_problem, syntax_problem

M = TypeVar("M", bound=Base)


def parse(text: str, rel: str) -> tuple[Any, list[Problem]]:
    """Plain data of *text*, or the problems that prevent reading it."""
    marker = conflict_problem(text, rel)
    if marker is not None:
        return None, [marker]
    try:
        return yamlfast.load(text), []
    except Forbidden as exc:
        return None, [forbidden_problem(rel, exc)]
    except yaml.YAMLError as exc:
        return None, [syntax_problem(rel, exc)]


def validate_data(model: type[M], data: Any, rel: str) -> tuple[M | None, list[Problem]]:
    """The model for *data*, or its schema problems (positions not yet set)."""
    if data is None:
        return None, [
            Problem(
                rel,
                1,
                1,
                "error",
                "empty-file",
                _("the file is empty"),
                _("fill it in, or delete it"),
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from(rel, exc)


def read_model(
    root: Path, rel: str, model: type[M], digests: dict[str, str] | None = None
) -> tuple[M | None, list[Problem]]:
    """Read one file into *model* by the fast path; problems carry positions.

    With *digests*, the content digest of a file that follows the model is
    recorded there (the validity marks of :mod:`olapcli.cache`).
    """
    try:
        raw = (root / rel).read_bytes()
    except FileNotFoundError:
        return None, [
            Problem(
                rel,
                None,
                None,
                "error",
                "missing-file",
                _("the file {path} is missing").format(path=rel),
            )
        ]
    except OSError as exc:
        return None, [Problem(rel, None, None, "error", "unreadable", str(exc))]
    return model_from_bytes(raw, rel, model, digests)


def model_from_bytes(
    raw: bytes, rel: str, model: type[M], digests: dict[str, str] | None = None
) -> tuple[M | None, list[Problem]]:
    """*raw* (the bytes of *rel*) read into *model*; see :func:`read_model`."""
    text, problems = decode(raw, rel)
    if text is None:
        return None, problems
    data, problems = parse(text, rel)
    if problems:
        return None, problems
    obj, problems = validate_data(model, data, rel)
    if problems:
        problems = locate_in_text(text, problems)
    elif digests is not None:
        from olapcli.cache import digest

        digests[rel] = digest(raw)
    return obj, problems


def locate_in_text(text: str, problems: list[Problem]) -> list[Problem]:
    """Set line and column of *problems* (all of one file) from their ``loc``."""
    wanted = [p.loc for p in problems if p.line is None and p.loc]
    if not wanted:
        return problems
    keys = frozenset(p.loc for p in problems if p.on_key)
    found = yamlfast.positions(text, wanted, keys)
    out = []
    for p in problems:
        if p.line is None and p.loc in found:
            line, col = found[p.loc]
            p = replace(p, line=line, col=col)
        out.append(p)
    return out


def locate(root: Path, problems: Iterable[Problem]) -> list[Problem]:
    """Set positions of problems found after loading (references, dates…)."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    order: list[Problem] = list(problems)
    for p in order:
        if p.line is None and p.loc:
            by_file[p.path].append(p)
    fixed: dict[int, Problem] = {}
    for rel, group in by_file.items():
        try:
            text = (root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for before, after in zip(group, locate_in_text(text, group), strict=True):
            fixed[id(before)] = after
    return [fixed.get(id(p), p) for p in order]


def load_core(root: Path) -> tuple[CohortData, list[Problem]]:
    """cohort.yaml, referentiel.yaml and subjects.yaml (if present)."""
    data = CohortData(root)
    problems: list[Problem] = []
    data.cohort, found = read_model(root, COHORT, Cohort)
    problems += found
    data.referentiel, found = read_model(root, REFERENTIEL, Referentiel)
    problems += found
    if (root / SUBJECTS).exists():
        data.subjects, found = read_model(root, SUBJECTS, Subjects)
        problems += found
    return data, problems


def load_base(root: Path) -> tuple[CohortData, list[Problem]]:
    """Core files and resources (shared, and learners' own): everything but the learners."""
    data, problems = load_core(root)
    data.attachments = attachments(root)
    data.learner_ids = frozenset(Path(rel).stem for rel in learner_files(root))
    for rel in resource_files(root):
        obj, found = read_model(root, rel, ResourceFile)
        problems += found
        if obj is not None:
            data.resources[obj.activity] = (rel, obj)
    for learner_id, rels in own_resource_files(root).items():
        for rel in rels:
            obj, found = read_model(root, rel, ResourceFile)
            problems += found
            if obj is not None:
                data.own_resources.setdefault(learner_id, []).append((rel, obj))
    return data, problems


def load_cohort(root: Path) -> tuple[CohortData, list[Problem]]:
    """The whole cohort, with every problem met on the way."""
    data, problems = load_base(root)
    for rel in learner_files(root):
        learner, found = read_model(root, rel, Learner)
        problems += found
        if learner is not None:
            data.learners.append((rel, learner))
    return data, problems


def require_core(root: Path) -> Core:
    """Core files for a write command; refused (exit 2) when they have errors."""
    data, problems = load_core(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors or data.cohort is None or data.referentiel is None:
        raise ProblemsError(_("The cohort files have errors; fix them first."), errors)
    return Core(root, data.cohort, data.referentiel, data.subjects)
