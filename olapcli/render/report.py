"""The impact report as HTML: the statistics in words, the charts (drawn with their
tables by :mod:`olapcli.render.charts`), and the long parts (the Annexe 7 table, the
coverage, the annex) built as strings.

At 10,000 learners the long parts are most of the page; they are written here rather
than in the template, plain string building being several times faster than the
template loop, with every text escaped (html.escape, quotes included) as autoescape
would. Names are cleared by :class:`olapcli.core.derive.redact.Redactor` unless the
report is asked with names.
"""

from __future__ import annotations

import datetime as dt
import html as _html
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from olapcli.core import rules
from olapcli.core.derive import charter, metrics, pipeline, practicegrids, quality, stats
from olapcli.core.derive.briefs import LearnerBrief
from olapcli.core.derive.impact import CohortPart
from olapcli.core.derive.redact import Redactor, staff
from olapcli.i18n import _
from olapcli.io.workers import Child
from olapcli.render import charts, verdicts
from olapcli.render.formats import cell, date, number


def html(parts: list[CohortPart], identify: bool, today: dt.date, statistician: Any = None) -> str:
    """The report of the cohort *parts* : one
    self-contained HTML page."""
    from olapcli.render import render

    return render("report.html.j2", **context(parts, identify, today, statistician))


def context(
    parts: list[CohortPart], identify: bool, today: dt.date, statistician: Any = None
) -> dict[str, Any]:
    """Everything the report template shows (*statistician*: an object whose
    ``statistics(table)`` computes them, e.g. olapcli.app.report.Statistician)."""
    from olapcli.core.derive.impact import indicator_label

    table = [row for part in parts for row in part.table]
    everyone = [row.learner for row in table]
    trainers = [name for part in parts for name in staff(part.data.cohort)]
    clear = Redactor(everyone, identify, trainers)

    def name(learner: LearnerBrief) -> str:
        return f"{learner.first_name} {learner.last_name}" if identify else learner.key

    titles: dict[str, str] = {}
    for part in parts:
        for key, title in rules.subject_titles(part.data.referentiel, part.data.cohort).items():
            titles.setdefault(key, title)
    # The annex is the longest part: a child process (olapcli.io.workers) writes its first
    # half meanwhile, this process the other half once the other parts are done.
    split = len(table) // 2 if len(table) >= 1000 else 0
    date(today)  # Babel and the language's data loaded once, before the child is forked
    annex = Child(lambda: _annex(table[:split], name, clear, titles)) if split else None

    practices: list[tuple[str, str]] = []
    for part in parts:
        for p in part.data.cohort.practices:  # type: ignore[union-attr]
            if p.id not in dict(practices):
                practices.append((p.id, p.label))
    header = [_("Learner")] + ([_("Training action")] if len(parts) > 1 else [])
    header += [label for _id, label in practices] + [_("Total"), _("Proactive")]
    header += [indicator_label(k) for k in metrics.INDICATORS]
    rows = []
    yes, no = _("yes"), _("no")
    for part in parts:
        for r in part.table:
            row: list[Any] = [name(r.learner)]
            if len(parts) > 1:
                row.append(part.data.cohort.formation.name)  # type: ignore[union-attr]
            row += [r.counts.get(pid, 0) for pid, _label in practices]
            row += [r.total, yes if r.proactive else no]
            for k in metrics.INDICATORS:
                v = r.outcomes[k]
                row.append(None if v is None else yes if v is True else no if v is False else v)
            rows.append(row)
    summaries = []
    for part in parts:
        cohort = part.data.cohort
        assert cohort is not None
        by_key = {r.learner.key: r.learner for r in part.table}
        per = part.label.per
        short = [
            {"name": name(by_key[s["key"]]), "missing": verdicts.shortfall(s["missing"], per)}
            for s in part.label.short
        ]
        practice_labels = {p.id: p.label for p in cohort.practices}
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
                "rule": verdicts.label_rule(part.label, practice_labels),
                "result": verdicts.label_result(part.label),
            }
        )
        summaries[-1]["label"] = _LabelView(part.label, short)
    coverage = []
    for part in parts:
        ids = [a.id for a in rules.activities(part.data.referentiel)]
        coverage += [(name(r.learner), metrics.coverage_counts(r.learner, ids)) for r in part.table]
    meeting_rows: list[list[Any]] = []
    for part in parts:
        start, end = part.data.cohort.start, part.data.cohort.end  # type: ignore[union-attr]
        for r in part.table:
            count, met = charter.meetings(r.learner, start, end, today)
            shown = None if met is None else yes if met else no
            meeting_rows.append([name(r.learner), None if met is None else count, shown])
    practice_rows: list[list[Any]] = []
    learner_rows: list[list[Any]] = []
    search_rows: list[list[Any]] = []
    grids: list[Any] = []
    search_total = pipeline.Search()
    for part in parts:
        cohort = part.data.cohort
        since, until = part.source.period.get("from"), part.source.period.get("to")
        labels = {p.id: p.label for p in cohort.practices}  # type: ignore[union-attr]
        for pid, q in quality.per_practice(cohort, part.table, since, until):  # type: ignore[arg-type]
            practice_rows.append([labels[pid], *q.cells()])
        by_key = {r.learner.key: r.learner for r in part.table}
        for key, q in quality.per_learner(cohort, part.table, since, until):  # type: ignore[arg-type]
            learner_rows.append([name(by_key[key]), *q.cells()])
        grids += practicegrids.cohort_grids(cohort, [r.learner for r in part.table])
        found, cohort_search = pipeline.per_learner([r.learner for r in part.table], since, until)
        search_rows += [[name(b), *_search_cells(mine)] for b, mine in found]
        search_total.add(cohort_search)
    names = ", ".join(p.data.cohort.formation.name for p in parts)  # type: ignore[union-attr]
    return {
        "quality_practices": _table_body(practice_rows),
        "quality_learners": _table_body(learner_rows),
        "search_body": _table_body(
            [*search_rows, [_("All learners"), *_search_cells(search_total)]]
        ),
        "search_total": search_total,
        "practice_grids": grids,
        "title": _("Proactive work-study: impact report — {names}").format(names=names),
        "generated": today,
        "parts": parts,
        "identify": identify,
        "summaries": summaries,
        "charts": charts.charts(parts, table),
        "header": header,
        "table_body": _table_body(rows),
        "sentences": [
            verdicts.sentence(s)
            for s in (statistician.statistics(table) if statistician else stats.statistics(table))
        ],
        "coverage_body": _coverage_body(coverage),
        "meetings_body": _table_body(meeting_rows),
        "outcome_counts": charter.outcome_counts(everyone),
        "annex": (annex.ask() if annex else Markup()) + _annex(table[split:], name, clear, titles),
    }


def _search_cells(found: pipeline.Search) -> list[Any]:
    """A row of the contract search's table, after the learner."""
    per, days = found.needs_per_prospect, found.median_days
    return [
        found.prospects,
        found.needs,
        None if per is None else quality.Days(per),  # one decimal at most
        found.internships,
        found.contracts,
        None if days is None else quality.Days(days),
    ]


# The three long parts of the report (a row, a row and a list item per learner) are
# written here rather than in the template: at 10,000 learners they are most of the
# page, and plain string building is several times faster than the template loop.
# Every text is escaped (html.escape, quotes included), as autoescape would.


class _Fragment:
    """A long HTML fragment: pieces of markup, each followed by a text to escape.

    ``mark(markup)`` then ``text(value)``, strictly alternating; the texts are
    escaped together at the end, in one pass over their join."""

    def __init__(self) -> None:
        self.marks: list[str] = []
        self.texts: list[str] = []
        self.mark = self.marks.append
        self.text = self.texts.append

    def html(self) -> Markup:
        assert len(self.marks) == len(self.texts)
        sep = "\x1f"  # a control character: escaping leaves it as it is
        joined = sep.join(self.texts)
        if joined.count(sep) == len(self.texts) - 1:
            escaped = _html.escape(joined, quote=True).split(sep)
        else:  # a text holds the separator itself
            escaped = [_html.escape(t, quote=True) for t in self.texts]
        out: list[str] = [""] * (2 * len(self.marks))
        out[0::2] = self.marks
        out[1::2] = escaped
        return Markup("".join(out))


def _table_body(rows: list[list[Any]]) -> Markup:
    """The rows of the Annexe 7 table (— for an unknown value)."""
    f = _Fragment()
    mark, text, escape = f.mark, f.text, _html.escape
    for row in rows:
        mark('<tr><th scope="row">')
        text(str(row[0]))
        # numbers and dates as the language writes them (— unknown), any text escaped
        cells = "".join(
            [f"<td>{escape(v, True) if type(v) is str else cell(v)}</td>" for v in row[1:]]
        )
        mark(f"</th>{cells}</tr>\n")
        text("")
    return f.html()


def _coverage_body(coverage: list[tuple[str, dict[str, int]]]) -> Markup:
    """The rows of the coverage table: how many sub-activities in each state."""
    f = _Fragment()
    for who, states in coverage:
        cells = "".join(f'<td class="center">{number(states[k])}</td>' for k in metrics.COVERAGE)
        f.mark('<tr><th scope="row">')
        f.text(who)
        f.mark(f"</th>{cells}</tr>\n")
        f.text("")
    return f.html()


def _annex(table: list[metrics.Row], name: Any, clear: Redactor, titles: dict[str, str]) -> Markup:
    """Per learner, each counted need: activity, dates, description, resources."""
    # « identified {a}, due {b} » cut once around its two dates (60,000 needs)
    dates = _("identified {a}, due {b}")
    before, _a, rest = dates.partition("{a}")
    between, _b, after = rest.partition("{b}")
    if not (_a and _b):  # a translation with {b} before {a}
        before, between, after = "", "", ""
    res = _html.escape(_("resources"))
    f = _Fragment()
    mark, text = f.mark, f.text
    for r in table:
        if not r.needs:
            continue
        scrub = clear.scrubber(r.learner)
        mark("<h3>")
        text(name(r.learner))
        for i, n in enumerate(r.needs):
            mark("</h3>\n<ul>\n<li><strong>" if i == 0 else "<li><strong>")
            text(rules.need_subject(n, titles))
            mark("</strong> — ")
            a, b = date(n.identified), date(n.due)  # kept per day: few distinct ones
            text(f"{before}{a}{between}{b}{after}" if between else dates.format(a=a, b=b))
            mark(" — ")
            text(scrub(n.detail))
            if n.resources:
                mark(f' <span class="muted">({res} : ')
                text(" ; ".join(scrub(x) for x in n.resources))
                mark(")</span></li>\n")
            else:
                mark("</li>\n")
            text("")
        mark("</ul>\n")
        text("")
    return f.html()


@dataclass
class _LabelView:
    """A label with the names of those who fall short, as the report shows them."""

    label: metrics.Label
    short: list[dict[str, Any]]

    def __getattr__(self, item: str) -> Any:
        return getattr(self.label, item)
