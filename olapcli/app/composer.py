"""The outbox composed in a thread of a long-running process (``olap serve``).

A write command starts a detached process to compose the e-mail of its event
(:func:`olapcli.app.notify.in_background`): right for a command that exits at once,
wasteful in a server, where 20 people posting at once started 20 Python interpreters
that fought the server for the CPUs. In the server, one thread composes instead: each
write wakes it, and one pass writes the e-mails of every event waiting (the writes that
came while it worked are composed together in the next pass), once the writes pause
— composing competes with the answers for the CPU. Nothing is lost if the
server stops before: the events stay in the outbox, as with the detached process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: seconds without a write before the e-mails are composed
QUIET = 0.3
#: seconds after a write by which its e-mail is composed, writes or not (a tutor reads
#: it minutes later: ``olap notify send`` runs on a timer, and composes what is missing)
LATEST = 60.0


class Composer:
    """One thread running *work* (composing the outbox of *root*) each time it is woken."""

    def __init__(self, root: Path, work: Callable[[Path], Any]) -> None:
        self.root = root.resolve()
        self.work = work
        self.wanted = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="olap-composer", daemon=True)
        self.thread.start()

    def wake(self) -> None:
        self.wanted.set()

    def _loop(self) -> None:
        while True:
            self.wanted.wait()
            began = time.monotonic()
            self.wanted.clear()
            # while people keep posting, answer them first: compose once the writes
            # pause (QUIET), or at the latest LATEST after the first one
            while time.monotonic() - began < LATEST and self.wanted.wait(QUIET):
                self.wanted.clear()
            try:
                self.work(self.root)
            except Exception:
                pass


_running: dict[Path, Composer] = {}
_guard = threading.Lock()


def start(root: Path, work: Callable[[Path], Any]) -> Composer:
    """From now on, this process (a server) runs *work* (``notify.materialise``) for
    *root* in one thread of its own, not a detached process per write (started once)."""
    with _guard:
        key = root.resolve()
        if key not in _running:
            _running[key] = Composer(key, work)
        return _running[key]


def wake(root: Path) -> bool:
    """Wake the composer of *root* if this process runs one; False when it does not."""
    found = _running.get(root.resolve())
    if found is None:
        return False
    found.wake()
    return True
