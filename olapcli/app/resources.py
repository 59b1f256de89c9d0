"""Adding a resource to an activity: shared, or in a learner's own folder (Annexe 6 §2).

Shared resources live in ``resources/<activity>.yaml`` (files in ``resources/files/``);
a learner's own in ``learners/<id>/<activity>.yaml`` (files in ``learners/<id>/files/``),
where the learner and the trainer both deposit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olapcli.core import links
from olapcli.core.layout import LEARNERS_DIR, RESOURCES_DIR
from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.io import files, yamlwrite
from olapcli.io.load import core_summary

SCHEMA_LINE = "# yaml-language-server: $schema={up}.olap/schema/resources.schema.json\n"


@dataclass
class Added:
    """What was recorded, and where."""

    yaml: str
    file: str | None
    title: str
    kind: str
    url: str | None


def safe_name(name: str) -> str:
    """A file name without accents, spaces or anything a web server or Windows dislikes."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower() or "fichier"
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext).lower()
    return f"{stem}.{ext}" if ext else stem


def add_resource(
    root: Path,
    activity: str,
    title: str,
    kind: str,
    url: str | None = None,
    file: Path | None = None,
    learner: str | None = None,
    commit: bool = False,
) -> Added:
    """Record a link or a file for *activity*; refused (nothing written) on bad input."""
    from olapcli.core.model import ResourceFile
    from olapcli.io.yamlwrite import scalar

    if activity not in core_summary(root).activity_ids():
        raise UserError(
            _("Unknown activity « {id} ».").format(id=activity),
            _("referentiel.yaml lists the activities of the cohort"),
        )
    if not title.strip():
        raise UserError(_("The resource needs a title."), _("give --title"))
    if (url is None) == (file is None):
        raise UserError(_("Give either --url or --file."))
    if url is not None and not links.is_web_link(url):
        raise UserError(
            _("« {url} » is not a web link.").format(url=links.visible(url)),
            _("only http:// and https:// links are accepted"),
        )
    data = files.read_bytes(file) if file is not None and files.is_file(file) else None
    if file is not None and data is None:
        raise UserError(_("File not found: {path}").format(path=file))
    if learner is None:
        base, up = root, "../"
        rel_yaml = f"{RESOURCES_DIR}/{activity}.yaml"
        files_dir = root / RESOURCES_DIR / "files"
    else:
        from olapcli.io.paths import learner_path

        learner_path(root, learner)
        base, up = root / LEARNERS_DIR / learner, "../../"
        rel_yaml = f"{LEARNERS_DIR}/{learner}/{activity}.yaml"
        files_dir = base / "files"
    if commit:
        from olapcli.io import git

        git.require_repo(root)
    from olapcli.io.paths import require_no_link

    with files.repo_lock(root):
        require_no_link(root, rel_yaml)
        require_no_link(root, files_dir.relative_to(root).as_posix() + "/x")
        path = root / rel_yaml
        if files.exists(path):
            doc = yamlwrite.load(path, rel_yaml)
        else:
            text = SCHEMA_LINE.format(up=up) + f'activity: "{activity}"\nresources: []\n'
            doc = yamlwrite.new_document(path, rel_yaml, text)
        entry: dict[str, Any] = {"title": scalar(title.strip()), "kind": kind}
        copy_to: Path | None = None
        if url is not None:
            entry["url"] = scalar(url.strip())
        else:
            assert file is not None and data is not None
            copy_to, present = files.place(files_dir, safe_name(file.name), data)
            entry["file"] = scalar(copy_to.name)
            if present:
                copy_to = None
        yamlwrite.append_item(yamlwrite.block_seq(doc.data, "resources"), yamlwrite.new_map(entry))
        from olapcli.app.edit import follow_model

        follow_model(ResourceFile, rel_yaml, doc.data)
        before = doc.text
        written: list[Path] = []
        try:
            if copy_to is not None and data is not None:
                files.atomic_write_bytes(copy_to, data)
                written.append(copy_to)
            files.atomic_write(path, yamlwrite.dump(doc))
            if commit:
                from olapcli.io import git

                git.commit(
                    root,
                    [path, *written],
                    _("Resource for {activity}: {title}").format(
                        activity=activity, title=title.strip()
                    ),
                )
        except BaseException:
            for extra in written:
                files.remove(extra)
            if before:
                files.atomic_write(path, before)
            else:
                files.remove(path)
            raise
    stored = copy_to or (files_dir / str(entry["file"]) if "file" in entry else None)
    return Added(
        rel_yaml,
        str(stored.relative_to(root)) if stored else None,
        title.strip(),
        kind,
        url.strip() if url else None,
    )
