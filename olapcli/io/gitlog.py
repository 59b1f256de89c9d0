"""The cohort's history, read with GitPython (imported only here, when a command walks
the history: ``olap log``, ``olap notify --since``, the report's source commit).

Kept apart from :mod:`olapcli.io.git`, whose writes and quick questions run the ``git``
command, so that a commit does not cost the import of GitPython.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olapcli.errors import UserError
from olapcli.i18n import _


def _gitpython() -> Any:
    """GitPython, or the refusal of a command that walks the history without Git (GitPython
    fails to import then)."""
    try:
        import git
    except ImportError:
        from olapcli.io.git import missing

        raise missing() from None
    return git


def _repo(path: Path) -> Any:
    git = _gitpython()

    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UserError(
            _("{path} is not in a Git repository.").format(path=path),
            _("run « git init » there, or leave out --commit"),
        ) from None


@dataclass
class Revision:
    """One version of a file in the history."""

    sha: str
    date: dt.datetime
    author: str
    message: str
    text: str | None
    parent_text: str | None
    #: a merge's other parents: what it brought from them is their commits' news, not its own
    other_parent_texts: tuple[str | None, ...] = ()
    #: the commit's parents are not in this clone (a shallow clone): what it changed is
    #: unknown, and the history stops here
    cut: bool = False


def file_history(root: Path, path: Path) -> Iterator[Revision]:
    """Each commit that changed *path*, newest first, with the text before and after."""
    repo = _repo(root)
    top = Path(repo.working_tree_dir).resolve()
    rel = path.resolve().relative_to(top).as_posix()

    def blob_text(commit: Any) -> str | None:
        try:
            data: bytes = (commit.tree / rel).data_stream.read()
        except KeyError:
            return None
        return data.decode("utf-8", errors="replace")

    try:
        commits = list(repo.iter_commits(paths=rel))
    except ValueError:
        return
    # a shallow clone (git clone --depth N) lists the commits whose parents it lacks
    shallow = set(_text(Path(repo.git_dir) / "shallow").split())
    for c in commits:
        # at the edge of a shallow clone the parents are not there: the history stops
        cut = c.hexsha in shallow
        parents = [] if cut else c.parents
        yield Revision(
            sha=c.hexsha,
            date=c.authored_datetime,
            author=str(c.author.name),
            message=str(c.message).strip(),
            text=blob_text(c),
            parent_text=blob_text(parents[0]) if parents else None,
            other_parent_texts=tuple(blob_text(p) for p in parents[1:]),
            cut=cut,
        )
        if cut:
            return


@dataclass
class Change:
    """A file of the cohort changed between two revisions: its texts before and after."""

    rel: str
    before: str | None
    after: str | None


def changes_since(
    root: Path, rev: str, folder: str
) -> tuple[list[Change], Callable[[str], bytes | None]]:
    """The files under *folder* (relative to the cohort *root*) changed by the commits from
    *rev* (excluded) to HEAD, and a reader of any file of the cohort at HEAD."""
    git = _gitpython()
    repo = None
    try:
        repo = git.Repo(root, search_parent_directories=True)
        head = repo.head.commit
        base = repo.commit(rev)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UserError(_("{path} is not in a Git repository.").format(path=root)) from None
    except (git.BadName, ValueError, git.GitCommandError):
        shallow = repo is not None and bool(_text(Path(repo.git_dir) / "shallow").strip())
        raise UserError(
            _("Unknown revision: {rev}.").format(rev=rev),
            _(
                "this clone is shallow (made with --depth) and may lack it: « git fetch "
                "--unshallow » brings the history (in CI: fetch-depth: 0)"
            )
            if shallow
            else _("give a commit, a tag or a branch, e.g. HEAD~3 or origin/main"),
        ) from None
    top = Path(repo.working_tree_dir or root).resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"

    def blob(commit: Any, rel: str) -> bytes | None:
        try:
            data: bytes = (commit.tree / (prefix + rel)).data_stream.read()
        except KeyError:
            return None
        return data

    def text(data: bytes | None) -> str | None:
        return data.decode("utf-8", "replace") if data is not None else None

    changes = []
    for diff in base.diff(head, paths=[prefix + folder]):
        rel = (diff.b_path or diff.a_path or "")[len(prefix) :]
        changes.append(Change(rel, text(blob(base, rel)), text(blob(head, rel))))
    return changes, lambda rel: blob(head, rel)


def source(root: Path) -> tuple[str | None, bool | None]:
    """The commit checked out at *root* and whether the cohort's files have uncommitted
    changes; (None, None) outside Git or before the first commit."""
    try:
        import git

        repo = git.Repo(root, search_parent_directories=True)
        commit = repo.head.commit.hexsha
        top = Path(repo.working_tree_dir or root)
        rel = root.resolve().relative_to(top.resolve()).as_posix()
        dirty = repo.is_dirty(untracked_files=True, path=None if rel == "." else rel)
    except Exception:  # not a repository, or no commit yet: said as unknown
        return None, None
    return str(commit), bool(dirty)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""
