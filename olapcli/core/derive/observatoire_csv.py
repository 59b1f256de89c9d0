"""The CSV form of ``olap export observatoire`` (docs/observatoire.md): the rows of
:mod:`olapcli.core.derive.observatoire` flattened into columns that are the same, in the
same order, for every cohort, so that files add up. Pure: no disk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from olapcli.core.derive.observatoire import (
    COHORT_FIELDS,
    LabelOut,
    ObservatoireRow,
    OutcomesOut,
    QualityOut,
    SearchOut,
)

#: the groups of fields flattened into ``prefix_field`` columns
GROUPS = {"quality": "quality", "outcomes": "outcome", "label": "label", "search": "search"}

#: the CSV's columns, in this fixed order whatever the cohort: files concatenate
CSV_COLUMNS = (
    *COHORT_FIELDS,
    "key",
    "counts",
    "total",
    "proactive",
    "needs_recorded",
    *(f"quality_{name}" for name in QualityOut.model_fields),
    *(f"outcome_{name}" for name in OutcomesOut.model_fields),
    "meetings",
    "meetings_met",
    *(f"label_{name}" for name in LabelOut.model_fields),
    *(f"search_{name}" for name in SearchOut.model_fields),
)


def _flat(value: Any) -> Any:
    """A CSV cell: true/false, ISO dates, ``a=1;b=2`` for a mapping, ``a;b`` for a list,
    empty for null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def csv_rows(found: list[ObservatoireRow]) -> list[list[Any]]:
    """The rows as CSV cells, in the order of :data:`CSV_COLUMNS`."""
    out = []
    for r in found:
        data = r.model_dump()
        flat: dict[str, Any] = {k: v for k, v in data.items() if not isinstance(v, dict)}
        flat["counts"] = data["counts"]
        for group, prefix in GROUPS.items():
            flat.update({f"{prefix}_{k}": v for k, v in data[group].items()})
        out.append([_flat(flat[c]) for c in CSV_COLUMNS])
    return out
