"""The output formats: HTML and Markdown pages, the report, e-mails, spreadsheets, the
problems of validate. Everything olap shows or sends is made here, from data computed
by the core; the Jinja environment below has autoescape on and undefined as an error.

Jinja is imported on the first page rendered: commands that print only text (validate,
need add) never pay for it. Modules here make strings and bytes: they may import
:mod:`olapcli.core` and, for what they need of the machine (the templates' compiled
cache, packaged assets, a forked child writing half of a long page), :mod:`olapcli.io`;
never ``app`` or ``cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from olapcli.i18n import _, language, ngettext
from olapcli.io import assets

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = assets.templates()

_ENV: Environment | None = None


def environment() -> Environment:
    """The shared environment (HTML templates autoescaped; Markdown ones escape by filter)."""
    global _ENV
    if _ENV is None:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

        from olapcli.core import rules
        from olapcli.render import filters, formats

        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            bytecode_cache=_bytecode_cache(),
            autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(
            href=filters.safe_href,
            markdown=filters.markdown,
            cycle_html=filters.cycle_html,
            marks=filters.marks_html,
            split_quiet=filters.split_quiet,
            synoptic_cells=filters.synoptic_cells,
            mdx=filters.md_escape,
            mdlink=filters.md_link,
            subject=rules.need_subject,
        )
        env.filters.update(formats.filters())  # number, decimal, percent, date
        env.globals.update(_=_, ngettext=ngettext)
        _ENV = env
    _ENV.globals["lang"] = language()
    return _ENV


def _bytecode_cache() -> Any:
    """Compiled templates kept in the cache folder: compiling the e-mail templates would
    otherwise cost ``olap need add`` a twentieth of a second on every run. Jinja checks
    each template's source checksum, so a changed template is compiled again."""
    import contextlib

    from jinja2 import FileSystemBytecodeCache

    from olapcli.io.store import templates_folder

    class BestEffort(FileSystemBytecodeCache):
        """A cache: when it cannot be written (disk full…), the page is made all the same."""

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = templates_folder()
    return BestEffort(str(folder), "%s.olap.cache") if folder else None


def render(template: str, **context: Any) -> str:
    """Render *template* with *context*."""
    return environment().get_template(template).render(**context)
