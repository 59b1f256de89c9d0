"""Shared fixtures: real Git repositories, file snapshots, the CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: the ``smtp`` fixture: a real SMTP server on 127.0.0.1
pytest_plugins = ("tests.mailserver",)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample-cohort"
TODAY = "2026-11-21"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff!)",
    )


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Formatrice Test",
    "GIT_AUTHOR_EMAIL": "formatrice@cfa.example",
    "GIT_COMMITTER_NAME": "Formatrice Test",
    "GIT_COMMITTER_EMAIL": "formatrice@cfa.example",
    "GIT_AUTHOR_DATE": "2026-11-20T10:00:00+01:00",
    "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+01:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def _environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: French, a fixed today, no prompts, its own cache, pinned Git identity."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("OLAP_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("OLAP_TODAY", TODAY)
    monkeypatch.setenv("OLAP_NO_PROMPT", "1")
    # e-mails composed in the command's own process: no fork inside pytest (its threads)
    monkeypatch.setenv("OLAP_NOTIFY_INLINE", "1")
    monkeypatch.delenv("OLAP_LANG", raising=False)
    # the machine running the tests may itself be a CI runner (CI=true): olap behaves
    # differently there, so each test that wants CI behaviour sets it itself
    for key in ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "OLAP_DEBUG", "XDG_CACHE_HOME"):
        monkeypatch.delenv(key, raising=False)
    for key in [k for k in os.environ if k.startswith("OLAP_SMTP_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("COLUMNS", "200")
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    from olapcli.i18n import set_language

    set_language("fr")


def run_git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in *cwd* with the tests' pinned identity."""
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=check,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    )


def git(cwd: Path, *args: str) -> str:
    """Run git in *cwd*; its stdout."""
    return run_git(cwd, *args).stdout


def make_repo(path: Path) -> Path:
    """``git init`` + commit everything in *path*."""
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "cohorte initiale")
    return path


@pytest.fixture
def cohort_repo(tmp_path: Path) -> Path:
    """A copy of sample-cohort/ in a real Git repository."""
    dest = tmp_path / "cohorte"
    shutil.copytree(SAMPLE, dest)
    return make_repo(dest)


@pytest.fixture
def cohort_dir(tmp_path: Path) -> Path:
    """A copy of sample-cohort/ without Git."""
    dest = tmp_path / "cohorte"
    shutil.copytree(SAMPLE, dest)
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes under *root* (without .git internals)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def olap() -> Callable[..., Result]:
    """Run olap in-process (Typer's CliRunner, stdout and stderr kept apart)."""
    from typer.testing import CliRunner

    from olapcli.cli import app

    def run(*args: str | Path, input: str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def refused(olap: Callable[..., Result]) -> Callable[..., Result]:
    """Run olap, assert it is refused (exit 2, no traceback) and every file is unchanged."""

    def run(root: Path, *args: str | Path) -> Result:
        before = snapshot(root)
        result = olap(*args)
        assert result.code == 2, result.output
        assert "Traceback" not in result.output
        assert snapshot(root) == before
        return result

    return run


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace *old* with *new* in a file, failing loudly if *old* is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def build_tree(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write small files ``{relative path: text}`` under a fresh folder."""

    def build(files: dict[str, str]) -> Path:
        root = tmp_path / "tree"
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return build


@pytest.fixture
def chdir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    yield lambda path: monkeypatch.chdir(path)


def need_args(detail: str = "Crème citron pour 40 parts", by: str = "entreprise") -> list[str]:
    """Every flag of ``olap need add`` for an imminent need on activity 6.3."""
    return [
        "--activity",
        "6.3",
        "--by",
        by,
        "--identified",
        "2026-11-20",
        "--due",
        "2026-11-25",
        "--detail",
        detail,
    ]


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare *text* with tests/golden/NAME; ``--update-golden`` rewrites it instead."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {name}: run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"

    return check


@pytest.fixture
def secrets_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Its own folder of signing keys (``OLAP_SECRET_DIR``), outside any cohort, and no
    public address for the links from the environment."""
    folder = tmp_path_factory.mktemp("secrets")
    monkeypatch.setenv("OLAP_SECRET_DIR", str(folder))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("OLAP_PUBLIC_URL", raising=False)
    return folder


@pytest.fixture
def figures(
    olap: Callable[..., Result], cohort_repo: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The sample's figures as olap metrics' JSON gives them: per learner key, the shares
    of the quality of anticipation and the median lead."""
    import json

    result = olap("-C", cohort_repo, "metrics", "--format", "json")
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    quality = {q["key"]: q for q in data["quality"]["learners"]}
    # the sample has what the format tests need: a half day, a share between 0 and 1
    assert any(q["median_lead_days"] % 1 for q in quality.values() if q["counted"])  # a half
    assert any(0 < (q["applied_share"] or 0) < 1 for q in quality.values())
    return data, quality
