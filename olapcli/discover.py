"""Finding the cohort: ``--cohort`` or the nearest folder upward with ``cohort.yaml``."""

from __future__ import annotations

from pathlib import Path

from olapcli.errors import UserError
from olapcli.i18n import _

COHORT_FILE = "cohort.yaml"


def find_root(explicit: Path | None, start: Path | None = None) -> Path:
    """The cohort folder, like git finds ``.git``."""
    if explicit is not None:
        root = explicit.resolve()
        if not (root / COHORT_FILE).is_file():
            raise UserError(
                _("No cohort.yaml in {path}.").format(path=explicit),
                _("give the folder of a cohort with -C, or create one with « olap init DIR »"),
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / COHORT_FILE).is_file():
            return folder
    raise UserError(
        _("No cohort.yaml found in {path} or any folder above it.").format(path=here),
        _("go into a cohort folder, give it with -C PATH, or create one with « olap init DIR »"),
    )
