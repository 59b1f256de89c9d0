"""What olap takes for a web link, written once: the model (so ``olap validate``), the
fast reader of learner files, and the write commands ask here.

A link is published in the site, the report and the e-mails: a control character in it
(a line break, a tab, an escape) would cut a header, a Markdown line or a terminal's
display where a reader does not expect it, so none is ever accepted.
"""

from __future__ import annotations

import re

#: C0 controls, DEL and C1 controls (Unicode category Cc)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SCHEMES = ("http://", "https://")


def has_control(text: str) -> bool:
    """Does *text* hold a control character (line break, tab, escape, NUL…)?"""
    return _CONTROL.search(text) is not None


def looks_like_link(text: str) -> bool:
    """Is *text* meant as a web link (it starts with http:// or https://)? A need's
    resources are titles or links; the links are held to :func:`is_web_link`."""
    return text.lstrip().lower().startswith(_SCHEMES)


def is_web_link(url: str) -> bool:
    """http(s) with a host, on one line, nothing else (javascript:, data:, file:,
    spaces and control characters are refused)."""
    from urllib.parse import urlsplit

    if has_control(url) or any(c.isspace() for c in url.strip()):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def visible(text: str) -> str:
    """*text* with its control characters written out (``\\n``, ``\\x1b``), to show it in
    a message on one line."""
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return _CONTROL.sub(lambda m: named.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def public_base(url: object) -> str | None:
    """*url* as the start of personal links (``{base}/a/{token}``): an http(s) address
    with a host, no query nor fragment, without its trailing slash; None otherwise."""
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not is_web_link(url):
        return None
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.query or parts.fragment or "@" in parts.netloc:
        return None
    return text


#: characters a text never needs and that hide or reorder what it shows: controls (but
#: tab and line break), DEL, C1, and the bidirectional overrides and isolates
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hidden(text: str) -> bool:
    """Does *text* (a need's detail, say) hold a character that hides or reorders what it
    shows?"""
    return _HIDDEN.search(text) is not None
