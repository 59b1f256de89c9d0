"""``olap report``: the self-contained HTML report sent to partners and funders.

Built from one or several cohorts: the figures of :mod:`olapcli.metrics` on all
their learners together, broken down per cohort. Nothing leaves the centre
with names unless asked: learners appear by key, and the free text of needs
is cleared of learners' and tutors' names and of e-mail addresses.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olapcli import metrics
from olapcli.errors import ProblemsError
from olapcli.i18n import _
from olapcli.loader import CohortData
from olapcli.model import Learner

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def redactor(learners: list[Learner]) -> Any:
    """A function clearing names (learners', tutors') and e-mails from a text.

    Names are matched as whole words, case included, also when made of several
    words (« Le Goff »); the scan is one pass over the text's words, so it stays
    fast for tens of thousands of learners.
    """
    names: dict[str, list[tuple[str, ...]]] = {}
    for learner in learners:
        people = [(learner.first_name, learner.last_name)]
        if learner.tutor:
            people.append((learner.tutor.first_name, learner.tutor.last_name))
        for person in people:
            for name in person:
                words = tuple(_WORD.findall(name))
                if words and len("".join(words)) >= 2:
                    names.setdefault(words[0], []).append(words)
    for options in names.values():
        options.sort(key=len, reverse=True)
    mask = _("[name]")
    mail = _("[e-mail]")

    first_words = set(names)

    def clear(text: str) -> str:
        if "@" in text:
            text = _EMAIL.sub(mail, text)
        if first_words.isdisjoint(_WORD.findall(text)):
            return text  # most texts name nobody: one C-level pass
        tokens = list(_WORD.finditer(text))
        out: list[str] = []
        last = 0
        i = 0
        while i < len(tokens):
            match = tokens[i]
            for words in names.get(match.group(0), ()):
                seq = tokens[i : i + len(words)]
                if len(seq) == len(words) and tuple(t.group(0) for t in seq) == words:
                    out.append(text[last : match.start()] + mask)
                    last = seq[-1].end()
                    i += len(words)
                    break
            else:
                i += 1
        out.append(text[last:])
        return "".join(out)

    return clear


@dataclass
class CohortPart:
    """One cohort's share of the report."""

    root: Path
    data: CohortData
    table: list[metrics.Row]
    label: metrics.Label
    source: Any


def load(roots: list[Path], start: dt.date | None, end: dt.date | None) -> list[CohortPart]:
    """Every cohort, checked: a cohort with errors is refused (the figures would be wrong)."""
    from olapcli.datacache import load_learners
    from olapcli.loader import load_base
    from olapcli.metricsreport import source
    from olapcli.paths import learner_files

    parts = []
    for root in roots:
        base, problems = load_base(root)
        loaded, found = load_learners(root, learner_files(root))
        problems += found
        errors = [p for p in problems if p.severity == "error"]
        if errors or base.cohort is None or base.referentiel is None:
            raise ProblemsError(
                _(
                    "The cohort {path} has errors; the figures would be wrong. Run olap validate."
                ).format(path=root),
                errors,
            )
        base.learners = [(rel, lrn) for rel, lrn, _raw in loaded]
        learners = sorted((lrn for _rel, lrn in base.learners), key=lambda x: x.key)
        table = metrics.rows(base.cohort, learners, start, end)
        parts.append(
            CohortPart(
                root, base, table, metrics.label(base.cohort, table), source(root, start, end)
            )
        )
    return parts


def _bars(title: str, desc: str, items: list[tuple[str, float, str]], unit: str = "") -> str:
    """A horizontal bar chart as inline SVG, with its title and description for readers."""
    from markupsafe import escape

    width, bar_h, gap, label_w = 820, 22, 8, 380
    top = max((v for _l, v, _c in items), default=0) or 1
    height = len(items) * (bar_h + gap) + gap
    ident = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "chart"
    parts = [
        f'<svg role="img" aria-labelledby="{ident}-t {ident}-d" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
    ]
    for i, (label, value, colour) in enumerate(items):
        y = gap + i * (bar_h + gap)
        w = (width - label_w - 70) * value / top
        text = f"{value:.0%}" if unit == "%" else f"{value:g}"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="13">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def charts(parts: list[CohortPart], table: list[metrics.Row]) -> dict[str, str]:
    """The report's charts (inline SVG)."""
    from olapcli.metricsreport import indicator_label

    practices: dict[str, tuple[str, int]] = {}
    for part in parts:
        for p in part.data.cohort.practices:  # type: ignore[union-attr]
            label, n = practices.get(p.id, (p.label, 0))
            practices[p.id] = (label, n + sum(r.counts.get(p.id, 0) for r in part.table))
    per_practice = _bars(
        _("Anticipated needs per practice"),
        _("Number of anticipated imminent needs counted in each practice."),
        [(label, n, "#0b4f8a") for label, n in practices.values()],
    )
    periods: dict[str, int] = {}
    for part in parts:
        for period in part.data.cohort.periods:  # type: ignore[union-attr]
            n = sum(
                1 for r in part.table for need in r.needs if period.start <= need.due <= period.end
            )
            key = period.id if len(parts) == 1 else f"{part.data.cohort.formation.name} {period.id}"  # type: ignore[union-attr]
            periods[key] = periods.get(key, 0) + n
    per_period = _bars(
        _("Anticipated needs per company period"),
        _("Number of anticipated imminent needs due within each company period."),
        [(k, v, "#4a7c2a") for k, v in periods.items()],
    )
    outcome_items = []
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
                outcome_items.append((label, sum(known) / len(known), colour))
    outcomes = _bars(
        _("Outcomes of proactive and non-proactive learners"),
        _("Share of « yes » for each outcome, among the learners whose outcome is known."),
        outcome_items,
        unit="%",
    )
    return {"practices": per_practice, "periods": per_period, "outcomes": outcomes}


def sentence(stat: metrics.Statistic) -> str:
    """A statistic read in plain words, with its limits."""
    from olapcli.metricsreport import indicator_label

    name = indicator_label(stat.indicator)
    if stat.reason == "insufficient":
        return _("{name}: sample too small to say anything (n = {n}).").format(name=name, n=stat.n)
    if stat.reason == "no-variation":
        return _("{name}: no variation in the data, nothing to relate (n = {n}).").format(
            name=name, n=stat.n
        )
    assert stat.value is not None and stat.p is not None
    strength = abs(stat.value)
    if stat.method == "fisher":
        pro, non = stat.rates["proactive"], stat.rates["not_proactive"]
        return _(
            "{name}: {a}/{na} among proactive learners, {b}/{nb} among the others; Fisher's exact "
            "test p = {p:.3g}{verdict}."
        ).format(
            name=name,
            a=pro["yes"],
            na=pro["n"],
            b=non["yes"],
            nb=non["n"],
            p=stat.p,
            verdict=_(" (a difference this large is unlikely by chance)")
            if stat.p < 0.05
            else _(" (the difference could be chance)"),
        )
    word = _("strong") if strength >= 0.5 else _("moderate") if strength >= 0.3 else _("weak")
    direction = _("positive") if stat.value > 0 else _("negative")
    methods = {
        "pearson": _("Pearson's r"),
        "point-biserial": _("point-biserial correlation"),
        "spearman": _("Spearman's rho"),
    }
    return _(
        "{name}: {word} {direction} relation with the number of anticipated needs "
        "({method} = {value:.2f}, p = {p:.3g}, n = {n}){caveat}."
    ).format(
        name=name,
        word=word,
        direction=direction,
        method=methods[stat.method],
        value=stat.value,
        p=stat.p,
        n=stat.n,
        caveat=_("; it may be chance") if stat.p >= 0.05 else "",
    )


def context(parts: list[CohortPart], identify: bool) -> dict[str, Any]:
    """Everything the report template shows."""
    from olapcli.metricsreport import MetricsReport, indicator_label  # noqa: F401

    table = [row for part in parts for row in part.table]
    everyone = [row.learner for row in table]
    clear = (lambda text: text) if identify else redactor(everyone)

    def name(learner: Learner) -> str:
        return f"{learner.first_name} {learner.last_name}" if identify else learner.key

    practices: list[tuple[str, str]] = []
    for part in parts:
        for p in part.data.cohort.practices:  # type: ignore[union-attr]
            if p.id not in dict(practices):
                practices.append((p.id, p.label))
    header = [_("Learner")] + ([_("Training action")] if len(parts) > 1 else [])
    header += [label for _id, label in practices] + [_("Total"), _("Proactive")]
    header += [indicator_label(k) for k in metrics.INDICATORS]
    rows = []
    for part in parts:
        for r in part.table:
            row: list[Any] = [name(r.learner)]
            if len(parts) > 1:
                row.append(part.data.cohort.formation.name)  # type: ignore[union-attr]
            row += [r.counts.get(pid, 0) for pid, _label in practices]
            row += [r.total, _("yes") if r.proactive else _("no")]
            for k in metrics.INDICATORS:
                v = r.outcomes[k]
                row.append(
                    None if v is None else _("yes") if v is True else _("no") if v is False else v
                )
            rows.append(row)
    summaries = []
    for part in parts:
        cohort = part.data.cohort
        assert cohort is not None
        by_key = {r.learner.key: r.learner for r in part.table}
        short = [
            {"name": name(by_key[s["key"]]), "missing": s["missing"]} for s in part.label.short
        ]
        summaries.append(
            {
                "name": cohort.formation.name,
                "level": cohort.formation.level,
                "start": cohort.start,
                "end": cohort.end,
                "learners": len(part.table),
                "recorded": sum(len(r.learner.needs) for r in part.table),
                "counted": sum(r.total for r in part.table),
                "proactive": sum(r.proactive for r in part.table),
                "proactive_share": (sum(r.proactive for r in part.table) / len(part.table))
                if part.table
                else 0,
                "label": part.label,
                "short": short,
            }
        )
        summaries[-1]["label"] = _LabelView(part.label, short)
    titles: dict[str, str] = {}
    for part in parts:
        for g in part.data.referentiel.groups:  # type: ignore[union-attr]
            for a in g.activities:
                titles.setdefault(a.id, a.title)
    annex = [
        {
            "name": name(r.learner),
            "needs": [
                {
                    "activity": n.activity,
                    "title": titles.get(n.activity, ""),
                    "identified": n.identified,
                    "due": n.due,
                    "detail": clear(n.detail),
                    "resources": [clear(x) for x in n.resources],
                }
                for n in r.needs
            ],
        }
        for r in table
        if r.needs
    ]
    coverage = [
        {"name": name(r.learner), "states": metrics.coverage(r.learner, part.data.referentiel)}  # type: ignore[arg-type]
        for part in parts
        for r in part.table
    ]
    names = ", ".join(p.data.cohort.formation.name for p in parts)  # type: ignore[union-attr]
    return {
        "title": _("Proactive work-study: impact report — {names}").format(names=names),
        "generated": dt.date.today().isoformat(),
        "parts": parts,
        "identify": identify,
        "summaries": summaries,
        "charts": charts(parts, table),
        "header": header,
        "rows": rows,
        "sentences": [sentence(s) for s in metrics.statistics(table)],
        "coverage": coverage,
        "annex": annex,
    }


@dataclass
class _LabelView:
    """A label with the names of those who fall short, as the report shows them."""

    label: metrics.Label
    short: list[dict[str, Any]]

    def __getattr__(self, item: str) -> Any:
        return getattr(self.label, item)
