"""The report's charts: horizontal bars in inline SVG, each with its title and
description for screen readers and, beside it, a table of the same figures.

One list of bars makes both the drawing and the table, so that they cannot disagree;
the table is what a screen reader, a printed page and a reader who wants the exact
figures read. Each bar's label stands on its own line above the bar, so that at
375 px the chart scales down without crushing its text: its font is 15 units of a
440-unit-wide drawing, about 12 px on a phone and 15 px at most.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from olapcli.core import rules
from olapcli.core.derive import metrics
from olapcli.core.derive.impact import CohortPart
from olapcli.i18n import _
from olapcli.render.formats import cell, percent

WIDTH = 440  # the drawing's width in its own units; CSS scales it to the column
FONT = 15
LINE = 18  # one line of a label
BAR = 16
GAP = 12  # between a bar and the next label
ROOM = 64  # right of the longest bar, for its value (« 100 % »)
WRAP = 46  # characters on a label's line before it wraps (15-unit text in 440 units)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str


def shown(value: float, unit: str) -> str:
    """A bar's value as the chart and its table write it."""
    return percent(value) if unit == "%" else cell(value)


def figure(title: str, desc: str, head: tuple[str, str], bars: list[Bar], unit: str = "") -> Markup:
    """A chart and, beside it, the table of its figures (*head*: the table's two column
    headers, what a bar is and what its value counts)."""
    if not bars:
        return Markup('<div class="figure"><p>{}</p></div>').format(_("No figure to show yet."))
    return Markup('<div class="figure"><div class="chart">{}</div>{}</div>').format(
        _svg(title, desc, bars, unit), _table(title, head, bars, unit)
    )


def _svg(title: str, desc: str, bars: list[Bar], unit: str) -> Markup:
    top = max(b.value for b in bars) or 1
    ident = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "chart"
    rows, y = [], 0
    for b in bars:
        lines = textwrap.wrap(b.label, WRAP) or [""]
        label = "".join(
            f'<tspan x="0" y="{y + LINE * (k + 1) - 4}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        y += LINE * len(lines) + 2
        w = (WIDTH - ROOM) * b.value / top
        rows.append(
            f'<text class="label">{label}</text>'
            f'<rect x="0" y="{y}" width="{w:.1f}" height="{BAR}" fill="{b.colour}"/>'
            f'<text class="value" x="{w + 6:.1f}" y="{y + BAR - 2}">'
            f"{escape(shown(b.value, unit))}</text>"
        )
        y += BAR + GAP
    return Markup(
        f'<svg role="img" aria-labelledby="{ident}-t {ident}-d" viewBox="0 0 {WIDTH} {y}" '
        f'width="100%" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f"{''.join(rows)}</svg>"
    )


def _table(title: str, head: tuple[str, str], bars: list[Bar], unit: str) -> Markup:
    body = "".join(
        f'<tr><th scope="row">{escape(b.label)}</th>'
        f'<td class="num">{escape(shown(b.value, unit))}</td></tr>'
        for b in bars
    )
    caption = _("The chart's figures: {title}").format(title=title)
    return Markup(
        f'<table class="chart-data"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">{escape(head[0])}</th>'
        f'<th scope="col" class="num">{escape(head[1])}</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def practices_figure(per_practice: list[tuple[str, int]]) -> Markup:
    """Anticipated needs per practice (*per_practice*: label and count)."""
    return figure(
        _("Anticipated needs per practice"),
        _("Number of anticipated imminent needs counted in each practice."),
        (_("Practice"), _("Needs anticipated")),
        [Bar(label, n, "#0b4f8a") for label, n in per_practice],
    )


def charts(parts: list[CohortPart], table: list[metrics.Row]) -> dict[str, Markup]:
    """The report's charts, each beside the table of its figures."""
    practices: dict[str, tuple[str, int]] = {}
    for part in parts:
        for p in part.data.cohort.practices:  # type: ignore[union-attr]
            label, n = practices.get(p.id, (p.label, 0))
            practices[p.id] = (label, n + sum(r.counts.get(p.id, 0) for r in part.table))
    periods: dict[str, int] = {}
    for part in parts:
        cohort = part.data.cohort
        spans = rules.period_spans([(p.id, p.start, p.end) for p in cohort.periods], cohort.start)  # type: ignore[union-attr]
        found = Counter(rules.period_of(n.identified, spans) for r in part.table for n in r.needs)
        for period in cohort.periods:  # type: ignore[union-attr]
            key = period.id if len(parts) == 1 else f"{cohort.formation.name} {period.id}"  # type: ignore[union-attr]
            periods[key] = periods.get(key, 0) + found[period.id]
    per_period = figure(
        _("Anticipated needs per company period"),
        _(
            "Number of anticipated imminent needs identified for each company period (in it, "
            "or since the previous one ended)."
        ),
        (_("Company period"), _("Needs anticipated")),
        [Bar(k, v, "#4a7c2a") for k, v in periods.items()],
    )
    return {
        "practices": practices_figure(list(practices.values())),
        "periods": per_period,
        "outcomes": outcomes_figure(table),
    }


def outcomes_figure(table: list[Any]) -> Markup:
    """The share of « yes » of each yes/no outcome, proactive learners beside the others
    (*table*: rows with ``proactive`` and ``outcomes``)."""
    from olapcli.core.derive.impact import indicator_label

    bars = []
    for key, kind in metrics.INDICATORS.items():
        if kind != "binary":
            continue
        for proactive, colour in ((True, "#0b4f8a"), (False, "#8a5a00")):
            known = [
                r.outcomes[key]
                for r in table
                if r.outcomes[key] is not None and r.proactive == proactive
            ]
            if known:
                group = _("proactive") if proactive else _("not proactive")
                label = f"{indicator_label(key)} — {group} (n={len(known)})"
                bars.append(Bar(label, sum(known) / len(known), colour))
    return figure(
        _("Outcomes of proactive and non-proactive learners"),
        _("Share of « yes » for each outcome, among the learners whose outcome is known."),
        (_("Outcome — learners (n: outcome known)"), _("Share of « yes »")),
        bars,
        unit="%",
    )
