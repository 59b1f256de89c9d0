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
    git.register(root)  # first: refused, it leaves .gitattributes as it was
    return git.write_attributes(root)


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
        _require_upstream(top)
        if git.uses_driver(root) and not git.registered(root):
            git.register(root)
            done.registered = True
        done.pulled, conflicted, done.detail = git.pull_rebase(top)
    if not done.pulled:
        if not conflicted:
            raise shared_failure(done.detail, pushing=False)
        done.conflicted = conflicted
        return done
    done.errors = [
        p for p in validate(root, today or clock(), errors_only=True) if p.severity == "error"
    ]
    if done.errors or not push:
        return done
    done.pushed, done.detail = git.push(top)
    if not done.pushed:
        raise shared_failure(done.detail, pushing=True)
    return done


def _require_upstream(top: Path) -> None:
    """Refused, before anything is done, when the branch has nowhere to share."""
    branch, follows, remotes = git.tracking(top)
    if branch is None:
        raise UserError(
            _("No branch is checked out (detached HEAD): olap sync shares a branch."),
            _("go back to the cohort's branch (git switch main, for example), then olap sync"),
        )
    if follows:
        return
    if not remotes:
        raise UserError(
            _("This repository has no remote: olap sync has nowhere to share your commits."),
            _(
                "add the shared repository once: git remote add origin <its address>, "
                "then git push -u origin {branch}; then olap sync"
            ).format(branch=branch),
        )
    remote = "origin" if "origin" in remotes else remotes[0]
    raise UserError(
        _(
            "The branch « {branch} » follows no branch of {remote}: olap sync does not know "
            "where to share it."
        ).format(branch=branch, remote=remote),
        _("share it once with: git push -u {remote} {branch}; then olap sync").format(
            remote=remote, branch=branch
        ),
    )


#: what Git says (in English) when the remote refuses who you are, cannot be reached,
#: holds commits you do not have, or refuses the push
_DENIED = ("Authentication failed", "Permission denied", "could not read Username", "403")
_UNREACHABLE = (
    "Could not resolve host",
    "unable to access",
    "Could not read from remote",
    "does not appear to be a git repository",
    "Connection refused",
    "Connection timed out",
    "Network is unreachable",
)
_BEHIND = ("non-fast-forward", "fetch first", "[rejected]")
_REFUSED = ("[remote rejected]", "protected branch", "hook declined")


def shared_failure(detail: str, pushing: bool) -> UserError:
    """A pull or push Git could not do, said in olap's words with what to do; Git's own
    last line follows when the cause is not one olap knows."""
    kept = _("your commits are kept here; olap sync again once it is fixed")
    if any(w in detail for w in _DENIED):
        return UserError(
            _("The shared repository refused your access (user, SSH key or token)."),
            _("check your access to it (git remote -v shows its address); ") + kept,
        )
    if any(w in detail for w in _UNREACHABLE):
        return UserError(
            _("The shared repository cannot be reached (network, or its address)."),
            _("check the connection and the address (git remote -v); ") + kept,
        )
    if pushing and any(w in detail for w in _REFUSED):
        return UserError(
            _("The shared repository refused the push (a protected branch, or its rules)."),
            _("ask whoever manages it to let you push, or share through a merge request; ") + kept,
        )
    if pushing and any(w in detail for w in _BEHIND):
        return UserError(
            _("Someone shared commits meanwhile: nothing was pushed."),
            _("run olap sync again: it takes their commits first"),
        )
    last = detail.strip().splitlines()[-1] if detail.strip() else ""
    said = (
        _("Git could not push the commits ({detail}).")
        if pushing
        else _("Git could not pull the others' commits ({detail}).")
    )
    return UserError(said.format(detail=last or "?"), kept)
