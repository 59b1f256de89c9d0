"""``olap export observatoire``: the pseudonymous figures of a cohort for regional
observatories; and the reading of such files back, strictly, for ``olap report``.

The figures are those of the report, made by the same functions from the same checked
data (:func:`olapcli.app.report.load_one`: a cohort with validate errors is refused,
unless ``--exclude-invalid``); only their form is new
(:mod:`olapcli.core.derive.observatoire`, docs/observatoire.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from olapcli.core.derive import impact, metrics, observatoire_csv
from olapcli.core.derive import observatoire as obs
from olapcli.errors import Problem, ProblemsError, UserError
from olapcli.i18n import _

#: how many problems of a refused export file are listed
SHOWN = 20


@dataclass
class Export:
    """An export made: its bytes, how many learners it holds, where it was written (None:
    for standard output), and the learners left out for their errors."""

    data: bytes
    learners: int
    written: Path | None = None
    excluded: list[impact.Excluded] = field(default_factory=list)


def rows_of(
    root: Path,
    start: dt.date | None,
    end: dt.date | None,
    exclude_invalid: bool,
    today: dt.date | None = None,
) -> tuple[list[obs.ObservatoireRow], list[impact.Excluded]]:
    """The export's rows of the cohort at *root*, and the learners left out."""
    from olapcli.app.report import load_one
    from olapcli.io.clock import today as clock

    day = today or clock()
    data, learners, excluded = load_one(root, exclude_invalid, day)
    assert data.cohort is not None
    table = metrics.rows(data.cohort, learners, start, end)
    telling = obs.telling_keys(table)
    if telling:
        raise UserError(
            _(
                "The key of {n} learner(s) spells their name: sent outside, it would name "
                "them ({ids})."
            ).format(n=len(telling), ids=", ".join(telling[:10])),
            _(
                "give each of them a new key that says nothing of them, drawn at random like "
                "olap's (K- and 8 random letters and digits)"
            ),
        )
    return obs.rows(data.cohort, table, start, end, day, len(excluded)), excluded


def export(
    root: Path,
    fmt: str = "json",
    out_file: Path | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    exclude_invalid: bool = False,
    today: dt.date | None = None,
) -> Export:
    """``olap export observatoire``: the cohort's rows as JSON Lines (*fmt* ``json``) or
    CSV, written to *out_file* when given (atomically: a refusal writes nothing)."""
    import gc

    from olapcli.render.exports import csv_bytes

    was = gc.isenabled()
    gc.disable()  # as for the report: many objects, no cycles
    try:
        found, excluded = rows_of(root, start, end, exclude_invalid, today)
    finally:
        if was:
            gc.enable()
    if fmt == "csv":
        # one syntax for every observatory, whatever the language: « , », decimal point,
        # ISO dates (RFC 4180), with a BOM so that a spreadsheet reads the accents
        columns, cells = list(observatoire_csv.CSV_COLUMNS), observatoire_csv.csv_rows(found)
        data = b"\xef\xbb\xbf" + csv_bytes(columns, cells, "rfc4180")
    else:
        data = obs.jsonl(found).encode("utf-8")
    made = Export(data, len(found), excluded=excluded)
    if out_file is not None and str(out_file) != "-":
        from olapcli.io.files import atomic_write_bytes

        atomic_write_bytes(out_file, data)
        made.written = out_file
    return made


# --- reading exports back (olap report FILE.jsonl) --------------------------------------


def is_export(path: Path) -> bool:
    """Is *path* a file (an export to read), rather than a cohort folder?"""
    from olapcli.io.files import is_file

    return is_file(path)


def report_inputs(paths: list[Path]) -> list[Path]:
    """What ``olap report`` was given: export files as they are, cohort folders found as
    ``-C`` finds them."""
    from olapcli.io.paths import find_root

    return [p if is_export(p) else find_root(p) for p in paths]


def _problem(name: str, line: int, code: str, message: str, hint: str | None = None) -> Problem:
    return Problem(name, line, None, "error", code, message, hint)


def _schema_problem(name: str, line: int, exc: object) -> Problem:
    from pydantic import ValidationError

    from olapcli.core.schemaerrors import problems_from

    assert isinstance(exc, ValidationError)
    reasons = {str((e.get("ctx") or {}).get("error", "")) for e in exc.errors()}
    if reasons & {
        "total_not_sum",
        "proactive_not_total",
        "end_before_start",
        "search_inconsistent",
    }:
        return _problem(
            name,
            line,
            "export-inconsistent",
            _(
                "the figures of this line contradict each other (total, counts, proactive, "
                "dates, contract search)"
            ),
            _("the file was changed by hand: export it again with olap export observatoire"),
        )
    first = problems_from(name, exc)[0]
    return _problem(
        name,
        line,
        "export-schema",
        first.message,
        _("the line does not follow schema/observatoire.schema.json: export it again"),
    )


def read_export(path: Path) -> list[tuple[obs.BaseRow, int]]:
    """The rows of the export file *path*, each with its line number. An untrusted file:
    every line must be one object of a format and version olap reads, valid against its
    schema (:data:`olapcli.core.derive.observatoire.VERSIONS`: version 2, the one written,
    or version 1; no unknown key); anything else is refused, naming the file and the
    line."""
    from olapcli.io.files import read_bytes

    name = str(path)
    raw = read_bytes(path)
    if raw is None:
        raise UserError(_("Cannot read {path}").format(path=name))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemsError(
            _("{path} is not a valid observatory export: refused, nothing written.").format(
                path=name
            ),
            [_problem(name, 1, "export-encoding", _("the file is not UTF-8 text"))],
        ) from None
    found: list[tuple[obs.BaseRow, int]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue  # a blank line holds no row (the last newline makes one)
        row, why, detail = obs.parse_line(line.removesuffix("\r"))
        if row is not None:
            found.append((row, number))
        elif why == "json":
            problems.append(
                _problem(
                    name,
                    number,
                    "export-not-jsonl",
                    _("this line is not a JSON object"),
                    _("an observatory export is JSON Lines: one JSON object a line"),
                )
            )
        elif why == "format":
            problems.append(
                _problem(
                    name,
                    number,
                    "export-format",
                    _("format « {found} » where « {expected} » is expected").format(
                        found=detail, expected=obs.FORMAT
                    ),
                    _("this olap reads versions 1 and 2 of olap export observatoire"),
                )
            )
        else:
            problems.append(_schema_problem(name, number, detail))
        if len(problems) >= SHOWN:
            break
    if problems:
        raise ProblemsError(
            _("{path} is not a valid observatory export: refused, nothing written.").format(
                path=name
            ),
            problems,
        )
    if not found:
        raise ProblemsError(
            _("{path} is not a valid observatory export: refused, nothing written.").format(
                path=name
            ),
            [_problem(name, 1, "export-empty", _("the file holds no row"))],
        )
    return found


def gather(
    inputs: list[Path],
    start: dt.date | None,
    end: dt.date | None,
    exclude_invalid: bool,
    today: dt.date,
) -> list[obs.CohortRows]:
    """The rows of every input, by cohort: export files read strictly, cohort folders
    exported on the way (as ``olap export observatoire`` would). A learner key met twice
    (the same export given twice) is refused."""
    rows: list[tuple[obs.BaseRow, str]] = []
    seen: dict[str, tuple[str, int | None]] = {}
    twice: list[Problem] = []
    for path in inputs:
        if is_export(path):
            lines: list[tuple[obs.BaseRow, int | None]] = list(read_export(path))
        else:
            lines = [(r, None) for r in rows_of(path, start, end, exclude_invalid, today)[0]]
        for row, number in lines:
            if row.key in seen:
                where, at = seen[row.key]
                twice.append(
                    Problem(
                        str(path),
                        number,
                        None,
                        "error",
                        "export-duplicate-key",
                        _("the learner key {key} is already in {where}").format(
                            key=row.key, where=where if at is None else f"{where}:{at}"
                        ),
                        _("the same export given twice? Give each cohort once"),
                    )
                )
            seen[row.key] = (str(path), number)
            rows.append((row, str(path)))
    if twice:
        raise ProblemsError(
            _("{n} learner(s) appear twice in the inputs: refused, nothing written.").format(
                n=len(twice)
            ),
            twice[:SHOWN],
        )
    return obs.cohorts(rows)


def build_report(
    cohorts: list[Path],
    out_file: Path,
    identify: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    exclude_invalid: bool = False,
) -> Path:
    """``olap report`` when export files are among the inputs (*cohorts*): the report made
    from the rows (cohort folders exported on the way), written to *out_file* (``-``: standard
    output) once every input is read and checked; nothing written on a refusal."""
    from olapcli.app.report import Statistician
    from olapcli.io.clock import today as clock
    from olapcli.render.report_rows import html

    if identify:
        raise UserError(
            _("--identify cannot show names from an observatory export: it holds none."),
            _("make the report from the cohort folders to show names"),
        )
    if start is not None or end is not None:
        raise UserError(
            _("--from and --to cannot apply to an observatory export: it was counted when made."),
            _("export the cohort again with --from / --to"),
        )
    day = today or clock()
    groups = gather(cohorts, start, end, exclude_invalid, day)
    statistician = Statistician(None)
    try:
        page = html(groups, day, statistician)
    finally:
        statistician.close()
    if str(out_file) == "-":
        from olapcli.io.files import write_stdout

        write_stdout(page.encode("utf-8"))
    else:
        from olapcli.io.files import atomic_write

        atomic_write(out_file, page)
    return out_file
