"""``olap render``: the static site of a cohort (HTML and Markdown).

Pages are computed from the data (:mod:`olapcli.core.derive.grids`) and written only when
their bytes change; a manifest in the output folder lists what olap wrote, so
pages of removed learners are removed and nothing else is touched. A learner's
grid depends only on that learner and the core files: it is re-rendered only
when one of them changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olapcli.core.cohortdata import CohortData
from olapcli.core.derive.grids import grid, matches, open_needs, subject_index, synoptic
from olapcli.core.layout import COHORT, REFERENTIEL, SUBJECTS
from olapcli.core.model import Learner
from olapcli.errors import Problem, ProblemsError
from olapcli.i18n import _, language
from olapcli.io import files as fsio
from olapcli.io.load import load_base
from olapcli.io.paths import learner_files
from olapcli.render import TEMPLATES, render

MANIFEST = ".olap-site.json"
FORMATS = {"html": (".html",), "md": (".md",), "both": (".html", ".md")}


@dataclass
class Result:
    """What a render did."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()


def _templates_digest() -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(TEMPLATES.iterdir()):
        h.update(path.name.encode() + path.read_bytes())
    return h.digest()


def _sort_name(learner: Learner) -> tuple[str, str]:
    return (learner.last_name.lower(), learner.first_name.lower())


def build(
    root: Path,
    out: Path,
    fmt: str,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Render the site of the cohort at *root* into *out*."""
    base, problems = load_base(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors or base.cohort is None or base.referentiel is None:
        raise ProblemsError(_("The cohort files have errors; fix them first."), errors)
    result = Result()
    from olapcli.io.load import learners as load_learners
    from olapcli.io.store import Store

    rels = learner_files(root)
    loaded, found = load_learners(root, rels, "model")
    digests, _read = Store(root).digests(rels)
    skipped: dict[str, Problem] = {}
    for problem in found:
        if problem.severity == "error":
            skipped.setdefault(problem.path, problem)
    result.skipped = list(skipped.values())
    learners = [learner for _rel, learner in loaded]
    texts = {learner.id: digests.get(rel, "").encode() for rel, learner in loaded}
    learners.sort(key=_sort_name)

    old = _load_manifest(out)
    core = _digest(
        *(
            (root / n).read_bytes() if (root / n).exists() else b""
            for n in (COHORT, REFERENTIEL, SUBJECTS)
        ),
        _templates_digest(),
        language().encode(),
        today.isoformat().encode(),
    )
    keys: dict[str, str] = {}
    pages: dict[str, str] = {}
    exts = FORMATS[fmt]
    ctx = _context(base, learners, today)

    def page(name: str, template: str, depth: int, key: str | None = None, **extra: Any) -> None:
        for ext in exts:
            rel = name + ext
            if key is not None and old.get(rel) == key and (out / rel).exists():
                keys[rel] = key
                pages[rel] = ""  # unchanged: not rendered again
                continue
            tpl = template + (".html.j2" if ext == ".html" else ".md.j2")
            root_prefix = "../" * depth
            # values given as callables are computed only for pages that are rendered
            values = {k: v() if callable(v) else v for k, v in extra.items()}
            pages[rel] = render(tpl, root=root_prefix, ext=ext, **ctx, **values)
            if key is not None:
                keys[rel] = key

    page("index", "index", 0)
    page("synoptique", "synoptic", 0)
    for i, learner in enumerate(learners):
        key = _digest(core.encode(), texts[learner.id], *_own_bytes(root, learner.id))
        own = ctx["own"].get(learner.id, {})
        page(
            f"alternants/{learner.id}",
            "grid",
            1,
            key,
            learner=learner,
            groups=lambda learner=learner, own=own: grid(
                learner,
                base.referentiel,
                ctx["subject_titles"],
                today,
                {a: len(r) for a, r in own.items()},
            ),
        )
        page(
            f"alternants/{learner.id}-ressources", "own", 1, key, learner=learner, own_resources=own
        )
        if progress:
            progress(i + 1, len(learners))
    for group in base.referentiel.groups:
        for act in group.activities:
            page(f"activites/{act.id}", "activity", 1, group=group, act=act)
        page(f"qcm/{group.id}", "qcm_page", 1, group=group)
    page("qcm/index", "qcm_index", 1)
    if base.subjects:
        for subject in base.subjects.subjects:
            page(f"matieres/{subject.id}", "subject", 1, subject=subject)

    for rel, text in pages.items():
        if not text:
            result.unchanged += 1
            continue
        target = out / rel
        data = text.encode("utf-8")
        if target.exists() and target.read_bytes() == data:
            result.unchanged += 1
            continue
        fsio.atomic_write_bytes(target, data)
        result.written.append(rel)
    copied = _copy_files(root, out, base, result)
    for rel in sorted(set(old) - set(pages) - copied):
        (out / rel).unlink(missing_ok=True)
        result.removed.append(rel)
    manifest = {rel: keys.get(rel, "") for rel in pages} | {rel: "" for rel in copied}
    fsio.atomic_write(out / MANIFEST, json.dumps(manifest, indent=0, sort_keys=True))
    return result


def _load_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _own_bytes(root: Path, learner_id: str) -> list[bytes]:
    """The learner's own resource files, which their pages show."""
    folder = root / "learners" / learner_id
    if not folder.is_dir():
        return []
    return [p.name.encode() + p.read_bytes() for p in sorted(folder.glob("*.yaml"))]


def _copy_files(root: Path, out: Path, base: CohortData, result: Result) -> set[str]:
    """Copy the resource files the pages link to; the relative paths copied."""
    wanted: list[str] = []
    for _act, (_rel, res) in base.resources.items():
        wanted += [f"resources/files/{r.file}" for r in res.resources if r.file]
    for lid, files in base.own_resources.items():
        for _rel, res in files:
            wanted += [f"learners/{lid}/files/{r.file}" for r in res.resources if r.file]
    copied = set()
    for rel in sorted(set(wanted)):
        source = root / rel
        if not source.is_file():
            continue
        target = out / "fichiers" / rel
        copied.add(f"fichiers/{rel}")
        if (
            target.exists()
            and target.stat().st_size == source.stat().st_size
            and target.read_bytes() == source.read_bytes()
        ):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        result.written.append(f"fichiers/{rel}")
    return copied


def _context(base: CohortData, learners: list[Learner], today: dt.date) -> dict[str, Any]:
    assert base.cohort is not None and base.referentiel is not None
    subjects = base.subjects.subjects if base.subjects else []
    subject_titles = {s.id: (s.title, {o.id: o.title for o in s.objectives}) for s in subjects}
    own: dict[str, dict[str, list[Any]]] = {}
    for lid, files in base.own_resources.items():
        for _rel, res in files:
            own.setdefault(lid, {})[res.activity] = list(res.resources)
    activities = [a for g in base.referentiel.groups for a in g.activities]
    counts = {}
    for learner in learners:
        open_ = open_needs(learner)
        counts[learner.id] = (len(open_), sum(n.due < today for n in open_))
    deposits: dict[str, list[tuple[Learner, list[Any]]]] = {}
    for learner in learners:
        for activity, mine in own.get(learner.id, {}).items():
            deposits.setdefault(activity, []).append((learner, mine))
    return {
        "deposits": deposits,
        "kind_labels": {
            "video": _("video"),
            "document": _("document"),
            "exercise": _("exercise"),
            "tutorial": _("tutorial"),
            "evaluation": _("evaluation sheet"),
            "other": _("other"),
        },
        "cohort": base.cohort,
        "referentiel": base.referentiel,
        "subjects": subjects,
        "subject_titles": subject_titles,
        "resources": {a: r for a, (_rel, r) in base.resources.items()},
        "own": own,
        "learners": learners,
        "activities": activities,
        "counts": counts,
        "cells": synoptic(learners, base.referentiel, today),
        "matches": matches(learners),
        "subject_links": subject_index(learners, base.referentiel),
        "today": today,
        "trainer_names": {t.id: f"{t.first_name} {t.last_name}" for t in base.cohort.trainers},
    }
