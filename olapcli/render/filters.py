"""Pure Jinja filters. Every href built from data goes through :func:`safe_href`."""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_CONTROL = re.compile(r"[\x00-\x1f]")


def safe_href(url: Any) -> str:
    """*url* if it is http(s) or a relative path; ``#`` otherwise (javascript:, data:…)."""
    return _safe_href(str(url or ""))


@functools.lru_cache(maxsize=8192)
def _safe_href(url: str) -> str:
    # kept: a synoptic page links each learner's id tens of thousands of times
    text = url.strip()
    if not text or _CONTROL.search(text):
        return "#"
    if _SCHEME.match(text) or text.startswith("//"):
        parts = urlsplit(text)
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            return text
        return "#"
    if text.startswith("\\"):
        return "#"
    return quote(text, safe="/#?&=.:-_~%+")


def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    default_link = md.validateLink

    def validate(url: str) -> bool:
        return default_link(url) and safe_href(url) != "#"

    md.validateLink = validate  # type: ignore[method-assign]
    return md


_MD: Any = None


def markdown(text: Any) -> Markup:
    """User text as HTML: markdown-it, raw HTML off, links limited to http(s) and relative."""
    global _MD
    if _MD is None:
        _MD = _markdown()
    return Markup(_MD.render(str(text or "")))


def md_escape(text: Any) -> str:
    """User text made inert in Markdown (and in the HTML a viewer makes of it)."""
    value = str(text or "").replace("\r", " ").replace("\n", " ")
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]#+!|~])", r"\\\1", value)


def md_link(text: Any, url: Any) -> str:
    """A Markdown link whose target is safe, or the text alone."""
    href = safe_href(url)
    label = md_escape(text)
    if href == "#":
        return label
    return f"[{label}](<{href.replace('>', '%3E').replace(' ', '%20')}>)"
