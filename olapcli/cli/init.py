"""``olap init DIR [--sample]``: a new cohort repository."""

from __future__ import annotations

from pathlib import Path

import typer

from olapcli.cli.common import err, out, refuse
from olapcli.i18n import _

HELP = _(
    "Create a new cohort repository: cohort.yaml, referentiel.yaml, subjects.yaml, "
    "learners/, resources/, the JSON Schemas for editors, .gitignore, .gitattributes and the "
    "merge driver, CI files for GitHub and GitLab, git init and a first commit. With --sample, a complete example cohort to explore.\n\n"
    "Example: olap init cap-cuisine-2026 --sample"
)


def init(
    directory: Path = typer.Argument(..., help=_("Folder to create (must be absent or empty).")),
    sample: bool = typer.Option(False, "--sample", help=_("Start from the example cohort.")),
) -> None:
    import datetime as dt
    import shutil

    from olapcli.io import assets, git
    from olapcli.io.clock import today
    from olapcli.io.files import atomic_write

    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        refuse(
            _("{path} already exists and is not empty.").format(path=directory),
            _("choose a new folder name"),
        )
    templates = assets.scaffold()
    source = assets.sample_cohort() if sample else None
    schemas = assets.schemas()
    if (sample and source is None) or schemas is None:
        refuse(
            _("The example cohort is not available in this installation."),
            _("install olap from its source folder (pip install -e .)"),
        )
    created_dir = not directory.exists()
    try:
        if source is not None:
            shutil.copytree(
                source,
                directory,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("site", "outbox", ".olap.lock", "__pycache__"),
            )
        else:
            directory.mkdir(parents=True, exist_ok=True)
            start = today()
            year_end = dt.date(start.year + 1, 6, 30)
            values = {
                "start": start,
                "end": year_end,
                "p1_start": start + dt.timedelta(days=14),
                "p1_end": start + dt.timedelta(days=27),
            }
            atomic_write(
                directory / "cohort.yaml",
                (templates / "cohort.yaml").read_text(encoding="utf-8").format(**values),
            )
            for name in ("referentiel.yaml", "subjects.yaml"):
                shutil.copyfile(templates / name, directory / name)
            for sub in ("learners", "resources/files"):
                (directory / sub).mkdir(parents=True, exist_ok=True)
                (directory / sub / ".gitkeep").touch()
        shutil.copyfile(templates / "gitignore", directory / ".gitignore")
        (directory / ".olap" / "schema").mkdir(parents=True, exist_ok=True)
        for schema in schemas.glob("*.schema.json"):
            shutil.copyfile(schema, directory / ".olap" / "schema" / schema.name)
        ci_files(directory)
        git.init(directory)
        git.write_attributes(directory)
        git.register(directory)
        _first_commit(directory)
    except OSError as exc:
        if created_dir:
            shutil.rmtree(directory, ignore_errors=True)
        refuse(_("Cannot create {path}: {detail}").format(path=directory, detail=exc))
    out.print(
        _("Cohort created in {path}.").format(path=directory), style="bold green", markup=False
    )
    err.print(
        _("Next: edit cohort.yaml and referentiel.yaml, then « olap -C {path} validate ».").format(
            path=directory
        ),
        markup=False,
    )


def ci_files(directory: Path) -> None:
    """The CI configurations: GitHub Actions and GitLab CI (a centre keeps the one it uses)."""
    import shutil

    from olapcli.io import assets

    templates = assets.scaffold()
    (directory / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(templates / "github-workflow.yml", directory / ".github/workflows/olap.yml")
    shutil.copyfile(templates / "gitlab-ci.yml", directory / ".gitlab-ci.yml")


def _first_commit(directory: Path) -> None:
    from olapcli.io import git

    if not git.commit_everything(directory, _("New cohort created by olap")):
        err.print(
            _("Git has no user.name/user.email: first commit made as « olap »."), markup=False
        )
