"""``olap render``: the static site of a cohort (HTML and Markdown).

Pages (:mod:`olapcli.render.site`) are written only when their bytes change; a
manifest in the output folder lists what olap wrote, so pages of removed learners are
removed and nothing else is touched. The manifest is read back from a folder anyone may
have committed: olap removes only names of the shape of its own pages and files, and
writes and removes only inside the output folder, resolved, never through a link
(:func:`olapcli.io.confine.inside`). A learner's grid depends only on that learner
and the core files: it is re-rendered only when one of them changed.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olapcli.core.cohortdata import CohortData
from olapcli.core.derive.grids import grid
from olapcli.core.derive.practicegrids import learner_grids
from olapcli.core.layout import COHORT, REFERENTIEL, SUBJECTS
from olapcli.core.model import Learner
from olapcli.errors import Problem, ProblemsError, UserError
from olapcli.i18n import _, language
from olapcli.io import confine, files
from olapcli.io.assets import templates_digest
from olapcli.io.load import load_base
from olapcli.io.paths import holds_data, learner_files, own_resource_files
from olapcli.render.site import FORMATS, context, markdown_page, page

MANIFEST = ".olap-site.json"
#: the names olap writes in a site: its pages and the files they link to. Nothing else is
#: ever removed, whatever a manifest lists.
OURS = re.compile(
    r"(?:index|synoptique|(?:alternants|activites|qcm|matieres)/[^/]+)\.(?:html|md)"
    r"|fichiers/(?:resources/files|learners/[^/]+/files)/.+"
)


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


def _sort_name(learner: Learner) -> tuple[str, str]:
    return (learner.last_name.lower(), learner.first_name.lower())


def render_site(
    root: Path,
    out: Path,
    fmt: str,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Render the site of the cohort at *root* into *out*."""
    if holds_data(root, out):
        raise UserError(
            _("The site cannot be written in {path}: it holds the cohort's data.").format(path=out),
            _("give another folder with --out, e.g. site/ in the cohort"),
        )
    base, problems = load_base(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors or base.cohort is None or base.referentiel is None:
        raise ProblemsError(_("The cohort files have errors; fix them first."), errors)
    result = Result()
    # Reading the learners makes many objects and no cycles worth a pass of the cyclic
    # collector; they then live until the site is written, so they are set aside
    # (gc.freeze) where the collector's full passes do not walk them again for every few
    # pages. Rendering makes cycles (the templates' contexts): the collector runs on those.
    # On 1,000 learners, its passes took a fifth of a cold render, and a third of a render
    # after one learner changed (more with a need's steps as objects, issue 14).
    was = gc.isenabled()
    gc.disable()
    try:
        learners, texts = _learners(root, result)
        ctx = context(base, learners, today)
        gc.freeze()
    finally:
        if was:
            gc.enable()
    try:
        return _render(root, out, fmt, today, progress, base, learners, texts, ctx, result)
    finally:
        gc.unfreeze()


def _learners(root: Path, result: Result) -> tuple[list[Learner], dict[str, bytes]]:
    """The valid learners of the cohort at *root*, by name, and the digest of each one's
    file; the files skipped for their errors go to *result*."""
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
    return learners, texts


def _render(
    root: Path,
    out: Path,
    fmt: str,
    today: dt.date,
    progress: Callable[[int, int], None] | None,
    base: CohortData,
    learners: list[Learner],
    texts: dict[str, bytes],
    ctx: dict[str, Any],
    result: Result,
) -> Result:
    """The pages of *learners* and the cohort, written into *out* (see :func:`render_site`)."""
    assert base.cohort is not None and base.referentiel is not None  # checked by render_site
    old = _load_manifest(out)
    core = _digest(
        *(files.read_bytes(root / n) or b"" for n in (COHORT, REFERENTIEL, SUBJECTS)),
        templates_digest(),
        language().encode(),
        today.isoformat().encode(),
    )
    keys: dict[str, str] = {}
    pages: dict[str, str] = {}
    exts = FORMATS[fmt]

    def add(name: str, template: str, depth: int, key: str | None = None, **extra: Any) -> None:
        for ext in exts:
            rel = name + ext
            if key is not None and old.get(rel) == key and files.exists(out / rel):
                keys[rel] = key
                pages[rel] = ""  # unchanged: not rendered again
                continue
            # values given as callables are computed only for pages that are rendered
            values = {k: v() if callable(v) else v for k, v in extra.items()}
            pages[rel] = page(template, ext, depth, **ctx, **values)
            if key is not None:
                keys[rel] = key

    add("index", "index", 0)
    add("synoptique", "synoptic", 0)
    own_files = own_resource_files(root)
    for i, learner in enumerate(learners):
        mine = [
            rel.encode() + (files.read_bytes(root / rel) or b"")
            for rel in own_files.get(learner.id, [])
        ]
        key = _digest(core.encode(), texts[learner.id], *mine)
        own = ctx["own"].get(learner.id, {})
        add(
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
            practice_grids=lambda learner=learner: learner_grids(base.cohort, learner),
        )
        add(
            f"alternants/{learner.id}-ressources", "own", 1, key, learner=learner, own_resources=own
        )
        if progress:
            progress(i + 1, len(learners))
    for group in base.referentiel.groups:
        for act in group.activities:
            add(f"activites/{act.id}", "activity", 1, group=group, act=act)
        add(f"qcm/{group.id}", "qcm_page", 1, group=group)
    add("qcm/index", "qcm_index", 1)
    if base.subjects:
        for subject in base.subjects.subjects:
            add(f"matieres/{subject.id}", "subject", 1, subject=subject)

    copies = _copies(base)
    # a link in the output folder (committed, or left there) would carry a write outside
    # it: refused before anything is written
    site = confine.Confined(out)
    shown = [f"fichiers/{c}" for c in copies] + [
        f"fichiers/{c}.html" for c in copies if c.endswith(".md")
    ]
    bad = site.outside([*pages, *shown, MANIFEST])
    if bad:
        raise UserError(
            _("« {path} » leads outside the folder {folder}; olap writes only inside it.").format(
                path=bad[0], folder=out
            ),
            _("remove the symbolic link or the odd name from the folder, then try again"),
        )
    for rel, text in pages.items():
        if not text:
            result.unchanged += 1
            continue
        # the site is made again by the next run: atomic, but not forced to the disk
        if site.write(rel, text.encode("utf-8"), durable=False):
            result.written.append(rel)
        else:
            result.unchanged += 1
    copied = _copy_files(root, site, copies, result)
    for rel in sorted(set(old) - set(pages) - copied):
        if site.remove(rel):
            result.removed.append(rel)
    manifest = {rel: keys.get(rel, "") for rel in pages} | {rel: "" for rel in copied}
    files.atomic_write(out / MANIFEST, json.dumps(manifest, indent=0, sort_keys=True))
    return result


def _load_manifest(out: Path) -> dict[str, str]:
    """What the manifest of the last render lists, kept only where it names a page or a
    file of olap's (anything else was not written by olap, and is left alone)."""
    data = files.read_json(out / MANIFEST)
    if not isinstance(data, dict):
        return {}
    return {
        rel: value for rel, value in data.items() if isinstance(value, str) and OURS.fullmatch(rel)
    }


def _copies(base: CohortData) -> list[str]:
    """The resource files the pages link to (relative to the cohort)."""
    wanted: list[str] = []
    for _act, (_rel, res) in base.resources.items():
        wanted += [f"resources/files/{r.file}" for r in res.resources if r.file]
    for lid, own in base.own_resources.items():
        for _rel, res in own:
            wanted += [f"learners/{lid}/files/{r.file}" for r in res.resources if r.file]
    return sorted(set(wanted))


def _copy_files(root: Path, site: confine.Confined, wanted: list[str], result: Result) -> set[str]:
    """Copy the resource files the pages link to; the relative paths copied. Only regular
    files reached without a symbolic link are copied: a link committed under resources/
    (to /proc/self/environ, to ~/.ssh…) is never published."""
    copied = set()
    for rel in wanted:
        data = confine.read_regular(root, rel)
        if data is None:
            continue
        copied.add(f"fichiers/{rel}")
        if site.write(f"fichiers/{rel}", data):
            result.written.append(f"fichiers/{rel}")
        if rel.endswith(".md"):  # read as a page, not as raw text
            shown = f"fichiers/{rel}.html"
            copied.add(shown)
            if site.write(shown, markdown_page(rel, data).encode("utf-8")):
                result.written.append(shown)
    return copied
