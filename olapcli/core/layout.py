"""Where things are in a cohort repository: the names of its files and folders."""

from __future__ import annotations

COHORT = "cohort.yaml"
REFERENTIEL = "referentiel.yaml"
SUBJECTS = "subjects.yaml"
#: the three core files, in the order they are read
CORE_FILES = (COHORT, REFERENTIEL, SUBJECTS)
#: the personal links given (olap access), committed without any secret
ACCESS = "access.yaml"
LEARNERS_DIR = "learners"
RESOURCES_DIR = "resources"
#: where the files of shared resources are kept, under the repository
SHARED_FILES_DIR = "resources/files"


def learner_rel(learner_id: str) -> str:
    """The relative path of a learner's file."""
    return f"{LEARNERS_DIR}/{learner_id}.yaml"


def own_files_dir(learner_id: str) -> str:
    """Where the files of a learner's own resources are kept."""
    return f"{LEARNERS_DIR}/{learner_id}/files"
