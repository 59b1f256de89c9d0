"""``olap … | head -1``: a reader that goes away early stops olap cleanly.

Each command runs in a real process whose standard output is a pipe already closed
at the other end, so its first write fails with EPIPE, as behind ``head`` on a long
output. The only allowed outcome: exit 2, a French line on standard error, no
traceback, no file changed; a write command has finished writing before it prints.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git, need_args, snapshot

CLOSED = "la sortie a été fermée avant la fin"


def closed_pipe(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run olap on *root* with its output a closed pipe, from the folder above *root*
    (where a relative ``--out`` lands, out of the snapshot)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "olapcli", "-C", str(root), *args],
            stdout=write,
            stderr=subprocess.PIPE,
            cwd=root.parent,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)


READS = [
    ["validate"],
    ["validate", "--format", "json"],
    ["learner", "list"],
    ["learner", "list", "--format", "json"],
    ["need", "list"],
    ["log", "lea-martin"],
    ["match"],
    ["metrics"],
    ["metrics", "--format", "csv"],
    ["qcm"],
    ["notify", "list"],
    ["report", "--out", "rapport.html"],
    ["report", "--out", "-"],
]


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_read_command_to_a_closed_pipe(cohort_repo, args):
    before = snapshot(cohort_repo)
    done = closed_pipe(cohort_repo, *args)
    assert done.returncode == 2, done.stderr
    assert CLOSED in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert snapshot(cohort_repo) == before


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["need", "--help"], ["validate", "--help"], ["need"]],
    ids=" ".join,
)
def test_help_and_version_to_a_closed_pipe(cohort_repo, args):
    done = closed_pipe(cohort_repo, *args)
    assert done.returncode == 2, done.stderr
    assert CLOSED in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_writing_commands_to_a_closed_pipe(cohort_repo, tmp_path):
    for args in (
        ["render", "--out", str(tmp_path / "site")],
        ["report", "--out", str(tmp_path / "rapport.html")],
        ["setup"],
        ["init", str(tmp_path / "nouvelle")],
    ):
        done = closed_pipe(cohort_repo, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert CLOSED in done.stderr, args
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    # each finished its work before it printed
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "rapport.html").is_file()
    assert (tmp_path / "nouvelle" / "cohort.yaml").is_file()


def test_write_command_finishes_its_work_before_printing(cohort_repo):
    head = git(cohort_repo, "rev-parse", "HEAD")
    done = closed_pipe(cohort_repo, "need", "add", "lea-martin", *need_args(), "--commit")
    assert done.returncode == 2, done.stderr
    assert CLOSED in done.stderr and "Traceback" not in done.stderr
    # the commit is whole: one new commit, the tree clean, the need in it
    assert git(cohort_repo, "rev-parse", "HEAD~1") == head
    assert git(cohort_repo, "status", "--porcelain") == ""
    assert "Crème citron pour 40 parts" in git(cohort_repo, "show", "HEAD:learners/lea-martin.yaml")
    # the e-mail of the event is in the outbox
    pending = list((cohort_repo / "outbox" / "pending").glob("*.eml"))
    assert len(pending) == 1, pending
