"""The README opens with two commands, and CI runs the second one as written."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_exactly_two_commands():
    main, tests = blocks()
    assert "olap -C sample-cohort" in main
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command():
    _main, tests = blocks()
    assert tests in (ROOT / ".ci/run").read_text(encoding="utf-8")
