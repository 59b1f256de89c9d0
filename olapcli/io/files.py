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
import threading
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


def atomic_write_bytes(
    path: Path, data: bytes, durable: bool = True, private: bool = False
) -> None:
    """Write *data* to *path* atomically (temporary file, fsync, rename). Without
    *durable* (caches, which can be rebuilt), the data is not forced to the disk. A
    *private* file (an e-mail: personal data, maybe a personal link) is readable by its
    owner only, whatever its mode was.

    A write the system refuses (disk full, file-size limit, quota, read-only disk, no
    right) leaves *path* as it was and no temporary file: it is refused with a
    :class:`WriteRefused` naming the file and the reason, in words."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if private:
            os.chmod(tmp, 0o600)
        elif path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise write_refused(path, exc) from None
        raise
    if not durable:
        return
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class WriteRefused(UserError):
    """The system refused to write a file (see :func:`write_refused`)."""

    def __init__(self, message: str, hint: str | None, reason: str) -> None:
        super().__init__(message, hint)
        #: the system's reason, in words (« disk full »…)
        self.reason = reason


def reason(exc: OSError) -> str:
    """What the system said, in words (French first): « disk full », « file size limit
    reached »…, or its own words for a rarer error."""
    words = {
        errno.ENOSPC: _("disk full"),
        errno.EDQUOT: _("disk quota exceeded"),
        errno.EFBIG: _("file size limit reached"),
        errno.EROFS: _("read-only disk"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EEXIST: _("a part of the path is a file, not a folder"),
        errno.ENOTDIR: _("a part of the path is a file, not a folder"),
        errno.EISDIR: _("it is a folder"),
        errno.EIO: _("input/output error (a failing disk or a lost network share?)"),
    }
    return words.get(exc.errno or 0) or exc.strerror or str(exc)


def remedy(exc: OSError) -> str | None:
    """What the user can do about *exc*, when olap knows."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("free some space on the disk, then try again")
    if exc.errno == errno.EFBIG:
        return _(
            "a limit of this system (ulimit -f) forbids so big a file: raise it, then try again"
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _("write somewhere you are allowed to, or ask for the rights on that folder")
    return None


def write_refused(path: Path, exc: OSError) -> WriteRefused:
    """The refusal of a write to *path* the system failed with *exc*."""
    return WriteRefused(
        _("Cannot write {path}: {reason} (the file is as it was).").format(
            path=path, reason=reason(exc)
        ),
        remedy(exc),
        reason(exc),
    )


def lock_path(root: Path) -> Path:
    """Where the repo lock lives: inside ``.git`` when there is one."""
    git = root / ".git"
    return git / "olap.lock" if git.is_dir() else root / ".olap.lock"


#: the locks this thread holds: taking one again (a write of olap serve's write queue,
#: already under the lock) goes on at once — a second ``flock`` would wait for itself
_held = threading.local()


@contextlib.contextmanager
def file_lock(path: Path, timeout: float | None, busy: UserError | None = None) -> Iterator[None]:
    """Hold an exclusive ``flock`` on *path* (created if absent): wait up to *timeout*
    seconds (None: as long as it takes; 0: not at all), then raise *busy*. Reentrant in
    one thread; other threads and processes wait."""
    held: set[str] = _held.__dict__.setdefault("paths", set())
    key = os.path.abspath(path)
    if key in held:
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # a read-only disk, no right on the folder…
        raise UserError(
            _("Cannot take the lock {path}: {reason}; nothing was written.").format(
                path=path, reason=reason(exc)
            ),
            remedy(exc),
        ) from None
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
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
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


def empty_or_absent(folder: Path) -> bool:
    """Can a new cohort be created in *folder*: absent, or an empty folder?"""
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def remove_tree(folder: Path) -> None:
    """Remove *folder* and everything in it (undoing a creation that failed)."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def building(directory: Path) -> Iterator[Path]:
    """Where to build *directory* so that nothing half-built is ever left there.

    Absent: a fresh folder beside it, renamed to *directory* when the block ends well,
    removed (with any parent folder made for it) when it fails. An empty folder already
    there (maybe a mount point, or a share whose parent olap cannot write): built in
    place, and emptied again when the block fails."""
    import shutil

    if directory.is_dir():
        try:
            yield directory
        except BaseException:
            for child in list(directory.iterdir()):
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
            raise
        return
    made = next((d for d in reversed([directory, *directory.parents]) if not d.exists()), None)
    work: Path | None = None
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        work = Path(
            tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".new", dir=directory.parent)
        )
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(work, 0o777 & ~mask)
        yield work
        os.rename(work, directory)
    except BaseException:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        if made is not None and made != directory:
            shutil.rmtree(made, ignore_errors=True)
        raise


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


def write_stdout(data: bytes) -> None:
    """Write *data* to standard output as bytes, whole."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def discard_stdout() -> None:
    """Send what remains of standard output nowhere (its reader went away), so that
    Python's last flush at exit does not fail in turn."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
