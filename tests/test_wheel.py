"""What users install: the wheel, built from the sources and installed (not editable) in a
fresh virtual environment, runs every main command on a copy of the sample cohort.

An editable install reads templates and data files from the source tree, so it hides a
file the wheel forgets; this test reads nothing from the sources once the wheel is built.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV, ROOT, SAMPLE, TODAY, git, make_repo, need_args
from tests.mailserver import Inbox

#: folders of the source tree that never go into a build
SKIP = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "site",
    "outbox",
    "rapport*.html",
)


def shipped_files() -> list[str]:
    """The paths the wheel must hold, from the source tree."""
    package = ROOT / "olapcli"
    wanted = [
        str(p.relative_to(ROOT)) for p in package.rglob("*.py") if "__pycache__" not in p.parts
    ]
    wanted += [
        str(p.relative_to(ROOT))
        for p in (package / "render" / "templates").rglob("*")
        if p.is_file()
    ]
    wanted += [str(p.relative_to(ROOT)) for p in (package / "init").iterdir()]
    wanted += [str(p.relative_to(ROOT)) for p in package.glob("locale/*/LC_MESSAGES/*.mo")]
    wanted += [f"olapcli/schemas/{p.name}" for p in (ROOT / "schema").glob("*.schema.json")]
    wanted += [
        f"olapcli/sample_cohort/{p.relative_to(SAMPLE)}" for p in SAMPLE.rglob("*") if p.is_file()
    ]
    return sorted(wanted)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by pip from a copy of the source tree (so that no build/ folder
    of an earlier build can add a stale module to it)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=SKIP)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(source), "-w", str(work)],
        check=True,
        capture_output=True,
    )
    (found,) = work.glob("olap-*.whl")
    return found


def test_the_wheel_holds_every_module_template_locale_schema_and_scaffold(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    missing = [name for name in shipped_files() if name not in names]
    assert missing == []
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed, not editable."""
    where = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    subprocess.run(
        [str(where / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )
    return where


def test_the_installed_package_runs_every_main_command(venv: Path, tmp_path: Path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OLAP_", "PYTHON")) and key not in ("VIRTUAL_ENV",)
    }
    env |= GIT_ENV | {
        "OLAP_TODAY": TODAY,
        "OLAP_CACHE_DIR": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
    }
    olap = str(venv / "bin" / "olap")

    def run(*args: str | Path, code: int = 0, extra: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [olap, *map(str, args)],
            cwd=tmp_path,  # never the source tree: nothing may be read from it
            env=env | (extra or {}),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == code, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout + done.stderr

    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import olapcli; print(olapcli.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(venv) in where and str(ROOT) not in where

    cohort = tmp_path / "cohorte"
    shutil.copytree(SAMPLE, cohort)
    make_repo(cohort)
    assert "0 erreur" in run("-C", cohort, "validate")
    assert "Besoin imminent enregistré" in run(
        "-C", cohort, "need", "add", "lea-martin", *need_args(), "--commit"
    )
    assert "Besoin imminent pour lea-martin" in git(cohort, "log", "-1", "--format=%s")
    link = run("-C", cohort, "access", "grant", "lea-martin", "--role", "tuteur", "--commit")
    assert "http://127.0.0.1:8000/a/" in link  # itsdangerous installed with the wheel
    assert len(list((tmp_path / ".config/olap/access-keys").glob("*.key"))) == 1
    run("-C", cohort, "render")
    assert "<html" in (cohort / "site" / "alternants" / "lea-martin.html").read_text()
    run("-C", cohort, "report", "--out", tmp_path / "rapport.html")
    assert "Annexe 7" in (tmp_path / "rapport.html").read_text(encoding="utf-8")
    run("-C", cohort, "metrics", "--format", "xlsx", "--out", tmp_path / "impact.xlsx")
    with zipfile.ZipFile(tmp_path / "impact.xlsx") as z:
        assert "xl/workbook.xml" in z.namelist()
    listed = run("-C", cohort, "notify", "list")
    assert "lea.martin@mail.example" in listed

    from tests.mailserver import Server

    server = Server(Inbox())
    server.controller.start()
    try:
        sent = run("-C", cohort, "notify", "send", extra=server.env())
    finally:
        server.controller.stop()
    assert "1 courriel(s) envoyé(s)" in sent
    ((rcpts, _message),) = server.inbox.messages
    assert "lea.martin@mail.example" in rcpts
    sent_link = run(
        "-C", cohort, "access", "grant", "lea-martin", "--role", "alternant",
        "--public-url", "https://olap.cfa.example", "--send", "--commit",
    )  # fmt: skip
    assert "Envoyé à Léa Martin <lea.martin@mail.example>" in sent_link  # link.txt.j2 shipped
    assert len(list((cohort / "outbox" / "pending").glob("link-*.eml"))) == 1

    # olap init, from the example cohort and from the scaffold
    run("init", tmp_path / "exemple", "--sample")
    assert "0 erreur" in run("-C", tmp_path / "exemple", "validate")
    run("init", tmp_path / "vide")
    schemas = sorted(p.name for p in (tmp_path / "vide" / ".olap" / "schema").iterdir())
    assert schemas == sorted(p.name for p in (ROOT / "schema").glob("*.schema.json"))
    run("-C", tmp_path / "vide", "validate")
