"""docs/cli.md, made from the commands' own help: ``python -m devtools.clidoc``."""

from __future__ import annotations

import sys

import click
import typer


def _commands(cmd: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    if isinstance(cmd, click.Group):
        out: list[tuple[list[str], click.Command]] = [(path, cmd)] if path else []
        ctx = click.Context(cmd)
        for name in sorted(cmd.list_commands(ctx)):
            sub = cmd.get_command(ctx, name)
            assert sub is not None
            out += _commands(sub, [*path, name])
        return out
    return [(path, cmd)]


def render() -> str:
    """The reference of every command, in the current language."""
    from olapcli.cli import app
    from olapcli.i18n import _

    root = typer.main.get_command(app)
    heading = _("Commands")
    lines = [f"# olap — {heading}", "", "<!-- python -m devtools.clidoc > docs/cli.md -->", ""]
    for path, cmd in _commands(root, []):
        title = " ".join(["olap", *path])
        lines += [f"## `{title}`", ""]
        if cmd.help:
            lines += [cmd.help.strip().replace("\n\n", "\n\n"), ""]
        params = [
            p for p in cmd.params if p.name not in ("help",) and not getattr(p, "hidden", False)
        ]
        if params and not isinstance(cmd, click.Group):
            lines += ["| | |", "|---|---|"]
            for p in params:
                if isinstance(p, click.Argument):
                    name = f"`{p.human_readable_name}`"
                else:
                    name = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])
                help_text = (getattr(p, "help", None) or "").replace("|", "\\|")
                lines.append(f"| {name} | {help_text} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
