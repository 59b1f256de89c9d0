"""The Jinja environment for every page olap writes: autoescape on, undefined is an error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from olapcli.i18n import _, language, ngettext
from olapcli.render import filters

TEMPLATES = Path(__file__).parent / "templates"

_ENV: Environment | None = None


def environment() -> Environment:
    """The shared environment (HTML templates autoescaped; Markdown ones escape by filter)."""
    global _ENV
    if _ENV is None:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(
            href=filters.safe_href,
            markdown=filters.markdown,
            mdx=filters.md_escape,
            mdlink=filters.md_link,
        )
        env.globals.update(_=_, ngettext=ngettext)
        _ENV = env
    _ENV.globals["lang"] = language()
    return _ENV


def render(template: str, **context: Any) -> str:
    """Render *template* with *context*."""
    return environment().get_template(template).render(**context)
