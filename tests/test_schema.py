"""The JSON Schemas are generated from the models and say what the models say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from devtools import schemagen
from olapcli.core.model import MODELS
from olapcli.io import yamlread as yamlfast
from olapcli.io.load import validate_data
from tests.conftest import ROOT, SAMPLE


@pytest.mark.parametrize("folder", [ROOT / "schema", SAMPLE / ".olap" / "schema"])
def test_committed_schemas_are_current(folder: Path):
    expected = schemagen.schemas()
    found = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.schema.json")}
    assert found == expected, "run: python -m devtools.schemagen schema sample-cohort/.olap/schema"


KIND_OF = {"cohort.yaml": "cohort", "referentiel.yaml": "referentiel", "subjects.yaml": "subjects"}


def kind(path: Path) -> str:
    if path.parent.name == "learners":
        return "learner"
    if path.parent.name == "resources":
        return "resources"
    return KIND_OF[path.name]


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def schema_errors(kind_name: str, data) -> list[str]:
    schema = json.loads(schemagen.schemas()[f"{kind_name}.schema.json"])
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [e.message for e in validator.iter_errors(_jsonable(data))]


SAMPLE_FILES = sorted(p for p in SAMPLE.rglob("*.yaml") if ".olap" not in p.parts)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(SAMPLE)))
def test_sample_files_follow_their_schema(path: Path):
    data = yamlfast.load(path.read_text(encoding="utf-8"))
    assert schema_errors(kind(path), data) == []
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


LEARNER = (SAMPLE / "learners/lea-martin.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ar: true", "ar: no"),
        ("ar: true", "ar: 'true'"),
        ('activity: "6.3"', "activity: 6.3"),
        ("status: contract", "status: signed"),
        ("status: contract", "status: contract\nhobby: piano"),
        ("due: 2025-11-05", "due: 05/11/2025"),
        ("satisfaction_learner: 5", "satisfaction_learner: 6"),
        ("absence_hours: 14", "absence_hours: -1"),
    ],
)
def test_schema_and_model_refuse_the_same_documents(old: str, new: str):
    assert old in LEARNER
    data = yamlfast.load(LEARNER.replace(old, new, 1))
    model, problems = validate_data(MODELS["learner"], data, "x.yaml")
    assert model is None and problems
    assert schema_errors("learner", data)
