"""Text for a terminal: what a data file says must be shown there, never obeyed.

A name, a detail or an id read from a cohort's files may hold control characters
(ESC starting a sequence that moves the cursor, rewrites the title or a link; BEL; CR
overwriting the line). Before any such text reaches a terminal, each control character
is replaced by a visible, harmless sign.
"""

from __future__ import annotations

import re

#: control characters made visible and harmless on a terminal (ESC, BEL, CR, DEL, C1…):
#: each C0 one becomes its « control picture » (␛, ␇, ␍), the others U+FFFD
_CONTROLS = {c: 0x2400 + c for c in range(32) if c not in (9, 10)} | {0x7F: 0x2421}
_CONTROLS |= dict.fromkeys(range(0x80, 0xA0), 0xFFFD)
_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """*text* as it may reach a terminal: no control character can act there."""
    # one fast scan first: most texts hold none, and translate is slow on long ones
    return text.translate(_CONTROLS) if _ANY_CONTROL.search(text) else text


def table(title: str, header: list[str], rows: list[list[str]], left: int = 1) -> str:
    """A table for a terminal, in plain text: a title, the headers wrapped on their words
    (no wider than :data:`HEADER_WIDTH` unless a cell or a word is), a rule, the rows; the
    first *left* columns aligned left, the others right. Cells are text already (controls
    are made harmless here). Built as strings: 10,000 rows take milliseconds, where a
    layout engine takes seconds."""
    import textwrap

    cells, heads = rows, header
    widths = [max(len(word) for word in h.split()) if h.strip() else 0 for h in heads]
    widths = [max(w, min(len(h), HEADER_WIDTH)) for w, h in zip(widths, heads, strict=True)]
    for i, column in enumerate(zip(*cells, strict=True)):
        widths[i] = max(widths[i], *map(len, column))
    wrapped = [textwrap.wrap(h, w) or [""] for h, w in zip(heads, widths, strict=True)]
    depth = max(len(lines) for lines in wrapped)
    wrapped = [[""] * (depth - len(lines)) + lines for lines in wrapped]  # on the rule

    # one format for every line, « {:<10} │ {:>4} │ … »: a row is one call
    pattern = GAP.join(f"{{:{'<' if i < left else '>'}{w}}}" for i, w in enumerate(widths))
    out = [title] if title else []
    out += [pattern.format(*[lines[i] for lines in wrapped]).rstrip() for i in range(depth)]
    out.append("─┼─".join("─" * w for w in widths))
    out += [pattern.format(*row).rstrip() for row in cells]
    # made harmless once, as a whole: each control becomes one sign, the columns hold
    return shown("\n".join(out))


#: the widest a header goes before it is wrapped on its words
HEADER_WIDTH = 12
#: between two columns
GAP = " │ "
