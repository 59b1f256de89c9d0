"""Files without YAML: UTF-8 reads, atomic writes, the repo lock.

Kept apart from :mod:`olapcli.io.yamlwrite` so the fast write path of
``olap need add`` does not import ruamel.yaml.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from olapcli.errors import Problem, ProblemsError, UserError
from olapcli.i18n import _

LOCK_TIMEOUT = 60.0


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of *raw*, or the problem saying where it is not UTF-8."""
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        begin = raw.rfind(b"\n", 0, exc.start) + 1
        col = exc.start - begin + 1
        end = raw.find(b"\n", exc.start)
        source = raw[begin : end if end >= 0 else len(raw)].decode("utf-8", "replace")
        return None, [
            Problem(
                rel,
                line,
                col,
                "error",
                "encoding",
                _("the file is not UTF-8 (byte 0x{byte:02x})").format(byte=raw[exc.start]),
                _("re-save the file as UTF-8 in your editor"),
                source=source,
            )
        ]


def read_text(path: Path, rel: str) -> str:
    """File text as UTF-8, or a refusal naming where the bad byte is."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(_("File not found: {path}").format(path=rel)) from None
    text, problems = decode(raw, rel)
    if text is None:
        raise ProblemsError(_("Cannot read {path}").format(path=rel), problems)
    return text


def atomic_write(path: Path, text: str) -> None:
    """Write *text* to *path* so that readers see the old or the new file, never half."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write *data* to *path* atomically (temporary file, fsync, rename). Without
    *durable* (caches, which can be rebuilt), the data is not forced to the disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if not durable:
        return
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def lock_path(root: Path) -> Path:
    """Where the repo lock lives: inside ``.git`` when there is one."""
    git = root / ".git"
    return git / "olap.lock" if git.is_dir() else root / ".olap.lock"


@contextlib.contextmanager
def file_lock(path: Path, timeout: float | None, busy: UserError | None = None) -> Iterator[None]:
    """Hold an exclusive ``flock`` on *path* (created if absent): wait up to *timeout*
    seconds (None: as long as it takes; 0: not at all), then raise *busy*."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        assert busy is not None, "a lock with a timeout says why it is busy"
                        raise busy from None
                    time.sleep(0.01)
        yield
    finally:
        os.close(fd)


def repo_lock(root: Path, timeout: float = LOCK_TIMEOUT) -> contextlib.AbstractContextManager[None]:
    """Hold the cohort's write lock (blocking, with a timeout)."""
    return file_lock(
        lock_path(root),
        timeout,
        UserError(
            _("Another olap command is writing in this cohort."),
            _("wait for it to finish, then try again"),
        ),
    )


# --- small operations the use-cases ask for (so that no module above io/ touches the disk)


def read_bytes(path: Path) -> bytes | None:
    """The bytes of *path*, or None when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def read_json(path: Path) -> Any:
    """The JSON data of *path*, or None when it is absent or not JSON."""
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def exists(path: Path) -> bool:
    """Is there a file or a folder at *path*?"""
    return path.exists()


def is_file(path: Path) -> bool:
    """Is *path* a regular file?"""
    return path.is_file()


def remove(path: Path) -> None:
    """Remove the file *path* if it is there."""
    path.unlink(missing_ok=True)


def write_if_changed(path: Path, data: bytes, durable: bool = True) -> bool:
    """Write *data* to *path* atomically unless it already holds exactly that; True when
    written. Without *durable* (output made again by the next run), not forced to disk."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write_bytes(path, data, durable)
    return True


def inside(folder: Path, rel: str) -> Path | None:
    """Where *rel* is under *folder*, when it stays there: a relative path with forward
    slashes, no ``.``/``..`` part, and no symbolic link on the way (the folder itself is
    taken resolved). None otherwise: what a file olap reads back (a manifest committed by
    anyone) names is never allowed to lead outside the folder olap writes in."""
    parts = rel.split("/")
    if (
        not rel
        or "\\" in rel
        or "\0" in rel
        or any(part in ("", ".", "..") for part in parts)
        or Path(rel).is_absolute()
    ):
        return None
    try:
        base = folder.resolve()
        target = base.joinpath(*parts)
        # every folder on the way is a real folder, not a link: resolved, it is itself
        if target.parent.resolve() != target.parent:
            return None
    except (OSError, RuntimeError, ValueError):
        return None
    return target


class Confined:
    """A folder olap writes in, and nothing outside it: every name given is checked with
    :func:`inside` (each folder on the way resolved once: a site has tens of thousands of
    pages in a few folders)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._base = folder.resolve()
        self._parents: dict[Path, bool] = {}

    def path(self, rel: str) -> Path | None:
        """Where *rel* is in the folder, or None when it leads outside."""
        parts = rel.split("/")
        if len(parts) < 2 or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
            return inside(self.folder, rel)
        parent = self._base.joinpath(*parts[:-1])
        if parent not in self._parents:
            self._parents[parent] = inside(self.folder, rel) is not None
        return parent / parts[-1] if self._parents[parent] else None

    def outside(self, rels: list[str]) -> list[str]:
        """Those of *rels* that lead outside the folder."""
        return [rel for rel in rels if self.path(rel) is None]

    def write(self, rel: str, data: bytes, durable: bool = True) -> bool:
        """:func:`write_if_changed` for *rel*; refused when it leads outside."""
        path = self.path(rel)
        if path is None:
            raise UserError(
                _(
                    "« {path} » leads outside the folder {folder}; olap writes only inside it."
                ).format(path=rel, folder=self.folder),
                _("remove the symbolic link or the odd name from the folder, then try again"),
            )
        return write_if_changed(path, data, durable)

    def remove(self, rel: str) -> bool:
        """Remove the file (or link: never what it points at) *rel*; False, and nothing
        touched, when it leads outside the folder or is a folder."""
        path = self.path(rel)
        if path is None:
            return False
        try:
            path.unlink()
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return True


def read_regular(root: Path, rel: str) -> bytes | None:
    """The bytes of the regular file *rel* under *root*, reached without following any
    symbolic link (on the way or at the end); None otherwise."""
    path = inside(root, rel)
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def empty_or_absent(folder: Path) -> bool:
    """Can a new cohort be created in *folder*: absent, or an empty folder?"""
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def remove_tree(folder: Path) -> None:
    """Remove *folder* and everything in it (undoing a creation that failed)."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def file_digest(path: Path) -> bytes:
    """SHA-256 of a file's bytes (to tell whether two files are the same)."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).digest()


def place(folder: Path, name: str, data: bytes) -> tuple[Path, bool]:
    """Where a file named *name* holding *data* goes in *folder* (``name``, ``name-2``…
    when the name is taken by another file), and whether the same file is already there."""
    import hashlib

    digest = hashlib.sha256(data).digest()
    candidate = folder / name
    n = 2
    while candidate.exists():
        if file_digest(candidate) == digest:
            return candidate, True
        stem, dot, ext = name.rpartition(".")
        candidate = folder / (f"{stem}-{n}.{ext}" if dot else f"{name}-{n}")
        n += 1
    return candidate, False


def discard_stdout() -> None:
    """Send what remains of standard output nowhere (its reader went away), so that
    Python's last flush at exit does not fail in turn."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
