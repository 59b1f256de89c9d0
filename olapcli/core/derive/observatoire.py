"""The observatory export (``olap export observatoire``): one pseudonymous row per learner,
self-describing, for regional observatories (Afnor Spec X50-301's common syntax).

Each row carries its cohort's RNCP code, level and school year beside the learner's
pseudonymous key, the counts per practice (the count rule, :func:`olapcli.core.rules.counted`
through :func:`olapcli.core.derive.metrics.rows`), the quality figures
(:mod:`olapcli.core.derive.quality`), the charter's meetings, the outcomes and, since
version 2, the contract search (:mod:`olapcli.core.derive.pipeline`, counts only). The
rows are the public contract ``schema/observatoire.schema.json`` (generated from
:class:`ObservatoireRow`): written one per line (JSON Lines), so that several exports
concatenated stay one valid file, and read back, strictly, by ``olap report`` — rows of
version 1 (:class:`RowV1`) as well. Pure: no disk, no printing (docs/observatoire.md);
the CSV's form is :mod:`olapcli.core.derive.observatoire_csv`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from olapcli.core.derive import charter, metrics, pipeline, quality

if TYPE_CHECKING:
    from olapcli.core.model import Cohort

#: the format and its version olap writes, on every row
FORMAT = "olap-observatoire/2"
#: the version before the contract search: still read (its rows have no ``search``)
FORMAT_V1 = "olap-observatoire/1"

Key = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{4,32}$")]
PracticeId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
#: a cohort's words (the training action's name, level, RNCP code): one line, bounded
Word = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")
]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
SchoolYear = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{4}$")]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class QualityOut(_Row):
    """The quality of the learner's counted needs (docs/metrics.md), as counts: shares
    of several learners are made by adding these up."""

    counted: Count = Field(description="needs counted by the count rule")
    anticipated: Count = Field(description="needs anticipated, the company's mark aside")
    prepared: Count = Field(description="counted needs prepared on or before their due date")
    applied: Count = Field(description="counted needs applied in the company")
    evaluated: Count = Field(description="counted needs an evaluation (A, EC or R) answers")
    valorised: Count = Field(description="counted needs valorised with an advantage obtained")
    median_lead_days: float | None = Field(
        ge=0, le=100_000, description="median days from identified to due; null without any"
    )


class OutcomesOut(_Row):
    """The Annexe 7 indicators and the paths out; null: unknown (never « no »)."""

    rupture: bool | None
    exam: bool | None = Field(description="true: passed, false: failed")
    placement: bool | None
    absence_hours: float | None = Field(ge=0, le=100_000)
    insertion_6m: bool | None
    satisfaction_learner: int | None = Field(ge=1, le=5)
    satisfaction_company: int | None = Field(ge=1, le=5)
    dropout: bool | None
    further_study: bool | None


class LabelOut(_Row):
    """The label « proactivité pour l'emploi » for this learner, as olap judged it."""

    status: Literal["met", "short", "exempt"] = Field(
        description="met the minimum in every unit asked; fell short; not judged"
    )
    missing: dict[Annotated[str, StringConstraints(max_length=64)], Count] = Field(
        description="unit (action, school year or period id) -> needs missing"
    )
    min_needs: Count
    per: Literal["action", "year", "period"]
    columns: list[PracticeId]
    required_share: float = Field(ge=0, le=1)


class SearchOut(_Row):
    """The learner's contract search (Annexe 2, docs/metrics.md), as counts and no company
    named: the cohort's figures are made by adding these up, its median from the days put
    together. All zero for a learner who approached no company."""

    prospects: Count = Field(description="companies contacted (first contact within the dates)")
    needs: Count = Field(description="needs collected from them (needs naming one)")
    internships: Count = Field(description="of those companies, the ones that gave an internship")
    contracts: Count = Field(description="of those companies, the ones that signed a contract")
    days_to_contract: list[Count] = Field(
        max_length=10_000,
        description="days from the first contact to the contract signed, one per contract",
    )

    @model_validator(mode="after")
    def _consistent(self) -> SearchOut:
        if (
            len(self.days_to_contract) != self.contracts
            or max(self.internships, self.contracts) > self.prospects
        ):
            raise ValueError("search_inconsistent")
        return self


class BaseRow(_Row):
    """One line of ``olap export observatoire``, of any version olap reads: a learner, by
    pseudonymous key, with the cohort it belongs to. No name, no e-mail, no free text of
    a need."""

    format: str
    exported: dt.date = Field(description="the day of the export (meetings counted up to it)")
    formation: Word = Field(description="the training action's name (cohort.yaml)")
    rncp: Word | None = Field(description="the RNCP code, when cohort.yaml gives it")
    level: Word
    year: SchoolYear = Field(description="school years of the cohort, September to August")
    start: dt.date
    end: dt.date
    period_from: dt.date | None = Field(description="--from of the export, if any")
    period_to: dt.date | None = Field(description="--to of the export, if any")
    imminence_days: Count = Field(description="the count rule's window (policy.imminence_days)")
    practices: dict[PracticeId, Word] = Field(
        description="practice id -> its label (cohort.yaml): the report names practices so"
    )
    excluded: Count = Field(description="learners of this cohort left out for validate errors")
    key: Key = Field(description="the learner's pseudonymous key")
    counts: dict[PracticeId, Count] = Field(description="practice id -> needs counted")
    total: Count
    proactive: bool = Field(description="at least one need counted")
    needs_recorded: Count = Field(description="needs recorded, counted or not")
    quality: QualityOut
    outcomes: OutcomesOut
    meetings: Count | None = Field(
        description="meetings with the company in the twelve months up to the export "
        "(null: not asked, no contract)"
    )
    meetings_met: bool | None = Field(description="the charter's two a year are met")
    label: LabelOut

    @model_validator(mode="after")
    def _consistent(self) -> BaseRow:
        # untrusted input: figures that contradict each other are no figures
        if self.total != sum(self.counts.values()):
            raise ValueError("total_not_sum")
        if self.proactive != (self.total > 0) or self.quality.counted != self.total:
            raise ValueError("proactive_not_total")
        if self.start > self.end:
            raise ValueError("end_before_start")
        return self

    def searched(self) -> SearchOut | None:
        """The contract search, None in a row of version 1 (made before it was carried)."""
        found = getattr(self, "search", None)
        return found if isinstance(found, SearchOut) else None

    def cohort_id(self) -> tuple[Any, ...]:
        """What every row of one cohort's export shares (its fields but the learner's)."""
        return (
            *(getattr(self, name) for name in COHORT_FIELDS),
            tuple(self.practices.items()),
            self.label.min_needs,
            self.label.per,
            tuple(self.label.columns),
            self.label.required_share,
        )


class RowV1(BaseRow):
    """A row of version 1 (``olap-observatoire/1``): read, no longer written."""

    format: Literal["olap-observatoire/1"]


class ObservatoireRow(BaseRow):
    """A row as olap writes it (``olap-observatoire/2``): version 1's and the learner's
    contract search."""

    format: Literal["olap-observatoire/2"]
    search: SearchOut


#: the row of each version olap reads
VERSIONS: dict[str, type[BaseRow]] = {FORMAT_V1: RowV1, FORMAT: ObservatoireRow}


#: the fields every row of one cohort's export carries alike
COHORT_FIELDS = (
    "format",
    "exported",
    "formation",
    "rncp",
    "level",
    "year",
    "start",
    "end",
    "period_from",
    "period_to",
    "imminence_days",
    "excluded",
)


def word(text: str) -> str:
    """A cohort's text as one bounded line (:data:`Word`): its control characters and line
    breaks made spaces, its spaces collapsed, cut at 200 characters."""
    import re

    line = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).split())[:200]
    return line or "?"


def school_year(cohort: Cohort) -> str:
    """``2025-2026``: the school years (September to August, as the label's) the cohort
    runs over, from the first one's autumn to the last one's summer."""
    years = metrics._school_years(cohort.start, cohort.end)
    return f"{years[0][1].year}-{years[-1][2].year}"


def rows(
    cohort: Cohort,
    table: list[metrics.Row],
    start: dt.date | None,
    end: dt.date | None,
    today: dt.date,
    excluded: int = 0,
) -> list[ObservatoireRow]:
    """The export's rows of a cohort whose Annexe 7 *table* is made (the figures of
    ``olap report``, from the same functions), in the table's order."""
    lab = metrics.label(cohort, table, start, end)
    missing = {s["key"]: s["missing"] for s in lab.short}
    exempt = set(lab.exempt)
    qualities = dict(quality.per_learner(cohort, table, start, end))
    shared: dict[str, Any] = {
        "format": FORMAT,
        "exported": today,
        "formation": word(cohort.formation.name),
        "rncp": word(cohort.formation.rncp) if cohort.formation.rncp else None,
        "level": word(cohort.formation.level),
        "year": school_year(cohort),
        "start": cohort.start,
        "end": cohort.end,
        "period_from": start,
        "period_to": end,
        "imminence_days": cohort.policy.imminence_days,
        "practices": {p.id: word(p.label) for p in cohort.practices},
        "excluded": excluded,
    }
    out = []
    for r in table:
        b = r.learner
        q = qualities[b.key]
        searched = pipeline.search(b.prospects, start, end)
        count, met = charter.meetings(b, cohort.start, cohort.end, today)
        status: Literal["met", "short", "exempt"] = (
            "exempt" if b.key in exempt else "short" if b.key in missing else "met"
        )
        out.append(
            ObservatoireRow.model_validate(
                {
                    **shared,
                    "key": b.key,
                    "counts": r.counts,
                    "total": r.total,
                    "proactive": r.proactive,
                    "needs_recorded": len(b.needs),
                    "quality": QualityOut(
                        counted=q.counted,
                        anticipated=q.anticipated,
                        prepared=q.prepared,
                        applied=q.applied,
                        evaluated=q.evaluated,
                        valorised=q.valorised,
                        median_lead_days=None if q.lead_days is None else float(q.lead_days),
                    ),
                    "outcomes": OutcomesOut(
                        **{k: r.outcomes[k] for k in metrics.INDICATORS},
                        dropout=b.dropout,
                        further_study=b.further_study,
                    ),
                    "meetings": None if met is None else count,
                    "meetings_met": met,
                    "label": LabelOut(
                        status=status,
                        missing=missing.get(b.key, {}),
                        min_needs=lab.min_needs,
                        per=lab.per,  # type: ignore[arg-type]
                        columns=lab.columns,
                        required_share=lab.required_share,
                    ),
                    "search": SearchOut(
                        prospects=searched.prospects,
                        needs=searched.needs,
                        internships=searched.internships,
                        contracts=searched.contracts,
                        days_to_contract=list(searched.days),
                    ),
                },
                strict=False,
            )
        )
    return out


def telling_keys(table: list[metrics.Row]) -> list[str]:
    """The ids of the learners whose key spells their first or last name (a key typed by
    hand, « MARTIN-01 »): sent outside, it would name them. A key of the shape olap
    draws at random (:func:`olapcli.core.ids.learner_key`) is never taken for one: its
    letters may spell a short name by chance, not by intent; nor are the digits of a
    name (a number is no name)."""
    import re

    from olapcli.core.derive.textfold import fold, name_words
    from olapcli.core.ids import KEY_SHAPE

    out = []
    for r in table:
        if re.fullmatch(KEY_SHAPE, r.learner.key):
            continue
        key = fold(r.learner.key).replace("-", "")
        words = name_words(r.learner.first_name) + name_words(r.learner.last_name)
        if any(len(w) >= 3 and w.isalpha() and w in key for w in words):  # not « 100 »
            out.append(r.learner.id)
    return out


def jsonl(found: list[ObservatoireRow]) -> str:
    """The rows as JSON Lines: one object a line, each line ending with a newline."""
    return "".join(r.model_dump_json() + "\n" for r in found)


def schema() -> dict[str, Any]:
    """The JSON Schema of one line (``schema/observatoire.schema.json``)."""
    found = ObservatoireRow.model_json_schema(mode="serialization")
    found["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    found["title"] = "olap — olap export observatoire (one JSON Lines row)"
    return found


def parse_line(text: str) -> tuple[BaseRow | None, str | None, Any]:
    """One line read back, by the model of its version (:data:`VERSIONS`): (the row, None,
    None), or (None, why, detail) with why one of ``json`` (not a JSON object),
    ``format`` (detail: the format found), ``schema`` (detail: pydantic's
    ValidationError)."""
    from pydantic import ValidationError

    try:
        data = json.loads(text)
    except ValueError:
        return None, "json", None
    if not isinstance(data, dict):
        return None, "json", None
    model = VERSIONS.get(data.get("format"))  # type: ignore[arg-type]
    if model is None:
        return None, "format", data.get("format")
    try:
        return model.model_validate_json(text), None, None
    except ValidationError as exc:
        return None, "schema", exc


@dataclass
class CohortRows:
    """The rows of one cohort's export, gathered from the files and folders given to
    ``olap report`` (a cohort: rows alike in :meth:`BaseRow.cohort_id`)."""

    rows: list[BaseRow] = field(default_factory=list)
    #: where they come from: the files or folders, as given
    origins: list[str] = field(default_factory=list)

    @property
    def first(self) -> BaseRow:
        return self.rows[0]


def cohorts(found: list[tuple[BaseRow, str]]) -> list[CohortRows]:
    """The rows (each with where it comes from) gathered by cohort, in the order first
    met; rows keep their order."""
    out: dict[tuple[Any, ...], CohortRows] = {}
    for row, origin in found:
        group = out.setdefault(row.cohort_id(), CohortRows())
        group.rows.append(row)
        if origin not in group.origins:
            group.origins.append(origin)
    return list(out.values())
