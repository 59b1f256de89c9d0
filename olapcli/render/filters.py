"""Pure Jinja filters. Every href built from data goes through :func:`safe_href`. Numbers
and dates: :mod:`olapcli.render.formats`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from markupsafe import Markup, escape

from olapcli.core import links

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def safe_href(url: Any) -> str:
    """*url* if it is http(s) or a relative path; ``#`` otherwise (javascript:, data:…)."""
    return _safe_href(str(url or ""))


@functools.lru_cache(maxsize=8192)
def _safe_href(url: str) -> str:
    # kept: a synoptic page links each learner's id tens of thousands of times
    text = url.strip()
    if not text or links.has_control(text):
        return "#"
    if _SCHEME.match(text) or text.startswith("//"):
        parts = urlsplit(text)
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            return text
        return "#"
    if text.startswith("\\"):
        return "#"
    return quote(text, safe="/#?&=.:-_~%+")


def in_site(src: str, depth: int) -> bool:
    """Does the relative reference *src*, on a page *depth* folders below the site's root,
    stay inside the site? Never for a URL with a scheme or a host, nor for an absolute
    path (the rest of the server), nor one that climbs above the site's root."""
    text = src.strip()
    if not text or _SCHEME.match(text) or text.startswith(("/", "\\")):
        return False
    path = unquote(re.split(r"[?#]", text, maxsplit=1)[0]).replace("\\", "/")
    level = depth
    for part in path.split("/"):
        if part == "..":
            level -= 1
            if level < 0:
                return False
        elif part not in ("", "."):
            level += 1
    return True


def _image(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """An image of user text: shown when it is part of the site; a plain link otherwise,
    so that opening a page makes no request to another server (no tracking pixel, no
    image changed behind the trainer's back)."""
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if in_site(src, int(env.get("depth", 0))):
        return str(self.image(tokens, idx, options, env))
    label = self.renderInlineAsText(token.children or [], options, env) or src
    return f'<a href="{escapeHtml(src)}">{escapeHtml(label)}</a>'


def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")  # a resource's tables (a cleaning plan, a temperature sheet)
    default_link = md.validateLink

    def validate(url: str) -> bool:
        return default_link(url) and safe_href(url) != "#"

    md.validateLink = validate  # type: ignore[method-assign]
    md.add_render_rule("image", _image)
    return md


_MD: Any = None


def markdown(text: Any, root: str = "") -> Markup:
    """User text as HTML: markdown-it, raw HTML off, links limited to http(s) and relative,
    images only from the site (*root*: the way up from the page to the site's root)."""
    global _MD
    if _MD is None:
        _MD = _markdown()
    return Markup(_MD.render(str(text or ""), {"depth": root.count("../")}))


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


#: each mark of the grid: its class (a colour), the text says it too (never colour alone)
_LEVEL_CLASS = {"I": "lv-i", "A": "lv-a", "EC": "lv-ec", "R": "lv-r"}


def marks_html(marks: Any, sep: str = " · ") -> Markup:
    """The marks of a cell (I, A, EC, R), each in its colour and by its letters."""
    return Markup(sep).join(
        Markup('<span class="lv {}">{}</span>').format(_LEVEL_CLASS.get(str(m), "lv"), m)
        for m in marks or []
    )


def split_quiet(groups: Any) -> tuple[list[Any], list[Any]]:
    """The grid's groups with only the rows that say something (a need, an evaluation, a
    planned period, a resource of the learner's), and the quiet rows apart, with their
    group: shown collapsed, so a learner's grid reads (and prints) short."""
    shown, quiet = [], []
    for group, rows in groups:
        kept = [r for r in rows if r.entries or r.periods or r.own_resources]
        quiet += [(group, r) for r in rows if not (r.entries or r.periods or r.own_resources)]
        if kept:
            shown.append((group, kept))
    return shown, quiet


def cycle_html(c: Any) -> Markup:
    """Where a need stands in its cycle (a :class:`olapcli.core.cycle.Cycle`): twelve dots
    and the step reached, then each step with its day and who did it, in a ``<details>``
    that works without JavaScript. Built here rather than by a template loop: the site's
    grid shows one per need, thousands on a big cohort; what does not depend on the need
    (the steps' names, escaped) is made once per language. Every text is escaped."""
    parts = _cycle_parts()
    dots = "".join(_DOTS.get(s.state) or _dot(s.state) for s in c.steps)
    items = []
    for s in c.steps:
        if not s.state:
            items.append(parts.muted.get(s.label) or _muted(s.label))
            continue
        date = s.date
        # a day's ISO form holds nothing to escape
        tail = f" : {date.isoformat() if type(date) is dt.date else _esc(date) if date else parts.done}"
        tail += f" ({_esc(s.by)})" if s.by else ""
        tail += f", {parts.prepared}" if s.state == "covered" else ""
        label = parts.labels.get(s.label) or _esc(s.label)
        items.append(f"<li>{label}{tail}</li>")
    return Markup(
        f'<details class="cycle"><summary><span class="dots" aria-hidden="true">{dots}</span> '
        f'{_esc(c.text())}</summary>\n<ol class="cycle-steps">{"".join(items)}</ol>\n</details>'
    )


def _esc(text: Any) -> str:
    """As the templates escape (&#39; for ')."""
    return str(escape(str(text)))


def _dot(state: str) -> str:
    return f'<span class="dot {_esc(state)}"></span>' if state else '<span class="dot"></span>'


def _muted(label: str) -> str:
    return f'<li class="muted">{_esc(label)}</li>'


_DOTS = {state: _dot(state) for state in ("", "done", "covered")}


@dataclass(frozen=True)
class _CycleParts:
    """What :func:`cycle_html` writes the same for every need, in one language."""

    #: each step's name -> escaped, and as the item of a step not done
    labels: dict[str, str]
    muted: dict[str, str]
    done: str
    prepared: str


_CYCLE_PARTS: dict[str, _CycleParts] = {}


def _cycle_parts() -> _CycleParts:
    from olapcli.core import cycle
    from olapcli.i18n import _, language

    lang = language()
    if lang not in _CYCLE_PARTS:
        names = cycle.labels()
        _CYCLE_PARTS[lang] = _CycleParts(
            {v: _esc(v) for v in names.values()},
            {v: _muted(v) for v in names.values()},
            _esc(_("done")),
            _esc(_("response prepared")),
        )
    return _CYCLE_PARTS[lang]


def synoptic_cells(row: Any, activities: Any, names: Any) -> Markup:
    """The cells of one learner's row of the synoptic table, one per activity, as a
    template loop would write them, built here: 1,000 learners by 89 activities make
    89,000 cells, which the loop took 1.5 s to write, on every render. Every text is
    escaped (the peers' names, their levels)."""
    from olapcli.i18n import _

    late = f' <span class="tag">{_esc(_("overdue"))}</span>'
    soon = f' <span class="tag">{_esc(_("soon"))}</span>'
    out = []
    for a in activities:
        cell = row.get(a.id)
        if not cell:
            out.append('    <td class="center"></td>\n')
            continue
        state = cell.state
        text = str(marks_html(cell.marks, " "))
        if state == "late":
            text += late
        elif state == "soon":
            text += soon
        if cell.peers:
            peers = ", ".join(
                f"{_esc(names.get(p.learner, p.learner))} ({_esc(p.level)})" for p in cell.peers[:3]
            )
            text += f'<span class="peers"><br><span class="muted">→ {peers}</span></span>'
        cls = f"center {state}" if state in ("soon", "late") else "center"
        out.append(f'    <td class="{cls}">{text}</td>\n')
    return Markup("".join(out))
