"""Work on several cores: worker processes for many files, and a forked child.

**Workers.** Reading YAML is CPU-bound: from :data:`PARALLEL_FROM` files on, they are
read in a pool of processes (forked on Linux), one per core, up to eight.

**A forked child.** ``olap report`` over 10,000 learners has two long pieces of work that need
nothing from the rest: importing scipy.stats (about a second) and writing the
annex (tens of thousands of needs). On Linux with two cores or more, each runs
in a child forked from this process — the child sees the data already loaded,
without copying it — and sends its result back through a pipe. Everywhere
else, and whenever a child fails, the same work runs here instead, so the
result never depends on the fork.

Plain ``os.fork`` and a pipe rather than a process pool: a pool starts a
thread in the parent, and forking a process that has threads is unsafe.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Executor

#: below this many files, one process is faster than starting workers.
PARALLEL_FROM = 400


def usable() -> bool:
    """Can work go to a forked child here?"""
    return sys.platform == "linux" and (os.cpu_count() or 1) >= 2


class Child:
    """``first()`` runs at once in a child; :meth:`ask` then sends it a value, gets
    ``then(value)`` back (without *then*: gets the result of ``first()``).

    Without a child (see :func:`usable`), or when the child fails, :meth:`ask`
    runs ``first()`` and ``then(value)`` in this process."""

    def __init__(self, first: Callable[[], Any], then: Callable[[Any], Any] | None = None) -> None:
        self.first, self.then = first, then
        self.pid = 0
        self.conn: Any = None
        if not usable():
            return
        import multiprocessing

        mine, theirs = multiprocessing.Pipe(duplex=True)
        try:
            pid = os.fork()
        except OSError:
            return
        if pid == 0:  # the child: never returns
            code = 0
            try:
                mine.close()
                result = first()
                if then is not None:
                    result = then(theirs.recv())
                theirs.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            except BaseException:
                code = 1
            finally:
                os._exit(code)  # no atexit, no flush of buffers the parent owns
        theirs.close()
        self.pid, self.conn = pid, mine

    def ask(self, value: Any = None) -> Any:
        """The child's answer, or the same work done here."""
        if self.conn is not None:
            try:
                if self.then is not None:
                    self.conn.send(value)
                return pickle.loads(self.conn.recv_bytes())
            except (EOFError, OSError, pickle.UnpicklingError):
                pass  # the child failed: do the work here
            finally:
                if self.conn is not None:
                    self.conn.close()
                    self.conn = None
                self.close()
        result = self.first()
        return result if self.then is None else self.then(value)

    def close(self) -> None:
        """Let the child go: after :meth:`ask` it has already finished; before, it is
        stopped (the command ended otherwise, e.g. on a refusal)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
            if self.pid:
                import signal

                os.kill(self.pid, signal.SIGKILL)
        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0


def _workers(count: int) -> int:
    if count < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


@contextlib.contextmanager
def pool(
    count: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> Iterator[tuple[int, Executor | None]]:
    """Worker processes for *count* files: (number of workers, executor), or (1, None)
    when one process is faster (few files, or one core)."""
    workers = _workers(count)
    if workers == 1:
        yield 1, None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if sys.platform == "linux" else "spawn"
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=initializer,
        initargs=initargs,
    ) as executor:
        yield workers, executor


def parallel_map(fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """``[fn(item) for item in items]``, in worker processes when there are enough items
    for them to pay (reading YAML is CPU-bound); *fn* must be a module-level function."""
    if len(items) < PARALLEL_FROM:
        return [fn(item) for item in items]
    with pool(len(items)) as (workers, executor):
        if executor is None:
            return [fn(item) for item in items]
        return list(executor.map(fn, items, chunksize=max(20, len(items) // (workers * 8))))


def detached(module: str, args: list[str], env: dict[str, str]) -> bool:
    """Start ``python -m module args`` in a process of its own session, which goes on
    after this one exits (a fresh process, not a fork: a forked copy would make this one
    pay for copying its memory as it exits). False when it could not be started."""
    import subprocess

    try:
        subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, **env},
        )
    except OSError:
        return False
    return True
