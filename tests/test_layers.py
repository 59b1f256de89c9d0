"""The house rules of docs/architecture.md hold, and the checks that enforce them bite.

- the import contracts of pyproject.toml (import-linter): layers, front doors, no I/O
  library above the I/O layer, a pure core, no cycle — and each contract fails on a
  copy of the package where it is broken on purpose;
- no module above ``olapcli/io`` touches the disk (checked on the source);
- the paths that must start fast import nothing they do not use;
- no module is much longer than 400 lines.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, need_args

PACKAGE = ROOT / "olapcli"
LINT = Path(sys.executable).parent / "lint-imports"


def lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts, on the olapcli found in *package_parent*."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=package_parent,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_import_contracts_hold():
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


BREAKS = {
    # module, line added, contract that must break
    "core reaches up": ("core/rules.py", "import olapcli.io.store", "layers"),
    "cli reads YAML": ("cli/log.py", "import yaml", "front-doors"),
    "cli skips the use-cases": ("cli/log.py", "import olapcli.io.git", "front-doors"),
    "a use-case runs Git": ("app/history.py", "import subprocess", "no-io-above-io"),
    "the core renders": ("core/derive/grids.py", "import jinja2", "pure-core"),
    "a cycle": ("io/clock.py", "import olapcli.io.store", "no-cycles"),
    "the web skips the use-cases": ("web/routes.py", "import olapcli.io.git", "front-doors"),
    "a use-case imports Flask": ("app/serve.py", "import flask", "web-libraries"),
    "a command opens the web": ("cli/log.py", "import olapcli.web", "web-alone"),
    "the web reaches the core": ("web/routes.py", "import olapcli.core.rules", "front-doors"),
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_each_contract_fails_when_broken(tmp_path, name):
    shutil.copytree(PACKAGE, tmp_path / "olapcli", ignore=shutil.ignore_patterns("__pycache__"))
    rel, line, contract = BREAKS[name]
    target = tmp_path / "olapcli" / rel
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n")
    if name == "a cycle":  # io/store must need io/clock for the loop to close
        store = tmp_path / "olapcli/io/store.py"
        store.write_text(store.read_text(encoding="utf-8") + "\nimport olapcli.io.clock\n")
    done = lint(tmp_path)
    assert done.returncode != 0
    report = json.dumps(done.stdout)
    assert "BROKEN" in done.stdout, report
    listed = subprocess.run(
        [str(LINT), "--no-cache", "--contract", contract, str(ROOT / "pyproject.toml")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert listed.returncode != 0 and "BROKEN" in listed.stdout


#: calls that read or change the disk (pathlib and built-ins)
DISK_CALLS = {
    "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "mkdir", "rmdir",
    "touch", "iterdir", "glob", "rglob", "exists", "is_file", "is_dir", "stat", "rename",
    "symlink_to", "chmod", "open", "scandir", "listdir", "makedirs",
}  # fmt: skip
#: the only modules that may: the I/O layer, and the message catalog (gettext reads it)
MAY_TOUCH_DISK = ("io/", "i18n.py")


def disk_calls(path: Path) -> list[str]:
    """The calls of *path* that touch the disk, but those made through the I/O layer
    (``files.read_bytes(…)``, ``outbox.remove(…)``: names imported from olapcli.io)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    through_io = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("olapcli.io"):
            through_io |= {alias.asname or alias.name for alias in node.names}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            name = func.attr
            if isinstance(func.value, ast.Name) and func.value.id in through_io:
                continue
        else:
            name = getattr(func, "id", "")
            if name in through_io:
                continue
        if name in DISK_CALLS:
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {name}()")
    return found


def test_no_module_above_io_touches_the_disk():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not rel.startswith(MAY_TOUCH_DISK):
            found += disk_calls(path)
    assert found == []


def test_the_disk_check_sees_a_read(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text(
        "from pathlib import Path\nfrom olapcli.io import files\n"
        "Path('a').read_text()\nopen('b')\nfiles.read_bytes(Path('c'))\n"
    )
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path
    try:
        assert disk_calls(sample) == ["x.py:3: read_text()", "x.py:4: open()"]
    finally:
        PACKAGE = saved


HEAVY = ("jinja2", "scipy", "openpyxl", "markdown_it", "git")


def imported_by(args: list[str], env: dict[str, str]) -> set[str]:
    """The top-level modules imported by the command *args*, run in a fresh process."""
    code = (
        "import sys\n"
        "from olapcli.__main__ import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print('\\n' + ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
        "sys.exit(code or 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.strip().splitlines()[-1].split())


def test_validate_and_need_add_import_nothing_heavy(cohort_repo):
    env = {"OLAP_NOTIFY_INLINE": ""}  # the e-mail is written by a detached process
    for command in (["validate"], ["validate", "--format", "json"]):
        found = imported_by(["-C", str(cohort_repo), *command], env)
        assert "olapcli" in found and not found & set(HEAVY), command
    found = imported_by(["-C", str(cohort_repo), "need", "add", "lea-martin", *need_args()], env)
    assert not found & set(HEAVY)
    # the usual case (a file olap knows valid): not even the model or the round trip
    again = imported_by(
        ["-C", str(cohort_repo), "need", "add", "lea-martin", *need_args("Encore"), "--commit"],
        env,
    )
    assert not again & {*HEAVY, "pydantic", "ruamel"}


def test_the_import_check_sees_a_heavy_import(cohort_repo):
    found = imported_by(["-C", str(cohort_repo), "qcm", "--format", "html"], {})
    assert "jinja2" in found


def test_no_module_is_much_longer_than_400_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
