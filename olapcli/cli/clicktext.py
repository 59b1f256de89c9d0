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
    # the rest of what Click and Typer can say to a user (pybabel extract on their sources)
    _mark("deprecated"),
    _mark("(deprecated) "),
    _mark("Positional arguments"),
    _mark("DeprecationWarning: The command {name!r} is deprecated.{extra_message}"),
    _mark("DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}"),
    _mark("Value must be an iterable."),
    _mark("env var: {var}"),
    _mark("default: {default}"),
    _mark("required"),
    _mark("(dynamic)"),
    _mark("Do you want to continue?"),
    _mark("Confirm the action without prompting."),
    _mark("%(prog)s, version %(version)s"),
    _mark("Show the version and exit."),
    _mark("Missing {param_type}"),
    _mark("unknown error"),
    _mark("Could not open file {filename!r}: {message}"),
    _mark("Invalid start character for option ({option})"),
    _mark("Argument {name!r} takes {nargs} values."),
    _mark("Shell completion is not supported for Bash versions older than 4.4."),
    _mark("Couldn't detect Bash version, shell completion is not supported."),
    _mark("Error: invalid input"),
    _mark("Press any key to continue..."),
    _mark("{editor}: Editing failed"),
    _mark("{editor}: Editing failed: {e}"),
    _mark("Choose from:\n\t{choices}"),
    _mark("Choice({choices})"),
    _mark("{value!r} is not a valid UUID."),
    _mark("{name} {filename!r} is not readable."),
    _mark("{name} {filename!r} is not writable."),
    _mark("{name} {filename!r} is not executable."),
    _nmark("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."),
    _nmark(
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ),
    _nmark(
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ),
    _mark("{shell} completion installed in {path}"),
    _mark("Completion will take effect once you restart the terminal"),
    # the usage line's placeholders
    _mark("[OPTIONS]"),
    _mark("COMMAND [ARGS]..."),
    _mark("[COMMAND] [ARGS]..."),
)

_USAGE = ("[OPTIONS]", "COMMAND [ARGS]...", "[COMMAND] [ARGS]...")

#: the names of Click's parameter types, shown in capitals in the help (``ENTIER``) and in
#: their errors (« 'x' n'est pas un entier valide »). The boolean keeps its name: Typer
#: hides a flag's metavar by comparing it with "BOOLEAN".
TYPE_NAMES = {
    "StringParamType": _mark("text"),
    "UnprocessedParamType": _mark("text"),
    "IntParamType": _mark("integer"),
    "IntRange": _mark("integer range"),
    "FloatParamType": _mark("float"),
    "FloatRange": _mark("float range"),
    "DateTime": _mark("datetime"),
    "UUIDParameterType": _mark("uuid"),
    "File": _mark("filename"),
    "Choice": _mark("choice"),
}


class _Said:
    """A class attribute said in the language in use when read (``--lang`` may change
    it after the classes are built)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __get__(self, obj: Any, owner: Any = None) -> str:
        return _(self.message)


_MODULES = (
    "click.core",
    "click.exceptions",
    "click.parser",
    "click.shell_completion",
    "click.utils",
    "click.types",
    "click.decorators",
    "click.formatting",
    "click.termui",
    "typer.core",
    "typer.main",
)


def _patch_rich_utils(rich_utils: Any) -> None:
    rich_utils._ = _
    rich_utils.DEPRECATED_STRING = _("(deprecated) ")
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


def install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """Typer's ``--install-completion``, said through the catalog."""
    if not value or ctx.resilient_parsing:
        return value
    import click
    from typer._completion_shared import install as install_for

    shell, path = install_for(shell=value) if isinstance(value, str) else install_for()
    click.secho(
        _("{shell} completion installed in {path}").format(shell=shell, path=path), fg="green"
    )
    click.echo(_("Completion will take effect once you restart the terminal"))
    sys.exit(0)


def _patch_click() -> None:
    """Type names, the usage line's placeholders and Typer's command suggestion."""
    import click
    import click.types
    import typer.core

    for name, message in TYPE_NAMES.items():
        setattr(getattr(click.types, name), "name", _Said(message))  # noqa: B010
    for cls in (click.Command, click.Group):
        made = cls.collect_usage_pieces
        if getattr(made, "olap", False):
            continue

        def pieces(self: Any, ctx: Any, made: Any = made) -> list[str]:
            return [_(p) if p in _USAGE else p for p in made(self, ctx)]

        pieces.olap = True  # type: ignore[attr-defined]
        cls.collect_usage_pieces = pieces  # type: ignore[method-assign]

    def resolve_command(self: Any, ctx: Any, args: list[str]) -> Any:
        # Typer adds its own English « Did you mean »; Click says it through the catalog,
        # from every command (olap's are built on demand, so not all in self.commands)
        try:
            return click.Group.resolve_command(self, ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            if exc.possibilities:
                raise
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    typer.core.TyperGroup.resolve_command = resolve_command  # type: ignore[method-assign]


def install() -> None:
    """Route Click's and Typer's gettext calls to olap's catalog."""
    _patch_click()
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
