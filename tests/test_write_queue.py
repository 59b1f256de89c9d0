"""olap serve's write queue (app/writes.py) and its group commit (io/gitbatch.py): the
writes waiting together make one commit each — signed by their author — in one go; a
commit hook, a failure, the command line's own writes are handled as they must be."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from olapcli.app import writes
from olapcli.app.needs import NeedInput, add_need
from olapcli.errors import UserError
from olapcli.io import files
from olapcli.io import yamlread as yamlfast
from tests.conftest import git, snapshot

VIA = "via olap serve"


def need(detail: str) -> NeedInput:
    return NeedInput(
        activity="6.3",
        marked_by=["entreprise"],
        identified=dt.date(2026, 11, 20),
        due=dt.date(2026, 11, 24),
        detail=detail,
        practice="qualite",
    )


def job(root: Path, learner: str, detail: str, who: str) -> writes._Job:
    author = f"{who} <{who.lower().replace(' ', '.')}@entreprise.example>"
    return writes._Job(
        lambda: add_need(root, learner, need(detail), True, False, author=author, via=VIA)
    )


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def details(root: Path, learner: str, rev: str | None = None) -> list[str]:
    rel = f"learners/{learner}.yaml"
    text = git(root, "show", f"{rev}:{rel}") if rev else (root / rel).read_text()
    return [str(n["detail"]) for n in yamlfast.load(text).get("needs") or []]


def test_a_turn_makes_one_commit_per_write_in_one_go(cohort_repo: Path, olap) -> None:
    root = cohort_repo
    git(root, "config", "core.autocrlf", "true")  # the index kept clean all the same
    start = head(root)
    seen: list[str] = []
    jobs = [
        job(root, "lea-martin", "Commande de 40 tartes", "Paul Tuteur"),
        writes._Job(lambda: seen.append(head(root))),  # during the turn: nothing committed yet
        job(root, "hugo-lefevre", "Buffet de 60 couverts", "Anne Tutrice"),
        job(root, "lea-martin", "Pièce montée du samedi", "Paul Tuteur"),
    ]
    writes._turn(root, root, jobs)
    assert [j.error for j in jobs] == [None] * 4
    assert seen == [start]  # the commits were grouped, not made one by one
    log = git(root, "log", "--reverse", "--format=%H|%an|%ae|%cn|%s", f"{start}..HEAD")
    rows = [line.split("|") for line in log.splitlines()]
    assert [(r[1], r[2]) for r in rows] == [
        ("Paul Tuteur", "paul.tuteur@entreprise.example"),
        ("Anne Tutrice", "anne.tutrice@entreprise.example"),
        ("Paul Tuteur", "paul.tuteur@entreprise.example"),
    ]
    assert all(r[3] == "Formatrice Test" for r in rows)  # the machine commits, as for the CLI
    assert all(r[4].endswith(f"({VIA})") for r in rows)
    assert "lea-martin" in rows[0][4] and "hugo-lefevre" in rows[1][4]
    for sha, rel in zip(
        [r[0] for r in rows],
        ["learners/lea-martin.yaml", "learners/hugo-lefevre.yaml", "learners/lea-martin.yaml"],
        strict=True,
    ):
        assert git(root, "show", "--format=", "--name-only", sha).split() == [rel]
    # each commit holds the file as its own write left it
    first = details(root, "lea-martin", rows[0][0])
    assert "Commande de 40 tartes" in first and "Pièce montée du samedi" not in first
    assert "Pièce montée du samedi" in details(root, "lea-martin", rows[2][0])
    assert git(root, "status", "--porcelain") == ""
    assert olap("-C", str(root), "validate").code == 0


def test_a_write_alone_is_one_commit_signed_by_its_author(cohort_repo: Path) -> None:
    root = cohort_repo
    start = head(root)
    done = writes.write(
        root, lambda: add_need(root, "lea-martin", need("Seul"), True, False, author="A B <a@b.c>")
    )
    assert done.need.detail == "Seul"
    assert git(root, "log", "--format=%an", f"{start}..HEAD").split() == ["A", "B"]
    assert git(root, "status", "--porcelain") == ""


def test_with_a_commit_hook_each_write_commits_alone(cohort_repo: Path) -> None:
    root = cohort_repo
    hook = root / ".git/hooks/post-commit"
    hook.write_text('#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/hook-ran"\n')
    hook.chmod(0o755)
    start = head(root)
    seen: list[str] = []
    jobs = [
        job(root, "lea-martin", "Premier", "Paul Tuteur"),
        writes._Job(lambda: seen.append(head(root))),
        job(root, "hugo-lefevre", "Second", "Anne Tutrice"),
    ]
    writes._turn(root, root, jobs)
    assert [j.error for j in jobs] == [None] * 3
    assert seen != [start]  # committed at once: the hook must run for each commit
    assert (root / ".git/hook-ran").read_text().split() == ["ran", "ran"]
    assert len(git(root, "log", "--format=%H", f"{start}..HEAD").split()) == 2


def test_a_failed_group_puts_the_files_back_and_refuses_each_write(cohort_repo: Path) -> None:
    root = cohort_repo
    before = snapshot(root)
    start = head(root)
    branch = git(root, "symbolic-ref", "HEAD").strip()
    lock = root / ".git" / f"{branch}.lock"  # someone holds the branch: Git cannot move it
    jobs = [
        job(root, "lea-martin", "Perdu un", "Paul Tuteur"),
        job(root, "hugo-lefevre", "Perdu deux", "Anne Tutrice"),
    ]
    lock.write_text("")
    try:
        writes._turn(root, root, jobs)
    finally:
        lock.unlink()
    assert all(isinstance(j.error, UserError) for j in jobs)
    assert "Git" in str(jobs[0].error)
    assert head(root) == start
    assert snapshot(root) == before
    assert git(root, "status", "--porcelain") == ""


def test_a_web_write_and_a_cli_need_add_on_one_learner_both_land(cohort_repo: Path) -> None:
    root = cohort_repo
    start = head(root)
    holding = threading.Event()
    release = threading.Event()

    def slow() -> object:
        done = add_need(root, "lea-martin", need("Depuis le web"), True, False, author="T <t@e.x>")
        holding.set()
        release.wait(30)  # the turn holds the repo lock meanwhile
        return done

    web = threading.Thread(target=lambda: writes.write(root, slow))
    web.start()
    assert holding.wait(30)
    cli = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "olapcli",
            "-C",
            str(root),
            "need",
            "add",
            "lea-martin",
            "--activity",
            "6.3",
            "--by",
            "formateur",
            "--identified",
            "2026-11-20",
            "--due",
            "2026-11-25",
            "--detail",
            "Depuis le terminal",
            "--commit",
        ],
        env={**os.environ, "OLAP_NO_PROMPT": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)
    assert cli.poll() is None  # waiting for the lock the web write holds
    release.set()
    web.join(30)
    _out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, err.decode()
    found = details(root, "lea-martin")
    assert "Depuis le web" in found and "Depuis le terminal" in found
    assert len(git(root, "log", "--format=%H", f"{start}..HEAD").split()) == 2
    assert git(root, "status", "--porcelain") == ""


def test_the_repo_lock_is_reentrant_in_a_thread_and_exclusive_between_threads(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lock"
    order: list[str] = []
    inside = threading.Event()

    def other() -> None:
        inside.wait(10)
        with files.file_lock(path, 10, UserError("busy")):
            order.append("other")

    thread = threading.Thread(target=other)
    thread.start()
    with files.file_lock(path, 1, UserError("busy")):
        with files.file_lock(path, 0, UserError("busy")):  # again, in the same thread
            inside.set()
            time.sleep(0.3)
            order.append("nested")
        order.append("outer")
    thread.join(10)
    assert order == ["nested", "outer", "other"]


@pytest.mark.parametrize("message", ["Un titre  \n\n\n\ncorps\n\n", "Besoin (via olap serve)"])
def test_a_grouped_commit_keeps_the_message_as_git_commit_does(
    cohort_repo: Path, message: str
) -> None:
    from olapcli.io import git as gitio
    from olapcli.io import gitbatch

    root = cohort_repo
    start = head(root)
    found = gitbatch.possible(root.resolve())
    assert found is not None
    batch = gitbatch.Batch(root.resolve(), root.resolve(), found)
    path = root / "learners/lea-martin.yaml"
    path.write_text(path.read_text() + "# note\n")
    with gitbatch.collecting(batch):
        assert gitio.commit(root, [path], message) == ""
    batch.flush()
    plain = root / "learners/hugo-lefevre.yaml"
    plain.write_text(plain.read_text() + "# note\n")
    gitio.commit(root, [plain], message)
    got = git(root, "log", "--format=%B%x00", f"{start}..HEAD").split("\0")
    assert got[0].strip("\n") == got[1].strip("\n")
