"""The records of learner files: made without the model, they say what the model says.

``quick.learner`` reads a file's data into records only when it is certainly valid; the
model decides the rest. Here it is held to the model: on every sample learner, on
generated ones, and on thousands of damaged copies (hypothesis), whatever it accepts the
model accepts, with the same values.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import fields
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from olapcli.core import model, quick, records
from olapcli.io import yamlread
from tests.conftest import SAMPLE

LEARNERS = sorted((SAMPLE / "learners").glob("*.yaml"))
DATA = [yamlread.load(p.read_text(encoding="utf-8")) for p in LEARNERS]


def from_model(data: Any) -> records.Learner | None:
    try:
        learner = model.Learner.model_validate(data)
    except ValidationError:
        return None
    return records.learner(learner)


def test_records_have_the_models_fields():
    pairs = [
        (records.Learner, model.Learner),
        (records.Need, model.Need),
        (records.Evaluation, model.Evaluation),
        (records.Outcomes, model.Outcomes),
        (records.PlanEntry, model.PlanEntry),
        (records.Steps, model.Steps),
        (records.StepMark, model.StepMark),
        (records.Contract, model.Contract),
        (records.Company, model.Company),
        (records.Tutor, model.Tutor),
        (records.Stage, model.Stage),
    ]
    for record, pydantic_model in pairs:
        assert [f.name for f in fields(record)] == list(pydantic_model.model_fields)


@pytest.mark.parametrize("data", DATA, ids=[p.stem for p in LEARNERS])
def test_every_sample_learner_is_read_without_the_model(data):
    made = quick.learner(data)
    assert made is not None
    assert made == from_model(data)


def test_generated_learners_are_read_without_the_model():
    from bench.gen import learner

    rng = random.Random(3)
    for i in range(200):
        data = yamlread.load(learner(i, rng))
        assert quick.learner(data) == from_model(data) is not None


#: values that may land anywhere in a learner file
ODD = [
    None, "", " ", "x", "A", "qualite", "6.3", "6 3", "K-ABC", "ab", 0, 1, 6, -1, 2.5, True,
    False, [], {}, ["entreprise"], ["entreprise", "entreprise"], ["patron"],
    dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 10, 0), "2026-01-02", "2026-02-30",
    "lea@mail.example", "Lea@Mail.Example", "lea@mail.EXAMPLE", "lea@mail.test",
    "Léa <lea@mail.example>", " lea@mail.example", "lea@localhost", "lea..m@mail.example",
    "lea@mail", "lea@-mail.example", "passed", "contract", "searching", "apprentissage",
    float("nan"), float("inf"), "A", "EC", "R", "formateur",
    {"date": dt.date(2026, 1, 2)}, {"date": dt.date(2026, 1, 2), "by": "patron"},
    {"date": "2026-01-02", "by": "alternant", "notes": 3}, {"by": "entreprise"},
]  # fmt: skip


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in *value* (dict keys and list indexes)."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths_of(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths_of(v, (*prefix, i))
    return out


def damaged(data: Any, rng: random.Random, edits: int) -> Any:
    data = copy.deepcopy(data)
    for _ in range(edits):
        path = rng.choice(paths_of(data))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = rng.random()
        if action < 0.6:
            parent[last] = copy.deepcopy(rng.choice(ODD))  # never one list inside itself
        elif action < 0.8 and isinstance(parent, dict):
            del parent[last]
        elif isinstance(parent, dict):
            parent[rng.choice(["extra", "as_", "statut", "notes"])] = copy.deepcopy(rng.choice(ODD))
    return data


@settings(max_examples=1500, deadline=None)
@given(st.integers(0, len(DATA) - 1), st.integers(0, 2**32), st.integers(1, 3))
def test_whatever_quick_accepts_the_model_accepts_alike(which, seed, edits):
    data = damaged(DATA[which], random.Random(seed), edits)
    made = quick.learner(data)
    if made is not None:
        assert made == from_model(data)


@pytest.mark.parametrize("address", [a for a in ODD if isinstance(a, str) and "@" in a])
def test_addresses_are_taken_only_when_the_model_keeps_them_as_they_are(address):
    data = {**copy.deepcopy(DATA[0]), "email": address}
    made = quick.learner(data)
    if made is not None:
        assert made == from_model(data)
        assert made.email == address


def with_twelve_steps(data: Any) -> Any:
    """*data* whose first need records every step of the cycle, in both spellings."""
    data = copy.deepcopy(data)
    day = dt.date(2026, 1, 5)
    steps: dict[str, Any] = {}
    for i, key in enumerate(records.MARKS):
        if i % 3 == 0:
            steps[key] = day
        elif i % 3 == 1:
            steps[key] = {"date": day, "by": "entreprise"}
        else:
            steps[key] = {"date": day, "by": "formateur", "notes": "cours du mardi"}
    data["needs"][0]["steps"] = {**steps, "advantage": "Poste confié"}
    return data


STEPPED = [with_twelve_steps(d) for d in DATA if d.get("needs")]


def test_the_twelve_steps_in_both_spellings_are_read_without_the_model():
    for data in STEPPED:
        made = quick.learner(data)
        assert made is not None and made == from_model(data)
        steps = made.needs[0].steps
        assert steps is not None
        assert steps.contracted == records.StepMark(dt.date(2026, 1, 5), None, None)
        assert steps.coached == records.StepMark(dt.date(2026, 1, 5), "entreprise", None)


@settings(max_examples=800, deadline=None)
@given(st.integers(0, len(STEPPED) - 1), st.integers(0, 2**32), st.integers(1, 3))
def test_damaged_steps_quick_accepts_the_model_accepts_alike(which, seed, edits):
    rng = random.Random(seed)
    data = copy.deepcopy(STEPPED[which])
    steps = data["needs"][0]["steps"]
    for _ in range(edits):
        key = rng.choice([*steps, "extra", "prepard"])
        value = rng.choice([*ODD, {"date": dt.date(2026, 1, 2), "by": "entreprise", "x": 1}])
        if isinstance(steps.get(key), dict) and rng.random() < 0.5:
            steps[key] = {**steps[key], rng.choice(["date", "by", "notes", "who"]): value}
        else:
            steps[key] = copy.deepcopy(value)
    made = quick.learner(data)
    if made is not None:
        assert made == from_model(data)
