"""A cohort repository's life with Git: create one (``olap init``), prepare a clone
(``olap setup``), share work (``olap sync``), and say when a clone cannot merge well."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from olapcli.errors import Problem, UserError
from olapcli.i18n import _
from olapcli.io import assets, files, git


@dataclass
class Created:
    """A new cohort repository."""

    path: Path
    #: False when Git had no user.name/user.email and the first commit was made as olap
    identity: bool


def init_cohort(directory: Path, sample: bool = False, today: dt.date | None = None) -> Created:
    """A new cohort repository in *directory* (absent or empty): the cohort's files (from
    the example cohort with *sample*), .gitignore, the JSON Schemas for editors, CI files
    for GitHub and GitLab, ``git init``, the merge driver, a first commit. Nothing is left
    behind when it fails:
    it is built in a folder beside, renamed when complete."""
    from olapcli.io.clock import today as clock

    if not files.empty_or_absent(directory):
        raise UserError(
            _("{path} already exists and is not empty.").format(path=directory),
            _("choose a new folder name"),
        )
    if (sample and assets.sample_cohort() is None) or assets.schemas() is None:
        raise UserError(
            _("The example cohort is not available in this installation."),
            _("install olap from its source folder (pip install -e .)"),
        )
    try:
        with files.building(directory) as work:
            if sample:
                assets.copy_sample(work)
            else:
                start = today or clock()
                assets.write_scaffold(
                    work,
                    {
                        "start": start,
                        "end": dt.date(start.year + 1, 6, 30),
                        "p1_start": start + dt.timedelta(days=14),
                        "p1_end": start + dt.timedelta(days=27),
                    },
                )
            assets.copy_repository_files(work)
            git.init(work)
            git.write_attributes(work)
            git.register(work)
            identity = git.commit_everything(work, _("New cohort created by olap"))
    except files.WriteRefused as exc:
        raise UserError(
            _("Cannot create {path}: {detail}").format(path=directory, detail=exc.reason),
            exc.hint,
        ) from None
    except OSError as exc:
        raise UserError(
            _("Cannot create {path}: {detail}").format(path=directory, detail=files.reason(exc)),
            files.remedy(exc),
        ) from None
    return Created(directory, identity)


def setup_clone(root: Path) -> bool:
    """Prepare a clone for merging: olap's lines in .gitattributes, the merge driver
    registered in .git/config (which Git never shares). True when .gitattributes changed
    (it must then be committed, so that every clone merges alike)."""
    if git.toplevel(root) is None:
        raise UserError(
            _("{path} is not in a Git repository.").format(path=root),
            _("run « git init » there, or clone the cohort's repository"),
        )
    changed = git.write_attributes(root)
    git.register(root)
    return changed


@dataclass
class Synced:
    """What ``olap sync`` did."""

    #: the driver was registered on the way (the clone had not run olap setup)
    registered: bool = False
    pulled: bool = False
    #: files left in conflict by the pull
    conflicted: list[str] | None = None
    #: what Git said when it failed
    detail: str = ""
    #: errors of the merged cohort (nothing is pushed then)
    errors: list[Problem] | None = None
    pushed: bool = False


def sync(root: Path, push: bool = True, today: dt.date | None = None) -> Synced:
    """Pull the others' commits (rebase, with olap's merge driver), validate the result,
    push when all is well. Stops, pushing nothing, on a conflict or validation errors."""
    from olapcli.app.validate import validate
    from olapcli.io.clock import today as clock

    top = git.toplevel(root)
    if top is None:
        raise UserError(_("{path} is not in a Git repository.").format(path=root))
    done = Synced()
    # under the write lock, as every write: a need posted on olap serve (or added at a
    # terminal) meanwhile waits for the rebase, and is never caught in the middle of it
    with files.repo_lock(root):
        if git.uncommitted(top):
            raise UserError(
                _("There are uncommitted changes: olap sync shares commits only."),
                _("commit them (olap … --commit, or git commit), then olap sync"),
            )
        if git.uses_driver(root) and not git.registered(root):
            git.register(root)
            done.registered = True
        done.pulled, conflicted, done.detail = git.pull_rebase(top)
    if not done.pulled:
        done.conflicted = conflicted
        return done
    done.errors = [p for p in validate(root, today or clock()) if p.severity == "error"]
    if done.errors or not push:
        return done
    done.pushed, done.detail = git.push(top)
    return done
