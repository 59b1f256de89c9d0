"""Tables that fit the terminal (issue 15, point 3), in plain text, for every command.

One layout for ``olap need list``, ``olap match``, ``olap learner list`` and
``olap metrics``, chosen from the width it is given:

1. the **table**, every column as wide as its cells (headers wrapped on their words);
2. the table with its long-text columns (:attr:`Column.wrap`) **wrapped on their words**,
   when each still gets :data:`MIN_TEXT` characters;
3. for a table of figures whose first *keys* columns name the row (``olap metrics``), the
   table **in slices** of columns, each slice repeating those first columns;
4. else **one block per row**: « label  value » lines, blocks apart by a blank line.

A word is never cut: ids (learners, needs, activities, keys K-XXXX) stay whole, and a
column that is not :attr:`~Column.wrap` is never wrapped at all. A line is longer than
the width only when one id or value is, alone. Built as strings: 10,000 rows take
milliseconds, where a layout engine takes seconds. Widths are counted in characters.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from olapcli.render.terminal import shown

#: the widest a header goes before it is wrapped on its words
HEADER_WIDTH = 12
#: the fewest characters a long-text column gets in a table; narrower, the rows are stacked
MIN_TEXT = 20
#: between two columns of a table
GAP = " │ "
#: between the label and the value of a stacked row
LABEL_GAP = "  "

#: a cell: its text, or (text, style) for a terminal that shows styles (« bold red »)
Cell = str | tuple[str, str]


@dataclass(frozen=True)
class Column:
    """A column: its *title*; *wrap* for long text (wrapped on its words, ids inside it
    kept whole), else the cell is kept whole on one line (ids, dates, figures); *right*
    aligned (figures)."""

    title: str
    wrap: bool = False
    right: bool = False


@dataclass(frozen=True)
class Line:
    """A line of output, and where a style applies in it: ``(start, end, style)``."""

    text: str
    spans: tuple[tuple[int, int, str], ...] = ()


def lay_out(
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    width: int | None,
    keys: int = 0,
    head_style: str = "",
) -> list[Line]:
    """The lines of a table of *rows* that fit *width* (None: no limit), laid out as the
    module says; *keys* first columns repeated in each slice (0: no slices);
    *head_style* for the headers. Every text is made harmless for a terminal."""
    styles = {
        (r, i): c[1] for r, row in enumerate(rows) for i, c in enumerate(row) if type(c) is not str
    }
    # no style: every cell is text already, taken as it is (10,000 rows: no copy)
    texts = [[_text(c) for c in row] for row in rows] if styles else cast("list[list[str]]", rows)
    # a control becomes one sign (the widths hold): one scan of it all, as most hold none
    if shown(all_text := "\n".join("\n".join(row) for row in texts)) != all_text:
        texts = [[shown(c) for c in row] for row in texts]
    heads = [shown(c.title) for c in columns]
    natural, least = _widths(columns, heads, texts)
    out = [Line(shown(title), ((0, len(shown(title)), "bold"),))] if title else []
    every = list(range(len(columns)))
    widths = _fit(columns, natural, least, every, width)
    if widths is not None:
        return out + _table(columns, heads, texts, styles, every, widths, head_style)
    slices = _slices(columns, natural, least, keys, width) if keys else None
    if slices:
        for k, part in enumerate(slices):
            fitted = _fit(columns, natural, least, part, width)
            assert fitted is not None
            out += [Line("")] if k else []
            out += _table(columns, heads, texts, styles, part, fitted, head_style)
        return out
    return out + _stacked(columns, heads, texts, styles, width, head_style)


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell[0]


def _longest_word(text: str) -> int:
    return max((len(w) for w in _glued(text).split()), default=0)


def _widths(
    columns: Sequence[Column], heads: list[str], texts: list[list[str]]
) -> tuple[list[int], list[int]]:
    """Each column's natural width (its widest cell, headers up to HEADER_WIDTH) and the
    least it can take (a whole cell, or a long text's longest word and MIN_TEXT)."""
    natural, least = [], []
    for i, column in enumerate(columns):
        cells = [row[i] for row in texts]
        word = _longest_word(heads[i])
        widest = max(map(len, cells), default=0)
        head = max(word, min(len(heads[i]), HEADER_WIDTH))
        natural.append(max(head, widest))
        if column.wrap:
            words = max(map(_longest_word, cells), default=0)
            least.append(min(natural[-1], max(word, words, MIN_TEXT)))
        else:
            least.append(max(word, widest))
    return natural, least


def _fit(
    columns: Sequence[Column],
    natural: list[int],
    least: list[int],
    part: list[int],
    width: int | None,
) -> list[int] | None:
    """The widths of the columns *part* within *width*, or None when they cannot fit:
    natural widths if they do, else the long-text columns narrowed, the room shared."""
    gaps = len(GAP) * (len(part) - 1)
    if width is None or sum(natural[i] for i in part) + gaps <= width:
        return [natural[i] for i in part]
    if sum(least[i] for i in part) + gaps > width:
        return None
    widths = {i: least[i] for i in part}
    room = width - gaps - sum(widths.values())
    growing = [i for i in part if columns[i].wrap and widths[i] < natural[i]]
    while room > 0 and growing:  # shared evenly, each up to its natural width
        share = max(1, room // len(growing))
        for i in list(growing):
            step = min(share, natural[i] - widths[i], room)
            widths[i] += step
            room -= step
            if widths[i] >= natural[i]:
                growing.remove(i)
    return [widths[i] for i in part]


def _slices(
    columns: Sequence[Column], natural: list[int], least: list[int], keys: int, width: int | None
) -> list[list[int]] | None:
    """The columns in slices that each fit *width*, the first *keys* in every one; None
    when a single column beside the keys does not fit."""
    first = list(range(keys))
    slices: list[list[int]] = []
    part = list(first)
    for i in range(keys, len(columns)):
        if _fit(columns, natural, least, [*part, i], width) is not None:
            part.append(i)
            continue
        if len(part) == keys:
            return None
        slices.append(part)
        part = [*first, i]
        if _fit(columns, natural, least, part, width) is None:
            return None
    slices.append(part)
    return slices


def wrap(text: str, width: int) -> list[str]:
    """*text* on lines of *width*, cut between words only (never inside one, nor at its
    hyphens: « lea-martin » and « b20261121-ee774222f8 » stay whole), and never before
    « ; : ! ? » € % » nor after « « », as French writes them with a space."""
    if len(text) <= width:
        return [text]
    lines = textwrap.wrap(_glued(text), width, break_long_words=False, break_on_hyphens=False)
    return [line.replace(_GLUE, " ") for line in lines] or [""]


#: a space that holds two words together while a text is wrapped (a private-use sign)
_GLUE = "\ue000"
_FRENCH_SPACE = re.compile(r" (?=[;:!?»€%])|(?<=«) ")


def _glued(text: str) -> str:
    return _FRENCH_SPACE.sub(_GLUE, text)


def _table(
    columns: Sequence[Column],
    heads: list[str],
    texts: list[list[str]],
    styles: dict[tuple[int, int], str],
    part: list[int],
    widths: list[int],
    head_style: str,
) -> list[Line]:
    """The header (wrapped on its words, bottom-aligned on the rule), the rule, the rows."""
    wrapped = [wrap(heads[i], w) for i, w in zip(part, widths, strict=True)]
    depth = max(len(lines) for lines in wrapped)
    wrapped = [[""] * (depth - len(lines)) + lines for lines in wrapped]
    aligns = ["" if not columns[i].right else ">" for i in part]
    pattern = GAP.join(f"{{:{a or '<'}{w}}}" for a, w in zip(aligns, widths, strict=True))
    out = [_line([lines[d] for lines in wrapped], widths, aligns, head_style) for d in range(depth)]
    out.append(Line("─┼─".join("─" * w for w in widths)))
    for r, row in enumerate(texts):
        cells = [row[i] for i in part]
        plain = all(len(c) <= w for c, w in zip(cells, widths, strict=True))
        if plain and not (styles and any((r, i) in styles for i in part)):  # one call
            out.append(Line(pattern.format(*cells).rstrip()))
            continue
        stacks = [
            wrap(c, w) if columns[i].wrap else [c]
            for c, i, w in zip(cells, part, widths, strict=True)
        ]
        for d in range(max(map(len, stacks))):
            pieces = [s[d] if d < len(s) else "" for s in stacks]
            cell_styles = [styles.get((r, i), "") for i in part]
            out.append(_line(pieces, widths, aligns, cell_styles))
    return out


def _line(pieces: list[str], widths: list[int], aligns: list[str], style: str | list[str]) -> Line:
    """One line of a table: its pieces padded to their widths, and their styles' spans."""
    text, spans = "", []
    for k, (piece, w, a) in enumerate(zip(pieces, widths, aligns, strict=True)):
        if k:
            text += GAP
        padded = piece.rjust(w) if a else piece.ljust(w)
        one = style if isinstance(style, str) else style[k]
        if one and piece:
            start = len(text) + (len(padded) - len(piece) if a else 0)
            spans.append((start, start + len(piece), one))
        text += padded
    return Line(text.rstrip(), tuple(spans))


def _stacked(
    columns: Sequence[Column],
    heads: list[str],
    texts: list[list[str]],
    styles: dict[tuple[int, int], str],
    width: int | None,
    head_style: str,
) -> list[Line]:
    """One block per row, « label  value » lines; the labels wrapped when they would take
    more than a third of the width, long values wrapped on their words."""
    assert width is not None  # with no limit the table always fits
    label_width = min(max(map(len, heads)), max(width // 3, max(map(_longest_word, heads))))
    value_width = max(width - label_width - len(LABEL_GAP), 1)
    out: list[Line] = []
    for r, row in enumerate(texts):
        out.append(Line(""))
        for i, column in enumerate(columns):
            labels = wrap(heads[i], label_width)
            values = wrap(row[i], value_width) if column.wrap else [row[i]]
            for d in range(max(len(labels), len(values))):
                label = labels[d] if d < len(labels) else ""
                value = values[d] if d < len(values) else ""
                text = (label.ljust(label_width) + LABEL_GAP + value).rstrip()
                spans = [(0, len(label), head_style)] if head_style and label else []
                start = label_width + len(LABEL_GAP)
                if (r, i) in styles and value:
                    spans.append((start, start + len(value), styles[(r, i)]))
                out.append(Line(text, tuple(spans)))
    return out
