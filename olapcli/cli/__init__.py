"""The ``olap`` command line, a front door: each command parses its options, calls one
use-case of :mod:`olapcli.app` and prints the result. Nothing else here.

Modules here import :mod:`olapcli.app` and :mod:`olapcli.render` (for output) only:
never the I/O layer, the core, nor any YAML, Jinja, Git or process library (checked by
import-linter, see docs/architecture.md). Commands are built on demand and use-cases
imported inside each command, so that a command only pays for what it uses (``olap need
add`` must start fast on a big cohort).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
import typer
from typer.core import TyperGroup

from olapcli import __version__
from olapcli.cli import clicktext
from olapcli.cli.common import State, err
from olapcli.errors import ProblemsError, UserError
from olapcli.i18n import _

clicktext.install()


#: Typer's completion options and their help (in olapcli.cli.clicktext's catalog list)
COMPLETION = {
    "install_completion": "Install completion for the current shell.",
    "show_completion": "Show completion for the current shell, to copy it or customize the installation.",
}


class OlapGroup(TyperGroup):
    """The root command: its subcommands built on demand (see :data:`COMMANDS`), and the
    one error handler around dispatch (exit 2 refusals, 3 bugs, 130 Ctrl-C)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = command(cmd_name)
        return self.commands.get(cmd_name)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        # Typer writes the help of --install-completion and --show-completion in English,
        # outside its translated messages: said through olap's catalog here
        params = super().get_params(ctx)
        for param in params:
            if isinstance(param, click.Option) and param.name in COMPLETION:
                param.help = _(COMPLETION[param.name])
                if param.name == "install_completion":
                    param.callback = clicktext.install_completion
        return params

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # --help, --version and no command at all print while the options are parsed,
        # before invoke: a closed output there is said the same way (click would exit 1)
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            closed_output()
            raise typer.Exit(2) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProblemsError as exc:
            from olapcli.render import problems as reporters

            err.print(exc.message, markup=False)
            if exc.problems:
                err.print(reporters.text(exc.problems), markup=False)
            raise typer.Exit(2) from None
        except UserError as exc:
            err.print(_("Error: {message}").format(message=exc.message), markup=False)
            if exc.hint:
                err.print("  → " + exc.hint, markup=False)
            raise typer.Exit(2) from None
        except (click.exceptions.Exit, click.ClickException, typer.Exit):
            raise
        except (KeyboardInterrupt, click.Abort):  # Ctrl-C, or Ctrl-D at a question
            err.print(_("Interrupted: nothing was written."))
            raise typer.Exit(130) from None
        except BrokenPipeError:
            closed_output()
            raise typer.Exit(2) from None
        except OSError as exc:  # a refusal of the system no use-case foresaw: said, not a bug
            from olapcli.app.inputs import system_refusal

            if os.environ.get("OLAP_DEBUG"):
                import traceback

                traceback.print_exc()
            message, hint = system_refusal(exc)
            err.print(_("Error: {message}").format(message=message), markup=False)
            if hint:
                err.print("  → " + hint, markup=False)
            raise typer.Exit(2) from None
        except Exception:
            import traceback

            if os.environ.get("OLAP_DEBUG"):
                traceback.print_exc()
            err.print(
                _("Unexpected error, please report it (olap {version}).").format(
                    version=__version__
                ),
                markup=False,
            )
            err.print(
                "".join(traceback.format_exception_only(*sys.exc_info()[:2])).strip(),
                markup=False,
            )
            raise typer.Exit(3) from None


def closed_output() -> None:
    """The reader of our output went away (``olap validate | head -1``): say so once on
    standard error, if it is still open, and send what remains of standard output
    nowhere, so that Python's last flush at exit does not fail in turn. Whatever the
    command wrote (a commit, the outbox) was complete before it printed."""
    from olapcli.app.inputs import discard_output

    discard_output()
    try:
        sys.stderr.write(_("olap: output closed before the end (by « head »?); stopped.") + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


app = typer.Typer(
    cls=OlapGroup,
    name="olap",
    help=_(
        "olap — liaison tool for proactive work-study training: record the imminent "
        "needs of each learner's company, evaluate the responses, prove the impact.\n\n"
        "Example: olap -C sample-cohort validate"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"olap {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    cohort: Path | None = typer.Option(
        None,
        "--cohort",
        "-C",
        help=_("Cohort folder (default: the nearest folder upward holding cohort.yaml)."),
        show_default=False,
    ),
    lang: str = typer.Option(
        "fr",
        "--lang",
        help=_("Language of messages: fr or en (also OLAP_LANG)."),
        envvar="OLAP_LANG",
        show_default=True,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=_("Show the version.")
    ),
) -> None:
    """Global options (the language is applied before parsing, see __main__)."""
    from olapcli.i18n import language, set_language

    if lang not in ("fr", "en"):
        raise typer.BadParameter(_("choose fr or en"), param_hint="--lang")
    if lang != language():
        set_language(lang)
    ctx.obj = State(cohort=cohort)


#: each command: its module in olapcli.cli and whether it is a group of commands (a
#: Typer app) or one command (a function, with the module's HELP). A command's module is
#: imported, and its click command built, only when it runs (or for the help): every
#: command starts without the cost of the others.
COMMANDS: dict[str, tuple[str, bool]] = {
    "init": ("init", False),
    "learner": ("learner", True),
    "need": ("need", True),
    "eval": ("eval", True),
    "plan": ("plan", True),
    "meeting": ("meeting", True),
    "prospect": ("prospect", True),
    "validate": ("validate", False),
    "log": ("log", False),
    "qcm": ("qcm", False),
    "match": ("match", False),
    "synoptic": ("synoptic", False),
    "resource": ("resource", True),
    "render": ("render", False),
    "metrics": ("metrics", False),
    "report": ("report", False),
    "export": ("export", True),
    "notify": ("notify", True),
    "setup": ("setup", False),
    "sync": ("sync", False),
    "access": ("access", True),
    "serve": ("serve", False),
}


def command(name: str) -> click.Command:
    """The click command *name* of :data:`COMMANDS`, built from its module."""
    import importlib

    module_name, is_group = COMMANDS[name]
    module = importlib.import_module(f"olapcli.cli.{module_name}")
    if is_group:
        built = typer.main.get_group(module.app)
        built.name = name
        return built
    single = typer.Typer(rich_markup_mode="rich", add_completion=False)
    single.command(name, help=module.HELP)(getattr(module, module_name))
    return typer.main.get_command(single)
