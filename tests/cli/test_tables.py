"""Terminal tables fit the terminal (issue 15, point 3): at 80 columns and at 160, each
table command stays readable, no line wider than the terminal, no id cut or wrapped.

The snapshots (tests/golden/tables/) are reviewed by reading them; the assertions here
do not depend on them: the widths are measured, and the ids are read from the sample's
files (PyYAML, not olap's loader).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import SAMPLE

COMMANDS = {
    "need-list": ["need", "list"],
    "match": ["match"],
    "metrics": ["metrics"],
    "learner-list": ["learner", "list"],
    "synoptic": ["synoptic"],
}


def _learners() -> list[dict]:
    return [yaml.safe_load(p.read_text("utf-8")) for p in sorted(SAMPLE.glob("learners/*.yaml"))]


def _expected_ids(name: str, olap, root: Path) -> set[str]:
    """The ids the command must show, from the sample's files (match: those of the open
    needs its JSON names, each checked to be a whole id of the files)."""
    learners = _learners()
    if name == "learner-list":
        return {p["id"] for p in learners}
    if name == "metrics":
        return {p["key"] for p in learners}
    if name == "synoptic":  # every learner, every activity with a need or an evaluation
        marked = {n.get("activity") for p in learners for n in p.get("needs") or []}
        marked |= {e.get("activity") for p in learners for e in p.get("evaluations") or []}
        return {p["id"] for p in learners} | (marked - {None, "out"})
    needs = {n["id"]: (p["id"], n.get("activity")) for p in learners for n in p.get("needs") or []}
    if name == "need-list":
        return {*needs, *(who for who, _a in needs.values()), *(a for _w, a in needs.values() if a)}
    found = json.loads(olap("-C", root, "match", "--format", "json").stdout)
    peers = {p["learner"] for m in found for p in m["peers"]}
    ids = {m["need"] for m in found} | {m["learner"] for m in found} | peers
    assert ids and all(i in needs or i in {p["id"] for p in learners} for i in ids)
    return ids | {needs[m["need"]][1] for m in found}


def _whole(ident: str, text: str) -> bool:
    """*ident* in *text* with neither a letter, a digit, a dot nor a hyphen glued to it."""
    return re.search(rf"(?<![\w.-]){re.escape(ident)}(?![\w-]|\.\d)", text) is not None


@pytest.mark.parametrize("width", [80, 160])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_table_fits_the_width_with_every_id_whole(
    olap, cohort_repo, golden, monkeypatch, name, width
):
    monkeypatch.setenv("COLUMNS", str(width))
    result = olap("-C", cohort_repo, *COMMANDS[name])
    assert result.code == 0, result.output
    lines = result.stdout.splitlines()
    too_wide = [line for line in lines if len(line) > width]
    assert not too_wide, too_wide
    missing = sorted(
        i for i in _expected_ids(name, olap, cohort_repo) if not _whole(i, result.stdout)
    )
    assert not missing, missing
    # at 160 columns, the table layout: a header rule under the title
    sliced = name in ("metrics", "synoptic")  # tables of figures: in slices, never stacked
    assert any("─┼─" in line for line in lines) == (width == 160 or sliced)
    golden(f"tables/{name}-{width}.txt", result.stdout)


def test_a_long_id_is_never_cut_however_narrow():
    from olapcli.render.tables import Column, lay_out

    columns = [Column("Besoin"), Column("Précision", wrap=True)]
    rows = [["b20261121-ee774222f8", "voir lea-martin-dupont-de-la-tour-d-auvergne demain"]]
    for width in (10, 30, 60, 200):
        text = "\n".join(line.text for line in lay_out("", columns, rows, width))
        assert "b20261121-ee774222f8" in text
        assert "lea-martin-dupont-de-la-tour-d-auvergne" in text
        # a line is wider than the width only when one id alone is
        for line in text.splitlines():
            assert len(line) <= width or max(map(len, line.split())) > width - 12


def _olap_process(root: Path, columns: str | None, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    done = subprocess.run(
        [sys.executable, "-m", "olapcli", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_pipe_honours_columns_and_has_room_without(cohort_repo):
    narrow = _olap_process(cohort_repo, "80", "need", "list")
    assert max(map(len, narrow.splitlines())) <= 80 and "─┼─" not in narrow
    wide = _olap_process(cohort_repo, None, "need", "list")
    assert "─┼─" in wide and 80 < max(map(len, wide.splitlines())) <= 160


def test_a_terminal_of_80_columns_gets_the_stacked_layout_in_colour(cohort_repo):
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "olapcli", "-C", str(cohort_repo), "need", "list"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 80),
    )
    child.expect(pexpect.EOF)
    text = child.before.replace("\r\n", "\n")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "\x1b[" in text  # « en retard » in red: styles show on a terminal
    assert max(map(len, plain.splitlines())) <= 80
    assert "─┼─" not in plain and "b20250912-62c4ffc680" in plain


def test_the_rich_console_follows_columns_from_one_run_to_the_next(
    olap, cohort_repo, monkeypatch, tmp_path
):
    from tests.cli.test_learner import ROWS, csv_file

    path = csv_file(tmp_path, ROWS, "utf-8")
    for width in (200, 40):  # one process, as in a test session: rich read COLUMNS once
        monkeypatch.setenv("COLUMNS", str(width))
        result = olap("-C", cohort_repo, "learner", "import", path, "--dry-run")
        assert result.code == 0, result.output
        table = [line for line in result.stdout.splitlines() if "│" in line]
        assert table and max(map(len, table)) <= width
        assert (max(map(len, table)) > 40) == (width == 200)
