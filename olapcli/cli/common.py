"""What every command shares: the cohort root, consoles, prompts, exits."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import typer

from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.render.terminal import shown


@dataclass
class State:
    """Global options, kept on the Typer context."""

    cohort: Path | None = None


class _LazyConsole:
    """A rich Console made on first use: importing rich costs ~35 ms that
    ``olap need add`` does not spend when it prints plain text."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Any = None

    def __getattr__(self, name: str) -> Any:
        stream = sys.stderr if self._stderr else sys.stdout
        # the width asked each time: COLUMNS may change between two runs in one process
        # (tests), and rich reads it only when the console is made. Written to a file or a
        # pipe with no COLUMNS: no terminal width to respect, so tables get room.
        width = _columns() or (None if stream.isatty() else PIPE_WIDTH)
        if self._console is None:
            self._console = _safe_console()(
                stderr=self._stderr, highlight=False, soft_wrap=True, width=width, markup=False
            )
        else:
            self._console.width = width  # None: rich asks the terminal
        return getattr(self._console, name)


#: the width of a table written to a file or a pipe with no COLUMNS: room for the table
PIPE_WIDTH = 160


def _columns() -> int | None:
    """The width ``COLUMNS`` says, if it says one."""
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def _safe_console() -> Any:
    """rich's Console, made to show what a cohort's files say and never obey it.

    Markup is off: « [bold] » or « [link=…] » in a name prints as written; olap's own
    styles go through ``style=`` or :class:`rich.text.Text`. Every string rich renders
    (a printed line, a table cell) has its control characters made harmless
    (:func:`olapcli.render.terminal.shown`): rich itself drops BEL and CR but lets ESC
    through, and with it any sequence that moves the cursor, retitles the window or
    hides a link. A :class:`~rich.text.Text` built from data must be built from
    ``shown(…)`` text (see :func:`styled`).
    """
    from rich.console import Console

    class SafeConsole(Console):
        def render_str(self, text: str, **options: Any) -> Any:
            return super().render_str(shown(text), **options)

        def on_broken_pipe(self) -> None:
            # rich would exit 1 in silence; olap's one handler says so and exits 2
            self.quiet = True
            raise BrokenPipeError

    return SafeConsole


def styled(*parts: str | tuple[str, str]) -> Any:
    """A line of rich text from *parts*: a string, or (string, style); every string is
    made harmless first (:func:`olapcli.render.terminal.shown`)."""
    from rich.text import Text

    return Text.assemble(*(shown(p) if isinstance(p, str) else (shown(p[0]), p[1]) for p in parts))


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Plain text to the terminal (no rich to import), controls made harmless."""
    typer.echo(shown(text), err=err, nl=nl)


#: characters JSON may carry raw that a terminal would act on (C1 controls, DEL)
_JSON_RAW_CONTROLS = {c: f"\\u{c:04x}" for c in [0x7F, *range(0x80, 0xA0)]}


def json_text(data: Any) -> str:
    """*data* as indented JSON for standard output: the same values once parsed, but
    no character a terminal would act on (JSON escapes C0 controls; C1 and DEL are
    escaped here too)."""
    import json

    def day(value: Any) -> str:  # dates as the files write them
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(data, ensure_ascii=False, indent=2, default=day).translate(_JSON_RAW_CONTROLS)


out: Any = _LazyConsole(stderr=False)
err: Any = _LazyConsole(stderr=True)


def state(ctx: typer.Context) -> State:
    """The global options of this invocation."""
    root_ctx = ctx.find_root()
    if not isinstance(root_ctx.obj, State):
        root_ctx.obj = State()
    return root_ctx.obj


def root(ctx: typer.Context) -> Path:
    """The cohort folder (``-C`` or discovered upward)."""
    return find_cohort(state(ctx).cohort)


def find_cohort(folder: Path | None) -> Path:
    """The cohort folder *folder*, or the nearest one upward; refused when there is none."""
    from olapcli.app.inputs import find_cohort as find

    return find(folder)


def terminal_width(fallback: int = 100) -> int:
    """The width of the terminal (``COLUMNS`` first, as the shell says), or *fallback*."""
    columns = _columns()
    if columns:
        return columns
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return fallback


def output_width() -> int:
    """The width standard output's lines should fit: ``COLUMNS`` first, else the
    terminal's, else :data:`PIPE_WIDTH` (a file or a pipe)."""
    if sys.stdout.isatty():
        return terminal_width(fallback=PIPE_WIDTH)
    return _columns() or PIPE_WIDTH


def print_table(title: str, columns: list[Any], rows: list[list[Any]], keys: int = 0) -> None:
    """A table on standard output that fits :func:`output_width`, laid out by
    :mod:`olapcli.render.tables` (wrapped, in slices or stacked as the width asks). Styles
    (cells given as (text, style)) show on a terminal only; elsewhere the text is plain,
    written without rich (its layout costs seconds on thousands of rows)."""
    from olapcli.render.tables import lay_out

    lines = lay_out(title, columns, rows, output_width(), keys, head_style="bold")
    text = "\n".join(line.text for line in lines)
    if not sys.stdout.isatty():
        emit(text)  # made harmless by lay_out already: no control left to act
        return
    from rich.text import Span, Text

    spans, start = [], 0
    for line in lines:
        spans += [Span(start + a, start + b, style) for a, b, style in line.spans]
        start += len(line.text) + 1
    out.print(Text(text, spans=spans), soft_wrap=True)


def interactive() -> bool:
    """True when a person can answer questions (a terminal, not CI)."""
    if os.environ.get("OLAP_NO_PROMPT") or os.environ.get("CI"):
        return False
    return sys.stdin.isatty()


def refuse(message: str, hint: str | None = None) -> NoReturn:
    """Stop with exit 2 and a message (no traceback)."""
    raise UserError(message, hint)


_YES = {"o", "oui", "y", "yes"}
_NO = {"n", "non", "no"}


def ask(
    label: str,
    check: Callable[[str], Any] | None = None,
    default: str | None = None,
    hint: str | None = None,
) -> Any:
    """Ask until *check* accepts the answer (it returns the value or raises ValueError);
    *hint* says what is accepted after a refused answer; Enter takes *default*."""
    suffix = f" [{default}]" if default else ""
    while True:
        answer = typer.prompt(label + suffix, default="", show_default=False, err=True).strip()
        if not answer and default is not None:
            answer = default
        if not answer:
            continue
        if check is None:
            return answer
        try:
            return check(answer)
        except ValueError:
            err.print(_("« {answer} » is not valid here.").format(answer=answer), markup=False)
            if hint:
                err.print(f"  → {hint}", markup=False)


def confirm(label: str, default: bool = False) -> bool:
    """A yes/no question that understands « o », « oui », « n », « non »."""
    hint = _("[y/N]") if not default else _("[Y/n]")

    def check(answer: str) -> bool:
        word = answer.lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise ValueError(answer)

    return bool(ask(f"{label} {hint}", check, default=_("y") if default else _("n")))


def parse_date_option(value: str | None, name: str) -> object:
    """A date typed by the user, or a refusal naming the option."""
    from olapcli.app.inputs import date_forms, parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        refuse(
            _("Invalid date for {option}: « {value} ».").format(option=name, value=value),
            date_forms(),
        )


def period_options(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``--from`` and ``--to`` as dates (or None), refused when the period runs backwards."""
    first = parse_date_option(start, "--from")
    last = parse_date_option(end, "--to")
    assert first is None or isinstance(first, dt.date)
    assert last is None or isinstance(last, dt.date)
    if first and last and last < first:
        refuse(_("--to is before --from."))
    return first, last


def split_list(value: str | None) -> list[str]:
    """``"a, b,c"`` → ``["a", "b", "c"]``."""
    if not value:
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


@contextlib.contextmanager
def progress_bar(label: str, minimum: int = 0) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback that shows a bar on the terminal once work of
    more than *minimum* steps starts (nothing in a pipe, in CI or for short work)."""
    state: dict[str, Any] = {}
    shown = sys.stderr.isatty() and not os.environ.get("CI")

    def progress(done: int, total: int) -> None:
        if total <= minimum or not shown:
            return
        if not state:
            from rich.progress import Progress

            state["bar"] = bar = Progress(console=err._console, transient=True)
            bar.start()
            state["task"] = bar.add_task(label, total=total)
        state["bar"].update(state["task"], completed=done, total=total)

    try:
        yield progress
    finally:
        if state:
            state["bar"].stop()


def emit(text: str | bytes) -> None:
    """Write a (long) text to standard output as it is, controls made harmless (bytes are
    taken as made so already: see :func:`olapcli.render.terminal.shown`): no rich (its
    layout costs seconds on tens of thousands of lines), no markup."""
    if isinstance(text, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(text + b"\n")
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(shown(text) + "\n")
        sys.stdout.flush()


def say(line: str) -> None:
    """A short line for the person, on standard error (plain: no rich to import)."""
    sys.stderr.write(shown(line) + "\n")


def say_notices(notices: list[Any]) -> None:
    """Say what became of the e-mails of a write (olapcli.app.notify.Notice)."""
    for notice in notices:
        line = notice.text()
        if line:
            echo(line, err=True)  # plain: rich would cost need add ~40 ms to import


def say_excluded(excluded: list[Any]) -> None:
    """On stderr: the learners left out of the figures (``--exclude-invalid``), by their
    pseudonymous key, with the codes of their errors."""
    err.print(
        _("{n} learner(s) left out of the figures for validate errors (--exclude-invalid):").format(
            n=len(excluded)
        ),
        markup=False,
    )
    for e in excluded:
        who = e.key or _("(key unknown: the file cannot be read)")
        err.print(f"  {who}: {', '.join(e.codes)}", markup=False)
