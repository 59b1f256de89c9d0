"""``olap sync`` where Git cannot share: said in French, with what to do, exit 2, and the
repository as it was (real repositories, a real bare origin)."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from tests.conftest import run_git


def state(repo: Path) -> tuple[bytes, str, str]:
    """The clone's Git config, HEAD and branches: what sync could have changed."""
    return (
        (repo / ".git" / "config").read_bytes(),
        run_git(repo, "rev-parse", "HEAD").stdout,
        run_git(repo, "branch", "-avv").stdout,
    )


@pytest.fixture
def shared(olap, cohort_repo, tmp_path):
    """A bare origin and a clone of it, set up, with one commit not yet shared."""
    origin = tmp_path / "origin.git"
    run_git(tmp_path, "clone", "-q", "--bare", str(cohort_repo), str(origin))
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert olap("-C", clone, "setup").code == 0
    run_git(clone, "add", ".gitattributes")
    run_git(clone, "commit", "-qm", "olap setup")
    return origin, clone


def test_without_a_remote(cohort_repo, refused):
    before = state(cohort_repo)
    out = " ".join(refused(cohort_repo, "-C", cohort_repo, "sync").output.split())
    assert "n'a pas de dépôt distant" in out
    assert "git remote add origin" in out and "git push -u origin main" in out
    assert state(cohort_repo) == before


def test_without_an_upstream(cohort_repo, tmp_path, refused):
    run_git(tmp_path, "init", "-q", "--bare", str(tmp_path / "origin.git"))
    run_git(cohort_repo, "remote", "add", "origin", str(tmp_path / "origin.git"))
    before = state(cohort_repo)
    out = " ".join(refused(cohort_repo, "-C", cohort_repo, "sync").output.split())
    assert "La branche « main » ne suit aucune branche de origin" in out
    assert "git push -u origin main" in out
    assert state(cohort_repo) == before


def test_on_a_detached_head(shared, refused):
    _origin, clone = shared
    run_git(clone, "checkout", "-q", "--detach")
    before = state(clone)
    out = " ".join(refused(clone, "-C", clone, "sync").output.split())
    assert "HEAD détaché" in out and "git switch" in out
    assert state(clone) == before


def test_an_unreachable_origin(shared, tmp_path, refused):
    origin, clone = shared
    shutil.move(origin, tmp_path / "moved.git")
    before = state(clone)
    out = " ".join(refused(clone, "-C", clone, "sync").output.split())
    assert "Le dépôt partagé est injoignable" in out and "git remote -v" in out
    assert "fatal" not in out and "does not appear" not in out  # Git's English stays out
    assert state(clone) == before


def test_a_push_the_origin_refuses(olap, shared):
    origin, clone = shared
    hook = origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'branche protégée' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    head = run_git(clone, "rev-parse", "HEAD").stdout
    result = olap("-C", clone, "sync")
    assert result.code == 2, result.output
    out = " ".join(result.output.split())
    assert "Le dépôt partagé a refusé le push" in out and "Traceback" not in out
    assert "[remote rejected]" not in out
    assert run_git(clone, "rev-parse", "HEAD").stdout == head  # the commit is kept
    assert run_git(origin, "log", "--oneline").stdout.count("\n") == 1  # not pushed


def test_a_push_behind_the_origin_is_said():
    # the remote gains a commit between sync's pull and its push only in a race: what
    # Git says then, given to the wording directly
    from olapcli.app.setup import shared_failure

    failure = shared_failure(
        " ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs",
        pushing=True,
    )
    assert "Quelqu'un a partagé des commits entre-temps" in failure.message
    assert "relancez olap sync" in (failure.hint or "")


def test_setup_where_git_cannot_write_its_config(cohort_repo, refused):
    (cohort_repo / ".git" / "config.lock").write_text("", encoding="utf-8")  # another Git
    before = state(cohort_repo)
    out = " ".join(refused(cohort_repo, "-C", cohort_repo, "setup").output.split())
    assert "Git a refusé d'enregistrer le pilote de fusion" in out
    assert ".git/config.lock" in out and "puis olap setup" in out
    assert not (cohort_repo / ".gitattributes").exists() and state(cohort_repo) == before
