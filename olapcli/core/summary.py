"""What write commands need of the core files: a summary, light enough to read fast.

``olap need add`` must start in well under a fifth of a second. Validating
cohort.yaml and referentiel.yaml through pydantic costs more than that on its
own (importing pydantic, building the models), so the first command after the
core files change validates them fully and keeps this summary in olap's cache,
keyed by their bytes (:func:`olapcli.io.load.core_summary`); the next commands
read the summary instead. Plain dataclasses: no pydantic here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from olapcli.core import rules


@dataclass
class ActivityInfo:
    id: str
    title: str
    choices: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    required: int | None = None


@dataclass
class GroupInfo:
    id: str
    title: str
    question: str
    activities: list[ActivityInfo]


@dataclass
class Summary:
    """The facts of a valid cohort that write commands check input against."""

    imminence_days: int
    practices: list[str]
    periods: list[str]
    trainers: list[str]
    groups: list[GroupInfo]
    #: practice -> the ids of its competence grid (only the practices that have one)
    grids: dict[str, list[str]] = field(default_factory=dict)

    def activity_ids(self) -> set[str]:
        return rules.activity_ids(self)

    def activity(self, activity_id: str) -> ActivityInfo | None:
        for group in self.groups:
            for act in group.activities:
                if act.id == activity_id:
                    return act
        return None


def from_json(data: dict[str, Any]) -> Summary:
    groups = [
        GroupInfo(g["id"], g["title"], g["question"], [ActivityInfo(**a) for a in g["activities"]])
        for g in data["groups"]
    ]
    return Summary(
        data["imminence_days"],
        data["practices"],
        data["periods"],
        data["trainers"],
        groups,
        data.get("grids", {}),
    )


def of(core: Any) -> Summary:
    groups = [
        GroupInfo(
            g.id,
            g.title,
            g.question,
            [
                ActivityInfo(
                    a.id,
                    a.title,
                    list(a.choices),
                    list(a.sheet.criteria) if a.sheet else [],
                    a.sheet.required if a.sheet else None,
                )
                for a in g.activities
            ],
        )
        for g in core.referentiel.groups
    ]
    cohort = core.cohort
    return Summary(
        cohort.policy.imminence_days,
        [p.id for p in cohort.practices],
        [p.id for p in cohort.periods],
        [t.id for t in cohort.trainers],
        groups,
        {p.id: [c.id for c in p.grid] for p in cohort.practices if p.grid},
    )


def to_json(summary: Summary) -> dict[str, Any]:
    """The summary as JSON data (the inverse of :func:`from_json`)."""
    return asdict(summary)
