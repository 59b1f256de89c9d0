"""Files without YAML: UTF-8 reads, atomic writes, the repo lock.

Kept apart from :mod:`olapcli.io.yamlwrite` so the fast write path of
``olap need add`` does not import ruamel.yaml.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from olapcli.errors import Problem, ProblemsError, UserError
from olapcli.i18n import _

LOCK_TIMEOUT = 60.0


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of *raw*, or the problem saying where it is not UTF-8."""
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                rel,
                line,
                col,
                "error",
                "encoding",
                _("the file is not UTF-8 (byte 0x{byte:02x})").format(byte=raw[exc.start]),
                _("re-save the file as UTF-8 in your editor"),
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
