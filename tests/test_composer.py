"""olap serve composes the e-mails in one thread, once the writes pause (or at the
latest a few seconds after the first): answering people comes first."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from olapcli.app import composer


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    monkeypatch.setattr(composer, "QUIET", 0.2)
    monkeypatch.setattr(composer, "LATEST", 0.8)
    return []


def make(tmp_path: Path, calls: list[float]) -> tuple[composer.Composer, threading.Event]:
    done = threading.Event()

    def work(_root: Path) -> None:
        calls.append(time.monotonic())
        done.set()

    return composer.Composer(tmp_path, work), done


def test_a_burst_of_writes_is_composed_once_after_it(tmp_path: Path, calls: list[float]) -> None:
    found, done = make(tmp_path, calls)
    for _ in range(5):
        found.wake()
        time.sleep(0.05)
    last = time.monotonic()
    assert done.wait(5)
    time.sleep(0.4)
    assert len(calls) == 1
    assert calls[0] >= last + 0.1  # not while the writes came
    done.clear()
    found.wake()  # a later write: composed again
    assert done.wait(5)
    assert len(calls) == 2


def test_writes_that_never_pause_are_composed_all_the_same(
    tmp_path: Path, calls: list[float]
) -> None:
    found, _done = make(tmp_path, calls)
    start = time.monotonic()
    while time.monotonic() - start < 2.0:
        found.wake()
        time.sleep(0.05)
    assert len(calls) >= 2  # every LATEST seconds at most
