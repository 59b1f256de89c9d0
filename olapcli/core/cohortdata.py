"""A cohort as read from its folder: the valid models, and the facts about files the
checks need (which attachments exist), gathered by the loader so that no check reads
the disk."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from olapcli.core import rules
from olapcli.core.model import (
    AccessFile,
    Cohort,
    Learner,
    Referentiel,
    ResourceFile,
    Subjects,
)


@dataclass
class CohortData:
    """Everything valid that was read from one cohort folder."""

    root: Path
    cohort: Cohort | None = None
    referentiel: Referentiel | None = None
    subjects: Subjects | None = None
    resources: dict[str, tuple[str, ResourceFile]] = field(default_factory=dict)
    learners: list[tuple[str, Learner]] = field(default_factory=list)
    #: learner id -> the learner's own resources: [(path, ResourceFile)]
    own_resources: dict[str, list[tuple[str, ResourceFile]]] = field(default_factory=dict)
    #: relative paths of the files under resources/files/ and learners/<id>/files/
    attachments: frozenset[str] = frozenset()
    #: the ids of the learner files present (learners/<id>.yaml), valid or not
    learner_ids: frozenset[str] = frozenset()
    #: access.yaml, the personal links given (read by validate only, when present)
    access: AccessFile | None = None

    def activity_ids(self) -> set[str]:
        """Ids of every sub-activity of the référentiel."""
        return rules.activity_ids(self.referentiel) if self.referentiel else set()

    def with_learners(self, learners: list[tuple[str, Learner]]) -> CohortData:
        """The same core files and resources, with *learners* instead."""
        return replace(self, learners=learners)


@dataclass
class Core:
    """The core files of a valid cohort, as write commands need them."""

    root: Path
    cohort: Cohort
    referentiel: Referentiel
    subjects: Subjects | None

    def activity_ids(self) -> set[str]:
        """Ids of every sub-activity of the référentiel."""
        return rules.activity_ids(self.referentiel)
