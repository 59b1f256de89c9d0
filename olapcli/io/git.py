"""Every Git operation olap makes, in one module.

Writes and quick questions run the ``git`` command (a commit must not cost a command
the import of GitPython); walking the history uses GitPython, imported only there.
The merge driver's set-up is here too: the lines of ``.gitattributes`` that name it
(committed, so every clone knows which files olap merges) and its registration in the
clone's own ``.git/config`` (which Git never shares). Never ``merge=union``: on a real
conflict it reports success and leaves invalid YAML behind.
"""

from __future__ import annotations

import contextlib
import shlex
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
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
    "/access.yaml merge=olap",
)


def run(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run git in *root*, its output captured as text; refused when Git is not installed."""
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)
    except FileNotFoundError as exc:
        if exc.filename == "git":
            raise missing() from None
        raise


#: (cohort folder, work tree, note) while this thread's commits are grouped
_group = threading.local()


@contextlib.contextmanager
def grouped(
    root: Path, top: Path, note: Callable[[list[str], str, str | None], None]
) -> Iterator[None]:
    """While in this block, :func:`commit` in *top* hands (files, message, author) to
    *note* instead of committing (:mod:`olapcli.io.gitbatch` makes the commits)."""
    _group.now = (root, top, note)
    try:
        yield
    finally:
        _group.now = None


def _grouped() -> tuple[Path, Path, Callable[[list[str], str, str | None], None]] | None:
    return getattr(_group, "now", None)


def run_bytes(root: Path, *args: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    """Run git in *root* with *data* on its standard input, its output as bytes."""
    try:
        return subprocess.run(["git", *args], cwd=root, input=data, capture_output=True)
    except FileNotFoundError as exc:
        if exc.filename == "git":
            raise missing() from None
        raise


class GitMissing(UserError):
    """The ``git`` command is not on the PATH."""


def missing() -> GitMissing:
    """The refusal of a command that needs Git where there is none."""
    return GitMissing(
        _("Git is not found: the « git » command is not in the PATH."),
        _(
            "install Git (https://git-scm.com), then try again; commands without --commit work without it"
        ),
    )


def toplevel(root: Path) -> Path | None:
    """The working tree holding *root*, or None outside Git."""
    group = _grouped()
    if group is not None and root.resolve() == group[0]:
        return group[1]  # asked by every write of a group: known
    found = run(root, "rev-parse", "--show-toplevel")
    return Path(found.stdout.strip()) if found.returncode == 0 else None


def require_repo(path: Path) -> Path:
    """The working tree holding *path*; refused (before any write) outside Git."""
    top = toplevel(path) if path.is_dir() else None
    if top is None:
        raise UserError(
            _("{path} is not in a Git repository.").format(path=path),
            _("run « git init » there, or leave out --commit"),
        )
    return top


def init(path: Path) -> None:
    """``git init`` in *path*."""
    done = run(path, "init", "-q")
    if done.returncode != 0:
        raise OSError(done.stderr.strip())


def commit(root: Path, paths: list[Path], message: str, author: str | None = None) -> str:
    """Commit exactly *paths* (other staged changes stay staged), as *author* (« Name
    <e-mail> », the person who acted, e.g. through olap serve) when given; the new commit id.

    When Git refuses (a pre-commit hook, no identity), the index is left as it was: the
    new files added for the commit are taken out of it again (``commit --only`` itself
    keeps the index untouched when it fails). The caller puts the files back."""
    top = require_repo(root).resolve()
    rels = [str(p.resolve().relative_to(top)) for p in paths]
    group = _grouped()
    if group is not None and group[1] == top:
        group[2](rels, message, author)  # made with the others of the write queue's turn
        return ""
    tracked = set(run(top, "ls-files", "-z", "--", *rels).stdout.split("\0"))
    new = [rel for rel in rels if rel not in tracked]
    added = run(top, "add", "--", *new) if new else None
    done = added if added is not None and added.returncode != 0 else None
    if done is None:
        who = ["--author", author] if author else []
        done = run(top, "commit", "-q", "-m", message, *who, "--only", "--", *rels)
    if done.returncode != 0:
        if new:
            run(top, "rm", "-q", "--cached", "--ignore-unmatch", "-f", "--", *new)
        raise refused(done)
    return run(top, "rev-parse", "HEAD").stdout.strip()


#: what Git says when it has no name or e-mail to sign a commit with
_NO_IDENTITY = ("user.name", "user.email", "who you are", "empty ident", "auto-detect email")


def refused(
    done: subprocess.CompletedProcess[str] | subprocess.CompletedProcess[bytes],
) -> UserError:
    """The refusal of a commit Git declined, with what Git (or its hook) said."""
    said = [
        t.decode(errors="replace") if isinstance(t, bytes) else t or ""
        for t in (done.stderr, done.stdout)
    ]
    detail = "\n".join(t.strip() for t in said if t.strip())
    if any(words in detail for words in _NO_IDENTITY):
        hint = _("check « git config user.name » and « user.email », then try again")
    else:
        hint = _(
            "nothing was recorded: the files are as they were. Fix what Git (or a "
            "pre-commit hook of the repository) says, then run the command again"
        )
    return UserError(
        _("Git refused the commit: {detail}").format(
            detail=detail or _("no reason given (exit code {code})").format(code=done.returncode)
        ),
        hint,
    )


def has_identity(root: Path) -> bool:
    """Does Git's configuration give a user name and e-mail for commits?"""
    return all(
        run(root, "config", "--get", key).stdout.strip() for key in ("user.name", "user.email")
    )


def commit_everything(root: Path, message: str) -> bool:
    """Commit every file of the new repository at *root*; False when Git had no identity
    and the commit was made as « olap »."""
    run(root, "add", "-A")
    if has_identity(root):
        done = run(root, "commit", "-q", "-m", message)
        identity = True
    else:
        import os

        env = {**os.environ, "GIT_COMMITTER_NAME": "olap", "GIT_COMMITTER_EMAIL": "olap@localhost"}
        done = run(
            root, "commit", "-q", "-m", message, "--author", "olap <olap@localhost>", env=env
        )
        identity = False
    if done.returncode != 0:
        raise OSError((done.stderr or done.stdout).strip())
    return identity


# --- the merge driver's set-up ------------------------------------------------------


def ignored(root: Path, rel: str) -> bool:
    """Would Git leave the file *rel* (under *root*) out of a commit, ``git add -A``
    included? True outside a Git repository or without Git (nothing is committed
    there); False when Git would take it or cannot say."""
    try:
        done = run(root, "check-ignore", "-q", "--", rel)
    except GitMissing:
        return True
    if done.returncode == 0:
        return True
    if done.returncode == 1:
        return False
    return toplevel(root) is None


def driver_command() -> str:
    """The command Git runs: this very Python, so it works whatever the PATH of a Git GUI."""
    return f"{shlex.quote(sys.executable)} -m olapcli.mergedriver %O %A %B %P"


def write_attributes(root: Path) -> bool:
    """Add olap's lines to *root*/.gitattributes (keeping the others); True if changed."""
    from olapcli.io.files import atomic_write

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


def attributes_name(root: Path, rel: str) -> bool:
    """Does *root*/.gitattributes hand the file *rel* of the cohort to olap's driver, in
    olap's own line? (Read as text: ``validate`` asks on every run.)"""
    lines = {line.strip() for line in _text(root / ".gitattributes").splitlines()}
    return f"/{rel} merge=olap" in lines


def register(root: Path) -> None:
    """Register the driver in the clone's .git/config."""
    for key, value in (
        ("merge.olap.name", "olap: needs, evaluations and personal links merged by id"),
        ("merge.olap.driver", driver_command()),
    ):
        done = run(root, "config", "--local", key, value)
        if done.returncode != 0:
            raise UserError(
                _("Git refused to register the merge driver: {detail}").format(
                    detail=done.stderr.strip()
                ),
                _(
                    "check that .git/config can be written (another Git at work, a lock "
                    "file .git/config.lock left behind?), then olap setup"
                ),
            )


def _git_dir(root: Path) -> tuple[Path, Path] | None:
    """(work tree, .git folder) of the repository holding *root*, found as Git does; None
    outside Git or for a worktree or submodule (whose .git is a file)."""
    here = root.resolve()
    for top in (here, *here.parents):
        dot = top / ".git"
        if dot.is_dir():
            return top, dot
        if dot.exists():
            return None
    return None


def uses_driver(root: Path) -> bool:
    """Do the attributes of *root* name olap's merge driver? Without a process when no
    attributes file can name it (``validate`` asks on every run)."""
    found = _git_dir(root)
    if found is not None:
        top, dot = found
        here = root.resolve()
        places = [dot / "info" / "attributes"]
        places += [d / ".gitattributes" for d in (here, *here.parents) if d.is_relative_to(top)]
        if not any("merge=olap" in _text(place) for place in places):
            return False
    try:
        done = run(root, "check-attr", "merge", "--", "learners/x.yaml")
    except GitMissing:  # without Git, no merge: nothing to advise
        return False
    return done.returncode == 0 and done.stdout.strip().endswith(": olap")


def registered(root: Path) -> bool:
    """Is the driver registered in this clone? Without a process when the clone's own
    configuration says so."""
    found = _git_dir(root)
    if found is not None:
        config = _text(found[1] / "config")
        head = config.find('[merge "olap"]')
        if head >= 0 and "driver" in config[head:].split("\n[", 1)[0]:
            return True
    try:
        return bool(run(root, "config", "--get", "merge.olap.driver").stdout.strip())
    except GitMissing:
        return False


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def merge_file(ours: Path, base: Path, theirs: Path, union: bool = False) -> str | None:
    """``git merge-file -p``: the merged text, or None when it leaves conflicts."""
    result = subprocess.run(
        [
            "git",
            "merge-file",
            "-p",
            *(["--union"] if union else []),
            str(ours),
            str(base),
            str(theirs),
        ],
        capture_output=True,
    )
    return result.stdout.decode("utf-8") if result.returncode == 0 else None


def merge_file_in_place(ours: Path, base: Path, theirs: Path, name: str) -> bool:
    """``git merge-file`` into *ours*, its sides labelled with *name*: True when clean,
    False when it left conflict markers."""
    labels = [f"{name} (ours)", f"{name} (base)", f"{name} (theirs)"]
    args = [arg for label in labels for arg in ("-L", label)]
    done = subprocess.run(
        ["git", "merge-file", *args, str(ours), str(base), str(theirs)], capture_output=True
    )
    return done.returncode == 0


# --- sharing: olap sync ---------------------------------------------------------------


def uncommitted(top: Path) -> bool:
    """Are there uncommitted changes to tracked files?"""
    return bool(run(top, "status", "--porcelain", "--untracked-files=no").stdout.strip())


def tracking(top: Path) -> tuple[str | None, bool, list[str]]:
    """(the branch checked out, None when detached; whether it follows a branch of a
    remote; the remotes' names)."""
    branch = run(top, "symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip() or None
    follows = run(top, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}")
    return branch, follows.returncode == 0, run(top, "remote").stdout.split()


def pull_rebase(top: Path) -> tuple[bool, list[str], str]:
    """``git pull --rebase``: (done, the files left in conflict, what Git said)."""
    pulled = run(top, "pull", "--rebase", "--no-edit")
    if pulled.returncode == 0:
        return True, [], ""
    conflicted = run(top, "diff", "--name-only", "--diff-filter=U").stdout.split()
    return False, conflicted, (pulled.stderr or pulled.stdout).strip()


def push(top: Path) -> tuple[bool, str]:
    """``git push``: (done, what Git said)."""
    pushed = run(top, "push")
    return pushed.returncode == 0, (pushed.stderr or pushed.stdout).strip()
