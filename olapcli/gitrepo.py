"""The few Git operations olap needs, through GitPython, imported only when used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olapcli.errors import UserError
from olapcli.i18n import _


def _repo(path: Path) -> Any:
    import git

    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UserError(
            _("{path} is not in a Git repository.").format(path=path),
            _("run « git init » there, or leave out --commit"),
        ) from None


def require_repo(path: Path) -> None:
    """Refuse early (before any write) when *path* is not in a Git repository."""
    _repo(path)


def init(path: Path) -> None:
    """``git init`` in *path*."""
    import git

    git.Repo.init(path)


def commit(root: Path, paths: list[Path], message: str) -> str:
    """Commit exactly *paths* (other staged changes stay staged); the new commit id."""
    import git

    repo = _repo(root)
    top = Path(repo.working_tree_dir).resolve()
    rels = [str(p.resolve().relative_to(top)) for p in paths]
    try:
        repo.git.add("--", *rels)
        repo.git.commit("-m", message, "--only", "--", *rels)
    except git.GitCommandError as exc:
        raise UserError(
            _("Git refused the commit: {detail}").format(detail=(exc.stderr or str(exc)).strip()),
            _("check « git config user.name » and « user.email », then try again"),
        ) from None
    return str(repo.head.commit.hexsha)


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
    for c in commits:
        parent = c.parents[0] if c.parents else None
        yield Revision(
            sha=c.hexsha,
            date=c.authored_datetime,
            author=str(c.author.name),
            message=str(c.message).strip(),
            text=blob_text(c),
            parent_text=blob_text(parent) if parent is not None else None,
            other_parent_texts=tuple(blob_text(p) for p in c.parents[1:]),
        )
