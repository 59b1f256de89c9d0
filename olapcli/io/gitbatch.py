"""Group commit: several writes made one after the other under the repo lock become as
many Git commits, made by one ``git fast-import`` instead of one ``git commit`` each.

``olap serve`` takes its writes from many people at once (SPEC §9: twenty tutors
posting together). One ``git commit --only`` costs about 90 ms on a 10,000-learner
repository — most of it reading and writing the index — so the writes waiting for
the lock pile up. Under :func:`collecting`, :func:`olapcli.io.git.commit` only notes
what it would commit (the file's bytes as written, the message, the author); then
:meth:`Batch.flush` makes the same commits, in the same order, each with its own
author and message, in one process, and brings the index up to date once.

Only where a commit has nothing more to do than record: no commit hooks, no
signature, a branch checked out with a commit on it (:func:`possible`); elsewhere the
writes commit one by one as from the command line. If the group fails, every file it
touched is put back as the branch holds it and every write of the group is refused.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: the hooks ``git commit`` runs, which a group commit would skip
COMMIT_HOOKS = ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit")
#: how fast-import runs: its pack kept (not exploded into loose objects), zlib level 1
FAST = ("-c", "fastimport.unpackLimit=0", "-c", "pack.compression=1")


@dataclass
class Entry:
    """One commit to make: the files (relative to the work tree) and their bytes."""

    rels: list[str]
    blobs: list[bytes]
    message: str
    author: str | None


@dataclass
class Batch:
    """The commits noted by the writes of one turn of the write queue."""

    top: Path
    #: the cohort folder the writes name (asked for its work tree by every write)
    root: Path
    #: (commit, branch) of HEAD, from :func:`possible`
    head: tuple[str, str]
    entries: list[Entry] = field(default_factory=list)

    def record(self, rels: list[str], message: str, author: str | None) -> None:
        """Note the commit of *rels* (their bytes as they are now)."""
        blobs = [(self.top / rel).read_bytes() for rel in rels]
        self.entries.append(Entry(rels, blobs, message, author))

    def touched(self) -> list[str]:
        return list(dict.fromkeys(rel for e in self.entries for rel in e.rels))

    def flush(self) -> None:
        """Make the noted commits on the branch; on failure, put the files back as the
        branch holds them and raise the refusal."""
        if not self.entries:
            return
        from olapcli.io import git

        entries, self.entries = self.entries, []
        try:
            stream = self._stream(entries)
            # one pack kept as written, lightly compressed: unpacking it into loose objects
            # or compressing hard costs more than the commits themselves on a big tree
            done = git.run_bytes(self.top, *FAST, "fast-import", "--quiet", "--done", data=stream)
            if done.returncode != 0:
                raise git.refused(done)
            paths = list(dict.fromkeys(rel for e in entries for rel in e.rels))
            git.run(self.top, "update-index", "-q", "--add", "--", *paths)
            _tidy(self.top)
        except BaseException:
            self._restore(list(dict.fromkeys(rel for e in entries for rel in e.rels)))
            raise

    def _stream(self, entries: list[Entry]) -> bytes:

        # HEAD as the turn found it under the lock: should anyone have moved the branch
        # since, fast-import refuses (not a fast-forward) and the group is refused
        parent, branch = self.head
        committer = _ident(self.top, "GIT_COMMITTER_IDENT")
        machine = committer  # the date of each commit; the machine's author when none given
        if "GIT_AUTHOR_DATE" in os.environ or not all(e.author for e in entries):
            machine = _ident(self.top, "GIT_AUTHOR_IDENT")
        when = " ".join(machine.rsplit(" ", 2)[1:])
        blobs = self._blobs(entries)
        modes = _modes(self.top, [rel for e in entries for rel in e.rels])
        out: list[bytes] = []
        for i, entry in enumerate(entries):
            author = f"{_one_line(entry.author)} {when}" if entry.author else machine
            message = _cleaned(entry.message).encode()
            out += [
                f"commit {branch}\n".encode(),
                f"author {author}\n".encode(),
                f"committer {committer}\n".encode(),
                f"data {len(message)}\n".encode(),
                message,
                b"\n",
            ]
            if i == 0:
                out.append(f"from {parent}\n".encode())
            for rel, blob in zip(entry.rels, blobs[i], strict=True):
                out.append(f"M {modes.get(rel, '100644')} {blob} {_quoted(rel)}\n".encode())
            out.append(b"\n")
        out.append(b"done\n")
        return b"".join(out)

    def _blobs(self, entries: list[Entry]) -> list[list[str]]:
        """The id of each noted file version, stored by Git as ``git add`` stores it
        (the path's attributes applied: line endings, filters): one process for the
        versions still on disk, one each for a version a later write replaced."""
        from olapcli.io import git

        on_disk: dict[str, bytes] = {}
        for rel in dict.fromkeys(rel for e in entries for rel in e.rels):
            with contextlib.suppress(OSError):
                on_disk[rel] = (self.top / rel).read_bytes()
        latest = [
            rel
            for rel in dict.fromkeys(r for e in entries for r in e.rels)
            if "\n" not in rel and rel in on_disk
        ]
        ids: dict[tuple[str, bytes], str] = {}
        if latest:
            listed = "".join(f"{rel}\n" for rel in latest).encode()
            done = git.run_bytes(self.top, "hash-object", "-w", "--stdin-paths", data=listed)
            if done.returncode != 0:
                raise git.refused(done)
            for rel, blob in zip(latest, done.stdout.decode().split(), strict=True):
                ids[rel, on_disk[rel]] = blob
        found: list[list[str]] = []
        for entry in entries:
            row = []
            for rel, data in zip(entry.rels, entry.blobs, strict=True):
                if (rel, data) not in ids:
                    done = git.run_bytes(
                        self.top, "hash-object", "-w", "--stdin", f"--path={rel}", data=data
                    )
                    if done.returncode != 0:
                        raise git.refused(done)
                    ids[rel, data] = done.stdout.decode().strip()
                row.append(ids[rel, data])
            found.append(row)
        return found

    def _restore(self, rels: list[str]) -> None:
        from olapcli.io import git

        listed = git.run(self.top, "ls-tree", "-z", "--name-only", "HEAD", "--", *rels)
        known = {p for p in listed.stdout.split("\0") if p}
        if known:
            git.run(self.top, "checkout", "HEAD", "--", *sorted(known))
        for rel in rels:
            if rel not in known:
                with contextlib.suppress(OSError):
                    os.remove(self.top / rel)
                git.run(self.top, "rm", "-q", "--cached", "--ignore-unmatch", "--", rel)


@contextlib.contextmanager
def collecting(batch: Batch) -> Iterator[Batch]:
    """While in this block, the commits this thread makes in the batch's work tree are
    noted in *batch*; the caller flushes it."""
    from olapcli.io import git

    with git.grouped(batch.root, batch.top, batch.record):
        yield batch


def possible(top: Path) -> tuple[str, str] | None:
    """(commit, branch) of HEAD when the commits in *top* may be grouped; None when Git
    would run a commit hook or sign, or without a branch with a commit on it."""
    from olapcli.io import git

    head = git.run(top, "rev-parse", "--git-path", "hooks", "HEAD", "--symbolic-full-name", "HEAD")
    lines = head.stdout.split("\n")
    if head.returncode != 0 or len(lines) < 3 or not lines[2].startswith("refs/heads/"):
        return None
    hooks = Path(lines[0]) if os.path.isabs(lines[0]) else top / lines[0]
    if any(os.access(hooks / name, os.X_OK) for name in COMMIT_HOOKS):
        return None
    sign = git.run(top, "config", "--type=bool", "--get", "commit.gpgsign").stdout.strip()
    return None if sign == "true" else (lines[1], lines[2])


#: turns since the last ``git gc --auto`` (one pack per turn; Git repacks past 50)
_turns = {"since": 0}


def _tidy(top: Path) -> None:
    """Every 20 turns, ``git gc --auto`` as ``git commit`` runs it (in the background
    when there is work): the packs each turn leaves are kept few."""
    from olapcli.io import git

    _turns["since"] += 1
    if _turns["since"] >= 20:
        _turns["since"] = 0
        git.run(top, "gc", "--auto", "--quiet")


def _ident(top: Path, var: str) -> str:
    from olapcli.io import git

    done = git.run(top, "var", var)
    if done.returncode != 0:
        raise git.refused(done)
    return done.stdout.strip()


def _modes(top: Path, rels: list[str]) -> dict[str, str]:
    """The mode of each tracked file of *rels* in the index (an executable stays so)."""
    from olapcli.io import git

    done = git.run(top, "ls-files", "-s", "-z", "--", *dict.fromkeys(rels))
    modes = {}
    for line in done.stdout.split("\0"):
        if "\t" in line:
            info, rel = line.split("\t", 1)
            modes[rel] = info.split()[0]
    return modes


def _cleaned(message: str) -> str:
    """The message as ``git commit -m`` keeps it: spaces at line ends and blank lines at
    both ends dropped, runs of blank lines made one."""
    lines = [line.rstrip() for line in message.splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n"


def _quoted(rel: str) -> str:
    """A path as fast-import reads it: C-quoted when it holds a quote, a backslash, a
    control character or a leading space."""
    if not any(c in rel for c in '"\\\n') and not rel.startswith((" ", '"')):
        return rel
    escaped = rel.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _one_line(author: str) -> str:
    """« Name <e-mail> » on one line: a line break would end fast-import's command."""
    return " ".join(author.split())
