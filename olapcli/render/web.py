"""The pages of ``olap serve``: French HTML made from the templates in
``templates/web/`` (autoescaped: every user text is escaped), and the stylesheet they
link to (no inline style nor script: the server's Content-Security-Policy forbids them)."""

from __future__ import annotations

from typing import Any

from olapcli.io import assets
from olapcli.render import render


def page(name: str, **values: Any) -> str:
    """The web page *name* (``templates/web/<name>.html.j2``)."""
    return render(f"web/{name}.html.j2", **values)


def stylesheet() -> bytes:
    """The site's stylesheet followed by the web pages' own rules."""
    return assets.template_bytes("style.css") + b"\n" + assets.template_bytes("web/web.css")
