"""``olap report`` and ``olap metrics``: the impact figures of one or several cohorts.

The figures (:mod:`olapcli.core.derive`) are computed from the learners' briefs, read
through olap's cache (after ``olap validate``, no YAML is read at all). A cohort with
errors is refused: the figures would be wrong. The report is the self-contained HTML
page sent to partners and funders (:mod:`olapcli.render.report`); nothing leaves the
centre with names unless asked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olapcli import __version__
from olapcli.core.cohortdata import CohortData
from olapcli.core.derive import impact, metrics, stats
from olapcli.core.derive.briefs import LearnerBrief
from olapcli.errors import ProblemsError, UserError
from olapcli.i18n import _


class Statistician:
    """The statistics of an impact table: kept in olap's cache under the table's own
    content, else computed with scipy.stats imported in a child process, started before
    the data is read.

    Importing scipy.stats takes one to two seconds; the report and metrics commands
    spend that time reading the cohort anyway. Where a child can be forked
    (:mod:`olapcli.io.workers`), it does the import meanwhile and then computes the
    statistics (their input is small: a total and the outcomes per learner);
    elsewhere everything happens in this process. When the statistics of the same
    totals and outcomes were computed before, the child is let go unused.
    """

    def __init__(self, root: Path | None = None) -> None:
        from olapcli.io.workers import Child

        self.root = root
        self.child = Child(stats.import_scipy, stats.statistics_of)

    def statistics(self, table: list[metrics.Row]) -> list[stats.Statistic]:
        """Like :func:`olapcli.core.derive.stats.statistics`."""
        import dataclasses
        import json

        from olapcli.io.store import Store, key

        pairs = [(r.total, r.outcomes) for r in table]
        store = Store(self.root) if self.root is not None else None
        made = key(STATISTICS, json.dumps(pairs, default=str))
        kept = store.read("statistics") if store else None
        if isinstance(kept, dict) and kept.get("key") == made:
            with contextlib.suppress(TypeError, KeyError):
                return [stats.Statistic(**found) for found in kept["statistics"]]
        found = list(self.child.ask(pairs))
        if store:
            # as they are (NaN and infinity included: Python's JSON keeps them)
            kept = {"key": made, "statistics": [dataclasses.asdict(s) for s in found]}
            store.write("statistics", kept)
        return found

    def close(self) -> None:
        self.child.close()


#: what the statistics kept were computed by (another olap computes them again)
STATISTICS = f"statistics-2 {__version__}"


def source(root: Path, start: dt.date | None, end: dt.date | None) -> impact.Source:
    """The Git commit the figures come from, and whether the data had uncommitted changes."""
    from olapcli.io import gitlog

    commit, dirty = gitlog.source(root)
    return impact.Source(
        commit=commit,
        dirty=dirty,
        generated=dt.datetime.now().replace(microsecond=0),
        period={"from": start, "to": end},
    )


#: how many of a refused cohort's errors are listed (the rest: olap validate)
SHOWN_ERRORS = 20


def _learner_file(rel: str) -> bool:
    """Is *rel* a learner file (learners/<id>.yaml), the unit --exclude-invalid leaves out?"""
    return rel.startswith("learners/") and rel.count("/") == 1 and rel.endswith(".yaml")


def load_one(
    root: Path, exclude_invalid: bool = False, today: dt.date | None = None
) -> tuple[CohortData, list[LearnerBrief], list[impact.Excluded]]:
    """A cohort's core files, its learners' briefs sorted by key, and the learners left
    out. Only data ``olap validate`` accepts makes figures: a cohort with errors is
    refused, unless *exclude_invalid*, which leaves out the learner files with errors
    (errors elsewhere are refused all the same: they touch every learner)."""
    from olapcli.app.validate import validate
    from olapcli.io.clock import today as clock
    from olapcli.io.load import learners, load_core
    from olapcli.io.paths import learner_files

    # the validate pass, through its cache: a warm run reads no YAML here
    errors = [
        p for p in validate(root, today or clock(), errors_only=True) if p.severity == "error"
    ]
    bad = {p.path for p in errors if _learner_file(p.path)} if exclude_invalid else set()
    refused = [p for p in errors if p.path not in bad]
    # the core files and the learners: resource files hold nothing the figures count
    base, problems = load_core(root)
    if refused or base.cohort is None or base.referentiel is None:
        refused = refused or [p for p in problems if p.severity == "error"]
        message = _(
            "The cohort {path} has {n} error(s); the figures would be wrong. Run olap "
            "validate to see them all and correct them."
        ).format(path=root, n=len(refused))
        if not exclude_invalid and all(_learner_file(p.path) for p in refused):
            message += " " + _(
                "Or leave the learners with errors out: --exclude-invalid (the report says so)."
            )
        raise ProblemsError(message, refused[:SHOWN_ERRORS])
    rels = learner_files(root)
    briefs, _found = learners(root, rels, "brief")
    by_rel = dict(briefs)
    codes: dict[str, set[str]] = {}
    for p in errors:
        codes.setdefault(p.path, set()).add(p.code)
    excluded = sorted(
        (
            impact.Excluded(getattr(by_rel.get(rel), "key", None), tuple(sorted(codes[rel])))
            for rel in bad
        ),
        key=lambda e: (e.key is None, e.key or "", e.codes),
    )
    kept = (b for rel, b in briefs if rel not in bad)
    return base, sorted(kept, key=lambda b: b.key), excluded


def load(
    roots: list[Path],
    start: dt.date | None,
    end: dt.date | None,
    exclude_invalid: bool = False,
    today: dt.date | None = None,
) -> list[impact.CohortPart]:
    """Every cohort, checked (see :func:`load_one`), with its table and label."""
    import threading

    # Git's answer (commit, uncommitted changes) comes from git processes: asked in a
    # thread while the cohorts are read, and waited for before any fork (olapcli.io.workers).
    sources: dict[Path, Any] = {}
    asking = threading.Thread(
        target=lambda: sources.update({r: source(r, start, end) for r in roots}), daemon=True
    )
    asking.start()
    loaded = []
    try:
        for root in roots:
            base, learners, excluded = load_one(root, exclude_invalid, today)
            assert base.cohort is not None
            table = metrics.rows(base.cohort, learners, start, end)
            loaded.append((root, base, table, excluded))
    finally:
        asking.join()
    return [
        impact.CohortPart(
            root,
            base,
            table,
            metrics.label(base.cohort, table, start, end),  # type: ignore[arg-type]
            sources[root],
            excluded,
        )
        for root, base, table, excluded in loaded
    ]


def build_report(
    cohorts: list[Path],
    out_file: Path,
    identify: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    exclude_invalid: bool = False,
) -> Path:
    """Write the impact report of *cohorts* to *out_file* (one self-contained HTML file:
    no script, no outside request; ``-``: standard output); names only with *identify*."""
    import gc

    from olapcli.io.clock import today as clock
    from olapcli.io.files import atomic_write
    from olapcli.render.report import html

    if len({r.resolve() for r in cohorts}) != len(cohorts):
        raise UserError(_("The same cohort is given twice."))
    # Reading 10,000 learners makes millions of objects and no cycles: the cyclic
    # collector would walk them over and over for nothing (a third of the time).
    was = gc.isenabled()
    gc.disable()
    statistician = Statistician(cohorts[0])  # imports scipy meanwhile, when it can
    try:
        day = today or clock()
        parts = load(cohorts, start, end, exclude_invalid, day)
        page = html(parts, identify, day, statistician)
    finally:
        statistician.close()
        if was:
            gc.enable()
    if str(out_file) == "-":  # the Unix way: « --out - » is standard output
        from olapcli.io.files import write_stdout

        write_stdout(page.encode("utf-8"))
    else:
        atomic_write(out_file, page)
    return out_file


@dataclass
class Metrics:
    """The Annexe 7 results of a cohort: its name, the table as header and rows, the
    statistics as table cells (:func:`olapcli.render.verdicts.cells`), the label, and
    the export asked."""

    cohort: str
    header: list[str]
    rows: list[list[Any]]
    statistics: list[list[Any]]
    label: impact.LabelOut
    #: the statistics' column titles
    statistics_header: list[str] = field(default_factory=list)
    #: the label in words: what it asks, the result, who falls short and what they lack
    label_lines: list[str] = field(default_factory=list)
    #: the JSON, CSV or XLSX bytes, for those formats
    data: bytes | None = None
    #: where they were written, when a file was asked
    written: Path | None = None
    #: the learners left out for their errors (--exclude-invalid)
    excluded: list[impact.Excluded] = field(default_factory=list)


def metrics_of(
    root: Path,
    fmt: str = "table",
    out_file: Path | None = None,
    identify: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    dialect: str | None = None,
    exclude_invalid: bool = False,
) -> Metrics:
    """The Annexe 7 table, its statistics and the label of the cohort at *root* (``olap
    metrics``); as JSON, CSV or XLSX bytes for those formats (JSON and XLSX with the
    annex and the coverage), written to *out_file* when given. The CSV is in *dialect*
    (olapcli.render.exports.DIALECTS; by default ``fr`` in French, ``rfc4180`` in
    English)."""
    import gc

    from olapcli.i18n import language
    from olapcli.render import exports

    dialect = dialect or ("fr" if language() == "fr" else "rfc4180")
    if dialect not in exports.DIALECTS:
        raise UserError(
            _("Unknown CSV dialect {name}: {known}.").format(
                name=dialect, known=", ".join(exports.DIALECTS)
            )
        )
    if fmt == "xlsx" and out_file is None:
        raise UserError(_("An XLSX workbook is a file: give --out FILE.xlsx."))
    was = gc.isenabled()
    gc.disable()  # as for the report: many objects, no cycles
    statistician = Statistician(root)  # imports scipy while the cohort is read, if needed
    try:
        data, learners, excluded = load_one(root, exclude_invalid)
        found = impact.figures(data, learners, start, end, statistician.statistics)
    finally:
        statistician.close()
        if was:
            gc.enable()
    header, rows = impact.table_rows(found, identify)
    from olapcli.render import verdicts

    statistics = [verdicts.cells(s) for s in found.statistics]
    lab = found.label
    practices = {p["id"]: p["label"] for p in found.practices}
    names = {r.learner.key: r.learner for r in found.table}

    def who(key: str) -> str:
        learner = names[key]
        return f"{learner.first_name} {learner.last_name} ({key})" if identify else key

    label_lines = [verdicts.label_rule(lab, practices), verdicts.label_result(lab)]
    label_lines += [
        _("{who} falls short: {missing}.").format(
            who=who(s["key"]), missing=verdicts.shortfall(s["missing"], lab.per)
        )
        for s in lab.short
    ]
    made = Metrics(
        found.cohort,
        header,
        rows,
        statistics,
        impact.label_out(found.label, identify),
        verdicts.cells_header(),
        label_lines,
        excluded=excluded,
    )
    if fmt == "csv":
        made.data = exports.csv_bytes(*exports.with_search(header, rows, found.pipeline), dialect)
    elif fmt in ("json", "xlsx"):
        report = impact.document(found, data, identify, source(root, start, end))
        if fmt == "json":
            made.data = (report.model_dump_json(indent=2) + "\n").encode("utf-8")
        else:
            made.data = exports.xlsx_bytes(exports.metrics_sheets(report, header, rows))
    if made.data is not None and out_file is not None:
        from olapcli.io.files import atomic_write_bytes

        atomic_write_bytes(out_file, made.data)
        made.written = out_file
    return made
