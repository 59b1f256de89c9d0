"""Whatever happens around olap, no traceback: a full disk or a file-size limit, no
``git`` on the PATH, a shallow clone, ``olap init`` failing half-way, a commit refused
by a hook, a CRLF learner file, a closed standard output.

Each case runs the real ``olap`` in a real process under the real condition (a
resource limit, a PATH, a hook). The only allowed outcome of a refusal: exit 2, a
French message on standard error, every file byte-identical, nothing staged in Git.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, git, make_repo, need_args, run_git, snapshot

FULL_OR_LIMIT = ("limite de taille de fichier", "disque plein")


def run_olap(
    *args: str | Path,
    cwd: Path | None = None,
    fsize: int | None = None,
    path: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """The installed olap in its own process: under a file-size limit of *fsize* bytes
    (SIGXFSZ ignored, so that a write past it fails with EFBIG), with *path* as PATH."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if path is not None:
        env["PATH"] = path

    def limit() -> None:
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "olapcli", *map(str, args)],
        cwd=cwd,
        env=env,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=180,
    )


def assert_refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "Erreur" in done.stderr, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def nothing_staged(repo: Path) -> None:
    assert git(repo, "diff", "--cached", "--name-only") == ""
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.tmp") if ".git" not in p.parts]


# --- a full disk, a file-size limit -------------------------------------------------


def test_need_add_under_a_file_size_limit_leaves_the_file_whole(cohort_repo):
    learner = cohort_repo / "learners" / "lea-martin.yaml"
    before = snapshot(cohort_repo)
    done = run_olap(
        "-C", cohort_repo, "need", "add", "lea-martin", *need_args(), fsize=learner.stat().st_size
    )
    assert_refused(done, "learners/lea-martin.yaml")
    assert any(word in done.stderr for word in FULL_OR_LIMIT), done.stderr
    assert snapshot(cohort_repo) == before
    assert temp_files(cohort_repo) == []
    nothing_staged(cohort_repo)


def test_need_add_commit_under_a_file_size_limit(cohort_repo):
    learner = cohort_repo / "learners" / "lea-martin.yaml"
    head = git(cohort_repo, "rev-parse", "HEAD")
    before = snapshot(cohort_repo)
    done = run_olap(
        "-C",
        cohort_repo,
        "need",
        "add",
        "lea-martin",
        *need_args(),
        "--commit",
        fsize=learner.stat().st_size,
    )
    assert_refused(done, "lea-martin.yaml")
    assert snapshot(cohort_repo) == before
    assert git(cohort_repo, "rev-parse", "HEAD") == head
    nothing_staged(cohort_repo)


def test_report_under_a_file_size_limit_writes_no_partial_file(cohort_repo, tmp_path):
    out = tmp_path / "rapport"
    out.mkdir()
    before = snapshot(cohort_repo)
    done = run_olap("-C", cohort_repo, "report", "--out", out / "rapport.html", fsize=20_000)
    assert_refused(done, "rapport.html", "limite de taille de fichier")
    assert list(out.iterdir()) == []
    assert snapshot(cohort_repo) == before
    nothing_staged(cohort_repo)


def test_report_refused_keeps_the_previous_report(cohort_repo, tmp_path):
    (tmp_path / "out").mkdir()
    page = tmp_path / "out" / "rapport.html"
    page.write_text("<p>le rapport d'hier</p>\n", encoding="utf-8")
    done = run_olap("-C", cohort_repo, "report", "--out", page, fsize=20_000)
    assert_refused(done, "rapport.html")
    assert page.read_text(encoding="utf-8") == "<p>le rapport d'hier</p>\n"
    assert sorted(p.name for p in page.parent.iterdir()) == ["rapport.html"]


def test_render_under_a_file_size_limit_writes_only_whole_pages(cohort_repo, tmp_path):
    full = tmp_path / "complet"
    assert run_olap("-C", cohort_repo, "render", "--out", full).returncode == 0
    biggest = max(p.stat().st_size for p in full.rglob("*") if p.is_file())
    limited = tmp_path / "limite"
    before = snapshot(cohort_repo)
    done = run_olap("-C", cohort_repo, "render", "--out", limited, fsize=biggest // 2)
    assert_refused(done, "limite de taille de fichier")
    assert temp_files(limited) == []
    for page in (p for p in limited.rglob("*") if p.is_file()):
        assert page.read_bytes() == (full / page.relative_to(limited)).read_bytes(), page
    assert snapshot(cohort_repo) == before
    nothing_staged(cohort_repo)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 1 MiB (tmpfs), for a disk that fills up or turns read-only;
    skipped where mounting is not allowed (not root, no CAP_SYS_ADMIN)."""
    where = tmp_path / "disque"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(disk: Path) -> None:
    """Fill *disk* up to its last byte."""
    fd = os.open(disk / "remplissage", os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"x" * size):
                    pass
    finally:
        os.close(fd)


def test_need_add_on_a_full_disk(small_disk):
    cohort = small_disk / "cohorte"
    shutil.copytree(SAMPLE, cohort)
    make_repo(cohort)
    fill(small_disk)
    before = snapshot(cohort)
    done = run_olap("-C", cohort, "need", "add", "lea-martin", *need_args(), "--commit")
    assert_refused(done, "learners/lea-martin.yaml", "disque plein", "libérez de la place")
    assert snapshot(cohort) == before
    assert temp_files(cohort) == []
    nothing_staged(cohort)


def test_need_add_on_a_read_only_disk(small_disk):
    cohort = small_disk / "cohorte"
    shutil.copytree(SAMPLE, cohort)
    make_repo(cohort)
    remount = ["mount", "-o", "remount,ro", str(small_disk)]
    assert subprocess.run(remount, capture_output=True).returncode == 0
    before = snapshot(cohort)
    done = run_olap("-C", cohort, "need", "add", "lea-martin", *need_args())
    assert_refused(done, "disque en lecture seule", "rien n'a été écrit")
    assert snapshot(cohort) == before
    # reading still works on a read-only disk (olap's cache lives elsewhere)
    assert run_olap("-C", cohort, "validate").returncode == 0


def test_an_unforeseen_system_error_is_said_in_french(olap, cohort_repo, monkeypatch):
    import errno

    import olapcli.app.site

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/partage/site/index.html")

    monkeypatch.setattr(olapcli.app.site, "render_site", full)
    done = olap("-C", cohort_repo, "render")
    assert done.code == 2, done.output
    assert done.stderr.startswith(
        "Erreur : le système a refusé une opération sur /partage/site/index.html : disque plein."
    ), done.stderr
    assert "libérez de la place" in done.stderr
    assert "Traceback" not in done.output and "inattendue" not in done.output


def test_merge_driver_under_a_file_size_limit_leaves_ours_whole(tmp_path):
    base = (SAMPLE / "learners" / "lea-martin.yaml").read_text(encoding="utf-8")
    ours = base.replace("cubes réguliers de 3 mm.", "cubes réguliers de 3 mm, à la main.")
    theirs = base.replace("la sauce tranche", "la sauce tranche souvent, surtout")
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        paths.append(tmp_path / f"{name}.yaml")
        paths[-1].write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "olapcli.mergedriver", *map(str, paths), "learners/lea-martin.yaml"],
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=lambda: resource.setrlimit(
            resource.RLIMIT_FSIZE, (len(ours.encode()) + 8, len(ours.encode()) + 8)
        ),
        capture_output=True,
        text=True,
    )
    # Git takes exit 1 as a conflict: it keeps « ours » as it was and says so
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "limite de taille de fichier" in done.stderr and "ours.yaml" in done.stderr
    assert paths[1].read_text(encoding="utf-8") == ours
    assert temp_files(tmp_path) == []


# --- no git on the PATH -------------------------------------------------------------


@pytest.fixture
def no_git(tmp_path: Path) -> str:
    """A PATH without git (and without anything else)."""
    empty = tmp_path / "bin-sans-git"
    empty.mkdir()
    return str(empty)


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["learner", "list"],
        ["need", "list"],
        ["metrics"],
    ],
    ids=" ".join,
)
def test_without_git_reading_commands_work(cohort_repo, no_git, olap, args):
    # the clone is set up for merging: validate would ask Git about the merge driver
    assert olap("-C", cohort_repo, "setup").code == 0
    git(cohort_repo, "add", "-A")
    git(cohort_repo, "commit", "-qm", "pilote de fusion")
    assert "merge=olap" in (cohort_repo / ".gitattributes").read_text()
    before = snapshot(cohort_repo)
    done = run_olap("-C", cohort_repo, *args, path=no_git)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(cohort_repo) == before


def test_without_git_need_add_works_without_commit(cohort_repo, no_git):
    done = run_olap("-C", cohort_repo, "need", "add", "lea-martin", *need_args(), path=no_git)
    assert done.returncode == 0, done.stderr
    assert "Crème citron" in (cohort_repo / "learners" / "lea-martin.yaml").read_text()


@pytest.mark.parametrize(
    "args",
    [
        ["need", "add", "lea-martin", *need_args(), "--commit"],
        ["log", "lea-martin"],
        ["sync"],
        ["setup"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_without_git_git_commands_refused(cohort_repo, no_git, args):
    before = snapshot(cohort_repo)
    done = run_olap("-C", cohort_repo, *args, path=no_git)
    assert_refused(done, "Git")
    assert "introuvable" in done.stderr, done.stderr
    assert snapshot(cohort_repo) == before
    nothing_staged(cohort_repo)


# --- a shallow clone ----------------------------------------------------------------


@pytest.fixture
def shallow(cohort_repo: Path, tmp_path: Path, olap: Callable[..., object]) -> Path:
    """A clone of depth 1 of a cohort with a few commits, its origin a bare repo."""
    for detail in ("Crème citron", "Pâte sablée", "Sauce hollandaise"):
        done = olap("-C", cohort_repo, "need", "add", "lea-martin", *need_args(detail), "--commit")
        assert done.code == 0, done.output  # type: ignore[attr-defined]
    origin = tmp_path / "origin.git"
    run_git(tmp_path, "clone", "-q", "--bare", str(cohort_repo), str(origin))
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    return clone


@pytest.mark.parametrize(
    "args",
    [["log", "lea-martin"], ["metrics"], ["validate"], ["sync"], ["report", "--out", "r.html"]],
    ids=" ".join,
)
def test_shallow_clone_works_or_refuses_in_french(shallow, args):
    done = run_olap("-C", shallow, *args, cwd=shallow)
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr
    if done.returncode == 2:
        assert "Erreur" in done.stderr
    nothing_staged(shallow)


def test_shallow_clone_log_says_where_the_history_stops(shallow, tmp_path):
    clone = tmp_path / "clone-2"
    run_git(
        tmp_path, "clone", "-q", "--depth", "2", f"file://{tmp_path / 'origin.git'}", str(clone)
    )
    done = run_olap("-C", clone, "log", "lea-martin")
    assert done.returncode == 0, done.stderr
    newest, cut = done.stdout.split("\n2026-")[:2]
    assert "Sauce hollandaise" in newest and "unshallow" not in newest
    # the oldest commit of the clone: what it changed is unknown, and said so
    assert git(clone, "rev-parse", "--short=8", "HEAD~1").strip() in cut
    assert "git fetch --unshallow" in cut
    assert "Crème citron" not in done.stdout


def test_shallow_clone_notify_since_a_missing_revision_says_why(shallow):
    before = snapshot(shallow)
    done = run_olap("-C", shallow, "notify", "--since", "HEAD~2")
    assert_refused(done, "Révision inconnue : HEAD~2", "git fetch --unshallow", "fetch-depth: 0")
    assert snapshot(shallow) == before


# --- olap init failing half-way ------------------------------------------------------


@pytest.mark.parametrize("sample", [False, True])
def test_init_under_a_file_size_limit_leaves_nothing(tmp_path, sample):
    parent = tmp_path / "ici"
    parent.mkdir()
    done = run_olap("init", parent / "nouvelle", *(["--sample"] if sample else []), fsize=4000)
    assert_refused(done, "limite de taille de fichier")
    assert list(parent.iterdir()) == []


def test_init_in_an_empty_folder_failing_keeps_the_folder_empty(tmp_path):
    target = tmp_path / "vide"
    target.mkdir()
    done = run_olap("init", target, fsize=4000)
    assert_refused(done)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vide"]
    assert list(target.iterdir()) == []


def test_init_in_an_empty_mount_point_works(small_disk):
    # a drive or a share mounted on an empty folder: built in place, not renamed onto it
    done = run_olap("init", small_disk)
    assert done.returncode == 0, done.stderr
    assert (small_disk / "cohort.yaml").is_file()
    assert git(small_disk, "status", "--porcelain") == ""


def test_init_on_a_read_only_disk_is_refused_in_french(small_disk):
    (small_disk / "vide").mkdir()
    remount = ["mount", "-o", "remount,ro", str(small_disk)]
    assert subprocess.run(remount, capture_output=True).returncode == 0
    for target in (small_disk / "nouvelle", small_disk / "vide"):
        done = run_olap("init", target)
        assert_refused(done, "Impossible de créer", "disque en lecture seule")
    assert sorted(p.name for p in small_disk.iterdir()) == ["vide"]
    assert list((small_disk / "vide").iterdir()) == []


def test_without_git_init_refused_and_nothing_left(tmp_path, no_git):
    done = run_olap("init", tmp_path / "nouvelle", path=no_git)
    assert_refused(done, "Git")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin-sans-git"]


# --- a commit refused by a hook -------------------------------------------------------


def test_commit_refused_by_a_pre_commit_hook(cohort_repo):
    hook = cohort_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'refusé par le crochet du centre' >&2\nexit 1\n")
    hook.chmod(0o755)
    head = git(cohort_repo, "rev-parse", "HEAD")
    before = snapshot(cohort_repo)
    done = run_olap("-C", cohort_repo, "need", "add", "lea-martin", *need_args(), "--commit")
    assert_refused(done, "refusé par le crochet du centre", "crochet")
    assert "user.name" not in done.stderr  # the hint is about the hook, not the identity
    assert "tels qu'ils étaient" in done.stderr
    assert snapshot(cohort_repo) == before
    assert git(cohort_repo, "rev-parse", "HEAD") == head
    nothing_staged(cohort_repo)
    assert not (cohort_repo / "outbox").exists()


def test_commit_refused_keeps_what_the_user_had_staged(cohort_repo):
    hook = cohort_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    other = cohort_repo / "learners" / "hugo-lefevre.yaml"
    other.write_text(other.read_text() + "# une note\n")
    git(cohort_repo, "add", str(other))
    done = run_olap("-C", cohort_repo, "need", "add", "lea-martin", *need_args(), "--commit")
    assert done.returncode == 2, done.stderr
    assert git(cohort_repo, "diff", "--cached", "--name-only").split() == [
        "learners/hugo-lefevre.yaml"
    ]


def test_learner_add_commit_refused_by_a_hook_leaves_nothing(cohort_repo):
    hook = cohort_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    before = snapshot(cohort_repo)
    done = run_olap(
        "-C",
        cohort_repo,
        "learner",
        "add",
        "--first-name",
        "Zoé",
        "--last-name",
        "Blanc",
        "--trainer",
        "fdupont",
        "--commit",
    )
    assert_refused(done)
    assert snapshot(cohort_repo) == before
    nothing_staged(cohort_repo)
    assert git(cohort_repo, "status", "--porcelain") == ""


# --- a CRLF learner file --------------------------------------------------------------


def crlf(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def assert_crlf_everywhere(path: Path) -> None:
    data = path.read_bytes()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines), data


@pytest.mark.parametrize(
    "args",
    [
        ["need", "add", "lea-martin", *need_args()],
        ["need", "add", "lea-martin", *need_args("Deux lignes\nde détail")],
    ],
    ids=["one-line", "multi-line"],
)
def test_crlf_file_stays_crlf(cohort_repo, args):
    learner = cohort_repo / "learners" / "lea-martin.yaml"
    crlf(learner)
    done = run_olap("-C", cohort_repo, *args)
    assert done.returncode == 0, done.stderr
    assert_crlf_everywhere(learner)
    assert run_olap("-C", cohort_repo, "validate").returncode == 0


def test_crlf_file_stays_crlf_through_a_round_trip_edit(cohort_repo, olap):
    learner = cohort_repo / "learners" / "lea-martin.yaml"
    crlf(learner)
    added = run_olap("-C", cohort_repo, "need", "add", "lea-martin", *need_args())
    assert added.returncode == 0, added.stderr
    need_id = next(
        line.split("id:")[1].strip()
        for line in learner.read_text().splitlines()
        if "- id: b20261120" in line
    )
    done = run_olap(
        "-C", cohort_repo, "need", "step", "lea-martin", need_id, "--prepared", "2026-11-21"
    )
    assert done.returncode == 0, done.stderr
    assert_crlf_everywhere(learner)
    assert "prepared: 2026-11-21" in learner.read_text()


def test_validate_locates_problems_in_a_crlf_file(cohort_repo):
    learner = cohort_repo / "learners" / "lea-martin.yaml"
    lf = learner.read_text(encoding="utf-8")
    lines = lf.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("first_name:"))
    lines[at] = "first_name: [pas, un, nom]"
    learner.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    done = run_olap("-C", cohort_repo, "validate")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"learners/lea-martin.yaml:{at + 1}:1: erreur [schema]" in done.stdout, done.stdout
    assert f"{at + 1} | first_name: [pas, un, nom]\n" in done.stdout
    assert "\r" not in done.stdout


def test_validate_locates_every_problem_of_a_crlf_file_as_in_lf(cohort_repo):
    lea = cohort_repo / "learners" / "lea-martin.yaml"
    lines = lea.read_text(encoding="utf-8").splitlines()
    due = next(n for n, line in enumerate(lines) if line.strip().startswith("due:"))
    lines[due] = "    due: 2026-13-45"
    lea.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hugo = cohort_repo / "learners" / "hugo-lefevre.yaml"
    lines = hugo.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "notes: [pas fermé")
    hugo.write_text("\n".join(lines) + "\n", encoding="utf-8")
    as_lf = run_olap("-C", cohort_repo, "validate")
    for path in (lea, hugo):
        crlf(path)
    as_crlf = run_olap("-C", cohort_repo, "validate")
    assert as_crlf.returncode == as_lf.returncode == 1, as_crlf.stdout
    assert as_crlf.stdout == as_lf.stdout
    assert f"learners/lea-martin.yaml:{due + 1}:10: erreur [invalid-date]" in as_crlf.stdout
    assert "learners/hugo-lefevre.yaml:5:11: erreur [yaml]" in as_crlf.stdout
