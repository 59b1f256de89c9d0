"""``olap serve``'s write queue: the writes of many people at once, one after the other
under the repo lock, their commits grouped.

Each web write (a need signalled, confirmed, a step, an evaluation) is a job handed to
:func:`write`. The first thread to arrive leads a turn: it takes the repo lock once,
runs every job waiting at that moment in order of arrival, then makes their commits —
one per job, each signed by its author — in one go (:mod:`olapcli.io.gitbatch`), and
wakes the others with their results; a thread that arrives during a turn waits for the
next. Where Git must run commit hooks or sign, each job commits as the command line
does. The command line's writes take the same lock, so a web post and an ``olap need
add`` both land.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class _Job:
    run: Callable[[], Any]
    result: Any = None
    error: BaseException | None = None
    done: bool = False

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


class _Queue:
    """The writes waiting in one cohort."""

    def __init__(self, root: Path) -> None:
        self.root = root
        #: the work tree holding the cohort (asked once: a server does not move)
        self.top: Path | None = None
        self.cond = threading.Condition()
        self.waiting: list[_Job] = []
        self.leading = False

    def submit(self, run: Callable[[], T]) -> T:
        job = _Job(run)
        with self.cond:
            self.waiting.append(job)
            while self.leading and not job.done:
                self.cond.wait()
            if job.done:
                return job.outcome()  # type: ignore[no-any-return]
            self.leading = True
            jobs, self.waiting = self.waiting, []
        try:
            if self.top is None:
                from olapcli.io import git

                self.top = git.toplevel(self.root)
            _turn(self.root, self.top, jobs)
        finally:
            with self.cond:
                for left in jobs:
                    if not left.done:  # interrupted (KeyboardInterrupt…): nobody waits forever
                        left.error = left.error or RuntimeError("write interrupted")
                        left.done = True
                self.leading = False
                self.cond.notify_all()
        return job.outcome()  # type: ignore[no-any-return]


def _turn(root: Path, top: Path | None, jobs: list[_Job]) -> None:
    """Run *jobs* under the repo lock, their commits grouped when there are several."""
    from olapcli.errors import UserError
    from olapcli.io import files, gitbatch
    from olapcli.io.memo import LEARNERS

    try:
        with files.repo_lock(root):
            batch = None
            head = gitbatch.possible(top) if top is not None else None
            if top is not None and head is not None:
                batch = gitbatch.Batch(top.resolve(), root.resolve(), head)
            pending: list[_Job] = []
            for job in jobs:
                try:
                    if batch is None:
                        job.result = job.run()
                    else:
                        with gitbatch.collecting(batch):
                            job.result = job.run()
                        pending.append(job)
                except Exception as exc:  # this job's refusal; the others go on
                    job.error = exc
                    job.done = True
            if batch is not None:
                try:
                    batch.flush()
                except Exception as exc:
                    for job in pending:
                        job.error, job.result = exc, None
            LEARNERS.written()  # the peers' hint reads the files again
            for job in jobs:
                job.done = True
    except UserError as exc:  # the lock not obtained: nothing ran
        for job in jobs:
            if not job.done:
                job.error, job.done = exc, True


_queues: dict[Path, _Queue] = {}
_made = threading.Lock()


def write(root: Path, run: Callable[[], T]) -> T:
    """Run the write *run* in the cohort *root*'s queue; its result, or its refusal."""
    key = root.resolve()
    with _made:
        queue = _queues.setdefault(key, _Queue(key))
    return queue.submit(run)
