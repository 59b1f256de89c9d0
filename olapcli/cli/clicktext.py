"""Click's and Typer's own messages, said through olap's catalog.

Click and Typer translate with the process-wide gettext domain; olap instead
routes their ``_`` to its own catalog, so ``--lang`` governs them too without
touching the environment of child processes (git).
"""

from __future__ import annotations

import sys
from typing import Any

from olapcli.i18n import _, ngettext


def _mark(message: str) -> str:
    return message


def _nmark(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


# Messages Click and Typer show most; listed so the catalog extractor sees them.
MESSAGES = (
    _mark("Usage:"),
    _mark("Options"),
    _mark("Arguments"),
    _mark("Commands"),
    _mark("Error"),
    _mark("Aborted."),
    _mark("Aborted!"),
    _mark("Show this message and exit."),
    _mark("[default: {}]"),
    _mark("[required]"),
    _mark("[env var: {}]"),
    _mark("Try [blue]'{command_path} {help_option}'[/] for help."),
    _mark("Try '{command} {option}' for help."),
    _mark("Error: {message}"),
    _mark("Missing argument"),
    _mark("Missing option"),
    _mark("Missing parameter"),
    _mark("Missing parameter: {param_name}"),
    _mark("Missing command."),
    _mark("No such command {name!r}."),
    _mark("No such option {name!r}."),
    _mark("Invalid value for {param_hint}: {message}"),
    _mark("Invalid value: {message}"),
    _mark("Option {name!r} does not take a value."),
    _mark("{value!r} is not a valid {number_type}."),
    _mark("{value} is not in the range {range}."),
    _mark("{value!r} is not a valid boolean. Recognized values: {states}"),
    _mark("{name} {filename!r} does not exist."),
    _mark("{name} {filename!r} is a directory."),
    _mark("{name} {filename!r} is a file."),
    _mark("file"),
    _mark("directory"),
    _mark("path"),
    _mark("integer"),
    _mark("Install completion for the current shell."),
    _mark("Show completion for the current shell, to copy it or customize the installation."),
    _mark("Repeat for confirmation"),
    _mark("Error: The value you entered was invalid."),
    _mark("Error: The two entered values do not match."),
    _nmark("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    _nmark("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    _nmark("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    _nmark("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
)

_MODULES = (
    "click.core",
    "click.exceptions",
    "click.parser",
    "click.types",
    "click.decorators",
    "click.formatting",
    "click.termui",
    "typer.core",
    "typer.main",
)


def _patch_rich_utils(rich_utils: Any) -> None:
    rich_utils._ = _
    rich_utils.ARGUMENTS_PANEL_TITLE = _("Arguments")
    rich_utils.OPTIONS_PANEL_TITLE = _("Options")
    rich_utils.COMMANDS_PANEL_TITLE = _("Commands")
    rich_utils.ERRORS_PANEL_TITLE = _("Error")
    rich_utils.ABORTED_TEXT = _("Aborted.")
    rich_utils.DEFAULT_STRING = _("[default: {}]")
    rich_utils.REQUIRED_LONG_STRING = _("[required]")
    rich_utils.ENVVAR_STRING = _("[env var: {}]")
    rich_utils.RICH_HELP = _("Try [blue]'{command_path} {help_option}'[/] for help.")
    made = rich_utils._get_rich_console
    if getattr(made, "olap", False):
        return

    def console(stderr: bool = False) -> Any:
        # rich would exit 1 in silence when the help meets a closed output: olap's one
        # handler says so and exits 2 (see OlapGroup)
        made_console = made(stderr)

        def broken_pipe() -> None:
            made_console.quiet = True
            raise BrokenPipeError

        made_console.on_broken_pipe = broken_pipe
        return made_console

    console.olap = True  # type: ignore[attr-defined]
    rich_utils._get_rich_console = console


class _PatchOnImport:
    """Translate typer.rich_utils when Typer imports it (only for help and errors): a
    finder of :data:`sys.meta_path` (duck-typed: importlib.abc costs every command 6 ms).

    Importing it up front would cost every command ~0.1 s (rich.markdown,
    markdown-it), which ``olap need add`` cannot afford.
    """

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "typer.rich_utils":
            return None
        import importlib.util

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original = loader.exec_module

        def exec_module(module: Any) -> None:
            original(module)
            _patch_rich_utils(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def install() -> None:
    """Route Click's and Typer's gettext calls to olap's catalog."""
    for name in _MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            setattr(module, "_", _)  # noqa: B010
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", ngettext)  # noqa: B010
    if "typer.rich_utils" in sys.modules:
        _patch_rich_utils(sys.modules["typer.rich_utils"])
    elif not any(isinstance(f, _PatchOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())
