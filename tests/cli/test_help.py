"""Every command explains itself, with an example, in French."""

from __future__ import annotations

import click
import pytest
import typer

from olapcli.cli import app


def commands():
    root = typer.main.get_command(app)
    out = []

    def walk(cmd, path):
        if isinstance(cmd, click.Group):  # its commands as click finds them (built on demand)
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name), [*path, name])
        else:
            out.append(path)

    walk(root, [])
    return out


def test_the_commands_of_this_issue_exist():
    names = {" ".join(c) for c in commands()}
    assert {
        "init",
        "validate",
        "log",
        "learner add",
        "learner list",
        "learner import",
        "need add",
        "need list",
        "need step",
        "eval add",
        "plan set",
    } <= names


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p))
def test_help_has_an_example(olap, path):
    result = olap(*path, "--help")
    assert result.code == 0
    assert "Exemple : olap" in result.stdout
    assert "Utilisation : olap" in result.stdout


def test_every_write_command_can_commit(olap):
    for path in (
        ["need", "add"],
        ["need", "step"],
        ["eval", "add"],
        ["plan", "set"],
        ["learner", "add"],
        ["learner", "import"],
        ["access", "grant"],
        ["access", "revoke"],
    ):
        assert "--commit" in olap(*path, "--help").stdout


def test_cli_reference_is_current():
    from devtools import clidoc
    from tests.conftest import ROOT

    assert (ROOT / "docs/cli.md").read_text(encoding="utf-8") == clidoc.render(), (
        "run: python -m devtools.clidoc > docs/cli.md"
    )


def test_completion_options_are_explained_in_french(olap):
    out = olap("--help").output
    assert "Installer l'autocomplétion" in out and "Install completion" not in out
    assert "Show completion" not in out


def _arguments_with_help():
    root = typer.main.get_command(app)
    found = []
    for path in commands():
        cmd, ctx = root, click.Context(root)
        for name in path:
            cmd = cmd.get_command(ctx, name)  # type: ignore[attr-defined]
            ctx = click.Context(cmd)
        found += [
            (path, p)
            for p in cmd.params
            if isinstance(p, click.Argument) and getattr(p, "help", None)
        ]
    return found


def test_every_argument_is_explained(olap):
    """Click 8.5 made Typer 0.25 drop the arguments' help from --help (pinned below 8.5)."""
    found = _arguments_with_help()
    assert len(found) >= 10
    for path, param in found:
        words = " ".join(param.help.split()[:3])
        text = " ".join(olap(*path, "--help").stdout.replace("│", " ").split())
        assert words in text, (path, param.name, words)
