"""Git set-up of a cohort clone: the attributes that name olap's merge driver, and the
driver's registration in the clone's own configuration (which Git never shares).

``.gitattributes`` is committed, so every clone knows which files olap merges;
``.git/config`` is not, so each clone runs ``olap setup`` once (``olap init``
does it for the first one). Never ``merge=union``: on a real conflict it
reports success and leaves invalid YAML behind.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from olapcli.errors import UserError
from olapcli.i18n import _

#: the lines olap needs in .gitattributes (paths relative to the cohort folder)
ATTRIBUTES = (
    "# olap: how Git merges the cohort's data files (see olap setup)",
    "*.yaml text eol=lf",
    "learners/*.yaml merge=olap",
    "cohort.yaml merge=olap",
    "referentiel.yaml merge=olap",
    "subjects.yaml merge=olap",
    "resources/*.yaml merge=olap",
)


def run_git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in *root*, its output captured as text."""
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


def toplevel(root: Path) -> Path | None:
    """The working tree holding *root*, or None outside Git."""
    found = run_git(root, "rev-parse", "--show-toplevel")
    return Path(found.stdout.strip()) if found.returncode == 0 else None


def driver_command() -> str:
    """The command Git runs: this very Python, so it works whatever the PATH of a Git GUI."""
    return f"{shlex.quote(sys.executable)} -m olapcli.mergedriver %O %A %B %P"


def write_attributes(root: Path) -> bool:
    """Add olap's lines to *root*/.gitattributes (keeping the others); True if changed."""
    from olapcli.fsio import atomic_write

    path = root / ".gitattributes"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in ATTRIBUTES if line not in present]
    if not missing:
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write(path, text + "\n".join(missing) + "\n")
    return True


def register(root: Path) -> None:
    """Register the driver in the clone's .git/config."""
    for key, value in (
        ("merge.olap.name", "olap: needs and evaluations merged by id"),
        ("merge.olap.driver", driver_command()),
    ):
        done = run_git(root, "config", "--local", key, value)
        if done.returncode != 0:
            raise UserError(
                _("Git refused to register the merge driver: {detail}").format(
                    detail=done.stderr.strip()
                )
            )


def uses_driver(root: Path) -> bool:
    """Do the attributes of *root* name olap's merge driver?"""
    found = run_git(root, "check-attr", "merge", "--", "learners/x.yaml")
    return found.returncode == 0 and found.stdout.strip().endswith(": olap")


def registered(root: Path) -> bool:
    """Is the driver registered in this clone?"""
    return bool(run_git(root, "config", "--get", "merge.olap.driver").stdout.strip())
